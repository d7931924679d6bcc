// SPDX-License-Identifier: Apache-2.0
// SimTime: virtual simulation time as a signed 64-bit count of nanoseconds.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>

namespace otalab::sim {

// A point in (or span of) virtual time, in integer nanoseconds. Integer time keeps
// event ordering exact and runs reproducible; int64 ns covers ±292 years.
// Conversions from floating point round to the nearest nanosecond. Value type, no
// thread affinity.
class SimTime {
public:
    constexpr SimTime() = default;

    static constexpr SimTime fromNanos(std::int64_t ns) { return SimTime(ns); }
    static constexpr SimTime fromMicros(std::int64_t us) { return SimTime(us * 1'000); }
    static constexpr SimTime fromMillis(std::int64_t ms) { return SimTime(ms * 1'000'000); }
    static constexpr SimTime fromSecondsInt(std::int64_t s) { return SimTime(s * 1'000'000'000); }
    // Rounds to the nearest nanosecond; saturates at min()/max() and maps NaN to zero.
    static SimTime fromSeconds(double seconds);

    static constexpr SimTime zero() { return SimTime(0); }
    static constexpr SimTime max() { return SimTime(std::numeric_limits<std::int64_t>::max()); }
    static constexpr SimTime min() { return SimTime(std::numeric_limits<std::int64_t>::min()); }

    constexpr std::int64_t nanos() const { return m_ns; }
    double toSeconds() const { return static_cast<double>(m_ns) * 1e-9; }
    double toMillis() const { return static_cast<double>(m_ns) * 1e-6; }

    // "12.345678 s": seconds with six decimals, truncated toward zero (sub-µs digits
    // are dropped, never rounded up into the next second).
    std::string toString() const;

    constexpr auto operator<=>(const SimTime&) const = default;

    constexpr SimTime operator+(SimTime o) const { return SimTime(m_ns + o.m_ns); }
    constexpr SimTime operator-(SimTime o) const { return SimTime(m_ns - o.m_ns); }
    constexpr SimTime operator-() const { return SimTime(-m_ns); }
    constexpr SimTime operator*(std::int64_t k) const { return SimTime(m_ns * k); }
    constexpr SimTime operator/(std::int64_t k) const { return SimTime(m_ns / k); }
    constexpr SimTime& operator+=(SimTime o) { m_ns += o.m_ns; return *this; }
    constexpr SimTime& operator-=(SimTime o) { m_ns -= o.m_ns; return *this; }

private:
    explicit constexpr SimTime(std::int64_t ns) : m_ns(ns) {}

    std::int64_t m_ns = 0;
};

// Prints toString(); lets GoogleTest and logs show readable times.
std::ostream& operator<<(std::ostream& os, SimTime t);

} // namespace otalab::sim
