// SPDX-License-Identifier: Apache-2.0
#include "sim/channel/distanceloss.h"
#include "sim/channel/oqpskerrormodel.h"
#include "sim/kernel/randomstream.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace otalab::sim;

namespace {

DistanceLoss::Params defaults()
{
    DistanceLoss::Params p; // 0 dBm, PL(1 m) = 40.2 dB, n = 3, σ = 0, noise −100 dBm
    return p;
}

} // namespace

TEST(ChannelOqpsk, BitErrorRateAnchors)
{
    EXPECT_DOUBLE_EQ(OqpskErrorModel::bitErrorRate(0.0), 0.5); // no signal
    // Hand-computed from the E.4.1.8 sum (independent evaluation):
    EXPECT_NEAR(OqpskErrorModel::bitErrorRateDb(0.0), 1.6152668792294804e-4, 1e-12);
    EXPECT_NEAR(OqpskErrorModel::bitErrorRateDb(3.0), 8.597191274693308e-09, 1e-15);
    EXPECT_NEAR(OqpskErrorModel::packetErrorRate(0.0, 20), 0.02551519967211735, 1e-10);
}

TEST(ChannelOqpsk, ThermalNoiseFloor)
{
    // −174 dBm/Hz + 10·log10(2 MHz) + 10 dB NF = −100.99 dBm.
    EXPECT_NEAR(OqpskErrorModel::thermalNoiseFloorDbm(2e6, 10.0), -100.9897, 1e-4);
}

TEST(ChannelDistance, PathLossAndRssi)
{
    DistanceLoss model(defaults());
    EXPECT_NEAR(model.pathLossDb(1.0), 40.2, 1e-12);
    EXPECT_NEAR(model.pathLossDb(0.2), 40.2, 1e-12); // clamped to d0
    EXPECT_NEAR(model.pathLossDb(10.0), 70.2, 1e-12);
    EXPECT_NEAR(model.rssiDbm(100.0), -100.2, 1e-12);
}

TEST(ChannelDistance, PerMatchesHandComputedValues)
{
    // d = 100 m: SINR = −0.2 dB → BER 2.4923e-4 → PER(20 B) = 1 − (1 − BER)^160.
    // d = 110 m: SINR = −1.4418 dB → PER(20 B).
    DistanceLoss model(defaults());
    EXPECT_NEAR(model.packetErrorRate(100.0, 20), 0.03909622754612674, 1e-9);
    EXPECT_NEAR(model.packetErrorRate(110.0, 20), 0.3139738142764523, 1e-9);
    EXPECT_NEAR(model.packetErrorRate(100.0, 50), 0.09489337031768508, 1e-9);
}

TEST(ChannelDistance, PerIsMonotonicInDistance)
{
    DistanceLoss model(defaults());
    double previous = 0.0;
    for (double d = 1.0; d <= 200.0; d += 0.5) {
        const double per = model.packetErrorRate(d, 60);
        EXPECT_GE(per, previous) << "at " << d << " m";
        previous = per;
    }
    EXPECT_LT(model.packetErrorRate(50.0, 60), 1e-12);
    EXPECT_GT(model.packetErrorRate(150.0, 60), 0.999);
}

TEST(ChannelDistance, EmpiricalLossMatchesPer)
{
    DistanceLoss model(defaults());
    model.setPosition(0, {0.0, 0.0, 0.0});
    model.setPosition(1, {60.0, 80.0, 0.0}); // 100 m
    EXPECT_NEAR(model.distanceM(0, 1), 100.0, 1e-12);
    RandomStream rng(8, 1);
    constexpr int kFrames = 100'000;
    int lost = 0;
    for (int i = 0; i < kFrames; ++i) {
        const LossDecision d = model.decide(LinkFrame{0, 1, {}, {}, 20}, rng);
        lost += d.lost ? 1 : 0;
        ASSERT_NEAR(d.rssiDbm, -100.2, 1e-12);
    }
    // σ = sqrt(0.039 × 0.961 / 1e5) ≈ 0.0006.
    EXPECT_NEAR(static_cast<double>(lost) / kFrames, 0.0391, 0.003);
}

TEST(ChannelDistance, ShadowingSpreadsRssi)
{
    DistanceLoss::Params p = defaults();
    p.shadowingSigmaDb = 4.0;
    DistanceLoss model(p);
    model.setPosition(1, {30.0, 0.0, 0.0});
    RandomStream rng(3, 1);
    double sum = 0.0, sumSq = 0.0;
    constexpr int kFrames = 50'000;
    for (int i = 0; i < kFrames; ++i) {
        const double rssi = model.decide(LinkFrame{0, 1, {}, {}, 20}, rng).rssiDbm;
        sum += rssi;
        sumSq += rssi * rssi;
    }
    const double mean = sum / kFrames;
    const double sd = std::sqrt(sumSq / kFrames - mean * mean);
    EXPECT_NEAR(mean, model.rssiDbm(30.0), 0.1);
    EXPECT_NEAR(sd, 4.0, 0.1);
}
