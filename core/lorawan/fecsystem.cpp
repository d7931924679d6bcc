// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fecsystem.h"

#include <algorithm>
#include <cassert>

namespace otalab::core::lorawan {

FecSystem::FecSystem(std::uint32_t fragmentCount, std::uint32_t maxLosses)
    : m_fragmentCount(fragmentCount), m_maxLosses(maxLosses), m_seen((fragmentCount + 63) / 64, 0)
{
    assert(fragmentCount >= 1 && fragmentCount <= kMaxFragmentCounter);
}

bool FecSystem::start()
{
    const std::uint32_t l = m_fragmentCount - m_direct;
    if (l > m_maxLosses)
        return false;
    m_started = true;
    m_lossCount = l;
    m_words = (l + 63) / 64;
    m_columns.reserve(l);
    for (std::uint32_t w = 0; w < m_seen.size(); ++w) {
        std::uint64_t unseen = ~m_seen[w];
        if (w == m_seen.size() - 1 && (m_fragmentCount & 63))
            unseen &= (std::uint64_t{1} << (m_fragmentCount & 63)) - 1;
        for (; unseen; unseen &= unseen - 1)
            m_columns.push_back(static_cast<std::uint16_t>(w * 64 + std::countr_zero(unseen)));
    }
    m_pivots.assign(m_words, 0);
    return true;
}

int FecSystem::columnOf(std::uint32_t fragment) const
{
    const auto it = std::lower_bound(m_columns.begin(), m_columns.end(), fragment);
    if (it == m_columns.end() || *it != fragment)
        return -1;
    return static_cast<int>(it - m_columns.begin());
}

void FecSystem::xorStoredRow(std::uint64_t* row, std::uint32_t c) const
{
    // Stored bit (k + s) is bit k of the row, for k in [c, l).
    const std::size_t s = rowOffset(c) - c;
    const std::size_t base = s >> 6;
    const unsigned shift = s & 63;
    const std::uint32_t first = c >> 6;
    const std::uint64_t* tri = m_triangle.data();
    for (std::uint32_t w = first; w < m_words; ++w) {
        const std::size_t t = w + base;
        std::uint64_t v = shift ? (tri[t] >> shift) | (tri[t + 1] << (64 - shift)) : tri[t];
        if (w == first)
            v &= ~std::uint64_t{0} << (c & 63);
        if (w == m_words - 1 && (m_lossCount & 63))
            v &= (std::uint64_t{1} << (m_lossCount & 63)) - 1;
        row[w] ^= v;
    }
}

void FecSystem::extractRow(std::uint64_t* row, std::uint32_t c) const
{
    std::fill_n(row, m_words, 0);
    xorStoredRow(row, c);
}

void FecSystem::storeRow(const std::uint64_t* row, std::uint32_t c)
{
    const std::size_t need = wordsNeeded(c);
    if (m_triangle.size() < need) {
        const std::size_t full = wordsNeeded(m_lossCount - 1);
        if (m_triangle.capacity() < need)
            m_triangle.reserve(std::min(full, std::max(need, 2 * m_triangle.capacity())));
        m_triangle.resize(need, 0);
    }
    const std::size_t s = rowOffset(c) - c;
    // The row has no bits below c (c is its leading one) nor at or above l.
    for (std::uint32_t w = c >> 6; w < m_words; ++w) {
        const std::uint64_t v = row[w];
        if (!v)
            continue;
        const std::size_t t = std::size_t{w} * 64 + s;
        const unsigned shift = t & 63;
        m_triangle[t >> 6] |= v << shift;
        if (shift)
            m_triangle[(t >> 6) + 1] |= v >> (64 - shift);
    }
    m_pivots[c >> 6] |= std::uint64_t{1} << (c & 63);
    ++m_rank;
}

void FecSystem::releaseElimination()
{
    std::vector<std::uint16_t>().swap(m_columns);
    std::vector<std::uint64_t>().swap(m_pivots);
    std::vector<std::uint64_t>().swap(m_triangle);
}

std::size_t FecSystem::memoryBytes() const
{
    return m_seen.capacity() * sizeof(std::uint64_t) + m_columns.capacity() * sizeof(std::uint16_t)
        + m_pivots.capacity() * sizeof(std::uint64_t) + m_triangle.capacity() * sizeof(std::uint64_t);
}

} // namespace otalab::core::lorawan
