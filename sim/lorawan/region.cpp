// SPDX-License-Identifier: Apache-2.0
#include "sim/lorawan/region.h"

#include <algorithm>
#include <array>

namespace otalab::sim::lorawan {
namespace {

const DataRate kNoDataRate{};

// EU868 duty-cycle bands (ERC Rec 70-03 annex 1, ETSI EN 300 220-2), numbered as
// LoRaMac-node's RegionEU868 bands; inclusive bounds in Hz.
struct DutyBand {
    std::uint32_t lowHz;
    std::uint32_t highHz;
    int divisor; // 1/duty cycle
};
constexpr std::array<DutyBand, 6> kEu868Bands{{
    {865'000'000, 868'000'000, 100},  // 0: h1.3, 1 %
    {868'000'001, 868'600'000, 100},  // 1: h1.4, 1 % (the default channels 868.1/.3/.5)
    {863'000'000, 864'999'999, 1000}, // 2: h1.2, 0.1 %
    {869'400'000, 869'650'000, 10},   // 3: h1.6, 10 % (RX2, beacons, ping slots)
    {869'700'000, 870'000'000, 100},  // 4: h1.7, 1 %
    {868'700'000, 869'200'000, 1000}, // 5: h1.5, 0.1 %
}};

// US915 (RP002-1.0.3 §2.5.2): 125 kHz uplink channel n at 902.3 + 0.2·n MHz (n 0..63),
// 500 kHz uplink channel 64+k at 903.0 + 1.6·k MHz (k 0..7), downlink k at 923.3 + 0.6·k MHz.
constexpr std::uint32_t kUs125Base = 902'300'000, kUs125Step = 200'000;
constexpr std::uint32_t kUs500Base = 903'000'000, kUs500Step = 1'600'000;
constexpr std::uint32_t kUsDownBase = 923'300'000, kUsDownStep = 600'000;

// Uplink channel number 0..71 of a US915 frequency, −1 if none.
int us915Channel(std::uint32_t hz)
{
    if (hz >= kUs125Base && (hz - kUs125Base) % kUs125Step == 0 && (hz - kUs125Base) / kUs125Step < 64)
        return int((hz - kUs125Base) / kUs125Step);
    if (hz >= kUs500Base && (hz - kUs500Base) % kUs500Step == 0 && (hz - kUs500Base) / kUs500Step < 8)
        return 64 + int((hz - kUs500Base) / kUs500Step);
    return -1;
}

// RP002-1.0.3 table "US915 RX1 data rate": row = uplink DR0..4, column = RX1DROffset 0..3.
constexpr int kUs915Rx1[5][4] = {
    {10, 9, 8, 8}, {11, 10, 9, 8}, {12, 11, 10, 9}, {13, 12, 11, 10}, {13, 13, 12, 11},
};

} // namespace

Region Region::makeEu868()
{
    Region r;
    r.m_id = Id::Eu868;
    // RP002-1.0.3 §2.4.3 / §2.4.6 (DR7 is FSK, not modelled).
    r.m_dataRates = {
        {0, 12, 125'000, 59, 51, true, true},  {1, 11, 125'000, 59, 51, true, true},
        {2, 10, 125'000, 59, 51, true, true},  {3, 9, 125'000, 123, 115, true, true},
        {4, 8, 125'000, 250, 242, true, true}, {5, 7, 125'000, 250, 242, true, true},
        {6, 7, 250'000, 250, 242, true, true},
    };
    r.m_uplinkChannels = {868'100'000, 868'300'000, 868'500'000};
    r.m_rx2Frequency = 869'525'000;
    r.m_rx2DataRate = 0;
    r.m_beaconFrequency = 869'525'000;
    r.m_beaconDataRate = 3;
    return r;
}

Region Region::makeUs915()
{
    Region r;
    r.m_id = Id::Us915;
    // RP002-1.0.3 §2.5.3 / §2.5.6 (DR5/6 are LR-FHSS, not modelled).
    r.m_dataRates = {
        {0, 10, 125'000, 19, 11, true, false},   {1, 9, 125'000, 61, 53, true, false},
        {2, 8, 125'000, 133, 125, true, false},  {3, 7, 125'000, 250, 242, true, false},
        {4, 8, 500'000, 250, 242, true, false},  {8, 12, 500'000, 61, 53, false, true},
        {9, 11, 500'000, 137, 129, false, true}, {10, 10, 500'000, 250, 242, false, true},
        {11, 9, 500'000, 250, 242, false, true}, {12, 8, 500'000, 250, 242, false, true},
        {13, 7, 500'000, 250, 242, false, true},
    };
    for (std::uint32_t n = 8; n < 16; ++n) // sub-band 2
        r.m_uplinkChannels.push_back(kUs125Base + n * kUs125Step);
    r.m_uplink500 = kUs500Base + 1 * kUs500Step; // channel 65
    r.m_rx2Frequency = 923'300'000;
    r.m_rx2DataRate = 8;
    r.m_beaconFrequency = 923'300'000;
    r.m_beaconDataRate = 8;
    return r;
}

const Region& Region::eu868()
{
    static const Region region = makeEu868();
    return region;
}

const Region& Region::us915()
{
    static const Region region = makeUs915();
    return region;
}

const Region* Region::byName(QStringView name)
{
    const QString n = name.trimmed().toString().toUpper();
    if (n == QLatin1String("EU868") || n == QLatin1String("EU863-870"))
        return &eu868();
    if (n == QLatin1String("US915") || n == QLatin1String("US902-928"))
        return &us915();
    return nullptr;
}

QString Region::name() const
{
    return m_id == Id::Eu868 ? QStringLiteral("EU868") : QStringLiteral("US915");
}

bool Region::hasDataRate(int dr) const
{
    return dataRate(dr).isValid();
}

const DataRate& Region::dataRate(int dr) const
{
    for (const DataRate& d : m_dataRates)
        if (d.index == dr)
            return d;
    return kNoDataRate;
}

const DataRate& Region::dataRateFor(int spreadingFactor, int bandwidthHz) const
{
    for (const DataRate& d : m_dataRates)
        if (d.uplink && d.spreadingFactor == spreadingFactor && d.bandwidthHz == bandwidthHz)
            return d;
    for (const DataRate& d : m_dataRates)
        if (d.spreadingFactor == spreadingFactor && d.bandwidthHz == bandwidthHz)
            return d;
    return kNoDataRate;
}

int Region::maxDataRate() const
{
    return m_id == Id::Eu868 ? 5 : 4;
}

int Region::rx1DataRate(int uplinkDr, int rx1DrOffset) const
{
    if (m_id == Id::Eu868) {
        if (uplinkDr < 0 || uplinkDr > 6 || rx1DrOffset < 0 || rx1DrOffset > 5)
            return -1;
        return std::max(uplinkDr - rx1DrOffset, 0);
    }
    if (uplinkDr < 0 || uplinkDr > 4 || rx1DrOffset < 0 || rx1DrOffset > 3)
        return -1;
    return kUs915Rx1[uplinkDr][rx1DrOffset];
}

std::uint32_t Region::rx1FrequencyHz(std::uint32_t uplinkHz) const
{
    if (m_id == Id::Eu868)
        return dutyCycleBand(uplinkHz) >= 0 ? uplinkHz : 0;
    const int channel = us915Channel(uplinkHz);
    if (channel < 0)
        return 0;
    return kUsDownBase + std::uint32_t(channel % 8) * kUsDownStep;
}

int Region::dutyCycleDivisor(std::uint32_t freqHz) const
{
    if (m_id == Id::Us915)
        return 1;
    const int band = dutyCycleBand(freqHz);
    return band < 0 ? 0 : kEu868Bands[std::size_t(band)].divisor;
}

double Region::dutyCycle(std::uint32_t freqHz) const
{
    const int divisor = dutyCycleDivisor(freqHz);
    return divisor == 0 ? 0.0 : 1.0 / divisor;
}

int Region::dutyCycleBand(std::uint32_t freqHz) const
{
    if (m_id == Id::Us915)
        return -1;
    for (std::size_t i = 0; i < kEu868Bands.size(); ++i)
        if (freqHz >= kEu868Bands[i].lowHz && freqHz <= kEu868Bands[i].highHz)
            return int(i);
    return -1;
}

int Region::dutyCycleBandCount() const
{
    return m_id == Id::Eu868 ? int(kEu868Bands.size()) : 0;
}

int Region::subBand(std::uint32_t freqHz) const
{
    if (m_id == Id::Eu868)
        return dutyCycleBand(freqHz);
    const int channel = us915Channel(freqHz);
    if (channel < 0)
        return -1;
    return channel < 64 ? channel / 8 + 1 : channel - 64 + 1;
}

int Region::maxTxPowerDbm(bool downlink) const
{
    if (m_id == Id::Eu868)
        return downlink ? 27 : 16;
    return 30;
}

} // namespace otalab::sim::lorawan
