// SPDX-License-Identifier: Apache-2.0
// ZigbeeFrame: builds and parses a whole NWK data frame (NWK header | APS header | payload | security padding).
#pragma once

#include "core/common/error.h"
#include "sim/zigbee/apsheader.h"
#include "sim/zigbee/framebudget.h"
#include "sim/zigbee/nwkframebuffer.h"
#include "sim/zigbee/nwkheader.h"

#include <cstdint>
#include <span>

namespace otalab::sim {

// A parsed NWK data frame. `payload` views the caller's bytes (APS payload only,
// security padding removed).
struct ZigbeeDataFrame {
    NwkHeader nwk;
    ApsHeader aps;
    std::span<const std::uint8_t> payload;
};

// The MAC payload of a Zigbee data frame as this model puts it on the air:
//   NwkHeader (8) | ApsHeader (8) | APS payload | budget.securityBytes() zero octets
struct ZigbeeFrame {
    // Writes the frame into `out`. Errors: the payload does not fit the budget
    // (field "aps.payload", see FrameBudget::check).
    static Result<void> encode(const NwkHeader& nwk, const ApsHeader& aps, std::span<const std::uint8_t> payload,
                               const FrameBudget& budget, NwkFrameBuffer& out);

    // Parses a MAC payload. Errors: anything NwkHeader/ApsHeader::decode refuses, a
    // NWK command frame (not carried by this model), or a frame shorter than the
    // headers plus the budget's security padding (field "nwk.securityPadding").
    static Result<ZigbeeDataFrame> decode(std::span<const std::uint8_t> frame, const FrameBudget& budget);
};

} // namespace otalab::sim
