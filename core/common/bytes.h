// SPDX-License-Identifier: Apache-2.0
// Bounds-checked readers and appending writers for little- and big-endian wire data.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <span>

namespace otalab {

enum class Endian { Little, Big };

// Reads integers from a byte view. Every read names the field it reads so a short
// input yields "field at offset N: needs K bytes, only M remain". The view must
// outlive the reader. Offsets are relative to the start of the view plus `base`
// (so errors can report positions in the enclosing file).
class ByteReader {
public:
    ByteReader(QByteArrayView data, Endian endian, qint64 base = 0)
        : m_data(data), m_endian(endian), m_base(base) {}

    qint64 pos() const { return m_pos; }                 // position within the view
    qint64 absolutePos() const { return m_base + m_pos; } // position in the enclosing file
    qint64 remaining() const { return m_data.size() - m_pos; }
    bool atEnd() const { return m_pos >= m_data.size(); }
    void seek(qint64 pos) { m_pos = pos; }

    Result<std::uint8_t> u8(const QString& field);
    Result<std::uint16_t> u16(const QString& field);
    Result<std::uint32_t> u32(const QString& field);
    Result<std::uint64_t> u64(const QString& field);
    Result<QByteArrayView> bytes(qint64 count, const QString& field);

private:
    Result<std::uint64_t> readInt(int width, const QString& field);

    QByteArrayView m_data;
    Endian m_endian;
    qint64 m_base;
    qint64 m_pos = 0;
};

// Appends integers to a QByteArray in the chosen byte order.
class ByteWriter {
public:
    explicit ByteWriter(Endian endian) : m_endian(endian) {}

    ByteWriter& u8(std::uint8_t v) { return putInt(v, 1); }
    ByteWriter& u16(std::uint16_t v) { return putInt(v, 2); }
    ByteWriter& u32(std::uint32_t v) { return putInt(v, 4); }
    ByteWriter& u64(std::uint64_t v) { return putInt(v, 8); }
    ByteWriter& bytes(QByteArrayView v) { m_out.append(v.data(), v.size()); return *this; }
    ByteWriter& zeros(qint64 count) { m_out.append(count, '\0'); return *this; }

    qint64 size() const { return m_out.size(); }
    QByteArray& data() { return m_out; }
    QByteArray take() { return std::move(m_out); }

private:
    ByteWriter& putInt(std::uint64_t v, int width);

    QByteArray m_out;
    Endian m_endian;
};

// Writes v into out[at..at+width) in the given order; out must be large enough.
void putIntAt(QByteArray& out, qint64 at, std::uint64_t v, int width, Endian endian);

// "0x" followed by lower-case hex of width digits.
QString hex(std::uint64_t value, int digits);

} // namespace otalab
