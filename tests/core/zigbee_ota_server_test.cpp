// SPDX-License-Identifier: Apache-2.0
// OtaServer alone: frames in, actions out.
#include "zigbee_ota_harness.h"

#include <gtest/gtest.h>

using namespace otalab::core::zigbee;
using namespace otalab::core::zigbee::test;

namespace {

constexpr NwkAddress kDevice = 0x2002;

QByteArray request(std::uint8_t commandId, const QByteArray& payload, std::uint8_t tsn = 9)
{
    ZclHeader h;
    h.transactionSequence = tsn;
    h.commandId = commandId;
    return encodeZclFrame(h, payload);
}

std::vector<SendFrame> sends(const OtaActions& out)
{
    std::vector<SendFrame> v;
    for (const auto& a : out)
        if (const auto* s = std::get_if<SendFrame>(&a))
            v.push_back(*s);
    return v;
}

ZclFrameView frameOf(const SendFrame& s)
{
    auto d = decodeZclFrame(s.frame);
    EXPECT_TRUE(d);
    return *d;
}

ImageBlockRequest blockReq(std::uint32_t offset, std::uint8_t max = 64)
{
    return ImageBlockRequest{0x1234, 0x0001, 0x02000000, offset, max, std::nullopt, std::nullopt};
}

} // namespace

TEST(ZigbeeOtaServer, AnswersQueryWithTheImageAndEchoesTsn)
{
    OtaServer server;
    const QByteArray file = otaImage(0x02000000);
    ASSERT_TRUE(server.addImage(shared(file)));
    OtaActions out;
    server.handle(0, kDevice, request(otacmd::QueryNextImageRequest, encodePayload(QueryNextImageRequest{0x1234, 1, 0x01000000, {}}), 77), out);
    const auto s = sends(out);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].destination, kDevice);
    const auto f = frameOf(s[0]);
    EXPECT_EQ(f.header.transactionSequence, 77);
    EXPECT_EQ(f.header.direction, ZclDirection::ServerToClient);
    EXPECT_EQ(f.header.commandId, otacmd::QueryNextImageResponse);
    auto rsp = decodeQueryImageResponse(f.payload);
    ASSERT_TRUE(rsp);
    EXPECT_EQ(*rsp, (QueryImageResponse{ZclStatus::Success, 0x1234, 1, 0x02000000, std::uint32_t(file.size())}));
}

TEST(ZigbeeOtaServer, BlockResponseIsDelayedAndCapped)
{
    OtaServerConfig c;
    c.maxBlockDataSize = 40;
    c.blockResponseDelayMs = 250;
    OtaServer server(c);
    const QByteArray file = otaImage(0x02000000);
    ASSERT_TRUE(server.addImage(shared(file)));
    OtaActions out;
    server.handle(1000, kDevice, request(otacmd::ImageBlockRequest, encodePayload(blockReq(100))), out);
    const auto s = sends(out);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].at, 1250);
    auto rsp = decodeImageBlockResponse(frameOf(s[0]).payload);
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->status, ZclStatus::Success);
    EXPECT_EQ(rsp->fileOffset, 100u);
    EXPECT_EQ(rsp->data, file.mid(100, 40));
    // The last block is short.
    out.clear();
    server.handle(2000, kDevice, request(otacmd::ImageBlockRequest, encodePayload(blockReq(std::uint32_t(file.size() - 7)))), out);
    EXPECT_EQ(decodeImageBlockResponse(frameOf(sends(out).at(0)).payload)->data.size(), 7);
    // Past the end: a status-only answer, not a crash.
    out.clear();
    server.handle(3000, kDevice, request(otacmd::ImageBlockRequest, encodePayload(blockReq(std::uint32_t(file.size())))), out);
    EXPECT_EQ(decodeImageBlockResponse(frameOf(sends(out).at(0)).payload)->status, ZclStatus::MalformedCommand);
}

TEST(ZigbeeOtaServer, ServerWideThrottleSpacesResponses)
{
    OtaServerConfig c;
    c.blockResponseDelayMs = 0;
    c.minResponseSpacingMs = 100;
    OtaServer server(c);
    ASSERT_TRUE(server.addImage(shared(otaImage(0x02000000))));
    OtaActions out;
    for (NwkAddress d : {0x3001, 0x3002, 0x3003})
        server.handle(500, d, request(otacmd::ImageBlockRequest, encodePayload(blockReq(0))), out);
    const auto s = sends(out);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].at, 500);
    EXPECT_EQ(s[1].at, 600);
    EXPECT_EQ(s[2].at, 700);
}

TEST(ZigbeeOtaServer, UnknownImageAndRefusedDevice)
{
    OtaServer server;
    ASSERT_TRUE(server.addImage(shared(otaImage(0x02000000))));
    OtaActions out;
    auto other = blockReq(0);
    other.fileVersion = 0x09000000;
    server.handle(0, kDevice, request(otacmd::ImageBlockRequest, encodePayload(other)), out);
    EXPECT_EQ(decodeImageBlockResponse(frameOf(sends(out).at(0)).payload)->status, ZclStatus::NoImageAvailable);
    OtaDevicePolicy refuse;
    refuse.authorized = false;
    server.setDevicePolicy(kDevice, refuse);
    out.clear();
    server.handle(0, kDevice, request(otacmd::ImageBlockRequest, encodePayload(blockReq(0))), out);
    EXPECT_EQ(decodeImageBlockResponse(frameOf(sends(out).at(0)).payload)->status, ZclStatus::Abort);
    out.clear();
    server.handle(0, kDevice, request(otacmd::QueryDeviceSpecificFileRequest, encodePayload(QueryDeviceSpecificFileRequest{1, 0x1234, 0xFFC0, 0, 2})), out);
    EXPECT_EQ(decodeQueryImageResponse(frameOf(sends(out).at(0)).payload)->status, ZclStatus::NotAuthorized);
}

TEST(ZigbeeOtaServer, MalformedAndUnsupportedFramesGetDefaultResponses)
{
    OtaServer server;
    ASSERT_TRUE(server.addImage(shared(otaImage(0x02000000))));
    OtaActions out;
    server.handle(0, kDevice, request(otacmd::ImageBlockRequest, QByteArray::fromHex("0034120100")), out);  // truncated
    auto s = sends(out);
    ASSERT_EQ(s.size(), 1u);
    auto f = frameOf(s[0]);
    EXPECT_EQ(f.header.frameType, ZclFrameType::Global);
    EXPECT_EQ(f.header.commandId, kDefaultResponseCommand);
    EXPECT_EQ(*decodeDefaultResponse(f.payload), (DefaultResponse{otacmd::ImageBlockRequest, ZclStatus::MalformedCommand}));
    EXPECT_TRUE(hasEvent([&] {
        std::vector<OtaEvent> e;
        for (const auto& a : out)
            if (const auto* ev = std::get_if<OtaEvent>(&a))
                e.push_back(*ev);
        return e;
    }(), OtaEventKind::MalformedFrame, ZclStatus::MalformedCommand));

    out.clear();
    server.handle(0, kDevice, request(0x0A, {}), out);  // no such client→server command
    EXPECT_EQ(*decodeDefaultResponse(frameOf(sends(out).at(0)).payload), (DefaultResponse{0x0A, ZclStatus::UnsupClusterCommand}));

    out.clear();
    server.handle(0, kDevice, QByteArray::fromHex("01"), out);  // header too short: nothing to answer
    EXPECT_TRUE(sends(out).empty());

    out.clear();
    server.handle(0, kDevice, encodeZclFrame(ZclHeader{ZclFrameType::Global, {}, ZclDirection::ClientToServer, false, 0, 1, 0x0B},
                                             encodePayload(DefaultResponse{0x05, ZclStatus::Success})),
                  out);
    EXPECT_TRUE(sends(out).empty());  // never answer a Default Response

    out.clear();
    server.handle(0, kDevice, request(otacmd::ImagePageRequest, encodePayload(ImagePageRequest{0x1234, 1, 0x02000000, 0, 50, 0, 10, {}})), out);
    EXPECT_EQ(decodeDefaultResponse(frameOf(sends(out).at(0)).payload)->status, ZclStatus::MalformedCommand);  // page size 0
}

TEST(ZigbeeOtaServer, UpgradeEndTimesFollowPolicy)
{
    OtaServerConfig c;
    c.utcAtZero = 1'000'000;
    OtaServer server(c);
    ASSERT_TRUE(server.addImage(shared(otaImage(0x02000000))));
    const UpgradeEndRequest done{ZclStatus::Success, 0x1234, 1, 0x02000000};
    auto ask = [&](std::int64_t now) {
        OtaActions out;
        server.handle(now, kDevice, request(otacmd::UpgradeEndRequest, encodePayload(done)), out);
        return *decodeUpgradeEndResponse(frameOf(sends(out).at(0)).payload);
    };
    auto now = ask(5'000);
    EXPECT_EQ(now.currentTime, 1'000'005u);
    EXPECT_EQ(now.upgradeTime, 1'000'005u);
    EXPECT_EQ(now.fileVersion, 0x02000000u);
    OtaDevicePolicy p;
    p.upgradeTime = {UpgradeTimePolicy::Mode::Delay, 300};
    server.setDevicePolicy(kDevice, p);
    EXPECT_EQ(ask(10'000).upgradeTime, 1'000'310u);
    p.upgradeTime = {UpgradeTimePolicy::Mode::WaitForever, 0};
    server.setDevicePolicy(kDevice, p);
    EXPECT_EQ(ask(10'000).upgradeTime, kUpgradeTimeWaitForever);
    OtaActions out;
    EXPECT_FALSE(server.releaseUpgrade(0, 0x7777, 0, out));
    ASSERT_TRUE(server.releaseUpgrade(20'000, kDevice, 60, out));
    EXPECT_EQ(decodeUpgradeEndResponse(frameOf(sends(out).at(0)).payload)->upgradeTime, 1'000'080u);
}

TEST(ZigbeeOtaServer, SilentDownloaderSessionExpires)
{
    OtaServerConfig c;
    c.sessionTimeoutMs = 150'000;
    OtaServer server(c);
    ASSERT_TRUE(server.addImage(shared(otaImage(0x02000000))));
    OtaActions out;
    server.handle(0, kDevice, request(otacmd::ImageBlockRequest, encodePayload(blockReq(0))), out);
    EXPECT_EQ(server.activeDownloads(), 1);
    const auto timer = std::find_if(out.begin(), out.end(), [](const OtaAction& a) { return std::holds_alternative<ArmTimer>(a); });
    ASSERT_NE(timer, out.end());
    EXPECT_EQ(std::get<ArmTimer>(*timer).id, OtaServer::sessionTimerId(kDevice));
    EXPECT_EQ(std::get<ArmTimer>(*timer).at, 150'000);
    out.clear();
    server.handle(100'000, kDevice, request(otacmd::ImageBlockRequest, encodePayload(blockReq(64))), out);
    out.clear();
    server.onTimer(150'000, OtaServer::sessionTimerId(kDevice), out);  // active 50 s ago: re-armed
    EXPECT_EQ(server.activeDownloads(), 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(std::get<ArmTimer>(out[0]).at, 250'000);
    out.clear();
    server.onTimer(250'000, OtaServer::sessionTimerId(kDevice), out);
    EXPECT_EQ(server.activeDownloads(), 0);
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(std::get<OtaEvent>(out[0]).kind, OtaEventKind::SessionExpired);
}

TEST(ZigbeeOtaServer, ImagesAreSharedAndValidated)
{
    OtaServer server;
    auto file = shared(otaImage(0x02000000));
    auto id = server.addImage(file);
    ASSERT_TRUE(id);
    EXPECT_EQ(file.use_count(), 2);  // the server holds a reference, not a copy
    EXPECT_FALSE(server.addImage(shared(QByteArray("not an OTA file at all, just some text that is long enough to matter"))));
    QByteArray truncated = otaImage(0x02000000);
    truncated.chop(10);
    EXPECT_FALSE(server.addImage(shared(truncated)));
    EXPECT_FALSE(server.addImage(nullptr));
    // Vendor prefix bytes before the identifier are not served.
    auto prefixed = server.addImage(shared(QByteArray("VENDOR") + otaImage(0x03000000)));
    ASSERT_TRUE(prefixed);
    EXPECT_EQ(server.image(*prefixed)->bytes(0, 4).toByteArray(), QByteArray::fromHex("1ef1ee0b"));
    server.removeImage(*id);
    EXPECT_EQ(server.image(*id), nullptr);
}

TEST(ZigbeeOtaServer, NotifyPayloadsAndBroadcast)
{
    OtaServer server;
    ASSERT_TRUE(server.addImage(shared(otaImage(0x02000000))));
    for (std::uint8_t type = 0; type <= 3; ++type) {
        auto n = server.notifyPayloadFor(0, type, 25);
        ASSERT_TRUE(n);
        OtaActions out;
        server.notify(0, kBroadcastRxOnWhenIdle, *n, out);
        const auto s = sends(out);
        ASSERT_EQ(s.size(), 1u);
        EXPECT_EQ(s[0].destination, kBroadcastRxOnWhenIdle);
        const auto f = frameOf(s[0]);
        EXPECT_TRUE(f.header.disableDefaultResponse);
        EXPECT_EQ(*decodeImageNotify(f.payload), *n);
    }
    EXPECT_FALSE(server.notifyPayloadFor(0, 4, 50));
    EXPECT_FALSE(server.notifyPayloadFor(0, 0, 0));
    EXPECT_FALSE(server.notifyPayloadFor(5, 0, 50));
}
