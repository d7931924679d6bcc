// SPDX-License-Identifier: Apache-2.0
// SMP fleets with misbehaving boards: unhealthy images roll back (and say why), power cuts
// mid-upload still end upgraded, boards that refuse the image, boards that never come back.
#include "smp_fleet_test_support.h"

using namespace otalab::sim;
using namespace otalab::test::smpfleet;

namespace {

void expectRolledBackBecauseTheImageFaulted(FleetBench& bench)
{
    for (std::size_t i = 0; i < bench.fleet->deviceCount(); ++i) {
        const DeviceStatus st = bench.fleet->status(i);
        EXPECT_EQ(st.phase, FleetPhase::RolledBack) << i;
        EXPECT_EQ(st.version, QStringLiteral("1.0.0")) << i;
        EXPECT_TRUE(st.failureReason.contains(QStringLiteral("booted 1.1.0"))) << st.failureReason.toStdString();
        EXPECT_TRUE(st.failureReason.contains(QStringLiteral("faulted 500 ms after starting"))) << st.failureReason.toStdString();
        EXPECT_TRUE(st.failureReason.contains(QStringLiteral("MCUboot reverted to 1.0.0"))) << st.failureReason.toStdString();
        ASSERT_TRUE(st.failedAtS.has_value());
        const auto* slot0 = attribute(st, QStringLiteral("Slot 0"));
        ASSERT_NE(slot0, nullptr);
        EXPECT_TRUE(slot0->value.startsWith(QStringLiteral("1.0.0 active"))) << slot0->value.toStdString();
    }
}

} // namespace

TEST(SmpFleetFaults, UnhealthyImagesRollBackBehindABleGatewayWithTheReason)
{
    SmpFleetConfig config = smallBle(4);
    config.boards.unhealthyShare = 1.0;
    FleetBench bench(config);
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::RolledBack), 4);
    expectRolledBackBecauseTheImageFaulted(bench);
    for (const DeviceResult& r : bench.results()) {
        EXPECT_EQ(r.versionAfter, QStringLiteral("1.0.0"));
        EXPECT_FALSE(r.finishS.has_value());
        EXPECT_TRUE(r.failedAtS.has_value());
    }
}

TEST(SmpFleetFaults, UnhealthyImagesRollBackOverUdp)
{
    SmpFleetConfig config = smallUdp(3);
    config.boards.unhealthyShare = 1.0;
    FleetBench bench(config);
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::RolledBack), 3);
    expectRolledBackBecauseTheImageFaulted(bench);
}

TEST(SmpFleetFaults, OnlyTheBoardsDrawnUnhealthyRollBack)
{
    SmpFleetConfig config = smallUdp(16);
    config.boards.unhealthyShare = 0.4;
    FleetBench bench(config, 5);
    ASSERT_TRUE(bench.run());
    int unhealthy = 0;
    for (std::size_t i = 0; i < 16; ++i) {
        const bool planned = bench.smp().board(i).plan.unhealthy;
        unhealthy += planned;
        EXPECT_EQ(bench.fleet->phase(i), planned ? FleetPhase::RolledBack : FleetPhase::Upgraded) << i;
    }
    EXPECT_GT(unhealthy, 0);
    EXPECT_LT(unhealthy, 16);
    EXPECT_EQ(bench.count(DeviceOutcome::RolledBack), unhealthy);
}

TEST(SmpFleetFaults, BoardsThatLosePowerMidUploadOverUdpFinishOnALaterAttempt)
{
    SmpFleetConfig config = smallUdp(5);
    config.boards.powerCutShare = 1.0;
    FleetBench bench(config);
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::Upgraded), 5);
    for (std::size_t i = 0; i < 5; ++i) {
        const SmpFleetBoard& b = bench.smp().board(i);
        ASSERT_TRUE(b.powerCutAt.has_value()) << i;
        EXPECT_GE(b.attempts, 2) << i;   // the upload stalled while the board was off
        EXPECT_GT(b.resentChunks, 0u) << i;   // Zephyr kept no upload state: from 0 again
        EXPECT_GE(b.device()->stats().resets, 2) << i;   // power-on + the test reset
        const DeviceStatus st = bench.fleet->status(i);
        EXPECT_EQ(st.version, QStringLiteral("1.1.0"));
        EXPECT_NE(attribute(st, QStringLiteral("Power cut")), nullptr);
        EXPECT_NE(attribute(st, QStringLiteral("Last failed attempt")), nullptr);
    }
}

TEST(SmpFleetFaults, BoardsThatLosePowerMidUploadBehindABleGatewayResumeTheirPush)
{
    SmpFleetConfig config = smallBle(4);
    config.boards.powerCutShare = 1.0;
    FleetBench bench(config);
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::Upgraded), 4);
    for (std::size_t i = 0; i < 4; ++i) {
        const SmpFleetBoard& b = bench.smp().board(i);
        ASSERT_TRUE(b.powerCutAt.has_value()) << i;
        EXPECT_GT(b.resentChunks, 0u) << i;
        EXPECT_GE(b.device()->stats().resets, 2) << i;
        EXPECT_GE(b.link()->stats().linkDrops, 1) << i;   // the cut, under an open host
    }
}

TEST(SmpFleetFaults, BoardsThatRefuseTheImageEndRefusedWithTheBoardsAnswer)
{
    SmpFleetConfig config = smallBle(3);
    config.boards.device.server.image.maxImageSize = 4096;   // CONFIG_MCUMGR_GRP_IMG_TOO_LARGE_*
    FleetBench bench(config);
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::Refused), 3);
    for (const DeviceResult& r : bench.results()) {
        EXPECT_TRUE(r.failureReason.startsWith(QStringLiteral("the board refused the image"))) << r.failureReason.toStdString();
        EXPECT_EQ(r.versionAfter, QStringLiteral("1.0.0"));
    }
    EXPECT_EQ(bench.recorder.entered[std::size_t(FleetPhase::Refused)], 3);
}

TEST(SmpFleetFaults, ABoardThatStaysOffFailsAfterItsAttemptsWithEachStepInTheReason)
{
    SmpFleetConfig config = smallUdp(2);
    config.boards.powerCutShare = 1.0;
    config.boards.powerOffTime = SimTime::fromSecondsInt(24 * 3600);
    config.host.uploadAttempts = 2;
    config.host.resetWait = SimTime::fromSecondsInt(10);
    FleetBench bench(config);
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::Failed), 2);
    for (const DeviceResult& r : bench.results()) {
        EXPECT_TRUE(r.failureReason.startsWith(QStringLiteral("gave up after 2 attempts"))) << r.failureReason.toStdString();
        EXPECT_TRUE(r.failedAtS.has_value());
        EXPECT_GT(r.bytesReceived, 0u);   // what the board acknowledged before the cut
    }
}

TEST(SmpFleetFaults, ABleBoardThatStaysOffIsNotFoundByTheGateway)
{
    SmpFleetConfig config = smallBle(1);
    config.boards.powerCutShare = 1.0;
    config.boards.powerOffTime = SimTime::fromSecondsInt(24 * 3600);
    config.host.uploadAttempts = 2;
    config.host.resetWait = SimTime::fromSecondsInt(10);
    FleetBench bench(config);
    ASSERT_TRUE(bench.run());
    const DeviceStatus st = bench.fleet->status(0);
    EXPECT_EQ(st.phase, FleetPhase::Failed);
    EXPECT_TRUE(st.failureReason.contains(QStringLiteral("did not advertise"))) << st.failureReason.toStdString();
    EXPECT_EQ(st.version, QStringLiteral("off (power cut)"));
}
