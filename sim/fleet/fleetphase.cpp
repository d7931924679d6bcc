// SPDX-License-Identifier: Apache-2.0
#include "sim/fleet/fleetphase.h"

namespace otalab::sim {

QString fleetPhaseName(FleetPhase phase)
{
    switch (phase) {
    case FleetPhase::Idle: return QStringLiteral("idle");
    case FleetPhase::Waiting: return QStringLiteral("waiting");
    case FleetPhase::Downloading: return QStringLiteral("downloading");
    case FleetPhase::Verifying: return QStringLiteral("verifying");
    case FleetPhase::WaitingToApply: return QStringLiteral("waiting to apply");
    case FleetPhase::Applying: return QStringLiteral("applying");
    case FleetPhase::Upgraded: return QStringLiteral("upgraded");
    case FleetPhase::Failed: return QStringLiteral("failed");
    case FleetPhase::Refused: return QStringLiteral("refused");
    case FleetPhase::RolledBack: return QStringLiteral("rolled back");
    }
    return QStringLiteral("unknown");
}

QString fleetPhaseKey(FleetPhase phase)
{
    return fleetPhaseName(phase).replace(QLatin1Char(' '), QLatin1Char('-'));
}

} // namespace otalab::sim
