// SPDX-License-Identifier: Apache-2.0
// A jobs fleet under a rollout policy: the service notifies only released things (rate),
// an abort cancels the queued executions (they never start), a stopped download ends Failed.
#include "jobs_fleet_test_support.h"

#include <algorithm>

namespace {

using namespace otalab::test::jobsfleet;
using otalab::sim::rollout::AbortCriterion;
using otalab::sim::rollout::FailureType;
using otalab::sim::rollout::RolloutPolicyConfig;

RunResult runWithRollout(const JobsFleetConfig& fleet, const RolloutPolicyConfig& policy, const JobsFleet** out,
                         std::unique_ptr<FleetRun>& keep)
{
    ScenarioConfig s;
    s.name = QStringLiteral("jobs-rollout-test");
    s.seed = 5;
    s.stop.untilS = 86'400;
    s.stop.whenAllFinished = true;
    s.sampleIntervalS = 10;
    s.fleets.push_back(FleetConfig{QStringLiteral("things"), fleet});
    s.rollout = policy;
    auto run = FleetRun::build(s);
    EXPECT_TRUE(run.has_value()) << (run ? std::string() : run.error().toString().toStdString());
    if (!run)
        return {};
    keep = std::move(*run);
    keep->run();
    *out = static_cast<const JobsFleet*>(keep->fleets().front().get());
    return keep->result();
}

TEST(JobsRollout, RateGatesTheNotifications)
{
    JobsFleetConfig c = smallFleet(12, 0);
    RolloutPolicyConfig p;
    p.order = QStringLiteral("index");
    p.rollout.maximumPerMinute = 6;   // one thing every 10 s
    std::unique_ptr<FleetRun> keep;
    const JobsFleet* f = nullptr;
    const RunResult r = runWithRollout(c, p, &f, keep);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 12);
    std::vector<double> notified;
    for (std::size_t i = 0; i < f->deviceCount(); ++i)
        notified.push_back(f->device(i).notifiedAt.toSeconds());
    std::sort(notified.begin(), notified.end());
    EXPECT_GE(notified.back() - notified.front(), 10.0 * 10.0);   // 12 things at 6/min: ≥ 110 s apart end to end
    ASSERT_TRUE(r.rollout.has_value());
    EXPECT_EQ(r.rollout->jobStatus, QStringLiteral("COMPLETED"));
}

TEST(JobsRollout, AbortCancelsTheQueuedThings)
{
    JobsFleetConfig c = smallFleet(40, 0);
    c.faults.badImageShare = 0.25;   // 10 of 40
    RolloutPolicyConfig p;
    p.order = QStringLiteral("index");
    p.rollout.maximumPerMinute = 12;
    AbortCriterion a;
    a.failureType = FailureType::Failed;
    a.thresholdPercentage = 20;
    a.minNumberOfExecutedThings = 10;
    p.abort = {a};
    std::unique_ptr<FleetRun> keep;
    const JobsFleet* f = nullptr;
    const RunResult r = runWithRollout(c, p, &f, keep);
    ASSERT_NE(f, nullptr);
    ASSERT_TRUE(r.rollout.has_value());
    ASSERT_TRUE(r.rollout->abortedAtS.has_value());
    EXPECT_EQ(r.rollout->jobStatus, QStringLiteral("CANCELED"));
    EXPECT_GT(r.count(DeviceOutcome::NotStarted), 0);
    for (std::size_t i = 0; i < f->deviceCount(); ++i) {
        const JobsDevice& d = f->device(i);
        if (d.notifiedAt == SimTime::max())
            EXPECT_EQ(d.step, JobsStep::WaitingForJob) << i;
        EXPECT_EQ(f->agentOf(i), nullptr) << i;
    }
}

TEST(JobsRollout, ARetryIsANewExecutionWithANewAgent)
{
    JobsFleetConfig c = smallFleet(10, 0);
    c.devices[0].lossPercent = 80.0;
    c.agent.maxRequestMomentum = 2;   // two unanswered requests and the agent aborts: FAILED
    RolloutPolicyConfig p;
    p.order = QStringLiteral("index");
    otalab::sim::rollout::RetryCriterion retry;
    retry.failureType = FailureType::Failed;
    retry.numberOfRetries = 2;
    p.retries = {retry};
    std::unique_ptr<FleetRun> keep;
    const JobsFleet* f = nullptr;
    const RunResult r = runWithRollout(c, p, &f, keep);
    ASSERT_NE(f, nullptr);
    int retried = 0;
    for (std::size_t i = 0; i < f->deviceCount(); ++i) {
        const JobsDevice& d = f->device(i);
        EXPECT_GE(d.execution, 1) << i;
        EXPECT_LE(d.execution, 3) << i;
        retried += d.execution > 1;
        EXPECT_EQ(f->agentOf(i), nullptr) << i;
        if (d.execution < 3)
            EXPECT_EQ(d.step, JobsStep::Upgraded) << i;   // not out of retries: it made it
    }
    EXPECT_GT(retried, 0);
    for (const DeviceResult& d : r.devices)
        EXPECT_GE(d.executionNumber, 1);
}

} // namespace
