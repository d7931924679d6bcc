// SPDX-License-Identifier: Apache-2.0
// NwkFrameBuffer: a fixed-capacity MAC payload (one NWK frame) stored without allocation.
#pragma once

#include "sim/radio/macframe.h"

#include <array>
#include <cstdint>
#include <span>

namespace otalab::sim {

// Holds one NWK frame (NWK header through APS payload), at most
// MacFrame::kMaxPayloadBytes (116) octets — the most one MPDU can carry. Used for held
// (indirect) frames and delayed broadcast relays so that queuing allocates nothing.
struct NwkFrameBuffer {
    std::array<std::uint8_t, MacFrame::kMaxPayloadBytes> bytes{};
    std::uint8_t length = 0;

    std::span<const std::uint8_t> view() const { return {bytes.data(), length}; }
    // Copies `frame`; false (buffer unchanged) when it exceeds the capacity.
    bool assign(std::span<const std::uint8_t> frame);
};

} // namespace otalab::sim
