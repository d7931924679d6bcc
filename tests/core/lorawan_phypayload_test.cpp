// SPDX-License-Identifier: Apache-2.0
// LoRaWAN 1.0.x data frames: known answers, round trips, counters, every parse error.
#include "core/lorawan/phypayload.h"

#include <gtest/gtest.h>

namespace otalab::core::lorawan {
namespace {

AesKey filled(std::uint8_t v)
{
    AesKey k;
    k.fill(v);
    return k;
}

AesKey counting(std::uint8_t from, int step)
{
    AesKey k;
    for (int i = 0; i < 16; ++i)
        k[size_t(i)] = std::uint8_t(from + step * i);
    return k;
}

QByteArray hex(const char* h) { return QByteArray::fromHex(h); }

// Known answer 1: brocaar/lorawan phypayload_test.go TestPHYPayloadData (used by ChirpStack
// v3): base64 "QAQDAgGAAQABppRkJhXWw7WC", an UnconfirmedDataUp from DevAddr 01020304 with
// ADR, FCnt 1, FPort 1, FRMPayload "hello"; NwkSKey 02×16, AppSKey 01×16.
const char* const kBrocaarHello = "40040302018001000"
                                  "1a694642615d6c3b582";

TEST(LorawanPhyPayload, KnownAnswerBrocaarUplinkParsesVerifiesAndDecrypts)
{
    const QByteArray phy = QByteArray::fromBase64("QAQDAgGAAQABppRkJhXWw7WC");
    ASSERT_EQ(phy, hex(kBrocaarHello));
    auto f = parseDataFrame(phy);
    ASSERT_TRUE(f) << f.error().toString().toStdString();
    EXPECT_EQ(f->mtype, MType::UnconfirmedDataUp);
    EXPECT_EQ(f->devAddr, 0x01020304u);
    EXPECT_TRUE(f->fctrl.adr);
    EXPECT_EQ(f->fCnt, 1u);
    EXPECT_EQ(f->fPort, std::uint8_t(1));
    const SessionKeys keys{filled(2), filled(1)};
    EXPECT_TRUE(verifyMic(phy, *f, keys.nwkSKey, 1));
    EXPECT_EQ(decryptPayload(*f, keys, 1), QByteArray("hello"));

    DataFrame plain = *f;
    plain.frmPayload = "hello";
    auto again = encodeDataFrame(plain, keys);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, phy);
}

// Known answer 2: brocaar/lorawan phypayload_test.go ExampleNewPHYPayload: ConfirmedDataUp,
// DevAddr 01020304, FCnt 0, FPort 10, payload 01 02 03 04, NwkSKey 01..10, AppSKey 10..01
// → [128 4 3 2 1 0 0 0 10 226 100 212 247 181 106 14 117].
TEST(LorawanPhyPayload, KnownAnswerBrocaarConfirmedUplinkEncodes)
{
    DataFrame f;
    f.mtype = MType::ConfirmedDataUp;
    f.devAddr = 0x01020304;
    f.fCnt = 0;
    f.fPort = 10;
    f.frmPayload = hex("01020304");
    auto bytes = encodeDataFrame(f, SessionKeys{counting(1, 1), counting(16, -1)});
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->toHex(), QByteArray("80040302010000000ae264d4f7b56a0e75"));
}

// Known answers 3-5: anthonykirby/lora-packet __tests__/mic_test.ts and decrypt_test.ts.
// NwkSKey 44024241..., AppSKey ec925802..., DevAddr 49BE7DF1.
TEST(LorawanPhyPayload, KnownAnswerLoraPacketDownlinkAckMic)
{
    // UnconfirmedDataDown, ACK, FCnt 2, FPort 1, empty FRMPayload, MIC f9d65d27.
    const QByteArray phy = hex("60f17dbe4920020001f9d65d27");
    auto f = parseDataFrame(phy);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->direction(), Direction::Downlink);
    EXPECT_TRUE(f->fctrl.ack);
    EXPECT_EQ(f->devAddr, 0x49be7df1u);
    EXPECT_EQ(f->fPort, std::uint8_t(1));
    EXPECT_TRUE(f->frmPayload.isEmpty());
    const AesKey nwk = *parseKey(QStringLiteral("44024241ed4ce9a68c6a8bc055233fd3"));
    EXPECT_TRUE(verifyMic(phy, *f, nwk, 2));
    auto again = encodeDataFrame(*f, SessionKeys{nwk, {}});
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, phy);
}

TEST(LorawanPhyPayload, KnownAnswerLoraPacketUplinks)
{
    const SessionKeys keys{*parseKey(QStringLiteral("44024241ed4ce9a68c6a8bc055233fd3")),
                           *parseKey(QStringLiteral("ec925802ae430ca77fd3dd73cb2cc588"))};
    const QByteArray test = hex("40F17DBE4900020001954378762B11FF0D");  // "test", FCnt 2, MIC 2b11ff0d
    auto opened = openDataFrame(test, keys, 1u);
    ASSERT_TRUE(opened) << opened.error().toString().toStdString();
    EXPECT_EQ(opened->frmPayload, QByteArray("test"));
    // 44 bytes: three A_i blocks, the last one partial.
    const QByteArray fox = hex("40f17dbe490004000155332de41a11adc072553544429ce7787707d1c316e027e7e5e334263376affb8aa17ad3"
                               "0075293f28dea8a20af3c5e7");
    auto f = parseDataFrame(fox);
    ASSERT_TRUE(f);
    EXPECT_EQ(decryptPayload(*f, keys, 4), QByteArray("The quick brown fox jumps over the lazy dog."));
}

SessionKeys someKeys() { return SessionKeys{counting(0x10, 3), counting(0x80, 5)}; }

TEST(LorawanPhyPayload, RoundTripDownlinkWithFOptsAndLongPayloadAndHighCounter)
{
    DataFrame f;
    f.mtype = MType::ConfirmedDataDown;
    f.devAddr = 0x26011bda;
    f.fctrl.adr = true;
    f.fctrl.ack = true;
    f.fctrl.fPending = true;
    f.fCnt = 0x0003fffe;  // above 16 bits: only the low half goes on the air
    f.fOpts = hex("0203");
    f.fPort = 201;
    f.frmPayload = QByteArray(50, 'x');  // four A_i blocks
    const SessionKeys keys = someKeys();
    auto bytes = encodeDataFrame(f, keys);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->size(), 1 + 7 + 2 + 1 + 50 + 4);
    EXPECT_EQ(bytes->mid(1, 4), hex("da1b0126"));  // DevAddr little-endian
    EXPECT_EQ(bytes->mid(6, 2), hex("feff"));      // FCnt low 16 bits

    auto opened = openDataFrame(*bytes, keys, 0x0003fff0u, 0x26011bdau);
    ASSERT_TRUE(opened) << opened.error().toString().toStdString();
    EXPECT_EQ(opened->fCnt, 0x0003fffeu);
    EXPECT_EQ(opened->frmPayload, f.frmPayload);
    EXPECT_EQ(opened->fOpts, f.fOpts);
    EXPECT_EQ(opened->fctrl, f.fctrl);
    EXPECT_EQ(opened->mtype, f.mtype);
}

TEST(LorawanPhyPayload, FPortZeroUsesNwkSKeyAndFramesWithoutPortHaveNoPayload)
{
    const SessionKeys keys = someKeys();
    DataFrame mac;
    mac.mtype = MType::UnconfirmedDataUp;
    mac.devAddr = 7;
    mac.fctrl.classB = true;
    mac.fctrl.adrAckReq = true;
    mac.fPort = 0;
    mac.frmPayload = hex("0602");
    auto bytes = encodeDataFrame(mac, keys);
    ASSERT_TRUE(bytes);
    auto parsed = parseDataFrame(*bytes);
    ASSERT_TRUE(parsed);
    EXPECT_TRUE(parsed->fctrl.classB);
    EXPECT_TRUE(parsed->fctrl.adrAckReq);
    EXPECT_EQ(decryptPayload(*parsed, keys, 0), mac.frmPayload);
    EXPECT_EQ(cryptFrmPayload(keys.nwkSKey, Direction::Uplink, 7, 0, parsed->frmPayload), mac.frmPayload);
    EXPECT_NE(cryptFrmPayload(keys.appSKey, Direction::Uplink, 7, 0, parsed->frmPayload), mac.frmPayload);

    DataFrame empty;
    empty.mtype = MType::UnconfirmedDataDown;
    empty.devAddr = 7;
    empty.fctrl.ack = true;
    bytes = encodeDataFrame(empty, keys);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->size(), kMinDataFrameSize);
    parsed = parseDataFrame(*bytes);
    ASSERT_TRUE(parsed);
    EXPECT_FALSE(parsed->fPort);
    EXPECT_TRUE(decryptPayload(*parsed, keys, 0).isEmpty());

    DataFrame portOnly = empty;  // FPort present, empty FRMPayload
    portOnly.fPort = 5;
    bytes = encodeDataFrame(portOnly, keys);
    ASSERT_TRUE(bytes);
    parsed = parseDataFrame(*bytes);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->fPort, std::uint8_t(5));
    EXPECT_TRUE(parsed->frmPayload.isEmpty());
}

TEST(LorawanPhyPayload, DirectionAndCounterAndAddressEnterTheMic)
{
    const SessionKeys keys = someKeys();
    DataFrame f;
    f.mtype = MType::UnconfirmedDataUp;
    f.devAddr = 0x11223344;
    f.fCnt = 0x10005;
    f.fPort = 2;
    f.frmPayload = "abc";
    auto bytes = encodeDataFrame(f, keys);
    ASSERT_TRUE(bytes);
    auto parsed = parseDataFrame(*bytes);
    ASSERT_TRUE(parsed);
    EXPECT_TRUE(verifyMic(*bytes, *parsed, keys.nwkSKey, 0x10005));
    auto wrongCounter = verifyMic(*bytes, *parsed, keys.nwkSKey, 0x5);  // the 16 wire bits alone
    ASSERT_FALSE(wrongCounter);
    EXPECT_TRUE(wrongCounter.error().message.startsWith(QStringLiteral("MIC mismatch: frame has")));
    EXPECT_EQ(wrongCounter.error().offset, bytes->size() - 4);
    EXPECT_FALSE(verifyMic(*bytes, *parsed, keys.appSKey, 0x10005));
    const auto up = computeMic(keys.nwkSKey, Direction::Uplink, 1, 1, "m");
    EXPECT_NE(up, computeMic(keys.nwkSKey, Direction::Downlink, 1, 1, "m"));
    EXPECT_NE(up, computeMic(keys.nwkSKey, Direction::Uplink, 2, 1, "m"));
    QByteArray flipped = *bytes;
    flipped[9] = char(flipped[9] ^ 1);
    EXPECT_FALSE(verifyMic(flipped, *parsed, keys.nwkSKey, 0x10005));
}

TEST(LorawanPhyPayload, CounterReconstructionAndReplay)
{
    EXPECT_EQ(reconstructFCnt(7, std::nullopt), 7u);
    EXPECT_EQ(reconstructFCnt(8, 7u), 8u);
    EXPECT_EQ(reconstructFCnt(2, 0xfffeu), 0x10002u);          // 16-bit rollover
    EXPECT_EQ(reconstructFCnt(0x0001, 0x1fff0u), 0x20001u);
    EXPECT_EQ(reconstructFCnt(16383, 0u), 16383u);             // just inside MAX_FCNT_GAP

    auto same = reconstructFCnt(7, 7u);
    ASSERT_FALSE(same);
    EXPECT_EQ(same.error().message, QStringLiteral("counter replay: got 7, last 7"));
    auto older = reconstructFCnt(5, 0x10007u);
    ASSERT_FALSE(older);
    EXPECT_EQ(older.error().message, QStringLiteral("counter replay: got 65541, last 65543"));
    EXPECT_EQ(older.error().field, QStringLiteral("FHDR.FCnt"));
    auto jump = reconstructFCnt(40000, 5u);
    ASSERT_FALSE(jump);
    EXPECT_TRUE(jump.error().message.startsWith(QStringLiteral("counter gap too large: got 40000, last 5")));
    auto exhausted = reconstructFCnt(3, 0xfffffffeu);
    ASSERT_FALSE(exhausted);
    EXPECT_TRUE(exhausted.error().message.contains(QStringLiteral("exhausted")));

    // openDataFrame refuses a replayed frame and a frame for another device.
    const SessionKeys keys = someKeys();
    DataFrame f;
    f.mtype = MType::UnconfirmedDataDown;
    f.devAddr = 0xfffffffe;
    f.fCnt = 10;
    f.fPort = 201;
    f.frmPayload = "frag";
    auto bytes = encodeDataFrame(f, keys);
    ASSERT_TRUE(bytes);
    EXPECT_TRUE(openDataFrame(*bytes, keys, 9u));
    auto replay = openDataFrame(*bytes, keys, 10u);
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().message, QStringLiteral("counter replay: got 10, last 10"));
    auto other = openDataFrame(*bytes, keys, 9u, 0x01020304u);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().message, QStringLiteral("frame is for DevAddr fffffffe, this session is 01020304"));
}

void expectParseError(const QByteArray& phy, qint64 offset, const QString& field, const QString& fragment)
{
    auto r = parseDataFrame(phy);
    ASSERT_FALSE(r) << phy.toHex().toStdString();
    EXPECT_EQ(r.error().offset, offset) << r.error().toString().toStdString();
    EXPECT_EQ(r.error().field, field) << r.error().toString().toStdString();
    EXPECT_TRUE(r.error().message.contains(fragment)) << r.error().toString().toStdString();
}

TEST(LorawanPhyPayload, EveryMalformedFrameHasItsOwnError)
{
    expectParseError(hex("4004030201"), 5, QStringLiteral("PHYPayload"), QStringLiteral("too short"));
    expectParseError(hex("41040302018001000100000000"), 0, QStringLiteral("MHDR.Major"), QStringLiteral("major version 1"));
    expectParseError(hex("44040302018001000100000000"), 0, QStringLiteral("MHDR.RFU"), QStringLiteral("RFU"));
    expectParseError(hex("00040302018001000100000000"), 0, QStringLiteral("MHDR.MType"), QStringLiteral("JoinRequest is not a data frame"));
    expectParseError(hex("e0040302018001000100000000"), 0, QStringLiteral("MHDR.MType"), QStringLiteral("Proprietary"));
    // FOptsLen 5 but only 1 byte before the MIC.
    expectParseError(hex("4004030201850100aa00000000"), 5, QStringLiteral("FHDR.FCtrl.FOptsLen"), QStringLiteral("FOptsLen 5 runs past the MIC"));
    // FOptsLen 1, then FPort 0.
    expectParseError(hex("4004030201810100aa0000000000"), 9, QStringLiteral("FPort"), QStringLiteral("FPort 0"));
    // Downlink with FCtrl bit 6 (RFU) set.
    expectParseError(hex("6004030201400100000000"
                         "00"),
                     5, QStringLiteral("FHDR.FCtrl"), QStringLiteral("RFU on downlinks"));
}

TEST(LorawanPhyPayload, EncodeRefusesInconsistentFrames)
{
    const SessionKeys keys = someKeys();
    DataFrame f;
    f.mtype = MType::UnconfirmedDataDown;
    f.fOpts = QByteArray(16, 'o');
    EXPECT_EQ(encodeDataFrame(f, keys).error().field, QStringLiteral("FHDR.FOpts"));
    f.fOpts = "o";
    f.fPort = 0;
    EXPECT_EQ(encodeDataFrame(f, keys).error().field, QStringLiteral("FPort"));
    f.fOpts.clear();
    f.fPort.reset();
    f.frmPayload = "p";
    EXPECT_EQ(encodeDataFrame(f, keys).error().field, QStringLiteral("FPort"));
    f.frmPayload.clear();
    f.fctrl.classB = true;
    EXPECT_EQ(encodeDataFrame(f, keys).error().field, QStringLiteral("FHDR.FCtrl"));
    f.fctrl = {};
    f.mtype = MType::UnconfirmedDataUp;
    f.fctrl.fPending = true;
    EXPECT_EQ(encodeDataFrame(f, keys).error().field, QStringLiteral("FHDR.FCtrl"));
    f.fctrl = {};
    f.mtype = MType::JoinAccept;
    EXPECT_EQ(encodeDataFrame(f, keys).error().field, QStringLiteral("MHDR.MType"));
    f.mtype = MType::UnconfirmedDataUp;
    f.major = 1;
    EXPECT_EQ(encodeDataFrame(f, keys).error().field, QStringLiteral("MHDR.Major"));
}

TEST(LorawanKeys, HexFormsAndAesCmacKnownAnswer)
{
    // RFC 4493 §4 example 2: K = 2b7e1516..., M = 6bc1bee2 2e409f96 e93d7e11 7393172a.
    auto k = parseKey(QStringLiteral("2B7E151628AED2A6ABF7158809CF4F3C"));
    ASSERT_TRUE(k);
    EXPECT_EQ(formatKey(*k), QStringLiteral("2b7e151628aed2a6abf7158809cf4f3c"));
    const AesBlock tag = aesCmac(*k, hex("6bc1bee22e409f96e93d7e117393172a"));
    EXPECT_EQ(QByteArray(reinterpret_cast<const char*>(tag.data()), 16).toHex(), QByteArray("070a16b46b4d4144f79bdd9dd04a287c"));
    const AesBlock empty = aesCmac(*k, {});  // RFC 4493 example 1
    EXPECT_EQ(QByteArray(reinterpret_cast<const char*>(empty.data()), 16).toHex(), QByteArray("bb1d6929e95937287fa37d129b756746"));
    // FIPS-197 appendix B: AES-128(2b7e..., 3243f6a8 885a308d 313198a2 e0370734) = 3925841d ...
    AesBlock in{};
    const QByteArray plain = hex("3243f6a8885a308d313198a2e0370734");
    std::copy(plain.begin(), plain.end(), in.begin());
    const AesBlock enc = aes128Encrypt(*k, in);
    EXPECT_EQ(QByteArray(reinterpret_cast<const char*>(enc.data()), 16).toHex(), QByteArray("3925841d02dc09fbdc118597196a0b32"));
    EXPECT_EQ(aes128Decrypt(*k, enc), in);

    EXPECT_EQ(parseKey(QStringLiteral("2b7e")).error().message, QStringLiteral("an AES-128 key is 32 hex digits, got 4 characters"));
    EXPECT_TRUE(parseKey(QStringLiteral("2b7e151628aed2a6abf7158809cf4f3g")).error().message.contains(QStringLiteral("character 31")));
    EXPECT_EQ(parseDevAddr(QStringLiteral("26011BDA")), 0x26011bdau);
    EXPECT_EQ(parseDevAddr(QStringLiteral("0x26011bda")), 0x26011bdau);
    EXPECT_EQ(formatDevAddr(0x00d13a6b), QStringLiteral("00d13a6b"));
    EXPECT_FALSE(parseDevAddr(QStringLiteral("26011BD")));
    EXPECT_FALSE(parseDevAddr(QStringLiteral("26011BDZ")));
    EXPECT_FALSE(keyFromBytes(QByteArray(15, 'k')));
    EXPECT_EQ(keyBytes(*keyFromBytes(QByteArray(16, 'k'))), QByteArray(16, 'k'));
}

} // namespace
} // namespace otalab::core::lorawan
