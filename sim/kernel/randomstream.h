// SPDX-License-Identifier: Apache-2.0
// RandomStream: a per-node xoshiro256** generator with distribution helpers.
#pragma once

#include "sim/kernel/nodeid.h"
#include "sim/kernel/simtime.h"

#include <array>
#include <cstdint>

namespace otalab::sim {

// One independent random stream per (seed, node, purpose). The stream's state is
// derived only from that triple (SplitMix64 hashing, then SplitMix64 expansion into
// xoshiro256**'s 256-bit state, as Vigna recommends), so adding a node or another
// purpose never changes any other stream's sequence. `purpose` separates uses within
// a node (e.g. MAC backoff vs. channel loss) so that drawing more for one does not
// shift the other.
//
// Determinism: next()/uniformInt()/bernoulli() are bit-exact everywhere; the helpers
// using log/sqrt/cos are bit-exact for a given libm (same platform and toolchain).
// Not thread-safe; a stream belongs to its node's events on the simulation thread.
class RandomStream {
public:
    RandomStream(std::uint64_t seed, NodeId node, std::uint32_t purpose = 0);

    // Seeds xoshiro256** state directly (reference-vector tests).
    static RandomStream fromState(const std::array<std::uint64_t, 4>& state);

    // Raw 64 bits (xoshiro256**).
    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
    // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). n > 0.
    std::uint64_t uniformInt(std::uint64_t n);
    // True with probability p (p <= 0: never, p >= 1: always).
    bool bernoulli(double p) { return uniform01() < p; }
    // Exponential with the given mean (inverse transform), >= 0.
    double exponential(double mean);
    // Exponential delay with the given mean, rounded to the nanosecond.
    SimTime exponentialTime(SimTime mean);
    // Normal (Box–Muller, two draws per call, no cached spare).
    double normal(double mean, double stddev);

    const std::array<std::uint64_t, 4>& state() const { return m_s; }

private:
    RandomStream() = default;
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    std::array<std::uint64_t, 4> m_s{};
};

} // namespace otalab::sim
