// SPDX-License-Identifier: Apache-2.0
// LorawanDevice states: names and neutral phases.
#include "sim/lorawan/lorawandevice.h"

#include <QString>

namespace otalab::sim {

QString lorawanDeviceStateName(LorawanDeviceState state)
{
    using S = LorawanDeviceState;
    switch (state) {
    case S::ClassA: return QStringLiteral("class A");
    case S::GroupSetup: return QStringLiteral("multicast group setup");
    case S::FragSetup: return QStringLiteral("fragmentation session setup");
    case S::SessionSetup: return QStringLiteral("multicast session setup");
    case S::WaitingForSession: return QStringLiteral("waiting for the session");
    case S::Receiving: return QStringLiteral("receiving fragments");
    case S::WaitingForRepair: return QStringLiteral("waiting for repair");
    case S::Reassembled: return QStringLiteral("reassembled, MIC sent");
    case S::Verified: return QStringLiteral("MIC confirmed");
    case S::Applying: return QStringLiteral("applying");
    case S::Upgraded: return QStringLiteral("upgraded");
    case S::Missed: return QStringLiteral("missed fragments");
    case S::Rejected: return QStringLiteral("MIC mismatch");
    case S::Unreachable: return QStringLiteral("unreachable");
    case S::NoSpace: return QStringLiteral("no space");
    case S::RolledBack: return QStringLiteral("rolled back");
    case S::ImageRefused: return QStringLiteral("image refused");
    }
    return QStringLiteral("unknown");
}

FleetPhase lorawanDevicePhase(LorawanDeviceState state)
{
    using S = LorawanDeviceState;
    switch (state) {
    case S::ClassA:
    case S::GroupSetup:
    case S::FragSetup:
    case S::SessionSetup:
    case S::WaitingForSession:
    case S::WaitingForRepair: return FleetPhase::Waiting;
    case S::Receiving: return FleetPhase::Downloading;
    case S::Reassembled: return FleetPhase::Verifying;
    case S::Verified: return FleetPhase::WaitingToApply;
    case S::Applying: return FleetPhase::Applying;
    case S::Upgraded: return FleetPhase::Upgraded;
    case S::Missed:
    case S::Rejected:
    case S::Unreachable: return FleetPhase::Failed;
    case S::NoSpace:
    case S::ImageRefused: return FleetPhase::Refused;
    case S::RolledBack: return FleetPhase::RolledBack;
    }
    return FleetPhase::Waiting;
}

QString lorawanCommandName(LorawanCommand command, bool classB)
{
    switch (command) {
    case LorawanCommand::None: return QString();
    case LorawanCommand::McGroupSetup: return QStringLiteral("McGroupSetupReq");
    case LorawanCommand::FragSessionSetup: return QStringLiteral("FragSessionSetupReq");
    case LorawanCommand::McSession: return classB ? QStringLiteral("McClassBSessionReq") : QStringLiteral("McClassCSessionReq");
    case LorawanCommand::FragStatus: return QStringLiteral("FragSessionStatusReq");
    }
    return QString();
}

} // namespace otalab::sim
