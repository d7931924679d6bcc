// SPDX-License-Identifier: Apache-2.0
// The scenario-bench harness shared by the fleet benches (bench_jobs_fleet,
// bench_lorawan_fleet): a scenario file run whole through FleetRun, as the CLI runs it,
// once per benchmark iteration, with wall/CPU time, peak RSS and the common counters.
#pragma once

#include "sim/fleet/fleetrun.h"
#include "sim/scenario/scenarioloader.h"

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>

namespace otalab::sim::bench {

// The process's CPU time so far, in seconds.
inline double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// The process's peak resident set so far, in MB.
inline double peakRssMb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;   // ru_maxrss is in KiB on Linux
}

// The last iteration's result and times (seconds of wall clock from before the build, of
// it the build alone, and of process CPU).
struct FleetBenchRun {
    RunResult result;
    double wallS = 0;
    double buildS = 0;
    double cpuS = 0;
};

// Loads the scenario at path, then per iteration builds and runs it and hands the finished
// run to inspect (for the family's own figures; it is not timed). Returns false after
// state.SkipWithError when the file does not load or the fleet does not build.
inline bool runScenarioBench(benchmark::State& state, const QString& path, FleetBenchRun& out,
                             const std::function<void(const FleetRun&, const RunResult&)>& inspect)
{
    auto config = loadScenarioConfigFile(path);
    if (!config) {
        state.SkipWithError(config.error().toString().toStdString().c_str());
        return false;
    }
    for (auto _ : state) {
        const double cpu0 = cpuSeconds();
        const auto t0 = std::chrono::steady_clock::now();
        auto run = FleetRun::build(*config);
        if (!run) {
            state.SkipWithError(run.error().toString().toStdString().c_str());
            return false;
        }
        out.buildS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        (*run)->run();
        out.result = (*run)->result();
        out.wallS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        out.cpuS = cpuSeconds() - cpu0;
        inspect(**run, out.result);
        benchmark::DoNotOptimize(out.result.traceFingerprint);
    }
    return true;
}

// Prints each fleet's figure rows, "  name: value" a line.
inline void printFleetFigures(const RunResult& result)
{
    for (const FleetFiguresResult& f : result.fleetFigures)
        for (const ResultAttribute& row : f.rows)
            std::printf("  %s: %s\n", qPrintable(row.name), qPrintable(row.value));
}

// The counters every fleet bench reports: wall_s, cpu_s, peak_rss_mb, events, devices, upgraded.
inline void setCommonCounters(benchmark::State& state, const FleetBenchRun& run)
{
    state.counters["wall_s"] = run.wallS;
    state.counters["cpu_s"] = run.cpuS;
    state.counters["peak_rss_mb"] = peakRssMb();
    state.counters["events"] = double(run.result.eventsExecuted);
    state.counters["devices"] = double(run.result.devices.size());
    state.counters["upgraded"] = run.result.count(DeviceOutcome::Upgraded);
}

// A bundled scenario: resources/scenarios/<file>.
inline QString bundledScenario(const char* file)
{
    return QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(file);
}

// The scenario file named by the environment variable envVar, run with runFile; skipped
// with "set <envVar> to a scenario file" when unset.
inline void runNamedScenario(benchmark::State& state, const char* envVar,
                             const std::function<void(benchmark::State&, const QString&)>& runFile)
{
    const char* path = std::getenv(envVar);
    if (!path) {
        state.SkipWithError((std::string("set ") + envVar + " to a scenario file").c_str());
        return;
    }
    runFile(state, QString::fromLocal8Bit(path));
}

} // namespace otalab::sim::bench
