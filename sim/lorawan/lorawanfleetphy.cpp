// SPDX-License-Identifier: Apache-2.0
// LorawanFleetPhy: regional tables (LoRaWAN RP002-1.0.3) and the AN1200.13 airtime.
#include "sim/lorawan/lorawanfleetphy.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

LorawanDataRate rate(int index, int sf, int bw, int m, int n) { return LorawanDataRate{index, sf, bw, m, n}; }

} // namespace

LorawanFleetPhy LorawanFleetPhy::forRegion(LorawanRegion region)
{
    LorawanFleetPhy phy;
    phy.m_region = region;
    if (region == LorawanRegion::EU868) {
        phy.m_rates = {rate(0, 12, 125'000, 59, 51),  rate(1, 11, 125'000, 59, 51),  rate(2, 10, 125'000, 59, 51),
                       rate(3, 9, 125'000, 123, 115), rate(4, 8, 125'000, 250, 242), rate(5, 7, 125'000, 250, 242),
                       rate(6, 7, 250'000, 250, 242)};
        phy.m_uplinkChannels = {868'100'000, 868'300'000, 868'500'000};
    } else {
        phy.m_rates.resize(14);
        phy.m_rates[0] = rate(0, 10, 125'000, 19, 11);
        phy.m_rates[1] = rate(1, 9, 125'000, 61, 53);
        phy.m_rates[2] = rate(2, 8, 125'000, 133, 125);
        phy.m_rates[3] = rate(3, 7, 125'000, 250, 242);
        phy.m_rates[4] = rate(4, 8, 500'000, 250, 242);
        for (int dr = 5; dr < 8; ++dr)
            phy.m_rates[dr] = rate(dr, 0, 0, 0, 0);
        phy.m_rates[8] = rate(8, 12, 500'000, 61, 53);
        phy.m_rates[9] = rate(9, 11, 500'000, 137, 129);
        for (int dr = 10; dr <= 13; ++dr)
            phy.m_rates[dr] = rate(dr, 20 - dr, 500'000, 250, 242);
        // Sub-band 2 (channels 8..15), the usual private-network and TTN choice.
        for (int ch = 8; ch < 16; ++ch)
            phy.m_uplinkChannels.push_back(902'300'000u + 200'000u * std::uint32_t(ch));
    }
    return phy;
}

QString LorawanFleetPhy::regionName() const
{
    return m_region == LorawanRegion::EU868 ? QStringLiteral("EU868") : QStringLiteral("US915");
}

std::optional<LorawanDataRate> LorawanFleetPhy::dataRate(int dr) const
{
    if (dr < 0 || dr >= int(m_rates.size()) || m_rates[std::size_t(dr)].bandwidthHz == 0)
        return std::nullopt;
    return m_rates[std::size_t(dr)];
}

std::vector<int> LorawanFleetPhy::uplinkDataRates() const
{
    if (m_region == LorawanRegion::EU868)
        return {5, 4, 3, 2, 1, 0};
    return {3, 2, 1, 0};
}

int LorawanFleetPhy::rx1DataRate(int uplinkDr) const
{
    if (m_region == LorawanRegion::EU868)
        return uplinkDr;
    return std::min(13, 10 + uplinkDr);
}

std::uint32_t LorawanFleetPhy::rx1FrequencyHz(std::uint32_t uplinkFrequencyHz, int channelIndex) const
{
    if (m_region == LorawanRegion::EU868)
        return uplinkFrequencyHz;
    return 923'300'000u + 600'000u * std::uint32_t(channelIndex % 8);
}

int LorawanFleetPhy::defaultRx2DataRate() const
{
    return m_region == LorawanRegion::EU868 ? 0 : 8;
}

std::uint32_t LorawanFleetPhy::rx2FrequencyHz() const
{
    return m_region == LorawanRegion::EU868 ? 869'525'000u : 923'300'000u;
}

double LorawanFleetPhy::dutyCycle(std::uint32_t frequencyHz) const
{
    if (m_region == LorawanRegion::US915)
        return 1.0;
    // ETSI EN 300 220 bands as LoRaMac-node's RegionEU868 lists them.
    if (frequencyHz >= 869'400'000u && frequencyHz <= 869'650'000u)
        return 0.10;
    if (frequencyHz >= 869'700'000u && frequencyHz <= 870'000'000u)
        return 0.01;
    if (frequencyHz >= 868'700'000u && frequencyHz <= 869'200'000u)
        return 0.001;
    return 0.01;
}

int LorawanFleetPhy::subBand(std::uint32_t frequencyHz) const
{
    if (m_region == LorawanRegion::US915)
        return 0;
    if (frequencyHz >= 869'400'000u && frequencyHz <= 869'650'000u)
        return 1;
    if (frequencyHz >= 869'700'000u && frequencyHz <= 870'000'000u)
        return 2;
    if (frequencyHz >= 868'700'000u && frequencyHz <= 869'200'000u)
        return 3;
    if (frequencyHz >= 868'000'000u && frequencyHz <= 868'600'000u)
        return 4;
    return 5;
}

SimTime LorawanFleetPhy::timeOnAir(int sf, int bandwidthHz, int phyPayloadBytes, bool uplink)
{
    const double symbolS = double(1 << sf) / double(bandwidthHz);
    const int lowDataRate = symbolS >= 0.016 ? 1 : 0;
    const int crc = uplink ? 1 : 0;
    const int codingRate = 1;   // 4/5
    const int preamble = 8;
    const double numerator = 8.0 * phyPayloadBytes - 4.0 * sf + 28.0 + 16.0 * crc;  // explicit header: − 20·0
    const double perGroup = 4.0 * (sf - 2 * lowDataRate);
    const double payloadSymbols = 8.0 + std::max(std::ceil(numerator / perGroup) * (codingRate + 4), 0.0);
    const double totalS = (preamble + 4.25 + payloadSymbols) * symbolS;
    return SimTime::fromSeconds(totalS);
}

double LorawanFleetPhy::snrFloorDb(int sf)
{
    return -7.5 - 2.5 * double(std::clamp(sf, 7, 12) - 7);
}

double LorawanFleetPhy::packetErrorRate(int sf, double snrDb, int phyPayloadBytes)
{
    const double margin = snrDb - snrFloorDb(sf) - 1.0;
    const double per20 = 1.0 / (1.0 + std::exp(2.2 * margin));
    if (per20 < 1e-9)
        return 0.0;
    return 1.0 - std::pow(1.0 - per20, double(std::max(phyPayloadBytes, 1)) / 20.0);
}

double LorawanFleetPhy::noiseFloorDbm(int bandwidthHz, double noiseFigureDb)
{
    return -174.0 + 10.0 * std::log10(double(bandwidthHz)) + noiseFigureDb;
}

double LorawanFleetPhy::pathLossDb(const LorawanRadioConfig& radio, double distanceM)
{
    const double d = std::max(distanceM, radio.referenceDistanceM);
    return radio.referenceLossDb + 10.0 * radio.pathLossExponent * std::log10(d / radio.referenceDistanceM);
}

} // namespace otalab::sim
