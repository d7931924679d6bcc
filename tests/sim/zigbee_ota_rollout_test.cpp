// SPDX-License-Identifier: Apache-2.0
// Rollout engine: the starter upgrades every device, results are consistent, runs are deterministic.
#include "zigbee_ota_test_support.h"

#include "sim/zigbee/rollout.h"
#include "sim/zigbee/zigbeenode.h"

#include <gtest/gtest.h>

namespace otalab::sim {
namespace {

void expectConsistent(const RunResult& r)
{
    for (const DeviceResult& d : r.devices) {
        SCOPED_TRACE(d.name.toStdString());
        EXPECT_GE(d.energyJ, d.updateEnergyJ);
        EXPECT_GE(d.updateEnergyJ, 0.0);
        if (d.role == QStringLiteral("router")) {
            EXPECT_EQ(d.batteryShare, 0.0);  // routersOnMains
        } else {
            EXPECT_NEAR(d.batteryShare * 225 * 3.6 * 3.0, d.updateEnergyJ, 1e-9);
        }
        if (d.outcome == DeviceOutcome::Upgraded) {
            ASSERT_TRUE(d.startS && d.finishS);
            EXPECT_LT(*d.startS, *d.finishS);
            EXPECT_LE(*d.finishS, r.endTimeS);
            EXPECT_EQ(d.bytesReceived, r.imageBytes);
            EXPECT_GE(d.requests, (r.imageBytes + 49) / 50);
            EXPECT_NE(d.versionAfter, d.versionBefore);
            EXPECT_TRUE(d.failureReason.isEmpty());
            EXPECT_GT(d.updateEnergyJ, 0.0);
        } else {
            EXPECT_EQ(d.versionAfter, d.versionBefore);
        }
    }
}

TEST(OtaRollout, StarterUpgradesEveryDevice)
{
    RolloutConfig c = test::starterConfig(64 * 1024);
    auto r = runRollout(c);
    ASSERT_TRUE(r) << r.error().toString().toStdString();
    ASSERT_EQ(r->devices.size(), 6u);  // 1 router + 5 ZEDs
    EXPECT_EQ(r->count(DeviceOutcome::Upgraded), 6);
    EXPECT_EQ(r->stopReason, QStringLiteral("all devices finished"));
    EXPECT_EQ(r->imageBytes, static_cast<std::uint64_t>(56 + 6 + 64 * 1024 + 6 + 16));  // header, element, integrity code
    expectConsistent(*r);
    for (const DeviceResult& d : r->devices) {
        EXPECT_EQ(d.versionBefore, "0x00000001");
        EXPECT_EQ(d.versionAfter, "0x00000002");
        EXPECT_EQ(d.hops, d.role == QStringLiteral("router") ? 1 : 2);
    }
    ASSERT_FALSE(r->progress.empty());
    EXPECT_EQ(r->progress.back().upgraded, 6);
    EXPECT_GT(r->eventsExecuted, 0u);
    EXPECT_NE(r->traceFingerprint, 0u);
    EXPECT_TRUE(r->completionPercentile(50).has_value());
}

} // namespace
} // namespace otalab::sim

namespace otalab::sim {
namespace {

TEST(OtaRollout, SameSeedSameFingerprintDifferentSeedDifferent)
{
    const RolloutConfig a = test::starterConfig(8 * 1024, 7);
    auto r1 = runRollout(a);
    auto r2 = runRollout(a);
    auto r3 = runRollout(test::starterConfig(8 * 1024, 8));
    ASSERT_TRUE(r1 && r2 && r3);
    EXPECT_EQ(r1->traceFingerprint, r2->traceFingerprint);
    EXPECT_EQ(r1->eventsExecuted, r2->eventsExecuted);
    EXPECT_NE(r1->traceFingerprint, r3->traceFingerprint);
}

TEST(OtaRollout, SlicedRunEqualsWholeRun)
{
    const RolloutConfig c = test::starterConfig(8 * 1024, 3);
    auto whole = runRollout(c);
    ASSERT_TRUE(whole);
    auto sliced = Rollout::build(c);
    ASSERT_TRUE(sliced);
    double t = 0;
    while (!(*sliced)->runUntil(t += 17.0)) {
        const RolloutSnapshot s = (*sliced)->snapshot();
        EXPECT_LE(s.upgraded + s.failed + s.refused + s.downloading, s.clients);
    }
    const RunResult r = (*sliced)->result();
    EXPECT_EQ(r.traceFingerprint, whole->traceFingerprint);
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), whole->count(DeviceOutcome::Upgraded));
    EXPECT_DOUBLE_EQ(r.endTimeS, whole->endTimeS);
}

TEST(OtaRollout, ZedsFastPollOnlyWhileDownloading)
{
    auto rollout = Rollout::build(test::starterConfig(4 * 1024));
    ASSERT_TRUE(rollout);
    (*rollout)->run();
    for (const auto& d : (*rollout)->devices()) {
        if (d->node().role() == NodeRole::EndDevice) {
            EXPECT_EQ(d->node().pollInterval(), SimTime::fromMillis(7'500));
        }
    }
}

TEST(OtaRollout, ZedsShortPollForTheAnswerToTheirQuery)
{
    // EmberZNet defaults: long poll 300 s, short poll 1 s while a response is expected.
    // The devices already run the offered version, so the server answers every Query Next
    // Image with NO_IMAGE_AVAILABLE. The answer waits at the router (7.68 s at most); a
    // ZED that only long-polled would never see it. Short polling fetches it within a
    // second or so, and then the ZED goes back to the long poll.
    RolloutConfig c = test::starterConfig(4 * 1024);
    c.device.pollIntervalMs = 300'000;
    c.device.fastPollIntervalMs = 1'000;
    c.client.currentFileVersion = c.images.front().fileVersion;
    c.client.firstQueryJitterMs = 10'000;
    c.stop.untilS = 60;
    auto rollout = Rollout::build(c);
    ASSERT_TRUE(rollout);
    (*rollout)->run();
    int zeds = 0;
    for (const auto& d : (*rollout)->devices()) {
        if (d->node().role() != NodeRole::EndDevice) {
            continue;
        }
        ++zeds;
        EXPECT_EQ(d->progress().phase, OtaDeviceProgress::Phase::Refused);
        EXPECT_TRUE(d->progress().failureReason.contains(QStringLiteral("NO_IMAGE_AVAILABLE")));
        EXPECT_EQ(d->node().pollInterval(), SimTime::fromMillis(300'000));
    }
    EXPECT_EQ(zeds, 5);
}

TEST(OtaRollout, ReadingResultsMidRunDoesNotChangeTheTrace)
{
    // A GUI reads result() between slices; the run's fingerprint must not depend on it.
    auto quiet = Rollout::build(test::starterConfig(4 * 1024));
    auto watched = Rollout::build(test::starterConfig(4 * 1024));
    ASSERT_TRUE(quiet && watched);
    for (double t = 50; t <= 400; t += 50) {
        (*watched)->runUntil(t);
        const RunResult mid = (*watched)->result();
        EXPECT_FALSE(mid.devices.empty());
    }
    (*quiet)->runUntil(400);
    EXPECT_EQ((*watched)->traceFingerprint(), (*quiet)->traceFingerprint());
    EXPECT_NEAR((*watched)->result().devices[2].energyJ, (*quiet)->result().devices[2].energyJ, 1e-12);
}

TEST(OtaRollout, StopsAtTheTimeLimit)
{
    RolloutConfig c = test::starterConfig(64 * 1024);
    c.stop.untilS = 120;
    std::vector<FleetSample> samples;
    auto r = runRollout(c, nullptr, [&](const FleetSample& s) { samples.push_back(s); });
    ASSERT_TRUE(r);
    EXPECT_EQ(r->stopReason, QStringLiteral("time limit 120 s"));
    EXPECT_DOUBLE_EQ(r->endTimeS, 120.0);
    EXPECT_EQ(r->count(DeviceOutcome::Unfinished), 6);
    ASSERT_EQ(samples.size(), 12u);
    EXPECT_GT(samples.back().downloading, 0);
    EXPECT_GT(samples.back().channelUtilisation, 0.0);
    EXPECT_LT(samples.back().channelUtilisation, 1.0);
}

} // namespace
} // namespace otalab::sim
