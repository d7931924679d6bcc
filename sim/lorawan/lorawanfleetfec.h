// SPDX-License-Identifier: Apache-2.0
// The fleet's FEC view of one device: which frames of a TS004 fragmentation session it
// holds and whether they decode. Stand-in for core/lorawan's FecRankTracker until it
// lands: the same contract (uncoded fragments, shared parity lines, rank over GF(2)).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace otalab::sim {

// Parity line `n` (1-based: frame M + n) of a TS004 session of `fragments` fragments, as
// packed bits (bit i = fragment i, 0-based): ⌊M/2⌋ draws of Semtech's PRBS23 generator,
// x = 1 + 1001·n, a position r kept when r = x mod (M + m) < M (m = 1 when M is a power
// of two). Version 1 counts a position drawn twice (so a line may hold fewer than ⌊M/2⌋
// positions), version 2 counts only new positions (PROTOCOLS.md, seed 004).
struct LorawanParityLine {
    std::vector<std::uint64_t> bits;
    bool test(int i) const { return (bits[std::size_t(i) >> 6] >> (i & 63)) & 1u; }
};
LorawanParityLine lorawanParityLine(int n, int fragments, int fecVersion);

// Reception state of one device. Frames 1..M are uncoded fragments, M+k parity line k.
// Like Semtech's decoders, an uncoded fragment that arrives after any parity frame is
// dropped (the missing set is frozen at the first parity frame); elimination then works
// on the missing columns only: one row of l bits per useful parity frame (at most l
// rows, so ≤ l²/8 bytes for l missing fragments), added as frames arrive.
class LorawanFecTracker {
public:
    LorawanFecTracker() = default;
    explicit LorawanFecTracker(int fragments);

    // Fragment `index` (0-based) arrived. Returns true when the block is now complete.
    bool addUncoded(int index);
    // A parity frame arrived; returns true when the block is now complete.
    bool addParity(const LorawanParityLine& line);
    bool complete() const { return m_fragments > 0 && m_have + m_rank == m_fragments; }
    bool holds(int index) const { return (m_bitmap[std::size_t(index) >> 6] >> (index & 63)) & 1u; }
    bool parityStarted() const { return m_parityStarted; }
    // Fragments still missing (M − rank of what arrived).
    int missingCount() const { return m_fragments - m_have - m_rank; }
    int uncodedCount() const { return m_have; }
    int fragments() const { return m_fragments; }
    // Bytes this tracker holds (bitmap + pivot rows).
    std::size_t memoryBytes() const;

private:
    void freezeMissing();

    int m_fragments = 0;
    int m_have = 0;
    int m_rank = 0;
    bool m_parityStarted = false;
    std::vector<std::uint64_t> m_bitmap;
    std::vector<std::uint32_t> m_missing;    // missing fragment indices (ascending), frozen at the first parity frame
    std::vector<std::uint64_t> m_rows;       // pivot rows, words() words each, in arrival order
    std::vector<std::int32_t> m_pivotRow;    // missing column p → its pivot row, −1 = none
    int words() const { return int((m_missing.size() + 63) / 64); }
};

} // namespace otalab::sim
