// SPDX-License-Identifier: Apache-2.0
// TraceHash: incremental 64-bit hash for event-trace fingerprints, one multiply per word.
#pragma once

#include <cstdint>
#include <span>

namespace otalab::sim {

// Folds 64-bit words into the state with a multiply-xorshift mix (golden-ratio
// multiplier, then h ^= h >> 29 so high input bits reach the low state bits). Integers
// are fed as values and byte runs as little-endian 8-byte words assembled explicitly,
// so a fingerprint does not depend on host endianness. One mix per word instead of
// FNV-1a's one multiply per byte: the fingerprint was half of a rollout's run time.
// Not cryptographic: it detects divergence between runs, it does not resist forgery.
// The empty state is the FNV-1a offset basis (kept so an empty trace's value is stable).
class TraceHash {
public:
    static constexpr std::uint64_t kOffsetBasis = 0xCBF2'9CE4'8422'2325ull;

    constexpr void addWord(std::uint64_t word) { m_hash = mix(m_hash ^ word); }
    constexpr void addByte(std::uint8_t b) { addWord(b); }
    // Feeds the low `width` bytes of v as one word.
    constexpr void addInt(std::uint64_t v, int width = 8)
    {
        addWord(width >= 8 ? v : v & ((std::uint64_t{1} << (8 * width)) - 1));
    }
    // Whole 8-byte words little-endian, then the 0..7 tail bytes in one word whose top
    // byte holds the tail length (so "ab" and "ab\0" differ). Unlike feeding addByte per
    // byte, the result depends on how a byte stream is split into addBytes calls.
    constexpr void addBytes(std::span<const std::uint8_t> bytes)
    {
        std::size_t i = 0;
        for (; i + 8 <= bytes.size(); i += 8)
            addWord(loadLittleEndian(bytes.subspan(i, 8)));
        const std::size_t tail = bytes.size() - i;
        addWord(loadLittleEndian(bytes.subspan(i, tail)) | (std::uint64_t{tail} << 56));
    }

    constexpr std::uint64_t value() const { return m_hash; }

private:
    static constexpr std::uint64_t mix(std::uint64_t h)
    {
        h *= 0x9E37'79B9'7F4A'7C15ull;
        return h ^ (h >> 29);
    }
    static constexpr std::uint64_t loadLittleEndian(std::span<const std::uint8_t> bytes)
    {
        std::uint64_t w = 0;
        for (std::size_t k = 0; k < bytes.size(); ++k)
            w |= std::uint64_t{bytes[k]} << (8 * k);
        return w;
    }

    std::uint64_t m_hash = kOffsetBasis;
};

} // namespace otalab::sim
