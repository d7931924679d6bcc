// SPDX-License-Identifier: Apache-2.0
// The LoRaWAN family under a rollout policy (Fleet's rollout hooks, driven by hand): held
// devices never start, K waves of releases form exactly K multicast groups (devices released
// while a wave runs wait for the next), a stopped device never joins a session, and the
// timeline shows one span per wave.
#include "lorawan_fleet_test_support.h"

#include "sim/fleet/families.h"
#include "sim/kernel/simobserver.h"
#include "sim/kernel/simulator.h"
#include "sim/kernel/tracewriter.h"

#include <gtest/gtest.h>

#include <memory>
#include <numeric>

namespace otalab::test::lorawanfleet {
namespace {

// Counts the FUOTA server's Idle → McGroupSetup transitions: one per multicast group formed.
class GroupCounter final : public SimObserver {
public:
    void onStateChange(const StateChange& c) override
    {
        if (c.machine == kFuotaServerMachine && c.to == std::uint16_t(FuotaServerState::McGroupSetup))
            groupSetups.push_back(c.time);
        if (c.machine == kLorawanDeviceMachine && c.to == std::uint16_t(LorawanDeviceState::Receiving))
            ++receiving;
    }
    std::vector<SimTime> groupSetups;
    int receiving = 0;
};

struct Bench {
    explicit Bench(const LorawanFleetConfig& config, std::uint64_t seed = 12)
    {
        sim.setSeed(seed);
        sim.addObserver(&trace);
        sim.addObserver(&groups);
        FleetBuildContext ctx{sim, 0, nullptr, {}, QStringLiteral("$.fleets[0]"), seed};
        auto built = buildLorawanFleet(config, ctx);
        EXPECT_TRUE(built) << (built ? std::string() : built.error().toString().toStdString());
        fleet = std::move(*built);
    }
    ~Bench() { fleet.reset(); }
    LorawanFleet& lorawan() { return static_cast<LorawanFleet&>(*fleet); }
    void runUntilS(double s) { sim.runUntil(SimTime::fromSeconds(s)); }
    // Runs in small steps until `done` or `limitS`; true when done.
    template <typename F>
    bool runWhileNot(F done, double limitS)
    {
        while (!done() && sim.now() < SimTime::fromSeconds(limitS))
            sim.runUntil(sim.now() + SimTime::fromSecondsInt(10));
        return done();
    }
    std::vector<std::size_t> range(std::size_t from, std::size_t to)
    {
        std::vector<std::size_t> v(to - from);
        std::iota(v.begin(), v.end(), from);
        return v;
    }

    Simulator sim;
    TraceWriter trace;
    GroupCounter groups;
    std::unique_ptr<Fleet> fleet;
};

TEST(LorawanRolloutWaves, SupportsGateAndStopNotRetry)
{
    Bench b(smallFleet());
    const auto s = b.fleet->rolloutSupport();
    EXPECT_TRUE(s.gate);
    EXPECT_TRUE(s.stop);
    EXPECT_FALSE(s.retry);
    EXPECT_TRUE(s.how.contains(QStringLiteral("multicast group per wave")));
}

TEST(LorawanRolloutWaves, HeldDevicesNeverStart)
{
    Bench b(smallFleet());
    b.fleet->holdForRollout();
    b.fleet->start();
    b.runUntilS(86'400.0);
    EXPECT_TRUE(b.groups.groupSetups.empty());
    EXPECT_EQ(b.lorawan().server().state(), FuotaServerState::Idle);
    EXPECT_EQ(b.lorawan().server().wave(), 0);
    for (std::size_t i = 0; i < b.fleet->deviceCount(); ++i) {
        EXPECT_EQ(b.lorawan().device(i).state, LorawanDeviceState::ClassA) << i;
        EXPECT_GT(b.lorawan().device(i).uplinks, 0u) << i;  // class A traffic goes on
    }
    EXPECT_TRUE(b.fleet->fleetTimeline().empty());
}

TEST(LorawanRolloutWaves, ThreeWavesFormThreeMulticastGroups)
{
    Bench b(smallFleet());
    LorawanFleet& f = b.lorawan();
    b.fleet->holdForRollout();
    b.fleet->start();
    b.runUntilS(100.0);
    b.fleet->releaseDevices(b.range(0, 10));  // wave 1 forms now
    ASSERT_TRUE(b.runWhileNot([&] { return f.server().state() == FuotaServerState::FragSessionSetup; }, 86'400.0));
    b.fleet->releaseDevices(b.range(10, 25));  // wait for wave 2
    EXPECT_EQ(f.server().wave(), 1);
    EXPECT_EQ(f.server().waveDevices(), 10);
    ASSERT_TRUE(b.runWhileNot([&] { return f.server().wave() == 2; }, 3 * 86'400.0));
    const SimTime wave2 = b.sim.now();
    for (std::size_t i = 10; i < 25; ++i)
        EXPECT_GE(f.device(i).campaignStart, f.server().waves().front().stepStart[std::size_t(FuotaServerState::Complete)]) << i;
    b.fleet->releaseDevices(b.range(25, 40));  // wait for wave 3
    b.runUntilS(wave2.toSeconds() + 5 * 86'400.0);

    ASSERT_EQ(b.groups.groupSetups.size(), 3u);
    EXPECT_EQ(f.server().wave(), 3);
    ASSERT_EQ(f.server().waves().size(), 2u);
    EXPECT_EQ(f.server().waves()[0].devices, 10);
    EXPECT_EQ(f.server().waves()[1].devices, 15);
    EXPECT_EQ(f.server().waveDevices(), 15);
    EXPECT_EQ(f.server().state(), FuotaServerState::Complete);
    EXPECT_EQ(f.server().waitingForWave(), 0);
    // Groups one after the other: each forms when the previous wave completed.
    EXPECT_EQ(b.groups.groupSetups[1], f.server().waves()[0].stepStart[std::size_t(FuotaServerState::Complete)]);
    EXPECT_EQ(b.groups.groupSetups[2], f.server().waves()[1].stepStart[std::size_t(FuotaServerState::Complete)]);
    EXPECT_EQ(f.server().waves()[1].groupId, 1);
    EXPECT_EQ(f.server().rolloutText(12), QStringLiteral("in wave 2's multicast group"));
    int upgraded = 0;
    for (std::size_t i = 0; i < 40; ++i)
        upgraded += f.device(i).state == LorawanDeviceState::Upgraded;
    EXPECT_GE(upgraded, 36);  // a few may miss fragments, as without a rollout

    int multicastSpans = 0, fragmentSpans = 0;
    for (const TimelineSpan& s : b.fleet->fleetTimeline()) {
        multicastSpans += s.label.contains(QStringLiteral(" multicast (group"));
        fragmentSpans += s.label.endsWith(QStringLiteral(" fragments")) && s.lane.startsWith(QStringLiteral("Fragments"));
    }
    EXPECT_EQ(multicastSpans, 3);
    EXPECT_EQ(fragmentSpans, 3);
    bool wavesRow = false;
    for (const NamedValue& row : b.fleet->fleetFigures())
        wavesRow |= row.name == QStringLiteral("Rollout waves") && row.value.startsWith(QStringLiteral("3 multicast groups"));
    EXPECT_TRUE(wavesRow);
}

TEST(LorawanRolloutWaves, StoppedDevicesNeverJoinASession)
{
    Bench b(smallFleet());
    LorawanFleet& f = b.lorawan();
    b.fleet->holdForRollout();
    b.fleet->start();
    b.fleet->releaseDevices(b.range(0, 20));
    ASSERT_TRUE(b.runWhileNot([&] { return f.server().state() == FuotaServerState::FragSessionSetup; }, 86'400.0));
    b.fleet->releaseDevices(b.range(20, 30));  // waiting for wave 2
    // 0..4 are in wave 1's unicast setup: they leave it; 20..24 never join wave 2.
    b.fleet->stopDevices({0, 1, 2, 3, 4, 20, 21, 22, 23, 24});
    for (std::size_t i : {0, 1, 2, 3, 4})
        EXPECT_EQ(f.device(i).state, LorawanDeviceState::ClassA) << i;
    EXPECT_EQ(f.server().waveDevices(), 15);
    b.runUntilS(6 * 86'400.0);
    EXPECT_EQ(b.groups.groupSetups.size(), 2u);
    ASSERT_EQ(f.server().waves().size(), 1u);
    EXPECT_EQ(f.server().waveDevices(), 5);  // wave 2: 25..29
    for (std::size_t i : {0, 1, 2, 3, 4, 20, 21, 22, 23, 24}) {
        EXPECT_EQ(f.device(i).state, LorawanDeviceState::ClassA) << i;
        EXPECT_EQ(f.device(i).framesReceived, 0u) << i;
        EXPECT_EQ(b.fleet->phase(i), FleetPhase::Waiting) << i;
    }
    for (std::size_t i = 30; i < 40; ++i)
        EXPECT_EQ(f.device(i).campaignStart, SimTime::max()) << i;  // never released
    // Joined a session: the 15 + 5 served devices, at most (a missed setup joins none).
    EXPECT_LE(b.groups.receiving, 20 + 20);
}

TEST(LorawanRolloutWaves, NeverHeldRunsAsBefore)
{
    Bench a(smallFleet());
    a.fleet->start();
    a.runUntilS(2 * 86'400.0);
    Bench b(smallFleet());
    (void)b.fleet->rolloutSupport();
    b.fleet->start();
    b.runUntilS(2 * 86'400.0);
    EXPECT_EQ(a.trace.fingerprint(), b.trace.fingerprint());
    EXPECT_EQ(a.lorawan().server().wave(), 0);
    EXPECT_EQ(a.groups.groupSetups.size(), 1u);
    bool waveSpan = false;
    for (const TimelineSpan& s : a.fleet->fleetTimeline())
        waveSpan |= s.label.startsWith(QStringLiteral("wave"));
    EXPECT_FALSE(waveSpan);
}

} // namespace
} // namespace otalab::test::lorawanfleet
