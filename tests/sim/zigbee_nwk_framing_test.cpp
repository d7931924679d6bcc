// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/apsheader.h"
#include "sim/zigbee/framebudget.h"
#include "sim/zigbee/nwkheader.h"
#include "sim/zigbee/zigbeeframe.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using namespace otalab::sim;

namespace {

// ZCL OTA ImageBlockRsp (cluster 0x0019, command 0x05) with `dataBytes` data octets:
// ZCL header 3 + status 1 + manufacturer 2 + image type 2 + file version 4 + offset 4
// + data size 1 + data.
std::vector<std::uint8_t> imageBlockRsp(std::size_t dataBytes)
{
    std::vector<std::uint8_t> zcl{0x19, 0x01, 0x05, 0x00, 0x37, 0x10, 0x01, 0x01, 0x04, 0x03, 0x02, 0x01,
                                  0x00, 0x00, 0x00, 0x00, static_cast<std::uint8_t>(dataBytes)};
    for (std::size_t i = 0; i < dataBytes; ++i)
        zcl.push_back(static_cast<std::uint8_t>(i + 1));
    return zcl;
}

} // namespace

TEST(ZigbeeNwkFraming, NwkHeaderWireBytesAndRoundTrip)
{
    NwkHeader h;
    h.dst = 0x1234;
    h.src = 0xABCD;
    h.radius = 30;
    h.sequence = 0x7F;
    std::array<std::uint8_t, 8> out{};
    ASSERT_EQ(h.encode(out), 8u);
    // FCF 0x0008: data frame, protocol version 2, discover route suppressed, no flags.
    EXPECT_EQ(out, (std::array<std::uint8_t, 8>{0x08, 0x00, 0x34, 0x12, 0xCD, 0xAB, 30, 0x7F}));

    h.discoverRoute = NwkDiscoverRoute::Enable;
    h.frameType = NwkFrameType::Command;
    ASSERT_EQ(h.encode(out), 8u);
    EXPECT_EQ(out[0], 0x49);
    const auto back = NwkHeader::decode(out);
    ASSERT_TRUE(back) << back.error().toString().toStdString();
    EXPECT_EQ(back->frameType, NwkFrameType::Command);
    EXPECT_EQ(back->discoverRoute, NwkDiscoverRoute::Enable);
    EXPECT_EQ(back->dst, 0x1234);
    EXPECT_EQ(back->src, 0xABCD);
    EXPECT_EQ(back->radius, 30);
    EXPECT_EQ(back->sequence, 0x7F);

    std::array<std::uint8_t, 7> small{};
    EXPECT_EQ(h.encode(small), 0u);
}

TEST(ZigbeeNwkFraming, NwkHeaderRejectsMalformedInput)
{
    const std::array<std::uint8_t, 8> good{0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 5, 1};
    ASSERT_TRUE(NwkHeader::decode(good));
    for (std::size_t n = 0; n < 8; ++n) {
        const auto r = NwkHeader::decode(std::span(good).first(n));
        ASSERT_FALSE(r) << n;
        EXPECT_EQ(r.error().field, QStringLiteral("nwk.header"));
        EXPECT_EQ(r.error().offset, static_cast<qint64>(n));
    }
    auto bad = good;
    bad[0] = 0x0C; // version 3
    EXPECT_EQ(NwkHeader::decode(bad).error().field, QStringLiteral("nwk.frameControl.protocolVersion"));
    bad = good;
    bad[0] = 0x0A; // frame type 2
    EXPECT_EQ(NwkHeader::decode(bad).error().field, QStringLiteral("nwk.frameControl.frameType"));
    bad = good;
    bad[1] = 0x02; // security: decoded (Real NWK security carries the aux header after it)
    ASSERT_TRUE(NwkHeader::decode(bad));
    EXPECT_TRUE(NwkHeader::decode(bad)->security);
    bad = good;
    bad[1] = 0x01; // multicast
    EXPECT_EQ(NwkHeader::decode(bad).error().field, QStringLiteral("nwk.frameControl"));
    bad = good;
    bad[1] = 0x10; // source IEEE present
    EXPECT_FALSE(NwkHeader::decode(bad));
}

TEST(ZigbeeNwkFraming, ApsHeaderWireBytesAndRoundTrip)
{
    ApsHeader h;
    h.dstEndpoint = 0x01;
    h.clusterId = 0x0019;
    h.srcEndpoint = 0x02;
    h.counter = 0x42;
    std::array<std::uint8_t, 8> out{};
    ASSERT_EQ(h.encode(out), 8u);
    EXPECT_EQ(out, (std::array<std::uint8_t, 8>{0x00, 0x01, 0x19, 0x00, 0x04, 0x01, 0x02, 0x42}));

    h.deliveryMode = ApsDeliveryMode::Broadcast;
    h.ackRequest = true;
    ASSERT_EQ(h.encode(out), 8u);
    EXPECT_EQ(out[0], 0x48);
    const auto back = ApsHeader::decode(out);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->deliveryMode, ApsDeliveryMode::Broadcast);
    EXPECT_TRUE(back->ackRequest);
    EXPECT_EQ(back->clusterId, 0x0019);
    EXPECT_EQ(back->profileId, kProfileHomeAutomation);
    EXPECT_EQ(back->srcEndpoint, 2);
    EXPECT_EQ(back->counter, 0x42);
}

TEST(ZigbeeNwkFraming, ApsHeaderRejectsMalformedInput)
{
    const std::array<std::uint8_t, 8> good{0x00, 0x01, 0x19, 0x00, 0x04, 0x01, 0x01, 0x00};
    EXPECT_EQ(ApsHeader::decode(std::span(good).first(0)).error().field, QStringLiteral("aps.frameControl"));
    for (std::size_t n = 1; n < 8; ++n)
        EXPECT_EQ(ApsHeader::decode(std::span(good).first(n)).error().field, QStringLiteral("aps.header")) << n;
    auto bad = good;
    bad[0] = 0x01; // APS command
    EXPECT_EQ(ApsHeader::decode(bad).error().field, QStringLiteral("aps.frameControl.frameType"));
    bad[0] = 0x0C; // group delivery
    EXPECT_EQ(ApsHeader::decode(bad).error().field, QStringLiteral("aps.frameControl.deliveryMode"));
    bad[0] = 0x20; // APS security
    EXPECT_EQ(ApsHeader::decode(bad).error().field, QStringLiteral("aps.frameControl"));
    bad[0] = 0x80; // extended header (fragmentation)
    EXPECT_FALSE(ApsHeader::decode(bad));
}

TEST(ZigbeeNwkFraming, WholeFrameRoundTripCarriesNoSecurityOctets)
{
    const std::vector<std::uint8_t> zcl = imageBlockRsp(4);
    NwkHeader nwk;
    nwk.dst = 0x0003;
    nwk.src = 0x0000;
    ApsHeader aps;
    aps.clusterId = 0x0019;
    for (std::size_t security : {std::size_t{0}, FrameBudget::kRealisticNwkSecurityBytes}) {
        FrameBudget budget;
        budget.nwkSecurityOverheadBytes = security;
        NwkFrameBuffer frame;
        ASSERT_TRUE(ZigbeeFrame::encode(nwk, aps, zcl, budget, frame));
        // A real unsecured frame: the security octets are airtime only (FrameBudget).
        EXPECT_EQ(frame.length, 16 + zcl.size()) << security;
        EXPECT_EQ(frame.bytes[1] & 0x02, 0) << "NWK security flag";
        const auto back = ZigbeeFrame::decode(frame.view());
        ASSERT_TRUE(back) << back.error().toString().toStdString();
        EXPECT_EQ(back->nwk.dst, 0x0003);
        EXPECT_EQ(back->aps.clusterId, 0x0019);
        EXPECT_EQ(std::vector<std::uint8_t>(back->payload.begin(), back->payload.end()), zcl);
    }
    // An APS error offset within the NWK frame.
    NwkFrameBuffer frame;
    ASSERT_TRUE(ZigbeeFrame::encode(nwk, aps, {}, FrameBudget{}, frame));
    EXPECT_TRUE(ZigbeeFrame::decode(frame.view()));
    const auto truncated = ZigbeeFrame::decode(frame.view().first(12));
    ASSERT_FALSE(truncated);
    EXPECT_EQ(truncated.error().field, QStringLiteral("aps.header"));
    EXPECT_EQ(truncated.error().offset, 12);
}

TEST(ZigbeeNwkFraming, MaxApsPayloadFromThe127BytePsdu)
{
    FrameBudget unsecured;
    EXPECT_EQ(unsecured.overheadBytes(), 27u); // MAC 11 + NWK 8 + APS 8
    EXPECT_EQ(unsecured.maxApsPayloadBytes(), 100u);
    EXPECT_TRUE(unsecured.check(100));
    const auto oversize = unsecured.check(101);
    ASSERT_FALSE(oversize);
    EXPECT_EQ(oversize.error().field, QStringLiteral("aps.payload"));
    EXPECT_TRUE(oversize.error().message.contains(QStringLiteral("at most 100")));

    FrameBudget nwkSecured;
    nwkSecured.nwkSecurityOverheadBytes = FrameBudget::kRealisticNwkSecurityBytes;
    EXPECT_EQ(nwkSecured.overheadBytes(), 45u);
    EXPECT_EQ(nwkSecured.maxApsPayloadBytes(), 82u);
    // The ImageBlockRsp with 64 data octets is 81 octets: a 126-octet PSDU with NWK
    // security — it fits, with one octet to spare; 66 data octets do not.
    EXPECT_EQ(imageBlockRsp(64).size(), 81u);
    EXPECT_EQ(nwkSecured.psduBytes(imageBlockRsp(64).size()), 126u);
    EXPECT_TRUE(nwkSecured.check(imageBlockRsp(64).size()));
    EXPECT_TRUE(nwkSecured.check(imageBlockRsp(65).size()));
    EXPECT_FALSE(nwkSecured.check(imageBlockRsp(66).size()));
    // Adding APS link-key security (aux header 5 + MIC 4) pushes the 64-octet block out.
    FrameBudget apsSecured = nwkSecured;
    apsSecured.apsSecurityOverheadBytes = 9;
    EXPECT_EQ(apsSecured.maxApsPayloadBytes(), 73u);
    EXPECT_FALSE(apsSecured.check(imageBlockRsp(64).size()));

    FrameBudget absurd;
    absurd.nwkSecurityOverheadBytes = 200;
    EXPECT_EQ(absurd.maxApsPayloadBytes(), 0u);
    EXPECT_FALSE(absurd.check(0)); // the overheads alone exceed 127 octets
}
