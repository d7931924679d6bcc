// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/nwkcommand.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using namespace otalab::sim;

namespace {

std::vector<std::uint8_t> encoded(const NwkCommand& c)
{
    std::array<std::uint8_t, 80> buf{};
    const std::size_t n = c.encode(buf);
    return {buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)};
}

} // namespace

TEST(ZigbeeNwkCommand, RouteRequestBytesPerR22_3_4_1)
{
    const NwkCommand c{NwkRouteRequest{ManyToOne::WithRecords, 0x17, 0xFFFC, 0}};
    EXPECT_EQ(encoded(c), (std::vector<std::uint8_t>{0x01, 0x08, 0x17, 0xFC, 0xFF, 0x00}));
    const auto back = NwkCommand::decode(encoded(c));
    ASSERT_TRUE(back);
    const auto& r = std::get<NwkRouteRequest>(back->payload);
    EXPECT_EQ(r.manyToOne, ManyToOne::WithRecords);
    EXPECT_EQ(r.requestId, 0x17);
    EXPECT_EQ(r.dst, 0xFFFC);
}

TEST(ZigbeeNwkCommand, RouteReplyAndStatusRoundTrip)
{
    const NwkCommand rep{NwkRouteReply{5, 0x1234, 0xABCD, 21}};
    EXPECT_EQ(encoded(rep), (std::vector<std::uint8_t>{0x02, 0x00, 0x05, 0x34, 0x12, 0xCD, 0xAB, 21}));
    const auto r = NwkCommand::decode(encoded(rep));
    ASSERT_TRUE(r);
    EXPECT_EQ(std::get<NwkRouteReply>(r->payload).responder, 0xABCD);
    const NwkCommand st{NwkNetworkStatus{NwkStatusCode::SourceRouteFailure, 0x0042}};
    EXPECT_EQ(encoded(st), (std::vector<std::uint8_t>{0x03, 0x0B, 0x42, 0x00}));
    EXPECT_EQ(NwkCommand::decode(encoded(st))->id(), NwkCommandId::NetworkStatus);
}

TEST(ZigbeeNwkCommand, RouteRecordRelayList)
{
    NwkRouteRecord rec;
    rec.relayCount = 2;
    rec.relays[0] = 0x0003;
    rec.relays[1] = 0x0001;
    const auto bytes = encoded(NwkCommand{rec});
    EXPECT_EQ(bytes, (std::vector<std::uint8_t>{0x05, 0x02, 0x03, 0x00, 0x01, 0x00}));
    const auto back = NwkCommand::decode(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(std::get<NwkRouteRecord>(back->payload).relays[1], 0x0001);
}

TEST(ZigbeeNwkCommand, RefusesTruncatedUnknownAndUnmodelled)
{
    EXPECT_FALSE(NwkCommand::decode(std::vector<std::uint8_t>{0x01, 0x00, 0x01}));
    EXPECT_FALSE(NwkCommand::decode(std::vector<std::uint8_t>{0x05, 0x03, 0x01, 0x00}));
    EXPECT_FALSE(NwkCommand::decode(std::vector<std::uint8_t>{0x01, 0x20, 0x01, 0x00, 0x00, 0x00})); // dst IEEE
    const auto unknown = NwkCommand::decode(std::vector<std::uint8_t>{0x0A});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field.toStdString(), "nwk.command.id");
}

// Rejoin request / response share the one codec (Zigbee R22 3.4.6 / 3.4.7); the bytes are
// those the rejoin helper wrote before (tests/sim/zigbee_rejoin_test.cpp checks the frame).
TEST(ZigbeeNwkCommand, RejoinRequestBytesPerR22_3_4_6)
{
    const NwkCommand c{NwkRejoinRequest{}};
    EXPECT_EQ(c.id(), NwkCommandId::RejoinRequest);
    // Capability information 0x80: end device, battery, receiver off when idle, allocate address.
    EXPECT_EQ(encoded(c), (std::vector<std::uint8_t>{0x06, 0x80}));
    const auto back = NwkCommand::decode(encoded(c));
    ASSERT_TRUE(back);
    EXPECT_EQ(std::get<NwkRejoinRequest>(back->payload).capability, 0x80);
    // A router's capability (device type 1, mains, receiver on when idle, allocate address).
    const auto router = NwkCommand::decode(std::vector<std::uint8_t>{0x06, 0x8E});
    ASSERT_TRUE(router);
    EXPECT_EQ(encoded(*router), (std::vector<std::uint8_t>{0x06, 0x8E}));
}

TEST(ZigbeeNwkCommand, RejoinResponseBytesPerR22_3_4_7)
{
    const NwkCommand ok{NwkRejoinResponse{0x1A2B, NwkRejoinResponse::kStatusSuccess}};
    EXPECT_EQ(ok.id(), NwkCommandId::RejoinResponse);
    EXPECT_EQ(encoded(ok), (std::vector<std::uint8_t>{0x07, 0x2B, 0x1A, 0x00}));
    const auto back = NwkCommand::decode(encoded(ok));
    ASSERT_TRUE(back);
    const auto& r = std::get<NwkRejoinResponse>(back->payload);
    EXPECT_EQ(r.networkAddress, 0x1A2B);
    EXPECT_EQ(r.status, NwkRejoinResponse::kStatusSuccess);
    const NwkCommand full{NwkRejoinResponse{0x0010, NwkRejoinResponse::kStatusAtCapacity}};
    EXPECT_EQ(encoded(full), (std::vector<std::uint8_t>{0x07, 0x10, 0x00, 0x01}));
    EXPECT_EQ(std::get<NwkRejoinResponse>(NwkCommand::decode(encoded(full))->payload).status, 0x01);
}

TEST(ZigbeeNwkCommand, RejoinCommandsRefuseTruncationAndShortBuffers)
{
    const auto shortRequest = NwkCommand::decode(std::vector<std::uint8_t>{0x06});
    ASSERT_FALSE(shortRequest);
    EXPECT_EQ(shortRequest.error().field.toStdString(), "nwk.command.rejoinRequest");
    const auto shortResponse = NwkCommand::decode(std::vector<std::uint8_t>{0x07, 0x10, 0x00});
    ASSERT_FALSE(shortResponse);
    EXPECT_EQ(shortResponse.error().field.toStdString(), "nwk.command.rejoinResponse");
    std::array<std::uint8_t, 3> three{};
    EXPECT_EQ((NwkCommand{NwkRejoinResponse{}}.encode(three)), 0u);
    std::array<std::uint8_t, 1> one{};
    EXPECT_EQ((NwkCommand{NwkRejoinRequest{}}.encode(one)), 0u);
}
