// SPDX-License-Identifier: Apache-2.0
// LorawanFleetPhy: the fleet's one door to sim/lorawan's PHY (region.h, airtime.h,
// loraradio.h, propagation.h).
#include "sim/lorawan/lorawanfleetphy.h"

#include "sim/lorawan/airtime.h"
#include "sim/lorawan/loraradio.h"
#include "sim/lorawan/propagation.h"
#include "sim/lorawan/region.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

const lorawan::Region& regionOf(LorawanRegion r)
{
    return r == LorawanRegion::EU868 ? lorawan::Region::eu868() : lorawan::Region::us915();
}

} // namespace

LorawanFleetPhy LorawanFleetPhy::forRegion(LorawanRegion region)
{
    LorawanFleetPhy phy;
    phy.m_region = region;
    const lorawan::Region& r = regionOf(region);
    for (const lorawan::DataRate& dr : r.dataRates()) {
        if (!dr.isValid())
            continue;
        if (int(phy.m_rates.size()) <= dr.index)
            phy.m_rates.resize(std::size_t(dr.index + 1));
        phy.m_rates[std::size_t(dr.index)] = LorawanDataRate{dr.index, dr.spreadingFactor, dr.bandwidthHz, dr.maxMacPayload, dr.maxAppPayload};
    }
    phy.m_uplinkChannels = r.uplinkChannelsHz();
    return phy;
}

QString LorawanFleetPhy::regionName() const
{
    return regionOf(m_region).name();
}

std::optional<LorawanDataRate> LorawanFleetPhy::dataRate(int dr) const
{
    if (dr < 0 || dr >= int(m_rates.size()) || m_rates[std::size_t(dr)].bandwidthHz == 0)
        return std::nullopt;
    return m_rates[std::size_t(dr)];
}

std::vector<int> LorawanFleetPhy::uplinkDataRates() const
{
    // 125 kHz uplink data rates, fastest first (EU868 DR5..DR0, US915 DR3..DR0).
    std::vector<int> out;
    const lorawan::Region& r = regionOf(m_region);
    for (int dr = r.maxDataRate(); dr >= r.minDataRate(); --dr)
        if (const auto rate = dataRate(dr); rate && rate->bandwidthHz == 125'000)
            out.push_back(dr);
    return out;
}

int LorawanFleetPhy::rx1DataRate(int uplinkDr) const
{
    return regionOf(m_region).rx1DataRate(uplinkDr, 0);
}

std::uint32_t LorawanFleetPhy::rx1FrequencyHz(std::uint32_t uplinkFrequencyHz, int) const
{
    return regionOf(m_region).rx1FrequencyHz(uplinkFrequencyHz);
}

int LorawanFleetPhy::defaultRx2DataRate() const
{
    return regionOf(m_region).rx2DataRate();
}

std::uint32_t LorawanFleetPhy::rx2FrequencyHz() const
{
    return regionOf(m_region).rx2FrequencyHz();
}

double LorawanFleetPhy::dutyCycle(std::uint32_t frequencyHz) const
{
    const double d = regionOf(m_region).dutyCycle(frequencyHz);
    return d > 0 ? d : 0.001;   // outside every band: treat as the strictest band, never divide by 0
}

int LorawanFleetPhy::subBand(std::uint32_t frequencyHz) const
{
    const int band = regionOf(m_region).dutyCycleBand(frequencyHz);
    return std::clamp(band, 0, kSubBands - 1);
}

std::uint32_t LorawanFleetPhy::beaconFrequencyHz() const
{
    return regionOf(m_region).beaconFrequencyHz();
}

SimTime LorawanFleetPhy::beaconAirtime() const
{
    const lorawan::Region& r = regionOf(m_region);
    const lorawan::DataRate& dr = r.dataRate(r.beaconDataRate());
    const lorawan::LoraModulation m{dr.spreadingFactor, dr.bandwidthHz, 1, 10, false, false, {}};
    return lorawan::timeOnAir(m, m_region == LorawanRegion::EU868 ? 17 : 23);
}

bool LorawanFleetPhy::mayTransmit(std::uint32_t frequencyHz) const
{
    return regionOf(m_region).dutyCycleDivisor(frequencyHz) != 0;
}

lorawan::DutyCycleTracker LorawanFleetPhy::dutyCycleTracker() const
{
    return lorawan::DutyCycleTracker(regionOf(m_region));
}

SimTime LorawanFleetPhy::timeOnAir(int sf, int bandwidthHz, int phyPayloadBytes, bool uplink)
{
    return lorawan::timeOnAir(uplink ? lorawan::LoraModulation::uplink(sf, bandwidthHz) : lorawan::LoraModulation::downlink(sf, bandwidthHz),
                              phyPayloadBytes);
}

double LorawanFleetPhy::snrFloorDb(int sf)
{
    return lorawan::snrFloorDb(sf);
}

double LorawanFleetPhy::packetErrorRate(int sf, double snrDb, int phyPayloadBytes)
{
    return lorawan::packetErrorRate(sf, snrDb, phyPayloadBytes);
}

double LorawanFleetPhy::noiseFloorDbm(int bandwidthHz, double noiseFigureDb)
{
    lorawan::RadioParams p;
    p.noiseFigureDb = noiseFigureDb;
    return lorawan::noiseFloorDbm(p, bandwidthHz);
}

double LorawanFleetPhy::pathLossDb(const LorawanRadioConfig& radio, double distanceM)
{
    lorawan::RadioParams p;
    p.referenceDistanceM = radio.referenceDistanceM;
    p.referenceLossDb = radio.referenceLossDb;
    p.pathLossExponent = radio.pathLossExponent;
    return lorawan::pathLossDb(p, std::max(distanceM, radio.referenceDistanceM));
}

} // namespace otalab::sim
