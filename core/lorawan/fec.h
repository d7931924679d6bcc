// SPDX-License-Identifier: Apache-2.0
// TS004 forward error correction: the PRBS23 generator and the parity lines of the
// fragmented data block transport (LoRaWAN TS004 v1.0.0 and v2.0.0).
//
// Frame numbering (the DataFragment counter N, 1-based): frames 1..M carry the M
// uncoded fragments; frame M+k (k >= 1) carries the XOR of the fragments selected by
// parity line k. Checked against Semtech LoRaMac-node FragDecoder.c
// (FragGetParityMatrixRow(fragCounter - FragNb, FragNb, ...)), LoRa Basics Modem v4.8
// fragmentation_helper_v2.0.0.c and ChirpStack lrwn applayer/fragmentation/{v1,v2}.rs
// (matrix_line(y + 1, w) for redundancy frame y = 0..R-1).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <QString>

namespace otalab::core::lorawan {

// Which parity-line rule a fragmentation session uses. Nothing in the stream says
// which: a decoder must be told (FragSessionSetupReq's package version), and the
// wrong one decodes to wrong data.
enum class FecVersion {
    V1, // TS004 v1.0.0: M/2 draws, a position drawn twice is set once but counted twice
    V2, // TS004 v2.0.0: draws until M/2 distinct positions are set
};

QString fecVersionName(FecVersion v);                     // "1" / "2"
std::optional<FecVersion> fecVersionFromNumber(int number); // 1 -> V1, 2 -> V2

// prbs23(x) = (x >> 1) + (((x ^ (x >> 5)) & 1) << 22) — an addition, as in Semtech's C.
constexpr std::uint32_t prbs23(std::uint32_t x)
{
    return (x >> 1) + (((x ^ (x >> 5)) & 1u) << 22);
}

// The largest DataFragment counter (14 bits) and so the largest M and parity index.
inline constexpr std::uint32_t kMaxFragmentCounter = 16383;

// One parity line: which of the M uncoded fragments (0-based) are XORed into parity
// frame M+n. Built once per transmitted frame and applied to any number of decoders,
// so both a packed bitmap (bit j of word j/64 = fragment j) and the sorted list of set
// positions are kept.
struct ParityLine {
    std::uint32_t index = 0;            // n >= 1: frame counter M + n
    std::uint32_t fragmentCount = 0;    // M
    FecVersion version = FecVersion::V2;
    std::vector<std::uint64_t> bits;    // ceil(M / 64) words
    std::vector<std::uint16_t> positions; // ascending, distinct

    bool test(std::uint32_t fragment) const { return (bits[fragment >> 6] >> (fragment & 63)) & 1u; }
    std::size_t weight() const { return positions.size(); }
};

// Parity line n (n >= 1) for M fragments (1 <= M <= 16383):
// m = 1 if M is a power of two else 0; x = 1 + 1001·n; repeat until ⌊M/2⌋ positions are
// counted: iterate x = prbs23(x) until r = x mod (M + m) < M, set bit r (v1 counts every
// draw, v2 only draws that set a new bit). M = 1 gives an empty line (⌊1/2⌋ = 0 draws),
// exactly as the reference code does. Preconditions are asserted; callers validate M
// and n from the wire first (n <= 16383 keeps x below 2^24).
ParityLine parityLine(std::uint32_t n, std::uint32_t fragmentCount, FecVersion version);

} // namespace otalab::core::lorawan
