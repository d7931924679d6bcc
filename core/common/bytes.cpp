// SPDX-License-Identifier: Apache-2.0
#include "core/common/bytes.h"

namespace otalab {

Result<std::uint64_t> ByteReader::readInt(int width, const QString& field)
{
    if (remaining() < width)
        return fail(Error::at(absolutePos(), field,
                              QStringLiteral("needs %1 bytes, only %2 remain").arg(width).arg(std::max<qint64>(remaining(), 0))));
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
        const auto b = static_cast<std::uint8_t>(m_data[m_pos + i]);
        if (m_endian == Endian::Little)
            v |= std::uint64_t(b) << (8 * i);
        else
            v = (v << 8) | b;
    }
    m_pos += width;
    return v;
}

Result<std::uint8_t> ByteReader::u8(const QString& field)
{
    auto v = readInt(1, field);
    if (!v)
        return fail(v.error());
    return std::uint8_t(*v);
}
Result<std::uint16_t> ByteReader::u16(const QString& field)
{
    auto v = readInt(2, field);
    if (!v)
        return fail(v.error());
    return std::uint16_t(*v);
}
Result<std::uint32_t> ByteReader::u32(const QString& field)
{
    auto v = readInt(4, field);
    if (!v)
        return fail(v.error());
    return std::uint32_t(*v);
}
Result<std::uint64_t> ByteReader::u64(const QString& field) { return readInt(8, field); }

Result<QByteArrayView> ByteReader::bytes(qint64 count, const QString& field)
{
    if (count < 0 || remaining() < count)
        return fail(Error::at(absolutePos(), field,
                              QStringLiteral("needs %1 bytes, only %2 remain").arg(count).arg(std::max<qint64>(remaining(), 0))));
    auto view = m_data.sliced(m_pos, count);
    m_pos += count;
    return view;
}

ByteWriter& ByteWriter::putInt(std::uint64_t v, int width)
{
    const qint64 at = m_out.size();
    m_out.resize(at + width);
    putIntAt(m_out, at, v, width, m_endian);
    return *this;
}

void putIntAt(QByteArray& out, qint64 at, std::uint64_t v, int width, Endian endian)
{
    for (int i = 0; i < width; ++i) {
        const int shift = endian == Endian::Little ? 8 * i : 8 * (width - 1 - i);
        out[at + i] = char((v >> shift) & 0xff);
    }
}

QString hex(std::uint64_t value, int digits)
{
    return QStringLiteral("0x%1").arg(value, digits, 16, QLatin1Char('0'));
}

} // namespace otalab
