// SPDX-License-Identifier: Apache-2.0
// Rollout engine: notification pacing — maximumPerMinute, exponential steps on notified
// and on succeeded things, no rate (all at once), start time, maintenance windows, endS.
#include "rollout_test_support.h"

using namespace otalab::sim;
using namespace otalab::sim::rollout;
using namespace otalab::sim::rollout::test;

TEST(RolloutRate, MaximumPerMinuteSpacesNotificationsEvenly)
{
    RolloutPolicyConfig c = indexOrder();
    c.rollout.maximumPerMinute = 60;
    auto e = makeEngine(c, 100);
    std::vector<TimedAction> log;
    append(log, 0, e->start(0));
    runTo(*e, 1000, log);
    const auto n = notifies(log);
    ASSERT_EQ(n.size(), 100u);
    for (std::size_t i = 0; i < n.size(); ++i) {
        EXPECT_DOUBLE_EQ(n[i].timeS, double(i)) << i;
        EXPECT_EQ(n[i].action.device, i);  // "index": device order
    }
    EXPECT_DOUBLE_EQ(n[60].timeS, 60.0);  // the 61st notification opens the second minute
    for (std::size_t i = 0; i + 60 < n.size(); ++i)
        EXPECT_GE(n[i + 60].timeS - n[i].timeS, 60.0);  // at most 60 in any minute
    EXPECT_EQ(e->notifiedCount(), 100);
    EXPECT_EQ(e->currentRatePerMinute(), 0);  // nothing left to notify
}

TEST(RolloutRate, NoRolloutConfigNotifiesEveryoneAtStart)
{
    auto e = makeEngine(indexOrder(), 1000);
    const auto actions = e->start(5);
    EXPECT_EQ(actions.size(), 1000u);
    EXPECT_EQ(e->notifiedCount(), 1000);
    EXPECT_FALSE(e->nextWakeS().has_value());
    EXPECT_EQ(e->jobStatus(), QStringLiteral("IN_PROGRESS"));
}

TEST(RolloutRate, ExponentialOnNotifiedThingsStepsAtExactTimes)
{
    RolloutPolicyConfig c = indexOrder();
    c.rollout.maximumPerMinute = 40;
    c.rollout.exponentialRate = ExponentialRate{10, 2.0, {10, std::nullopt}};
    auto e = makeEngine(c, 50);
    std::vector<TimedAction> log;
    append(log, 0, e->start(0));
    EXPECT_EQ(e->currentRatePerMinute(), 10);
    EXPECT_EQ(e->currentGroup(), QStringLiteral("wave 1"));
    runTo(*e, 10'000, log);
    const auto n = notifies(log);
    ASSERT_EQ(n.size(), 50u);
    // 10/min: 0, 6, ..., 54; after the 10th, 20/min: 57 ... 84; after the 20th, 40/min
    // (the cap): 85.5 ... 99, then the cap holds: 100.5 ... 129.
    for (int i = 0; i < 10; ++i)
        EXPECT_DOUBLE_EQ(n[std::size_t(i)].timeS, 6.0 * i);
    for (int i = 10; i < 20; ++i)
        EXPECT_DOUBLE_EQ(n[std::size_t(i)].timeS, 54.0 + 3.0 * (i - 9));
    for (int i = 20; i < 50; ++i)
        EXPECT_DOUBLE_EQ(n[std::size_t(i)].timeS, 84.0 + 1.5 * (i - 19));
    const RolloutResult r = e->result({});
    ASSERT_EQ(r.groups.size(), 3u);
    EXPECT_EQ(r.groups[0].name, QStringLiteral("wave 1"));
    EXPECT_EQ(r.groups[0].devices, 10);
    EXPECT_EQ(r.groups[1].devices, 10);
    EXPECT_EQ(r.groups[2].name, QStringLiteral("wave 3"));
    EXPECT_EQ(r.groups[2].devices, 30);
    EXPECT_DOUBLE_EQ(*r.groups[1].startS, 57.0);
    EXPECT_DOUBLE_EQ(*r.groups[2].startS, 85.5);
    EXPECT_EQ(r.groups[0].endReason, QStringLiteral("rate raised to 20/min after 10 more notified"));
}

TEST(RolloutRate, ExponentialOnSucceededThingsStepsFromTheLastNotification)
{
    RolloutPolicyConfig c = indexOrder();
    c.rollout.exponentialRate = ExponentialRate{10, 2.0, {std::nullopt, 3}};
    auto e = makeEngine(c, 30);
    std::vector<TimedAction> log;
    append(log, 0, e->start(0));
    runTo(*e, 13, log);  // 0, 6, 12
    ASSERT_EQ(notifies(log).size(), 3u);
    append(log, 13, e->report(0, DeviceReport::Succeeded, 13));
    append(log, 13, e->report(1, DeviceReport::Succeeded, 13));
    EXPECT_EQ(e->currentRatePerMinute(), 10);
    EXPECT_DOUBLE_EQ(*e->nextWakeS(), 18.0);
    append(log, 14, e->report(2, DeviceReport::Succeeded, 14));  // 3 succeeded → 20/min
    EXPECT_EQ(e->currentRatePerMinute(), 20);
    EXPECT_DOUBLE_EQ(*e->nextWakeS(), 15.0);  // last notification 12 + 3 s
    runTo(*e, 17.5, log);                     // 15 only
    ASSERT_EQ(notifies(log).size(), 4u);
    EXPECT_DOUBLE_EQ(notifies(log)[3].timeS, 15.0);
    auto more = makeEngine(c, 30);  // a second engine: the "now" bound on its own
    std::vector<TimedAction> log2;
    append(log2, 0, more->start(0));
    runTo(*more, 12, log2);
    for (std::uint32_t d = 0; d < 3; ++d)
        append(log2, 17.5, more->report(d, DeviceReport::Succeeded, 17.5));
    // The raise at 17.5: last notification 12 + 3 = 15 is past → the 18 s slot becomes 17.5.
    const auto n2 = notifies(log2);
    ASSERT_EQ(n2.size(), 4u);
    EXPECT_DOUBLE_EQ(n2[3].timeS, 17.5);
    EXPECT_EQ(n2[3].action.device, 3u);
    runTo(*more, 20.5, log2);
    EXPECT_DOUBLE_EQ(notifies(log2).back().timeS, 20.5);  // 17.5 + 3
}

TEST(RolloutRate, StartTimeAndMaintenanceWindows)
{
    RolloutPolicyConfig c = indexOrder();
    c.rollout.maximumPerMinute = 60;
    c.scheduling.startS = 50;
    c.scheduling.maintenanceWindows = {MaintenanceWindow{100, 60, 200}};
    auto e = makeEngine(c, 150);
    std::vector<TimedAction> log;
    append(log, 0, e->start(0));
    EXPECT_EQ(e->jobStatus(), QStringLiteral("SCHEDULED"));
    EXPECT_DOUBLE_EQ(*e->nextWakeS(), 100.0);
    runTo(*e, 1000, log);
    const auto n = notifies(log);
    ASSERT_EQ(n.size(), 150u);
    EXPECT_DOUBLE_EQ(n[0].timeS, 100.0);
    EXPECT_DOUBLE_EQ(n[59].timeS, 159.0);   // the window closes at 160
    EXPECT_DOUBLE_EQ(n[60].timeS, 300.0);   // next opening
    EXPECT_DOUBLE_EQ(n[119].timeS, 359.0);
    EXPECT_DOUBLE_EQ(n[120].timeS, 500.0);
    EXPECT_DOUBLE_EQ(n[149].timeS, 529.0);
}

TEST(RolloutRate, EndStopRolloutLeavesTheRestQueued)
{
    RolloutPolicyConfig c = indexOrder();
    c.rollout.maximumPerMinute = 60;
    c.scheduling.endS = 30;
    auto e = makeEngine(c, 100);
    std::vector<TimedAction> log;
    append(log, 0, e->start(0));
    runTo(*e, 1000, log);
    const auto n = notifies(log);
    ASSERT_EQ(n.size(), 30u);  // 0 .. 29: none at or after endS
    EXPECT_DOUBLE_EQ(n.back().timeS, 29.0);
    EXPECT_EQ(count(*e, ExecutionState::Queued), 100);
    EXPECT_EQ(e->jobStatus(), QStringLiteral("IN_PROGRESS"));  // 30 notified still queued
    for (std::uint32_t d = 0; d < 30; ++d)
        e->report(d, DeviceReport::Succeeded, 1001);
    EXPECT_EQ(e->jobStatus(), QStringLiteral("COMPLETED"));
    EXPECT_FALSE(e->nextWakeS().has_value());
    EXPECT_EQ(count(*e, ExecutionState::Queued), 70);
}

TEST(RolloutRate, EndCancelAndForceCancel)
{
    for (const bool force : {false, true}) {
        RolloutPolicyConfig c = indexOrder();
        c.rollout.maximumPerMinute = 60;
        c.scheduling.endS = 30;
        c.scheduling.endBehavior = force ? QStringLiteral("FORCE_CANCEL") : QStringLiteral("CANCEL");
        auto e = makeEngine(c, 100);
        std::vector<TimedAction> log;
        append(log, 0, e->start(0));
        runTo(*e, 20, log);  // 0 .. 20 notified
        e->report(0, DeviceReport::Started, 20);
        e->report(1, DeviceReport::Started, 20);
        e->report(2, DeviceReport::Succeeded, 20);
        std::vector<TimedAction> end;
        runTo(*e, 30, end);
        int stops = 0;
        for (const TimedAction& a : end) {
            if (a.action.kind == RolloutAction::Kind::Notify)
                EXPECT_LT(a.timeS, 30.0);
            if (a.action.kind == RolloutAction::Kind::Stop) {
                ++stops;
                EXPECT_DOUBLE_EQ(a.timeS, 30.0);
                EXPECT_EQ(a.action.state, ExecutionState::Canceled);
            }
        }
        EXPECT_EQ(e->jobStatus(), QStringLiteral("CANCELED"));
        EXPECT_EQ(stops, force ? 99 : 97);
        EXPECT_EQ(e->state(0), force ? ExecutionState::Canceled : ExecutionState::InProgress);
        EXPECT_EQ(e->state(2), ExecutionState::Succeeded);
        EXPECT_EQ(count(*e, ExecutionState::Canceled), force ? 99 : 97);
    }
}
