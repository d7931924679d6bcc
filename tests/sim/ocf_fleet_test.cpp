// SPDX-License-Identifier: Apache-2.0
// The ocf fleet: a small fleet upgrades at updatetime through core's SwUpdateDevice, runs
// are deterministic, the machine description and the device size.
#include "ocf_fleet_test_support.h"

#include "sim/kernel/simobserver.h"
#include "sim/kernel/simulator.h"

#include <gtest/gtest.h>

#include <map>

using namespace otalab::sim;
using namespace otalab::test::ocffleet;

namespace {

// Every swupdatestate change of every device, in order.
class SwStates final : public SimObserver {
public:
    void onStateChange(const StateChange& c) override
    {
        if (c.machine == kOcfSwUpdateMachine)
            seen[c.node].push_back({c.time.toSeconds(), c.to});
    }
    std::map<NodeId, std::vector<std::pair<double, std::uint16_t>>> seen;
};

} // namespace

TEST(OcfFleet, DeviceStaysSmall)
{
    EXPECT_LT(sizeof(OcfDevice), 640u);
}

TEST(OcfFleet, SmallFleetUpgradesAtUpdateTimeNotBefore)
{
    OcfRun run(smallFleet());
    SwStates states;
    run.fleetRun().simulator().addObserver(&states);
    ASSERT_TRUE(run.run());
    const OcfFleet& fleet = run.fleet();
    EXPECT_EQ(run.count(DeviceOutcome::Upgraded), 10);
    const double updateAtS = 3600.0;
    ASSERT_EQ(states.seen.size(), 10u);
    for (const auto& [node, changes] : states.seen) {
        // idle → svv → sva → upgrading → idle (result 1)
        std::vector<std::uint16_t> order;
        for (const auto& c : changes)
            order.push_back(c.second);
        const std::vector<std::uint16_t> expected{2, 3, 4, 0};
        EXPECT_EQ(order, expected) << "node " << node;
        for (const auto& [t, to] : changes) {
            if (to == 4)
                EXPECT_GE(t, updateAtS) << "upgrading before updatetime on node " << node;
            if (to == 3)
                EXPECT_LT(t, updateAtS);
        }
    }
    for (std::size_t i = 0; i < fleet.deviceCount(); ++i) {
        EXPECT_EQ(fleet.device(i).swResult, 1);
        EXPECT_TRUE(fleet.device(i).runsNew);
        EXPECT_TRUE(fleet.device(i).userDataKept);
        const DeviceStatus st = fleet.status(i);
        EXPECT_EQ(st.version, QStringLiteral("2.0.0"));
    }
    EXPECT_EQ(fleet.statesAtUpdateTime()[3], 10);   // every device in sva when 02:00 came
}

TEST(OcfFleet, SameSeedSameFingerprint)
{
    OcfRun a(smallFleet(), 7), b(smallFleet(), 7);
    ASSERT_TRUE(a.run());
    ASSERT_TRUE(b.run());
    EXPECT_EQ(a.fingerprint(), b.fingerprint());
    EXPECT_EQ(a.count(DeviceOutcome::Upgraded), 10);
}

TEST(OcfFleet, MachinesDescribeSwUpdateState)
{
    OcfRun run(smallFleet(1, 0));
    const auto machines = run.fleet().machines();
    ASSERT_FALSE(machines.empty());
    EXPECT_EQ(machines[0].id, kOcfSwUpdateMachine);
    EXPECT_EQ(machines[0].states, (QStringList{"idle", "nsa", "svv", "sva", "upgrading"}));
}
