// SPDX-License-Identifier: Apache-2.0
// Text of event-log cells: times, node addresses, frame and state-change descriptions.
#pragma once

#include "lab/labtypes.h"

#include <QString>

#include <cstdint>
#include <span>

namespace otalab::app {

// "0:02:03.456": virtual time (ns) as h:mm:ss.mmm, fixed width below 10 h.
QString formatLogTime(std::int64_t timeNs);
// "0x1A2B" from `addresses[node]`, "broadcast", "—" for kNoNode, "#12" when unknown.
QString formatLogNode(sim::NodeId node, std::span<const QString> names);
// "Frame" / "State".
QString logKindName(LabLogRow::Kind kind);
// "OTA Image Block Request" (core/zigbee's otaCommandName split into words).
QString otaCommandTitle(std::uint8_t zclCommand);
// 802.15.4 frame type: "Beacon", "Data", "Ack", "MAC command".
QString macFrameTypeName(std::uint8_t macType);
// sim::FrameFate: "Transmitted", "Delivered", "Lost", "Collided", "Missed".
QString frameFateName(std::uint8_t fate);
// "ImageUpgradeStatus" (machine 16), "Campaign" (17), "Machine 5".
QString stateMachineName(std::uint16_t machine);
// Name of a state value of `machine` (ImageUpgradeStatus names, campaign phases), else the number.
QString stateValueName(std::uint16_t machine, std::uint16_t value);
// The "What" column: "OTA Image Block Request · Data · 54 B · Delivered" for a frame,
// "ImageUpgradeStatus: Normal → DownloadInProgress" for a state change.
QString logRowWhat(const LabLogRow& row);
// The machines of the loaded scenario's fleets: stateMachineName()/stateValueName() name
// their states from these descriptions (GUI thread; set on every topology change).
void setLogMachines(const LabTopology& topology);
// One line for a device's own history: "0x0001 → 0x0003 · OTA Image Block Response · …"
// or "Push: Uploading → Testing".
QString describeLogRow(const LabLogRow& row, const LabTopology& topology);

} // namespace otalab::app
