// SPDX-License-Identifier: Apache-2.0
// The jobs family's scenario faults and attacks, driven through the Fleet hooks directly
// (armFault / injectFault / armAttack / injectAttack on a built fleet with a FaultLog).
#include "jobs_fleet_test_support.h"

#include "faults_scenario_support.h"
#include "sim/jobs/jobsfleetfaults.h"

#include <gtest/gtest.h>

namespace otalab::test::jobsfleet {
namespace {

using sim::faults::AttackKind;
using sim::faults::FaultKind;
using sim::faults::FaultOrder;

// A run with its fault log; hooks called on the built (started) fleet.
class FaultedRun : public sim::scenariotest::FaultedRunOf<JobsRun> {
public:
    explicit FaultedRun(const JobsFleetConfig& c, std::uint64_t seed = 3) : FaultedRunOf(c, seed, QStringLiteral("things")) {}
    // Runs until device i is at `step` (bounded by limitS); false if it never got there.
    bool runUntilStep(std::size_t i, JobsStep step, double limitS = 3600)
    {
        for (double t = m_run->simulator().now().toSeconds(); t < limitS; t += 0.05) {
            if (fleet().device(i).step == step)
                return true;
            runUntil(t);
        }
        return fleet().device(i).step == step;
    }
};

TEST(JobsFaults, PowerCutAtTheFifthBlockWriteResumesFromTheFlashRecord)
{
    FaultedRun run(smallFleet(2, 0));
    FaultOrder cut = run.fault(FaultKind::PowerLoss, 0);
    cut.atFlashWrite = 5;
    ASSERT_TRUE(run.fleetMut().armFault(cut));
    ASSERT_TRUE(run.run());
    const auto& e = run.log.faults().at(0);
    ASSERT_TRUE(e.firedAtS.has_value());
    EXPECT_TRUE(e.detail.contains(QStringLiteral("block write 5 of 16"))) << e.detail.toStdString();
    EXPECT_TRUE(e.effect.contains(QStringLiteral("5 of 16 blocks kept"))) << e.effect.toStdString();
    EXPECT_EQ(run.fleet().device(0).step, JobsStep::Upgraded);
    EXPECT_EQ(run.fleet().device(1).step, JobsStep::Upgraded);
    // It asked only for the 11 missing blocks after the cut: no block came twice.
    EXPECT_EQ(run.fleet().device(0).duplicates, 0u);
    EXPECT_EQ(run.fleet().device(0).powerCycles, 1);
}

TEST(JobsFaults, PowerCutAtTheLastBlockWriteBootsTheActivatedImage)
{
    FaultedRun run(smallFleet(1, 0));
    FaultOrder cut = run.fault(FaultKind::PowerLoss, 0);
    cut.atFlashWrite = 16;
    ASSERT_TRUE(run.fleetMut().armFault(cut));
    ASSERT_TRUE(run.run());
    // The file was complete and activated before the cut: the bootloader boots it pending
    // commit, the self-test runs, SUCCEEDED.
    EXPECT_EQ(run.fleet().device(0).step, JobsStep::Upgraded);
    EXPECT_TRUE(run.log.faults().at(0).effect.contains(QStringLiteral("booted 2.0.0"))) << run.log.faults().at(0).effect.toStdString();
}

TEST(JobsFaults, PowerCutDuringTheSelfTestRevertsToTheOldImage)
{
    FaultedRun run(smallFleet(2, 0));
    ASSERT_TRUE(run.runUntilStep(0, JobsStep::SelfTest));
    run.fleetMut().injectFault(run.fault(FaultKind::PowerLoss, 0));
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.fleet().device(0).step, JobsStep::RolledBack);
    EXPECT_EQ(run.fleet().device(1).step, JobsStep::Upgraded);
    EXPECT_TRUE(run.log.faults().at(0).effect.contains(QStringLiteral("booted 1.0.0"))) << run.log.faults().at(0).effect.toStdString();
}

TEST(JobsFaults, BrokerCrashSuspendsDownloadsThatResumeAfterIt)
{
    FaultedRun run(smallFleet(4, 2));
    ASSERT_TRUE(run.runUntilStep(0, JobsStep::Receiving));
    run.runUntil(run.fleetRun().simulator().now().toSeconds() + 0.3);
    run.fleetMut().injectFault(run.fault(FaultKind::ServerCrash, std::nullopt, 30));
    ASSERT_TRUE(run.run());
    const auto& e = run.log.faults().at(0);
    EXPECT_TRUE(e.detail.contains(QStringLiteral("down 30 s"))) << e.detail.toStdString();
    EXPECT_TRUE(e.effect.contains(QStringLiteral("job executions kept"))) << e.effect.toStdString();
    EXPECT_EQ(run.count(sim::DeviceOutcome::Upgraded), 6);
    int suspended = 0;
    for (std::size_t i = 0; i < 6; ++i)
        suspended += run.fleet().device(i).disconnects;
    EXPECT_GT(suspended, 0);
}

TEST(JobsFaults, LinkOutageSuspendsOneDeviceWhichStillUpgrades)
{
    FaultedRun run(smallFleet(2, 0));
    ASSERT_TRUE(run.runUntilStep(1, JobsStep::Receiving));
    run.fleetMut().injectFault(run.fault(FaultKind::LinkOutage, 1, 120));
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.fleet().device(1).disconnects, 1);
    EXPECT_EQ(run.count(sim::DeviceOutcome::Upgraded), 2);
    EXPECT_GE(run.fleet().device(1).finishedAt.toSeconds(), run.fleet().device(0).finishedAt.toSeconds() + 100);
}

TEST(JobsFaults, AFleetWideLinkOutageIsOneSentence)
{
    FaultedRun run(smallFleet(3, 0));
    ASSERT_TRUE(run.runUntilStep(0, JobsStep::Receiving));
    run.fleetMut().injectFault(run.fault(FaultKind::LinkOutage, std::nullopt, 60));
    ASSERT_TRUE(run.run());
    const auto& e = run.log.faults().at(0);
    EXPECT_TRUE(e.detail.contains(QStringLiteral("all 3 things"))) << e.detail.toStdString();
    EXPECT_TRUE(e.effect.contains(QStringLiteral("downloads suspended"))) << e.effect.toStdString();
    EXPECT_EQ(run.count(sim::DeviceOutcome::Upgraded), 3);
}

TEST(JobsFaults, AnImageThatDoesNotBootIsRevertedByTheBootloader)
{
    FaultedRun run(smallFleet(2, 0));
    FaultOrder bad = run.fault(FaultKind::BadImage, 0);
    bad.variant = sim::faults::BadImageVariant::DoesNotBoot;
    ASSERT_TRUE(run.fleetMut().armFault(bad));
    ASSERT_TRUE(run.run());
    EXPECT_EQ(run.fleet().device(0).step, JobsStep::RolledBack);
    EXPECT_TRUE(run.log.faults().at(0).effect.contains(QStringLiteral("crashed at boot")));
    EXPECT_TRUE(run.fleet().failureReason(0).contains(QStringLiteral("crashed at boot"))) << run.fleet().failureReason(0).toStdString();
}

TEST(JobsFaults, ClockJumpIsRefusedWithTheReason)
{
    FaultedRun run(smallFleet(1, 0));
    const auto refused = run.fleetMut().armFault(run.fault(FaultKind::ClockJump, 0));
    ASSERT_FALSE(refused);
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("wall clock")));
}

TEST(JobsAttacks, EveryAttackIsRejectedWithItsReason)
{
    FaultedRun run(smallFleet(8, 0));
    const AttackKind kinds[] = {AttackKind::TamperedImage, AttackKind::WrongKey, AttackKind::Downgrade, AttackKind::Replay,
                                AttackKind::ForgedStreamBlock};
    for (std::size_t k = 0; k < 5; ++k)
        ASSERT_TRUE(run.fleetMut().armAttack(run.attack(kinds[k], k)));
    ASSERT_TRUE(run.run());
    for (const auto& a : run.log.attacks()) {
        SCOPED_TRACE(sim::faults::attackKindName(a.order.kind).toStdString());
        EXPECT_TRUE(a.triedAtS.has_value());
        EXPECT_FALSE(a.accepted) << a.reason.toStdString();
        EXPECT_FALSE(a.reason.isEmpty());
    }
    const auto& at = run.log.attacks();
    EXPECT_TRUE(at[0].reason.contains(QStringLiteral("e3")) || at[0].reason.contains(QStringLiteral("signature"))) << at[0].reason.toStdString();
    EXPECT_TRUE(at[1].reason.contains(QStringLiteral("signature"))) << at[1].reason.toStdString();
    EXPECT_TRUE(at[2].reason.contains(QStringLiteral("older than"))) << at[2].reason.toStdString();
    EXPECT_TRUE(at[3].reason.contains(QStringLiteral("the same as"))) << at[3].reason.toStdString();
    EXPECT_TRUE(at[4].reason.contains(QStringLiteral("stored the forged block"))) << at[4].reason.toStdString();
    EXPECT_EQ(run.fleet().device(0).step, JobsStep::SignatureFailed);
    EXPECT_EQ(run.fleet().device(1).step, JobsStep::SignatureFailed);
    EXPECT_EQ(run.fleet().device(2).step, JobsStep::RolledBack);
    EXPECT_EQ(run.fleet().device(3).step, JobsStep::RolledBack);
    EXPECT_EQ(run.fleet().device(4).step, JobsStep::SignatureFailed);
    for (std::size_t i = 5; i < 8; ++i)
        EXPECT_EQ(run.fleet().device(i).step, JobsStep::Upgraded);
}

TEST(JobsFaults, SameFaultsSameFingerprint)
{
    std::uint64_t prints[2] = {};
    for (auto& print : prints) {
        FaultedRun run(smallFleet(4, 2), 11);
        ASSERT_NO_FATAL_FAILURE(sim::scenariotest::runWithMixedFaults(
            run, {.cutDevice = 2, .attack = AttackKind::ForgedStreamBlock, .attackedDevice = 3, .crashAtS = 15, .crashForS = 20}));
        print = run.fingerprint();
    }
    EXPECT_EQ(prints[0], prints[1]);
}

} // namespace
} // namespace otalab::test::jobsfleet
