// SPDX-License-Identifier: Apache-2.0
// SMP fleets on clean links: every board upgraded, the host's concurrency limit, phases,
// node layout, status and results.
#include "smp_fleet_test_support.h"

#include "sim/smp/smpfleetmachine.h"

using namespace otalab::sim;
using namespace otalab::test::smpfleet;

TEST(SmpFleetPush, EveryBoardBehindABleGatewayIsUpgradedAndConfirmed)
{
    FleetBench bench(smallBle(8));
    ASSERT_TRUE(bench.fleet);
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::Upgraded), 8);
    EXPECT_EQ(bench.recorder.repeats, 0);
    EXPECT_EQ(bench.recorder.leftFinal, 0);
    for (const DeviceResult& r : bench.results()) {
        EXPECT_EQ(r.family, QStringLiteral("smp"));
        EXPECT_EQ(r.role, QStringLiteral("board"));
        EXPECT_EQ(r.parent, QStringLiteral("gateway"));
        EXPECT_EQ(r.versionBefore, QStringLiteral("1.0.0"));
        EXPECT_EQ(r.versionAfter, QStringLiteral("1.1.0"));
        EXPECT_EQ(r.bytesReceived, std::uint64_t(24 * 1024));
        EXPECT_GT(r.requests, 0u);
        EXPECT_TRUE(r.failureReason.isEmpty());
        ASSERT_TRUE(r.startS && r.finishS);
        EXPECT_GT(*r.finishS, *r.startS);
        EXPECT_GT(r.updateEnergyJ, 0.0);
        EXPECT_GE(r.energyJ, r.updateEnergyJ);
    }
    const DeviceStatus st = bench.fleet->status(0);
    EXPECT_EQ(st.phase, FleetPhase::Upgraded);
    EXPECT_EQ(st.version, QStringLiteral("1.1.0"));
    ASSERT_NE(attribute(st, QStringLiteral("Slot 0")), nullptr);
    EXPECT_EQ(attribute(st, QStringLiteral("Slot 0"))->value, QStringLiteral("1.1.0 active confirmed"));
    ASSERT_EQ(st.machineStates.size(), 1u);
    EXPECT_EQ(st.machineStates[0].first, kSmpPushMachine);
    EXPECT_EQ(st.machineStates[0].second, std::uint16_t(SmpPushState::Upgraded));
}

TEST(SmpFleetPush, TheGatewayNeverPushesMoreBoardsThanItHasConnections)
{
    FleetBench bench(smallBle(10));
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::Upgraded), 10);
    EXPECT_EQ(bench.smp().host().maxActiveBoards(), 3);
    EXPECT_LE(bench.recorder.maxActive, 3);
    EXPECT_LE(bench.recorder.maxDownloading, 3);
    EXPECT_GE(bench.recorder.maxDownloading, 2);   // the slots are used in parallel
    // Every board went through the whole push: download, verify, wait to apply, apply.
    EXPECT_EQ(bench.recorder.entered[std::size_t(FleetPhase::Downloading)], 10);
    EXPECT_EQ(bench.recorder.entered[std::size_t(FleetPhase::Verifying)], 10);
    EXPECT_EQ(bench.recorder.entered[std::size_t(FleetPhase::WaitingToApply)], 10);
    EXPECT_EQ(bench.recorder.entered[std::size_t(FleetPhase::Applying)], 10);
}

TEST(SmpFleetPush, UdpFleetPushesInBoardOrderWithinItsConcurrency)
{
    FleetBench bench(smallUdp(9));
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::Upgraded), 9);
    EXPECT_EQ(bench.smp().host().maxActiveBoards(), 4);
    EXPECT_LE(bench.recorder.maxDownloading, 4);
    const auto results = bench.results();
    for (std::size_t i = 1; i < results.size(); ++i)
        EXPECT_LE(*results[i - 1].startS, *results[i].startS) << "board " << i;
    EXPECT_EQ(results.front().parent, QStringLiteral("host"));
}

TEST(SmpFleetPush, NodesListBoardsThenTheirHost)
{
    SmpFleetConfig config = smallBle(5);
    Simulator sim;
    FleetBuildContext ctx{sim, 40, nullptr, {}, QStringLiteral("$.fleets[1]"), 7};
    auto built = buildSmpFleet(config, ctx);
    ASSERT_TRUE(built) << built.error().toString().toStdString();
    const Fleet& fleet = **built;
    EXPECT_EQ(fleet.family(), QStringLiteral("smp"));
    ASSERT_EQ(fleet.deviceCount(), 5u);
    ASSERT_EQ(fleet.nodes().size(), 6u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(fleet.deviceNode(i), NodeId(40 + i));
        EXPECT_EQ(fleet.nodes()[i].parent, NodeId(45));
        EXPECT_TRUE(fleet.nodes()[i].participates);
        EXPECT_EQ(fleet.phase(i), FleetPhase::Waiting);
    }
    EXPECT_EQ(fleet.nodes()[0].name, QStringLiteral("board-0001"));
    EXPECT_EQ(fleet.nodes()[5].name, QStringLiteral("gateway"));
    EXPECT_FALSE(fleet.nodes()[5].participates);
    const auto machines = fleet.machines();
    ASSERT_EQ(machines.size(), 1u);
    EXPECT_EQ(machines[0].id, kSmpPushMachine);
    EXPECT_EQ(machines[0].states.size(), qsizetype(kSmpPushStateCount));
    EXPECT_EQ(machines[0].phaseOfState.size(), std::size_t(kSmpPushStateCount));
    EXPECT_EQ(fleet.facts().imageBytes, std::uint64_t(24 * 1024));
    EXPECT_TRUE(fleet.facts().linkDescription.contains(QStringLiteral("3 connections")));
}

TEST(SmpFleetPush, StateChangesOfThePushMachineReachTheObservers)
{
    struct Changes final : SimObserver {
        void onStateChange(const StateChange& c) override
        {
            if (c.machine == kSmpPushMachine)
                seen.push_back(c);
        }
        std::vector<StateChange> seen;
    } changes;
    SmpFleetConfig config = smallUdp(2);
    FleetBench bench(config);
    bench.sim.addObserver(&changes);
    ASSERT_TRUE(bench.run());
    ASSERT_FALSE(changes.seen.empty());
    std::vector<std::uint16_t> board0;
    for (const StateChange& c : changes.seen)
        if (c.node == 0)
            board0.push_back(c.to);
    using S = SmpPushState;
    const std::vector<std::uint16_t> expected{std::uint16_t(S::ReadingState), std::uint16_t(S::Uploading),
                                              std::uint16_t(S::Testing),      std::uint16_t(S::Resetting),
                                              std::uint16_t(S::WaitingForBoot), std::uint16_t(S::CheckingBoot),
                                              std::uint16_t(S::Confirming),   std::uint16_t(S::Upgraded)};
    EXPECT_EQ(board0, expected);
    // Every change is an edge of the described machine.
    const MachineDescription machine = smpPushMachine();
    for (const StateChange& c : changes.seen) {
        bool known = false;
        for (const MachineTransition& t : machine.transitions)
            known |= t.from == int(c.from) && t.to == int(c.to);
        EXPECT_TRUE(known) << smpPushStateName(SmpPushState(c.from)).toStdString() << " -> "
                           << smpPushStateName(SmpPushState(c.to)).toStdString();
    }
}
