// SPDX-License-Identifier: Apache-2.0
// TS004 v2 data block integrity as seed 004 uses it: the server's per-device MIC, the
// device's check after FEC reassembly, commit only on a match and the server's answer.
#include "core/lorawan/datablockintegrity.h"
#include "core/lorawan/fragdecoder.h"
#include "core/lorawan/fragencoder.h"

#include <gtest/gtest.h>

using namespace otalab::core::lorawan;

namespace {

QByteArray lcgImage(int size)
{
    QByteArray data(size, '\0');
    std::uint32_t x = 12345;
    for (int i = 0; i < size; ++i) {
        x = x * 1103515245u + 12345u;
        data[i] = static_cast<char>(x >> 16);
    }
    return data;
}

AesKey countingKey()
{
    AesKey k{};
    for (int i = 0; i < 16; ++i)
        k[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
    return k;
}

QByteArray hexOf(const DataBlockMic& mic)
{
    return QByteArray(reinterpret_cast<const char*>(mic.data()), 4).toHex();
}

const DataBlockSession kSession{7, 0, 0x01020304};

QByteArray decodeWithLosses(const QByteArray& image, FecVersion sent, FecVersion decodeAs)
{
    const FragEncoder enc(image, 48, sent);
    FragDecoder dec = *FragDecoder::create({enc.fragmentCount(), 48, static_cast<std::uint32_t>(enc.padding()), decodeAs});
    for (std::uint32_t n = 1; !dec.isComplete() && n <= 200; ++n)
        if (n % 5 != 2) // a fifth of the frames lost
            dec.add(n, enc.frame(n));
    EXPECT_TRUE(dec.isComplete());
    return dec.data();
}

} // namespace

// Vector computed independently (Python `cryptography`: AES-ECB for the key, CMAC for the
// MIC, B0 laid out as LBM's compute_data_block_integrity_ckeck): GenAppKey 00..0f,
// SessionCnt 7, FragIndex 0, Descriptor 0x01020304, the 1,000-byte LCG image below.
TEST(LorawanFecIntegrity, ServerMicMatchesIndependentVector)
{
    const QByteArray image = lcgImage(1000);
    EXPECT_EQ(hexOf(serverDataBlockMic(countingKey(), kSession, image)), QByteArray("bd37d21c"));
    QByteArray flipped = image;
    flipped[500] = static_cast<char>(flipped[500] ^ 1);
    EXPECT_EQ(hexOf(serverDataBlockMic(countingKey(), kSession, flipped)), QByteArray("742389f0"));
    EXPECT_EQ(formatKey(fragmentation::dataBlockIntKey(countingKey())), QStringLiteral("017a8bd9ecd102ba4bb7946d3d8707e0"));
}

// FEC-repaired image, right version: MIC matches, MicError clear, commit after the answer.
TEST(LorawanFecIntegrity, DeviceCommitsOnlyAfterMatchAndAnswer)
{
    const QByteArray image = lcgImage(1000);
    DataBlockVerifier device(countingKey(), kSession, serverDataBlockMic(countingKey(), kSession, image));
    EXPECT_FALSE(device.onAnswer({0}).has_value()); // nothing reported yet
    const auto req = device.onReassembled(decodeWithLosses(image, FecVersion::V2, FecVersion::V2));
    EXPECT_EQ(req.fragIndex, 0);
    EXPECT_FALSE(req.micError);
    EXPECT_TRUE(device.micMatches());
    EXPECT_FALSE(device.mayCommit()); // not before the server answered
    auto wrongIndex = device.onAnswer({2});
    ASSERT_FALSE(wrongIndex.has_value());
    EXPECT_EQ(wrongIndex.error().field, QStringLiteral("FragDataBlockReceivedAns.FragIndex"));
    auto ok = device.onAnswer({0});
    ASSERT_TRUE(ok.has_value());
    EXPECT_TRUE(*ok);
    EXPECT_TRUE(device.mayCommit());
}

// A v1 stream decoded as v2 rebuilds wrong bytes: only this MIC notices.
TEST(LorawanFecIntegrity, WrongVersionDecodeIsCaughtByMic)
{
    const QByteArray image = lcgImage(1000);
    const QByteArray decoded = decodeWithLosses(image, FecVersion::V1, FecVersion::V2);
    ASSERT_EQ(decoded.size(), image.size());
    ASSERT_NE(decoded, image);
    DataBlockVerifier device(countingKey(), kSession, serverDataBlockMic(countingKey(), kSession, image));
    EXPECT_TRUE(device.onReassembled(decoded).micError);
    EXPECT_FALSE(*device.onAnswer({0}));
    EXPECT_FALSE(device.mayCommit());
}

// The MIC is bound to the device's key and to the session: another device's MIC, or the
// same image announced under another SessionCnt, does not match.
TEST(LorawanFecIntegrity, MicIsPerDeviceAndPerSession)
{
    const QByteArray image = lcgImage(300);
    AesKey other = countingKey();
    other[15] ^= 0x80;
    DataBlockVerifier device(countingKey(), kSession, serverDataBlockMic(other, kSession, image));
    EXPECT_TRUE(device.onReassembled(image).micError);
    DataBlockSession replayed = kSession;
    replayed.sessionCnt = 6;
    DataBlockVerifier device2(countingKey(), kSession, serverDataBlockMic(countingKey(), replayed, image));
    EXPECT_TRUE(device2.onReassembled(image).micError);
}
