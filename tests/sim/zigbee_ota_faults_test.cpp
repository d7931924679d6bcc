// SPDX-License-Identifier: Apache-2.0
// Rollout faults: corrupted image, bursty router, refused device, oversize blocks.
#include "zigbee_ota_test_support.h"

#include "sim/zigbee/rollout.h"

#include <gtest/gtest.h>

namespace otalab::sim {
namespace {

TEST(OtaFaults, CorruptedImageFailsEveryDeviceWithInvalidImage)
{
    RolloutConfig c = test::starterConfig(8 * 1024);
    c.images.front().corruptOffsets = {56 + 6 + 1000};  // a firmware byte; the integrity code no longer matches
    c.client.maxAttempts = 2;
    auto r = runRollout(c);
    ASSERT_TRUE(r) << r.error().toString().toStdString();
    ASSERT_EQ(r->devices.size(), 6u);
    EXPECT_EQ(r->count(DeviceOutcome::Failed), 6);
    EXPECT_EQ(r->stopReason, QStringLiteral("all devices finished"));
    for (const DeviceResult& d : r->devices) {
        EXPECT_TRUE(d.failureReason.contains(QStringLiteral("INVALID_IMAGE"))) << d.failureReason.toStdString();
        EXPECT_EQ(d.versionAfter, d.versionBefore);
        EXPECT_FALSE(d.finishS.has_value());
        EXPECT_EQ(d.bytesReceived, 2 * r->imageBytes);  // downloaded twice (maxAttempts 2)
    }
}

TEST(OtaFaults, BurstyRouterSlowsOrFailsItsChildren)
{
    RolloutConfig c = test::starterConfig(8 * 1024);
    c.topology = GeneratedTopology{.routers = 2, .branching = 2, .zedsPerRouter = 4};
    // Router 0x0002 (and its 4 ZEDs 0x0007..0x000A) gets a bad Gilbert–Elliott channel from t = 0.
    RouterLossOverride o;
    o.router = 0x0002;
    o.loss.kind = LossKind::GilbertElliott;
    o.loss.pGoodToBad = 0.1;
    o.loss.pBadToGood = 0.2;
    o.loss.lossGood = 0.05;
    o.loss.lossBad = 0.9;
    c.channel.routerOverrides.push_back(o);
    c.client.maxAttempts = 1;
    auto r = runRollout(c);
    ASSERT_TRUE(r) << r.error().toString().toStdString();
    double goodTime = 0, badTime = 0;
    int good = 0, badUpgraded = 0, badFailed = 0;
    std::uint64_t goodRetries = 0, badRetries = 0;
    for (const DeviceResult& d : r->devices) {
        if (d.role != QStringLiteral("end-device")) {
            continue;
        }
        const bool bad = d.parent == "0x0002";
        if (bad) {
            badRetries += d.retries;
            if (d.outcome == DeviceOutcome::Upgraded) {
                ++badUpgraded;
                badTime += *d.finishS - *d.startS;
            } else {
                ++badFailed;
            }
        } else {
            ASSERT_EQ(d.outcome, DeviceOutcome::Upgraded) << d.failureReason.toStdString();
            ++good;
            goodTime += *d.finishS - *d.startS;
            goodRetries += d.retries;
        }
    }
    ASSERT_EQ(good, 4);
    EXPECT_GT(badRetries, 4 * goodRetries + 10);
    EXPECT_TRUE(badFailed > 0 || badTime / badUpgraded > 1.5 * goodTime / good)
        << "bad: " << badUpgraded << " upgraded in " << badTime << " s, " << badFailed << " failed; good: " << goodTime << " s";
}

TEST(OtaFaults, RefusedPolicyIsReportedAsRefused)
{
    RolloutConfig c = test::starterConfig(4 * 1024);
    DevicePolicyConfig refuse;
    refuse.device = 0x0003;
    refuse.authorized = false;
    c.server.devicePolicies.push_back(refuse);
    auto r = runRollout(c);
    ASSERT_TRUE(r) << r.error().toString().toStdString();
    for (const DeviceResult& d : r->devices) {
        if (d.name == "0x0003") {
            EXPECT_EQ(d.outcome, DeviceOutcome::Refused);
            EXPECT_TRUE(d.failureReason.contains(QStringLiteral("NOT_AUTHORIZED"))) << d.failureReason.toStdString();
            EXPECT_EQ(d.bytesReceived, 0u);
            EXPECT_EQ(d.versionAfter, "0x00000001");
        } else {
            EXPECT_EQ(d.outcome, DeviceOutcome::Upgraded);
        }
    }
}

TEST(OtaFaults, OversizeBlockFailsLikeARealDevice)
{
    RolloutConfig c = test::starterConfig(4 * 1024);
    c.server.maxBlockDataSize = 100;
    c.client.maxDataSize = 80;  // 80 data octets → 97-octet ZCL payload > 82 with NWK security
    c.client.maxAttempts = 1;
    c.client.maxRetries = 2;
    auto r = runRollout(c);
    ASSERT_TRUE(r) << r.error().toString().toStdString();
    EXPECT_EQ(r->count(DeviceOutcome::Failed), 6);
    for (const DeviceResult& d : r->devices) {
        EXPECT_EQ(d.bytesReceived, 0u);
        EXPECT_TRUE(d.failureReason.contains(QStringLiteral("aMaxPHYPacketSize (127)"))) << d.failureReason.toStdString();
        EXPECT_EQ(d.versionAfter, "0x00000001");
    }
    // The same block size fits without NWK security (80 + 17 = 97 <= 100).
    c.device.nwkSecurityOverheadBytes = 0;
    auto unsecured = runRollout(c);
    ASSERT_TRUE(unsecured);
    EXPECT_EQ(unsecured->count(DeviceOutcome::Upgraded), 6);
}

TEST(OtaFaults, ConfigErrorsNameTheField)
{
    RolloutConfig c = test::starterConfig();
    TopologySpec t;
    t.nodes = {NodeSpec{.role = NodeRole::Coordinator, .shortAddress = 0, .parent = -1},
               NodeSpec{.role = NodeRole::Router, .shortAddress = 1, .parent = 0},
               NodeSpec{.role = NodeRole::EndDevice, .shortAddress = 2, .parent = 1},
               NodeSpec{.role = NodeRole::EndDevice, .shortAddress = 3, .parent = 2}};  // a ZED cannot be a parent
    c.topology = t;
    auto r = runRollout(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("topology.nodes[3].parent")) << r.error().toString().toStdString();

    c = test::starterConfig();
    c.images.front().path = QStringLiteral("/nonexistent/firmware.zigbee");
    r = runRollout(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("images[0].path"));

    c = test::starterConfig();
    c.channel.cuts.push_back(LinkCutConfig{.a = 0x0001, .b = 0x0042, .fromS = 10, .toS = 20});
    r = runRollout(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("channel.cuts[0].b"));

    c = test::starterConfig();
    c.device.preset = QStringLiteral("ESP32");
    r = runRollout(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("device.preset"));

    c = test::starterConfig();
    DevicePolicyConfig p;
    p.device = 0x0099;
    c.server.devicePolicies.push_back(p);
    r = runRollout(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("server.devicePolicies[0].device"));
}


TEST(OtaFaults, LinkCutDelaysTheSubtree)
{
    RolloutConfig c = test::starterConfig(4 * 1024);
    c.channel.cuts.push_back(LinkCutConfig{.a = 0x0000, .b = 0x0001, .fromS = 0, .toS = 900});
    auto r = runRollout(c);
    ASSERT_TRUE(r) << r.error().toString().toStdString();
    for (const DeviceResult& d : r->devices) {
        if (d.outcome == DeviceOutcome::Upgraded) {
            EXPECT_GE(*d.startS, 900.0);  // nothing reaches the server through the cut link
        }
    }
    EXPECT_GT(r->count(DeviceOutcome::Upgraded), 0);
}

TEST(OtaFaults, ConcurrencyLimitQueuesDevicesWithWaitForData)
{
    RolloutConfig c = test::starterConfig(4 * 1024);
    c.server.maxConcurrentDownloads = 2;
    c.server.busyRetryDelayMs = 30'000;
    auto r = runRollout(c);
    ASSERT_TRUE(r) << r.error().toString().toStdString();
    EXPECT_EQ(r->count(DeviceOutcome::Upgraded), 6);
    std::uint64_t retries = 0;
    for (const DeviceResult& d : r->devices) {
        retries += d.retries;
    }
    EXPECT_GE(retries, 4u);  // at least the 4 devices beyond the limit were told WAIT_FOR_DATA
    for (const FleetSample& s : r->progress) {
        EXPECT_LE(s.downloading, 6);
    }
}

} // namespace
} // namespace otalab::sim
