// SPDX-License-Identifier: Apache-2.0
// RandomStream: stream derivation and distribution helpers.
#include "sim/kernel/randomstream.h"

#include "sim/kernel/splitmix64.h"

#include <cmath>
#include <numbers>

namespace otalab::sim {

namespace {
__extension__ using Uint128 = unsigned __int128; // GCC/Clang, 64-bit targets
} // namespace

RandomStream::RandomStream(std::uint64_t seed, NodeId node, std::uint32_t purpose)
{
    // Chain of bijective mixes: distinct (seed, node, purpose) give distinct keys for
    // all practical inputs, and neighbouring ids give unrelated keys.
    std::uint64_t key = SplitMix64::mix(seed + SplitMix64::kGamma);
    key = SplitMix64::mix(key ^ (static_cast<std::uint64_t>(node) + SplitMix64::kGamma));
    key = SplitMix64::mix(key ^ (static_cast<std::uint64_t>(purpose) * SplitMix64::kGamma + 1));
    SplitMix64 expand(key);
    for (std::uint64_t& word : m_s)
        word = expand.next();
}

RandomStream RandomStream::fromState(const std::array<std::uint64_t, 4>& state)
{
    RandomStream stream;
    stream.m_s = state;
    return stream;
}

std::uint64_t RandomStream::uniformInt(std::uint64_t n)
{
    if (n == 0)
        return 0;
    Uint128 m = static_cast<Uint128>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = static_cast<Uint128>(next()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

double RandomStream::exponential(double mean)
{
    // 1 - u is in (0, 1], so the logarithm is finite.
    return -mean * std::log1p(-uniform01());
}

SimTime RandomStream::exponentialTime(SimTime mean)
{
    return SimTime::fromNanos(
        std::llround(static_cast<double>(mean.nanos()) * -std::log1p(-uniform01())));
}

double RandomStream::normal(double mean, double stddev)
{
    const double u1 = 1.0 - uniform01(); // (0, 1]
    const double u2 = uniform01();
    return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

} // namespace otalab::sim
