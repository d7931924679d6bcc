// SPDX-License-Identifier: Apache-2.0
// Cost of the rollout policy engine alone (sim/fleet/rollout): N devices under an
// exponential rate (100/min ×2 per 200 succeeded, 5 % abort that never trips, 60 min
// timeout), each started 1 s after its notification and ended 30 s later, every 50th
// failing — the same workload as RolloutProperty.HundredThousandDevicesAreCheap.
//
//   bench_rollout_engine                      Google Benchmark, 10,000 and 100,000 devices
#include "sim/fleet/rollout/rolloutengine.h"

#include <benchmark/benchmark.h>

#include <deque>

namespace {

using namespace otalab::sim::rollout;

void BM_RolloutEngine(benchmark::State& state)
{
    const auto devices = std::uint32_t(state.range(0));
    RolloutPolicyConfig c;
    c.order = QStringLiteral("random");
    c.rollout.exponentialRate = ExponentialRate{100, 2, {std::nullopt, 200}};
    c.rollout.maximumPerMinute = 1'000'000;
    c.inProgressTimeoutMinutes = 60;
    c.abort = {AbortCriterion{FailureType::Failed, QStringLiteral("CANCEL"), 5, 100}};
    std::uint64_t inputs = 0;
    for (auto _ : state) {
        auto engine = RolloutEngine::create(c, devices, 7);
        if (!engine) {
            state.SkipWithError("engine refused the config");
            return;
        }
        RolloutEngine& e = **engine;
        struct Due {
            double atS;
            std::uint32_t device;
        };
        std::deque<Due> starts, ends;
        const auto take = [&](const std::vector<RolloutAction>& list, double t) {
            for (const RolloutAction& a : list)
                if (a.kind == RolloutAction::Kind::Notify) {
                    starts.push_back({t + 1, a.device});
                    ends.push_back({t + 31, a.device});
                }
        };
        take(e.start(0), 0);
        for (;;) {
            const double wake = e.nextWakeS().value_or(1e18);
            const double start = starts.empty() ? 1e18 : starts.front().atS;
            const double end = ends.empty() ? 1e18 : ends.front().atS;
            const double t = std::min({wake, start, end});
            if (t >= 1e18)
                break;
            ++inputs;
            if (t == wake) {
                take(e.advance(t), t);
            } else if (t == start) {
                take(e.report(starts.front().device, DeviceReport::Started, t), t);
                starts.pop_front();
            } else {
                const std::uint32_t d = ends.front().device;
                ends.pop_front();
                take(e.report(d, d % 50 == 0 ? DeviceReport::Failed : DeviceReport::Succeeded, t), t);
            }
        }
        benchmark::DoNotOptimize(e.counts());
    }
    state.counters["inputs/s"] = benchmark::Counter(double(inputs), benchmark::Counter::kIsRate);
    state.counters["devices"] = devices;
}
BENCHMARK(BM_RolloutEngine)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
