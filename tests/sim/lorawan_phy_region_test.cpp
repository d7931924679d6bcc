// SPDX-License-Identifier: Apache-2.0
// EU868 and US915 regional parameters (RP002-1.0.3) and the per-band duty-cycle tracker.
#include "sim/lorawan/dutycycle.h"
#include "sim/lorawan/region.h"

#include <gtest/gtest.h>

namespace otalab::sim::lorawan {
namespace {

TEST(LorawanPhyRegion, Eu868DataRatesAndMaxPayloadsMatchProtocolsMd)
{
    const Region& eu = Region::eu868();
    EXPECT_EQ(eu.name(), QStringLiteral("EU868"));
    EXPECT_EQ(eu.maxDataRate(), 5);
    const int sf[] = {12, 11, 10, 9, 8, 7};
    const int n[] = {51, 51, 51, 115, 242, 242};
    for (int dr = 0; dr <= 5; ++dr) {
        const DataRate& d = eu.dataRate(dr);
        ASSERT_TRUE(d.isValid());
        EXPECT_EQ(d.spreadingFactor, sf[dr]);
        EXPECT_EQ(d.bandwidthHz, 125'000);
        EXPECT_EQ(d.maxAppPayload, n[dr]);
        EXPECT_EQ(d.maxMacPayload, n[dr] + 8);
    }
    EXPECT_EQ(eu.dataRate(6).bandwidthHz, 250'000);
    EXPECT_FALSE(eu.hasDataRate(7)); // FSK
    EXPECT_FALSE(eu.dataRate(-1).isValid());
    EXPECT_EQ(eu.dataRateFor(9, 125'000).index, 3);
    EXPECT_EQ(eu.uplinkChannelsHz(), (std::vector<std::uint32_t>{868'100'000, 868'300'000, 868'500'000}));
    EXPECT_EQ(eu.rx2FrequencyHz(), 869'525'000u);
    EXPECT_EQ(eu.rx2DataRate(), 0);
    EXPECT_EQ(eu.beaconFrequencyHz(), 869'525'000u);
    EXPECT_EQ(eu.classBPingSlotDataRate(), 3);
    EXPECT_EQ(eu.rx1DataRate(5, 0), 5);
    EXPECT_EQ(eu.rx1DataRate(5, 2), 3);
    EXPECT_EQ(eu.rx1DataRate(1, 3), 0);
    EXPECT_EQ(eu.rx1DataRate(5, 6), -1);
    EXPECT_EQ(eu.rx1FrequencyHz(868'300'000), 868'300'000u);
    EXPECT_EQ(eu.maxTxPowerDbm(false), 16);
}

TEST(LorawanPhyRegion, Eu868DutyCyclePerSubBand)
{
    const Region& eu = Region::eu868();
    EXPECT_DOUBLE_EQ(eu.dutyCycle(868'100'000), 0.01);
    EXPECT_DOUBLE_EQ(eu.dutyCycle(868'500'000), 0.01);
    EXPECT_DOUBLE_EQ(eu.dutyCycle(869'525'000), 0.1);
    EXPECT_DOUBLE_EQ(eu.dutyCycle(867'100'000), 0.01);
    EXPECT_DOUBLE_EQ(eu.dutyCycle(868'800'000), 0.001);
    EXPECT_DOUBLE_EQ(eu.dutyCycle(864'000'000), 0.001);
    EXPECT_DOUBLE_EQ(eu.dutyCycle(869'300'000), 0.0); // between bands: not allowed
    EXPECT_DOUBLE_EQ(eu.dutyCycle(915'000'000), 0.0);
    EXPECT_EQ(eu.dutyCycleDivisor(868'100'000), 100);
    EXPECT_EQ(eu.dutyCycleBand(868'100'000), eu.dutyCycleBand(868'500'000));
    EXPECT_NE(eu.dutyCycleBand(868'100'000), eu.dutyCycleBand(867'100'000));
    EXPECT_NE(eu.dutyCycleBand(868'100'000), eu.dutyCycleBand(869'525'000));
    EXPECT_EQ(eu.dutyCycleBandCount(), 6);
}

TEST(LorawanPhyRegion, Us915DataRatesChannelsAndRx1)
{
    const Region& us = Region::us915();
    EXPECT_EQ(us.name(), QStringLiteral("US915"));
    EXPECT_EQ(us.maxDataRate(), 4);
    EXPECT_EQ(us.dataRate(0).spreadingFactor, 10);
    EXPECT_EQ(us.dataRate(0).maxAppPayload, 11);
    EXPECT_EQ(us.dataRate(2).maxAppPayload, 125);
    EXPECT_EQ(us.dataRate(4).bandwidthHz, 500'000);
    EXPECT_FALSE(us.hasDataRate(5));
    EXPECT_EQ(us.dataRate(8).spreadingFactor, 12);
    EXPECT_EQ(us.dataRate(8).maxAppPayload, 53);
    EXPECT_EQ(us.dataRate(9).maxAppPayload, 129);
    EXPECT_EQ(us.dataRate(13).spreadingFactor, 7);
    EXPECT_FALSE(us.dataRate(13).uplink);
    ASSERT_EQ(us.uplinkChannelsHz().size(), 8u);
    EXPECT_EQ(us.uplinkChannelsHz().front(), 903'900'000u);
    EXPECT_EQ(us.uplinkChannelsHz().back(), 905'300'000u);
    EXPECT_EQ(us.uplinkChannel500kHz(), 904'600'000u);
    EXPECT_EQ(us.subBand(903'900'000), 2);
    EXPECT_EQ(us.subBand(902'300'000), 1);
    EXPECT_EQ(us.subBand(904'600'000), 2);
    EXPECT_EQ(us.subBand(923'300'000), -1);
    EXPECT_EQ(us.rx1FrequencyHz(903'900'000), 923'300'000u); // channel 8 → downlink 0
    EXPECT_EQ(us.rx1FrequencyHz(904'100'000), 923'900'000u); // channel 9 → downlink 1
    EXPECT_EQ(us.rx1FrequencyHz(904'600'000), 923'900'000u); // channel 65 → downlink 1
    EXPECT_EQ(us.rx1DataRate(0, 0), 10);
    EXPECT_EQ(us.rx1DataRate(4, 0), 13);
    EXPECT_EQ(us.rx1DataRate(3, 3), 10);
    EXPECT_EQ(us.rx1DataRate(5, 0), -1);
    EXPECT_EQ(us.rx2FrequencyHz(), 923'300'000u);
    EXPECT_EQ(us.rx2DataRate(), 8);
    EXPECT_DOUBLE_EQ(us.dutyCycle(903'900'000), 1.0);
    EXPECT_EQ(us.maxDwellTimeMs(), 400);
}

TEST(LorawanPhyRegion, ByNameIsCaseInsensitive)
{
    EXPECT_EQ(Region::byName(u"eu868"), &Region::eu868());
    EXPECT_EQ(Region::byName(u"US915"), &Region::us915());
    EXPECT_EQ(Region::byName(u"Us902-928"), &Region::us915());
    EXPECT_EQ(Region::byName(u"AS923"), nullptr);
}

TEST(LorawanPhyDutyCycle, OnePercentBandIsOffForNinetyNineTimesTheAirtime)
{
    DutyCycleTracker tracker(Region::eu868());
    const SimTime t0 = SimTime::fromSecondsInt(10);
    EXPECT_EQ(tracker.earliestStart(868'100'000, t0), t0);
    const SimDuration airtime = SimDuration::fromNanos(46'336'000);
    tracker.record(868'100'000, t0, airtime);
    // Same band (868.3 is in the same 868.0–868.6 band): free at t0 + 100·T.
    EXPECT_EQ(tracker.earliestStart(868'300'000, t0 + airtime), t0 + airtime * 100);
    EXPECT_EQ(tracker.timeOff(868'100'000, airtime), airtime * 99);
    // Other bands are unaffected.
    EXPECT_EQ(tracker.earliestStart(867'100'000, t0 + airtime), t0 + airtime);
    EXPECT_EQ(tracker.earliestStart(869'525'000, t0 + airtime), t0 + airtime);
    // Later than the band's free time: now.
    EXPECT_EQ(tracker.earliestStart(868'100'000, t0 + airtime * 200), t0 + airtime * 200);
}

TEST(LorawanPhyDutyCycle, TenPercentBandAndForbiddenFrequencies)
{
    DutyCycleTracker tracker(Region::eu868());
    const SimDuration airtime = SimDuration::fromMillis(400);
    tracker.record(869'525'000, SimTime::zero(), airtime);
    EXPECT_EQ(tracker.earliestStart(869'525'000, SimTime::fromMillis(1)), SimTime::fromMillis(4000));
    EXPECT_EQ(tracker.timeOff(869'525'000, airtime), SimDuration::fromMillis(3600));
    EXPECT_EQ(tracker.earliestStart(869'300'000, SimTime::zero()), SimTime::max());
    EXPECT_LE(sizeof(DutyCycleTracker), 7 * sizeof(void*));
}

TEST(LorawanPhyDutyCycle, Us915HasNoDutyCycle)
{
    DutyCycleTracker tracker(Region::us915());
    tracker.record(903'900'000, SimTime::zero(), SimDuration::fromMillis(400));
    EXPECT_EQ(tracker.earliestStart(903'900'000, SimTime::fromMillis(400)), SimTime::fromMillis(400));
    EXPECT_EQ(tracker.timeOff(903'900'000, SimDuration::fromMillis(400)), SimDuration::zero());
}

} // namespace
} // namespace otalab::sim::lorawan
