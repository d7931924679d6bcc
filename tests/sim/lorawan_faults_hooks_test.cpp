// SPDX-License-Identifier: Apache-2.0
// The LoRaWAN family's scenario faults and attacks, driven through the Fleet hooks directly
// (armFault / injectFault / armAttack / injectAttack on a built fleet with a FaultLog).
#include "lorawan_fleet_test_support.h"

#include "faults_scenario_support.h"
#include "sim/lorawan/lorawanfleetfaults.h"

#include <gtest/gtest.h>

#include <functional>

namespace otalab::test::lorawanfleet {
namespace {

using sim::faults::AttackKind;
using sim::faults::FaultKind;
using sim::faults::FaultOrder;
using S = LorawanDeviceState;

// A run with its fault log; hooks called on the built (started) fleet.
class FaultedRun : public sim::scenariotest::FaultedRunOf<LorawanRun> {
public:
    explicit FaultedRun(const LorawanFleetConfig& c, std::uint64_t seed = 12) : FaultedRunOf(c, seed, QStringLiteral("sensors")) {}
    // Runs in 1 s steps until `done` (bounded by limitS).
    bool runUntilTrue(const std::function<bool()>& done, double limitS = 86'400)
    {
        for (double t = m_run->simulator().now().toSeconds() + 1; t < limitS; t += 1) {
            if (done())
                return true;
            runUntil(t);
        }
        return done();
    }
};

int upgradedWithoutFaults(const LorawanFleetConfig& c)
{
    LorawanRun run(c);
    EXPECT_TRUE(run.run());
    return run.count(DeviceOutcome::Upgraded);
}

TEST(LorawanFaults, PowerCutAtTheFifthFragmentLosesTheSessionKeptInRam)
{
    const int baseline = upgradedWithoutFaults(smallFleet());
    FaultedRun run(smallFleet());
    FaultOrder cut = run.fault(FaultKind::PowerLoss, 0);
    cut.atFlashWrite = 5;
    ASSERT_TRUE(run.fleetMut().armFault(cut));
    ASSERT_TRUE(run.run());
    const auto& e = run.log.faults().at(0);
    ASSERT_TRUE(e.firedAtS.has_value());
    EXPECT_TRUE(e.detail.contains(QStringLiteral("fragment write 5 of"))) << e.detail.toStdString();
    EXPECT_TRUE(e.effect.contains(QStringLiteral("booted 1.0.0"))) << e.effect.toStdString();
    EXPECT_EQ(run.fleet().device(0).state, S::Missed);
    EXPECT_TRUE(run.fleet().failureReason(0).contains(QStringLiteral("RAM"))) << run.fleet().failureReason(0).toStdString();
    EXPECT_GE(run.count(DeviceOutcome::Upgraded), baseline - 1);
}

TEST(LorawanFaults, PowerCutBeforeTheCampaignLosesNothing)
{
    FaultedRun run(smallFleet());
    FaultOrder cut = run.fault(FaultKind::PowerLoss, 1, 30);
    cut.atS = 5;
    ASSERT_TRUE(run.fleetMut().armFault(cut));
    run.runUntil(5);
    run.fleetMut().injectFault(cut);
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.fleet().device(1).state, S::Upgraded);
    EXPECT_TRUE(run.log.faults().at(0).effect.contains(QStringLiteral("nothing of the campaign was lost")))
        << run.log.faults().at(0).effect.toStdString();
}

TEST(LorawanFaults, PowerCutWhileTheBootloaderCopiesResumesTheCopy)
{
    FaultedRun run(smallFleet());
    ASSERT_TRUE(run.runUntilTrue([&] { return run.fleet().device(0).state == S::Applying; }));
    const double cutAt = run.fleetRun().simulator().now().toSeconds();
    run.fleetMut().injectFault(run.fault(FaultKind::PowerLoss, 0, 30));
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.fleet().device(0).state, S::Upgraded);
    EXPECT_GE(run.fleet().device(0).finishedAt.toSeconds(), cutAt + 30);
    EXPECT_TRUE(run.log.faults().at(0).effect.contains(QStringLiteral("copy resumed"))) << run.log.faults().at(0).effect.toStdString();
}

TEST(LorawanFaults, ServerCrashDuringTheSessionKeepsTheCampaign)
{
    const int baseline = upgradedWithoutFaults(smallFleet());
    FaultedRun run(smallFleet());
    ASSERT_TRUE(run.runUntilTrue([&] { return run.fleet().server().state() == FuotaServerState::SendingFragments; }));
    run.fleetMut().injectFault(run.fault(FaultKind::ServerCrash, std::nullopt, 30));
    ASSERT_TRUE(run.run());
    const auto& e = run.log.faults().at(0);
    EXPECT_TRUE(e.detail.contains(QStringLiteral("kept"))) << e.detail.toStdString();
    EXPECT_TRUE(e.effect.contains(QStringLiteral("went on from its stored state"))) << e.effect.toStdString();
    EXPECT_GE(run.count(DeviceOutcome::Upgraded), baseline - 2);
    EXPECT_EQ(run.fleet().server().state(), FuotaServerState::Complete);
}

TEST(LorawanFaults, GatewayOutageMapsOntoTheGatewayGoingDark)
{
    FaultedRun run(smallFleet());
    FaultOrder dark = run.fault(FaultKind::GatewayOutage, std::nullopt, 600);
    dark.target = QStringLiteral("gw-1");
    ASSERT_TRUE(run.fleetMut().armFault(dark));
    FaultOrder bad = run.fault(FaultKind::GatewayOutage, std::nullopt, 600);
    bad.target = QStringLiteral("gw-9");
    EXPECT_FALSE(run.fleetMut().armFault(bad));
    ASSERT_TRUE(run.runUntilTrue([&] { return run.fleet().server().state() == FuotaServerState::SendingFragments; }));
    run.fleetMut().injectFault(dark);
    EXPECT_TRUE(run.fleet().gateways()[0].down);
    ASSERT_TRUE(run.run());
    EXPECT_TRUE(run.log.faults().at(0).detail.contains(QStringLiteral("gw-1 dark 600 s")));
    EXPECT_FALSE(run.fleet().gateways()[0].down);
}

TEST(LorawanFaults, AClockJumpAfterTheSyncMakesTheDeviceMissTheSession)
{
    FaultedRun run(smallFleet());
    ASSERT_TRUE(run.runUntilTrue([&] { return run.fleet().device(3).state == S::WaitingForSession; }));
    FaultOrder jump = run.fault(FaultKind::ClockJump, 3);
    jump.jumpS = 7200;
    run.fleetMut().injectFault(jump);
    ASSERT_TRUE(run.run());
    EXPECT_TRUE(run.log.faults().at(0).effect.contains(QStringLiteral("window now opens"))) << run.log.faults().at(0).effect.toStdString();
    EXPECT_EQ(run.fleet().device(3).state, S::Missed);
    EXPECT_GT(run.fleet().device(3).framesMissedClosed, 0u);
}

TEST(LorawanFaults, ABadImageIsRevertedByTheBootloader)
{
    FaultedRun run(smallFleet());
    FaultOrder bad = run.fault(FaultKind::BadImage, 2);
    bad.variant = sim::faults::BadImageVariant::DoesNotBoot;
    ASSERT_TRUE(run.fleetMut().armFault(bad));
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.fleet().device(2).state, S::RolledBack);
    EXPECT_EQ(run.result().devices.at(2).outcome, DeviceOutcome::RolledBack);
    EXPECT_EQ(run.result().devices.at(2).versionAfter, QStringLiteral("1.0.0"));
    EXPECT_TRUE(run.result().devices.at(2).failureReason.contains(QStringLiteral("crashed at boot")));
}

TEST(LorawanAttacks, SignedBlocksRejectEveryAttackWithTheReason)
{
    LorawanFleetConfig c = smallFleet();
    c.image.format = LorawanImageConfig::Format::Signed;
    FaultedRun run(c);
    const AttackKind kinds[] = {AttackKind::TamperedImage, AttackKind::WrongKey, AttackKind::Downgrade, AttackKind::Replay,
                                AttackKind::ForgedFragment};
    for (std::size_t k = 0; k < 5; ++k)
        ASSERT_TRUE(run.fleetMut().armAttack(run.attack(kinds[k], k)));
    ASSERT_TRUE(run.run());
    for (const auto& a : run.log.attacks()) {
        SCOPED_TRACE(sim::faults::attackKindName(a.order.kind).toStdString());
        EXPECT_TRUE(a.triedAtS.has_value());
        EXPECT_FALSE(a.accepted) << a.reason.toStdString();
    }
    const auto& at = run.log.attacks();
    EXPECT_TRUE(at[0].reason.contains(QStringLiteral("signature"))) << at[0].reason.toStdString();
    EXPECT_TRUE(at[1].reason.contains(QStringLiteral("signature"))) << at[1].reason.toStdString();
    EXPECT_TRUE(at[2].reason.contains(QStringLiteral("older than"))) << at[2].reason.toStdString();
    EXPECT_TRUE(at[3].reason.contains(QStringLiteral("replayed"))) << at[3].reason.toStdString();
    EXPECT_TRUE(at[4].reason.contains(QStringLiteral("MIC"))) << at[4].reason.toStdString();
    for (std::size_t i = 0; i < 4; ++i)
        EXPECT_EQ(run.fleet().device(i).state, S::ImageRefused);
    EXPECT_EQ(run.fleet().device(4).state, S::Rejected);
}

TEST(LorawanAttacks, ARawBlockHasNothingToCheckATamperedImageWith)
{
    FaultedRun run(smallFleet());
    ASSERT_TRUE(run.fleetMut().armAttack(run.attack(AttackKind::TamperedImage, 0)));
    ASSERT_TRUE(run.run());
    const auto& a = run.log.attacks().at(0);
    EXPECT_TRUE(a.accepted);   // the honest finding: a raw data block is not authenticated end to end
    EXPECT_TRUE(a.reason.contains(QStringLiteral("ACCEPTED"))) << a.reason.toStdString();
}

TEST(LorawanFaults, SameFaultsSameFingerprint)
{
    std::uint64_t prints[2] = {};
    for (auto& print : prints) {
        FaultedRun run(smallFleet(), 5);
        ASSERT_NO_FATAL_FAILURE(sim::scenariotest::runWithMixedFaults(
            run, {.cutDevice = 4, .attack = AttackKind::ForgedFragment, .attackedDevice = 6, .crashAtS = 400, .crashForS = 60}));
        print = run.fingerprint();
    }
    EXPECT_EQ(prints[0], prints[1]);
}

} // namespace
} // namespace otalab::test::lorawanfleet
