// SPDX-License-Identifier: Apache-2.0
// Rollout wall time and memory: starter / campus (1,000 devices) / city (10,000 devices).
//
//   bench_rollout [starter|campus|city] [imageBytes] [seed]   one run, prints a summary
//   bench_rollout --benchmark_filter=...                      Google Benchmark (starter, campus)
// Environment overrides: OTALAB_FINGERPRINT=0 (no TraceWriter), OTALAB_UNTIL_S=<virtual s>,
// OTALAB_HEARING_M=<m>, OTALAB_MAX_CONCURRENT=<n>, OTALAB_BUSY_RETRY_MS=<ms>.
// Peak RSS: /usr/bin/time -v build/tests/bench/bench_rollout campus
#include "sim/ota/rollout.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using namespace otalab::sim;

RolloutConfig scenario(const std::string& name, std::uint32_t imageBytes, std::uint64_t seed)
{
    RolloutConfig c;
    c.name = QString::fromStdString(name);
    c.seed = seed;
    c.images.front().sizeBytes = imageBytes;
    c.stop.untilS = 7 * 24 * 3600.0;
    if (const char* until = std::getenv("OTALAB_UNTIL_S")) {
        c.stop.untilS = std::atof(until);
    }
    if (const char* fp = std::getenv("OTALAB_FINGERPRINT")) {
        c.fingerprint = std::atoi(fp) != 0;
    }
    if (const char* range = std::getenv("OTALAB_HEARING_M")) {
        c.channel.hearingRangeM = std::atof(range);
    }
    if (const char* conc = std::getenv("OTALAB_MAX_CONCURRENT")) {
        c.server.maxConcurrentDownloads = std::atoi(conc);
    }
    c.server.busyRetryDelayMs = 600'000;  // busy clients come back in 10 min (WAIT_FOR_DATA ping-pong would eat the channel)
    if (const char* busy = std::getenv("OTALAB_BUSY_RETRY_MS")) {
        c.server.busyRetryDelayMs = std::atoll(busy);
    }
    if (name == "campus") {  // 40 routers × 25 ZEDs = 1,040 clients
        c.topology = GeneratedTopology{.routers = 40, .branching = 4, .zedsPerRouter = 25};
        c.client.firstQueryJitterMs = 300'000;
        c.server.maxConcurrentDownloads = std::max(c.server.maxConcurrentDownloads, 20);  // the coordinator's channel carries ~100 blocks/s
    } else if (name == "city") {  // 400 routers × 25 ZEDs = 10,400 clients
        c.topology = GeneratedTopology{.routers = 400, .branching = 4, .zedsPerRouter = 25};
        c.client.firstQueryJitterMs = 300'000;
        c.server.maxConcurrentDownloads = std::max(c.server.maxConcurrentDownloads, 20);
    } else if (name == "block") {  // one neighbourhood: 4 routers × 25 ZEDs
        c.topology = GeneratedTopology{.routers = 4, .branching = 4, .zedsPerRouter = 25};
        c.client.firstQueryJitterMs = 300'000;
        c.server.maxConcurrentDownloads = std::max(c.server.maxConcurrentDownloads, 20);
    } else {
        c.topology = GeneratedTopology{.routers = 1, .branching = 1, .zedsPerRouter = 5};
    }
    return c;
}

void printSummary(const RunResult& r)
{
    std::printf("scenario %s seed %llu: %zu devices, image %llu bytes\n", qPrintable(r.scenarioName),
                static_cast<unsigned long long>(r.seed), r.devices.size(), static_cast<unsigned long long>(r.imageBytes));
    std::printf("  upgraded %d failed %d refused %d unfinished %d not started %d\n", r.count(DeviceOutcome::Upgraded),
                r.count(DeviceOutcome::Failed), r.count(DeviceOutcome::Refused), r.count(DeviceOutcome::Unfinished),
                r.count(DeviceOutcome::NotStarted));
    std::printf("  virtual end %.1f s (%s), events %llu, wall %.2f s (%.2f M events/s), fingerprint 0x%016llx\n", r.endTimeS,
                qPrintable(r.stopReason), static_cast<unsigned long long>(r.eventsExecuted), r.wallSeconds,
                r.eventsExecuted / 1e6 / (r.wallSeconds > 0 ? r.wallSeconds : 1), static_cast<unsigned long long>(r.traceFingerprint));
    for (double p : {10.0, 50.0, 90.0, 100.0}) {
        if (auto v = r.completionPercentile(p)) {
            std::printf("  completion p%.0f %.1f s\n", p, *v);
        }
    }
    double energy = 0, update = 0, share = 0;
    std::uint64_t retries = 0, requests = 0;
    for (const DeviceResult& d : r.devices) {
        energy += d.energyJ;
        update += d.updateEnergyJ;
        share = std::max(share, d.batteryShare);
        retries += d.retries;
        requests += d.blockRequests;
    }
    const double n = r.devices.empty() ? 1 : static_cast<double>(r.devices.size());
    std::printf("  mean energy %.3f J, mean update energy %.3f J, max battery share %.4f %%, block requests %llu, retries %llu\n",
                energy / n, update / n, share * 100, static_cast<unsigned long long>(requests),
                static_cast<unsigned long long>(retries));
    int shown = 0;
    for (std::size_t i = 0; i < r.devices.size() && shown < 8; ++i) {
        const DeviceResult& d = r.devices[i];
        if (i >= 4 && d.outcome == DeviceOutcome::Upgraded) {
            continue;
        }
        ++shown;
        std::printf("  0x%04x %-10s %-10s start %8.1f finish %8.1f bytes %7llu req %6llu retries %4llu update %.3f J %s\n",
                    d.shortAddress, qPrintable(d.role), qPrintable(deviceOutcomeName(d.outcome)), d.startS.value_or(-1),
                    d.finishS.value_or(-1), static_cast<unsigned long long>(d.bytesReceived),
                    static_cast<unsigned long long>(d.blockRequests), static_cast<unsigned long long>(d.retries), d.updateEnergyJ,
                    qPrintable(d.failureReason));
    }
}

void BM_Rollout(benchmark::State& state, const char* name, std::uint32_t imageBytes)
{
    for (auto _ : state) {
        auto r = runRollout(scenario(name, imageBytes, 1));
        if (!r) {
            state.SkipWithError(qPrintable(r.error().toString()));
            return;
        }
        state.counters["events"] = static_cast<double>(r->eventsExecuted);
        state.counters["upgraded"] = r->count(DeviceOutcome::Upgraded);
    }
}
BENCHMARK_CAPTURE(BM_Rollout, starter_64k, "starter", 64 * 1024)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Rollout, campus_64k, "campus", 64 * 1024)->Unit(benchmark::kSecond)->Iterations(1);

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 2 && std::strncmp(argv[1], "--", 2) != 0) {
        const std::uint32_t bytes = argc >= 3 ? static_cast<std::uint32_t>(std::stoul(argv[2])) : 280 * 1024;
        const std::uint64_t seed = argc >= 4 ? std::stoull(argv[3]) : 1;
        auto r = runRollout(scenario(argv[1], bytes, seed));
        if (!r) {
            std::fprintf(stderr, "error: %s\n", qPrintable(r.error().toString()));
            return 1;
        }
        printSummary(*r);
        return 0;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
