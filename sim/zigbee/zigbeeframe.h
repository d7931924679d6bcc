// SPDX-License-Identifier: Apache-2.0
// ZigbeeFrame: builds and parses a whole unsecured NWK data frame (NWK header | APS header | payload).
#pragma once

#include "core/common/error.h"
#include "sim/zigbee/apsheader.h"
#include "sim/zigbee/framebudget.h"
#include "sim/zigbee/nwkframebuffer.h"
#include "sim/zigbee/nwkheader.h"

#include <cstdint>
#include <span>

namespace otalab::sim {

// A parsed NWK data frame. `payload` views the caller's bytes: everything after the
// APS header.
struct ZigbeeDataFrame {
    NwkHeader nwk;
    ApsHeader aps;
    std::span<const std::uint8_t> payload;
};

// The MAC payload of a Zigbee data frame as this model carries it — a real unsecured
// frame (NWK security flag clear, nothing after the APS payload):
//   NwkHeader (8) | ApsHeader (8) | APS payload
// The budget's security octets are not in the bytes: the sender charges them as
// airtime only (Mac::send airOnlyOctets = budget.securityBytes()).
struct ZigbeeFrame {
    // Writes the frame into `out`. Errors: the payload plus the budget's overheads do
    // not fit one PSDU (field "aps.payload", see FrameBudget::check).
    static Result<void> encode(const NwkHeader& nwk, const ApsHeader& aps, std::span<const std::uint8_t> payload,
                               const FrameBudget& budget, NwkFrameBuffer& out);

    // Parses a MAC payload. Errors: anything NwkHeader/ApsHeader::decode refuses (a
    // secured NWK or APS frame included), or a NWK command frame (not carried by this
    // model).
    static Result<ZigbeeDataFrame> decode(std::span<const std::uint8_t> frame);
};

} // namespace otalab::sim
