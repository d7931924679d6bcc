// SPDX-License-Identifier: Apache-2.0
// Zigbee's block-cipher hash: AES-128 in Matyas-Meyer-Oseas mode (Zigbee spec B.6).
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <array>
#include <cstdint>

namespace otalab::core::zigbee {

using AesMmoDigest = std::array<std::uint8_t, 16>;

// Hash_0 = 0^128; Hash_j = AES-128(key = Hash_{j-1}, M_j) XOR M_j over 16-byte blocks.
// Padding: one 0x80 byte, zeros, then the message length in bits — as 16 bits
// (big-endian, last two bytes of the block) for messages shorter than 2^16 bits (8192
// bytes), otherwise as 32 bits followed by 16 zero bits. Messages of 2^32 bits (512 MiB)
// or more are not defined by the specification and fail.
Result<AesMmoDigest> aesMmoHash(QByteArrayView message);

QByteArray toByteArray(const AesMmoDigest& digest);
QString toHex(const AesMmoDigest& digest);

} // namespace otalab::core::zigbee
