// SPDX-License-Identifier: Apache-2.0
// The 8-byte SMP (mcumgr Simple Management Protocol) header, big-endian on the wire:
//   byte 0  bits 4..3 version (0 = v1, 1 = v2), bits 2..0 op
//   byte 1  flags (0)
//   bytes 2-3  payload length (CBOR bytes after the header)
//   bytes 4-5  group id
//   byte 6  sequence number (the response echoes the request's)
//   byte 7  command id
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <cstdint>

namespace otalab::core::smp {

inline constexpr int kHeaderSize = 8;
inline constexpr int kMaxPacketSize = kHeaderSize + 0xffff;

enum class Op : std::uint8_t { Read = 0, ReadResponse = 1, Write = 2, WriteResponse = 3 };
enum class ProtocolVersion : std::uint8_t { V1 = 0, V2 = 1 };

struct Header {
    ProtocolVersion version = ProtocolVersion::V2;
    Op op = Op::Read;
    std::uint8_t flags = 0;
    std::uint16_t length = 0;   // CBOR payload bytes
    std::uint16_t group = 0;
    std::uint8_t sequence = 0;
    std::uint8_t command = 0;

    bool isResponse() const { return op == Op::ReadResponse || op == Op::WriteResponse; }
    friend bool operator==(const Header&, const Header&) = default;
};

// Exactly 8 bytes.
QByteArray encodeHeader(const Header& header);
// Reads the first 8 bytes of `bytes`. Errors: fewer than 8 bytes, op > 3, version > 1
// (reserved bits set), each with the offset of the bad field.
Result<Header> decodeHeader(QByteArrayView bytes);

QString opName(Op op);   // "read", "read response", "write", "write response"

} // namespace otalab::core::smp
