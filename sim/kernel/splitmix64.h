// SPDX-License-Identifier: Apache-2.0
// SplitMix64: Steele/Lea/Flood's 64-bit mixer, used to derive and seed RNG streams.
#pragma once

#include <cstdint>

namespace otalab::sim {

// Sebastiano Vigna's reference splitmix64.c: a Weyl sequence passed through a
// bijective finaliser. Fast and well mixed, but with only 2^64 states it is used here
// to seed xoshiro256** and to hash (seed, node) keys, not as a simulation RNG.
class SplitMix64 {
public:
    static constexpr std::uint64_t kGamma = 0x9E37'79B9'7F4A'7C15ull;

    explicit constexpr SplitMix64(std::uint64_t state) : m_state(state) {}

    // The finaliser alone: a bijection on 64-bit values with full avalanche.
    static constexpr std::uint64_t mix(std::uint64_t z)
    {
        z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EBull;
        return z ^ (z >> 31);
    }

    constexpr std::uint64_t next()
    {
        m_state += kGamma;
        return mix(m_state);
    }

private:
    std::uint64_t m_state;
};

} // namespace otalab::sim
