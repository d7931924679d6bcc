// SPDX-License-Identifier: Apache-2.0
// LoRaWAN FUOTA fleet faults: an image too large for the flash, the multicast group deleted
// while fragments were queued, a gateway down mid-session, forged fragments.
#include "lorawan_fleet_test_support.h"

using namespace otalab::sim;
using namespace otalab::test::lorawanfleet;

TEST(LorawanFleetFaults, AnImageThatDoesNotFitTwiceIsRefused)
{
    LorawanFleetConfig c = smallFleet();
    c.devices.flashBytes = 12 * 1024;   // < 2 × 8 KiB
    LorawanRun run(c);
    ASSERT_TRUE(run.run());
    // Every device the setup reaches refuses; none commits (one at the edge may never be heard).
    EXPECT_EQ(run.count(DeviceOutcome::Upgraded), 0);
    EXPECT_GE(run.count(DeviceOutcome::Refused), 38);
    EXPECT_EQ(run.reasonsContaining(QStringLiteral("cannot hold twice the 8 KiB image")), run.count(DeviceOutcome::Refused))
        << run.result().devices.front().failureReason.toStdString();
}

TEST(LorawanFleetFaults, GroupDeletedSixtySecondsAfterQueueingLosesTheRest)
{
    LorawanFleetConfig c = smallFleet();
    c.campaign.multicastFrequencyHz = 868'100'000;   // 1 %: a 255-byte frame every ~39 s
    c.campaign.timeoutMarginS = 60;
    c.campaign.groupDeleteAfterQueueS = 60;          // the real server's 60 s
    LorawanRun run(c);
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.count(DeviceOutcome::Upgraded), 0);
    EXPECT_EQ(run.count(DeviceOutcome::Failed), 40);
    EXPECT_EQ(run.reasonsContaining(QStringLiteral("multicast group was deleted")), 40);
    EXPECT_EQ(run.reasonsContaining(QStringLiteral("fragments after the session (received")), 40);
    EXPECT_LE(run.fleet().gateways()[0].framesSent, 3u);
}

TEST(LorawanFleetFaults, AGatewayDownForTheSessionFailsItsDevicesOnly)
{
    LorawanFleetConfig c = smallFleet();
    c.devices.count = 60;
    c.devices.areaRadiusM = 2000;
    c.gateways.count = 2;
    c.campaign.repairRound = false;
    // Session: starts (6 + 1) × 120 s after the McSession step begins; down long before and after.
    c.faults.gatewayDown.push_back({0, 1500, 4000});
    LorawanRun run(c);
    ASSERT_TRUE(run.run());
    const LorawanFleet& f = run.fleet();
    const SimTime start = f.server().sessionStart();
    ASSERT_GT(start.toSeconds(), 1500.0);
    ASSERT_LT(f.server().framesDoneAt().toSeconds(), 5500.0);
    int servedByDown = 0, failedThere = 0, upgradedElsewhere = 0, elsewhere = 0;
    for (std::size_t i = 0; i < f.deviceCount(); ++i) {
        const LorawanDevice& d = f.device(i);
        if (d.gatewayCount == 0 || d.state == LorawanDeviceState::Unreachable)
            continue;
        if (d.gateway[0] == 0) {
            ++servedByDown;
            failedThere += d.state == LorawanDeviceState::Missed;
        } else {
            ++elsewhere;
            upgradedElsewhere += d.state == LorawanDeviceState::Upgraded;
        }
    }
    EXPECT_GT(servedByDown, 5);
    EXPECT_EQ(failedThere, servedByDown);
    EXPECT_GT(elsewhere, 5);
    EXPECT_EQ(upgradedElsewhere, elsewhere);
    EXPECT_GT(f.gateways()[0].framesWhileDown, 0u);
}

TEST(LorawanFleetFaults, ForgedFragmentsAreCaughtByTheImageMicAndNoDeviceCommits)
{
    LorawanFleetConfig c = smallFleet();
    c.faults.forgedFragments = LorawanForgedFragments{3, 2};
    LorawanRun run(c);
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.count(DeviceOutcome::Upgraded), 0);
    EXPECT_EQ(run.count(DeviceOutcome::Failed), 40);
    EXPECT_EQ(run.reasonsContaining(QStringLiteral("image MIC mismatch")), 40) << run.result().devices.front().failureReason.toStdString();
    for (const DeviceResult& d : run.result().devices)
        EXPECT_EQ(d.versionAfter, d.versionBefore);
}
