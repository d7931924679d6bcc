// SPDX-License-Identifier: Apache-2.0
// The GF(2) elimination shared by FragDecoder (bytes) and FecRankTracker (symbolic):
// one core, two users, so the byte decoder and the simulator cannot disagree about
// when an image is complete.
//
// Layout (TS004 annex, Semtech FragDecoder.c): the l fragments still missing when the
// first parity frame arrives are the columns of the system, in ascending fragment
// order (2 bytes each). A parity frame is projected onto those columns (its known
// fragments drop out), reduced against the stored rows and, if anything is left,
// stored as the row whose leading one is column c. Row c keeps only its bits c..l-1,
// bit-packed back to back — l(l+1)/2 bits for a full triangle, the spec's
// l(l+1)/16 bytes — grown as rows arrive, never a dense M x M matrix. Complete when the
// rank reaches l; the triangle is then solved from the last row up.
#pragma once

#include "core/lorawan/fec.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace otalab::core::lorawan {

class FecSystem {
public:
    // fragmentCount M in 1..16383; maxLosses: the most columns (missing fragments) the
    // elimination may hold — the device's l; a larger loss is refused, not allocated.
    explicit FecSystem(std::uint32_t fragmentCount, std::uint32_t maxLosses = kMaxFragmentCounter);

    enum class Outcome : std::uint8_t {
        Stored,          // uncoded fragment stored as itself (elimination not started)
        Pivot,           // the frame's reduced row became the row of `column`
        Redundant,       // the frame reduced to zero: no new information
        Duplicate,       // this uncoded fragment was already received: ignored
        AlreadyComplete, // every fragment is known: frame ignored
        TooManyLosses,   // more fragments missing than maxLosses: parity frame ignored
    };
    struct Step {
        Outcome outcome;
        int column = -1; // Pivot: the column k (fragment column(k))
    };

    // Uncoded fragment `fragment` (0-based, < M). Before the elimination starts it is
    // stored as itself; afterwards it enters the elimination as a unit row (a late
    // fragment, which Semtech's decoders drop). onXor(c) is called for each stored row
    // c XORed into the frame's row, in order.
    // `tainted` marks a frame whose contents are not to be trusted (a forged frame): if it
    // is stored — as itself or as a row — tainted() becomes true for good.
    template <class OnXor>
    Step addUncoded(std::uint32_t fragment, OnXor&& onXor, bool tainted = false);

    // A parity frame. If WithKnown, onKnown(j) is called first for each fragment j of
    // the line that is stored as itself (the byte decoder XORs it out of the payload);
    // then onXor(c) for each stored row c XORed in. line.fragmentCount must equal M.
    template <bool WithKnown, class OnKnown, class OnXor>
    Step addParity(const ParityLine& line, OnKnown&& onKnown, OnXor&& onXor, bool tainted = false);

    // A tainted frame was stored (as itself or as a row) and so feeds the solution.
    bool tainted() const { return m_tainted; }

    // After complete() with lossCount() > 0: for i = l-1 down to 0, for each j > i set
    // in row i, calls f(i, j) — "value of column i ^= solved value of column j".
    template <class F>
    void backSubstitute(F&& f) const;

    // Frees the triangle and column list once the caller has what it needs (a solved
    // image, or just "complete"). Counts stay valid.
    void releaseElimination();

    bool complete() const { return m_direct == m_fragmentCount || (m_started && m_rank == lossCount()); }
    bool started() const { return m_started; }
    std::uint32_t fragmentCount() const { return m_fragmentCount; }
    std::uint32_t maxLosses() const { return m_maxLosses; }
    std::uint32_t uncodedReceived() const { return m_uncodedSeen; } // distinct uncoded fragments
    std::uint32_t storedDirect() const { return m_direct; }          // ... of which stored as themselves
    std::uint32_t rank() const { return m_rank; }
    std::uint32_t lossCount() const { return m_lossCount; }          // l (0 before the elimination)
    // Fragments not yet known: neither received nor determined by the rows so far.
    std::uint32_t missingCount() const { return m_fragmentCount - m_direct - m_rank; }
    // Fragment index of column k (k < lossCount(); valid until releaseElimination()).
    std::uint32_t column(std::uint32_t k) const
    {
        return static_cast<std::uint32_t>(m_block[m_seenWords + m_words + (k >> 2)] >> ((k & 3) * 16)) & 0xffff;
    }
    // Index of `fragment` among the columns, or -1 (not a column: known directly).
    int columnOf(std::uint32_t fragment) const;
    bool seen(std::uint32_t fragment) const { return (m_block[fragment >> 6] >> (fragment & 63)) & 1u; }
    // Bytes held: seen bitmap, pivot bitmap, columns, triangle (the block's capacity).
    std::size_t memoryBytes() const;
    // Triangle bits for l columns: l(l+1)/2 (the spec's l(l+1)/16 bytes).
    static std::size_t triangleBits(std::uint32_t l) { return std::size_t{l} * (l + 1) / 2; }

private:
    static constexpr std::uint32_t kMaxWords = (kMaxFragmentCounter + 63) / 64;
    using Row = std::array<std::uint64_t, kMaxWords>;

    bool start(); // false: too many losses
    std::size_t rowOffset(std::uint32_t c) const // B(c): first bit of row c
    {
        return c == 0 ? 0 : std::size_t{c} * m_lossCount - std::size_t{c} * (c - 1) / 2;
    }
    // Triangle words that must exist to read or write row c (one spare for the shifts).
    std::size_t wordsNeeded(std::uint32_t c) const { return m_words + ((rowOffset(c) - c) >> 6) + 1; }
    bool hasRow(std::uint32_t c) const { return (m_block[m_seenWords + (c >> 6)] >> (c & 63)) & 1u; }
    void xorStoredRow(std::uint64_t* row, std::uint32_t c) const;
    void extractRow(std::uint64_t* row, std::uint32_t c) const; // bits c..l-1 of row c
    void storeRow(const std::uint64_t* row, std::uint32_t c);
    template <class OnXor>
    Step reduceAndStore(std::uint64_t* row, OnXor& onXor);
    template <class OnXor>
    Step reduceTainted(std::uint64_t* row, OnXor& onXor, bool tainted);

    std::uint32_t m_fragmentCount;
    std::uint32_t m_maxLosses;
    std::uint32_t m_uncodedSeen = 0;
    std::uint32_t m_direct = 0;
    std::uint32_t m_rank = 0;
    std::uint32_t m_lossCount = 0;
    std::uint32_t m_words = 0;     // W = ceil(l / 64)
    std::uint32_t m_seenWords = 0; // ceil(M / 64)
    std::uint32_t m_triangleAt = 0; // first triangle word in m_block
    bool m_started = false;
    bool m_tainted = false;
    // One allocation per decoder, so a fleet of trackers costs one cache-cold region each:
    //   [seen: M bits][pivots: l bits][columns: l x u16, 4 per word][triangle: packed rows]
    // The triangle part grows as rows arrive (never beyond the full l(l+1)/2 bits).
    std::vector<std::uint64_t> m_block;
};

template <class OnXor>
FecSystem::Step FecSystem::reduceTainted(std::uint64_t* row, OnXor& onXor, bool tainted)
{
    const Step step = reduceAndStore(row, onXor);
    if (tainted && step.outcome == Outcome::Pivot)
        m_tainted = true;
    return step;
}

// The hot loop of the simulator (every parity frame, every device): inlined, no
// branches on the shift. Stored bit (k + s) of the triangle is bit k of row c, for k in
// [c, l), with s = B(c) - c; bits the XOR brings in below c (earlier rows' bits) are
// masked, bits at or above l (later rows' bits) are cleared afterwards.
template <class OnXor>
FecSystem::Step FecSystem::reduceAndStore(std::uint64_t* row, OnXor& onXor)
{
    const std::uint32_t words = m_words;
    const std::size_t l = m_lossCount;
    const std::uint64_t* tri = m_block.data() + m_triangleAt;
    const std::uint64_t* pivots = m_block.data() + m_seenWords;
    const std::uint64_t lastMask = (l & 63) ? (std::uint64_t{1} << (l & 63)) - 1 : ~std::uint64_t{0};
    std::uint32_t w = 0;
    for (;;) {
        while (w < words && row[w] == 0)
            ++w;
        if (w == words)
            return {Outcome::Redundant};
        const std::uint32_t bit = static_cast<std::uint32_t>(std::countr_zero(row[w]));
        const std::uint32_t c = w * 64 + bit;
        if (!((pivots[w] >> bit) & 1u)) {
            storeRow(row, c);
            return {Outcome::Pivot, static_cast<int>(c)};
        }
        const std::size_t s = std::size_t{c} * (l - 1) - (std::size_t{c} * (c - 1) >> 1);
        const std::uint64_t* src = tri + (s >> 6) + w;
        const unsigned shift = s & 63;
        // (x << 1) << (63 - shift) is x << (64 - shift) without the undefined shift by 64.
        std::uint64_t lo = src[0];
        std::uint64_t hi = src[1];
        row[w] ^= ((lo >> shift) | ((hi << 1) << (63 - shift))) & (~std::uint64_t{0} << bit);
        for (std::uint32_t k = w + 1; k < words; ++k) {
            lo = hi;
            hi = src[k - w + 1];
            row[k] ^= (lo >> shift) | ((hi << 1) << (63 - shift));
        }
        row[words - 1] &= lastMask;
        onXor(c);
    }
}

template <class OnXor>
FecSystem::Step FecSystem::addUncoded(std::uint32_t fragment, OnXor&& onXor, bool tainted)
{
    if (complete())
        return {Outcome::AlreadyComplete};
    if (seen(fragment))
        return {Outcome::Duplicate};
    m_block[fragment >> 6] |= std::uint64_t{1} << (fragment & 63);
    ++m_uncodedSeen;
    if (!m_started) {
        ++m_direct;
        m_tainted = m_tainted || tainted;
        return {Outcome::Stored};
    }
    const int column = columnOf(fragment);
    Row row;
    std::fill_n(row.begin(), m_words, 0);
    row[static_cast<std::uint32_t>(column) >> 6] = std::uint64_t{1} << (column & 63);
    return reduceTainted(row.data(), onXor, tainted);
}

template <bool WithKnown, class OnKnown, class OnXor>
FecSystem::Step FecSystem::addParity(const ParityLine& line, OnKnown&& onKnown, OnXor&& onXor, bool tainted)
{
    if (complete())
        return {Outcome::AlreadyComplete};
    if (!m_started && !start())
        return {Outcome::TooManyLosses};
    if constexpr (WithKnown) {
        for (const std::uint16_t j : line.positions)
            if (seen(j) && columnOf(j) < 0)
                onKnown(j);
    }
    Row row;
    // Projection: bit k of the row = the line's bit at column k's fragment. Columns come
    // packed 4 to a word; padding columns (fragment 0) land beyond l and are cut.
    const std::uint32_t l = m_lossCount;
    const std::uint64_t* packed = m_block.data() + m_seenWords + m_words;
    const std::uint64_t* bits = line.bits.data();
    auto bitOf = [bits](std::uint64_t j) { return (bits[j >> 6] >> (j & 63)) & 1u; };
    for (std::uint32_t w = 0; w < m_words; ++w) {
        std::uint64_t acc = 0;
        const std::uint64_t* four = packed + w * 16;
        const std::uint32_t groups = std::min<std::uint32_t>(16, (l - w * 64 + 3) / 4);
        for (std::uint32_t g = 0; g < groups; ++g) {
            const std::uint64_t v = four[g];
            const std::uint64_t nibble = bitOf(v & 0xffff) | bitOf((v >> 16) & 0xffff) << 1
                | bitOf((v >> 32) & 0xffff) << 2 | bitOf(v >> 48) << 3;
            acc |= nibble << (g * 4);
        }
        row[w] = acc;
    }
    if (l & 63)
        row[m_words - 1] &= (std::uint64_t{1} << (l & 63)) - 1;
    return reduceTainted(row.data(), onXor, tainted);
}

template <class F>
void FecSystem::backSubstitute(F&& f) const
{
    Row row;
    for (std::uint32_t i = m_lossCount; i-- > 0;) {
        extractRow(row.data(), i);
        for (std::uint32_t w = (i + 1) >> 6; w < m_words; ++w) {
            std::uint64_t v = row[w];
            if (w == ((i + 1) >> 6))
                v &= ~std::uint64_t{0} << ((i + 1) & 63);
            for (; v; v &= v - 1)
                f(i, w * 64 + static_cast<std::uint32_t>(std::countr_zero(v)));
        }
    }
}

} // namespace otalab::core::lorawan
