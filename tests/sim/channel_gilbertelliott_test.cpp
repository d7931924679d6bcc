// SPDX-License-Identifier: Apache-2.0
#include "sim/channel/gilbertelliottloss.h"
#include "sim/kernel/randomstream.h"

#include <gtest/gtest.h>

using namespace otalab::sim;

TEST(ChannelGilbertElliott, MeanLossIsStationaryMixture)
{
    // πB = p/(p+r) = 0.05/0.30 = 1/6, πG = 5/6;
    // loss = πG(1−k) + πB(1−h) = 5/6 × 0.01 + 1/6 × 0.7 = 0.125.
    GilbertElliottLoss model({.p = 0.05, .r = 0.25, .k = 0.99, .h = 0.3});
    EXPECT_NEAR(model.stationaryLossProbability(), 0.125, 1e-12);
    RandomStream rng(2024, 1);
    constexpr int kFrames = 400'000;
    int lost = 0;
    for (int i = 0; i < kFrames; ++i)
        lost += model.decide(LinkFrame{0, 1, {}, {}, 20}, rng).lost ? 1 : 0;
    // Correlated samples: the variance is inflated by ~(1 + 2·ρ/(1−ρ)), ρ = 1 − p − r
    // = 0.7 → ×5.7; σ ≈ sqrt(0.125 × 0.875 / 400000 × 5.7) ≈ 0.0013. 5σ tolerance.
    EXPECT_NEAR(static_cast<double>(lost) / kFrames, 0.125, 0.0065);
}

TEST(ChannelGilbertElliott, MeanBurstLengthIsOneOverR)
{
    // k = 1, h = 0: a frame is lost iff the link is Bad, so loss bursts are Bad
    // sojourns, geometric with mean 1/r = 4 frames.
    GilbertElliottLoss model({.p = 0.05, .r = 0.25, .k = 1.0, .h = 0.0});
    RandomStream rng(77, 2);
    int bursts = 0;
    long burstFrames = 0;
    int run = 0;
    for (int i = 0; i < 400'000; ++i) {
        const bool lost = model.decide(LinkFrame{3, 2, {}, {}, 20}, rng).lost;
        EXPECT_EQ(lost, model.isBad(3, 2));
        if (lost) {
            ++run;
        } else if (run > 0) {
            ++bursts;
            burstFrames += run;
            run = 0;
        }
    }
    ASSERT_GT(bursts, 10'000);
    // Geometric(0.25): σ = sqrt(1−r)/r ≈ 3.46 per burst; over ~16,000 bursts σ ≈ 0.03.
    EXPECT_NEAR(static_cast<double>(burstFrames) / bursts, 4.0, 0.15);
}

TEST(ChannelGilbertElliott, LinksHaveIndependentState)
{
    // p = 1, r = 0: every link goes Bad on its first frame and stays there.
    GilbertElliottLoss model({.p = 1.0, .r = 0.0, .k = 1.0, .h = 0.0});
    RandomStream rng(5, 5);
    EXPECT_FALSE(model.isBad(0, 1));
    EXPECT_TRUE(model.decide(LinkFrame{0, 1, {}, {}, 10}, rng).lost);
    EXPECT_TRUE(model.isBad(0, 1));
    EXPECT_FALSE(model.isBad(1, 0)); // directed: the reverse link is untouched
    EXPECT_FALSE(model.isBad(0, 2));
}
