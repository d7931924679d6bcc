// SPDX-License-Identifier: Apache-2.0
// Display names and palette of LabNodeState (sim::FleetPhase).
#include "lab/labtypes.h"

#include <QCoreApplication>

namespace otalab::app {

QString labNodeStateName(LabNodeState state)
{
    using S = LabNodeState;
    switch (state) {
    case S::Idle: return QCoreApplication::translate("LabNodeState", "No part in the campaign");
    case S::Waiting: return QCoreApplication::translate("LabNodeState", "Waiting");
    case S::Downloading: return QCoreApplication::translate("LabNodeState", "Downloading");
    case S::Verifying: return QCoreApplication::translate("LabNodeState", "Verifying");
    case S::WaitingToApply: return QCoreApplication::translate("LabNodeState", "Waiting to apply");
    case S::Applying: return QCoreApplication::translate("LabNodeState", "Applying");
    case S::Upgraded: return QCoreApplication::translate("LabNodeState", "Upgraded");
    case S::Failed: return QCoreApplication::translate("LabNodeState", "Failed");
    case S::Refused: return QCoreApplication::translate("LabNodeState", "Refused");
    case S::RolledBack: return QCoreApplication::translate("LabNodeState", "Rolled back");
    }
    return QCoreApplication::translate("LabNodeState", "Unknown");
}

// Distinguishable on white and dark backgrounds and, as far as ten hues allow, for the
// common colour-vision deficiencies (the hues also differ in lightness).
QColor labNodeStateColor(LabNodeState state)
{
    using S = LabNodeState;
    switch (state) {
    case S::Idle: return QColor(0x9e, 0x9e, 0x9e);           // grey
    case S::Waiting: return QColor(0x90, 0xca, 0xf9);        // light blue
    case S::Downloading: return QColor(0x1e, 0x6f, 0xd9);    // blue
    case S::Verifying: return QColor(0x00, 0x97, 0xa7);      // teal
    case S::WaitingToApply: return QColor(0xf5, 0xa6, 0x23); // amber
    case S::Applying: return QColor(0xc7, 0x7c, 0x02);       // dark amber
    case S::Upgraded: return QColor(0x2e, 0xa0, 0x43);       // green
    case S::Failed: return QColor(0xd6, 0x33, 0x2f);         // red
    case S::Refused: return QColor(0x8e, 0x44, 0xad);        // purple
    case S::RolledBack: return QColor(0x6d, 0x2a, 0x1a);     // dark brown-red
    }
    return QColor(Qt::black);
}

} // namespace otalab::app
