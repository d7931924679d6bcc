// SPDX-License-Identifier: Apache-2.0
// NwkSourceRoute: the NWK header's source route subframe (Zigbee R22 3.3.1.9) — insert, parse, strip.
#pragma once

#include "core/common/error.h"
#include "sim/zigbee/nwkframebuffer.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace otalab::sim {

// Source route subframe, present when NWK frame control bit 10 (source route, 3.3.1.1.8)
// is set; it follows the 8-octet header (this model sets no IEEE/multicast fields):
//   relay count (1) | relay index (1) | relay list (2 × count)
// relays[0] is the relay nearest to the destination; the originator sets the index to
// count − 1 and sends to relays[count − 1]; each relay whose address is relays[index]
// decrements the index and forwards to relays[index − 1], the relay at index 0 to the
// destination itself (3.6.3.3.2). Wireshark: packet-zbee-nwk.c "Source Route" subtree.
struct NwkSourceRoute {
    static constexpr std::size_t kMaxRelays = 30; // the radius (2 × nwkMaxDepth)
    static constexpr std::uint16_t kFrameControlBit = 0x0400;
    static constexpr std::size_t kHeaderBytes = 8; // NwkHeader::kBytes: the subframe's offset

    std::uint8_t relayCount = 0;
    std::uint8_t relayIndex = 0;
    std::array<std::uint16_t, kMaxRelays> relays{};

    std::size_t bytes() const { return 2 + 2 * std::size_t{relayCount}; }
    // Whether `frame` (a NWK frame) has the source-route bit.
    static bool present(std::span<const std::uint8_t> frame);
    // Inserts this subframe after the NWK header of `frame` and sets the bit; false
    // (frame unchanged) when it would not fit the buffer or `maxLength`.
    bool insertInto(NwkFrameBuffer& frame, std::size_t maxLength) const;
    // Parses the subframe of a frame with the bit set. Errors ("nwk.sourceRoute"):
    // truncated, a count above kMaxRelays, an index not below the count.
    static Result<NwkSourceRoute> parse(std::span<const std::uint8_t> frame);
    // Copies `frame` without the subframe and with the bit clear (what the destination
    // hands to the data-frame decoder).
    static bool strip(std::span<const std::uint8_t> frame, NwkFrameBuffer& out);
    // Writes relayIndex into a frame that carries the subframe (relays update it in place).
    static void setRelayIndex(NwkFrameBuffer& frame, std::uint8_t index) { frame.bytes[kHeaderBytes + 1] = index; }
};

} // namespace otalab::sim
