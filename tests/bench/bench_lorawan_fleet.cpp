// SPDX-License-Identifier: Apache-2.0
// LoRaWAN FUOTA fleets (issue 12): the bundled scenarios run whole through FleetRun, as
// the CLI runs them — the 1,000-device demo, the 10,000-device city (bar: ≤ 10 s wall)
// and the 100,000-device national rollout (bar: ≤ 60 s wall, ≤ 2 GB peak). Counters:
// wall/CPU seconds, peak RSS, events, outcomes, the campaign's duration and the duty-cycle
// lower bound of its session; each run also prints its fingerprint and fleet figures.
//   build-tests/tests/bench/bench_lorawan_fleet --benchmark_filter=City
//   OTALAB_LORAWAN_SCENARIO=path/to/scenario.json build-tests/tests/bench/bench_lorawan_fleet --benchmark_filter=Named
#include "sim/fleet/fleetrun.h"
#include "sim/lorawan/lorawanfleet.h"
#include "sim/scenario/scenarioloader.h"

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

using namespace otalab::sim;

namespace {

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double peakRssMb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;   // ru_maxrss is in KiB on Linux
}

void runFile(benchmark::State& state, const QString& path)
{
    auto config = loadScenarioConfigFile(path);
    if (!config) {
        state.SkipWithError(config.error().toString().toStdString().c_str());
        return;
    }
    RunResult last;
    double wall = 0, cpu = 0;
    double sessionS = 0, lowerBoundS = 0, campaignS = 0;
    for (auto _ : state) {
        const double cpu0 = cpuSeconds();
        const auto t0 = std::chrono::steady_clock::now();
        auto run = FleetRun::build(*config);
        if (!run) {
            state.SkipWithError(run.error().toString().toStdString().c_str());
            return;
        }
        (*run)->run();
        last = (*run)->result();
        wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        cpu = cpuSeconds() - cpu0;
        for (const auto& fleet : (*run)->fleets())
            if (const auto* lw = dynamic_cast<const LorawanFleet*>(fleet.get())) {
                const FuotaServer& s = lw->server();
                if (s.framesDoneAt() != SimTime::max())
                    sessionS = (s.framesDoneAt() - s.stepStarted(FuotaServerState::SendingFragments)).toSeconds();
                lowerBoundS = lw->plan().lowerBound().toSeconds();
                const SimTime begin = s.stepStarted(FuotaServerState::McGroupSetup);
                if (begin != SimTime::max())
                    campaignS = last.endTimeS - begin.toSeconds();
            }
        benchmark::DoNotOptimize(last.traceFingerprint);
    }
    std::printf("%s: %d devices, %d upgraded, %d failed, %d refused; wall %.2f s, CPU %.2f s, peak RSS %.0f MB, %llu events, "
                "fingerprint 0x%016llx; campaign %.0f s (%.2f h), session %.0f s vs lower bound %.0f s\n",
                qPrintable(last.scenarioName), int(last.devices.size()), last.count(DeviceOutcome::Upgraded),
                last.count(DeviceOutcome::Failed), last.count(DeviceOutcome::Refused), wall, cpu, peakRssMb(),
                static_cast<unsigned long long>(last.eventsExecuted), static_cast<unsigned long long>(last.traceFingerprint),
                campaignS, campaignS / 3600.0, sessionS, lowerBoundS);
    for (const FleetFiguresResult& f : last.fleetFigures)
        for (const ResultAttribute& row : f.rows)
            std::printf("  %s: %s\n", qPrintable(row.name), qPrintable(row.value));
    state.counters["wall_s"] = wall;
    state.counters["cpu_s"] = cpu;
    state.counters["peak_rss_mb"] = peakRssMb();
    state.counters["events"] = double(last.eventsExecuted);
    state.counters["devices"] = double(last.devices.size());
    state.counters["upgraded"] = last.count(DeviceOutcome::Upgraded);
    state.counters["failed"] = last.count(DeviceOutcome::Failed);
    state.counters["campaign_h"] = campaignS / 3600.0;
    state.counters["session_s"] = sessionS;
    state.counters["lower_bound_s"] = lowerBoundS;
}

void runBundled(benchmark::State& state, const char* file)
{
    runFile(state, QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(file));
}

void BM_LorawanDemo(benchmark::State& state) { runBundled(state, "lorawan-demo.json"); }
void BM_LorawanCity(benchmark::State& state) { runBundled(state, "lorawan-city.json"); }
void BM_LorawanNational(benchmark::State& state) { runBundled(state, "lorawan-national.json"); }
void BM_LorawanNamed(benchmark::State& state)
{
    const char* path = std::getenv("OTALAB_LORAWAN_SCENARIO");
    if (!path) {
        state.SkipWithError("set OTALAB_LORAWAN_SCENARIO to a scenario file");
        return;
    }
    runFile(state, QString::fromLocal8Bit(path));
}

} // namespace

BENCHMARK(BM_LorawanDemo)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_LorawanCity)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_LorawanNational)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_LorawanNamed)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK_MAIN();
