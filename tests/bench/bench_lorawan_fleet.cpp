// SPDX-License-Identifier: Apache-2.0
// LoRaWAN FUOTA fleets (issue 12): the bundled scenarios run whole through FleetRun, as
// the CLI runs them — the 1,000-device demo, the 10,000-device city (bar: ≤ 10 s wall)
// and the 100,000-device national rollout (bar: ≤ 60 s wall, ≤ 2 GB peak). Counters:
// wall/CPU seconds, peak RSS, events, outcomes, the campaign's duration and the duty-cycle
// lower bound of its session; each run also prints its fingerprint and fleet figures.
//   build-tests/tests/bench/bench_lorawan_fleet --benchmark_filter=City
//   OTALAB_LORAWAN_SCENARIO=path/to/scenario.json build-tests/tests/bench/bench_lorawan_fleet --benchmark_filter=Named
#include "fleet_bench_support.h"

#include "sim/lorawan/lorawanfleet.h"

using namespace otalab::sim;
using namespace otalab::sim::bench;

namespace {

void runFile(benchmark::State& state, const QString& path)
{
    FleetBenchRun measured;
    double sessionS = 0, lowerBoundS = 0, campaignS = 0;
    const bool ran = runScenarioBench(state, path, measured, [&](const FleetRun& run, const RunResult& last) {
        for (const auto& fleet : run.fleets())
            if (const auto* lw = dynamic_cast<const LorawanFleet*>(fleet.get())) {
                const FuotaServer& s = lw->server();
                if (s.framesDoneAt() != SimTime::max())
                    sessionS = (s.framesDoneAt() - s.stepStarted(FuotaServerState::SendingFragments)).toSeconds();
                lowerBoundS = lw->plan().lowerBound().toSeconds();
                const SimTime begin = s.stepStarted(FuotaServerState::McGroupSetup);
                if (begin != SimTime::max())
                    campaignS = last.endTimeS - begin.toSeconds();
            }
    });
    if (!ran)
        return;
    const RunResult& last = measured.result;
    std::printf("%s: %d devices, %d upgraded, %d failed, %d refused; wall %.2f s, CPU %.2f s, peak RSS %.0f MB, %llu events, "
                "fingerprint 0x%016llx; campaign %.0f s (%.2f h), session %.0f s vs lower bound %.0f s\n",
                qPrintable(last.scenarioName), int(last.devices.size()), last.count(DeviceOutcome::Upgraded),
                last.count(DeviceOutcome::Failed), last.count(DeviceOutcome::Refused), measured.wallS, measured.cpuS,
                peakRssMb(), static_cast<unsigned long long>(last.eventsExecuted),
                static_cast<unsigned long long>(last.traceFingerprint), campaignS, campaignS / 3600.0, sessionS, lowerBoundS);
    printFleetFigures(last);
    setCommonCounters(state, measured);
    state.counters["failed"] = last.count(DeviceOutcome::Failed);
    state.counters["campaign_h"] = campaignS / 3600.0;
    state.counters["session_s"] = sessionS;
    state.counters["lower_bound_s"] = lowerBoundS;
}

void runBundled(benchmark::State& state, const char* file) { runFile(state, bundledScenario(file)); }

void BM_LorawanDemo(benchmark::State& state) { runBundled(state, "lorawan-demo.json"); }
void BM_LorawanCity(benchmark::State& state) { runBundled(state, "lorawan-city.json"); }
void BM_LorawanNational(benchmark::State& state) { runBundled(state, "lorawan-national.json"); }
void BM_LorawanNamed(benchmark::State& state) { runNamedScenario(state, "OTALAB_LORAWAN_SCENARIO", runFile); }

} // namespace

BENCHMARK(BM_LorawanDemo)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_LorawanCity)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_LorawanNational)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_LorawanNamed)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK_MAIN();
