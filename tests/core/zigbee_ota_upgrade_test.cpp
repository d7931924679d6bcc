// SPDX-License-Identifier: Apache-2.0
// OtaClient and OtaServer driven against each other in virtual time (zigbee_ota_harness.h).
#include "zigbee_ota_harness.h"

#include "core/zigbee/ota_signature.h"

#include <gtest/gtest.h>

using namespace otalab::core::zigbee;
using namespace otalab::core::zigbee::test;

namespace {

constexpr NwkAddress kDevice = 0x1001;
constexpr std::uint32_t kOld = 0x01000000;
constexpr std::uint32_t kNew = 0x02000000;

std::vector<ImageUpgradeStatus> statusPath(const Loop::Node& n)
{
    std::vector<ImageUpgradeStatus> path{ImageUpgradeStatus::Normal};
    for (const auto& s : n.states)
        path.push_back(s.to);
    return path;
}

int countEvents(const std::vector<OtaEvent>& events, OtaEventKind kind)
{
    return int(std::count_if(events.begin(), events.end(), [&](const OtaEvent& e) { return e.kind == kind; }));
}

struct Fixture {
    explicit Fixture(OtaServerConfig sc = {}, QByteArray image = otaImage(kNew)) : server(std::move(sc)), loop(server)
    {
        imageBytes = image;
        EXPECT_TRUE(server.addImage(shared(std::move(image))));
    }
    Loop::Node& client(OtaClientConfig c = clientConfig(kOld), NwkAddress a = kDevice, OtaClient::RandomSource rng = {})
    {
        return loop.addClient(a, std::move(c), std::move(rng));
    }
    void query(Loop::Node& n) { loop.act(n.address, [&](OtaActions& out) { n.client->queryNow(loop.now(), out); }); }

    OtaServer server;
    Loop loop;
    QByteArray imageBytes;
};

} // namespace

TEST(ZigbeeOtaUpgrade, FullUpgradeSucceeds)
{
    Fixture f;
    auto& n = f.client();
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(n.client->attributes().currentZigbeeStackVersion, 0x0002);
    EXPECT_EQ(n.client->attributes().downloadedFileVersion, 0xFFFFFFFFu);
    EXPECT_EQ(n.client->attributes().upgradeServerId, 0u);
    ASSERT_EQ(n.reboots.size(), 1u);
    EXPECT_EQ(n.reboots[0].oldFileVersion, kOld);
    EXPECT_EQ(n.reboots[0].newFileVersion, kNew);
    EXPECT_EQ(statusPath(n), (std::vector<ImageUpgradeStatus>{ImageUpgradeStatus::Normal, ImageUpgradeStatus::DownloadInProgress,
                                                               ImageUpgradeStatus::DownloadComplete, ImageUpgradeStatus::Normal}));
    EXPECT_EQ(n.flash->contents(), f.imageBytes);
    // Server cap 50 B (herdsman default) with the client asking 64: ceil(size / 50) requests.
    EXPECT_EQ(f.loop.count(kDevice, otacmd::ImageBlockRequest), (f.imageBytes.size() + 49) / 50);
    EXPECT_EQ(f.loop.count(kDevice, otacmd::UpgradeEndRequest), 1);
    EXPECT_EQ(f.server.activeDownloads(), 0);
    // 250 ms response delay per block dominates: ≈ 22 blocks × (250 + 2 × 10 ms latency).
    EXPECT_GT(n.states.back().at, 22 * 250);
    EXPECT_TRUE(hasEvent(n.events, OtaEventKind::ImageVerified, ZclStatus::Success));
}

TEST(ZigbeeOtaUpgrade, BlockSizeIsMinOfRequestAndServerCap)
{
    for (auto [asked, cap, expected] : {std::tuple{64, 50, 50}, std::tuple{30, 50, 30}, std::tuple{100, 80, 80}}) {
        OtaServerConfig sc;
        sc.maxBlockDataSize = std::uint8_t(cap);
        Fixture f(sc);
        auto c = clientConfig(kOld);
        c.maxDataSize = std::uint8_t(asked);
        auto& n = f.client(c);
        f.query(n);
        f.loop.runUntil(3'600'000);
        EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
        EXPECT_EQ(countEvents(n.events, OtaEventKind::BlockReceived), (f.imageBytes.size() + expected - 1) / expected);
        for (const auto& e : n.events)
            if (e.kind == OtaEventKind::BlockReceived && e.offset + expected < std::uint32_t(f.imageBytes.size()))
                EXPECT_EQ(e.value, expected) << "asked " << asked << " cap " << cap;
    }
}

TEST(ZigbeeOtaUpgrade, PageRequestsStreamSpacedBlocks)
{
    Fixture f;
    auto c = clientConfig(kOld);
    c.usePageRequests = true;
    c.pageSize = 256;
    c.responseSpacingMs = 40;
    auto& n = f.client(c);
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(n.flash->contents(), f.imageBytes);
    EXPECT_EQ(f.loop.count(kDevice, otacmd::ImageBlockRequest), 0);
    EXPECT_EQ(f.loop.count(kDevice, otacmd::ImagePageRequest), (f.imageBytes.size() + 255) / 256);
    // Within a page the server's block responses leave responseSpacing apart.
    std::vector<std::int64_t> times;
    for (const auto& fr : f.loop.frames())
        if (fr.from == kServer && fr.commandId == otacmd::ImageBlockResponse)
            times.push_back(fr.at);
    ASSERT_GE(times.size(), 3u);
    EXPECT_EQ(times[1] - times[0], 40);
    EXPECT_EQ(times[2] - times[1], 40);
}

TEST(ZigbeeOtaUpgrade, WaitForDataThenResume)
{
    OtaServerConfig sc;
    sc.waitForData.dataAvailableAtMs = 30'000;
    Fixture f(sc);
    auto& n = f.client();
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    ASSERT_TRUE(hasEvent(n.events, OtaEventKind::WaitForDataReceived, ZclStatus::WaitForData));
    std::int64_t firstBlock = -1;
    for (const auto& e : n.events)
        if (e.kind == OtaEventKind::BlockReceived && firstBlock < 0)
            firstBlock = e.at;
    EXPECT_GE(firstBlock, 30'000);
    EXPECT_EQ(countEvents(n.events, OtaEventKind::RequestTimedOut), 0);
}

TEST(ZigbeeOtaUpgrade, ServerRaisesMinimumBlockPeriodThroughWaitForData)
{
    OtaServerConfig sc;
    sc.waitForData.minimumBlockPeriodMs = 700;
    Fixture f(sc);
    auto& n = f.client();
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(n.client->attributes().minimumBlockPeriod, 700);  // revision 3: milliseconds
    EXPECT_EQ(n.client->minimumBlockPeriodMs(), 700);
    std::vector<std::int64_t> requests;
    for (const auto& fr : f.loop.frames())
        if (fr.from == kDevice && fr.commandId == otacmd::ImageBlockRequest)
            requests.push_back(fr.at);
    for (std::size_t i = 2; i < requests.size(); ++i)
        EXPECT_GE(requests[i] - requests[i - 1], 700);
}

TEST(ZigbeeOtaUpgrade, MinimumBlockPeriodInSecondsForRevision2)
{
    OtaServerConfig sc;
    sc.clusterRevision = 2;
    sc.waitForData.minimumBlockPeriodMs = 2000;
    Fixture f(sc);
    auto c = clientConfig(kOld);
    c.clusterRevision = 2;
    auto& n = f.client(c);
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(n.client->attributes().minimumBlockPeriod, 2);  // seconds on the wire
    EXPECT_EQ(n.client->minimumBlockPeriodMs(), 2000);
}

TEST(ZigbeeOtaUpgrade, ConcurrencyLimitDefersSecondClient)
{
    OtaServerConfig sc;
    sc.waitForData.maxConcurrentDownloads = 1;
    sc.waitForData.busyRetryDelayMs = 5'000;
    Fixture f(sc);
    auto& a = f.client(clientConfig(kOld), 0x1001);
    auto& b = f.client(clientConfig(kOld), 0x1002);
    f.query(a);
    f.query(b);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(a.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(b.client->attributes().currentFileVersion, kNew);
    EXPECT_TRUE(hasEvent(b.events, OtaEventKind::WaitForDataReceived, ZclStatus::WaitForData));
    EXPECT_FALSE(hasEvent(a.events, OtaEventKind::WaitForDataReceived, ZclStatus::WaitForData));
}

TEST(ZigbeeOtaUpgrade, LostResponsesAreRetried)
{
    Fixture f;
    auto c = clientConfig(kOld);
    c.requestTimeoutMs = 2'000;
    auto& n = f.client(c);
    int blockResponses = 0;
    f.loop.drop = [&](const SentFrame& fr) { return fr.commandId == otacmd::ImageBlockResponse && ++blockResponses % 3 == 0; };
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(n.flash->contents(), f.imageBytes);
    EXPECT_GE(countEvents(n.events, OtaEventKind::RequestTimedOut), 5);
}

TEST(ZigbeeOtaUpgrade, GivesUpAfterMaxRetries)
{
    Fixture f;
    auto c = clientConfig(kOld);
    c.requestTimeoutMs = 1'000;
    c.maxRetries = 3;
    auto& n = f.client(c);
    int blockResponses = 0;
    f.loop.drop = [&](const SentFrame& fr) { return fr.commandId == otacmd::ImageBlockResponse && ++blockResponses > 5; };
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kOld);
    EXPECT_TRUE(n.reboots.empty());
    ASSERT_FALSE(n.states.empty());
    EXPECT_EQ(n.states.back().to, ImageUpgradeStatus::Normal);
    EXPECT_TRUE(n.states.back().reason.contains("unanswered after 3 retries")) << n.states.back().reason.toStdString();
    EXPECT_EQ(f.loop.count(kDevice, otacmd::ImageBlockRequest), 5 + 1 + 3);
    EXPECT_EQ(countEvents(n.events, OtaEventKind::RequestTimedOut), 4);
    // The client told the server (Upgrade End Request ABORT); the server freed the slot.
    EXPECT_TRUE(hasEvent(f.loop.serverEvents(), OtaEventKind::UpgradeEndReceived, ZclStatus::Abort));
    EXPECT_EQ(f.server.activeDownloads(), 0);
}

TEST(ZigbeeOtaUpgrade, CorruptedImageIsRejectedAndVersionKept)
{
    QByteArray bad = otaImage(kNew);
    bad[56 + 6 + 10] = char(bad[56 + 6 + 10] ^ 0x01);  // a firmware byte: integrity code no longer matches
    Fixture f({}, bad);
    auto& n = f.client();
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kOld);
    EXPECT_EQ(n.client->attributes().downloadedFileVersion, 0xFFFFFFFFu);
    EXPECT_TRUE(n.reboots.empty());
    EXPECT_TRUE(hasEvent(n.events, OtaEventKind::ImageVerified, ZclStatus::InvalidImage));
    EXPECT_TRUE(hasEvent(f.loop.serverEvents(), OtaEventKind::UpgradeEndReceived, ZclStatus::InvalidImage));
    ASSERT_FALSE(n.states.empty());
    EXPECT_EQ(n.states.back().from, ImageUpgradeStatus::DownloadInProgress);
    EXPECT_EQ(n.states.back().to, ImageUpgradeStatus::Normal);
    EXPECT_TRUE(n.states.back().reason.startsWith("INVALID_IMAGE")) << n.states.back().reason.toStdString();
    // INVALID_IMAGE gets a Default Response, never an Upgrade End Response.
    EXPECT_EQ(f.loop.count(kServer, otacmd::UpgradeEndResponse), 0);
    EXPECT_EQ(f.loop.count(kServer, kDefaultResponseCommand), 1);
}

TEST(ZigbeeOtaUpgrade, SignatureRequiredWhenKeyConfigured)
{
    auto key = otalab::core::crypto::PKey::generate(otalab::core::crypto::KeyType::Sect163k1);
    ASSERT_TRUE(key);
    auto signedFile = signOtaFile(otaImage(kNew), *key, SignOptions{0x0011223344556677, 0});
    ASSERT_TRUE(signedFile) << signedFile.error().toString().toStdString();
    {
        Fixture f({}, *signedFile);
        auto c = clientConfig(kOld);
        c.verificationKeys = {*key};
        auto& n = f.client(c);
        f.query(n);
        f.loop.runUntil(3'600'000);
        EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    }
    {
        Fixture f;  // unsigned image
        auto c = clientConfig(kOld);
        c.verificationKeys = {*key};
        auto& n = f.client(c);
        f.query(n);
        f.loop.runUntil(3'600'000);
        EXPECT_EQ(n.client->attributes().currentFileVersion, kOld);
        EXPECT_TRUE(hasEvent(n.events, OtaEventKind::ImageVerified, ZclStatus::InvalidImage));
    }
}

TEST(ZigbeeOtaUpgrade, NotAuthorizedDeviceIsRefused)
{
    Fixture f;
    OtaDevicePolicy refuse;
    refuse.authorized = false;
    f.server.setDevicePolicy(kDevice, refuse);
    auto& n = f.client();
    f.query(n);
    f.loop.runUntil(600'000);
    EXPECT_TRUE(hasEvent(n.events, OtaEventKind::QueryAnswered, ZclStatus::NotAuthorized));
    EXPECT_EQ(f.loop.count(kDevice, otacmd::ImageBlockRequest), 0);
    EXPECT_TRUE(n.states.empty());
}

TEST(ZigbeeOtaUpgrade, DowngradeAndReinstallNeedPolicy)
{
    for (bool allow : {false, true}) {
        Fixture f({}, otaImage(0x00500000));
        OtaDevicePolicy p;
        p.allowDowngrade = allow;
        f.server.setDevicePolicy(kDevice, p);
        auto& n = f.client();
        f.query(n);
        f.loop.runUntil(3'600'000);
        EXPECT_EQ(n.client->attributes().currentFileVersion, allow ? 0x00500000u : kOld);
        if (!allow)
            EXPECT_TRUE(hasEvent(n.events, OtaEventKind::QueryAnswered, ZclStatus::NoImageAvailable));
    }
    for (bool allow : {false, true}) {
        Fixture f({}, otaImage(kOld));
        OtaDevicePolicy p;
        p.allowReinstall = allow;
        f.server.setDevicePolicy(kDevice, p);
        auto& n = f.client();
        f.query(n);
        f.loop.runUntil(3'600'000);
        EXPECT_EQ(n.reboots.size(), allow ? 1u : 0u);
        EXPECT_EQ(n.client->attributes().currentFileVersion, kOld);
    }
}

TEST(ZigbeeOtaUpgrade, PinnedVersionAndNewestChoice)
{
    Fixture f;
    ASSERT_TRUE(f.server.addImage(shared(otaImage(0x03000000))));
    ASSERT_TRUE(f.server.addImage(shared(otaImage(0x01500000))));
    auto& a = f.client(clientConfig(kOld), 0x1001);
    auto& b = f.client(clientConfig(kOld), 0x1002);
    OtaDevicePolicy pin;
    pin.pinnedFileVersion = kNew;
    f.server.setDevicePolicy(0x1002, pin);
    f.query(a);
    f.query(b);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(a.client->attributes().currentFileVersion, 0x03000000u);
    EXPECT_EQ(b.client->attributes().currentFileVersion, kNew);
}

TEST(ZigbeeOtaUpgrade, HardwareVersionMustBeInRange)
{
    const HardwareVersionRange range{0x0100, 0x01FF};
    for (auto [hw, expectUpgrade] : {std::pair<std::optional<std::uint16_t>, bool>{0x0200, false},
                                     std::pair<std::optional<std::uint16_t>, bool>{0x0150, true},
                                     std::pair<std::optional<std::uint16_t>, bool>{std::nullopt, false}}) {
        Fixture f({}, otaImage(kNew, 500, range));
        auto c = clientConfig(kOld);
        c.hardwareVersion = hw;
        auto& n = f.client(c);
        f.query(n);
        f.loop.runUntil(3'600'000);
        EXPECT_EQ(n.client->attributes().currentFileVersion, expectUpgrade ? kNew : kOld);
        if (!expectUpgrade)
            EXPECT_TRUE(hasEvent(n.events, OtaEventKind::QueryAnswered, ZclStatus::NoImageAvailable));
    }
}

TEST(ZigbeeOtaUpgrade, DeviceSpecificFileGoesToItsDeviceOnly)
{
    constexpr std::uint64_t eui = 0x00124B0001020304;
    Fixture f({}, otaImage(0x00000007, 300, {}, imagetype::Configuration, eui));
    auto mine = clientConfig(kOld);
    mine.ieeeAddress = eui;
    mine.sendIeeeInRequests = true;
    auto other = clientConfig(kOld);
    other.ieeeAddress = eui + 1;
    auto& a = f.client(mine, 0x1001);
    auto& b = f.client(other, 0x1002);
    f.loop.act(0x1001, [&](OtaActions& out) { a.client->queryDeviceSpecificFile(0, imagetype::Configuration, 0, out); });
    f.loop.act(0x1002, [&](OtaActions& out) { b.client->queryDeviceSpecificFile(0, imagetype::Configuration, 0, out); });
    f.loop.runUntil(3'600'000);
    EXPECT_TRUE(hasEvent(a.events, OtaEventKind::FileInstalled, ZclStatus::Success));
    EXPECT_TRUE(a.reboots.empty());
    EXPECT_EQ(a.client->attributes().currentFileVersion, kOld);
    EXPECT_TRUE(hasEvent(b.events, OtaEventKind::QueryAnswered, ZclStatus::NoImageAvailable));
    EXPECT_FALSE(hasEvent(b.events, OtaEventKind::FileInstalled, ZclStatus::Success));
    // A plain Query Next Image never offers a device-specific file.
    f.query(b);
    f.loop.runUntil(f.loop.now() + 60'000);
    EXPECT_EQ(f.loop.count(0x1002, otacmd::ImageBlockRequest), 0);
}

TEST(ZigbeeOtaUpgrade, DelayedUpgradeCountsDown)
{
    OtaServerConfig sc;
    sc.defaultPolicy.upgradeTime = {UpgradeTimePolicy::Mode::Delay, 120};
    Fixture f(sc);
    auto& n = f.client();
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    const auto path = statusPath(n);
    EXPECT_EQ(path, (std::vector<ImageUpgradeStatus>{ImageUpgradeStatus::Normal, ImageUpgradeStatus::DownloadInProgress,
                                                      ImageUpgradeStatus::DownloadComplete, ImageUpgradeStatus::CountDown,
                                                      ImageUpgradeStatus::Normal}));
    const auto countDownAt = n.states[2].at;
    EXPECT_EQ(n.states[3].at - countDownAt, 120'000);
}

TEST(ZigbeeOtaUpgrade, WaitForeverRequeriesHourlyUntilReleased)
{
    OtaServerConfig sc;
    sc.defaultPolicy.upgradeTime = {UpgradeTimePolicy::Mode::WaitForever, 0};
    Fixture f(sc);
    auto& n = f.client();
    f.query(n);
    f.loop.runUntil(3 * 3'600'000 + 1'800'000);  // 3.5 h
    EXPECT_EQ(n.client->status(), ImageUpgradeStatus::WaitingToUpgrade);
    EXPECT_EQ(f.loop.count(kDevice, otacmd::UpgradeEndRequest), 1 + 3);
    EXPECT_TRUE(n.reboots.empty());
    std::vector<std::int64_t> asks;
    for (const auto& fr : f.loop.frames())
        if (fr.from == kDevice && fr.commandId == otacmd::UpgradeEndRequest)
            asks.push_back(fr.at);
    for (std::size_t i = 1; i < asks.size(); ++i)
        EXPECT_EQ(asks[i] - asks[i - 1], 3'600'000);
    OtaActions out;
    ASSERT_TRUE(f.server.releaseUpgrade(f.loop.now(), kDevice, 0, out));
    f.loop.act(kServer, [&](OtaActions& o) { o = out; });
    f.loop.runUntil(f.loop.now() + 60'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
}

TEST(ZigbeeOtaUpgrade, WaitForeverAppliesAfterSilentServerOnlyWithTimeoutPolicy0)
{
    for (std::uint8_t policy : {0, 1}) {
        OtaServerConfig sc;
        sc.defaultPolicy.upgradeTime = {UpgradeTimePolicy::Mode::WaitForever, 0};
        Fixture f(sc);
        auto c = clientConfig(kOld);
        c.upgradeTimeoutPolicy = policy;
        auto& n = f.client(c);
        bool serverGone = false;
        f.loop.drop = [&](const SentFrame& fr) { return serverGone && fr.from == kServer; };
        f.query(n);
        f.loop.runUntil(600'000);
        ASSERT_EQ(n.client->status(), ImageUpgradeStatus::WaitingToUpgrade);
        serverGone = true;
        f.loop.runUntil(10 * 3'600'000);
        if (policy == 0) {
            EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
            ASSERT_EQ(n.reboots.size(), 1u);
            EXPECT_TRUE(n.states.back().reason.contains("unanswered")) << n.states.back().reason.toStdString();
            EXPECT_EQ(f.loop.count(kDevice, otacmd::UpgradeEndRequest), 1 + 3);
        } else {
            EXPECT_EQ(n.client->attributes().currentFileVersion, kOld);
            EXPECT_EQ(n.client->status(), ImageUpgradeStatus::WaitingToUpgrade);
            EXPECT_GE(f.loop.count(kDevice, otacmd::UpgradeEndRequest), 9);
        }
    }
}

TEST(ZigbeeOtaUpgrade, ActivationPolicyOutOfBandWaitsForHost)
{
    Fixture f;
    auto c = clientConfig(kOld);
    c.upgradeActivationPolicy = 1;
    auto& n = f.client(c);
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->status(), ImageUpgradeStatus::WaitingToUpgradeViaExternalEvent);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kOld);
    f.loop.act(kDevice, [&](OtaActions& out) { n.client->applyNow(f.loop.now(), out); });
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(n.client->status(), ImageUpgradeStatus::Normal);
}

TEST(ZigbeeOtaUpgrade, PeriodicQueryFindsALaterImage)
{
    OtaServer server;
    Loop loop(server);
    auto c = clientConfig(kOld);
    c.queryPeriodMs = 60'000;
    auto& n = loop.addClient(kDevice, c);
    loop.act(kDevice, [&](OtaActions& out) { n.client->start(0, out); });
    loop.runUntil(90'000);
    EXPECT_EQ(loop.count(kDevice, otacmd::QueryNextImageRequest), 2);  // at 0 and 60 s
    ASSERT_TRUE(server.addImage(shared(otaImage(kNew))));
    loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(n.reboots.size(), 1u);
}

TEST(ZigbeeOtaUpgrade, ImageNotifyJitterWithInjectedRandom)
{
    Fixture f;
    // Each client's RNG yields one fixed value: draws 1 + v % 100 = 10, 60, 90.
    auto& a = f.client(clientConfig(kOld), 0x1001, [] { return 9u; });
    auto& b = f.client(clientConfig(kOld), 0x1002, [] { return 59u; });
    auto& c = f.client(clientConfig(kOld), 0x1003, [] { return 89u; });
    auto notify = f.server.notifyPayloadFor(0, 0, 50);
    ASSERT_TRUE(notify);
    f.loop.act(kServer, [&](OtaActions& out) { f.server.notify(0, kBroadcastAll, *notify, out); });
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(f.loop.count(0x1001, otacmd::QueryNextImageRequest), 1);
    EXPECT_EQ(f.loop.count(0x1002, otacmd::QueryNextImageRequest), 0);
    EXPECT_EQ(f.loop.count(0x1003, otacmd::QueryNextImageRequest), 0);
    EXPECT_EQ(a.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(b.client->attributes().currentFileVersion, kOld);
    EXPECT_EQ(c.client->attributes().currentFileVersion, kOld);
    // Jitter 100 reaches everyone still on the old version.
    f.loop.act(kServer, [&](OtaActions& out) { f.server.notify(f.loop.now(), kBroadcastAll, *f.server.notifyPayloadFor(0, 3, 100), out); });
    f.loop.runUntil(f.loop.now() + 3'600'000);
    EXPECT_EQ(f.loop.count(0x1001, otacmd::QueryNextImageRequest), 1);  // already runs the announced version
    EXPECT_EQ(b.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(c.client->attributes().currentFileVersion, kNew);
}

TEST(ZigbeeOtaUpgrade, ImageNotifyForAnotherManufacturerIsIgnored)
{
    Fixture f;
    auto& n = f.client();
    ImageNotify other{2, 100, 0x4321, 0x0001, kWildcardFileVersion};
    f.loop.act(kServer, [&](OtaActions& out) { f.server.notify(0, kDevice, other, out); });
    f.loop.runUntil(60'000);
    EXPECT_EQ(f.loop.count(kDevice, otacmd::QueryNextImageRequest), 0);
    ImageNotify wildcard{1, 100, kWildcardManufacturer, kWildcardImageType, kWildcardFileVersion};
    f.loop.act(kServer, [&](OtaActions& out) { f.server.notify(f.loop.now(), kDevice, wildcard, out); });
    f.loop.runUntil(f.loop.now() + 600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
}

TEST(ZigbeeOtaUpgrade, NotifySpreadDelaysTheQuery)
{
    Fixture f;
    auto c = clientConfig(kOld);
    c.notifyQuerySpreadMs = 10'000;
    std::uint32_t seq[] = {0u, 4321u};  // draw 1 (answer), then delay 4321 ms
    int i = 0;
    f.client(c, kDevice, [&] { return seq[std::min(i++, 1)]; });
    f.loop.act(kServer, [&](OtaActions& out) { f.server.notify(0, kBroadcastAll, ImageNotify{0, 100}, out); });
    f.loop.runUntil(60'000);
    ASSERT_EQ(f.loop.count(kDevice, otacmd::QueryNextImageRequest), 1);
    for (const auto& fr : f.loop.frames())
        if (fr.from == kDevice && fr.commandId == otacmd::QueryNextImageRequest)
            EXPECT_EQ(fr.at, 10 + 4321);  // 10 ms broadcast latency
}

TEST(ZigbeeOtaUpgrade, DeterministicTrace)
{
    auto run = [] {
        Fixture f;
        auto c = clientConfig(kOld);
        c.requestTimeoutMs = 1500;
        auto& n = f.client(c);
        int k = 0;
        f.loop.drop = [&](const SentFrame&) { return ++k % 7 == 0; };
        f.query(n);
        f.loop.runUntil(3'600'000);
        QByteArray trace;
        for (const auto& fr : f.loop.frames())
            trace += QByteArray::number(fr.at) + ':' + fr.frame.toHex() + '\n';
        return trace;
    };
    EXPECT_EQ(run(), run());
}

TEST(ZigbeeOtaUpgrade, PageModeRecoversFromLostBlocks)
{
    Fixture f;
    auto c = clientConfig(kOld);
    c.usePageRequests = true;
    c.pageSize = 200;
    c.responseSpacingMs = 20;
    c.requestTimeoutMs = 1'000;
    auto& n = f.client(c);
    int k = 0;
    f.loop.drop = [&](const SentFrame& fr) { return fr.commandId == otacmd::ImageBlockResponse && ++k % 5 == 0; };
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(n.flash->contents(), f.imageBytes);
    EXPECT_GT(countEvents(n.events, OtaEventKind::RequestTimedOut), 0);
}

TEST(ZigbeeOtaUpgrade, ServerAbortStopsTheDownload)
{
    Fixture f;
    auto& n = f.client();
    f.query(n);
    f.loop.runUntil(2'000);  // a few blocks in
    ASSERT_EQ(n.client->status(), ImageUpgradeStatus::DownloadInProgress);
    OtaDevicePolicy refuse;
    refuse.authorized = false;
    f.server.setDevicePolicy(kDevice, refuse);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->status(), ImageUpgradeStatus::Normal);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kOld);
    EXPECT_TRUE(n.states.back().reason.contains("ABORT")) << n.states.back().reason.toStdString();
    EXPECT_TRUE(hasEvent(n.events, OtaEventKind::DownloadFailed, ZclStatus::Abort));
}

TEST(ZigbeeOtaUpgrade, UpgradeEndResponseLostThenWaitsAndApplies)
{
    Fixture f;
    auto c = clientConfig(kOld);
    c.requestTimeoutMs = 1'000;
    c.maxRetries = 2;
    auto& n = f.client(c);
    f.loop.drop = [&](const SentFrame& fr) { return fr.commandId == otacmd::UpgradeEndResponse; };
    f.query(n);
    f.loop.runUntil(600'000);
    EXPECT_EQ(n.client->status(), ImageUpgradeStatus::WaitingToUpgrade);
    EXPECT_EQ(f.loop.count(kDevice, otacmd::UpgradeEndRequest), 3);
    f.loop.runUntil(4 * 3'600'000);
    // One silent round already counted; two more hourly re-asks reach the limit of 3.
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_EQ(f.loop.count(kDevice, otacmd::UpgradeEndRequest), 3 + 2);
}

TEST(ZigbeeOtaUpgrade, HerdsmanDefaultsGiveAbout200BytesPerSecond)
{
    Fixture f({}, otaImage(kNew, 10'000));
    auto& n = f.client();
    f.query(n);
    f.loop.runUntil(3'600'000);
    ASSERT_EQ(n.client->attributes().currentFileVersion, kNew);
    const std::int64_t took = n.states.back().at;
    const double bytesPerSecond = f.imageBytes.size() * 1000.0 / double(took);
    // 50 B per 250 ms response delay + 2 × 10 ms harness latency: ≈ 185 B/s.
    EXPECT_GT(bytesPerSecond, 170);
    EXPECT_LT(bytesPerSecond, 200);
}

TEST(ZigbeeOtaUpgrade, AdvertisedMinimumBlockPeriodSkipsRateAdvice)
{
    OtaServerConfig sc;
    sc.waitForData.minimumBlockPeriodMs = 300;
    Fixture f(sc);
    auto c = clientConfig(kOld);
    c.sendMinimumBlockPeriod = true;
    c.minimumBlockPeriodMs = 400;
    auto& n = f.client(c);
    f.query(n);
    f.loop.runUntil(3'600'000);
    EXPECT_EQ(n.client->attributes().currentFileVersion, kNew);
    EXPECT_FALSE(hasEvent(n.events, OtaEventKind::WaitForDataReceived, ZclStatus::WaitForData));
    EXPECT_EQ(n.client->minimumBlockPeriodMs(), 400);
}
