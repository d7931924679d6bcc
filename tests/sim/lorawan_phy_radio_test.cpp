// SPDX-License-Identifier: Apache-2.0
// Path loss, link budget, demodulator floors, packet error rate and SF choice.
#include "sim/lorawan/loraradio.h"
#include "sim/lorawan/propagation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace otalab::sim::lorawan {
namespace {

TEST(LorawanPhyRadio, LogDistancePathLossUsesBorEtAlDefaults)
{
    const RadioParams p;
    EXPECT_DOUBLE_EQ(pathLossDb(p, 40.0), 127.41);
    EXPECT_NEAR(pathLossDb(p, 400.0), 127.41 + 20.8, 1e-9);
    EXPECT_NEAR(pathLossDb(p, 4000.0), 127.41 + 41.6, 1e-9);
    EXPECT_DOUBLE_EQ(pathLossDb(p, 0.0), pathLossDb(p, 1.0));
}

TEST(LorawanPhyRadio, MaxRangeInvertsThePathLoss)
{
    const RadioParams p;
    const double sf12 = maxRangeM(p, 14.0, sensitivityDbm(12, 125'000));
    EXPECT_NEAR(sf12, 546.0, 2.0); // Bor et al.'s urban model: short ranges
    EXPECT_NEAR(linkBudget(p, sf12, 0.0, 14.0, 125'000).rssiDbm, sensitivityDbm(12, 125'000), 1e-9);
    EXPECT_LT(maxRangeM(p, 14.0, sensitivityDbm(7, 125'000)), sf12);
}

TEST(LorawanPhyRadio, LinkBudgetAndNoiseFloor)
{
    const RadioParams p;
    EXPECT_NEAR(noiseFloorDbm(p, 125'000), -174.0 + 10.0 * std::log10(125'000.0) + 6.0, 1e-9); // −117.03
    const LinkBudget b = linkBudget(p, 400.0, 2.0, 14.0, 125'000);
    EXPECT_NEAR(b.rssiDbm, 14.0 - (127.41 + 20.8) - 2.0, 1e-9);
    EXPECT_NEAR(b.snrDb, b.rssiDbm - noiseFloorDbm(p, 125'000), 1e-9);
}

TEST(LorawanPhyRadio, ShadowingIsDrawnFromTheLinkStreamDeterministically)
{
    const RadioParams p;
    RandomStream a(42, NodeId{7}, 3);
    RandomStream b(42, NodeId{7}, 3);
    EXPECT_EQ(drawShadowingDb(p, a), drawShadowingDb(p, b));
    RadioParams none;
    none.shadowingSigmaDb = 0.0;
    EXPECT_EQ(drawShadowingDb(none, a), 0.0);
    // The sample standard deviation is σ.
    RandomStream s(1, NodeId{1}, 0);
    double sum = 0, sq = 0;
    const int n = 20'000;
    for (int i = 0; i < n; ++i) {
        const double x = drawShadowingDb(p, s);
        sum += x;
        sq += x * x;
    }
    EXPECT_NEAR(sum / n, 0.0, 0.1);
    EXPECT_NEAR(std::sqrt(sq / n), 3.57, 0.1);
}

TEST(LorawanPhyRadio, SnrFloorsAndSensitivitiesPerSf)
{
    const double floors[] = {-7.5, -10.0, -12.5, -15.0, -17.5, -20.0};
    for (int sf = 7; sf <= 12; ++sf)
        EXPECT_DOUBLE_EQ(snrFloorDb(sf), floors[sf - 7]);
    EXPECT_NEAR(sensitivityDbm(7, 125'000), -124.53, 0.01);
    EXPECT_NEAR(sensitivityDbm(12, 125'000), -137.03, 0.01);
    EXPECT_NEAR(sensitivityDbm(12, 500'000), -131.0, 0.02);
}

TEST(LorawanPhyRadio, PacketErrorRateIsASmoothWaterfallAroundTheFloor)
{
    for (int sf = 7; sf <= 12; ++sf) {
        const double f = snrFloorDb(sf);
        EXPECT_NEAR(packetErrorRate(sf, f + 1.0, 20), 0.5, 1e-12);
        EXPECT_LT(packetErrorRate(sf, f + 3.0, 20), 0.01);
        EXPECT_GT(packetErrorRate(sf, f - 1.0, 20), 0.99);
        EXPECT_EQ(packetErrorRate(sf, f + 30.0, 20), 0.0);
        EXPECT_EQ(packetErrorRate(sf, f - 30.0, 20), 1.0);
        // Monotone in SNR, and longer frames fail more often.
        double previous = 1.0;
        for (double snr = f - 3.0; snr <= f + 5.0; snr += 0.1) {
            const double per = packetErrorRate(sf, snr, 20);
            EXPECT_LE(per, previous);
            previous = per;
            EXPECT_GE(packetErrorRate(sf, snr, 200), per);
        }
    }
}

TEST(LorawanPhyRadio, BestSpreadingFactorIsTheFastestWithTheMargin)
{
    EXPECT_EQ(bestSpreadingFactor(10.0, 5.0), 7);
    EXPECT_EQ(bestSpreadingFactor(-7.5, 0.0), 7);
    EXPECT_EQ(bestSpreadingFactor(-7.6, 0.0), 8);
    EXPECT_EQ(bestSpreadingFactor(-12.0, 3.0), 10);
    EXPECT_EQ(bestSpreadingFactor(-19.0, 0.0), 12);
    EXPECT_EQ(bestSpreadingFactor(-40.0, 0.0), 12);
}

} // namespace
} // namespace otalab::sim::lorawan
