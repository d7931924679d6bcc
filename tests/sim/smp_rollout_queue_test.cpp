// SPDX-License-Identifier: Apache-2.0
// The SMP family under a rollout policy (Fleet's rollout hooks, driven by hand): the host's
// push queue takes only released boards, in release order; a stopped queued board is never
// pushed; a board stopped mid-upload is abandoned and ends Failed with the reason.
#include "smp_fleet_test_support.h"

#include <gtest/gtest.h>

namespace otalab::test::smpfleet {
namespace {

using sim::FleetPhase;
using sim::SimTime;
using sim::SmpPushState;

sim::SmpFleetConfig oneAtATime(int boards)
{
    sim::SmpFleetConfig c = smallUdp(boards);
    c.udp.concurrency = 1;
    return c;
}

TEST(SmpRolloutQueue, SupportsGateAndStopNotRetry)
{
    FleetBench b(smallUdp(4));
    const auto s = b.fleet->rolloutSupport();
    EXPECT_TRUE(s.gate);
    EXPECT_TRUE(s.stop);
    EXPECT_FALSE(s.retry);
    EXPECT_FALSE(s.how.isEmpty());
}

TEST(SmpRolloutQueue, HeldBoardsAreNeverPushed)
{
    FleetBench b(smallUdp(8));
    b.fleet->holdForRollout();
    EXPECT_FALSE(b.run(SimTime::fromSecondsInt(3600)));
    for (std::size_t i = 0; i < 8; ++i) {
        EXPECT_EQ(b.fleet->phase(i), FleetPhase::Waiting) << i;
        EXPECT_EQ(b.smp().board(i).state, SmpPushState::Queued) << i;
        EXPECT_FALSE(b.smp().board(i).admittedAt) << i;
    }
    EXPECT_EQ(b.smp().host().maxActiveBoards(), 0);
    EXPECT_EQ(b.recorder.changes, 0);
    const sim::NamedValue* row = attribute(b.fleet->status(3), QStringLiteral("Rollout"));
    ASSERT_NE(row, nullptr);
    EXPECT_TRUE(row->value.startsWith(QStringLiteral("queued")));
}

TEST(SmpRolloutQueue, ReleasedBoardsArePushedInReleaseOrderOthersWait)
{
    FleetBench b(oneAtATime(8));
    b.fleet->holdForRollout();
    b.fleet->start();
    b.sim.runUntil(SimTime::fromSecondsInt(10));
    b.fleet->releaseDevices({5, 2, 7});
    b.fleet->releaseDevices({2});  // twice: ignored
    b.sim.runUntil(SimTime::fromSecondsInt(3600));
    for (std::size_t i = 0; i < 8; ++i) {
        const bool released = i == 5 || i == 2 || i == 7;
        EXPECT_EQ(b.fleet->phase(i), released ? FleetPhase::Upgraded : FleetPhase::Waiting) << i;
    }
    ASSERT_TRUE(b.smp().board(5).admittedAt && b.smp().board(2).admittedAt && b.smp().board(7).admittedAt);
    EXPECT_EQ(*b.smp().board(5).admittedAt, SimTime::fromSecondsInt(10));
    EXPECT_LT(*b.smp().board(5).admittedAt, *b.smp().board(2).admittedAt);
    EXPECT_LT(*b.smp().board(2).admittedAt, *b.smp().board(7).admittedAt);
    // One slot: board 2 starts when board 5 concludes, board 7 when board 2 does.
    EXPECT_EQ(*b.smp().board(2).admittedAt, *b.smp().board(5).finishedAt);
    EXPECT_EQ(*b.smp().board(7).admittedAt, *b.smp().board(2).finishedAt);
    EXPECT_EQ(b.smp().host().maxActiveBoards(), 1);
}

TEST(SmpRolloutQueue, StoppedBoardsAreNeverPushedOrAbandonedMidUpload)
{
    FleetBench b(oneAtATime(4));
    b.fleet->holdForRollout();
    b.fleet->start();
    b.fleet->releaseDevices({0, 1, 2});
    while (b.smp().board(0).state != SmpPushState::Uploading && b.sim.now() < SimTime::fromSecondsInt(600))
        b.sim.runUntil(b.sim.now() + SimTime::fromMillis(50));
    ASSERT_EQ(b.smp().board(0).state, SmpPushState::Uploading);
    b.fleet->stopDevices({0, 1});
    b.sim.runUntil(SimTime::fromSecondsInt(3600));

    EXPECT_EQ(b.fleet->phase(0), FleetPhase::Failed);
    const sim::DeviceStatus st = b.fleet->status(0);
    EXPECT_TRUE(st.failureReason.startsWith(QStringLiteral("job execution ended by the rollout"))) << st.failureReason.toStdString();
    EXPECT_TRUE(st.failureReason.contains(QStringLiteral("uploading"))) << st.failureReason.toStdString();
    EXPECT_LT(b.smp().board(0).acknowledged, 24 * 1024);
    // Board 1 was queued behind it: never taken up. Board 2 (still released) takes the slot.
    EXPECT_EQ(b.smp().board(1).state, SmpPushState::Queued);
    EXPECT_FALSE(b.smp().board(1).admittedAt);
    EXPECT_EQ(b.fleet->phase(2), FleetPhase::Upgraded);
    EXPECT_EQ(*b.smp().board(2).admittedAt, *b.smp().board(0).finishedAt);
    EXPECT_EQ(b.fleet->phase(3), FleetPhase::Waiting);
    EXPECT_EQ(b.smp().host().activeBoards(), 0);
    EXPECT_EQ(b.recorder.leftFinal, 0);

    // A stop of a final board changes nothing.
    b.fleet->stopDevices({2});
    b.sim.runUntil(SimTime::fromSecondsInt(3700));
    EXPECT_EQ(b.fleet->phase(2), FleetPhase::Upgraded);
}

TEST(SmpRolloutQueue, BleBoardStoppedWhileConnectingEndsFailedAndFreesItsConnection)
{
    FleetBench b(smallBle(4));
    b.fleet->holdForRollout();
    b.fleet->start();
    b.fleet->releaseDevices({0});
    ASSERT_EQ(b.smp().board(0).state, SmpPushState::Connecting);
    b.fleet->stopDevices({0});
    b.fleet->releaseDevices({1});
    b.sim.runUntil(SimTime::fromSecondsInt(3600));
    EXPECT_EQ(b.fleet->phase(0), FleetPhase::Failed);
    EXPECT_TRUE(b.fleet->status(0).failureReason.contains(QStringLiteral("while connecting")))
        << b.fleet->status(0).failureReason.toStdString();
    EXPECT_EQ(b.fleet->phase(1), FleetPhase::Upgraded);
    EXPECT_EQ(b.smp().host().activeBoards(), 0);
    EXPECT_EQ(b.fleet->phase(2), FleetPhase::Waiting);
}

TEST(SmpRolloutQueue, ReleasingEveryBoardInOrderPushesLikeNoRollout)
{
    // Released all at once in board order, the held host takes up the same boards at the
    // same times as the unheld one: the same trace.
    FleetBench plain(smallUdp(6));
    ASSERT_TRUE(plain.run());
    FleetBench held(smallUdp(6));
    held.fleet->holdForRollout();
    held.fleet->start();
    held.fleet->releaseDevices({0, 1, 2, 3, 4, 5});
    held.sim.runUntil(SimTime::fromSecondsInt(24 * 3600));
    EXPECT_EQ(held.count(sim::DeviceOutcome::Upgraded), 6);
    EXPECT_EQ(held.trace.fingerprint(), plain.trace.fingerprint());
}

} // namespace
} // namespace otalab::test::smpfleet
