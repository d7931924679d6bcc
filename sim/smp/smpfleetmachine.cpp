// SPDX-License-Identifier: Apache-2.0
// SmpPushState names, neutral phases and the machine description.
#include "sim/smp/smpfleetmachine.h"

namespace otalab::sim {

QString smpPushStateName(SmpPushState state)
{
    switch (state) {
    case SmpPushState::Queued: return QStringLiteral("queued");
    case SmpPushState::Connecting: return QStringLiteral("connecting");
    case SmpPushState::ReadingState: return QStringLiteral("reading image state");
    case SmpPushState::Uploading: return QStringLiteral("uploading");
    case SmpPushState::Testing: return QStringLiteral("marking test");
    case SmpPushState::Resetting: return QStringLiteral("resetting");
    case SmpPushState::WaitingForBoot: return QStringLiteral("waiting for boot");
    case SmpPushState::CheckingBoot: return QStringLiteral("checking boot");
    case SmpPushState::Confirming: return QStringLiteral("confirming");
    case SmpPushState::RetryWait: return QStringLiteral("waiting to retry");
    case SmpPushState::Upgraded: return QStringLiteral("upgraded");
    case SmpPushState::Failed: return QStringLiteral("failed");
    case SmpPushState::Refused: return QStringLiteral("refused");
    case SmpPushState::RolledBack: return QStringLiteral("rolled back");
    }
    return QStringLiteral("unknown");
}

FleetPhase smpPushPhase(SmpPushState state)
{
    switch (state) {
    case SmpPushState::Queued:
    case SmpPushState::Connecting:
    case SmpPushState::ReadingState:
    case SmpPushState::RetryWait: return FleetPhase::Waiting;
    case SmpPushState::Uploading: return FleetPhase::Downloading;
    case SmpPushState::Testing: return FleetPhase::Verifying;
    case SmpPushState::Resetting: return FleetPhase::WaitingToApply;
    case SmpPushState::WaitingForBoot:
    case SmpPushState::CheckingBoot:
    case SmpPushState::Confirming: return FleetPhase::Applying;
    case SmpPushState::Upgraded: return FleetPhase::Upgraded;
    case SmpPushState::Failed: return FleetPhase::Failed;
    case SmpPushState::Refused: return FleetPhase::Refused;
    case SmpPushState::RolledBack: return FleetPhase::RolledBack;
    }
    return FleetPhase::Waiting;
}

MachineDescription smpPushMachine()
{
    using S = SmpPushState;
    MachineDescription m;
    m.id = kSmpPushMachine;
    m.name = QStringLiteral("SMP push");
    m.note = QStringLiteral("the host's steps for one board (core/smp UpgradeOperation, test and confirm)");
    for (int i = 0; i < kSmpPushStateCount; ++i) {
        m.states << smpPushStateName(S(i));
        m.phaseOfState.push_back(smpPushPhase(S(i)));
    }
    const auto edge = [&m](S from, S to) { m.transitions.push_back({int(from), int(to)}); };
    m.transitions.push_back({MachineTransition::kMachineStart, int(S::Queued)});
    edge(S::Queued, S::Connecting);
    edge(S::Queued, S::ReadingState);
    edge(S::Queued, S::Refused);
    edge(S::Connecting, S::ReadingState);
    edge(S::Connecting, S::RetryWait);
    edge(S::Connecting, S::Failed);
    edge(S::ReadingState, S::Uploading);
    edge(S::ReadingState, S::Testing);
    edge(S::ReadingState, S::Confirming);
    edge(S::ReadingState, S::Upgraded);
    edge(S::ReadingState, S::RetryWait);
    edge(S::ReadingState, S::Failed);
    edge(S::Uploading, S::Testing);
    edge(S::Uploading, S::RetryWait);
    edge(S::Uploading, S::Failed);
    edge(S::Uploading, S::Refused);
    edge(S::Testing, S::Resetting);
    edge(S::Testing, S::Failed);
    edge(S::Resetting, S::WaitingForBoot);
    edge(S::Resetting, S::Failed);
    edge(S::WaitingForBoot, S::CheckingBoot);
    edge(S::WaitingForBoot, S::Failed);
    edge(S::CheckingBoot, S::Confirming);
    edge(S::CheckingBoot, S::RolledBack);
    edge(S::CheckingBoot, S::Failed);
    edge(S::Confirming, S::Upgraded);
    edge(S::Confirming, S::Failed);
    edge(S::RetryWait, S::Connecting);
    edge(S::RetryWait, S::ReadingState);
    return m;
}

} // namespace otalab::sim
