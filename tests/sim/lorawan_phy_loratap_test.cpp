// SPDX-License-Identifier: Apache-2.0
// LoRaTap v0 pcap: the exact bytes, and Debian's tshark dissecting a LoRaWAN uplink from it
// (frame type, DevAddr, FPort) and, given the session keys, checking its MIC and decrypting it.
#include "sim/lorawan/loratapwriter.h"
#include "tshark_support.h"

#include "core/lorawan/phypayload.h"

#include <gtest/gtest.h>

#include <sstream>

namespace otalab::sim::lorawan {
namespace {

namespace lw = core::lorawan;

constexpr std::uint32_t kDevAddr = 0x26011BDA;
const char* const kNwkSKeyHex = "2B7E151628AED2A6ABF7158809CF4F3C";
const char* const kAppSKeyHex = "000102030405060708090A0B0C0D0E0F";

lw::AesKey key(const char* hex)
{
    return *lw::parseKey(QString::fromLatin1(hex));
}

// An unconfirmed uplink (MHDR 0x40), FCnt 5, FPort 10, "hello LoRa", encrypted and MIC'd by
// core/lorawan (LoRaWAN 1.0.x).
QByteArray helloUplink()
{
    lw::DataFrame frame;
    frame.mtype = lw::MType::UnconfirmedDataUp;
    frame.devAddr = kDevAddr;
    frame.fCnt = 5;
    frame.fPort = 10;
    frame.frmPayload = QByteArrayLiteral("hello LoRa");
    auto bytes = lw::encodeDataFrame(frame, {key(kNwkSKeyHex), key(kAppSKeyHex)});
    EXPECT_TRUE(bytes.has_value());
    return bytes.value_or(QByteArray());
}

std::string capture(const QByteArray& phy, LoraTapInfo info, SimTime t = SimTime::fromMicros(1'000'500))
{
    std::ostringstream out(std::ios::binary);
    LoraTapWriter writer(out);
    writer.write(t, info, phy);
    EXPECT_EQ(writer.recordsWritten(), 1u);
    return out.str();
}

TEST(LorawanPhyLoraTap, WritesPcapGlobalHeaderRecordAndLoraTapV0Header)
{
    const QByteArray phy = QByteArrayLiteral("\x40\x01\x02");
    LoraTapInfo info{868'100'000, 125'000, 7, -100.0, 5.0};
    const std::string pcap = capture(phy, info);
    ASSERT_EQ(pcap.size(), 24u + 16u + 15u + 3u);
    const auto u8 = [&](std::size_t i) { return std::uint8_t(pcap[i]); };
    EXPECT_EQ(u8(0), 0xD4); // magic, little-endian
    EXPECT_EQ(u8(20), 14);  // network 270 = 0x010E
    EXPECT_EQ(u8(21), 1);
    EXPECT_EQ(u8(24), 1);                  // ts_sec
    EXPECT_EQ(u8(28) | u8(29) << 8, 500);  // ts_usec
    EXPECT_EQ(u8(32), 18);                 // incl_len
    const std::size_t h = 40;
    const std::uint8_t expected[15] = {0, 0, 0, 15, 0x33, 0xBE, 0x27, 0xA0, 1, 7, 39, 39, 34, 20, 0x34};
    for (std::size_t i = 0; i < 15; ++i)
        EXPECT_EQ(u8(h + i), expected[i]) << "header byte " << i;
    EXPECT_EQ(u8(h + 15), 0x40);
}

TEST(LorawanPhyLoraTap, ClampsAndEncodesNegativeSnr)
{
    LoraTapInfo info{869'525'000, 500'000, 12, -150.0, -10.25};
    const std::string pcap = capture(QByteArrayLiteral("\x60"), info);
    const std::size_t h = 40;
    EXPECT_EQ(std::uint8_t(pcap[h + 8]), 4);     // 500 kHz in 125 kHz units
    EXPECT_EQ(std::uint8_t(pcap[h + 10]), 0);    // RSSI below −139 dBm clamps to 0
    EXPECT_EQ(std::int8_t(pcap[h + 13]), -41);   // −10.25 dB in quarter dB
}

TEST(LorawanPhyLoraTap, TsharkDissectsTheLorawanUplink)
{
    if (!test::tsharkAvailable())
        GTEST_SKIP() << "tshark not installed";
    const QByteArray phy = helloUplink();
    ASSERT_EQ(phy.size(), 12 + 1 + 10 + 0);
    const std::string pcap = capture(phy, LoraTapInfo{868'100'000, 125'000, 7, -100.0, 5.0});
    const std::string fields = test::tsharkRead(
        pcap, "-T fields -E separator=, -e loratap.channel.frequency -e loratap.channel.sf -e loratap.syncword "
              "-e lorawan.mhdr.mtype -e lorawan.fhdr.devaddr -e lorawan.fhdr.fcnt -e lorawan.fport");
    EXPECT_EQ(fields, "868100000,7,0x34,2,0x26011bda,5,0x0a\n");
    const std::string verbose = test::tsharkRead(pcap, "-V");
    EXPECT_NE(verbose.find("Unconfirmed Data Up"), std::string::npos) << verbose;
    EXPECT_NE(verbose.find("Device Address: 0x26011bda"), std::string::npos) << verbose;
    EXPECT_NE(verbose.find("Packet: -100 dBm"), std::string::npos) << verbose;
    EXPECT_NE(verbose.find("[unverified]"), std::string::npos) << verbose; // no keys given
}

TEST(LorawanPhyLoraTap, TsharkChecksTheMicAndDecryptsWithTheSessionKeys)
{
    if (!test::tsharkAvailable())
        GTEST_SKIP() << "tshark not installed";
    const std::string pcap = capture(helloUplink(), LoraTapInfo{868'100'000, 125'000, 7, -100.0, 5.0});
    // encryption_keys_lorawan: dev_addr in wire byte order (0x26011BDA → DA1B0126), NwkSKey,
    // AppSKey, AppEUI (unused for data frames).
    const std::string keys = std::string("-o 'uat:encryption_keys_lorawan:\"DA1B0126\",\"") + kNwkSKeyHex + "\",\""
        + kAppSKeyHex + "\",\"0000000000000000\"' ";
    const std::string verbose = test::tsharkRead(pcap, keys + "-V");
    EXPECT_NE(verbose.find("[correct]"), std::string::npos) << verbose;
    // "hello LoRa" in hex.
    EXPECT_NE(verbose.find("Decrypted Frame Payload: 68656c6c6f204c6f5261"), std::string::npos) << verbose;

    // A wrong NwkSKey: tshark reports the MIC as wrong.
    const std::string wrong = std::string("-o 'uat:encryption_keys_lorawan:\"DA1B0126\",\"")
        + "00000000000000000000000000000000" + "\",\"" + kAppSKeyHex + "\",\"0000000000000000\"' ";
    const std::string bad = test::tsharkRead(pcap, wrong + "-V");
    EXPECT_EQ(bad.find("[correct]"), std::string::npos) << bad;
}

} // namespace
} // namespace otalab::sim::lorawan
