// SPDX-License-Identifier: Apache-2.0
#include "radio_test_support.h"

#include "sim/channel/bernoulliloss.h"
#include "sim/energy/deviceenergy.h"
#include "sim/kernel/tracewriter.h"
#include "sim/radio/radiochannel.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

// Five CSMA nodes with energy accounting, each sending 30 acknowledged frames to the
// next node over a lossy channel as fast as the MAC allows. Returns the fingerprint.
std::uint64_t runFleet(std::uint64_t seed)
{
    Simulator sim;
    sim.setSeed(seed);
    TraceWriter trace;
    sim.addObserver(&trace);
    RadioChannel channel{RadioChannel::Config{}, std::make_unique<BernoulliLoss>(0.15)};
    constexpr int kNodes = 5;
    std::vector<std::unique_ptr<Mac>> macs;
    std::vector<std::unique_ptr<DeviceEnergy>> energy;
    std::vector<RecordingUpper> uppers(kNodes);
    std::vector<int> sent(kNodes, 0);
    for (int i = 0; i < kNodes; ++i) {
        macs.push_back(std::make_unique<Mac>(sim, channel, i, static_cast<std::uint16_t>(i)));
        energy.push_back(std::make_unique<DeviceEnergy>(i, DevicePreset::nrf52840()));
        macs[i]->setEnergy(energy[i].get());
        macs[i]->setUpper(&uppers[i]);
    }
    for (int i = 0; i < kNodes; ++i) {
        const auto dst = static_cast<std::uint16_t>((i + 1) % kNodes);
        uppers[i].onComplete = [&, i, dst](Simulator&, const MacSendResult&) {
            if (++sent[i] < 30) {
                EXPECT_TRUE(macs[i]->send(payloadOf(40, static_cast<std::uint8_t>(sent[i])), dst, true));
            }
        };
        EXPECT_TRUE(macs[i]->send(payloadOf(40), dst, true));
    }
    sim.run();
    for (auto& e : energy)
        e->flush(sim);
    EXPECT_GT(trace.recordCount(), 300u);
    return trace.fingerprint();
}

} // namespace

TEST(RadioDeterminism, SameSeedSameTraceFingerprint)
{
    const std::uint64_t first = runFleet(42);
    EXPECT_EQ(first, runFleet(42));
    EXPECT_NE(first, runFleet(43));
}
