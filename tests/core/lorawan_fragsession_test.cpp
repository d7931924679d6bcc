// SPDX-License-Identifier: Apache-2.0
// TS004 fragmentation session commands (v1 and v2) and the port-dispatching
// parsePackageCommands: vectors from ChirpStack and LoRaMac-node, round trips, errors.
#include "core/lorawan/fragsessioncommands.h"
#include "core/lorawan/packagecommands.h"

#include <gtest/gtest.h>

namespace otalab::core::lorawan::fragmentation {
namespace {

QByteArray hex(const char* h) { return QByteArray::fromHex(h); }

template <class T>
T only(Direction dir, const QByteArray& bytes, Version v)
{
    auto cmds = parseCommands(dir, bytes, v);
    EXPECT_TRUE(cmds) << (cmds ? "" : cmds.error().toString().toStdString());
    if (!cmds || cmds->size() != 1 || !std::holds_alternative<T>(cmds->front())) {
        ADD_FAILURE() << "not exactly one " << typeid(T).name();
        return T{};
    }
    return std::get<T>(cmds->front());
}

// LoRaMac-node fuota-test-01 readme.md, port 201 downlink "02 00 19 00 28 00 05 00 00 00 00":
// a v1 FragSessionSetupReq of 25 fragments of 40 bytes, 5 bytes of padding (995 B).
TEST(LorawanFragSession, V1SetupFromLoRaMacNodeLog)
{
    const QByteArray wire = hex("0200190028000500000000");
    const auto s = only<FragSessionSetupReq>(Direction::Downlink, wire, Version::V1);
    EXPECT_EQ(s.fragIndex, 0);
    EXPECT_EQ(s.nbFrag, 25);
    EXPECT_EQ(s.fragSize, 40);
    EXPECT_EQ(s.padding, 5);
    EXPECT_EQ(s.descriptor, 0u);
    EXPECT_EQ(*encodeCommand(s, Version::V1), wire);
    // The same bytes under v2 are a truncated v2 setup (SessionCnt and MIC missing).
    auto v2 = parseCommands(Direction::Downlink, wire, Version::V2);
    ASSERT_FALSE(v2);
    EXPECT_EQ(v2.error().field, QStringLiteral("FragSessionSetupReq.SessionCnt"));
    EXPECT_EQ(v2.error().offset, 11);
}

// ChirpStack v4 lorawan crate, applayer/fragmentation v2 tests.
TEST(LorawanFragSession, V2VectorsFromChirpStack)
{
    FragSessionSetupReq s;
    s.fragIndex = 3;
    s.mcGroupBitMask = 0x1;
    s.nbFrag = 1024;
    s.fragSize = 128;
    s.blockAckDelay = 5;
    s.fragAlgo = 1;
    s.padding = 64;
    s.descriptor = 0x04030201;  // bytes 01 02 03 04
    s.sessionCnt = 128;
    s.mic = {1, 2, 3, 4};
    const QByteArray setup = hex("02310004800d4001020304800001020304");
    EXPECT_EQ(*encodeCommand(s, Version::V2), setup);
    EXPECT_EQ(only<FragSessionSetupReq>(Direction::Downlink, setup, Version::V2), s);

    FragSessionStatusAns st;
    st.notEnoughMatrixMemory = true;
    st.sessionDoesNotExist = true;
    st.nbFragReceived = 1024;
    st.fragIndex = 3;
    st.missingFrag = 128;
    EXPECT_EQ(*encodeCommand(st, Version::V2), hex("010500c480"));
    EXPECT_EQ(only<FragSessionStatusAns>(Direction::Uplink, hex("010500c480"), Version::V2), st);

    FragSessionSetupAns a;
    a.encodingUnsupported = true;
    a.notEnoughMemory = true;
    a.wrongDescriptor = true;
    a.fragIndex = 2;
    EXPECT_EQ(*encodeCommand(a, Version::V2), hex("028b"));
    EXPECT_EQ(only<FragSessionSetupAns>(Direction::Uplink, hex("028b"), Version::V2), a);
    EXPECT_EQ(*encodeCommand(FragSessionDeleteAns{3, true}, Version::V2), hex("0307"));
    EXPECT_EQ(*encodeCommand(FragDataBlockReceivedReq{2, true}, Version::V2), hex("0406"));
    EXPECT_EQ(only<FragDataBlockReceivedReq>(Direction::Uplink, hex("0406"), Version::V2), (FragDataBlockReceivedReq{2, true}));
    EXPECT_EQ(*encodeCommand(FragDataBlockReceivedAns{2}, Version::V2), hex("0402"));
    EXPECT_EQ(*encodeCommand(FragSessionStatusReq{2, true}, Version::V2), hex("0105"));
    EXPECT_EQ(*encodeCommand(PackageVersionAns{3, 2}, Version::V2), hex("000302"));
}

// brocaar/lorawan applayer/fragmentation (v1): StatusAns is ReceivedAndIndex | MissingFrag | Status.
TEST(LorawanFragSession, V1StatusAnsLayoutDiffersFromV2)
{
    FragSessionStatusAns st;
    st.fragIndex = 1;
    st.nbFragReceived = 300;
    st.missingFrag = 7;
    st.notEnoughMatrixMemory = true;
    EXPECT_EQ(*encodeCommand(st, Version::V1), hex("012c410701"));
    EXPECT_EQ(*encodeCommand(st, Version::V2), hex("01012c4107"));
    EXPECT_EQ(only<FragSessionStatusAns>(Direction::Uplink, hex("012c410701"), Version::V1), st);
    // LBM v2 answers "session does not exist" with the Status byte alone.
    const auto shortForm = only<FragSessionStatusAns>(Direction::Uplink, hex("0104"), Version::V2);
    EXPECT_TRUE(shortForm.sessionDoesNotExist);
    EXPECT_EQ(shortForm.nbFragReceived, 0);
}

TEST(LorawanFragSession, SeveralCommandsInARowAndDataFragmentLast)
{
    const std::vector<Command> down = {PackageVersionReq{}, FragSessionStatusReq{1, false}, FragSessionDeleteReq{2},
                                       DataFragment{0, 5, hex("a1a2a3")}};
    auto bytes = encodeCommands(down, Version::V1);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->toHex().toStdString(), "00" "0102" "0302" "080500a1a2a3");
    auto parsed = parseCommands(Direction::Downlink, *bytes, Version::V1);
    ASSERT_TRUE(parsed);
    ASSERT_EQ(parsed->size(), 4u);
    const auto& frag = std::get<DataFragment>(parsed->back());
    EXPECT_EQ(frag.counter, 5);
    EXPECT_EQ(frag.payload, hex("a1a2a3"));
    std::vector<Command> misplaced = {DataFragment{0, 5, hex("a1")}, PackageVersionReq{}};
    EXPECT_TRUE(encodeCommands(misplaced, Version::V1).error().message.contains(QStringLiteral("last command")));

    const std::vector<Command> up = {PackageVersionAns{3, 1}, FragSessionSetupAns{1, false, true, false, false, false},
                                     FragSessionDeleteAns{0, true}, FragSessionStatusAns{0, 16383, 255, false, false, false}};
    bytes = encodeCommands(up, Version::V1);
    ASSERT_TRUE(bytes);
    parsed = parseCommands(Direction::Uplink, *bytes, Version::V1);
    ASSERT_TRUE(parsed);
    ASSERT_EQ(parsed->size(), up.size());
    for (size_t i = 0; i < up.size(); ++i)
        EXPECT_EQ(parsed->at(i).index(), up[i].index());
    EXPECT_EQ(std::get<FragSessionStatusAns>(parsed->back()), std::get<FragSessionStatusAns>(up.back()));
}

TEST(LorawanFragSession, VersionMismatchesAreErrors)
{
    auto r = parseCommands(Direction::Uplink, hex("0406"), Version::V1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().offset, 0);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("0x04 exists only in v2")));
    EXPECT_TRUE(encodeCommand(FragDataBlockReceivedReq{}, Version::V1).error().message.contains(QStringLiteral("only in TS004 v2")));
    FragSessionSetupReq s;
    s.sessionCnt = 1;
    EXPECT_EQ(encodeCommand(s, Version::V1).error().field, QStringLiteral("FragSessionSetupReq.SessionCnt"));
    s = {};
    s.ackReception = true;
    EXPECT_EQ(encodeCommand(s, Version::V1).error().field, QStringLiteral("FragSessionSetupReq.AckReception"));
    FragSessionSetupAns a;
    a.sessionCntReplay = true;
    EXPECT_FALSE(encodeCommand(a, Version::V1));
    EXPECT_FALSE(a.ok());
    FragSessionStatusAns st;
    st.micError = true;
    EXPECT_EQ(encodeCommand(st, Version::V1).error().field, QStringLiteral("FragSessionStatusAns.MicError"));
}

TEST(LorawanFragSession, ParseAndEncodeErrors)
{
    auto r = parseCommands(Direction::Downlink, hex("0200190028"), Version::V1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("FragSessionSetupReq.Control"));
    EXPECT_EQ(r.error().offset, 5);
    r = parseCommands(Direction::Downlink, hex("0100" "08"), Version::V1);  // DataFragment without IndexAndN
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().offset, 3);
    r = parseCommands(Direction::Downlink, hex("080000aa"), Version::V1);  // N = 0 (datafragment.h refuses it)
    ASSERT_FALSE(r);
    EXPECT_GE(r.error().offset, 0);
    r = parseCommands(Direction::Uplink, hex("012c41"), Version::V1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("FragSessionStatusAns.MissingFrag"));
    EXPECT_EQ(r.error().offset, 3);
    r = parseCommands(Direction::Downlink, hex("0009"), Version::V2);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().offset, 1);

    EXPECT_EQ(encodeCommand(FragSessionStatusReq{4, false}, Version::V1).error().field, QStringLiteral("FragSessionStatusReq.FragIndex"));
    FragSessionSetupReq s;
    s.mcGroupBitMask = 0x10;
    EXPECT_EQ(encodeCommand(s, Version::V1).error().field, QStringLiteral("FragSessionSetupReq.McGroupBitMask"));
    s = {};
    s.fragAlgo = 8;
    EXPECT_EQ(encodeCommand(s, Version::V1).error().field, QStringLiteral("FragSessionSetupReq.FragAlgo"));
    s = {};
    s.blockAckDelay = 8;
    EXPECT_EQ(encodeCommand(s, Version::V1).error().field, QStringLiteral("FragSessionSetupReq.BlockAckDelay"));
    FragSessionStatusAns st;
    st.nbFragReceived = 0x4000;
    EXPECT_EQ(encodeCommand(st, Version::V1).error().field, QStringLiteral("FragSessionStatusAns.NbFragReceived"));
    EXPECT_FALSE(encodeCommand(DataFragment{0, 0, hex("aa")}, Version::V1));
}

// TS004 v2 data block MIC, against a value computed independently from the formula in
// fragsessioncommands.h (Python `cryptography` AES/CMAC, not this code): AppKey 2B7E1516...,
// SessionCnt 0x0102, FragIndex 1, Descriptor 0x04030201, data block bytes 0..39.
TEST(LorawanFragSession, DataBlockMicIndependentReading)
{
    const AesKey appKey = *parseKey(QStringLiteral("2B7E151628AED2A6ABF7158809CF4F3C"));
    const AesKey intKey = dataBlockIntKey(appKey);
    EXPECT_EQ(formatKey(intKey), QStringLiteral("7ac47c65fe259bb654bd263519f89c8e"));
    QByteArray block(40, '\0');
    for (int i = 0; i < 40; ++i)
        block[i] = char(i);
    const auto mic = dataBlockMic(intKey, 0x0102, 1, 0x04030201, block);
    EXPECT_EQ(QByteArray(reinterpret_cast<const char*>(mic.data()), 4).toHex(), QByteArray("ac37f296"));
    block[39] = char(block[39] ^ 1);
    EXPECT_NE(dataBlockMic(intKey, 0x0102, 1, 0x04030201, block), mic);
}

TEST(LorawanPackageCommands, DispatchByPortWithOffsetsOfTheFirstBadByte)
{
    auto clock = parsePackageCommands(202, Direction::Uplink, hex("011E6D3E4900"));
    ASSERT_TRUE(clock);
    ASSERT_EQ(clock->size(), 1u);
    EXPECT_EQ(portOf(clock->front()), 202);
    EXPECT_EQ(commandName(clock->front()), QStringLiteral("AppTimeReq"));
    ASSERT_NE(commandAs<clocksync::AppTimeReq>(clock->front()), nullptr);
    EXPECT_EQ(commandAs<clocksync::AppTimeReq>(clock->front())->deviceTime, 0x493e6d1eu);
    EXPECT_EQ(commandAs<multicastsetup::McGroupSetupReq>(clock->front()), nullptr);

    auto mc = parsePackageCommands(200, Direction::Downlink, hex("0300" "040032833E4907D2AD8400"));
    ASSERT_TRUE(mc);
    ASSERT_EQ(mc->size(), 2u);
    EXPECT_EQ(commandName(mc->back()), QStringLiteral("McClassCSessionReq"));
    EXPECT_EQ(encodePackageCommand(mc->back())->toHex(), QByteArray("040032833e4907d2ad8400"));

    auto frag = parsePackageCommands(201, Direction::Downlink, hex("02310004800d4001020304800001020304"), Version::V2);
    ASSERT_TRUE(frag);
    EXPECT_EQ(commandAs<FragSessionSetupReq>(frag->front())->sessionCnt, 128);
    EXPECT_EQ(portOf(frag->front()), 201);

    // The second command is cut: the error points past the last byte present.
    auto cut = parsePackageCommands(202, Direction::Downlink, hex("00" "01aabb"));
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().offset, 2);
    auto badCid = parsePackageCommands(200, Direction::Uplink, hex("0207" "7f"));
    ASSERT_FALSE(badCid);
    EXPECT_EQ(badCid.error().offset, 2);
    EXPECT_EQ(describeCommand(mc->back()), QStringLiteral("McClassCSessionReq group=0 sessionTime=1228833586 timeout=2^7s freq=869525000Hz dr=0"));
    EXPECT_EQ(describeCommand(clock->front()), QStringLiteral("AppTimeReq deviceTime=1228827934 token=0"));
    EXPECT_EQ(describeCommand(frag->front()),
              QStringLiteral("FragSessionSetupReq index=3 groups=0x1 nbFrag=1024 fragSize=128 algo=1 blockAckDelay=5 padding=64 "
                             "descriptor=04030201 sessionCnt=128 mic=01020304"));
    auto badPort = parsePackageCommands(1, Direction::Uplink, hex("00"));
    ASSERT_FALSE(badPort);
    EXPECT_EQ(badPort.error().field, QStringLiteral("FPort"));
}

} // namespace
} // namespace otalab::core::lorawan::fragmentation
