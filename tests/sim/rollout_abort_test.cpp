// SPDX-License-Identifier: Apache-2.0
// Rollout engine: abortConfig (exact trip, minimum executed), in-progress timeouts,
// retries, reports the service would refuse.
#include "rollout_test_support.h"

using namespace otalab::sim;
using namespace otalab::sim::rollout;
using namespace otalab::sim::rollout::test;

namespace {

RolloutPolicyConfig abortAt(double threshold, int minExecuted, FailureType type = FailureType::Failed)
{
    RolloutPolicyConfig c = indexOrder();
    c.abort = {AbortCriterion{type, QStringLiteral("CANCEL"), threshold, minExecuted}};
    return c;
}

} // namespace

TEST(RolloutAbort, TripsOnTheReportThatReachesTheThresholdAndNotEarlier)
{
    auto e = makeEngine(abortAt(10, 10), 20);
    ASSERT_EQ(e->start(0).size(), 20u);
    for (std::uint32_t d = 10; d < 13; ++d)
        e->report(d, DeviceReport::Started, 1);
    EXPECT_TRUE(e->report(0, DeviceReport::Failed, 2).empty());  // 1 of 1 executed: below the minimum
    for (std::uint32_t d = 1; d <= 8; ++d)
        EXPECT_TRUE(e->report(d, DeviceReport::Succeeded, 3).empty());  // 1 of 9: still below the minimum
    EXPECT_EQ(e->jobStatus(), QStringLiteral("IN_PROGRESS"));
    EXPECT_FALSE(e->result({}).abortedAtS.has_value());

    // The 10th execution ends (a success): FAILED 1 of 10 = 10 % ≥ 10 % → CANCEL.
    const auto actions = e->report(9, DeviceReport::Succeeded, 4);
    EXPECT_EQ(e->jobStatus(), QStringLiteral("CANCELED"));
    ASSERT_EQ(actions.size(), 7u);  // the 7 QUEUED executions (13 .. 19)
    for (std::size_t i = 0; i < actions.size(); ++i) {
        EXPECT_EQ(actions[i].kind, RolloutAction::Kind::Stop);
        EXPECT_EQ(actions[i].device, 13 + i);
        EXPECT_EQ(actions[i].state, ExecutionState::Canceled);
    }
    const RolloutResult r = e->result({});
    ASSERT_TRUE(r.abortedAtS.has_value());
    EXPECT_DOUBLE_EQ(*r.abortedAtS, 4.0);
    EXPECT_EQ(r.abortReason, QStringLiteral("FAILED 10.0 % of 10 executed ≥ 10 % (min 10 executed): CANCEL"));
    EXPECT_EQ(r.executionsAtAbort[std::size_t(ExecutionState::Succeeded)], 9);
    EXPECT_EQ(r.executionsAtAbort[std::size_t(ExecutionState::Failed)], 1);
    EXPECT_EQ(r.executionsAtAbort[std::size_t(ExecutionState::InProgress)], 3);
    EXPECT_EQ(r.executionsAtAbort[std::size_t(ExecutionState::Queued)], 7);
    EXPECT_EQ(r.jobStatus, QStringLiteral("CANCELED"));

    // IN_PROGRESS executions continue (non-force cancel) and may still succeed.
    EXPECT_EQ(count(*e, ExecutionState::InProgress), 3);
    e->report(10, DeviceReport::Succeeded, 5);
    e->report(11, DeviceReport::Failed, 5);
    EXPECT_EQ(e->state(10), ExecutionState::Succeeded);
    EXPECT_EQ(e->state(11), ExecutionState::Failed);
    EXPECT_EQ(count(*e, ExecutionState::Canceled), 7);
    EXPECT_EQ(r.abortReason, e->result({}).abortReason);  // the first moment stays
}

TEST(RolloutAbort, FractionalThresholdAndReasonWords)
{
    // 5 of 96 = 5.2 % ≥ 5 %, min 50: the example of the issue.
    auto e = makeEngine(abortAt(5, 50), 200);
    e->start(0);
    for (std::uint32_t d = 0; d < 91; ++d)
        e->report(d, DeviceReport::Succeeded, 1);
    for (std::uint32_t d = 91; d < 95; ++d)
        e->report(d, DeviceReport::Failed, 2);
    EXPECT_EQ(e->jobStatus(), QStringLiteral("IN_PROGRESS"));  // 4 of 95 = 4.2 %
    e->report(95, DeviceReport::Failed, 3);                    // 5 of 96
    EXPECT_EQ(e->result({}).abortReason, QStringLiteral("FAILED 5.2 % of 96 executed ≥ 5 % (min 50 executed): CANCEL"));
}

TEST(RolloutAbort, NeverBelowTheMinimumExecuted)
{
    auto e = makeEngine(abortAt(10, 10, FailureType::All), 20);
    e->start(0);
    for (std::uint32_t d = 0; d < 9; ++d)
        e->report(d, d % 2 ? DeviceReport::Rejected : DeviceReport::Failed, 1);  // 100 % of 9
    EXPECT_EQ(e->jobStatus(), QStringLiteral("IN_PROGRESS"));
    EXPECT_EQ(count(*e, ExecutionState::Canceled), 0);
    e->report(9, DeviceReport::Succeeded, 2);
    EXPECT_EQ(e->jobStatus(), QStringLiteral("CANCELED"));
    EXPECT_EQ(e->result({}).abortReason, QStringLiteral("ALL 90.0 % of 10 executed ≥ 10 % (min 10 executed): CANCEL"));
}

TEST(RolloutAbort, InProgressTimeoutStopsTheExecution)
{
    RolloutPolicyConfig c = indexOrder();
    c.inProgressTimeoutMinutes = 1;
    auto e = makeEngine(c, 3);
    e->start(0);
    e->report(0, DeviceReport::Started, 10);
    e->report(1, DeviceReport::Started, 20);
    e->report(2, DeviceReport::Started, 30);
    e->report(0, DeviceReport::Started, 40);  // a status update: the timer is not re-armed
    e->report(1, DeviceReport::Succeeded, 50);
    EXPECT_DOUBLE_EQ(*e->nextWakeS(), 70.0);
    EXPECT_TRUE(e->advance(69.9).empty());
    const auto actions = e->advance(70);
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0].kind, RolloutAction::Kind::Stop);
    EXPECT_EQ(actions[0].device, 0u);
    EXPECT_EQ(actions[0].state, ExecutionState::TimedOut);
    EXPECT_EQ(e->state(0), ExecutionState::TimedOut);
    // Device 1's entry is stale (it succeeded); device 2's deadline is 90 s. A report at
    // exactly the deadline is taken (the timer fires only after it).
    EXPECT_DOUBLE_EQ(*e->nextWakeS(), 90.0);
    EXPECT_TRUE(e->report(2, DeviceReport::Succeeded, 90).empty());
    EXPECT_EQ(e->state(2), ExecutionState::Succeeded);
    EXPECT_FALSE(e->nextWakeS().has_value());
    EXPECT_EQ(e->jobStatus(), QStringLiteral("COMPLETED"));
    // A late report of the timed-out device is refused.
    e->report(0, DeviceReport::Succeeded, 100);
    EXPECT_EQ(e->state(0), ExecutionState::TimedOut);
    EXPECT_EQ(e->ignoredReports(), 1u);
}

TEST(RolloutAbort, TimedOutRetriedThenFinalAndOnlyFinalCountsForAbort)
{
    RolloutPolicyConfig c = abortAt(50, 2, FailureType::TimedOut);
    c.inProgressTimeoutMinutes = 1;
    c.retries = {RetryCriterion{FailureType::TimedOut, 2}};
    auto e = makeEngine(c, 2);
    e->start(0);
    e->report(1, DeviceReport::Succeeded, 0);
    double t = 0;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        EXPECT_EQ(e->executionNumber(0), attempt);
        e->report(0, DeviceReport::Started, t);
        t += 60;
        const auto actions = e->advance(t);
        ASSERT_GE(actions.size(), 1u);
        EXPECT_EQ(actions[0].kind, RolloutAction::Kind::Stop);
        EXPECT_EQ(actions[0].state, ExecutionState::TimedOut);
        if (attempt < 3) {
            ASSERT_EQ(actions.size(), 2u);
            EXPECT_EQ(actions[1].kind, RolloutAction::Kind::Notify);
            EXPECT_EQ(actions[1].state, ExecutionState::Queued);
            EXPECT_EQ(e->state(0), ExecutionState::Queued);
            EXPECT_EQ(e->jobStatus(), QStringLiteral("IN_PROGRESS"));  // a retried failure is not final
        }
        t += 1;
    }
    EXPECT_EQ(e->state(0), ExecutionState::TimedOut);
    EXPECT_EQ(e->executionNumber(0), 3);
    const RolloutResult r = e->result({});
    ASSERT_TRUE(r.abortedAtS.has_value());
    EXPECT_DOUBLE_EQ(*r.abortedAtS, 182.0);
    EXPECT_EQ(r.abortReason, QStringLiteral("TIMED_OUT 50.0 % of 2 executed ≥ 50 % (min 2 executed): CANCEL"));
}

TEST(RolloutAbort, AllRetriesShareOneCount)
{
    RolloutPolicyConfig c = indexOrder();
    c.inProgressTimeoutMinutes = 1;
    c.retries = {RetryCriterion{FailureType::All, 1}};
    auto e = makeEngine(c, 1);
    e->start(0);
    const auto retry = e->report(0, DeviceReport::Failed, 1);
    ASSERT_EQ(retry.size(), 1u);
    EXPECT_EQ(retry[0].kind, RolloutAction::Kind::Notify);
    EXPECT_EQ(e->executionNumber(0), 2);
    e->report(0, DeviceReport::Started, 2);
    const auto last = e->advance(62);
    ASSERT_EQ(last.size(), 1u);  // Stop only: ALL's single retry is used
    EXPECT_EQ(e->state(0), ExecutionState::TimedOut);
    // REJECTED is never retried.
    RolloutPolicyConfig r = indexOrder();
    r.retries = {RetryCriterion{FailureType::All, 3}};
    auto f = makeEngine(r, 1);
    f->start(0);
    EXPECT_TRUE(f->report(0, DeviceReport::Rejected, 1).empty());
    EXPECT_EQ(f->state(0), ExecutionState::Rejected);
}

TEST(RolloutAbort, ReportsTheServiceRefusesAreIgnoredAndCounted)
{
    RolloutPolicyConfig c = indexOrder();
    c.rollout.maximumPerMinute = 1;
    auto e = makeEngine(c, 3);
    e->report(0, DeviceReport::Started, 0);  // before the job started
    e->start(0);
    e->report(1, DeviceReport::Started, 1);  // not notified yet (the next goes at 60 s)
    e->report(7, DeviceReport::Started, 1);  // no such device
    e->report(0, DeviceReport::Succeeded, 2);
    e->report(0, DeviceReport::Failed, 3);   // terminal: refused
    e->report(0, DeviceReport::Started, 3);
    EXPECT_EQ(e->ignoredReports(), 5u);
    EXPECT_EQ(e->state(0), ExecutionState::Succeeded);
    EXPECT_EQ(e->state(1), ExecutionState::Queued);
    EXPECT_FALSE(e->notified(1));
    EXPECT_EQ(e->executionNumber(1), 0);
}

TEST(RolloutAbort, UserCancelRecordsTheMoment)
{
    auto e = makeEngine(indexOrder(), 4);
    e->start(0);
    e->report(0, DeviceReport::Started, 1);
    const auto stops = e->cancel(5, false, QStringLiteral("operator"));
    EXPECT_EQ(stops.size(), 3u);
    EXPECT_EQ(e->state(0), ExecutionState::InProgress);
    const auto force = e->cancel(6, true, QStringLiteral("operator again"));
    ASSERT_EQ(force.size(), 1u);
    EXPECT_EQ(e->state(0), ExecutionState::Canceled);
    const RolloutResult r = e->result({});
    EXPECT_DOUBLE_EQ(*r.abortedAtS, 5.0);
    EXPECT_EQ(r.abortReason, QStringLiteral("operator: CANCEL"));
}

// A criterion that never trips still tells how close it came: the highest failure share
// it saw once its minimum was executed (before the minimum nothing counts).
TEST(RolloutAbort, UntrippedCriterionReportsItsPeak)
{
    auto e = makeEngine(abortAt(50, 4), 10);
    ASSERT_EQ(e->start(0).size(), 10u);
    e->report(0, DeviceReport::Failed, 60);     // 1 of 1: below the minimum, not a peak
    e->report(1, DeviceReport::Failed, 120);    // 2 of 2: below the minimum
    e->report(2, DeviceReport::Succeeded, 180);
    e->report(3, DeviceReport::Succeeded, 240); // 2 of 4 = 50 % → trips? 50 ≥ 50: yes
    EXPECT_EQ(e->jobStatus(), QStringLiteral("CANCELED"));

    auto quiet = makeEngine(abortAt(60, 4), 10);
    quiet->start(0);
    quiet->report(0, DeviceReport::Failed, 60);
    quiet->report(1, DeviceReport::Succeeded, 120);
    quiet->report(2, DeviceReport::Failed, 180);
    quiet->report(3, DeviceReport::Succeeded, 240);   // 2 of 4 = 50 %: the peak, at 4 min
    quiet->report(4, DeviceReport::Succeeded, 300);   // 2 of 5 = 40 %
    EXPECT_EQ(quiet->jobStatus(), QStringLiteral("IN_PROGRESS"));
    const RolloutResult r = quiet->result({});
    const auto row = std::find_if(r.rows.begin(), r.rows.end(), [](const auto& a) { return a.name == QStringLiteral("Abort criterion"); });
    ASSERT_NE(row, r.rows.end());
    EXPECT_EQ(row->value, QStringLiteral("FAILED ≥ 60 % after 4 executed — peak 50.0 % (2 of 4 executed, at 4.0 min)"));

    auto unreached = makeEngine(abortAt(5, 100), 10);
    unreached->start(0);
    unreached->report(0, DeviceReport::Failed, 60);
    const RolloutResult u = unreached->result({});
    const auto urow = std::find_if(u.rows.begin(), u.rows.end(), [](const auto& a) { return a.name == QStringLiteral("Abort criterion"); });
    ASSERT_NE(urow, u.rows.end());
    EXPECT_TRUE(urow->value.endsWith(QStringLiteral("the minimum was never executed")));
}
