// SPDX-License-Identifier: Apache-2.0
// Rejoin + closed-form idle polls: after a rejoin the end device's closed-form polls are
// charged against its new parent (ZigbeeNode::setParentNode through RejoinDirectory::
// parentNode), not dropped to on-air polls for the rest of the run.
#include "zigbee_test_support.h"

#include "sim/radio/radiochannel.h"
#include "sim/zigbee/rejoin.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeeoutageloss.h"

#include <gtest/gtest.h>

#include <memory>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

// twoRouterTopology(): router 1 (ZEDs 3, 4) goes dark for good at 30 s, router 2 is nearest;
// rejoin on; idle polls as asked.
struct CutRun {
    explicit CutRun(NwkModelConfig::IdlePolls idle)
    {
        sim.setSeed(5);
        auto lossOwned = std::make_unique<ZigbeeOutageLoss>(nullptr);
        loss = lossOwned.get();
        channel = std::make_unique<RadioChannel>(RadioChannel::Config{0x1A62, 15}, std::move(lossOwned));
        config.model.rejoin.enabled = true;
        config.model.idlePolls = idle;
        auto created = ZigbeeNetwork::create(sim, *channel, twoRouterTopology(), config);
        EXPECT_TRUE(created);
        net = std::move(*created);
        apps.resize(net->size());
        for (std::size_t i = 0; i < net->size(); ++i) {
            net->node(static_cast<NodeId>(i)).setUpper(&apps[i]);
            net->node(static_cast<NodeId>(i)).setOutages(loss); // as ZigbeeFleet does
        }
        loss->addDark(1, SimTime::fromSeconds(30.0), SimTime::max());
        net->start();
    }

    Simulator sim;
    NwkConfig config;
    ZigbeeOutageLoss* loss = nullptr;
    std::unique_ptr<RadioChannel> channel;
    std::unique_ptr<ZigbeeNetwork> net;
    std::vector<RecordingApp> apps;
};

constexpr std::uint16_t kCluster = 0x0019;

} // namespace

TEST(ZigbeeRejoinClosedForm, RejoinedChildrenPollTheNewParentInClosedForm)
{
    CutRun onAir(NwkModelConfig::IdlePolls::OnAir);
    CutRun closed(NwkModelConfig::IdlePolls::ClosedForm);
    // Three missed polls (7.5 s ± 2 %) after the cut, then the rejoin exchange (< 1 s).
    const SimTime rejoined = SimTime::fromSeconds(30.0 + 3 * 7.5 * 1.02 + 2.0);
    const SimTime until = rejoined + SimTime::fromSeconds(600);
    struct Mark {
        std::uint64_t polls[2]{};
        std::uint64_t closedForm[2]{};
        std::uint64_t tx[2]{};
        std::uint64_t events = 0;
    };
    Mark at[2];
    Mark end[2];
    CutRun* runs[2]{&onAir, &closed};
    for (int r = 0; r < 2; ++r) {
        CutRun& run = *runs[r];
        run.sim.runUntil(rejoined);
        for (int z = 0; z < 2; ++z) {
            const ZigbeeNode& n = run.net->node(static_cast<NodeId>(3 + z));
            ASSERT_EQ(n.stats().rejoins, 1u) << r << " zed " << 3 + z;
            ASSERT_EQ(n.parent(), 0x0002) << r << " zed " << 3 + z;
            at[r].polls[z] = n.stats().polls;
            at[r].closedForm[z] = n.stats().closedFormPolls;
            at[r].tx[z] = run.net->mac(static_cast<NodeId>(3 + z)).stats().transmissions;
        }
        at[r].events = run.sim.eventsExecuted();
        run.sim.runUntil(until);
        for (int z = 0; z < 2; ++z) {
            const ZigbeeNode& n = run.net->node(static_cast<NodeId>(3 + z));
            end[r].polls[z] = n.stats().polls;
            end[r].closedForm[z] = n.stats().closedFormPolls;
            end[r].tx[z] = run.net->mac(static_cast<NodeId>(3 + z)).stats().transmissions;
        }
        end[r].events = run.sim.eventsExecuted();
    }
    for (int z = 0; z < 2; ++z) {
        const std::uint64_t onAirPolls = end[0].polls[z] - at[0].polls[z];
        const std::uint64_t closedPolls = end[1].polls[z] - at[1].polls[z];
        EXPECT_GE(onAirPolls, 78u) << "zed " << 3 + z; // 600 s / 7.5 s ± 2 %
        EXPECT_EQ(closedPolls, onAirPolls) << "zed " << 3 + z;
        // Every idle poll after the rejoin is closed form, against router 2: none on the air.
        EXPECT_EQ(end[1].closedForm[z] - at[1].closedForm[z], closedPolls) << "zed " << 3 + z;
        EXPECT_EQ(end[1].tx[z] - at[1].tx[z], 0u) << "zed " << 3 + z;
        EXPECT_EQ(end[0].tx[z] - at[0].tx[z], onAirPolls) << "zed " << 3 + z;
    }
    // On air an idle poll costs the kernel events (MAC, radio, channel); closed form none
    // but the poll timer's.
    EXPECT_LT(end[1].events - at[1].events, (end[0].events - at[0].events) / 4);

    // And the rejoined children still get their frames: a held frame makes the next poll
    // go on the air to router 2 (its hasPendingFor), which delivers it.
    const std::uint8_t payload[3]{1, 2, 3};
    ASSERT_TRUE(closed.net->node(0).sendAps(0x0010, 1, kCluster, payload));
    ASSERT_TRUE(closed.net->node(0).sendAps(0x0011, 1, kCluster, payload));
    closed.sim.runUntil(until + SimTime::fromSeconds(10));
    ASSERT_EQ(closed.apps[3].received.size(), 1u);
    ASSERT_EQ(closed.apps[4].received.size(), 1u);
    EXPECT_EQ(closed.net->node(2).stats().heldDelivered, 4u); // 2 rejoin responses + 2 data frames
}
