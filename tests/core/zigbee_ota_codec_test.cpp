// SPDX-License-Identifier: Apache-2.0
// ZCL header and OTA cluster command codec: round trips, wire layouts, malformed payloads.
#include "core/zigbee/ota_commands.h"
#include "core/zigbee/zcl_frame.h"

#include <gtest/gtest.h>

using namespace otalab::core::zigbee;

namespace {

QByteArray hexBytes(const char* h) { return QByteArray::fromHex(h); }

// Every strict prefix of a valid payload that cuts a mandatory field must fail; none may crash.
template <typename Decode>
void expectTruncationsFail(const QByteArray& full, qsizetype minimum, Decode decode)
{
    for (qsizetype n = 0; n < full.size(); ++n) {
        const auto r = decode(QByteArrayView(full).first(n));
        if (n < minimum) {
            ASSERT_FALSE(r.has_value()) << "prefix " << n;
            EXPECT_FALSE(r.error().field.isEmpty());
            EXPECT_GE(r.error().offset, 0);
        }
    }
}

} // namespace

TEST(ZclFrame, HeaderBitsRoundTrip)
{
    ZclHeader h;
    h.frameType = ZclFrameType::ClusterSpecific;
    h.manufacturerCode = 0x1037;
    h.direction = ZclDirection::ServerToClient;
    h.disableDefaultResponse = true;
    h.transactionSequence = 0x42;
    h.commandId = 0x05;
    const QByteArray f = encodeZclFrame(h, hexBytes("aabb"));
    EXPECT_EQ(f, hexBytes("1d37104205aabb"));  // 0x1d = type 1 | mfr 0x04 | dir 0x08 | ddr 0x10
    auto d = decodeZclFrame(f);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->header, h);
    EXPECT_EQ(d->payloadOffset, 5);
    EXPECT_EQ(d->payload.toByteArray(), hexBytes("aabb"));
}

TEST(ZclFrame, PlainClientToServerHeader)
{
    auto d = decodeZclFrame(hexBytes("01070301"));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->header.frameType, ZclFrameType::ClusterSpecific);
    EXPECT_EQ(d->header.direction, ZclDirection::ClientToServer);
    EXPECT_FALSE(d->header.manufacturerCode);
    EXPECT_FALSE(d->header.disableDefaultResponse);
    EXPECT_EQ(d->header.transactionSequence, 7);
    EXPECT_EQ(d->header.commandId, 3);
    EXPECT_EQ(d->payload.size(), 1);
}

TEST(ZclFrame, MalformedHeadersAreErrors)
{
    EXPECT_FALSE(decodeZclFrame(QByteArray()));
    EXPECT_FALSE(decodeZclFrame(hexBytes("01")));
    EXPECT_FALSE(decodeZclFrame(hexBytes("0107")));
    auto mfr = decodeZclFrame(hexBytes("053710"));  // manufacturer specific, TSN missing after the code
    ASSERT_FALSE(mfr);
    EXPECT_EQ(mfr.error().field, "zcl.transactionSequence");
    EXPECT_EQ(mfr.error().offset, 3);
    auto reserved = decodeZclFrame(hexBytes("020100"));
    ASSERT_FALSE(reserved);
    EXPECT_EQ(reserved.error().field, "zcl.frameControl");
}

TEST(OtaCommands, ImageNotifyEveryPayloadType)
{
    for (std::uint8_t type = 0; type <= 3; ++type) {
        ImageNotify n{type, 42, 0x1234, 0x0001, 0x01020304};
        const QByteArray p = encodePayload(n);
        constexpr int kSizes[] = {2, 4, 6, 10};
        EXPECT_EQ(p.size(), kSizes[type]);
        auto d = decodeImageNotify(p);
        ASSERT_TRUE(d) << d.error().toString().toStdString();
        ImageNotify expected{type, 42, kWildcardManufacturer, kWildcardImageType, kWildcardFileVersion};
        if (type >= 1)
            expected.manufacturerCode = 0x1234;
        if (type >= 2)
            expected.imageType = 0x0001;
        if (type >= 3)
            expected.fileVersion = 0x01020304;
        EXPECT_EQ(*d, expected);
        expectTruncationsFail(p, p.size(), [](QByteArrayView v) { return decodeImageNotify(v); });
    }
    EXPECT_EQ(encodePayload(ImageNotify{3, 100, 0x1234, 0x5678, 0x11223344}), hexBytes("036434127856" "44332211"));
    auto badType = decodeImageNotify(hexBytes("0464"), 3);
    ASSERT_FALSE(badType);
    EXPECT_EQ(badType.error().field, "imageNotify.payloadType");
    EXPECT_EQ(badType.error().offset, 3);
    EXPECT_FALSE(decodeImageNotify(hexBytes("00c8")));  // jitter 200 > 100
}

TEST(OtaCommands, QueryNextImageRequestWithAndWithoutHardwareVersion)
{
    QueryNextImageRequest q{0x1234, 0x0001, 0x10000000, std::nullopt};
    EXPECT_EQ(encodePayload(q), hexBytes("00341201000000" "0010"));
    q.hardwareVersion = 0x0102;
    const QByteArray p = encodePayload(q);
    EXPECT_EQ(p, hexBytes("013412010000000010" "0201"));
    auto d = decodeQueryNextImageRequest(p);
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, q);
    expectTruncationsFail(p, p.size(), [](QByteArrayView v) { return decodeQueryNextImageRequest(v); });
}

TEST(OtaCommands, QueryImageResponseStatusSelectsFields)
{
    QueryImageResponse ok{ZclStatus::Success, 0x1234, 0x0001, 0x10000001, 4096};
    const QByteArray p = encodePayload(ok);
    EXPECT_EQ(p, hexBytes("00" "3412" "0100" "01000010" "00100000"));
    auto d = decodeQueryImageResponse(p);
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, ok);
    expectTruncationsFail(p, p.size(), [](QByteArrayView v) { return decodeQueryImageResponse(v); });
    for (ZclStatus s : {ZclStatus::NoImageAvailable, ZclStatus::NotAuthorized}) {
        const QByteArray one = encodePayload(QueryImageResponse{s, 1, 2, 3, 4});
        EXPECT_EQ(one.size(), 1);
        auto e = decodeQueryImageResponse(one);
        ASSERT_TRUE(e);
        EXPECT_EQ(e->status, s);
        EXPECT_EQ(e->imageSize, 0u);
    }
}

TEST(OtaCommands, ImageBlockRequestOptionalFields)
{
    ImageBlockRequest r{0x1234, 0x0001, 0x10000001, 0x200, 48, std::nullopt, std::nullopt};
    EXPECT_EQ(encodePayload(r).size(), 14);
    r.requestNodeAddress = 0x0011223344556677;
    r.minimumBlockPeriod = 250;
    const QByteArray p = encodePayload(r);
    EXPECT_EQ(p, hexBytes("03" "3412" "0100" "01000010" "00020000" "30" "7766554433221100" "fa00"));
    auto d = decodeImageBlockRequest(p);
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, r);
    expectTruncationsFail(p, p.size(), [](QByteArrayView v) { return decodeImageBlockRequest(v); });
    // Only the MinimumBlockPeriod bit: the period directly follows the maximum data size.
    ImageBlockRequest m{1, 2, 3, 4, 5, std::nullopt, 7};
    EXPECT_EQ(encodePayload(m).mid(14), hexBytes("0700"));
    EXPECT_EQ(*decodeImageBlockRequest(encodePayload(m)), m);
}

TEST(OtaCommands, ImagePageRequestRoundTrip)
{
    ImagePageRequest r{0x1234, 0x0001, 0x10000001, 100, 64, 1024, 50, 0x8877665544332211};
    const QByteArray p = encodePayload(r);
    EXPECT_EQ(p.size(), 18 + 8);
    EXPECT_EQ(p.mid(14, 4), hexBytes("00043200"));
    auto d = decodeImagePageRequest(p);
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, r);
    expectTruncationsFail(p, p.size(), [](QByteArrayView v) { return decodeImagePageRequest(v); });
}

TEST(OtaCommands, ImageBlockResponseSuccessWaitAbort)
{
    ImageBlockResponse ok;
    ok.manufacturerCode = 0x1234;
    ok.imageType = 1;
    ok.fileVersion = 0x10000001;
    ok.fileOffset = 40;
    ok.data = hexBytes("0102030405");
    const QByteArray p = encodePayload(ok);
    EXPECT_EQ(p, hexBytes("00" "3412" "0100" "01000010" "28000000" "05" "0102030405"));
    EXPECT_EQ(*decodeImageBlockResponse(p), ok);
    expectTruncationsFail(p, p.size(), [](QByteArrayView v) { return decodeImageBlockResponse(v); });
    // Data size larger than what follows.
    QByteArray lying = p;
    lying[13] = char(9);
    auto e = decodeImageBlockResponse(lying, 3);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().field, "imageBlockResponse.data");
    EXPECT_EQ(e.error().offset, 3 + 14);

    ImageBlockResponse wait;
    wait.status = ZclStatus::WaitForData;
    wait.currentTime = 1000;
    wait.requestTime = 1030;
    wait.minimumBlockPeriod = 500;
    const QByteArray w = encodePayload(wait);
    EXPECT_EQ(w, hexBytes("97" "e8030000" "06040000" "f401"));
    EXPECT_EQ(*decodeImageBlockResponse(w), wait);
    expectTruncationsFail(w, 9, [](QByteArrayView v) { return decodeImageBlockResponse(v); });
    EXPECT_FALSE(decodeImageBlockResponse(w.first(10)));  // half a MinimumBlockPeriod
    auto old = decodeImageBlockResponse(w.first(9));       // pre-revision-3 sender
    ASSERT_TRUE(old);
    EXPECT_FALSE(old->minimumBlockPeriod);

    ImageBlockResponse abort;
    abort.status = ZclStatus::Abort;
    abort.data = "ignored";
    EXPECT_EQ(encodePayload(abort), hexBytes("95"));
    EXPECT_EQ(decodeImageBlockResponse(hexBytes("95"))->status, ZclStatus::Abort);
}

TEST(OtaCommands, UpgradeEndRequestAndResponse)
{
    UpgradeEndRequest req{ZclStatus::InvalidImage, 0x1234, 1, 0x10000001};
    const QByteArray p = encodePayload(req);
    EXPECT_EQ(p, hexBytes("96" "3412" "0100" "01000010"));
    EXPECT_EQ(*decodeUpgradeEndRequest(p), req);
    expectTruncationsFail(p, p.size(), [](QByteArrayView v) { return decodeUpgradeEndRequest(v); });

    UpgradeEndResponse rsp{0x1234, 1, 0x10000001, 100, kUpgradeTimeWaitForever};
    const QByteArray r = encodePayload(rsp);
    EXPECT_EQ(r, hexBytes("3412" "0100" "01000010" "64000000" "ffffffff"));  // no status byte
    EXPECT_EQ(*decodeUpgradeEndResponse(r), rsp);
    expectTruncationsFail(r, r.size(), [](QByteArrayView v) { return decodeUpgradeEndResponse(v); });
}

TEST(OtaCommands, QueryDeviceSpecificFileAndDefaultResponse)
{
    QueryDeviceSpecificFileRequest q{0x0011223344556677, 0x1234, 0xFFC0, 0x00000001, 0x0002};
    const QByteArray p = encodePayload(q);
    EXPECT_EQ(p, hexBytes("7766554433221100" "3412" "c0ff" "01000000" "0200"));
    EXPECT_EQ(*decodeQueryDeviceSpecificFileRequest(p), q);
    expectTruncationsFail(p, p.size(), [](QByteArrayView v) { return decodeQueryDeviceSpecificFileRequest(v); });

    DefaultResponse d{otacmd::UpgradeEndRequest, ZclStatus::Success};
    EXPECT_EQ(encodePayload(d), hexBytes("0600"));
    EXPECT_EQ(*decodeDefaultResponse(hexBytes("0381")), (DefaultResponse{3, ZclStatus::UnsupClusterCommand}));
    EXPECT_FALSE(decodeDefaultResponse(hexBytes("06")));
}

TEST(OtaCommands, TrailingBytesAreIgnored)
{
    QByteArray p = encodePayload(UpgradeEndRequest{ZclStatus::Success, 1, 2, 3});
    p.append("\x01\x02", 2);
    EXPECT_TRUE(decodeUpgradeEndRequest(p));
}

TEST(OtaCommands, StatusValuesAndNames)
{
    EXPECT_EQ(std::uint8_t(ZclStatus::NotAuthorized), 0x7E);
    EXPECT_EQ(std::uint8_t(ZclStatus::MalformedCommand), 0x80);
    EXPECT_EQ(std::uint8_t(ZclStatus::UnsupClusterCommand), 0x81);
    EXPECT_EQ(std::uint8_t(ZclStatus::Abort), 0x95);
    EXPECT_EQ(std::uint8_t(ZclStatus::InvalidImage), 0x96);
    EXPECT_EQ(std::uint8_t(ZclStatus::WaitForData), 0x97);
    EXPECT_EQ(std::uint8_t(ZclStatus::NoImageAvailable), 0x98);
    EXPECT_EQ(std::uint8_t(ZclStatus::RequireMoreImage), 0x99);
    EXPECT_EQ(zclStatusName(ZclStatus::WaitForData), "WAIT_FOR_DATA");
    EXPECT_EQ(zclStatusName(ZclStatus(0x42)), "0x42");
    EXPECT_EQ(otaCommandName(otacmd::ImagePageRequest), "ImagePageRequest");
}

TEST(OtaCommands, MinimumBlockPeriodUnitDependsOnRevision)
{
    EXPECT_EQ(minimumBlockPeriodMs(5, 1), 5);
    EXPECT_EQ(minimumBlockPeriodMs(5, 2), 5000);
    EXPECT_EQ(minimumBlockPeriodMs(5, 3), 5);
    EXPECT_EQ(minimumBlockPeriodWire(1500, 2), 2);  // rounds seconds up
    EXPECT_EQ(minimumBlockPeriodWire(1500, 3), 1500);
    EXPECT_EQ(minimumBlockPeriodWire(100'000, 3), 0xFFFF);
}

TEST(OtaCommands, ArbitraryBytesNeverCrashAnyDecoder)
{
    std::uint32_t x = 12345;
    for (int i = 0; i < 3000; ++i) {
        QByteArray b;
        const int n = int(x % 40);
        for (int k = 0; k < n; ++k) {
            x = x * 1103515245 + 12345;
            b.append(char(x >> 16));
        }
        x = x * 1103515245 + 12345;
        (void)decodeZclFrame(b);
        (void)decodeImageNotify(b);
        (void)decodeQueryNextImageRequest(b);
        (void)decodeQueryImageResponse(b);
        (void)decodeImageBlockRequest(b);
        (void)decodeImagePageRequest(b);
        (void)decodeImageBlockResponse(b);
        (void)decodeUpgradeEndRequest(b);
        (void)decodeUpgradeEndResponse(b);
        (void)decodeQueryDeviceSpecificFileRequest(b);
        (void)decodeDefaultResponse(b);
    }
    SUCCEED();
}
