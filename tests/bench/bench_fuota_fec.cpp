// SPDX-License-Identifier: Apache-2.0
// TS004 FEC statistics and the FecRankTracker at simulator scale.
//
// Part 1 (table): for M fragments and a frame loss rate p, each of `--trials` random
// loss patterns drops every frame of the stream (1..M uncoded, then parity) with
// probability p until the tracker is complete; we record how many frames were received.
// The same patterns are used for v1 and v2. Reported: mean frames received, mean
// overhead over M, P(decoded with exactly M frames), P(<= M+2), the 99th percentile and
// the worst case — to compare with the TS004 annex (M + 2 on average, ~70 % fail with
// exactly M, M + 7 for 99 %).
// Part 2: 100,000 FecRankTrackers (one per device) follow one session of M = 2,000
// fragments + 20 % parity, each device losing 1–10 % of the frames: wall time, peak
// memory of the trackers, devices complete.
// Part 3: Google Benchmark timings of one parity frame into one tracker.
// Options: --trials N (default 10000), --devices N (default 100000), --skip-table,
// --skip-fleet; the rest goes to Google Benchmark.
#include "core/lorawan/fecranktracker.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

namespace {

using namespace otalab::core::lorawan;

// Parity lines 1..k of one (M, version), built on demand and kept.
class LineCache {
public:
    LineCache(std::uint32_t m, FecVersion v) : m_m(m), m_v(v) {}
    const ParityLine& line(std::uint32_t n)
    {
        while (m_lines.size() < n)
            m_lines.push_back(parityLine(static_cast<std::uint32_t>(m_lines.size()) + 1, m_m, m_v));
        return m_lines[n - 1];
    }

private:
    std::uint32_t m_m;
    FecVersion m_v;
    std::vector<ParityLine> m_lines;
};

// SplitMix64: one cheap, well-mixed stream per trial/device.
struct SplitMix {
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    bool lost(std::uint64_t threshold) { return next() < threshold; } // threshold = p * 2^64
};

std::uint64_t threshold(double p)
{
    return p >= 1.0 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(p * 18446744073709551616.0);
}

struct Stats {
    double meanReceived = 0;
    double exactlyM = 0;   // fraction decoded with exactly M frames
    double withinTwo = 0;  // fraction decoded with <= M + 2
    std::uint32_t p99 = 0; // overhead (frames beyond M) at the 99th percentile
    std::uint32_t worst = 0;
    double meanLost = 0;   // uncoded fragments lost (l)
    int failed = 0;        // stream exhausted (16383 frames) without decoding
};

Stats run(std::uint32_t m, FecVersion v, double p, int trials, LineCache& lines)
{
    std::vector<std::uint32_t> overhead;
    overhead.reserve(static_cast<std::size_t>(trials));
    Stats s;
    const std::uint64_t t = threshold(p);
    double received = 0, lost = 0;
    for (int trial = 0; trial < trials; ++trial) {
        SplitMix rng{0x5eed0000ull + static_cast<std::uint64_t>(trial) * 7919 + m};
        FecRankTracker tracker(m);
        std::uint32_t got = 0;
        bool done = false;
        for (std::uint32_t n = 1; n <= kMaxFragmentCounter && !done; ++n) {
            if (rng.lost(t))
                continue;
            ++got;
            done = n <= m ? tracker.addUncoded(n) : tracker.addParity(lines.line(n - m));
        }
        if (!done) {
            ++s.failed;
            continue;
        }
        received += got;
        lost += tracker.lossCount();
        overhead.push_back(got - m);
    }
    const double ok = static_cast<double>(overhead.size());
    if (overhead.empty())
        return s;
    s.meanReceived = received / ok;
    s.meanLost = lost / ok;
    s.exactlyM = static_cast<double>(std::count(overhead.begin(), overhead.end(), 0u)) / ok;
    s.withinTwo = static_cast<double>(std::count_if(overhead.begin(), overhead.end(), [](auto o) { return o <= 2; })) / ok;
    std::sort(overhead.begin(), overhead.end());
    s.p99 = overhead[static_cast<std::size_t>(std::ceil(0.99 * ok)) - 1];
    s.worst = overhead.back();
    return s;
}

void printTable(int trials)
{
    std::printf("TS004 FEC: frames received until decoded, %d random loss patterns per row\n", trials);
    std::printf("(same patterns for v1 and v2; annex: M+2 on average, ~70 %% fail at exactly M, M+7 for 99 %%)\n\n");
    std::printf("%6s %6s %4s %8s %10s %9s %10s %9s %6s %6s\n", "M", "loss", "ver", "lost l", "received", "overhead",
                "P(=M)", "P(<=M+2)", "p99", "worst");
    struct Row {
        std::uint32_t m;
        double p;
    };
    const Row rows[] = {{100, 0.02}, {100, 0.05}, {100, 0.10}, {100, 0.20}, {100, 0.30}, {100, 0.50},
                        {20, 0.10},  {50, 0.10},  {256, 0.10}, {500, 0.10}, {1000, 0.05}, {2000, 0.05}};
    for (const Row& r : rows) {
        LineCache l1(r.m, FecVersion::V1), l2(r.m, FecVersion::V2);
        // Large M: fewer trials keep the table within a minute; said in the row.
        const int n = r.m >= 1000 ? std::min(trials, 2000) : trials;
        for (FecVersion v : {FecVersion::V1, FecVersion::V2}) {
            const Stats s = run(r.m, v, r.p, n, v == FecVersion::V1 ? l1 : l2);
            std::printf("%6u %5.0f%% %4s %8.1f %10.2f %+9.2f %9.1f%% %8.1f%% %+6u %+6u%s\n", r.m, r.p * 100,
                        v == FecVersion::V1 ? "v1" : "v2", s.meanLost, s.meanReceived, s.meanReceived - r.m,
                        s.exactlyM * 100, s.withinTwo * 100, s.p99, s.worst,
                        n != trials ? "  (fewer trials)" : "");
            if (s.failed)
                std::printf("        %d patterns never decoded within 16383 frames\n", s.failed);
        }
    }
    std::printf("\n");
}

// 100,000 devices (default) follow one multicast session: every frame is computed once
// and offered to each device that heard it.
void runFleet(int devices)
{
    const std::uint32_t m = 2000;
    const std::uint32_t parity = 400; // 20 %
    std::vector<FecRankTracker> fleet;
    fleet.reserve(static_cast<std::size_t>(devices));
    std::vector<std::uint64_t> lossThreshold(static_cast<std::size_t>(devices));
    std::vector<SplitMix> rng(static_cast<std::size_t>(devices));
    SplitMix setup{42};
    for (int d = 0; d < devices; ++d) {
        fleet.emplace_back(m);
        const double p = 0.01 + 0.09 * static_cast<double>(setup.next() >> 11) / 9007199254740992.0;
        lossThreshold[static_cast<std::size_t>(d)] = threshold(p);
        rng[static_cast<std::size_t>(d)] = SplitMix{setup.next()};
    }
    std::vector<int> active(static_cast<std::size_t>(devices));
    for (int d = 0; d < devices; ++d)
        active[static_cast<std::size_t>(d)] = d;
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpuStart = std::clock();
    std::clock_t cpuParity = cpuStart;
    double lineSeconds = 0;
    std::size_t peakBytes = 0;
    int complete = 0;
    for (std::uint32_t n = 1; n <= m + parity; ++n) {
        ParityLine line;
        if (n == m + 1)
            cpuParity = std::clock();
        if (n > m) {
            const auto t0 = std::chrono::steady_clock::now();
            line = parityLine(n - m, m, FecVersion::V2);
            lineSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        // Devices still listening (complete ones leave the list, as a simulator's would).
        for (std::size_t i = 0; i < active.size();) {
            const int d = active[i];
            FecRankTracker& t = fleet[static_cast<std::size_t>(d)];
            if (!rng[static_cast<std::size_t>(d)].lost(lossThreshold[static_cast<std::size_t>(d)])
                && (n <= m ? t.addUncoded(n) : t.addParity(line))) {
                ++complete;
                active[i] = active.back();
                active.pop_back();
                continue;
            }
            ++i;
        }
        if (n > m && (n - m) % 25 == 0) { // sampled: summing 100k sizes every frame would dominate
            std::size_t bytes = 0;
            for (const FecRankTracker& t : fleet)
                bytes += t.memoryBytes();
            peakBytes = std::max(peakBytes, bytes);
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpuUncoded = static_cast<double>(cpuParity - cpuStart) / CLOCKS_PER_SEC;
    const double cpuAll = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    std::size_t endBytes = 0;
    for (const FecRankTracker& t : fleet)
        endBytes += t.memoryBytes();
    std::printf("Fleet: %d FecRankTrackers, M = %u + %u parity (v2), loss 1-10 %% per device\n", devices, m, parity);
    std::printf("  wall %.2f s; CPU %.2f s = %.2f s uncoded frames + %.2f s parity frames (%.3f s building lines)\n",
                seconds, cpuAll, cpuUncoded, cpuAll - cpuUncoded, lineSeconds);
    std::printf("  %d devices complete (%.2f %%)\n", complete, 100.0 * complete / devices);
    std::printf("  tracker memory: peak %.1f MB (%.0f B/device), at the end %.1f MB (%.0f B/device)\n\n",
                peakBytes / 1e6, static_cast<double>(peakBytes) / devices, endBytes / 1e6,
                static_cast<double>(endBytes) / devices);
}

// One parity frame into a tracker that lost `l` of M = 2000 fragments, until complete.
void BM_TrackerDecodeSession(benchmark::State& state)
{
    const std::uint32_t m = 2000;
    const auto l = static_cast<std::uint32_t>(state.range(0));
    LineCache lines(m, FecVersion::V2);
    lines.line(l * 2 + 50);
    std::int64_t frames = 0;
    for (auto _ : state) {
        FecRankTracker t(m);
        for (std::uint32_t n = 1; n <= m; ++n)
            if (n % (m / l) != 0 || n / (m / l) > l)
                t.addUncoded(n);
        for (std::uint32_t k = 1; !t.isComplete(); ++k, ++frames)
            t.addParity(lines.line(k));
        benchmark::DoNotOptimize(t.missingCount());
    }
    state.counters["parityFrames/s"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TrackerDecodeSession)->Arg(20)->Arg(100)->Arg(200)->Unit(benchmark::kMicrosecond);

void BM_ParityLine(benchmark::State& state)
{
    std::uint32_t n = 1;
    for (auto _ : state)
        benchmark::DoNotOptimize(parityLine(n++ % 16000 + 1, 2000, FecVersion::V2));
}
BENCHMARK(BM_ParityLine)->Unit(benchmark::kMicrosecond);

} // namespace

int main(int argc, char** argv)
{
    int trials = 10000;
    int devices = 100000;
    bool table = true, fleet = true;
    std::vector<char*> rest{argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--trials") && i + 1 < argc)
            trials = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--devices") && i + 1 < argc)
            devices = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--skip-table"))
            table = false;
        else if (!std::strcmp(argv[i], "--skip-fleet"))
            fleet = false;
        else
            rest.push_back(argv[i]);
    }
    if (table)
        printTable(trials);
    if (fleet)
        runFleet(devices);
    int restArgc = static_cast<int>(rest.size());
    benchmark::Initialize(&restArgc, rest.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
