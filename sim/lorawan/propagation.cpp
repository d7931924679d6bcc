// SPDX-License-Identifier: Apache-2.0
#include "sim/lorawan/propagation.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim::lorawan {

double pathLossDb(const RadioParams& params, double distanceM)
{
    const double d = std::max(distanceM, 1.0);
    return params.referenceLossDb + 10.0 * params.pathLossExponent * std::log10(d / params.referenceDistanceM);
}

double drawShadowingDb(const RadioParams& params, RandomStream& linkStream)
{
    if (params.shadowingSigmaDb <= 0.0)
        return 0.0;
    return linkStream.normal(0.0, params.shadowingSigmaDb);
}

double noiseFloorDbm(const RadioParams& params, int bandwidthHz)
{
    return -174.0 + 10.0 * std::log10(double(std::max(bandwidthHz, 1))) + params.noiseFigureDb;
}

double maxRangeM(const RadioParams& params, double txPowerDbm, double rssiDbm)
{
    const double allowedLossDb = txPowerDbm + params.txAntennaGainDbi + params.rxAntennaGainDbi - rssiDbm;
    return params.referenceDistanceM
        * std::pow(10.0, (allowedLossDb - params.referenceLossDb) / (10.0 * params.pathLossExponent));
}

LinkBudget linkBudget(const RadioParams& params, double distanceM, double shadowingDb, double txPowerDbm,
                      int bandwidthHz)
{
    LinkBudget budget;
    budget.rssiDbm = txPowerDbm + params.txAntennaGainDbi + params.rxAntennaGainDbi - pathLossDb(params, distanceM)
        - shadowingDb;
    budget.snrDb = budget.rssiDbm - noiseFloorDbm(params, bandwidthHz);
    return budget;
}

} // namespace otalab::sim::lorawan
