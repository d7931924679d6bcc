// SPDX-License-Identifier: Apache-2.0
// TS003 clock synchronization commands: wire forms from a real device log, round trips,
// errors.
#include "core/lorawan/clocksync.h"

#include <gtest/gtest.h>

namespace otalab::core::lorawan::clocksync {
namespace {

// Lora-net/LoRaMac-node src/apps/LoRaMac/fuota-test-01/readme.md: the device's port-202
// uplinks "01 1E 6D 3E 49 00" and "01 97 82 3E 49 01" (AppTimeReq, tokens 0 and 1) and
// the server's answer "01 5A 15 00 00 00" (AppTimeAns, +5466 s, token 0).
TEST(LorawanClockSync, LoRaMacNodeLogFrames)
{
    auto up = parseCommands(Direction::Uplink, QByteArray::fromHex("011E6D3E4900"));
    ASSERT_TRUE(up);
    ASSERT_EQ(up->size(), 1u);
    EXPECT_EQ(std::get<AppTimeReq>(up->front()), (AppTimeReq{0x493e6d1e, 0, false}));
    auto up2 = parseCommands(Direction::Uplink, QByteArray::fromHex("0197823E4901"));
    ASSERT_TRUE(up2);
    EXPECT_EQ(std::get<AppTimeReq>(up2->front()), (AppTimeReq{0x493e8297, 1, false}));
    auto down = parseCommands(Direction::Downlink, QByteArray::fromHex("015A15000000"));
    ASSERT_TRUE(down);
    EXPECT_EQ(std::get<AppTimeAns>(down->front()), (AppTimeAns{5466, 0}));
    EXPECT_EQ(*encodeCommand(AppTimeAns{5466, 0}), QByteArray::fromHex("015A15000000"));
    EXPECT_EQ(*encodeCommand(AppTimeReq{0x493e8297, 1, false}), QByteArray::fromHex("0197823E4901"));
}

TEST(LorawanClockSync, EveryCommandRoundTripsAndNegativeCorrections)
{
    const std::vector<Command> down = {PackageVersionReq{}, AppTimeAns{-3600, 15}, DeviceAppTimePeriodicityReq{10},
                                       ForceDeviceResyncReq{7}};
    auto bytes = encodeCommands(down);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->toHex().toStdString(), "00" "01f0f1ffff0f" "020a" "0307");
    auto parsed = parseCommands(Direction::Downlink, *bytes);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, down);

    const std::vector<Command> up = {PackageVersionAns{}, AppTimeReq{0xfffffffe, 9, true}, DeviceAppTimePeriodicityAns{true, 1234}};
    bytes = encodeCommands(up);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->toHex().toStdString(), "000101" "01feffffff19" "0201d2040000");
    parsed = parseCommands(Direction::Uplink, *bytes);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, up);
    EXPECT_EQ(periodicitySeconds(0), 128u);
    EXPECT_EQ(periodicitySeconds(10), 131072u);
    EXPECT_EQ(commandName(Command{ForceDeviceResyncReq{}}), QStringLiteral("ForceDeviceResyncReq"));
    EXPECT_EQ(directionOf(AppTimeReq{}), Direction::Uplink);
    EXPECT_EQ(directionOf(AppTimeAns{}), Direction::Downlink);
}

TEST(LorawanClockSync, RfuBitsAreIgnoredOnDecode)
{
    auto parsed = parseCommands(Direction::Uplink, QByteArray::fromHex("0101000000f3"));  // Param 1111 0011
    ASSERT_TRUE(parsed);
    EXPECT_EQ(std::get<AppTimeReq>(parsed->front()), (AppTimeReq{1, 3, true}));
    parsed = parseCommands(Direction::Downlink, QByteArray::fromHex("03ff"));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(std::get<ForceDeviceResyncReq>(parsed->front()).nbTransmissions, 7);
}

TEST(LorawanClockSync, ErrorsNameCommandFieldAndOffset)
{
    auto r = parseCommands(Direction::Uplink, QByteArray::fromHex("0101020304"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("AppTimeReq.Param"));
    EXPECT_EQ(r.error().offset, 5);
    r = parseCommands(Direction::Downlink, QByteArray::fromHex("0003"));  // ForceConf missing
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("ForceDeviceResyncReq.ForceConf"));
    EXPECT_EQ(r.error().offset, 2);
    r = parseCommands(Direction::Uplink, QByteArray::fromHex("03"));  // ForceDeviceResync is downlink only
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().offset, 0);
    EXPECT_EQ(r.error().message, QStringLiteral("0x03 is not a clock synchronization uplink command (port 202)"));
    r = parseCommands(Direction::Downlink, QByteArray::fromHex("020a" "7f"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().offset, 2);

    EXPECT_EQ(encodeCommand(AppTimeReq{0, 16, false}).error().message, QStringLiteral("is 4 bits (0..15), got 16"));
    EXPECT_EQ(encodeCommand(AppTimeAns{0, 16}).error().field, QStringLiteral("AppTimeAns.TokenAns"));
    EXPECT_EQ(encodeCommand(DeviceAppTimePeriodicityReq{16}).error().field, QStringLiteral("DeviceAppTimePeriodicityReq.Period"));
    EXPECT_EQ(encodeCommand(ForceDeviceResyncReq{8}).error().field, QStringLiteral("ForceDeviceResyncReq.NbTransmissions"));
    EXPECT_TRUE(parseCommands(Direction::Uplink, {})->empty());
}

} // namespace
} // namespace otalab::core::lorawan::clocksync
