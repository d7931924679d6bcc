// SPDX-License-Identifier: Apache-2.0
#include "sim/channel/bernoulliloss.h"
#include "sim/channel/linkcutschedule.h"
#include "sim/kernel/randomstream.h"

#include <gtest/gtest.h>

#include <memory>

using namespace otalab::sim;

namespace {

constexpr SimTime ms(std::int64_t v)
{
    return SimTime::fromMillis(v);
}
constexpr SimTime us(std::int64_t v)
{
    return SimTime::fromMicros(v);
}

LinkFrame frame(NodeId src, NodeId dst, SimTime start, SimTime end)
{
    return LinkFrame{src, dst, start, end, 20};
}

} // namespace

TEST(ChannelCuts, ExactAtBoundaries)
{
    LinkCutSchedule cuts;
    cuts.addCut(1, 2, ms(10), ms(20));
    RandomStream rng(1, 2);
    // Ends exactly when the cut starts: delivered.
    EXPECT_FALSE(cuts.decide(frame(1, 2, ms(9), ms(10)), rng).lost);
    // One nanosecond of overlap at either end: lost.
    EXPECT_TRUE(cuts.decide(frame(1, 2, ms(9), ms(10) + SimTime::fromNanos(1)), rng).lost);
    EXPECT_TRUE(cuts.decide(frame(1, 2, ms(20) - SimTime::fromNanos(1), ms(21)), rng).lost);
    EXPECT_TRUE(cuts.decide(frame(1, 2, ms(12), ms(13)), rng).lost);
    // Starts exactly when the link is restored: delivered.
    EXPECT_FALSE(cuts.decide(frame(1, 2, ms(20), ms(21)), rng).lost);

    EXPECT_FALSE(cuts.isCut(1, 2, ms(10) - SimTime::fromNanos(1)));
    EXPECT_TRUE(cuts.isCut(1, 2, ms(10)));
    EXPECT_TRUE(cuts.isCut(2, 1, ms(20) - SimTime::fromNanos(1)));
    EXPECT_FALSE(cuts.isCut(1, 2, ms(20)));
}

TEST(ChannelCuts, BothDirectionsOnlyThatLink)
{
    LinkCutSchedule cuts;
    cuts.addCut(1, 2, ms(0), ms(5));
    RandomStream rng(1, 2);
    EXPECT_TRUE(cuts.decide(frame(2, 1, us(100), us(500)), rng).lost);
    EXPECT_FALSE(cuts.decide(frame(1, 3, us(100), us(500)), rng).lost);
    EXPECT_FALSE(cuts.decide(frame(3, 2, us(100), us(500)), rng).lost);
}

TEST(ChannelCuts, SeveralCutsAndEmptyIntervals)
{
    LinkCutSchedule cuts;
    cuts.addCut(4, 5, ms(1), ms(2));
    cuts.addCut(4, 5, ms(3), ms(4));
    cuts.addCut(4, 5, ms(8), ms(8)); // empty: ignored
    EXPECT_TRUE(cuts.isCut(4, 5, us(1500)));
    EXPECT_FALSE(cuts.isCut(4, 5, us(2500)));
    EXPECT_TRUE(cuts.isCut(5, 4, us(3500)));
    EXPECT_FALSE(cuts.isCut(4, 5, ms(8)));
}

TEST(ChannelCuts, LayeredOverAnotherModel)
{
    auto inner = std::make_unique<BernoulliLoss>(0.25);
    LinkCutSchedule cuts(std::move(inner));
    cuts.addCut(1, 2, ms(10), ms(20));
    RandomStream rng(6, 2);
    int lost = 0;
    constexpr int kFrames = 100'000;
    for (int i = 0; i < kFrames; ++i)
        lost += cuts.decide(frame(1, 2, ms(30), ms(31)), rng).lost ? 1 : 0;
    EXPECT_NEAR(static_cast<double>(lost) / kFrames, 0.25, 0.007);
    for (int i = 0; i < 1000; ++i)
        ASSERT_TRUE(cuts.decide(frame(1, 2, ms(15), ms(16)), rng).lost);
}
