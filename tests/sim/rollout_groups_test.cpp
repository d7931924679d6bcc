// SPDX-License-Identifier: Apache-2.0
// Rollout engine: hawkBit groups (next group at the success threshold, pause at the
// error threshold) and Mender phases (batch at its start time or when the previous batch
// was all notified, maxDevices).
#include "rollout_test_support.h"

using namespace otalab::sim;
using namespace otalab::sim::rollout;
using namespace otalab::sim::rollout::test;

namespace {

RolloutPolicyConfig hawkbit()
{
    RolloutPolicyConfig c = indexOrder();
    c.kind = PolicyKind::Hawkbit;
    c.groups = {HawkbitGroup{QStringLiteral("canary"), 10, 80, 20}, HawkbitGroup{QStringLiteral("rest"), 100, 100, std::nullopt}};
    return c;
}

RolloutPolicyConfig mender(std::vector<MenderPhase> phases)
{
    RolloutPolicyConfig c = indexOrder();
    c.kind = PolicyKind::Mender;
    c.phases = std::move(phases);
    return c;
}

} // namespace

TEST(RolloutHawkbit, NextGroupStartsAtTheSuccessThreshold)
{
    auto e = makeEngine(hawkbit(), 100);
    const auto first = e->start(0);
    ASSERT_EQ(first.size(), 10u);  // canary: 10 % of 100, all at once
    EXPECT_EQ(first.back().device, 9u);
    EXPECT_EQ(e->currentGroup(), QStringLiteral("canary"));
    for (std::uint32_t d = 0; d < 7; ++d)
        EXPECT_TRUE(e->report(d, DeviceReport::Succeeded, 1).empty());  // 70 % < 80 %
    const auto next = e->report(7, DeviceReport::Succeeded, 5);         // 80 %
    ASSERT_EQ(next.size(), 90u);
    EXPECT_EQ(next.front().device, 10u);
    EXPECT_EQ(next.back().device, 99u);
    EXPECT_EQ(e->currentGroup(), QStringLiteral("rest"));
    const RolloutResult r = e->result({});
    ASSERT_EQ(r.groups.size(), 2u);
    EXPECT_EQ(r.groups[0].devices, 10);
    EXPECT_EQ(r.groups[1].devices, 90);
    EXPECT_DOUBLE_EQ(*r.groups[0].startS, 0.0);
    EXPECT_DOUBLE_EQ(*r.groups[1].startS, 5.0);
    EXPECT_EQ(r.groups[0].succeeded, 8);
    EXPECT_EQ(r.groups[0].endReason, QStringLiteral("success threshold 80 % reached: next group started"));
    EXPECT_EQ(r.policy, QStringLiteral("hawkbit"));
}

TEST(RolloutHawkbit, ErrorThresholdPausesTheRollout)
{
    auto e = makeEngine(hawkbit(), 100);
    e->start(0);
    e->report(0, DeviceReport::Failed, 1);  // 10 % < 20 %
    EXPECT_EQ(e->jobStatus(), QStringLiteral("IN_PROGRESS"));
    e->report(1, DeviceReport::Started, 1);
    e->report(2, DeviceReport::Failed, 2);  // 20 %: PAUSE
    EXPECT_EQ(e->jobStatus(), QStringLiteral("PAUSED"));
    for (std::uint32_t d = 3; d < 10; ++d)
        EXPECT_TRUE(e->report(d, DeviceReport::Succeeded, 3).empty());  // 70 %… the next group stays held
    e->report(1, DeviceReport::Succeeded, 4);                             // in-progress ones go on
    EXPECT_EQ(e->notifiedCount(), 10);
    EXPECT_EQ(count(*e, ExecutionState::Queued), 90);  // queued stay queued
    EXPECT_EQ(count(*e, ExecutionState::Canceled), 0);
    EXPECT_FALSE(e->nextWakeS().has_value());
    EXPECT_EQ(e->currentRatePerMinute(), 0);
    const RolloutResult r = e->result({});
    EXPECT_EQ(r.jobStatus, QStringLiteral("PAUSED"));
    EXPECT_DOUBLE_EQ(*r.abortedAtS, 2.0);
    EXPECT_EQ(r.abortReason, QStringLiteral("group \"canary\": 2 of 10 failed (20.0 %) ≥ error threshold 20 %: PAUSE"));
    EXPECT_EQ(r.executionsAtAbort[std::size_t(ExecutionState::Failed)], 2);
    EXPECT_EQ(r.executionsAtAbort[std::size_t(ExecutionState::InProgress)], 1);
    EXPECT_DOUBLE_EQ(*r.groups[0].endS, 2.0);
    EXPECT_EQ(r.groups[0].endReason, QStringLiteral("error threshold 20 % reached: paused"));
    EXPECT_FALSE(r.groups[1].startS.has_value());
}

TEST(RolloutHawkbit, GroupsTakeShareOfTheRemainingTargets)
{
    RolloutPolicyConfig c = hawkbit();
    c.groups = {HawkbitGroup{{}, 10, 1, std::nullopt}, HawkbitGroup{{}, 50, 1, std::nullopt}, HawkbitGroup{{}, 50, 100, std::nullopt}};
    auto e = makeEngine(c, 200);
    EXPECT_EQ(e->start(0).size(), 20u);  // 10 % of 200
    RolloutResult r = e->result({});
    ASSERT_EQ(r.groups.size(), 3u);
    EXPECT_EQ(r.groups[0].name, QStringLiteral("group 1"));
    EXPECT_EQ(r.groups[1].devices, 90);  // 50 % of the 180 left
    EXPECT_EQ(r.groups[2].devices, 45);  // 50 % of the 90 left; 45 are never part of the rollout
    // 1 % of 20 succeeded (one device) starts group 2; one of its 90 starts group 3.
    EXPECT_EQ(e->report(0, DeviceReport::Succeeded, 1).size(), 90u);
    EXPECT_EQ(e->report(20, DeviceReport::Succeeded, 2).size(), 45u);
    for (std::uint32_t d = 0; d < 155; ++d)
        e->report(d, DeviceReport::Succeeded, 3);
    EXPECT_EQ(e->jobStatus(), QStringLiteral("COMPLETED"));
    EXPECT_EQ(count(*e, ExecutionState::Queued), 45);
    EXPECT_FALSE(e->notified(155));
}

TEST(RolloutMender, PhasesStartAtTheirTimesWithinMaxDevices)
{
    RolloutPolicyConfig c = mender({MenderPhase{10, 0}, MenderPhase{40, 100}, MenderPhase{50, 300}});
    c.maxDevices = 90;
    auto e = makeEngine(c, 100);
    std::vector<TimedAction> log;
    append(log, 0, e->start(0));
    EXPECT_EQ(notifies(log).size(), 9u);  // 10 % of 90
    EXPECT_EQ(e->currentGroup(), QStringLiteral("phase 1"));
    EXPECT_DOUBLE_EQ(*e->nextWakeS(), 100.0);
    runTo(*e, 1000, log);
    const auto n = notifies(log);
    ASSERT_EQ(n.size(), 90u);  // maxDevices
    EXPECT_DOUBLE_EQ(n[8].timeS, 0.0);
    EXPECT_DOUBLE_EQ(n[9].timeS, 100.0);
    EXPECT_DOUBLE_EQ(n[44].timeS, 100.0);   // 36 = 40 % of 90
    EXPECT_DOUBLE_EQ(n[45].timeS, 300.0);   // the last takes the rest: 45
    EXPECT_EQ(e->currentGroup(), QStringLiteral("phase 3"));
    EXPECT_FALSE(e->notified(90));
    const RolloutResult r = e->result({});
    ASSERT_EQ(r.groups.size(), 3u);
    EXPECT_EQ(r.groups[1].devices, 36);
    EXPECT_EQ(r.groups[2].devices, 45);
    EXPECT_DOUBLE_EQ(*r.groups[2].startS, 300.0);
    for (std::uint32_t d = 0; d < 90; ++d)
        e->report(d, DeviceReport::Succeeded, 1001);
    EXPECT_EQ(e->jobStatus(), QStringLiteral("COMPLETED"));
}

TEST(RolloutMender, PhaseWaitsForThePreviousBatchUnderARateLimit)
{
    RolloutPolicyConfig c = mender({MenderPhase{50, 0}, MenderPhase{50, 10}});
    c.rollout.maximumPerMinute = 60;
    c.retries = {RetryCriterion{FailureType::Failed, 1}};
    auto e = makeEngine(c, 40);
    std::vector<TimedAction> log;
    append(log, 0, e->start(0));
    runTo(*e, 100, log);
    const auto n = notifies(log);
    ASSERT_EQ(n.size(), 40u);
    EXPECT_DOUBLE_EQ(n[19].timeS, 19.0);
    EXPECT_DOUBLE_EQ(n[20].timeS, 20.0);  // phase 2 due at 10, its batch waits for phase 1's
    EXPECT_DOUBLE_EQ(n[39].timeS, 39.0);
    // Mender: retries apply, no automatic abort.
    const auto retry = e->report(0, DeviceReport::Failed, 101);
    ASSERT_EQ(retry.size(), 1u);
    EXPECT_EQ(retry[0].kind, RolloutAction::Kind::Notify);
    for (std::uint32_t d = 1; d < 40; ++d)
        e->report(d, DeviceReport::Failed, 102);  // retried
    EXPECT_EQ(count(*e, ExecutionState::Failed), 0);
    for (std::uint32_t d = 0; d < 40; ++d)
        e->report(d, DeviceReport::Failed, 103);  // final
    EXPECT_EQ(count(*e, ExecutionState::Failed), 40);
    EXPECT_EQ(e->jobStatus(), QStringLiteral("COMPLETED"));
}

TEST(RolloutResultStory, WavesEndWhenTheirLastExecutionEndsAndRowsTellTheStory)
{
    RolloutPolicyConfig c = indexOrder();
    c.jobId = QStringLiteral("fw-2.1");
    c.rollout.exponentialRate = ExponentialRate{60, 2, {2, std::nullopt}};
    auto e = makeEngine(c, 4);
    std::vector<TimedAction> log;
    append(log, 0, e->start(0));
    runTo(*e, 100, log);
    const auto n = notifies(log);  // 60/min: 0, 1; 120/min: 1.5, 2
    ASSERT_EQ(n.size(), 4u);
    EXPECT_DOUBLE_EQ(n[2].timeS, 1.5);
    EXPECT_DOUBLE_EQ(n[3].timeS, 2.0);
    const RolloutSample during = e->sample(100);
    EXPECT_EQ(during.notified, 4);
    EXPECT_EQ(during.executions[std::size_t(ExecutionState::Queued)], 4);
    EXPECT_EQ(during.group, QStringLiteral("wave 2"));
    EXPECT_EQ(during.ratePerMinute, 0);  // nobody left to notify
    e->report(2, DeviceReport::Succeeded, 110);
    e->report(3, DeviceReport::Rejected, 120);
    e->report(0, DeviceReport::Succeeded, 130);
    RolloutResult r = e->result({during});
    ASSERT_EQ(r.groups.size(), 2u);
    EXPECT_FALSE(r.groups[0].endS.has_value());  // device 1 still queued
    EXPECT_DOUBLE_EQ(*r.groups[1].endS, 120.0);
    EXPECT_EQ(r.groups[1].succeeded, 1);
    EXPECT_EQ(r.groups[1].failed, 1);
    EXPECT_EQ(r.groups[1].endReason, QStringLiteral("all executions ended"));
    e->report(1, DeviceReport::Succeeded, 140);
    r = e->result({during});
    EXPECT_DOUBLE_EQ(*r.groups[0].endS, 140.0);
    EXPECT_EQ(r.jobStatus, QStringLiteral("COMPLETED"));
    EXPECT_EQ(r.samples.size(), 1u);
    EXPECT_EQ(r.policy, QStringLiteral("aws-jobs"));
    const auto row = [&r](const char* name) {
        for (const auto& a : r.rows)
            if (a.name == QLatin1String(name))
                return a.value;
        return QStringLiteral("(none)");
    };
    EXPECT_EQ(row("Policy"), QStringLiteral("aws-jobs, exponential from 60/min, ×2 per 2 notified"));
    EXPECT_EQ(row("Job"), QStringLiteral("fw-2.1"));
    EXPECT_EQ(row("SUCCEEDED"), QStringLiteral("3"));
    EXPECT_EQ(row("REJECTED"), QStringLiteral("1"));
    EXPECT_EQ(row("Abort"), QStringLiteral("(none)"));
    // One-rate jobs: one group named after the job.
    RolloutPolicyConfig one = indexOrder();
    one.jobId = QStringLiteral("single");
    auto f = makeEngine(one, 3);
    f->start(0);
    EXPECT_EQ(f->currentGroup(), QString());
    const RolloutResult single = f->result({});
    ASSERT_EQ(single.groups.size(), 1u);
    EXPECT_EQ(single.groups[0].name, QStringLiteral("single"));
    EXPECT_EQ(single.groups[0].devices, 3);
}
