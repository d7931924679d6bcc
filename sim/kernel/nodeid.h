// SPDX-License-Identifier: Apache-2.0
// NodeId: dense index of a simulated device (coordinator, router, end device).
#pragma once

#include <cstdint>

namespace otalab::sim {

// Nodes are numbered densely from 0 by the scenario builder; the id indexes per-node
// arrays and derives each node's random stream. It is not a Zigbee address.
using NodeId = std::uint32_t;

// "No particular node": kernel-internal events and fleet-wide records.
inline constexpr NodeId kNoNode = 0xFFFF'FFFFu;
// Destination of a broadcast frame in FrameRecord::dst.
inline constexpr NodeId kBroadcastNode = 0xFFFF'FFFEu;

} // namespace otalab::sim
