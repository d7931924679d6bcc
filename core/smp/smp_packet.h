// SPDX-License-Identifier: Apache-2.0
// A whole SMP packet: header + CBOR map payload (through QCborValue).
#pragma once

#include "core/smp/smp_header.h"

#include <QCborMap>

namespace otalab::core::smp {

struct Packet {
    Header header;       // header.length is the payload's encoded size
    QCborMap payload;
};

// Header with length set from the encoded payload. Payloads above 65535 bytes are a
// programming error (asserted); callers size chunks with uploadChunkCapacity().
QByteArray encodePacket(Header header, const QCborMap& payload);

// Exactly one packet: bytes.size() must equal 8 + header.length. The payload must be one
// CBOR map (definite or indefinite length — Zephyr answers `bf … ff`) with nothing after it.
// Errors name the offset: truncated packet, trailing bytes, CBOR error, not a map.
Result<Packet> decodePacket(QByteArrayView bytes);

// Total packet size announced by a header at the start of `bytes` (8 + length), or
// nullopt when fewer than 8 bytes are present. Used by stream reassemblers.
std::optional<int> announcedPacketSize(QByteArrayView bytes);

// Debug/exchange-log text for a packet: "v2 write image upload seq 7 {off: 0, data: <512 bytes>, ...}".
QString describePacket(const Packet& packet);

} // namespace otalab::core::smp
