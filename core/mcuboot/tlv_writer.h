// SPDX-License-Identifier: Apache-2.0
// Accumulates TLVs and emits one TLV area: u16 magic, u16 total length (info header
// included), then u16 type, u16 length, value per TLV; all little-endian. An area
// with no TLVs is empty (no info header), as in imgtool's TLV.get().
#pragma once

#include <QByteArray>
#include <cstdint>

namespace otalab::core::mcuboot {

class TlvWriter {
public:
    explicit TlvWriter(std::uint16_t magic) : m_magic(magic) {}

    void add(std::uint16_t type, const QByteArray& value);
    void addRaw(const QByteArray& tlvBytes) { m_body += tlvBytes; }  // already-encoded TLVs
    bool isEmpty() const { return m_body.isEmpty(); }
    QByteArray bytes() const;

private:
    std::uint16_t m_magic;
    QByteArray m_body;
};

} // namespace otalab::core::mcuboot
