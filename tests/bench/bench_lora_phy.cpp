// SPDX-License-Identifier: Apache-2.0
// GatewayReceiver throughput: 10,000 class A devices around one gateway, each sending a
// 20-byte application payload (33 B PHYPayload) at exponential intervals on the three
// EU868 default channels, SF from the link budget (Bor et al. urban path loss, 14 dBm).
// The uplink stream is generated once; the timed loop feeds it to a fresh receiver in
// time order (ends before begins at equal times), as the event kernel would.
#include "sim/lorawan/airtime.h"
#include "sim/lorawan/gatewayreceiver.h"
#include "sim/lorawan/loraradio.h"
#include "sim/lorawan/propagation.h"
#include "sim/lorawan/region.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <vector>

namespace {

using namespace otalab::sim;
using namespace otalab::sim::lorawan;

constexpr int kDevices = 10'000;
constexpr int kUplinksPerRun = 200'000;
// SF12's median range with a 3 dB margin in Bor et al.'s model is ≈ 390 m (sensitivity alone: ≈ 550 m).
constexpr double kCellRadiusM = 400.0;
constexpr int kPhyBytes = 33;

// `meanIntervalS`: each device's mean time between uplinks.
std::vector<Uplink> makeUplinks(double meanIntervalS)
{
    const Region& eu = Region::eu868();
    const RadioParams radio;
    struct Device {
        double rssi;
        double snr;
        int sf;
    };
    std::vector<Device> devices;
    devices.reserve(kDevices);
    for (int d = 0; d < kDevices; ++d) {
        RandomStream link(7, NodeId(d), 1);
        const double r = kCellRadiusM * std::sqrt(link.uniform01());
        const LinkBudget b = linkBudget(radio, r, drawShadowingDb(radio, link), 14.0, 125'000);
        devices.push_back({b.rssiDbm, b.snrDb, bestSpreadingFactor(b.snrDb, 3.0)});
    }
    // The superposition of the devices' Poisson processes: aggregate rate N / mean.
    RandomStream traffic(7, NodeId(0xFFFF'FFFF), 2);
    const SimTime meanGap = SimTime::fromSeconds(meanIntervalS / kDevices);
    std::vector<Uplink> uplinks;
    uplinks.reserve(kUplinksPerRun);
    SimTime t;
    for (int i = 0; i < kUplinksPerRun; ++i) {
        t += traffic.exponentialTime(meanGap);
        const Device& dev = devices[traffic.uniformInt(kDevices)];
        Uplink u;
        u.start = t;
        u.spreadingFactor = dev.sf;
        u.airtime = timeOnAir(LoraModulation::uplink(dev.sf, 125'000), kPhyBytes);
        u.frequencyHz = eu.uplinkChannelsHz()[traffic.uniformInt(3)];
        u.rssiDbm = dev.rssi;
        u.snrDb = dev.snr;
        u.payloadBytes = kPhyBytes;
        uplinks.push_back(u);
    }
    return uplinks;
}

void BM_GatewayReceiver(benchmark::State& state)
{
    const double meanIntervalS = double(state.range(0));
    const std::vector<Uplink> uplinks = makeUplinks(meanIntervalS);
    using End = std::pair<std::int64_t, int>; // (end ns, reception id)
    std::vector<End> heapStorage;
    heapStorage.reserve(1024);
    std::array<std::uint64_t, kReceptionOutcomeCount> counts{};
    std::int64_t processed = 0;
    for (auto _ : state) {
        GatewayReceiver gw(RandomStream(7, NodeId(0), 3));
        std::priority_queue<End, std::vector<End>, std::greater<>> ends(std::greater<>{}, std::move(heapStorage));
        for (const Uplink& u : uplinks) {
            while (!ends.empty() && ends.top().first <= u.start.nanos()) {
                gw.endReception(ends.top().second);
                ends.pop();
            }
            ends.push({(u.start + u.airtime).nanos(), gw.beginReception(u)});
        }
        while (!ends.empty()) {
            gw.endReception(ends.top().second);
            ends.pop();
        }
        counts = gw.outcomeCounts();
        processed += std::int64_t(uplinks.size());
    }
    state.SetItemsProcessed(processed);
    const double n = double(uplinks.size());
    state.counters["received_pct"] = 100.0 * double(counts[0]) / n;
    state.counters["collided_pct"] = 100.0 * double(counts[1]) / n;
    state.counters["below_sens_pct"] = 100.0 * double(counts[2]) / n;
    state.counters["no_demod_pct"] = 100.0 * double(counts[3]) / n;
    state.counters["per_lost_pct"] = 100.0 * double(counts[5]) / n;
    state.counters["offered_per_s"] = kDevices / meanIntervalS;
}
// Mean interval per device: 3600 s, 600 s (light), 60 s (busy), 6 s (overloaded).
BENCHMARK(BM_GatewayReceiver)->Arg(3600)->Arg(600)->Arg(60)->Arg(6)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
