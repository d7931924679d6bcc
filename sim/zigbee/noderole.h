// SPDX-License-Identifier: Apache-2.0
// NodeRole: a Zigbee device type (Zigbee R22 1.4.1: coordinator, router, end device).
#pragma once

#include <cstdint>

namespace otalab::sim {

enum class NodeRole : std::uint8_t {
    Coordinator, // short address 0x0000, root of the tree, receiver always on
    Router,      // relays, holds indirect frames for its sleepy children, receiver always on
    EndDevice,   // sleepy end device (ZED): macRxOnWhenIdle = FALSE, polls its parent
};

const char* toString(NodeRole role);

} // namespace otalab::sim
