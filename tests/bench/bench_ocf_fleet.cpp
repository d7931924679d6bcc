// SPDX-License-Identifier: Apache-2.0
// OCF fleets (issue 14): the bundled scenarios run whole through FleetRun, as the CLI runs
// them — the 10,000-device homes fleet (bar: ≤ 10 s wall) and story 8's 500 devices with a
// power cut on 20 of them. Counters: wall/CPU seconds, peak RSS, events, outcomes; each run
// prints its fingerprint, the fault rows and the fleet figures.
//   build-tests/tests/bench/bench_ocf_fleet --benchmark_filter=Homes
//   OTALAB_OCF_SCENARIO=path/to/scenario.json build-tests/tests/bench/bench_ocf_fleet --benchmark_filter=Named
#include "fleet_bench_support.h"

#include "sim/ocf/ocffleet.h"
#include "sim/kernel/simulator.h"

using namespace otalab::sim;
using namespace otalab::sim::bench;

namespace {

void runFile(benchmark::State& state, const QString& path)
{
    FleetBenchRun measured;
    const bool ran = runScenarioBench(state, path, measured, [](const FleetRun&, const RunResult&) {});
    if (!ran)
        return;
    const RunResult& last = measured.result;
    std::printf("%s: %d devices, %d upgraded, %d rolled back, %d failed, %d refused, %d not started, %d unfinished; "
                "wall %.2f s (build %.2f s), CPU %.2f s, peak RSS %.0f MB, %llu events, fingerprint 0x%016llx, end %.0f s (%.2f h); "
                "sizeof(OcfDevice) %zu B\n",
                qPrintable(last.scenarioName), int(last.devices.size()), last.count(DeviceOutcome::Upgraded),
                last.count(DeviceOutcome::RolledBack), last.count(DeviceOutcome::Failed), last.count(DeviceOutcome::Refused),
                last.count(DeviceOutcome::NotStarted), last.count(DeviceOutcome::Unfinished), measured.wallS, measured.buildS,
                measured.cpuS, peakRssMb(), static_cast<unsigned long long>(last.eventsExecuted),
                static_cast<unsigned long long>(last.traceFingerprint), last.endTimeS, last.endTimeS / 3600.0, sizeof(OcfDevice));
    int recovered = 0;
    for (const FaultResult& f : last.faults)
        recovered += f.recovered;
    if (!last.faults.empty())
        std::printf("  faults: %d, recovered %d\n", int(last.faults.size()), recovered);
    int accepted = 0;
    for (const AttackResult& a : last.attacks)
        accepted += a.accepted;
    if (!last.attacks.empty())
        std::printf("  attacks: %d, accepted %d\n", int(last.attacks.size()), accepted);
    printFleetFigures(last);
    setCommonCounters(state, measured);
    state.counters["end_h"] = last.endTimeS / 3600.0;
}

void runBundled(benchmark::State& state, const char* file) { runFile(state, bundledScenario(file)); }

void BM_OcfHomes(benchmark::State& state) { runBundled(state, "ocf-homes.json"); }
void BM_OcfScheduled(benchmark::State& state) { runBundled(state, "ocf-scheduled.json"); }
void BM_OcfAttacks(benchmark::State& state) { runBundled(state, "attacks-ocf.json"); }
void BM_OcfNamed(benchmark::State& state) { runNamedScenario(state, "OTALAB_OCF_SCENARIO", runFile); }

} // namespace

BENCHMARK(BM_OcfHomes)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_OcfScheduled)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_OcfAttacks)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_OcfNamed)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK_MAIN();
