// SPDX-License-Identifier: Apache-2.0
#include "sim/channel/oqpskerrormodel.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace otalab::sim {

namespace {

// C(16, k) for k = 0..16.
constexpr std::array<double, 17> kBinomial16 = {
    1, 16, 120, 560, 1820, 4368, 8008, 11440, 12870, 11440, 8008, 4368, 1820, 560, 120, 16, 1};

} // namespace

double OqpskErrorModel::bitErrorRate(double sinrLinear)
{
    if (!(sinrLinear > 0.0))
        return 0.5;
    double sum = 0.0;
    for (int k = 2; k <= 16; ++k) {
        const double sign = (k % 2 == 0) ? 1.0 : -1.0;
        sum += sign * kBinomial16[k] * std::exp(20.0 * sinrLinear * (1.0 / k - 1.0));
    }
    const double ber = (8.0 / 15.0) * (1.0 / 16.0) * sum;
    return std::clamp(ber, 0.0, 0.5);
}

double OqpskErrorModel::bitErrorRateDb(double sinrDb)
{
    return bitErrorRate(std::pow(10.0, sinrDb / 10.0));
}

double OqpskErrorModel::packetErrorRate(double sinrDb, std::size_t bytes)
{
    const double ber = bitErrorRateDb(sinrDb);
    // 1 − (1−BER)^n computed as −expm1(n·log1p(−BER)) to keep precision at tiny BER.
    const double n = 8.0 * static_cast<double>(bytes);
    return std::clamp(-std::expm1(n * std::log1p(-ber)), 0.0, 1.0);
}

double OqpskErrorModel::thermalNoiseFloorDbm(double bandwidthHz, double noiseFigureDb)
{
    return -174.0 + 10.0 * std::log10(bandwidthHz) + noiseFigureDb;
}

} // namespace otalab::sim
