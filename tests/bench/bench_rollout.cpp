// SPDX-License-Identifier: Apache-2.0
// Rollout wall time and memory of the bundled scenarios (starter, campus: 1,000 devices,
// city: 10,000 devices), exactly as `otalab-cli run` runs them.
//
//   bench_rollout SCENARIO [seed]        one run, prints a summary, wall/CPU time and peak RSS
//                                        (SCENARIO: starter|campus|city|stall-repro or a .json path)
//   bench_rollout --benchmark_filter=... Google Benchmark (starter; campus once)
// Environment: OTALAB_FINGERPRINT=0 runs without the trace fingerprint (to measure its cost),
// OTALAB_UNTIL_S=<virtual s> stops early, OTALAB_APS_ACK=1 turns on APS ACKs/retries (network.aps.ack).
#include "sim/zigbee/rollout.h"
#include "sim/scenario/scenarioloader.h"
#include "sim/zigbee/nwkdropreason.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeenode.h"

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <string>

namespace {

using namespace otalab::sim;

otalab::Result<RolloutConfig> scenario(const std::string& name, std::optional<std::uint64_t> seed)
{
    QString path = QString::fromStdString(name);
    if (!path.endsWith(QStringLiteral(".json")))
        path = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + path + QStringLiteral(".json");
    auto c = loadScenarioFile(path);
    if (!c)
        return c;
    if (seed)
        c->seed = *seed;
    if (const char* until = std::getenv("OTALAB_UNTIL_S"))
        c->stop.untilS = std::atof(until);
    if (const char* fp = std::getenv("OTALAB_FINGERPRINT"))
        c->fingerprint = std::atoi(fp) != 0;
    if (const char* ack = std::getenv("OTALAB_APS_ACK")) // until scenarios say "network": {"aps": {"ack": true}}
        c->network.aps.ack = std::atoi(ack) != 0;
    return c;
}

void printSummary(const RunResult& r)
{
    std::printf("scenario %s seed %llu: %zu devices, image %llu bytes\n", qPrintable(r.scenarioName),
                static_cast<unsigned long long>(r.seed), r.devices.size(), static_cast<unsigned long long>(r.imageBytes));
    std::printf("  upgraded %d failed %d refused %d unfinished %d not started %d\n", r.count(DeviceOutcome::Upgraded),
                r.count(DeviceOutcome::Failed), r.count(DeviceOutcome::Refused), r.count(DeviceOutcome::Unfinished),
                r.count(DeviceOutcome::NotStarted));
    std::printf("  virtual end %.1f s (%s), events %llu, wall %.2f s (%.2f M events/s), fingerprint 0x%016llx (model 0x%016llx)\n", r.endTimeS,
                qPrintable(r.stopReason), static_cast<unsigned long long>(r.eventsExecuted), r.wallSeconds,
                r.eventsExecuted / 1e6 / (r.wallSeconds > 0 ? r.wallSeconds : 1), static_cast<unsigned long long>(r.traceFingerprint), static_cast<unsigned long long>(r.modelFingerprint));
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
        requests += d.requests;
    }
    const double n = r.devices.empty() ? 1 : static_cast<double>(r.devices.size());
    std::printf("  mean energy %.3f J, mean update energy %.3f J, max battery share %.4f %%, block requests %llu, retries %llu\n",
                energy / n, update / n, share * 100, static_cast<unsigned long long>(requests),
                static_cast<unsigned long long>(retries));
    std::map<std::string, int> reasons; // failed devices by reason (numbers stripped, so alike ones group)
    for (const DeviceResult& d : r.devices) {
        if (d.outcome != DeviceOutcome::Failed)
            continue;
        std::string key = d.failureReason.toStdString();
        key.erase(std::remove_if(key.begin(), key.end(), [](char ch) { return ch >= '0' && ch <= '9'; }), key.end());
        ++reasons[key.substr(0, 160)];
    }
    for (const auto& [why, count] : reasons)
        std::printf("  failed x%d: %s\n", count, why.c_str());
    int shown = 0;
    for (std::size_t i = 0; i < r.devices.size() && shown < 8; ++i) {
        const DeviceResult& d = r.devices[i];
        if (i >= 4 && d.outcome == DeviceOutcome::Upgraded) {
            continue;
        }
        ++shown;
        std::printf("  %-10s %-10s %-10s start %8.1f finish %8.1f bytes %7llu req %6llu retries %4llu update %.3f J %s\n",
                    qPrintable(d.name), qPrintable(d.role), qPrintable(deviceOutcomeName(d.outcome)), d.startS.value_or(-1),
                    d.finishS.value_or(-1), static_cast<unsigned long long>(d.bytesReceived),
                    static_cast<unsigned long long>(d.requests), static_cast<unsigned long long>(d.retries), d.updateEnergyJ,
                    qPrintable(d.failureReason));
    }
}

// OTALAB_DROPS=1: every NWK drop of the run, by reason, split into frames from/to devices
// that end Failed and the rest, and by where (towards a sleepy child or not).
class DropCensus final : public NwkDropListener {
public:
    void onNwkDrop(Simulator&, const NwkDrop& d) override { drops.push_back(d); }
    std::vector<NwkDrop> drops;
};

int runWithDropCensus(const RolloutConfig& config)
{
    auto rollout = Rollout::build(config);
    if (!rollout) {
        std::fprintf(stderr, "error: %s\n", qPrintable(rollout.error().toString()));
        return 1;
    }
    DropCensus census;
    (*rollout)->network().setDropListener(&census);
    for (double t = 1e4; !(*rollout)->runUntil(t); t += 1e4) {
    }
    const RunResult r = (*rollout)->result();
    printSummary(r);
    std::map<std::uint16_t, bool> failed;
    for (const DeviceResult& d : r.devices)
        if (d.outcome == DeviceOutcome::Failed)
            failed[static_cast<std::uint16_t>(d.name.toUInt(nullptr, 16))] = true;
    std::map<std::string, std::uint64_t> rows;
    for (const NwkDrop& d : census.drops) {
        const bool f = failed.count(d.nwkSrc) || failed.count(d.nwkDst);
        ZigbeeNode* hop = d.nextHop == 0xFFFF ? nullptr : (*rollout)->network().findByShort(d.nextHop);
        const bool toZed = hop && hop->role() == NodeRole::EndDevice;
        std::string key = std::string(f ? "failed-device frames " : "other frames ") + toString(d.reason)
                        + (toZed ? " (parent -> sleepy child)" : " (towards a router/coordinator)");
        ++rows[key];
    }
    for (const auto& [k, n] : rows)
        std::printf("  drops %-80s %llu\n", k.c_str(), static_cast<unsigned long long>(n));
    return 0;
}

void BM_Rollout(benchmark::State& state, const char* name)
{
    auto config = scenario(name, std::nullopt);
    if (!config) {
        state.SkipWithError(qPrintable(config.error().toString()));
        return;
    }
    for (auto _ : state) {
        auto r = runRollout(*config);
        if (!r) {
            state.SkipWithError(qPrintable(r.error().toString()));
            return;
        }
        state.counters["events"] = static_cast<double>(r->eventsExecuted);
        state.counters["upgraded"] = r->count(DeviceOutcome::Upgraded);
    }
}
BENCHMARK_CAPTURE(BM_Rollout, starter, "starter")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Rollout, campus, "campus")->Unit(benchmark::kSecond)->Iterations(1);

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 2 && std::strncmp(argv[1], "--", 2) != 0) {
        std::optional<std::uint64_t> seed;
        if (argc >= 3)
            seed = std::stoull(argv[2]);
        auto config = scenario(argv[1], seed);
        if (!config) {
            std::fprintf(stderr, "error: %s\n", qPrintable(config.error().toString()));
            return 1;
        }
        const std::clock_t cpu0 = std::clock();
        if (const char* d = std::getenv("OTALAB_DROPS"); d && std::atoi(d) != 0)
            return runWithDropCensus(*config);
        auto r = runRollout(*config);
        const double cpuSeconds = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
        if (!r) {
            std::fprintf(stderr, "error: %s\n", qPrintable(r.error().toString()));
            return 1;
        }
        printSummary(*r);
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        std::printf("  wall %.2f s, CPU %.2f s, peak RSS %.1f MB\n", r->wallSeconds, cpuSeconds,
                    static_cast<double>(usage.ru_maxrss) / 1024.0);
        return 0;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
