// SPDX-License-Identifier: Apache-2.0
// Fnv1a64: incremental 64-bit FNV-1a hash for event-trace fingerprints.
#pragma once

#include <cstdint>
#include <span>

namespace otalab::sim {

// FNV-1a over bytes; integers are fed little-endian byte by byte so fingerprints do
// not depend on host endianness. Not cryptographic: it detects divergence between
// runs, it does not resist forgery.
class Fnv1a64 {
public:
    static constexpr std::uint64_t kOffsetBasis = 0xCBF2'9CE4'8422'2325ull;
    static constexpr std::uint64_t kPrime = 0x0000'0100'0000'01B3ull;

    constexpr void addByte(std::uint8_t b)
    {
        m_hash ^= b;
        m_hash *= kPrime;
    }
    constexpr void addBytes(std::span<const std::uint8_t> bytes)
    {
        for (std::uint8_t b : bytes)
            addByte(b);
    }
    // Feeds the low `width` bytes of v, least significant first.
    constexpr void addInt(std::uint64_t v, int width = 8)
    {
        for (int i = 0; i < width; ++i)
            addByte(static_cast<std::uint8_t>(v >> (8 * i)));
    }

    constexpr std::uint64_t value() const { return m_hash; }

private:
    std::uint64_t m_hash = kOffsetBasis;
};

} // namespace otalab::sim
