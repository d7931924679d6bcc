// SPDX-License-Identifier: Apache-2.0
// LoRaWAN FUOTA fleet: a campaign end to end, its determinism, and the way its knobs move
// the outcome (redundancy, class B vs C).
#include "lorawan_fleet_test_support.h"

using namespace otalab::sim;
using namespace otalab::test::lorawanfleet;

TEST(LorawanFleetCampaign, SameSeedSameFingerprintOtherSeedDifferent)
{
    const auto fingerprint = [](std::uint64_t seed) {
        LorawanRun run(smallFleet(), seed);
        EXPECT_TRUE(run.run());
        return run.fingerprint();
    };
    const std::uint64_t a = fingerprint(7);
    EXPECT_EQ(a, fingerprint(7));
    EXPECT_NE(a, fingerprint(8));
}

TEST(LorawanFleetCampaign, ASmallFleetUpgradesEndToEnd)
{
    LorawanRun run(smallFleet());
    ASSERT_TRUE(run.run());
    const RunResult& r = run.result();
    ASSERT_EQ(r.devices.size(), 40u);
    EXPECT_EQ(run.count(DeviceOutcome::Upgraded), 40) << r.stopReason.toStdString();
    EXPECT_EQ(run.fleet().server().state(), FuotaServerState::Complete);
    const FuotaPlan& plan = run.fleet().plan();
    EXPECT_EQ(plan.fragmentSize, 239);          // DR5: 242 − 3 (ChirpStack's auto size)
    EXPECT_EQ(plan.fragments, 35);              // ceil(8192 / 239)
    EXPECT_EQ(plan.redundancy, 7);              // ceil(35 × 20 %)
    for (const DeviceResult& d : r.devices) {
        ASSERT_TRUE(d.startS && d.finishS) << d.name.toStdString();
        EXPECT_LT(*d.startS, *d.finishS);
        EXPECT_EQ(d.versionAfter, QStringLiteral("1.1.0"));
        EXPECT_EQ(d.bytesReceived, 8192u);
    }
    // Per-device rows and fleet rows the report shows.
    const DeviceStatus st = run.fleet().status(0);
    const auto has = [&](const QString& name) {
        return std::any_of(st.attributes.begin(), st.attributes.end(), [&](const NamedValue& v) { return v.name == name; });
    };
    EXPECT_TRUE(has(QStringLiteral("Fragments")));
    EXPECT_TRUE(has(QStringLiteral("RSSI / SNR")));
    EXPECT_TRUE(has(QStringLiteral("Energy")));
    EXPECT_FALSE(run.figure(QStringLiteral("Lower bound")).isEmpty());
    ASSERT_EQ(r.fleetFigures.size(), 1u);
    // The session cannot beat the duty cycle: first to last frame ≥ (frames − 1) × airtime / d.
    const double session = (run.fleet().server().framesDoneAt() - run.fleet().server().stepStarted(FuotaServerState::SendingFragments)).toSeconds();
    EXPECT_GE(session, plan.frameAirtime.toSeconds() * (plan.frames() - 1) / plan.dutyCycle);
}

TEST(LorawanFleetCampaign, MoreRedundancyCompletesMoreDevicesWithoutRepair)
{
    const auto upgraded = [](double percent) {
        LorawanFleetConfig c = smallFleet();
        c.devices.count = 60;
        c.radio.extraLossPercent = 8;
        c.campaign.repairRound = false;
        c.campaign.redundancyPercent = percent;
        LorawanRun run(c, 21);
        EXPECT_TRUE(run.run());
        return run.count(DeviceOutcome::Upgraded);
    };
    const int none = upgraded(0);
    const int thirty = upgraded(30);
    EXPECT_LT(none, 20) << "with 8 % loss and no parity almost every device misses a fragment";
    EXPECT_GT(thirty, 55);
}

TEST(LorawanFleetCampaign, ClassBTakesPingSlotsAndListensLessThanClassC)
{
    LorawanFleetConfig c = smallFleet();
    LorawanRun classC(c);
    ASSERT_TRUE(classC.run());
    c.campaign.sessionClass = LorawanCampaignConfig::SessionClass::B;
    c.campaign.pingSlotPeriodicity = 2;   // a slot every 3.84 s
    LorawanRun classB(c);
    ASSERT_TRUE(classB.run());
    EXPECT_EQ(classC.count(DeviceOutcome::Upgraded), 40);
    EXPECT_EQ(classB.count(DeviceOutcome::Upgraded), 40);
    const auto session = [](const LorawanRun& r) {
        return (r.fleet().server().framesDoneAt() - r.fleet().server().stepStarted(FuotaServerState::SendingFragments)).toSeconds();
    };
    EXPECT_GT(session(classB), session(classC));
    EXPECT_GE(session(classB), 3.84 * (classB.fleet().plan().frames() - 1));
    // The gateway beacons every 128 s from two periods before the session to its last frame.
    EXPECT_GE(classB.fleet().gateways()[0].beacons, std::uint32_t(session(classB) / 128.0));
    EXPECT_EQ(classC.fleet().gateways()[0].beacons, 0u);
    // Listening only in ping slots costs less receive energy than class C's continuous RX.
    double rxB = 0, rxC = 0;
    for (std::size_t i = 0; i < 40; ++i) {
        rxB += double(classB.fleet().device(i).energy.rxNs);
        rxC += double(classC.fleet().device(i).energy.rxNs);
    }
    EXPECT_LT(rxB, rxC);
}

TEST(LorawanFleetCampaign, TheLabSeesFragmentBarsGatewayReachAndTheServerMachine)
{
    LorawanFleetConfig c = smallFleet();
    c.radio.extraLossPercent = 5;
    LorawanRun run(c);
    ASSERT_TRUE(run.run());
    const LorawanFleet& f = run.fleet();
    int recovered = 0;
    for (std::size_t i = 0; i < f.deviceCount(); ++i) {
        const DeviceStatus st = f.status(i);
        ASSERT_EQ(st.pieces.total, 35);
        for (std::uint8_t s : st.pieces.state) {
            if (st.phase == FleetPhase::Upgraded)
                EXPECT_TRUE(s == PieceMap::Received || s == PieceMap::Recovered);
            recovered += s == PieceMap::Recovered;
        }
    }
    EXPECT_GT(recovered, 0) << "5 % loss: some fragments come back through FEC";
    const auto server = f.nodeStatus(f.serverNode());
    ASSERT_TRUE(server);
    ASSERT_EQ(server->machineStates.size(), 1u);
    EXPECT_EQ(server->machineStates[0].first, kFuotaServerMachine);
    EXPECT_EQ(server->machineStates[0].second, std::uint16_t(FuotaServerState::Complete));
    const auto gateway = std::find_if(f.nodes().begin(), f.nodes().end(), [](const FleetNodeInfo& n) { return n.role == QLatin1String("gateway"); });
    ASSERT_NE(gateway, f.nodes().end());
    ASSERT_EQ(gateway->ranges.size(), 6u);
    EXPECT_EQ(gateway->ranges.front().label, QStringLiteral("SF7"));
    EXPECT_LT(gateway->ranges.front().radiusM, gateway->ranges.back().radiusM);
    EXPECT_TRUE(f.nodeStatus(gateway->node).has_value());
    const auto machines = f.machines();
    ASSERT_EQ(machines.size(), 2u);
    for (const MachineDescription& m : machines) {
        EXPECT_EQ(std::size_t(m.states.size()), m.phaseOfState.size());
        for (const MachineTransition& t : m.transitions) {
            EXPECT_LT(t.to, int(m.states.size()));
            EXPECT_LT(t.from, int(m.states.size()));
        }
    }
}

TEST(LorawanFleetCampaign, Us915AndFecVersionOneRunToo)
{
    LorawanFleetConfig c = smallFleet();
    c.region = LorawanRegion::US915;
    c.gateways.rx2DataRate.reset();        // US915 RX2: DR8 on 923.3 MHz
    c.campaign.multicastDataRate = 12;      // SF8 / 500 kHz
    c.campaign.fecVersion = 1;
    LorawanRun run(c);
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.count(DeviceOutcome::Upgraded), 40);
    const FuotaPlan& plan = run.fleet().plan();
    EXPECT_EQ(plan.fragmentSize, 239);
    EXPECT_EQ(plan.bandwidthHz, 500'000);
    EXPECT_DOUBLE_EQ(plan.dutyCycle, 1.0);  // no duty cycle in US915: the session is as long as its airtime
    const double session = (run.fleet().server().framesDoneAt() - run.fleet().server().stepStarted(FuotaServerState::SendingFragments)).toSeconds();
    EXPECT_LT(session, plan.sessionAirtime().toSeconds() * 1.5 + 5.0);
}

TEST(LorawanFleetCampaign, AnAdaptiveRedundancyCoversTheLossItSees)
{
    LorawanFleetConfig c = smallFleet();
    c.radio.extraLossPercent = 10;
    c.campaign.redundancyPercent.reset();   // adaptive
    c.campaign.repairRound = false;
    LorawanRun run(c);
    ASSERT_TRUE(run.run());
    EXPECT_GE(run.fleet().plan().redundancy, 35 * 10 / 90 + 7);
    EXPECT_GE(run.count(DeviceOutcome::Upgraded), 36);
}

TEST(LorawanFleetCampaign, DevicesAreSmallAndShareTheImage)
{
    // ~0.3 KiB per device before its tracker (a bitmap of M bits and the rows it needs).
    EXPECT_LE(sizeof(LorawanDevice), 400u);
    LorawanRun run(smallFleet());
    ASSERT_TRUE(run.run());
    for (std::size_t i = 0; i < run.fleet().deviceCount(); ++i)
        EXPECT_LT(run.fleet().device(i).fec.memoryBytes(), 1024u);
}

TEST(LorawanFleetCampaign, WithoutClockSyncNoDeviceAsksForTheTime)
{
    LorawanFleetConfig c = smallFleet();
    c.campaign.clockSync = false;
    LorawanRun run(c);
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.count(DeviceOutcome::Upgraded), 40);
    for (std::size_t i = 0; i < 40; ++i)
        EXPECT_FALSE(run.fleet().device(i).timeSynced);
    LorawanRun synced(smallFleet());
    ASSERT_TRUE(synced.run());
    int syncedDevices = 0;
    for (std::size_t i = 0; i < 40; ++i)
        syncedDevices += synced.fleet().device(i).timeSynced;
    EXPECT_EQ(syncedDevices, 40);
}

TEST(LorawanFleetCampaign, BusyUplinksCollideAtTheGateway)
{
    LorawanFleetConfig c = smallFleet();
    c.devices.count = 300;
    c.devices.uplinkIntervalS = 30;
    c.devices.jitterS = 5;
    c.devices.dataRate = 3;   // SF9: ~0.19 s frames on 3 channels, ~0.6 Erlang each (pure ALOHA)
    c.campaign.startAtS = 1e6;  // no campaign within the run
    LorawanRun run(c, 5, 600.0);
    ASSERT_TRUE(run.run());
    const LorawanGateway& g = run.fleet().gateways()[0];
    EXPECT_GT(g.uplinksCollided, 500u);
    EXPECT_GT(g.uplinksHeard, 1000u);
    EXPECT_GT(g.uplinksNoDemodulator + g.uplinksCollided, g.uplinksHeard / 10);
}
