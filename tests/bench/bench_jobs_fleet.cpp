// SPDX-License-Identifier: Apache-2.0
// Jobs fleets (issue 13): the bundled scenarios run whole through FleetRun, as the CLI runs
// them — the 10,000-thing rollout (bar: ≤ 10 s wall), its 8 % bad-image variant (the abort
// trips) and the 100,000-thing national fleet (bar: ≤ 60 s wall). Counters: wall/CPU
// seconds, peak RSS, events, outcomes, the job's status, the abort moment and how many
// bad-image things had been notified / had rolled back by then; each run prints its
// fingerprint, the rollout rows and the fleet figures.
//   build-tests/tests/bench/bench_jobs_fleet --benchmark_filter=Rollout
//   OTALAB_JOBS_SCENARIO=path/to/scenario.json build-tests/tests/bench/bench_jobs_fleet --benchmark_filter=Named
#include "fleet_bench_support.h"

#include "sim/jobs/jobsfleet.h"
#include "sim/kernel/simulator.h"

using namespace otalab::sim;
using namespace otalab::sim::bench;

namespace {

void runFile(benchmark::State& state, const QString& path)
{
    FleetBenchRun measured;
    int badNotified = 0, badRolledBack = 0, badTotal = 0, startedAtAbort = 0;
    const bool ran = runScenarioBench(state, path, measured, [&](const FleetRun& run, const RunResult& last) {
        const std::optional<double> abortS = last.rollout ? last.rollout->abortedAtS : std::nullopt;
        for (const auto& fleet : run.fleets())
            if (const auto* jobs = dynamic_cast<const JobsFleet*>(fleet.get()))
                for (std::size_t i = 0; i < jobs->deviceCount(); ++i) {
                    const JobsDevice& d = jobs->device(i);
                    badTotal += d.badImage;
                    if (!abortS)
                        continue;
                    const SimTime at = SimTime::fromSeconds(*abortS);
                    startedAtAbort += d.startedAt <= at;
                    if (d.badImage && d.notifiedAt <= at)
                        ++badNotified;
                    if (d.badImage && d.step == JobsStep::RolledBack && d.finishedAt <= at)
                        ++badRolledBack;
                }
    });
    if (!ran)
        return;
    const RunResult& last = measured.result;
    std::printf("%s: %d things, %d upgraded, %d rolled back, %d failed, %d refused, %d not started, %d unfinished; "
                "wall %.2f s (build %.2f s), CPU %.2f s, peak RSS %.0f MB, %llu events, fingerprint 0x%016llx, end %.0f s (%.2f h); "
                "sizeof(JobsDevice) %zu B\n",
                qPrintable(last.scenarioName), int(last.devices.size()), last.count(DeviceOutcome::Upgraded),
                last.count(DeviceOutcome::RolledBack), last.count(DeviceOutcome::Failed), last.count(DeviceOutcome::Refused),
                last.count(DeviceOutcome::NotStarted), last.count(DeviceOutcome::Unfinished), measured.wallS, measured.buildS,
                measured.cpuS, peakRssMb(), static_cast<unsigned long long>(last.eventsExecuted),
                static_cast<unsigned long long>(last.traceFingerprint), last.endTimeS, last.endTimeS / 3600.0, sizeof(JobsDevice));
    if (last.rollout) {
        const RolloutResult& r = *last.rollout;
        std::printf("  rollout %s, job %s", qPrintable(r.policy), qPrintable(r.jobStatus));
        if (r.abortedAtS)
            std::printf(", aborted at %.0f s: %s; %d things had started, %d of the %d bad-image things had been notified, %d had rolled back",
                        *r.abortedAtS, qPrintable(r.abortReason), startedAtAbort, badNotified, badTotal, badRolledBack);
        std::printf("\n");
        for (const ResultAttribute& row : r.rows)
            std::printf("  %s: %s\n", qPrintable(row.name), qPrintable(row.value));
    }
    printFleetFigures(last);
    setCommonCounters(state, measured);
    state.counters["rolled_back"] = last.count(DeviceOutcome::RolledBack);
    state.counters["end_h"] = last.endTimeS / 3600.0;
    if (last.rollout && last.rollout->abortedAtS)
        state.counters["abort_s"] = *last.rollout->abortedAtS;
}

void runBundled(benchmark::State& state, const char* file) { runFile(state, bundledScenario(file)); }

void BM_JobsRollout(benchmark::State& state) { runBundled(state, "jobs-rollout.json"); }
void BM_JobsBadImage(benchmark::State& state) { runBundled(state, "jobs-bad-image.json"); }
void BM_JobsNational(benchmark::State& state) { runBundled(state, "jobs-national.json"); }
void BM_JobsNamed(benchmark::State& state) { runNamedScenario(state, "OTALAB_JOBS_SCENARIO", runFile); }

} // namespace

BENCHMARK(BM_JobsRollout)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_JobsBadImage)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_JobsNational)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_JobsNamed)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK_MAIN();
