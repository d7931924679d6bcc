// SPDX-License-Identifier: Apache-2.0
// SMP fleets are deterministic: the same seed gives the same trace fingerprint and results.
#include "smp_fleet_test_support.h"

using namespace otalab::sim;
using namespace otalab::test::smpfleet;

namespace {

SmpFleetConfig eventful(SmpFleetConfig c)
{
    c.boards.unhealthyShare = 0.25;
    c.boards.powerCutShare = 0.25;
    return c;
}

struct Outcome {
    std::uint64_t fingerprint = 0;
    std::uint64_t events = 0;
    double endS = 0;
    std::vector<DeviceResult> results;
};

Outcome runOnce(const SmpFleetConfig& config, std::uint64_t seed)
{
    FleetBench bench(config, seed);
    EXPECT_TRUE(bench.run());
    return {bench.trace.fingerprint(), bench.sim.eventsExecuted(), bench.sim.now().toSeconds(), bench.results()};
}

void expectSame(const Outcome& a, const Outcome& b)
{
    EXPECT_EQ(a.fingerprint, b.fingerprint);
    EXPECT_EQ(a.events, b.events);
    EXPECT_EQ(a.endS, b.endS);
    ASSERT_EQ(a.results.size(), b.results.size());
    for (std::size_t i = 0; i < a.results.size(); ++i) {
        EXPECT_EQ(a.results[i].outcome, b.results[i].outcome) << i;
        EXPECT_EQ(a.results[i].finishS, b.results[i].finishS) << i;
        EXPECT_EQ(a.results[i].retries, b.results[i].retries) << i;
        EXPECT_EQ(a.results[i].requests, b.results[i].requests) << i;
        EXPECT_EQ(a.results[i].energyJ, b.results[i].energyJ) << i;
        EXPECT_EQ(a.results[i].failureReason, b.results[i].failureReason) << i;
    }
}

} // namespace

TEST(SmpFleetDeterminism, SameSeedSameTraceOverUdpWithLoss)
{
    SmpFleetConfig config = eventful(smallUdp(12));
    config.udp.datagramLoss = 0.05;
    const Outcome a = runOnce(config, 11);
    const Outcome b = runOnce(config, 11);
    expectSame(a, b);
    int retried = 0;
    for (const DeviceResult& r : a.results)
        retried += r.retries > 0;
    EXPECT_GT(retried, 0);   // the loss did cost re-sent chunks
    const Outcome c = runOnce(config, 12);
    EXPECT_NE(a.fingerprint, c.fingerprint);
}

TEST(SmpFleetDeterminism, SameSeedSameTraceBehindABleGatewayWithNoise)
{
    SmpFleetConfig config = eventful(smallBle(9));
    config.ble.link.byteErrorRate = 1e-4;
    const Outcome a = runOnce(config, 3);
    const Outcome b = runOnce(config, 3);
    expectSame(a, b);
    EXPECT_NE(a.fingerprint, 0u);
}

TEST(SmpFleetDeterminism, ResultsMidRunDoNotChangeTheRun)
{
    SmpFleetConfig config = eventful(smallUdp(6));
    const Outcome plain = runOnce(config, 4);
    FleetBench bench(config, 4);
    bench.fleet->start();
    for (int t = 5; t < 24 * 3600 && bench.recorder.finished < 6; t += 5) {
        bench.sim.runUntil(SimTime::fromSecondsInt(t));
        for (std::size_t i = 0; i < bench.fleet->deviceCount(); ++i)
            static_cast<void>(bench.fleet->status(i));
        static_cast<void>(bench.results());
    }
    EXPECT_EQ(bench.recorder.finished, 6);
    EXPECT_EQ(bench.trace.fingerprint(), plain.fingerprint);
}
