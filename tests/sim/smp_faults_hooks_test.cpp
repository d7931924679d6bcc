// SPDX-License-Identifier: Apache-2.0
// SMP fleet faults through a scenario: power cuts during the upload and during MCUboot's
// swap, a host crash, a link outage, bad images — each fault's effect on the board and its
// log row; determinism.
#include "smp_faults_test_support.h"

using namespace otalab::sim;
using namespace otalab::test::smpfaults;
using otalab::test::smpfleet::smallUdp;
using otalab::test::smpfleet::smallBle;

TEST(SmpFaults, PowerCutAtTheFifthChunkStoredRestartsTheUploadAndTheBoardUpgrades)
{
    faults::FaultsConfig f;
    faults::FaultSpec cut = powerLoss({1});
    cut.when.atFlashWrite = 5;
    f.faults.push_back(cut);
    SmpFaultRun run(smallUdp(3), f);
    ASSERT_TRUE(run.run());
    ASSERT_EQ(run.result.faults.size(), 1u);
    const FaultResult& row = run.result.faults[0];
    ASSERT_TRUE(row.atS.has_value()) << row.notFiredReason.toStdString();
    EXPECT_TRUE(row.detail.contains(QStringLiteral("flash write 5"))) << row.detail.toStdString();
    EXPECT_TRUE(row.effect.contains(QStringLiteral("upgraded: runs 1.1.0"))) << row.effect.toStdString();
    EXPECT_TRUE(row.recovered);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(run.device(i).outcome, DeviceOutcome::Upgraded) << i;
    // The cut board uploaded more than once (img_mgmt keeps no offset across a reset).
    EXPECT_GT(run.fleet().board(1).chunks, run.fleet().board(0).chunks);
    EXPECT_EQ(run.fleet().board(1).attempts, 2);
}

TEST(SmpFaults, PowerCutDuringTheSwapResumesItAtTheNextBoot)
{
    // A clean run first, to know how many chunks the upload takes.
    SmpFaultRun clean(smallUdp(1), {});
    ASSERT_TRUE(clean.run());
    const int chunks = int(clean.fleet().board(0).chunks);
    ASSERT_GT(chunks, 5);

    faults::FaultsConfig f;
    faults::FaultSpec cut = powerLoss({0}, 5);
    cut.when.atFlashWrite = chunks + 3;   // the third sector operation of MCUboot's swap
    f.faults.push_back(cut);
    SmpFaultRun run(smallUdp(1), f);
    ASSERT_TRUE(run.run());
    const FaultResult& row = run.result.faults.at(0);
    ASSERT_TRUE(row.atS.has_value()) << row.notFiredReason.toStdString();
    EXPECT_TRUE(row.detail.contains(QStringLiteral("during MCUboot's test swap"))) << row.detail.toStdString();
    EXPECT_TRUE(row.detail.contains(QStringLiteral("after 3 sector operations"))) << row.detail.toStdString();
    EXPECT_TRUE(row.effect.contains(QStringLiteral("resumed and finished the swap"))) << row.effect.toStdString();
    EXPECT_TRUE(row.effect.contains(QStringLiteral("upgraded: runs 1.1.0"))) << row.effect.toStdString();
    EXPECT_TRUE(row.recovered);
    EXPECT_EQ(run.device(0).outcome, DeviceOutcome::Upgraded);
    EXPECT_EQ(run.device(0).versionAfter, QStringLiteral("1.1.0"));
}

TEST(SmpFaults, HostCrashLosesThePushesInFlightAndRestartsThem)
{
    faults::FaultsConfig f;
    faults::FaultSpec crash;
    crash.kind = faults::FaultKind::ServerCrash;
    crash.when.atS = 1.0;
    crash.forS = 30;
    f.faults.push_back(crash);
    SmpFaultRun run(smallUdp(6), f);
    ASSERT_TRUE(run.run());
    const FaultResult& row = run.result.faults.at(0);
    ASSERT_TRUE(row.atS.has_value());
    EXPECT_DOUBLE_EQ(*row.atS, 1.0);
    EXPECT_TRUE(row.detail.contains(QStringLiteral("crashed with 4 boards being pushed"))) << row.detail.toStdString();
    EXPECT_TRUE(row.effect.contains(QStringLiteral("back at 31 s: 4 interrupted pushes"))) << row.effect.toStdString();
    EXPECT_EQ(run.result.count(DeviceOutcome::Upgraded), 6);
    for (std::size_t i = 0; i < 4; ++i)
        EXPECT_GE(*run.device(i).finishS, 31.0) << i;
}

TEST(SmpFaults, LinkOutageFailsTheAttemptAndARetryUpgrades)
{
    faults::FaultsConfig f;
    faults::FaultSpec outage;
    outage.kind = faults::FaultKind::LinkOutage;
    outage.select.devices = {0};
    outage.when.atS = 0.5;
    outage.forS = 60;
    f.faults.push_back(outage);
    SmpFaultRun run(smallUdp(2), f);
    ASSERT_TRUE(run.run());
    const FaultResult& row = run.result.faults.at(0);
    EXPECT_TRUE(row.detail.contains(QStringLiteral("board-0001 carries nothing for 60 s"))) << row.detail.toStdString();
    EXPECT_EQ(run.device(0).outcome, DeviceOutcome::Upgraded);
    EXPECT_GE(*run.device(0).finishS, 60.0);
    EXPECT_GE(run.fleet().board(0).attempts, 2);
    EXPECT_TRUE(row.recovered);
}

TEST(SmpFaults, BadImagesRollBackWithMcubootsRevertBothVariants)
{
    faults::FaultsConfig f;
    faults::FaultSpec selfTest;
    selfTest.kind = faults::FaultKind::BadImage;
    selfTest.select.devices = {0};
    selfTest.variant = faults::BadImageVariant::FailsSelfTest;
    faults::FaultSpec noBoot = selfTest;
    noBoot.select.devices = {1};
    noBoot.variant = faults::BadImageVariant::DoesNotBoot;
    f.faults = {selfTest, noBoot};
    SmpFaultRun run(smallBle(3), f);
    ASSERT_TRUE(run.run());
    ASSERT_EQ(run.result.faults.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        const FaultResult& row = run.result.faults[i];
        ASSERT_TRUE(row.atS.has_value()) << i << row.notFiredReason.toStdString();
        EXPECT_EQ(run.device(i).outcome, DeviceOutcome::RolledBack) << i;
        EXPECT_EQ(run.device(i).versionAfter, QStringLiteral("1.0.0")) << i;
        EXPECT_TRUE(row.effect.contains(QStringLiteral("MCUboot reverted to 1.0.0"))) << row.effect.toStdString();
        EXPECT_TRUE(row.recovered) << i;
    }
    EXPECT_TRUE(run.result.faults[0].detail.contains(QStringLiteral("failed its self-test"))) << run.result.faults[0].detail.toStdString();
    EXPECT_TRUE(run.result.faults[1].detail.contains(QStringLiteral("crashed at once"))) << run.result.faults[1].detail.toStdString();
    EXPECT_EQ(run.device(2).outcome, DeviceOutcome::Upgraded);
}

TEST(SmpFaults, UnsupportedKindsAreRefusedWithTheReasonBeforeTheRun)
{
    faults::FaultsConfig f;
    faults::FaultSpec gw;
    gw.kind = faults::FaultKind::ClockJump;
    gw.jumpS = 3600;
    f.faults.push_back(gw);
    ScenarioConfig s;
    s.fleets.push_back(FleetConfig{QStringLiteral("boards"), smallUdp(2)});
    s.faults = f;
    auto built = FleetRun::build(s);
    ASSERT_FALSE(built.has_value());
    EXPECT_TRUE(built.error().toString().contains(QStringLiteral("clockJump"))) << built.error().toString().toStdString();

    faults::FaultsConfig a;
    a.attacks.push_back(attack(faults::AttackKind::WrongKey, {0}));
    s.faults = a;
    auto attacked = FleetRun::build(s);
    ASSERT_FALSE(attacked.has_value());
}

TEST(SmpFaults, AFaultsScenarioRunsTheSameTwice)
{
    faults::FaultsConfig f;
    faults::FaultSpec cut = powerLoss({}, 8);
    cut.select.count = 2;
    cut.when.atProgress = 0.5;
    faults::FaultSpec crash;
    crash.kind = faults::FaultKind::ServerCrash;
    crash.when.betweenS = std::make_pair(2.0, 6.0);
    f.faults = {cut, crash};
    SmpFaultRun a(smallBle(5), f, 9), b(smallBle(5), f, 9);
    ASSERT_TRUE(a.run());
    ASSERT_TRUE(b.run());
    EXPECT_EQ(a.m_run->traceFingerprint(), b.m_run->traceFingerprint());
    ASSERT_EQ(a.result.faults.size(), b.result.faults.size());
    for (std::size_t i = 0; i < a.result.faults.size(); ++i) {
        EXPECT_EQ(a.result.faults[i].detail, b.result.faults[i].detail);
        EXPECT_EQ(a.result.faults[i].effect, b.result.faults[i].effect);
    }
    EXPECT_EQ(a.result.count(DeviceOutcome::Upgraded), 5);
}
