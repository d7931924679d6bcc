// SPDX-License-Identifier: Apache-2.0
// EventData::kind values of OcfFleet's events (arguments beside each; values only).
#pragma once

#include <cstdint>

namespace otalab::sim::ocfevents {

inline constexpr std::uint32_t kClientStart = 1;     // client node
inline constexpr std::uint32_t kClientPump = 2;      // client node: send the next POSTs
inline constexpr std::uint32_t kClientTimeout = 3;   // device: arg0 attempt tag (tries << 8 | attempt)
inline constexpr std::uint32_t kClientRx = 4;        // device: arg0 parked message (device → client)
inline constexpr std::uint32_t kServerRx = 5;        // device: arg0 parked request (device → image server)
inline constexpr std::uint32_t kDeviceRx = 6;        // device: arg0 parked message, arg1 epoch | sender << 32 (0 server, 1 client, 2 intruder)
inline constexpr std::uint32_t kDeviceTimer = 7;     // device: arg0 SwUpdateTimer, arg1 epoch
inline constexpr std::uint32_t kRebooted = 8;        // device: arg1 epoch
inline constexpr std::uint32_t kPowerOn = 9;         // device: arg1 epoch
inline constexpr std::uint32_t kUpdateTime = 10;     // client node: updatetime on an exact clock (snapshot)
inline constexpr std::uint32_t kOutageEnd = 11;      // arg0 what (0 server, 1 gateway, 2 link), arg1 index / fault id
inline constexpr std::uint32_t kClientRetry = 12;    // device: the client asks it again
inline constexpr std::uint32_t kClientNotified = 14; // device: its sva notification reached the client (validateFirst: schedule the upgrade)
inline constexpr std::uint32_t kPowerCut = 13;       // device: an armed power loss (atFlashWrite / atProgress) fires; arg1 epoch

inline constexpr std::uint64_t kFromServer = 0, kFromClient = 1, kFromIntruder = 2;
// kDeviceRx arg1 flag: the last block of an image; the device hashes and checks the signature
// (Verifying) before its machine handles it (the event is posted again without the flag).
inline constexpr std::uint64_t kLastBlock = std::uint64_t(1) << 48;

} // namespace otalab::sim::ocfevents
