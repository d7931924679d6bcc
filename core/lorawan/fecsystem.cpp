// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fecsystem.h"

#include <algorithm>
#include <cassert>

namespace otalab::core::lorawan {

FecSystem::FecSystem(std::uint32_t fragmentCount, std::uint32_t maxLosses)
    : m_fragmentCount(fragmentCount), m_maxLosses(maxLosses), m_seenWords((fragmentCount + 63) / 64)
{
    assert(fragmentCount >= 1 && fragmentCount <= kMaxFragmentCounter);
    m_block.assign(m_seenWords, 0);
}

bool FecSystem::start()
{
    const std::uint32_t l = m_fragmentCount - m_direct;
    if (l > m_maxLosses)
        return false;
    m_started = true;
    m_lossCount = l;
    m_words = (l + 63) / 64;
    m_triangleAt = m_seenWords + m_words + (l + 3) / 4;
    // A quarter of the full triangle right away; doubled as rows arrive (few reallocations).
    m_block.reserve(m_triangleAt + wordsNeeded(l - 1) / 4 + 1);
    m_block.resize(m_triangleAt, 0);
    std::uint32_t k = 0;
    std::uint64_t* packed = m_block.data() + m_seenWords + m_words;
    for (std::uint32_t w = 0; w < m_seenWords; ++w) {
        std::uint64_t unseen = ~m_block[w];
        if (w == m_seenWords - 1 && (m_fragmentCount & 63))
            unseen &= (std::uint64_t{1} << (m_fragmentCount & 63)) - 1;
        for (; unseen; unseen &= unseen - 1, ++k) {
            const std::uint64_t fragment = w * 64 + static_cast<std::uint32_t>(std::countr_zero(unseen));
            packed[k >> 2] |= fragment << ((k & 3) * 16);
        }
    }
    assert(k == l);
    return true;
}

int FecSystem::columnOf(std::uint32_t fragment) const
{
    if (!m_started || m_block.size() <= m_seenWords) // not started, or released
        return -1;
    std::uint32_t lo = 0, hi = m_lossCount; // columns ascend: binary search
    while (lo < hi) {
        const std::uint32_t mid = (lo + hi) / 2;
        if (column(mid) < fragment)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m_lossCount && column(lo) == fragment ? static_cast<int>(lo) : -1;
}

void FecSystem::xorStoredRow(std::uint64_t* row, std::uint32_t c) const
{
    // Stored bit (k + s) is bit k of the row, for k in [c, l): word w of the row is
    // stored words (w + s/64, w + s/64 + 1) shifted right by s mod 64.
    const std::size_t s = rowOffset(c) - c;
    const unsigned shift = s & 63;
    const std::uint32_t first = c >> 6;
    const std::uint32_t last = m_words - 1;
    const std::uint64_t* src = m_block.data() + m_triangleAt + (s >> 6);
    const std::uint64_t firstMask = ~std::uint64_t{0} << (c & 63);
    const std::uint64_t lastMask = (m_lossCount & 63) ? (std::uint64_t{1} << (m_lossCount & 63)) - 1 : ~std::uint64_t{0};
    auto word = [&](std::uint32_t w) { return shift ? (src[w] >> shift) | (src[w + 1] << (64 - shift)) : src[w]; };
    if (first == last) {
        row[first] ^= word(first) & firstMask & lastMask;
        return;
    }
    row[first] ^= word(first) & firstMask;
    if (shift) {
        for (std::uint32_t w = first + 1; w < last; ++w)
            row[w] ^= (src[w] >> shift) | (src[w + 1] << (64 - shift));
    } else {
        for (std::uint32_t w = first + 1; w < last; ++w)
            row[w] ^= src[w];
    }
    row[last] ^= word(last) & lastMask;
}

void FecSystem::extractRow(std::uint64_t* row, std::uint32_t c) const
{
    std::fill_n(row, m_words, 0);
    xorStoredRow(row, c);
}

void FecSystem::storeRow(const std::uint64_t* row, std::uint32_t c)
{
    const std::size_t need = m_triangleAt + wordsNeeded(c);
    if (m_block.size() < need) {
        if (m_block.capacity() < need) {
            const std::size_t full = m_triangleAt + wordsNeeded(m_lossCount - 1);
            m_block.reserve(std::min(full, std::max(need, 2 * m_block.capacity())));
        }
        m_block.resize(need, 0);
    }
    std::uint64_t* tri = m_block.data() + m_triangleAt;
    const std::size_t s = rowOffset(c) - c;
    // The row has no bits below c (c is its leading one) nor at or above l.
    for (std::uint32_t w = c >> 6; w < m_words; ++w) {
        const std::uint64_t v = row[w];
        if (!v)
            continue;
        const std::size_t t = std::size_t{w} * 64 + s;
        const unsigned shift = t & 63;
        tri[t >> 6] |= v << shift;
        if (shift)
            tri[(t >> 6) + 1] |= v >> (64 - shift);
    }
    m_block[m_seenWords + (c >> 6)] |= std::uint64_t{1} << (c & 63);
    ++m_rank;
}

void FecSystem::releaseElimination()
{
    if (m_block.size() == m_seenWords)
        return;
    m_block.resize(m_seenWords);
    m_block.shrink_to_fit();
    m_triangleAt = 0;
}

std::size_t FecSystem::memoryBytes() const
{
    return m_block.capacity() * sizeof(std::uint64_t);
}

} // namespace otalab::core::lorawan
