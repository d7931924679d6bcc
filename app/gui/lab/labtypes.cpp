// SPDX-License-Identifier: Apache-2.0
// Display names, palette and derivation of LabNodeState.
#include "lab/labtypes.h"

#include <QCoreApplication>

namespace otalab::app {

QString labNodeStateName(LabNodeState state)
{
    switch (state) {
    case LabNodeState::NoClient: return QCoreApplication::translate("LabNodeState", "No client");
    case LabNodeState::Waiting: return QCoreApplication::translate("LabNodeState", "Waiting");
    case LabNodeState::Downloading: return QCoreApplication::translate("LabNodeState", "Downloading");
    case LabNodeState::WaitingToUpgrade: return QCoreApplication::translate("LabNodeState", "Waiting to upgrade");
    case LabNodeState::Upgraded: return QCoreApplication::translate("LabNodeState", "Upgraded");
    case LabNodeState::Failed: return QCoreApplication::translate("LabNodeState", "Failed");
    case LabNodeState::Refused: return QCoreApplication::translate("LabNodeState", "Refused");
    }
    return QCoreApplication::translate("LabNodeState", "Unknown");
}

// Distinguishable on white and dark backgrounds, and for the common colour-vision
// deficiencies as far as seven hues allow (blue/amber/green/red/purple differ in lightness too).
QColor labNodeStateColor(LabNodeState state)
{
    switch (state) {
    case LabNodeState::NoClient: return QColor(0x9e, 0x9e, 0x9e);         // grey
    case LabNodeState::Waiting: return QColor(0x90, 0xca, 0xf9);          // light blue
    case LabNodeState::Downloading: return QColor(0x1e, 0x6f, 0xd9);      // blue
    case LabNodeState::WaitingToUpgrade: return QColor(0xf5, 0xa6, 0x23); // amber
    case LabNodeState::Upgraded: return QColor(0x2e, 0xa0, 0x43);         // green
    case LabNodeState::Failed: return QColor(0xd6, 0x33, 0x2f);           // red
    case LabNodeState::Refused: return QColor(0x8e, 0x44, 0xad);          // purple
    }
    return QColor(Qt::black);
}

LabNodeState labNodeStateFrom(bool hasClient, std::uint8_t phase, std::uint8_t upgradeStatus)
{
    if (!hasClient)
        return LabNodeState::NoClient;
    switch (phase) {
    case 2: return LabNodeState::Upgraded;
    case 3: return LabNodeState::Failed;
    case 4: return LabNodeState::Refused;
    default: break;
    }
    // Idle or Downloading: the client's ImageUpgradeStatus refines it.
    if (upgradeStatus == 1)
        return LabNodeState::Downloading;
    if (upgradeStatus >= 2 && upgradeStatus <= 6)
        return LabNodeState::WaitingToUpgrade;
    return phase == 1 ? LabNodeState::Downloading : LabNodeState::Waiting;
}

} // namespace otalab::app
