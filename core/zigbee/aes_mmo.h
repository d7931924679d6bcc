// SPDX-License-Identifier: Apache-2.0
// Zigbee's block-cipher hash: AES-128 in Matyas-Meyer-Oseas mode (Zigbee spec B.6).
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <array>
#include <cstdint>

namespace otalab::core::zigbee {

using AesMmoDigest = std::array<std::uint8_t, 16>;

// How the padding stores the message length in bits.
enum class AesMmoLengthField {
    // Zigbee spec B.6: 16 bits (big-endian, last two bytes of the block) for messages
    // shorter than 2^16 bits (8192 bytes), otherwise 32 bits followed by 16 zero bits.
    Spec,
    // Not the spec: always the 16-bit form, holding the bit length modulo 2^16. Seen in
    // Develco's OTA files (their image integrity codes). Equal to Spec below 8192 bytes.
    Truncated16,
};

// Hash_0 = 0^128; Hash_j = AES-128(key = Hash_{j-1}, M_j) XOR M_j over 16-byte blocks.
// Padding: one 0x80 byte, zeros, then the message length in bits as `lengthField` says.
// Messages of 2^32 bits (512 MiB) or more are not defined by the specification and fail.
Result<AesMmoDigest> aesMmoHash(QByteArrayView message, AesMmoLengthField lengthField = AesMmoLengthField::Spec);

QByteArray toByteArray(const AesMmoDigest& digest);
QString toHex(const AesMmoDigest& digest);

} // namespace otalab::core::zigbee
