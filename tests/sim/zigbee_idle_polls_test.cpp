// SPDX-License-Identifier: Apache-2.0
// Closed-form idle polls (NwkModelConfig::IdlePolls::ClosedForm): counts and energy equal to
// on-air polls on an idle, loss-free, contention-free network; a held frame makes the next
// poll a real one; PowerStateMachine::chargeVisit arithmetic and record order.
#include "radio_test_support.h"
#include "zigbee_test_support.h"

#include "sim/energy/deviceenergy.h"
#include "sim/energy/powerstatemachine.h"
#include "sim/kernel/observerlist.h"
#include "sim/radio/radiochannel.h"
#include "sim/zigbee/idlepollcost.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeeoutageloss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <memory>
#include <vector>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

// Distinct currents in every radio state, so that time moved between states shows.
DevicePreset testPreset()
{
    DevicePreset p;
    p.name = QStringLiteral("test");
    p.supplyVoltageV = 3.0;
    p.radio = {0.5e-6, 4.0e-3, 5.0e-3, 9.0e-3};
    p.cpu = {1.0e-6, 3.0e-3, 5.0e-3, 4.0e-3};
    return p;
}

// Energy records must reach observers in non-decreasing time, per node and overall.
class EnergyOrder final : public SimObserver {
public:
    void onEnergy(const EnergySample& s) override
    {
        if (s.time < last)
            ++outOfOrder;
        last = s.time;
        ++samples;
    }
    SimTime last = SimTime::min();
    std::size_t outOfOrder = 0;
    std::size_t samples = 0;
};

// 0 coordinator ─ 1 router ─ 2 router ─ 3 ZED, 4 ZED
//               │                      (children of router 2)
//               └ 5 ZED (child of the coordinator)
TopologySpec chain()
{
    return chainTopology(6);
}

// chain() without node 4: one sleepy child per parent, so polls never contend.
TopologySpec chainOneChildEach()
{
    TopologySpec t = chain();
    t.nodes.erase(t.nodes.begin() + 4);
    return t;
}

// A coordinator with one sleepy child: no overhearing, no contention.
TopologySpec pair()
{
    TopologySpec t;
    t.nodes = {{NodeRole::Coordinator, 0x0000, -1, 0, 0}, {NodeRole::EndDevice, 0x0001, 0, 2, 0}};
    return t;
}

struct PollRun : ZigbeeTestNet {
    PollRun(const TopologySpec& topology, NwkModelConfig::IdlePolls mode, SimTime pollInterval, std::uint64_t seed = 7)
    {
        config.pollInterval = pollInterval;
        config.model.idlePolls = mode;
        create(topology, config, seed);
        sim.addObserver(&order);
        if (!net)
            return;
        net->connectTreeLinks();
        for (std::size_t i = 0; i < net->size(); ++i) {
            const auto id = static_cast<NodeId>(i);
            energy.emplace_back(id, testPreset());
            net->mac(id).setEnergy(&energy.back());
        }
    }
    void finish()
    {
        for (DeviceEnergy& e : energy)
            e.flush(sim);
    }

    EnergyOrder order;
    NwkConfig config;
    std::deque<DeviceEnergy> energy; // stable addresses
};

double relDiff(double a, double b)
{
    return std::abs(a - b) / std::max(std::abs(a), std::abs(b));
}

} // namespace

TEST(ZigbeeIdlePolls, CostOfOneIdlePollFollowsThePhy)
{
    EXPECT_EQ(IdlePollCost::dataRequestAirtime(), SimTime::fromMicros(576)); // (12 + 6) × 32 µs
    EXPECT_EQ(IdlePollCost::ackAirtime(), SimTime::fromMicros(352));         // (5 + 6) × 32 µs
    const IdlePollCost c = IdlePollCost::compute(SimTime::fromMicros(1'280));
    EXPECT_EQ(c.duration, SimTime::fromMicros(1'280 + 576 + 192 + 352));
    SimTime child, parent;
    for (const auto& s : c.child)
        child += s.duration;
    for (const auto& s : c.parent)
        parent += s.duration;
    EXPECT_EQ(child, c.duration);
    EXPECT_EQ(parent, c.duration - c.access);
}

TEST(ZigbeeIdlePolls, IdlePairCountsAndEnergyEqualOnAir)
{
    PollRun onAir(pair(), NwkModelConfig::IdlePolls::OnAir, ms(7'500));
    PollRun closed(pair(), NwkModelConfig::IdlePolls::ClosedForm, ms(7'500));
    for (PollRun* r : {&onAir, &closed}) {
        r->net->start();
        r->sim.runUntil(SimTime::fromSecondsInt(3'600));
        r->finish();
    }
    const auto& a = onAir.net->node(1).stats();
    const auto& b = closed.net->node(1).stats();
    EXPECT_GT(a.polls, 470u);
    EXPECT_EQ(a.polls, b.polls);
    EXPECT_EQ(a.closedFormPolls, 0u);
    EXPECT_EQ(b.closedFormPolls, b.polls);
    EXPECT_EQ(onAir.net->mac(1).stats().transmissions, a.polls); // no contention, no loss
    EXPECT_EQ(onAir.net->mac(1).stats().succeeded, a.polls);
    EXPECT_TRUE(closed.frames.entries.empty()); // nothing on the channel
    for (NodeId n : {NodeId{0}, NodeId{1}}) {
        const DeviceEnergy& ea = onAir.energy[n];
        const DeviceEnergy& eb = closed.energy[n];
        EXPECT_LT(relDiff(ea.energyJoules(), eb.energyJoules()), 1e-9) << "node " << n;
        for (std::uint16_t s = 0; s < kRadioStateCount; ++s) {
            EXPECT_EQ(ea.radio().timeIn(s), eb.radio().timeIn(s)) << "node " << n << " state " << s;
            EXPECT_LT(std::abs(ea.radio().energyJoulesIn(s) - eb.radio().energyJoulesIn(s)),
                      1e-9 * ea.energyJoules()) << "node " << n << " state " << s;
        }
    }
    EXPECT_EQ(closed.order.outOfOrder, 0u);
    EXPECT_EQ(onAir.order.outOfOrder, 0u);
}

TEST(ZigbeeIdlePolls, IdleTreeCountsAndSleepyEnergyEqualOnAir)
{
    // Polls every 2 s for an hour. The parents (coordinator, router 2) hear nothing but
    // their child's polls: exact too. Router 1 overhears both parents' ACKs on air,
    // which closed form does not charge (the named model change): not compared.
    PollRun onAir(chainOneChildEach(), NwkModelConfig::IdlePolls::OnAir, ms(2'000), 11);
    PollRun closed(chainOneChildEach(), NwkModelConfig::IdlePolls::ClosedForm, ms(2'000), 11);
    for (PollRun* r : {&onAir, &closed}) {
        r->net->start();
        r->sim.runUntil(SimTime::fromSecondsInt(3'600));
        r->finish();
    }
    for (NodeId zed : {NodeId{3}, NodeId{4}}) { // 0x0003 under router 2, 0x0005 under the coordinator
        const auto& a = onAir.net->node(zed).stats();
        const auto& b = closed.net->node(zed).stats();
        EXPECT_GT(a.polls, 1'700u);
        EXPECT_EQ(a.polls, b.polls) << "zed " << zed;
        EXPECT_EQ(b.closedFormPolls, b.polls) << "zed " << zed;
        ASSERT_EQ(onAir.net->mac(zed).stats().transmissions, a.polls) << "contention in the on-air run";
        EXPECT_LT(relDiff(onAir.energy[zed].energyJoules(), closed.energy[zed].energyJoules()), 1e-9) << "zed " << zed;
    }
    for (NodeId parent : {NodeId{0}, NodeId{2}})
        EXPECT_LT(relDiff(onAir.energy[parent].energyJoules(), closed.energy[parent].energyJoules()), 1e-9)
            << "parent " << parent;
    EXPECT_GT(onAir.energy[1].energyJoules(), closed.energy[1].energyJoules()); // overheard ACKs
    EXPECT_TRUE(closed.frames.entries.empty());
    EXPECT_EQ(closed.order.outOfOrder, 0u);
}

TEST(ZigbeeIdlePolls, HeldFrameMakesTheNextPollGoOnAirAndIsDelivered)
{
    PollRun r(chain(), NwkModelConfig::IdlePolls::ClosedForm, ms(2'000)); // polls 1 s, then every 2 s ± 2 %
    ZigbeeNode& zed = r.net->node(3); // child of router 2, three hops from the coordinator
    zed.startPolling(ms(1'000));
    r.sim.runUntil(ms(3'500));
    EXPECT_EQ(zed.stats().polls, 2u); // 1 s, 3 s
    EXPECT_EQ(zed.stats().closedFormPolls, 2u);
    EXPECT_TRUE(r.frames.entries.empty());

    ASSERT_TRUE(r.net->node(0).sendAps(0x0003, 1, kOtaCluster, std::vector<std::uint8_t>{0xAA, 0xBB}));
    r.sim.runUntil(ms(4'900));
    EXPECT_TRUE(r.net->node(2).hasPendingFor(0x0003)); // relayed to the parent router, held there
    EXPECT_TRUE(r.apps[3].received.empty());
    r.sim.runUntil(ms(5'100));
    ASSERT_EQ(r.apps[3].received.size(), 1u);
    EXPECT_GE(r.apps[3].received[0].time, ms(4'900));
    EXPECT_EQ(r.apps[3].received[0].payload, (std::vector<std::uint8_t>{0xAA, 0xBB}));
    EXPECT_EQ(zed.stats().polls, 3u);
    EXPECT_EQ(zed.stats().closedFormPolls, 2u); // the 5 s poll was on air
    EXPECT_EQ(zed.stats().pollsWithPending, 1u);
    EXPECT_FALSE(r.net->node(2).hasPendingFor(0x0003));

    r.sim.runUntil(ms(7'200)); // nothing held any more: closed form again
    EXPECT_EQ(zed.stats().polls, 4u);
    EXPECT_EQ(zed.stats().closedFormPolls, 3u);
    EXPECT_EQ(r.order.outOfOrder, 0u);
}

TEST(ZigbeeIdlePolls, PollNowDuringAClosedFormPollIsRefusedLikeOneInFlight)
{
    PollRun r(pair(), NwkModelConfig::IdlePolls::ClosedForm, ms(7'500));
    ZigbeeNode& zed = r.net->node(1);
    r.sim.runUntil(ms(100));
    EXPECT_TRUE(zed.pollNow());
    EXPECT_FALSE(zed.pollNow()); // the notional Data Request + ACK take >= 1.12 ms
    r.sim.runUntil(ms(110));
    EXPECT_TRUE(zed.pollNow());
    EXPECT_EQ(zed.stats().closedFormPolls, 2u);
    // A ZED whose MAC is busy polls on air.
    ASSERT_TRUE(zed.sendAps(0x0000, 1, kOtaCluster, std::vector<std::uint8_t>{1}));
    r.sim.runUntil(ms(120));
    ASSERT_TRUE(zed.sendAps(0x0000, 1, kOtaCluster, std::vector<std::uint8_t>{2}));
    EXPECT_TRUE(zed.pollNow());
    EXPECT_EQ(zed.stats().polls, 3u);
    EXPECT_EQ(zed.stats().closedFormPolls, 2u);
}

TEST(ZigbeeIdlePolls, OnAirIsUnchangedWithoutParentPointer)
{
    // Without the parent's node a ClosedForm network polls on air.
    PollRun r(pair(), NwkModelConfig::IdlePolls::ClosedForm, ms(7'500));
    r.net->node(1).setParentNode(nullptr);
    r.net->start();
    r.sim.runUntil(ms(20'000));
    EXPECT_GE(r.net->node(1).stats().polls, 2u);
    EXPECT_EQ(r.net->node(1).stats().closedFormPolls, 0u);
    EXPECT_FALSE(r.frames.entries.empty());
}

TEST(EnergyPowerStateMachine, ChargeVisitTakesTimeOutOfTheCurrentState)
{
    class Log final : public SimObserver {
    public:
        void onEnergy(const EnergySample& s) override { samples.push_back(s); }
        std::vector<EnergySample> samples;
    } log;
    ObserverList observers;
    observers.add(&log);
    PowerStateMachine m(1, EnergyComponent::Radio, 3.0, {1e-6, 4e-3, 5e-3, 9e-3}, 0, SimTime::zero());
    const std::array<PowerStateMachine::StateDuration, 3> visit{{{1, SimTime::fromMicros(1'000)},
                                                                 {3, SimTime::fromMicros(500)},
                                                                 {2, SimTime::fromMicros(300)}}};
    m.chargeVisit(visit);
    m.chargeVisit(visit);
    const double expected = 3.0 * (1e-6 * (10.0 - 0.0036) + 4e-3 * 0.002 + 9e-3 * 0.001 + 5e-3 * 0.0006);
    EXPECT_NEAR(m.energyJoulesAt(SimTime::fromSecondsInt(10)), expected, 1e-15);
    m.setState(SimTime::fromSecondsInt(10), 1, &observers);
    EXPECT_NEAR(m.energyJoules(), expected, 1e-15);
    EXPECT_EQ(m.timeIn(0), SimTime::fromSecondsInt(10) - SimTime::fromMicros(3'600));
    EXPECT_EQ(m.timeIn(1), SimTime::fromMicros(2'000));
    EXPECT_EQ(m.timeIn(2), SimTime::fromMicros(600));
    EXPECT_EQ(m.timeIn(3), SimTime::fromMicros(1'000));
    ASSERT_EQ(log.samples.size(), 4u); // sleep remainder, then Idle, Rx, Tx
    for (const EnergySample& s : log.samples)
        EXPECT_EQ(s.time, SimTime::fromSecondsInt(10));
    EXPECT_EQ(log.samples[0].state, 0);
    EXPECT_EQ(log.samples[1].state, 1);
    EXPECT_EQ(log.samples[3].state, 3);
    // Nothing pending any more: the next interval is plain.
    m.setState(SimTime::fromSecondsInt(11), 0, &observers);
    EXPECT_EQ(log.samples.size(), 5u);
    EXPECT_EQ(log.samples[4].duration, SimTime::fromSecondsInt(1));
}

TEST(ZigbeeIdlePolls, DarkParentOrChildPollsOnAir)
{
    // Faults (router outage, power loss) make nodes dark in the loss model: a closed-form
    // poll would hide the outage from the child (no failed polls, no rejoin).
    PollRun r(pair(), NwkModelConfig::IdlePolls::ClosedForm, ms(7'500));
    ZigbeeOutageLoss outages(nullptr);
    outages.addDark(0, ms(1'000), ms(2'000)); // the parent
    r.net->node(1).setOutages(&outages);
    ZigbeeNode& zed = r.net->node(1);
    r.sim.runUntil(ms(500));
    EXPECT_TRUE(zed.pollNow());
    EXPECT_EQ(zed.stats().closedFormPolls, 1u);
    r.sim.runUntil(ms(999)); // the window reaches into the dark interval
    EXPECT_TRUE(zed.pollNow());
    EXPECT_EQ(zed.stats().closedFormPolls, 1u);
    r.sim.runUntil(ms(1'500));
    EXPECT_FALSE(r.frames.entries.empty());
    r.sim.runUntil(ms(2'500));
    EXPECT_TRUE(zed.pollNow());
    EXPECT_EQ(zed.stats().closedFormPolls, 2u);
}
