// SPDX-License-Identifier: Apache-2.0
// FleetRun under a rollout policy, with the test-only FakeFleet and the real engine: the
// abort trips on exactly the expected report and no queued device starts after it, a
// timeout stops the device, a retry releases it again and the finished count follows,
// untargeted fleets run unheld, determinism.
#include "fleetrun_rollout_test_support.h"

#include "sim/fleet/rollout/executionstate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace otalab::sim {
namespace {

using rollout::ExecutionState;
using namespace rollouttest;

std::size_t idx(ExecutionState s)
{
    return std::size_t(s);
}

// One device per second in index order.
rollout::RolloutPolicyConfig paced(int perMinute = 60)
{
    rollout::RolloutPolicyConfig p;
    p.order = QStringLiteral("index");
    p.rollout.maximumPerMinute = perMinute;
    return p;
}

// 30 devices, notified 1/s, each starts 0.5 s after its release and runs 10 s; devices 3
// and 11 fail. Abort: FAILED ≥ 15 % of at least 10 executed things.
struct AbortCase {
    FakeRun run;
    std::unique_ptr<FleetRun> fleetRun;
    RunResult result;

    AbortCase()
    {
        FakeProgram p = uniformProgram(30, 0, Attempt{0.5, 10, FleetPhase::Upgraded});
        p.attempts[3][0].outcome = FleetPhase::Failed;
        p.attempts[11][0].outcome = FleetPhase::RolledBack;
        run.programs = {p};
        ScenarioConfig c = baseScenario(3600, 5);
        rollout::RolloutPolicyConfig policy = paced();
        policy.abort.push_back({rollout::FailureType::Failed, QStringLiteral("CANCEL"), 15, 10});
        c.rollout = policy;
        auto built = run.build(c);
        EXPECT_TRUE(built.has_value()) << (built ? QString() : built.error().toString()).toStdString();
        fleetRun = std::move(*built);
        fleetRun->run();
        result = fleetRun->result();
    }
};

TEST(FleetRunRollout, AbortTripsOnTheExpectedReportAndNoQueuedDeviceStartsAfter)
{
    AbortCase t;
    const FakeFleet& fleet = *t.run.fleets[0];
    ASSERT_TRUE(t.result.rollout);
    const RolloutResult& r = *t.result.rollout;
    EXPECT_EQ(r.jobStatus, QStringLiteral("CANCELED"));
    ASSERT_TRUE(r.abortedAtS);
    // Device 3 fails at 4 executed (below the minimum of 10); at device 11's end 12 are
    // executed, 2 failed: 16.7 % ≥ 15 % → the abort trips on that report, at its time.
    const DeviceResult& eleventh = t.result.devices[11];
    ASSERT_TRUE(eleventh.failedAtS);
    EXPECT_DOUBLE_EQ(*r.abortedAtS, *eleventh.failedAtS);
    EXPECT_EQ(r.executionsAtAbort[idx(ExecutionState::Succeeded)], 10);
    EXPECT_EQ(r.executionsAtAbort[idx(ExecutionState::Failed)], 2);
    // Devices 12..20 were running at the abort (1/s, 10.5 s each); device 21, notified at
    // 21 s, would have started at the abort's instant (21.5 s) in a later event: stopped.
    const int inProgress = r.executionsAtAbort[idx(ExecutionState::InProgress)];
    EXPECT_EQ(inProgress, 9);
    EXPECT_EQ(r.executionsAtAbort[idx(ExecutionState::Queued)], 30 - 12 - inProgress);

    // Nobody starts after the abort; every queued execution is canceled and was stopped.
    std::set<std::size_t> stopped;
    for (const auto& call : fleet.stops)
        stopped.insert(call.begin(), call.end());
    int canceled = 0;
    for (std::size_t d = 0; d < 30; ++d) {
        const DeviceResult& dev = t.result.devices[d];
        if (dev.execution == QLatin1String("CANCELED")) {
            ++canceled;
            EXPECT_FALSE(fleet.startedAtS(d).has_value()) << "device " << d << " started after the abort";
            EXPECT_TRUE(stopped.contains(d));
            EXPECT_EQ(dev.outcome, DeviceOutcome::NotStarted);
        } else {
            ASSERT_TRUE(fleet.startedAtS(d)) << d;
            EXPECT_LE(*fleet.startedAtS(d), *r.abortedAtS);
        }
    }
    EXPECT_EQ(canceled, 30 - 12 - inProgress);
    // The in-progress ones finish (non-force cancel), then the run ends by itself.
    EXPECT_EQ(std::count_if(t.result.devices.begin(), t.result.devices.end(),
                            [](const DeviceResult& d) { return d.execution == QLatin1String("SUCCEEDED"); }),
              10 + inProgress);
    EXPECT_TRUE(t.fleetRun->finished());
    EXPECT_LT(t.result.endTimeS, 3600.0);
    EXPECT_TRUE(t.result.stopReason.startsWith(QStringLiteral("all devices finished"))) << t.result.stopReason.toStdString();
}

TEST(FleetRunRollout, HeldDevicesStartOnlyWhenReleasedInEngineOrder)
{
    AbortCase t;
    const FakeFleet& fleet = *t.run.fleets[0];
    EXPECT_TRUE(fleet.held);
    std::vector<std::size_t> released;
    for (const auto& call : fleet.releases)
        released.insert(released.end(), call.begin(), call.end());
    ASSERT_EQ(released.size(), 22u);
    for (std::size_t i = 0; i < released.size(); ++i)
        EXPECT_EQ(released[i], i);  // order "index", one per call at 1/s
    for (std::size_t d = 0; d < 21; ++d)
        EXPECT_NEAR(fleet.startedAtS(d).value_or(-1), double(d) + 0.5, 1e-6);
    EXPECT_FALSE(fleet.startedAtS(21));  // released, stopped by the abort before its start
    EXPECT_EQ(t.result.devices[0].executionNumber, 1);
}

TEST(FleetRunRollout, SamplesAndSnapshotFollowTheEngine)
{
    AbortCase t;
    const RolloutResult& r = *t.result.rollout;
    ASSERT_EQ(r.samples.size(), t.result.progress.size());
    for (std::size_t i = 0; i < r.samples.size(); ++i) {
        EXPECT_DOUBLE_EQ(r.samples[i].timeS, t.result.progress[i].timeS);
        int sum = 0;
        for (int n : r.samples[i].executions)
            sum += n;
        EXPECT_EQ(sum, 30);
    }
    EXPECT_EQ(r.targets, QStringList{QStringLiteral("a")});
    const FleetRunSnapshot s = t.fleetRun->snapshot();
    EXPECT_TRUE(s.hasRollout);
    EXPECT_EQ(s.jobStatus, QStringLiteral("CANCELED"));
    EXPECT_EQ(s.abortedAtS, r.abortedAtS);
    EXPECT_EQ(s.executions, r.samples.back().executions);
}

TEST(FleetRunRollout, TimeoutStopsTheDevice)
{
    FakeRun run;
    FakeProgram p = uniformProgram(3, 0, Attempt{1, 30, FleetPhase::Upgraded});
    p.attempts[1][0].runS = 600;  // longer than the 1 min in-progress timeout
    run.programs = {p};
    ScenarioConfig c = baseScenario();
    rollout::RolloutPolicyConfig policy;
    policy.order = QStringLiteral("index");
    policy.inProgressTimeoutMinutes = 1;
    c.rollout = policy;
    auto built = run.build(c);
    ASSERT_TRUE(built) << built.error().toString().toStdString();
    (*built)->run();
    const RunResult result = (*built)->result();
    const FakeFleet& fleet = *run.fleets[0];
    ASSERT_EQ(fleet.stops.size(), 1u);
    EXPECT_EQ(fleet.stops[0], std::vector<std::size_t>{1});
    EXPECT_EQ(result.devices[1].execution, QStringLiteral("TIMED_OUT"));
    EXPECT_EQ(result.devices[1].outcome, DeviceOutcome::Failed);
    ASSERT_TRUE(result.devices[1].failedAtS);
    EXPECT_NEAR(*result.devices[1].failedAtS, 1 + 60, 1e-6);  // started at 1 s, timed out 60 s later
    EXPECT_EQ(result.devices[0].execution, QStringLiteral("SUCCEEDED"));
    EXPECT_EQ(result.stopReason, QStringLiteral("all devices finished"));
}

TEST(FleetRunRollout, RetryReleasesTheDeviceAgainAndTheFinishedCountFollows)
{
    FakeRun run;
    FakeProgram p = uniformProgram(4, 0, Attempt{1, 10, FleetPhase::Upgraded});
    p.attempts[2] = {Attempt{1, 10, FleetPhase::Failed}, Attempt{1, 20, FleetPhase::Upgraded}};
    run.programs = {p};
    ScenarioConfig c = baseScenario();
    rollout::RolloutPolicyConfig policy;
    policy.order = QStringLiteral("index");
    policy.retries.push_back({rollout::FailureType::Failed, 1});
    c.rollout = policy;
    auto built = run.build(c);
    ASSERT_TRUE(built) << built.error().toString().toStdString();
    FleetRun& fr = **built;
    fr.setRecordTransitions(true);
    fr.run();
    const RunResult result = fr.result();
    const FakeFleet& fleet = *run.fleets[0];
    EXPECT_EQ(fleet.attemptsOf(2), 2);
    int releasesOf2 = 0;
    for (const auto& call : fleet.releases)
        releasesOf2 += int(std::count(call.begin(), call.end(), std::size_t(2)));
    EXPECT_EQ(releasesOf2, 2);
    EXPECT_EQ(result.devices[2].execution, QStringLiteral("SUCCEEDED"));
    EXPECT_EQ(result.devices[2].executionNumber, 2);
    EXPECT_EQ(result.devices[2].outcome, DeviceOutcome::Upgraded);
    // Failed → Waiting counted the device out of the finished ones: the run ends when its
    // second attempt ends (1 + 10 + 1 + 20 s), not before, not at the time limit.
    EXPECT_TRUE(fr.allDevicesFinished());
    EXPECT_EQ(result.stopReason, QStringLiteral("all devices finished"));
    EXPECT_NEAR(result.endTimeS, 32.0, 1e-6);
    const auto transitions = fr.takeTransitions();
    EXPECT_TRUE(std::any_of(transitions.begin(), transitions.end(), [](const PhaseTransition& t) {
        return t.from == FleetPhase::Failed && t.to == FleetPhase::Waiting;
    }));
}

TEST(FleetRunRollout, TimeoutThenRetryStopsBeforeReleasingAgain)
{
    FakeRun run;
    FakeProgram p = uniformProgram(1);
    p.attempts[0] = {Attempt{1, 600, FleetPhase::Upgraded}, Attempt{1, 10, FleetPhase::Upgraded}};
    run.programs = {p};
    ScenarioConfig c = baseScenario();
    rollout::RolloutPolicyConfig policy;
    policy.inProgressTimeoutMinutes = 1;
    policy.retries.push_back({rollout::FailureType::TimedOut, 1});
    c.rollout = policy;
    auto built = run.build(c);
    ASSERT_TRUE(built) << built.error().toString().toStdString();
    (*built)->run();
    const RunResult result = (*built)->result();
    const FakeFleet& fleet = *run.fleets[0];
    using Call = std::pair<char, std::vector<std::size_t>>;
    const std::vector<Call> expected = {{'R', {0}}, {'S', {0}}, {'R', {0}}};
    EXPECT_EQ(fleet.calls, expected);
    EXPECT_EQ(result.devices[0].execution, QStringLiteral("SUCCEEDED"));
    EXPECT_EQ(result.devices[0].executionNumber, 2);
    EXPECT_NEAR(result.endTimeS, 1 + 60 + 1 + 10, 1e-6);
}

TEST(FleetRunRollout, UntargetedFleetRunsUnheldAndKeepsNoExecution)
{
    FakeRun run;
    run.programs = {uniformProgram(3), uniformProgram(2)};
    ScenarioConfig c = baseScenario();
    rollout::RolloutPolicyConfig policy = paced(6);  // one every 10 s
    policy.targets = {QStringLiteral("a")};
    c.rollout = policy;
    auto built = run.build(c);
    ASSERT_TRUE(built) << built.error().toString().toStdString();
    (*built)->run();
    const RunResult result = (*built)->result();
    EXPECT_TRUE(run.fleets[0]->held);
    EXPECT_FALSE(run.fleets[1]->held);
    EXPECT_TRUE(run.fleets[1]->releases.empty());
    ASSERT_EQ(result.devices.size(), 5u);
    for (int d = 0; d < 3; ++d)
        EXPECT_EQ(result.devices[std::size_t(d)].execution, QStringLiteral("SUCCEEDED"));
    for (int d = 3; d < 5; ++d) {
        EXPECT_TRUE(result.devices[std::size_t(d)].execution.isEmpty());
        EXPECT_EQ(result.devices[std::size_t(d)].executionNumber, 0);
        EXPECT_NEAR(*result.devices[std::size_t(d)].startS, 1.0, 1e-9);
    }
    EXPECT_EQ(result.rollout->targets, QStringList{QStringLiteral("a")});
    EXPECT_NEAR(result.endTimeS, 20 + 1 + 10, 1e-6);  // the third release at 20 s
}

TEST(FleetRunRollout, SameScenarioTwiceGivesTheSameTraceAndSamples)
{
    const auto once = [] {
        FakeRun run;
        run.programs = {uniformProgram(40, 7, Attempt{2, 15, FleetPhase::Upgraded}), uniformProgram(10, 0)};
        ScenarioConfig c = baseScenario(3600, 3);
        rollout::RolloutPolicyConfig policy;  // random order, exponential rate
        rollout::ExponentialRate e;
        e.baseRatePerMinute = 20;
        e.incrementFactor = 2;
        e.rateIncreaseCriteria.numberOfSucceededThings = 5;
        policy.rollout.exponentialRate = e;
        policy.abort.push_back({rollout::FailureType::All, QStringLiteral("CANCEL"), 20, 10});
        c.rollout = policy;
        auto built = run.build(c);
        EXPECT_TRUE(built);
        (*built)->run();
        return (*built)->result();
    };
    const RunResult a = once();
    const RunResult b = once();
    EXPECT_NE(a.traceFingerprint, 0u);
    EXPECT_EQ(a.traceFingerprint, b.traceFingerprint);
    ASSERT_TRUE(a.rollout && b.rollout);
    ASSERT_EQ(a.rollout->samples.size(), b.rollout->samples.size());
    for (std::size_t i = 0; i < a.rollout->samples.size(); ++i) {
        EXPECT_EQ(a.rollout->samples[i].executions, b.rollout->samples[i].executions);
        EXPECT_EQ(a.rollout->samples[i].notified, b.rollout->samples[i].notified);
        EXPECT_EQ(a.rollout->samples[i].ratePerMinute, b.rollout->samples[i].ratePerMinute);
        EXPECT_EQ(a.rollout->samples[i].group, b.rollout->samples[i].group);
    }
    for (std::size_t d = 0; d < a.devices.size(); ++d)
        EXPECT_EQ(a.devices[d].execution, b.devices[d].execution);
}

TEST(FleetRunRollout, NoRolloutMeansNoHoldNoEventsOfItsOwn)
{
    FakeRun withRun, plainRun;
    withRun.programs = plainRun.programs = {uniformProgram(5)};
    ScenarioConfig c = baseScenario();
    auto plain = plainRun.build(c);
    ASSERT_TRUE(plain);
    (*plain)->run();
    EXPECT_FALSE(plainRun.fleets[0]->held);
    EXPECT_FALSE((*plain)->result().rollout.has_value());
    EXPECT_FALSE((*plain)->snapshot().hasRollout);
    // All at once under a policy without pacing: same device times as without one.
    c.rollout = rollout::RolloutPolicyConfig{};
    auto with = withRun.build(c);
    ASSERT_TRUE(with);
    (*with)->run();
    const RunResult a = (*plain)->result(), b = (*with)->result();
    ASSERT_EQ(a.devices.size(), b.devices.size());
    for (std::size_t d = 0; d < a.devices.size(); ++d)
        EXPECT_EQ(a.devices[d].finishS, b.devices[d].finishS);
    EXPECT_NE(a.traceFingerprint, b.traceFingerprint);  // the rollout's own events are in the trace
}

} // namespace
} // namespace otalab::sim
