// SPDX-License-Identifier: Apache-2.0
// An independent reading of our frames: Wireshark's LoRaWAN dissector (Debian's tshark)
// checks the MIC and decrypts the FRMPayload of unicast uplinks and downlinks and of a
// multicast downlink sent with the TS005-derived keys. Skipped when tshark is absent.
#include "core/lorawan/multicastsetup.h"
#include "core/lorawan/phypayload.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace otalab::core::lorawan {
namespace {

// pcap, linktype 270 (LoRaTap v0, 15-byte header: EU868 869.525 MHz, BW125, SF12).
QByteArray loraTapPcap(const std::vector<QByteArray>& frames)
{
    QByteArray out;
    auto le32 = [&](std::uint32_t v) { for (int i = 0; i < 4; ++i) out.append(char(v >> (8 * i))); };
    auto le16 = [&](std::uint16_t v) { out.append(char(v)); out.append(char(v >> 8)); };
    le32(0xa1b2c3d4);
    le16(2);
    le16(4);
    le32(0);
    le32(0);
    le32(65535);
    le32(270);
    std::uint32_t second = 0;
    for (const QByteArray& phy : frames) {
        const QByteArray tap = QByteArray::fromHex("0000000f" "33d3e608" "010c" "808080" "20" "34");
        le32(second++);
        le32(0);
        le32(std::uint32_t(tap.size() + phy.size()));
        le32(std::uint32_t(tap.size() + phy.size()));
        out += tap + phy;
    }
    return out;
}

// The dissector's key table wants DevAddr in wire byte order (0x26011BDA → "DA1B0126").
QString keyRecord(std::uint32_t devAddr, const SessionKeys& keys)
{
    QByteArray addr(4, '\0');
    for (int i = 0; i < 4; ++i)
        addr[i] = char(devAddr >> (8 * i));
    return QStringLiteral("uat:encryption_keys_lorawan:\"%1\",\"%2\",\"%3\",\"0000000000000000\"")
        .arg(QString::fromLatin1(addr.toHex().toUpper()), formatKey(keys.nwkSKey), formatKey(keys.appSKey));
}

TEST(LorawanWireshark, TsharkVerifiesMicAndDecryptsOurFrames)
{
    const QString tshark = QStringLiteral("/usr/bin/tshark");
    if (!QFile::exists(tshark))
        GTEST_SKIP() << "tshark is not installed: Wireshark's independent MIC/decryption check not run";
    const SessionKeys unicast{*parseKey(QStringLiteral("2b7e151628aed2a6abf7158809cf4f3c")),
                              *parseKey(QStringLiteral("000102030405060708090a0b0c0d0e0f"))};
    const std::uint32_t devAddr = 0x26011bda;
    const std::uint32_t mcAddr = 0xfffffffe;
    const SessionKeys multicast = multicastsetup::multicastSessionKeys(*parseKey(QStringLiteral("0102030405060708090a0b0c0d0e0f10")), mcAddr);

    struct Case {
        DataFrame frame;
        SessionKeys keys;
    };
    std::vector<Case> cases;
    DataFrame up;
    up.mtype = MType::UnconfirmedDataUp;
    up.devAddr = devAddr;
    up.fctrl.adr = true;
    up.fCnt = 7;
    up.fPort = 202;
    up.frmPayload = QByteArray::fromHex("011e6d3e4900");
    cases.push_back({up, unicast});
    DataFrame down;
    down.mtype = MType::ConfirmedDataDown;
    down.devAddr = devAddr;
    down.fctrl.ack = true;
    down.fCnt = 300;
    down.fOpts = QByteArray::fromHex("020305");  // LinkCheckAns
    down.fPort = 200;
    down.frmPayload = QByteArray::fromHex("0200feffffff015e85f4b99dc0b944066cd07498330b00000000ff000000");
    cases.push_back({down, unicast});
    DataFrame mc;
    mc.mtype = MType::UnconfirmedDataDown;
    mc.devAddr = mcAddr;
    mc.fCnt = 12;
    mc.fPort = 201;
    mc.frmPayload = QByteArray(45, 'm');
    cases.push_back({mc, multicast});

    std::vector<QByteArray> frames;
    for (const Case& c : cases)
        frames.push_back(*encodeDataFrame(c.frame, c.keys));
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QFile pcap(dir.filePath(QStringLiteral("frames.pcap")));
    ASSERT_TRUE(pcap.open(QIODevice::WriteOnly));
    pcap.write(loraTapPcap(frames));
    pcap.close();

    QProcess p;
    p.start(tshark, {QStringLiteral("-r"), pcap.fileName(), QStringLiteral("-o"), keyRecord(devAddr, unicast), QStringLiteral("-o"),
                     keyRecord(mcAddr, multicast), QStringLiteral("-T"), QStringLiteral("fields"), QStringLiteral("-e"),
                     QStringLiteral("lorawan.mic.status"), QStringLiteral("-e"), QStringLiteral("lorawan.frmpayload_decrypted")});
    ASSERT_TRUE(p.waitForFinished(60000));
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    ASSERT_EQ(lines.size(), qsizetype(cases.size())) << p.readAllStandardError().toStdString();
    for (size_t i = 0; i < cases.size(); ++i) {
        const QList<QByteArray> fields = lines[qsizetype(i)].split('\t');
        ASSERT_EQ(fields.size(), 2) << lines[qsizetype(i)].toStdString();
        EXPECT_EQ(fields[0], QByteArray("1")) << "frame " << i << ": Wireshark says the MIC is not good";
        EXPECT_EQ(QByteArray::fromHex(fields[1]), cases[i].frame.frmPayload) << "frame " << i;
    }
}

} // namespace
} // namespace otalab::core::lorawan
