// SPDX-License-Identifier: Apache-2.0
// Rollout engine: determinism (same seed → same actions; another seed → another order),
// random report sequences never break the counts nor make an illegal transition, and
// 100,000 devices stay cheap.
#include "rollout_test_support.h"

#include "sim/kernel/splitmix64.h"

#include <algorithm>
#include <deque>
#include <cstdio>

using namespace otalab::sim;
using namespace otalab::sim::rollout;
using namespace otalab::sim::rollout::test;

namespace {

RolloutPolicyConfig busyConfig()
{
    RolloutPolicyConfig c;  // order "random"
    c.rollout.maximumPerMinute = 120;
    c.rollout.exponentialRate = ExponentialRate{20, 1.5, {std::nullopt, 5}};
    c.abort = {AbortCriterion{FailureType::All, QStringLiteral("CANCEL"), 30, 20}};
    c.inProgressTimeoutMinutes = 2;
    c.retries = {RetryCriterion{FailureType::Failed, 1}, RetryCriterion{FailureType::TimedOut, 2}};
    return c;
}

// Drives `e` with random reports from `seed`; checks invariants after every input and
// returns every action with its time.
std::vector<TimedAction> randomRun(RolloutEngine& e, std::uint64_t seed, int steps)
{
    SplitMix64 rng(seed);
    const std::uint32_t n = e.deviceCount();
    std::vector<ExecutionState> before(n, ExecutionState::Queued);
    std::vector<int> numbers(n, 0);
    std::vector<TimedAction> log;
    double t = 0;
    append(log, t, e.start(t));
    for (int step = 0; step < steps; ++step) {
        t += double(rng.next() % 2000) / 100.0;
        if (rng.next() % 4 == 0) {
            runTo(e, t, log);
        } else {
            const auto device = std::uint32_t(rng.next() % (n + 2));  // sometimes out of range
            const auto what = DeviceReport(rng.next() % 4);
            append(log, t, e.report(device, what, t));
        }
        const auto counts = e.counts();
        int sum = 0;
        for (int c : counts)
            sum += c;
        EXPECT_EQ(sum, int(n)) << "step " << step;
        if (sum != int(n))
            return log;
        for (std::uint32_t d = 0; d < n; ++d) {
            const ExecutionState now = e.state(d);
            const int number = e.executionNumber(d);
            if (number == numbers[d]) {
                EXPECT_TRUE(now == before[d] || isLegalTransition(before[d], now))
                    << "device " << d << ": " << executionStateName(before[d]).toStdString() << " → "
                    << executionStateName(now).toStdString();
            } else {
                EXPECT_GT(number, numbers[d]);  // a notification or a retry: a new execution
                EXPECT_LE(number, 1 + 1 + 2);
            }
            if (isTerminal(before[d]) && number == numbers[d])
                EXPECT_EQ(now, before[d]);  // nothing leaves a terminal state
            before[d] = now;
            numbers[d] = number;
        }
    }
    return log;
}

bool sameActions(const std::vector<TimedAction>& a, const std::vector<TimedAction>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].timeS != b[i].timeS || a[i].action.kind != b[i].action.kind || a[i].action.device != b[i].action.device
            || a[i].action.state != b[i].action.state)
            return false;
    return true;
}

} // namespace

TEST(RolloutProperty, RandomReportsKeepCountsAndLegalTransitions)
{
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        auto e = makeEngine(busyConfig(), 60, seed);
        randomRun(*e, seed * 7919, 400);
        if (HasFatalFailure())
            return;
    }
}

TEST(RolloutProperty, SameSeedSameActionsOtherSeedOtherOrder)
{
    auto a = makeEngine(busyConfig(), 200, 42);
    auto b = makeEngine(busyConfig(), 200, 42);
    auto c = makeEngine(busyConfig(), 200, 43);
    const auto la = randomRun(*a, 5, 300);
    const auto lb = randomRun(*b, 5, 300);
    const auto lc = randomRun(*c, 5, 300);
    EXPECT_TRUE(sameActions(la, lb));
    EXPECT_FALSE(sameActions(la, lc));
    const auto na = notifies(la), nc = notifies(lc);
    ASSERT_GE(na.size(), 5u);
    ASSERT_GE(nc.size(), 5u);
    bool differs = false;
    for (std::size_t i = 0; i < 5; ++i)
        differs = differs || na[i].action.device != nc[i].action.device;
    EXPECT_TRUE(differs);  // another seed notifies others first
    // "random" is a permutation: every device exactly once.
    RolloutPolicyConfig all;
    auto p = makeEngine(all, 1000, 9);
    std::vector<int> seen(1000, 0);
    for (const RolloutAction& action : p->start(0))
        ++seen[action.device];
    for (int s : seen)
        EXPECT_EQ(s, 1);
}

TEST(RolloutProperty, HundredThousandDevicesAreCheap)
{
    RolloutPolicyConfig c;
    c.rollout.exponentialRate = ExponentialRate{100, 2, {std::nullopt, 200}};
    c.rollout.maximumPerMinute = 1'000'000;
    c.inProgressTimeoutMinutes = 60;
    c.abort = {AbortCriterion{FailureType::Failed, QStringLiteral("CANCEL"), 5, 100}};
    constexpr std::uint32_t kDevices = 100'000;
    auto e = makeEngine(c, kDevices, 7);
    ASSERT_TRUE(e);
    // Each device starts 1 s after its notification and ends 30 s later; every 50th fails
    // (2 % < the 5 % abort threshold). Constant delays: both queues stay in time order.
    struct Due {
        double atS;
        std::uint32_t device;
    };
    std::deque<Due> starts, ends;
    std::uint64_t actions = 0, inputs = 0;
    const auto take = [&](const std::vector<RolloutAction>& list, double t) {
        actions += list.size();
        for (const RolloutAction& a : list) {
            if (a.kind == RolloutAction::Kind::Notify) {
                starts.push_back({t + 1, a.device});
                ends.push_back({t + 31, a.device});
            }
        }
    };
    take(e->start(0), 0);
    for (;;) {
        const double wake = e->nextWakeS().value_or(1e18);
        const double start = starts.empty() ? 1e18 : starts.front().atS;
        const double end = ends.empty() ? 1e18 : ends.front().atS;
        const double t = std::min({wake, start, end});
        if (t >= 1e18)
            break;
        ++inputs;
        if (t == wake) {
            take(e->advance(t), t);
        } else if (t == start) {
            take(e->report(starts.front().device, DeviceReport::Started, t), t);
            starts.pop_front();
        } else {
            const std::uint32_t d = ends.front().device;
            ends.pop_front();
            take(e->report(d, d % 50 == 0 ? DeviceReport::Failed : DeviceReport::Succeeded, t), t);
        }
    }
    // Its cost is measured by tests/bench/bench_rollout_engine.cpp, not here.
    const RolloutResult r = e->result({});
    EXPECT_GE(inputs, 200'000u);  // a start and an end report per device, plus the engine's wakes
    EXPECT_GE(r.groups.size(), 10u);  // the exponential steps (100/min doubling per 200 succeeded)
    EXPECT_EQ(actions, std::uint64_t(kDevices));  // one Notify each, no Stop (nothing timed out)
    EXPECT_EQ(e->jobStatus(), QStringLiteral("COMPLETED"));
    EXPECT_EQ(count(*e, ExecutionState::Succeeded), 98'000);
    EXPECT_EQ(count(*e, ExecutionState::Failed), 2'000);
    EXPECT_EQ(e->notifiedCount(), int(kDevices));
}

TEST(RolloutProperty, NoDevicesAndInvalidConfigs)
{
    for (const PolicyKind kind : {PolicyKind::AwsJobs, PolicyKind::Hawkbit, PolicyKind::Mender}) {
        RolloutPolicyConfig c;
        c.kind = kind;
        if (kind == PolicyKind::Hawkbit)
            c.groups = {HawkbitGroup{QStringLiteral("a"), 50, 50, 10}, HawkbitGroup{}};
        if (kind == PolicyKind::Mender)
            c.phases = {MenderPhase{50, 10}, MenderPhase{50, 20}};
        auto e = makeEngine(c, 0);
        ASSERT_TRUE(e);
        EXPECT_TRUE(e->start(0).empty());
        std::vector<TimedAction> log;
        runTo(*e, 100, log);
        EXPECT_TRUE(log.empty());
        EXPECT_EQ(e->jobStatus(), QStringLiteral("COMPLETED"));
        EXPECT_TRUE(e->report(0, DeviceReport::Started, 1).empty());
        EXPECT_EQ(e->ignoredReports(), 1u);
    }
    RolloutPolicyConfig bad;
    bad.abort = {AbortCriterion{FailureType::Failed, QStringLiteral("CANCEL"), 0, 1}};
    const auto refused = RolloutEngine::create(bad, 10, 1);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field, QStringLiteral("rollout.abortConfig.criteriaList[0].thresholdPercentage"));
}
