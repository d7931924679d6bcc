// SPDX-License-Identifier: Apache-2.0
// SMP fleets (issue 11): the two bundled scenarios run whole through FleetRun, as the CLI
// runs them — the 200-board BLE gateway fleet (bar: ≤ 5 s wall) and the 1,000-board UDP
// fleet (bar: ≤ 10 s wall). Counters: virtual seconds to the last board, events, outcomes.
//   build-tests/tests/bench/bench_smp_fleet --benchmark_repetitions=3
#include "sim/fleet/fleetrun.h"
#include "sim/scenario/scenarioloader.h"

#include <benchmark/benchmark.h>

using namespace otalab::sim;

namespace {

void runBundled(benchmark::State& state, const char* file)
{
    auto config = loadScenarioConfigFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(file));
    if (!config) {
        state.SkipWithError(config.error().toString().toStdString().c_str());
        return;
    }
    RunResult last;
    for (auto _ : state) {
        auto result = runScenario(*config);
        if (!result) {
            state.SkipWithError(result.error().toString().toStdString().c_str());
            return;
        }
        last = std::move(*result);
        benchmark::DoNotOptimize(last.traceFingerprint);
    }
    state.counters["virtual_s"] = last.endTimeS;
    state.counters["events"] = double(last.eventsExecuted);
    state.counters["boards"] = double(last.devices.size());
    state.counters["upgraded"] = last.count(DeviceOutcome::Upgraded);
    state.counters["rolled_back"] = last.count(DeviceOutcome::RolledBack);
    state.counters["failed"] = last.count(DeviceOutcome::Failed);
    state.counters["events_per_s"] = benchmark::Counter(double(last.eventsExecuted) * double(state.iterations()),
                                                        benchmark::Counter::kIsRate);
}

void BM_SmpBleGateway200(benchmark::State& state) { runBundled(state, "smp-ble-gateway.json"); }
void BM_SmpUdpFleet1000(benchmark::State& state) { runBundled(state, "smp-udp-fleet.json"); }

} // namespace

BENCHMARK(BM_SmpBleGateway200)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_SmpUdpFleet1000)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK_MAIN();
