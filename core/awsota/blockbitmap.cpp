// SPDX-License-Identifier: Apache-2.0
#include "core/awsota/blockbitmap.h"

#include "core/awsota/streammessages.h"

#include <algorithm>
#include <bit>

namespace otalab::core::awsota {

BlockBitmap::BlockBitmap(std::uint32_t blockCount)
    : m_blockCount(blockCount), m_bits(qsizetype((std::uint64_t(blockCount) + 7) / 8), char(0xFF))
{
    // As getFileContextFromJob: every byte erased (0xFF), then the out-of-range bits of
    // the last byte cleared from bit 7 downwards.
    const std::uint32_t outOfRange = std::uint32_t(m_bits.size()) * 8 - blockCount;
    if (outOfRange > 0)
        m_bits[m_bits.size() - 1] = char(0xFFu >> outOfRange);
    m_missing = blockCount;
}

std::uint32_t BlockBitmap::blocksForFile(std::uint32_t fileSize, std::uint32_t blockSize)
{
    if (blockSize == 0)
        return 0;
    return std::uint32_t((std::uint64_t(fileSize) + blockSize - 1) / blockSize);
}

void BlockBitmap::setWanted(std::uint32_t block)
{
    if (block >= m_blockCount || isWanted(block))
        return;
    m_bits[qsizetype(block / 8)] = char(quint8(m_bits[qsizetype(block / 8)]) | (1u << (block % 8)));
    ++m_missing;
}

void BlockBitmap::markReceived(std::uint32_t block)
{
    if (!isWanted(block))
        return;
    m_bits[qsizetype(block / 8)] = char(quint8(m_bits[qsizetype(block / 8)]) & ~(1u << (block % 8)));
    --m_missing;
}

bool BlockBitmap::isWanted(std::uint32_t block) const
{
    return block < m_blockCount && (quint8(m_bits[qsizetype(block / 8)]) >> (block % 8)) & 1u;
}

std::optional<std::uint32_t> BlockBitmap::firstMissing() const
{
    for (qsizetype i = 0; i < m_bits.size(); ++i)
        if (const quint8 b = quint8(m_bits[i]))
            return std::uint32_t(i) * 8 + std::uint32_t(std::countr_zero(b));
    return std::nullopt;
}

std::uint32_t BlockBitmap::countMissing() const
{
    std::uint32_t n = 0;
    for (const char c : m_bits)
        n += std::uint32_t(std::popcount(quint8(c)));
    return n;
}

bool BlockBitmap::fitsOneRequest() const
{
    return m_blockCount > 0 && std::size_t(m_bits.size()) <= kMaxBitmapBytes;
}

BlockBitmap::Window BlockBitmap::windowFrom(std::uint32_t firstBlock, int maxBytes) const
{
    Window w;
    const std::uint32_t firstByte = firstBlock / 8;
    w.offset = firstByte * 8;
    if (firstByte >= std::uint32_t(m_bits.size()) || maxBytes <= 0)
        return w;
    w.bitmap = m_bits.mid(qsizetype(firstByte), std::min<qsizetype>(maxBytes, m_bits.size() - qsizetype(firstByte)));
    return w;
}

QByteArray BlockBitmap::serialise() const
{
    QByteArray out(4, Qt::Uninitialized);
    for (int i = 0; i < 4; ++i)
        out[i] = char((m_blockCount >> (8 * i)) & 0xFF);
    return out + m_bits;
}

Result<BlockBitmap> BlockBitmap::restore(const QByteArray& data)
{
    if (data.size() < 4)
        return fail(Error::at(0, QStringLiteral("blockCount"),
                              QStringLiteral("%1 bytes is too short (expected a 4-byte block count)").arg(data.size())));
    std::uint32_t count = 0;
    for (int i = 0; i < 4; ++i)
        count |= std::uint32_t(quint8(data[i])) << (8 * i);
    const std::uint64_t expected = (std::uint64_t(count) + 7) / 8;
    if (std::uint64_t(data.size() - 4) != expected)
        return fail(Error::at(4, QStringLiteral("bitmap"),
                              QStringLiteral("%1 bitmap bytes for %2 blocks (expected %3)")
                                  .arg(data.size() - 4).arg(count).arg(expected)));
    BlockBitmap bitmap(count);
    const quint8 lastMask = quint8(count % 8 == 0 ? 0xFF : (0xFFu >> (8 - count % 8)));
    if (!bitmap.m_bits.isEmpty() && (quint8(data[data.size() - 1]) & ~lastMask))
        return fail(Error::at(data.size() - 1, QStringLiteral("bitmap"),
                              QStringLiteral("bits set past block %1 in the last byte").arg(count - 1)));
    bitmap.m_bits = data.mid(4);
    bitmap.m_missing = bitmap.countMissing();
    return bitmap;
}

} // namespace otalab::core::awsota
