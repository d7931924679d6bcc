// SPDX-License-Identifier: Apache-2.0
// ZigbeeFrame: builds and parses a whole unsecured NWK data frame (NWK header | APS header | payload).
#pragma once

#include "core/common/error.h"
#include "sim/zigbee/apsheader.h"
#include "sim/zigbee/framebudget.h"
#include "sim/zigbee/nwkframebuffer.h"
#include "sim/zigbee/nwkheader.h"
#include "sim/zigbee/nwksecurity.h"

#include <cstdint>
#include <optional>
#include <span>

namespace otalab::sim {

// A parsed NWK data frame. `payload` views the caller's bytes: everything after the
// APS header (and APS auxiliary header), before any MIC.
struct ZigbeeDataFrame {
    NwkHeader nwk;
    ApsHeader aps;
    std::span<const std::uint8_t> payload;
    std::optional<ZigbeeAuxHeader> nwkSecurity; // Real NWK security: the NWK aux header
    std::optional<ZigbeeAuxHeader> apsSecurity; // APS link-key security: the APS aux header
};

// What a sender fills into the security headers of a Real-security frame
// (NwkSecuritySettings::Mode::Real; sim/zigbee/nwksecurity.h).
struct ZigbeeFrameSecurity {
    std::uint64_t source = 0;        // the transmitting node's EUI-64 (NWK aux, hop by hop)
    std::uint32_t nwkFrameCounter = 0;
    std::uint8_t keySequence = 0;    // active network key sequence number
    bool apsSecured = false;         // add APS link-key security (APS aux + MIC)
    std::uint32_t apsFrameCounter = 0;
};

// The MAC payload of a Zigbee data frame as this model carries it — a real unsecured
// frame (NWK security flag clear, nothing after the APS payload):
//   NwkHeader (8) | ApsHeader (8) | APS payload
// The budget's security octets are not in the bytes: the sender charges them as
// airtime only (Mac::send airOnlyOctets = budget.securityBytes()).
struct ZigbeeFrame {
    // Writes the frame into `out`. Errors: the payload plus the budget's overheads do
    // not fit one PSDU (field "aps.payload", see FrameBudget::check).
    // With `security` (Real mode) the frame is the carried secured layout instead:
    //   NWK header (security bit) | NWK aux 14 | APS header [| APS aux 13] | payload
    //   [| APS MIC 4 zero] | NWK MIC 4 zero
    // (the budget's APS octets count only when security->apsSecured).
    static Result<void> encode(const NwkHeader& nwk, const ApsHeader& aps, std::span<const std::uint8_t> payload,
                               const FrameBudget& budget, NwkFrameBuffer& out,
                               const ZigbeeFrameSecurity* security = nullptr);

    // Parses a MAC payload, unsecured or in the carried secured layout (no cryptography:
    // the plaintext is carried). Errors: anything NwkHeader/ApsHeader::decode refuses, a
    // malformed auxiliary header, or a NWK command frame (not carried by this model).
    static Result<ZigbeeDataFrame> decode(std::span<const std::uint8_t> frame);

    // A relay re-secures a NWK-secured frame with its own frame counter and EUI-64 (NWK
    // security is hop by hop, Zigbee R22 4.3.1.1). False (nothing changed) when the
    // frame is not NWK-secured.
    static bool restamp(NwkFrameBuffer& frame, std::uint64_t source, std::uint32_t nwkFrameCounter);
};

} // namespace otalab::sim
