// SPDX-License-Identifier: Apache-2.0
#include "sim/channel/bernoulliloss.h"
#include "sim/kernel/randomstream.h"

#include <gtest/gtest.h>

using namespace otalab::sim;

TEST(ChannelBernoulli, MeanLossMatchesProbability)
{
    BernoulliLoss model(0.2);
    RandomStream rng(1234, 7, 0x4C4F5353u);
    constexpr int kFrames = 200'000;
    int lost = 0;
    for (int i = 0; i < kFrames; ++i)
        lost += model.decide(LinkFrame{0, 7, {}, {}, 50}, rng).lost ? 1 : 0;
    // σ = sqrt(0.2 × 0.8 / 200000) ≈ 0.0009; 5σ tolerance.
    EXPECT_NEAR(static_cast<double>(lost) / kFrames, 0.2, 0.0045);
}

TEST(ChannelBernoulli, ExtremesAndClamping)
{
    RandomStream rng(1, 1);
    BernoulliLoss never(0.0), always(1.0), clampedHigh(3.0), clampedLow(-1.0);
    EXPECT_EQ(clampedHigh.lossProbability(), 1.0);
    EXPECT_EQ(clampedLow.lossProbability(), 0.0);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_FALSE(never.decide({}, rng).lost);
        EXPECT_TRUE(always.decide({}, rng).lost);
    }
}

TEST(ChannelBernoulli, SameSeedSameDecisions)
{
    BernoulliLoss model(0.5);
    RandomStream r1(99, 3), r2(99, 3);
    for (int i = 0; i < 1000; ++i)
        ASSERT_EQ(model.decide({}, r1).lost, model.decide({}, r2).lost);
}
