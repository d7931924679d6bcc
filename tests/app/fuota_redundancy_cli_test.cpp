// SPDX-License-Identifier: Apache-2.0
// otalab-cli fuota redundancy: one run per redundancy value, same table whatever the thread count.
#include "cli_test_support.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

using otalab::testing::runCli;

namespace {

const QString kDemo = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/lorawan-demo.json");

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool wellFormedSvg(const QByteArray& svg)
{
    QXmlStreamReader xml(svg);
    while (!xml.atEnd())
        xml.readNext();
    return !xml.hasError() && svg.contains("<svg");
}

} // namespace

TEST(FuotaRedundancyCli, SameTableWithOneOrTwoWorkers)
{
    QTemporaryDir one, two;
    const auto a = runCli({"fuota", "redundancy", kDemo, "--from", "0", "--to", "20", "--step", "10", "--jobs", "1", "--out", one.path()});
    ASSERT_EQ(a.code, 0) << a.err.toStdString() << a.out.toStdString();
    const auto b = runCli({"fuota", "redundancy", kDemo, "--from", "0", "--to", "20", "--step", "10", "--jobs", "2", "--out", two.path()});
    ASSERT_EQ(b.code, 0) << b.err.toStdString();
    const QByteArray csv = readAll(QDir(one.path()).filePath("redundancy.csv"));
    EXPECT_EQ(csv, readAll(QDir(two.path()).filePath("redundancy.csv")));
    const QList<QByteArray> lines = csv.trimmed().split('\n');
    ASSERT_EQ(lines.size(), 4);  // header + 0, 10, 20 %
    EXPECT_TRUE(lines[0].startsWith("redundancy_pct,seed,devices,upgraded"));
    EXPECT_TRUE(lines[1].startsWith("0,")) << lines[1].toStdString();
    EXPECT_TRUE(lines[3].startsWith("20,")) << lines[3].toStdString();
    // Redundancy repairs lost fragments: more devices hold the image at 20 % than at 0 %.
    const int upgraded0 = lines[1].split(',')[3].toInt();
    const int upgraded20 = lines[3].split(',')[3].toInt();
    EXPECT_GT(upgraded20, upgraded0);
    for (const char* svg : {"completion.svg", "duration.svg", "energy.svg"})
        EXPECT_TRUE(wellFormedSvg(readAll(QDir(one.path()).filePath(svg)))) << svg;
    EXPECT_TRUE(a.out.contains("3 runs")) << a.out.toStdString();
}

TEST(FuotaRedundancyCli, SeedsMultiplyTheRuns)
{
    QTemporaryDir out;
    const auto run = runCli({"fuota", "redundancy", kDemo, "--from", "10", "--to", "10", "--seeds", "2", "--out", out.path()});
    ASSERT_EQ(run.code, 0) << run.err.toStdString();
    const QList<QByteArray> lines = readAll(QDir(out.path()).filePath("redundancy.csv")).trimmed().split('\n');
    ASSERT_EQ(lines.size(), 3);
    EXPECT_NE(lines[1].split(',')[1], lines[2].split(',')[1]);  // two seeds
}

TEST(FuotaRedundancyCli, RefusesBadInputBeforeRunning)
{
    QTemporaryDir out;
    auto run = runCli({"fuota", "redundancy", kDemo, "--from", "30", "--to", "10", "--out", out.path()});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains("below --from")) << run.err.toStdString();
    run = runCli({"fuota", "redundancy", QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"), "--out", out.path()});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains("no LoRaWAN fleet")) << run.err.toStdString();
    run = runCli({"fuota", "redundancy", kDemo, "--fleet", "nope", "--out", out.path()});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains("no fleet named")) << run.err.toStdString();
    run = runCli({"fuota", "redundancy", kDemo});
    EXPECT_EQ(run.code, 2);
    run = runCli({"fuota", "redundancy", kDemo, "--step", "0.001", "--seeds", "1000", "--out", out.path()});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains("limit 10,000")) << run.err.toStdString();
    EXPECT_FALSE(QFile::exists(QDir(out.path()).filePath("redundancy.csv")));
}
