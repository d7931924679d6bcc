// SPDX-License-Identifier: Apache-2.0
// MAC + channel + energy throughput: acknowledged unicasts in many small cells.
#include "sim/channel/bernoulliloss.h"
#include "sim/energy/deviceenergy.h"
#include "sim/kernel/simulator.h"
#include "sim/radio/mac.h"
#include "sim/radio/radiochannel.h"

#include <benchmark/benchmark.h>

#include <array>
#include <memory>
#include <vector>

namespace {

using namespace otalab::sim;

constexpr int kCellSize = 10;
constexpr int kFramesPerNode = 50;

// Every node sends kFramesPerNode acknowledged 60-byte frames to its neighbour in
// its cell, back to back; cells hear only themselves (explicit hearing).
class Node final : public MacUpper {
public:
    void onSendComplete(Simulator&, const MacSendResult&) override
    {
        if (++sent < kFramesPerNode)
            static_cast<void>(mac->send(payload, dst, true));
    }
    void onReceive(Simulator&, const MacIndication&) override { ++received; }

    std::unique_ptr<Mac> mac;
    std::unique_ptr<DeviceEnergy> energy;
    std::array<std::uint8_t, 60> payload{};
    std::uint16_t dst = 0;
    int sent = 0;
    int received = 0;
};

void BM_MacCells(benchmark::State& state)
{
    const int nodes = static_cast<int>(state.range(0));
    std::int64_t frames = 0;
    for (auto _ : state) {
        Simulator sim;
        sim.setSeed(1);
        RadioChannel channel{RadioChannel::Config{}, std::make_unique<BernoulliLoss>(0.05)};
        for (int n = 0; n < nodes; ++n) {
            const int cell = n / kCellSize;
            for (int m = cell * kCellSize; m < n; ++m)
                channel.connect(static_cast<NodeId>(n), static_cast<NodeId>(m));
        }
        std::vector<Node> fleet(static_cast<std::size_t>(nodes));
        const DevicePreset preset = DevicePreset::efr32mg24();
        for (int n = 0; n < nodes; ++n) {
            Node& node = fleet[static_cast<std::size_t>(n)];
            node.mac = std::make_unique<Mac>(sim, channel, n, static_cast<std::uint16_t>(n));
            node.energy = std::make_unique<DeviceEnergy>(n, preset);
            node.mac->setEnergy(node.energy.get());
            node.mac->setUpper(&node);
            const int cell = n / kCellSize;
            node.dst = static_cast<std::uint16_t>(cell * kCellSize + (n + 1) % kCellSize);
        }
        for (Node& node : fleet)
            static_cast<void>(node.mac->send(node.payload, node.dst, true));
        sim.run();
        frames += channel.stats().transmissions;
        benchmark::DoNotOptimize(fleet.front().received);
    }
    state.SetItemsProcessed(frames);
    state.counters["frames_on_air_per_s"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_MacCells)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
