// SPDX-License-Identifier: Apache-2.0
// How large one SMP request may be on a link or on a board, and what raises the limit:
// a request that does not fit is refused before it is sent, with words that name the
// limit, instead of being dropped on the way and waited for through every retry.
#pragma once

#include "core/common/error.h"

#include <QString>
#include <cstdint>
#include <optional>

namespace otalab::core::smp {

struct PacketLimit {
    int maxBytes = 0;   // whole SMP packet (8-byte header + CBOR payload); <= 0 = no limit
    // The limit in words, with its number and what raises it: "one UDP datagram carries at
    // most 1472 bytes here: raise it with mtu= …". Completes "the os echo request is N bytes but …".
    QString text;

    bool isSet() const { return maxBytes > 0; }
};

// The tighter of two limits (an unset one loses); on a tie, `current` stays.
PacketLimit tighterLimit(const PacketLimit& current, const PacketLimit& other);

// Bytes of the board's SMP buffer not available to the packet: Zephyr's serial transport
// decodes the frame length and CRC-16 into the same net_buf (serial_util.c). Counted on
// every link, so one rule serves all of them.
inline constexpr int kBoardBufferReserve = 4;
// The board's buffers from its MCUmgr parameters ("buf_size" =
// CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE): packets up to bufSize - kBoardBufferReserve.
PacketLimit boardBufferLimit(std::uint32_t bufSize);

// Requests up to this many bytes are sent without asking the board for its buffer size
// first: every fixed-size request (image test with its 32-byte hash is the largest) fits,
// and so does any Zephyr board's default buffer (384 bytes; 2048 with UDP).
inline constexpr int kRequestBytesAlwaysSent = 128;

// The refusal of a `bytes`-long request named `what` ("os echo"); nullopt when it fits.
std::optional<Error> oversizedRequest(const QString& what, qsizetype bytes, const PacketLimit& limit);

} // namespace otalab::core::smp
