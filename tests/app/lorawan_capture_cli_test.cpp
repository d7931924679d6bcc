// SPDX-License-Identifier: Apache-2.0
// `otalab-cli run lorawan-demo --pcap`: the LoRaWAN capture and its key table are written
// and named in the summary, no empty 802.15.4 capture is left, and the run's fingerprint
// is the one without --pcap.
#include "cli_test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using otalab::testing::runCli;

namespace {

const QString kDemo = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/lorawan-demo.json");

QString fingerprintOf(const QString& text)
{
    const qsizetype at = text.indexOf(QStringLiteral("fingerprint "));
    return at < 0 ? QString() : text.mid(at + 12, 18);
}

} // namespace

TEST(CliRunLorawanCapture, DemoWritesTheLoraTapCaptureAndItsKeys)
{
    QTemporaryDir with, without;
    const auto run = runCli({"run", kDemo, "--out", with.path(), "--pcap"});
    ASSERT_EQ(run.code, otalab::cli::ExitOk) << run.err.toStdString();
    const QString pcap = QDir(with.path()).filePath(QStringLiteral("capture-lorawan.pcap"));
    const QString keys = QDir(with.path()).filePath(QStringLiteral("lorawan-keys.uat"));
    EXPECT_TRUE(run.out.contains(QStringLiteral("capture: ") + pcap)) << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("capture: ") + keys)) << run.out.toStdString();
    EXPECT_GT(QFileInfo(pcap).size(), 1'000'000);   // ~96,000 frames of the 15.6 h campaign
    QFile table(keys);
    ASSERT_TRUE(table.open(QIODevice::ReadOnly | QIODevice::Text));
    int records = 0;
    while (!table.atEnd())
        records += table.readLine().startsWith('"') ? 1 : 0;
    EXPECT_EQ(records, 1001);   // 1,000 devices and the multicast group
    // A LoRa-only scenario sends no 802.15.4 frame: no empty capture.pcap.
    EXPECT_FALSE(QFile::exists(QDir(with.path()).filePath(QStringLiteral("capture.pcap"))));
    const auto plain = runCli({"run", kDemo, "--out", without.path()});
    ASSERT_EQ(plain.code, otalab::cli::ExitOk) << plain.err.toStdString();
    EXPECT_EQ(fingerprintOf(run.out), fingerprintOf(plain.out));
    EXPECT_FALSE(fingerprintOf(run.out).isEmpty());
}
