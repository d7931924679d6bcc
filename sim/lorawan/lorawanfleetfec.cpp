// SPDX-License-Identifier: Apache-2.0
// TS004 parity lines (Semtech's PRBS23 matrix) and incremental GF(2) rank over missing columns.
#include "sim/lorawan/lorawanfleetfec.h"

#include <bit>

namespace otalab::sim {

namespace {

std::uint32_t prbs23(std::uint32_t x)
{
    // An addition, as in Semtech's FragPrbs23 (PROTOCOLS.md).
    return (x >> 1) + (((x ^ (x >> 5)) & 1u) << 22);
}

} // namespace

LorawanParityLine lorawanParityLine(int n, int fragments, int fecVersion)
{
    LorawanParityLine line;
    line.bits.assign(std::size_t((fragments + 63) / 64), 0);
    if (fragments <= 0)
        return line;
    const std::uint32_t m = std::has_single_bit(std::uint32_t(fragments)) ? 1u : 0u;
    std::uint32_t x = 1u + 1001u * std::uint32_t(n);
    const int wanted = fragments / 2;
    int count = 0;
    while (count < wanted) {
        std::uint32_t r = 0;
        do {
            x = prbs23(x);
            r = x % (std::uint32_t(fragments) + m);
        } while (r >= std::uint32_t(fragments));
        const bool already = line.test(int(r));
        line.bits[r >> 6] |= std::uint64_t(1) << (r & 63);
        if (fecVersion == 1 || !already)
            ++count;
    }
    return line;
}

LorawanFecTracker::LorawanFecTracker(int fragments)
    : m_fragments(fragments)
    , m_bitmap(std::size_t((fragments + 63) / 64), 0)
{
}

bool LorawanFecTracker::addUncoded(int index)
{
    if (m_parityStarted || index < 0 || index >= m_fragments || holds(index))
        return complete();
    m_bitmap[std::size_t(index) >> 6] |= std::uint64_t(1) << (index & 63);
    ++m_have;
    return complete();
}

void LorawanFecTracker::freezeMissing()
{
    m_parityStarted = true;
    m_missing.reserve(std::size_t(m_fragments - m_have));
    for (int i = 0; i < m_fragments; ++i)
        if (!holds(i))
            m_missing.push_back(std::uint32_t(i));
}

bool LorawanFecTracker::addParity(const LorawanParityLine& line)
{
    if (!m_parityStarted)
        freezeMissing();
    if (complete())
        return true;
    const int l = int(m_missing.size());
    const int w = words();
    std::vector<std::uint64_t> v(std::size_t(w), 0);
    bool any = false;
    for (int c = 0; c < l; ++c)
        if (line.test(int(m_missing[std::size_t(c)]))) {
            v[std::size_t(c) >> 6] |= std::uint64_t(1) << (c & 63);
            any = true;
        }
    if (!any)
        return complete();
    if (m_pivotRow.empty())
        m_pivotRow.assign(std::size_t(l), -1);
    for (int word = 0; word < w; ++word) {
        while (v[std::size_t(word)] != 0) {
            const int p = word * 64 + std::countr_zero(v[std::size_t(word)]);
            const std::int32_t r = m_pivotRow[std::size_t(p)];
            if (r < 0) {
                m_pivotRow[std::size_t(p)] = std::int32_t(m_rows.size() / std::size_t(w));
                m_rows.insert(m_rows.end(), v.begin(), v.end());
                ++m_rank;
                return complete();
            }
            const std::uint64_t* row = m_rows.data() + std::size_t(r) * std::size_t(w);
            for (int k = word; k < w; ++k)
                v[std::size_t(k)] ^= row[k];
        }
    }
    return complete();
}

std::size_t LorawanFecTracker::memoryBytes() const
{
    return m_bitmap.size() * 8 + m_missing.size() * 4 + m_rows.capacity() * 8 + m_pivotRow.size() * 4;
}

} // namespace otalab::sim
