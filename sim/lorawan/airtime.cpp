// SPDX-License-Identifier: Apache-2.0
#include "sim/lorawan/airtime.h"

#include <algorithm>
#include <cstdint>

namespace otalab::sim::lorawan {
namespace {

// Payload lengths are clamped to this before use (keeps every product inside int64).
constexpr int kMaxComputedPayload = 65535;

// a · b / c rounded to nearest, for non-negative operands whose product fits in int64.
std::int64_t mulDivRound(std::int64_t a, std::int64_t b, std::int64_t c)
{
    const std::int64_t product = a * b;
    return (product + c / 2) / c;
}

} // namespace

bool lowDataRateOptimizeOn(const LoraModulation& m)
{
    if (m.lowDataRateOptimize)
        return *m.lowDataRateOptimize;
    // Tsym >= 16 ms  <=>  2^SF / BW >= 0.016  <=>  2^SF · 1000 >= 16 · BW.
    return (std::int64_t{1} << m.spreadingFactor) * 1000 >= std::int64_t{16} * m.bandwidthHz;
}

SimDuration symbolTime(int spreadingFactor, int bandwidthHz)
{
    if (bandwidthHz <= 0 || spreadingFactor < 5 || spreadingFactor > 12)
        return SimDuration::zero();
    return SimDuration::fromNanos(mulDivRound(std::int64_t{1} << spreadingFactor, 1'000'000'000, bandwidthHz));
}

int payloadSymbols(const LoraModulation& m, int phyPayloadBytes)
{
    phyPayloadBytes = std::clamp(phyPayloadBytes, 0, kMaxComputedPayload);
    const int de = lowDataRateOptimizeOn(m) ? 1 : 0;
    const int ih = m.explicitHeader ? 0 : 1;
    const int crc = m.crcOn ? 1 : 0;
    const int numerator = 8 * phyPayloadBytes - 4 * m.spreadingFactor + 28 + 16 * crc - 20 * ih;
    const int denominator = 4 * (m.spreadingFactor - 2 * de);
    if (denominator <= 0)
        return 8;
    // ceil for a positive numerator; max(.., 0) makes a non-positive one contribute nothing.
    const int blocks = numerator > 0 ? (numerator + denominator - 1) / denominator : 0;
    return 8 + blocks * (m.codingRate + 4);
}

SimDuration timeOnAir(const LoraModulation& m, int phyPayloadBytes)
{
    if (m.bandwidthHz <= 0 || m.spreadingFactor < 5 || m.spreadingFactor > 12)
        return SimDuration::zero();
    // Total length in quarter symbols: 4·Npreamble + 17 (the 4.25 symbols) + 4·payload symbols.
    const std::int64_t quarterSymbols = 4 * std::int64_t{std::clamp(m.preambleSymbols, 0, 65535)} + 17
        + 4 * std::int64_t{payloadSymbols(m, phyPayloadBytes)};
    const std::int64_t perQuarterNumerator = (std::int64_t{1} << m.spreadingFactor) * 1'000'000'000;
    // quarterSymbols · 2^SF · 1e9 / (4 · BW): at SF12 with 65535 preamble symbols and a
    // 65535-byte payload (CR 4/8, LDRO) this is below 2.8e18 < 2^63.
    return SimDuration::fromNanos(mulDivRound(quarterSymbols, perQuarterNumerator, 4 * std::int64_t{m.bandwidthHz}));
}

double timeOnAirMs(const LoraModulation& m, int phyPayloadBytes)
{
    return timeOnAir(m, phyPayloadBytes).toMillis();
}

} // namespace otalab::sim::lorawan
