// SPDX-License-Identifier: Apache-2.0
// Zigbee fleet faults through a scenario: a power cut at a block resumes from the stored
// offset (nothing downloaded twice), a server crash, a router outage, a link outage, bad
// images on a bootloader without rollback, clockJump refused; determinism.
#include "zigbee_faults_test_support.h"

using namespace otalab::sim;
using namespace otalab::test::zigbeefaults;

TEST(ZigbeeFaults, PowerCutAfterBlock40ResumesFromTheStoredOffsetWithoutDownloadingAgain)
{
    faults::FaultsConfig f;
    faults::FaultSpec cut = fault(faults::FaultKind::PowerLoss, {2}, 10);
    cut.when.atFlashWrite = 40;
    f.faults.push_back(cut);
    ZigbeeFaultRun run(smallZigbee(), f);
    ASSERT_TRUE(run.run());
    const FaultResult& row = run.result.faults.at(0);
    ASSERT_TRUE(row.atS.has_value()) << row.notFiredReason.toStdString();
    EXPECT_TRUE(row.detail.contains(QStringLiteral("right after image block 40 was stored (offset 2000 of"))) << row.detail.toStdString();
    EXPECT_TRUE(row.effect.contains(QStringLiteral("resumed the download from storage at offset 2000 of"))) << row.effect.toStdString();
    EXPECT_TRUE(row.effect.contains(QStringLiteral("upgraded to"))) << row.effect.toStdString();
    EXPECT_TRUE(row.recovered);
    EXPECT_EQ(run.result.count(DeviceOutcome::Upgraded), 6);
    // Every byte stored exactly once: the download went on from where the power failed.
    EXPECT_EQ(run.device(2).bytesReceived, run.result.imageBytes);
    const OtaDevice& d = *run.fleet().devices()[2];
    EXPECT_EQ(d.flash().eraseCount(), 1);
    EXPECT_GE(*run.device(2).finishS, *row.atS + 10);
}

TEST(ZigbeeFaults, PowerCutAtATimeWhileIdleQueriesAgainAfterBooting)
{
    faults::FaultsConfig f;
    faults::FaultSpec cut = fault(faults::FaultKind::PowerLoss, {0}, 20);
    cut.when.atS = 0.001;   // before its first query (firstQueryJitterMs spreads them over 30 s)
    f.faults.push_back(cut);
    ZigbeeFaultRun run(smallZigbee(), f);
    ASSERT_TRUE(run.run());
    const FaultResult& row = run.result.faults.at(0);
    EXPECT_TRUE(row.effect.contains(QStringLiteral("nothing in storage: queries the server again"))) << row.effect.toStdString();
    EXPECT_EQ(run.device(0).outcome, DeviceOutcome::Upgraded);
    EXPECT_GE(*run.device(0).startS, 20.0);
}

TEST(ZigbeeFaults, ServerCrashLosesSessionsAndTheClientsRetryToTheEnd)
{
    faults::FaultsConfig f;
    faults::FaultSpec crash = fault(faults::FaultKind::ServerCrash, {}, 30);
    crash.when.atS = 40;
    f.faults.push_back(crash);
    ZigbeeFaultRun run(smallZigbee(), f);
    ASSERT_TRUE(run.run());
    const FaultResult& row = run.result.faults.at(0);
    ASSERT_TRUE(row.atS.has_value());
    EXPECT_TRUE(row.detail.contains(QStringLiteral("crashed, down 30 s"))) << row.detail.toStdString();
    EXPECT_TRUE(row.effect.contains(QStringLiteral("restarted at 70 s with its image files"))) << row.effect.toStdString();
    EXPECT_EQ(run.result.count(DeviceOutcome::Upgraded), 6);
    std::uint64_t retries = 0;
    for (const DeviceResult& d : run.result.devices)
        retries += d.retries;
    EXPECT_GT(retries, 0u);
}

TEST(ZigbeeFaults, RouterOutageDarkensItsChildrenWhoRetryAndUpgrade)
{
    faults::FaultsConfig f;
    faults::FaultSpec outage = fault(faults::FaultKind::GatewayOutage, {}, 60);
    outage.target = QStringLiteral("0x0001");
    outage.when.atS = 40;
    f.faults.push_back(outage);
    ZigbeeFaultRun run(smallZigbee(), f);
    ASSERT_TRUE(run.run()) << run.buildError.toStdString();
    const FaultResult& row = run.result.faults.at(0);
    EXPECT_TRUE(row.detail.contains(QStringLiteral("router 0x0001 dark for 60 s (5 children"))) << row.detail.toStdString();
    EXPECT_EQ(run.result.count(DeviceOutcome::Upgraded), 6);
}

TEST(ZigbeeFaults, LinkOutageOfOneDeviceEndsAnAttemptAndALaterOneUpgrades)
{
    faults::FaultsConfig f;
    faults::FaultSpec outage = fault(faults::FaultKind::LinkOutage, {3}, 200);
    outage.when.atS = 35;
    f.faults.push_back(outage);
    ZigbeeFaultRun run(smallZigbee(), f);
    ASSERT_TRUE(run.run());
    const FaultResult& row = run.result.faults.at(0);
    EXPECT_TRUE(row.detail.contains(QStringLiteral("carry nothing for 200 s"))) << row.detail.toStdString();
    EXPECT_EQ(run.device(3).outcome, DeviceOutcome::Upgraded) << run.device(3).failureReason.toStdString();
    EXPECT_GE(*run.device(3).finishS, 235.0);
    EXPECT_GT(run.device(3).retries, 0u);
}

TEST(ZigbeeFaults, BadImagesFailWithoutRollbackOnTheGeckoBootloader)
{
    faults::FaultsConfig f;
    faults::FaultSpec selfTest = fault(faults::FaultKind::BadImage, {0});
    selfTest.variant = faults::BadImageVariant::FailsSelfTest;
    faults::FaultSpec noBoot = fault(faults::FaultKind::BadImage, {1});
    noBoot.variant = faults::BadImageVariant::DoesNotBoot;
    f.faults = {selfTest, noBoot};
    ZigbeeFaultRun run(smallZigbee(), f);
    ASSERT_TRUE(run.run());
    ASSERT_EQ(run.result.faults.size(), 2u);
    EXPECT_TRUE(run.result.faults[0].effect.contains(QStringLiteral("fails its self-test: there is no rollback")))
        << run.result.faults[0].effect.toStdString();
    EXPECT_TRUE(run.result.faults[1].effect.contains(QStringLiteral("bricked"))) << run.result.faults[1].effect.toStdString();
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(run.device(i).outcome, DeviceOutcome::Failed) << i;
        EXPECT_TRUE(run.result.faults[i].atS.has_value()) << i;
        EXPECT_FALSE(run.result.faults[i].recovered) << i;
    }
    EXPECT_EQ(run.result.count(DeviceOutcome::Upgraded), 4);
}

TEST(ZigbeeFaults, ClockJumpIsRefusedWithTheReason)
{
    faults::FaultsConfig f;
    faults::FaultSpec jump = fault(faults::FaultKind::ClockJump, {0});
    jump.jumpS = -3600;
    f.faults.push_back(jump);
    ZigbeeFaultRun run(smallZigbee(), f);
    ASSERT_FALSE(run.m_run);
    EXPECT_TRUE(run.buildError.contains(QStringLiteral("clockJump"))) << run.buildError.toStdString();
}

TEST(ZigbeeFaults, AFaultsScenarioRunsTheSameTwice)
{
    faults::FaultsConfig f;
    faults::FaultSpec cut = fault(faults::FaultKind::PowerLoss, {}, 15);
    cut.select.count = 3;
    cut.when.atProgress = 0.3;
    faults::FaultSpec crash = fault(faults::FaultKind::ServerCrash, {}, 20);
    crash.when.betweenS = std::make_pair(20.0, 60.0);
    f.faults = {cut, crash};
    ZigbeeFaultRun a(smallZigbee(7), f), b(smallZigbee(7), f);
    ASSERT_TRUE(a.run());
    ASSERT_TRUE(b.run());
    EXPECT_EQ(a.fingerprint(), b.fingerprint());
    ASSERT_EQ(a.result.faults.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(a.result.faults[i].detail, b.result.faults[i].detail);
        EXPECT_EQ(a.result.faults[i].effect, b.result.faults[i].effect);
    }
    EXPECT_EQ(a.result.count(DeviceOutcome::Upgraded), 6);
}
