// SPDX-License-Identifier: Apache-2.0
// The ocf fleet under faults and attacks, through the scenario's "faults" / "attacks"
// sections and FleetRun: a power cut mid-download resumes without fetching the stored
// blocks again, a cut during the MCUboot swap recovers, a clock jump moves the apply, a bad
// image rolls back, every attack is rejected with the device's reason.
#include "ocf_fleet_test_support.h"

#include "sim/fleet/fleetrun.h"

#include <gtest/gtest.h>

using namespace otalab::sim;
using namespace otalab::sim::faults;
using namespace otalab::test::ocffleet;

namespace {

struct FaultedRun {
    std::unique_ptr<FleetRun> run;
    RunResult result;
    const OcfFleet& fleet() const { return static_cast<const OcfFleet&>(*run->fleets().front()); }
};

FaultedRun runWith(const OcfFleetConfig& fleet, FaultsConfig faults, std::uint64_t seed = 5)
{
    ScenarioConfig s;
    s.name = QStringLiteral("ocf-faults-test");
    s.seed = seed;
    s.stop.untilS = 86'400;
    s.stop.whenAllFinished = true;
    s.fleets.push_back(FleetConfig{QStringLiteral("homes"), fleet});
    s.faults = std::move(faults);
    FaultedRun r;
    auto built = FleetRun::build(s);
    EXPECT_TRUE(built.has_value()) << (built ? std::string() : built.error().toString().toStdString());
    if (!built)
        return r;
    r.run = std::move(*built);
    r.run->run();
    r.result = r.run->result();
    return r;
}

FaultSpec powerLossAt(int device, FaultWhen when, double forS = 5)
{
    FaultSpec f;
    f.kind = FaultKind::PowerLoss;
    f.select.devices = {device};
    f.when = when;
    f.forS = forS;
    return f;
}

} // namespace

TEST(OcfFaults, PowerLossMidDownloadResumesWithoutRefetching)
{
    FaultsConfig faults;
    FaultWhen half;
    half.atProgress = 0.5;
    faults.faults.push_back(powerLossAt(0, half));
    FaultWhen write7;
    write7.atFlashWrite = 7;
    faults.faults.push_back(powerLossAt(1, write7));
    const FaultedRun r = runWith(smallFleet(4, 0), faults);
    ASSERT_TRUE(r.run);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 4);
    const OcfFleet& fleet = r.fleet();
    const std::uint32_t blocks = std::uint32_t((fleet.images().image(OcfImageVariant::Release)->bytes.size() + 1023) / 1024);
    for (int i : {0, 1}) {
        const OcfDevice& d = fleet.device(std::size_t(i));
        EXPECT_EQ(d.powerCuts, 1) << i;
        // Every block once, plus at most the one in flight when power failed (and its retry).
        EXPECT_LE(d.requests, blocks + 2) << i;
        EXPECT_TRUE(d.userDataKept);
    }
    ASSERT_EQ(r.result.faults.size(), 2u);
    for (const FaultResult& f : r.result.faults) {
        EXPECT_TRUE(f.atS.has_value()) << f.id.toStdString();
        EXPECT_TRUE(f.recovered) << f.id.toStdString() << ": " << f.effect.toStdString();
        EXPECT_TRUE(f.detail.contains(QStringLiteral("svv"))) << f.detail.toStdString();
        EXPECT_TRUE(f.effect.contains(QStringLiteral("resumed"))) << f.effect.toStdString();
    }
    EXPECT_TRUE(r.result.faults[1].detail.contains(QStringLiteral("flash write 7")));
}

TEST(OcfFaults, PowerLossDuringTheSwapRecovers)
{
    FaultsConfig faults;
    FaultWhen during;
    during.atS = 3601.0;   // updatetime 3600 s: the swap of a 32 KiB image lasts ≈ 3.4 s
    faults.faults.push_back(powerLossAt(2, during, 10));
    OcfFleetConfig c = smallFleet(4, 0);
    const FaultedRun r = runWith(c, faults);
    ASSERT_TRUE(r.run);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 4);
    ASSERT_EQ(r.result.faults.size(), 1u);
    EXPECT_TRUE(r.result.faults[0].recovered);
    EXPECT_TRUE(r.result.faults[0].detail.contains(QStringLiteral("upgrading"))) << r.result.faults[0].detail.toStdString();
    EXPECT_TRUE(r.result.faults[0].effect.contains(QStringLiteral("swap"))) << r.result.faults[0].effect.toStdString();
    EXPECT_GE(r.fleet().device(2).finishedAt.toSeconds(), 3611.0);
}

TEST(OcfFaults, ClockJumpMovesTheApply)
{
    FaultsConfig faults;
    FaultSpec ahead;
    ahead.kind = FaultKind::ClockJump;
    ahead.select.devices = {1};
    ahead.when.atS = 600;
    ahead.jumpS = 900;
    FaultSpec behind = ahead;
    behind.select.devices = {2};
    behind.jumpS = -900;
    faults.faults = {ahead, behind};
    const FaultedRun r = runWith(smallFleet(3, 0), faults);
    ASSERT_TRUE(r.run);
    const OcfFleet& fleet = r.fleet();
    EXPECT_NEAR(fleet.device(0).upgradingAt.toSeconds(), 3600.0, 1.0);
    EXPECT_NEAR(fleet.device(1).upgradingAt.toSeconds(), 2700.0, 1.0);   // its clock says 02:00 15 min early
    EXPECT_NEAR(fleet.device(2).upgradingAt.toSeconds(), 4500.0, 1.0);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 3);
}

TEST(OcfFaults, BadImageRollsBack)
{
    FaultsConfig faults;
    FaultSpec bad;
    bad.kind = FaultKind::BadImage;
    bad.select.devices = {0};
    bad.variant = BadImageVariant::FailsSelfTest;
    FaultSpec crash = bad;
    crash.select.devices = {1};
    crash.variant = BadImageVariant::DoesNotBoot;
    faults.faults = {bad, crash};
    const FaultedRun r = runWith(smallFleet(3, 0), faults);
    ASSERT_TRUE(r.run);
    EXPECT_EQ(r.result.count(DeviceOutcome::RolledBack), 2);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 1);
    for (int i : {0, 1}) {
        EXPECT_FALSE(r.fleet().device(std::size_t(i)).runsNew);
        EXPECT_EQ(r.fleet().device(std::size_t(i)).swResult, 8);
    }
    ASSERT_EQ(r.result.faults.size(), 2u);
    EXPECT_TRUE(r.result.faults[0].recovered);
    EXPECT_TRUE(r.result.faults[0].effect.contains(QStringLiteral("self-test"))) << r.result.faults[0].effect.toStdString();
}

TEST(OcfFaults, ServerCrashDevicesRetryAndFinish)
{
    FaultsConfig faults;
    FaultSpec crash;
    crash.kind = FaultKind::ServerCrash;
    crash.when.atS = 11;
    crash.forS = 300;
    faults.faults = {crash};
    OcfFleetConfig c = smallFleet(2, 2);
    c.client.retryAfterS = 60;
    const FaultedRun r = runWith(c, faults);
    ASSERT_TRUE(r.run);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 4);
    EXPECT_GT(r.fleet().counters().droppedAtServer, 0u);
    EXPECT_GT(r.fleet().counters().reasked, 0u);
}

TEST(OcfAttacks, EveryAttackIsRejectedWithTheDevicesReason)
{
    FaultsConfig faults;
    const AttackKind kinds[] = {AttackKind::TamperedImage, AttackKind::WrongKey, AttackKind::Downgrade, AttackKind::Replay,
                                AttackKind::UnauthorisedClient};
    for (int k = 0; k < 5; ++k) {
        AttackSpec a;
        a.kind = kinds[k];
        a.select.devices = {k};
        if (kinds[k] == AttackKind::UnauthorisedClient)
            a.when.atS = 30;
        faults.attacks.push_back(a);
    }
    const FaultedRun r = runWith(smallFleet(6, 0), faults);
    ASSERT_TRUE(r.run);
    ASSERT_EQ(r.result.attacks.size(), 5u);
    for (const AttackResult& a : r.result.attacks) {
        EXPECT_FALSE(a.accepted) << a.kind.toStdString();
        EXPECT_TRUE(a.atS.has_value()) << a.kind.toStdString();
        EXPECT_FALSE(a.reason.isEmpty()) << a.kind.toStdString();
    }
    EXPECT_TRUE(r.result.attacks[0].reason.contains(QStringLiteral("SHA-256"))) << r.result.attacks[0].reason.toStdString();
    EXPECT_TRUE(r.result.attacks[1].reason.contains(QStringLiteral("signature"))) << r.result.attacks[1].reason.toStdString();
    EXPECT_TRUE(r.result.attacks[2].reason.contains(QStringLiteral("downgrade"))) << r.result.attacks[2].reason.toStdString();
    EXPECT_TRUE(r.result.attacks[3].reason.contains(QStringLiteral("replay"))) << r.result.attacks[3].reason.toStdString();
    EXPECT_TRUE(r.result.attacks[4].reason.contains(QStringLiteral("4.01"))) << r.result.attacks[4].reason.toStdString();
    const OcfFleet& fleet = r.fleet();
    for (int i = 0; i < 4; ++i) {
        EXPECT_FALSE(fleet.device(std::size_t(i)).runsNew) << i;   // keeps its old image
        EXPECT_EQ(fleet.device(std::size_t(i)).step, OcfStep::Refused) << i;
    }
    EXPECT_EQ(fleet.device(4).step, OcfStep::Upgraded);   // the intruder changed nothing; the real client's update went on
    EXPECT_EQ(fleet.counters().unauthorised, 1u);
}

TEST(OcfFaults, GatewayAndLinkOutagesAreRiddenOut)
{
    FaultsConfig faults;
    FaultSpec dark;
    dark.kind = FaultKind::GatewayOutage;
    dark.target = QStringLiteral("br-0001");
    dark.when.atS = 12;
    dark.forS = 200;
    FaultSpec link;
    link.kind = FaultKind::LinkOutage;
    link.select.devices = {5};
    link.when.atS = 12;
    link.forS = 60;
    faults.faults = {dark, link};
    OcfFleetConfig c = smallFleet(4, 2);
    c.client.retryAfterS = 60;
    const FaultedRun r = runWith(c, faults);
    ASSERT_TRUE(r.run);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 6);
    EXPECT_GT(r.fleet().counters().datagramsLost, 0u);
    ASSERT_EQ(r.result.faults.size(), 2u);
    EXPECT_TRUE(r.result.faults[0].detail.contains(QStringLiteral("br-0001"))) << r.result.faults[0].detail.toStdString();
    EXPECT_TRUE(r.result.faults[0].recovered);
}

TEST(OcfFaults, UnknownGatewayIsRefusedBeforeTheRun)
{
    ScenarioConfig s;
    s.name = QStringLiteral("ocf-faults-test");
    s.fleets.push_back(FleetConfig{QStringLiteral("homes"), smallFleet(2, 0)});
    FaultSpec dark;
    dark.kind = FaultKind::GatewayOutage;
    dark.target = QStringLiteral("gw-9");
    dark.when.atS = 12;
    s.faults.faults = {dark};
    const auto built = FleetRun::build(s);
    ASSERT_FALSE(built.has_value());
    EXPECT_TRUE(built.error().message.contains(QStringLiteral("gw-9"))) << built.error().toString().toStdString();
}
