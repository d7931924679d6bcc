// SPDX-License-Identifier: Apache-2.0
// Event kinds of LorawanFleet (EventData::kind).
#pragma once

#include <cstdint>

namespace otalab::sim::lorawanevents {

enum Kind : std::uint32_t {
    kUplinkStart = 1,   // arg0 device
    kUplinkEnd,         // arg0 device, arg1 packed UplinkInfo, arg... start in the info
    kServerJob,
    kFrame,             // arg0 gateway, arg1 frame counter
    kFramesDone,
    kSessionOpen,       // arg0: 1 = repair round
    kApply,             // arg0 device
    kApplied,           // arg0 device
    kGroupDelete,
    kGatewayDown,       // arg0 gateway
    kGatewayUp,         // arg0 gateway
    kBeacon,            // arg0 gateway: class B beacon (every 128 s while a class B session runs)
    kPowerOn,           // arg0 device, arg1 fault log id: power back after a scenario power cut
    kServerUp,          // arg0 fault log id: the network + FUOTA server is back after a scenario crash
};

} // namespace otalab::sim::lorawanevents
