// SPDX-License-Identifier: Apache-2.0
// NwkHeader: the unsecured Zigbee NWK frame header (Zigbee R22 3.3.1) — encode and bounds-checked decode.
#pragma once

#include "core/common/error.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace otalab::sim {

// Zigbee R22 3.3.1.1 / Table 3-46: NWK frame types this model produces.
enum class NwkFrameType : std::uint8_t {
    Data = 0,
    Command = 1,
};

// Zigbee R22 3.3.1.1.3: discover-route sub-field (0 suppress, 1 enable).
enum class NwkDiscoverRoute : std::uint8_t {
    Suppress = 0,
    Enable = 1,
};

// Zigbee R22 3.6.5 / Table 3-69: broadcast destination addresses.
inline constexpr std::uint16_t kNwkBroadcastAll = 0xFFFF;        // every device
inline constexpr std::uint16_t kNwkBroadcastRxOnWhenIdle = 0xFFFD; // not sleepy ZEDs
inline constexpr std::uint16_t kNwkBroadcastRouters = 0xFFFC;     // coordinator + routers
// 0xFFF8..0xFFFF are reserved for broadcasts; none is a valid unicast address.
inline constexpr bool isNwkBroadcast(std::uint16_t address) { return address >= 0xFFF8; }

// The 8-octet NWK header without optional fields, little-endian on the wire:
//   frame control (2) | destination short (2) | source short (2) | radius (1) | sequence (1)
// Frame control (3.3.1.1, Figure 3-6): bits 0-1 frame type, 2-5 protocol version
// (2 = Zigbee 2007/PRO, the value Wireshark's packet-zbee-nwk.c heuristic accepts with
// 1), 6-7 discover route, 8 multicast, 9 security, 10 source route, 11 destination
// IEEE, 12 source IEEE, 13 end-device initiator. This model writes multicast,
// source route and the IEEE flags as 0 and refuses frames that set them (those fields
// are not modelled). The security flag is `security`: set on frames of a network with
// NwkSecuritySettings::Mode::Real, where the auxiliary security header follows the
// header (sim/zigbee/nwksecurity.h); otherwise NWK security is airtime only (FrameBudget).
struct NwkHeader {
    static constexpr std::size_t kBytes = 8;
    static constexpr std::uint8_t kProtocolVersion = 2;
    static constexpr std::size_t kRadiusOffset = 6; // radius octet inside the header

    NwkFrameType frameType = NwkFrameType::Data;
    NwkDiscoverRoute discoverRoute = NwkDiscoverRoute::Suppress;
    std::uint16_t dst = 0;
    std::uint16_t src = 0;
    std::uint8_t radius = 30;  // hops left; decremented by every relay (3.6.2)
    std::uint8_t sequence = 0; // per-originator counter; (src, sequence) identifies a broadcast
    bool security = false;     // FCF bit 9: an auxiliary security header follows (Real security)

    // Writes the 8 header octets to `out` (at least kBytes long); returns kBytes, or 0
    // if `out` is too short.
    std::size_t encode(std::span<std::uint8_t> out) const;

    // Parses the header at the start of `frame`. `payloadOffset` (optional) receives
    // where the NWK payload starts. Errors (field "nwk.*", offset within `frame`): fewer
    // than 8 octets, protocol version other than 2, a reserved frame type, or a flag
    // for an unmodelled optional field (multicast, source route, IEEE).
    static Result<NwkHeader> decode(std::span<const std::uint8_t> frame);
};

} // namespace otalab::sim
