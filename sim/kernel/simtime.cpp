// SPDX-License-Identifier: Apache-2.0
// SimTime conversions and formatting.
#include "sim/kernel/simtime.h"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace otalab::sim {

SimTime SimTime::fromSeconds(double seconds)
{
    if (std::isnan(seconds))
        return zero();
    const double ns = std::round(seconds * 1e9);
    // 2^63 is exactly representable; anything at or beyond it saturates.
    constexpr double kLimit = 9223372036854775808.0;
    if (ns >= kLimit)
        return max();
    if (ns < -kLimit)
        return min();
    return SimTime(static_cast<std::int64_t>(ns));
}

std::string SimTime::toString() const
{
    // Work in unsigned magnitude so min() formats without overflow.
    const bool negative = m_ns < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(m_ns)
                                             : static_cast<std::uint64_t>(m_ns);
    const std::uint64_t whole = magnitude / 1'000'000'000u;
    const std::uint64_t micros = (magnitude % 1'000'000'000u) / 1'000u;
    char buffer[48];
    const int n = std::snprintf(buffer, sizeof buffer, "%s%llu.%06llu s", negative ? "-" : "",
                                static_cast<unsigned long long>(whole),
                                static_cast<unsigned long long>(micros));
    return std::string(buffer, static_cast<std::size_t>(n));
}

std::ostream& operator<<(std::ostream& os, SimTime t)
{
    return os << t.toString();
}

} // namespace otalab::sim
