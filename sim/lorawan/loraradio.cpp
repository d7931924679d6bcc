// SPDX-License-Identifier: Apache-2.0
#include "sim/lorawan/loraradio.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim::lorawan {
namespace {

constexpr double kReferenceBytes = 20.0;
constexpr double kWaterfallWidthDb = 0.4;
constexpr double kFiftyPercentAboveFloorDb = 1.0;

} // namespace

double snrFloorDb(int spreadingFactor)
{
    const int sf = std::clamp(spreadingFactor, 7, 12);
    return -7.5 - 2.5 * (sf - 7);
}

double sensitivityDbm(int spreadingFactor, int bandwidthHz, double noiseFigureDb)
{
    return -174.0 + 10.0 * std::log10(double(std::max(bandwidthHz, 1))) + noiseFigureDb
        + snrFloorDb(spreadingFactor);
}

double packetErrorRate(int spreadingFactor, double snrDb, int payloadBytes)
{
    const double margin = snrDb - snrFloorDb(spreadingFactor) - kFiftyPercentAboveFloorDb;
    const double x = margin / kWaterfallWidthDb;
    if (x > 40.0)
        return 0.0;
    if (x < -40.0)
        return 1.0;
    const double perRef = 1.0 / (1.0 + std::exp(x));
    const double length = std::max(payloadBytes, 1);
    const double per = 1.0 - std::pow(1.0 - perRef, length / kReferenceBytes);
    return std::clamp(per, 0.0, 1.0);
}

int bestSpreadingFactor(double snrDb, double marginDb)
{
    for (int sf = 7; sf <= 12; ++sf)
        if (snrDb >= snrFloorDb(sf) + marginDb)
            return sf;
    return 12;
}

} // namespace otalab::sim::lorawan
