// SPDX-License-Identifier: Apache-2.0
// Sweep merge: statistics against hand-computed values, the tables, byte-identical merges.
#include "sim/sweep/sweepmerge.h"
#include "sweep_test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace otalab;
using namespace otalab::sim;

namespace {

SweepPlan plan2x2(double untilS = 300)
{
    const QJsonObject base = sweeptest::starter();
    auto a = parseVaryArgument(QStringLiteral("server.blockResponseDelayMs=100,250"), base);
    auto b = parseVaryArgument(QStringLiteral("channel.loss.p=0.01,0.2"), base);
    EXPECT_TRUE(a && b);
    auto plan = buildSweepPlan(base, QStringLiteral("starter.json"), sweeptest::scenariosDir(), {*a, *b}, 2, 1, untilS);
    EXPECT_TRUE(plan);
    return plan ? *plan : SweepPlan{};
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

SweepRunResult fakeRun(const SweepPlan& plan, int index, double upgradedPct, bool ok = true)
{
    SweepRunResult r;
    r.run = plan.run(index);
    r.ok = ok;
    if (!ok) {
        r.error = QStringLiteral("$.device: broken, \"really\"\nbadly");
        return r;
    }
    r.metrics[std::size_t(SweepMetric::Devices)] = 5;
    r.metrics[std::size_t(SweepMetric::UpgradedPct)] = upgradedPct;
    r.metrics[std::size_t(SweepMetric::WallS)] = 0.25 + index;
    r.fingerprint = 0x1234 + std::uint64_t(index);
    return r;
}

} // namespace

TEST(SweepStats, HandComputed)
{
    const SweepStats s = sweepStatsOf({9, 4, 2, 5, 4, 7, 4, 5});
    EXPECT_EQ(s.n, 8);
    EXPECT_DOUBLE_EQ(s.mean, 5.0);
    EXPECT_EQ(s.min, 2);
    EXPECT_EQ(s.max, 9);
    EXPECT_EQ(s.p5, 2);   // rank ceil(0.4) = 1
    EXPECT_EQ(s.p50, 4);  // rank 4
    EXPECT_EQ(s.p95, 9);  // rank ceil(7.6) = 8
    // sd = sqrt(32 / 7) = 2.13809, t(7) = 2.3646: half width 1.78747
    EXPECT_NEAR(s.ciLow, 3.21253, 1e-4);
    EXPECT_NEAR(s.ciHigh, 6.78747, 1e-4);

    std::vector<double> ranks;
    for (int i = 1; i <= 20; ++i)
        ranks.push_back(i);
    const SweepStats r = sweepStatsOf(ranks);
    EXPECT_EQ(r.p5, 1);
    EXPECT_EQ(r.p50, 10);
    EXPECT_EQ(r.p95, 19);
    EXPECT_DOUBLE_EQ(r.mean, 10.5);

    const SweepStats one = sweepStatsOf({3.5});
    EXPECT_EQ(one.n, 1);
    EXPECT_EQ(one.ciLow, 3.5);
    EXPECT_EQ(one.ciHigh, 3.5);
    EXPECT_EQ(one.p5, 3.5);
    EXPECT_EQ(one.p95, 3.5);

    const SweepStats two = sweepStatsOf({1, 3});  // sd sqrt(2), t(1) = 12.7062
    EXPECT_NEAR(two.ciHigh - two.mean, 12.7062 * std::sqrt(2.0) / std::sqrt(2.0), 1e-9);

    std::vector<double> many(40);
    for (int i = 0; i < 40; ++i)
        many[std::size_t(i)] = i % 2;  // mean 0.5, sd sqrt(10/39)
    const SweepStats m = sweepStatsOf(many);
    EXPECT_NEAR(m.ciHigh - m.mean, 1.96 * std::sqrt(10.0 / 39.0) / std::sqrt(40.0), 1e-12);

    EXPECT_EQ(sweepStatsOf({}).n, 0);
}

TEST(SweepMerge, SummaryPerPoint)
{
    const SweepPlan plan = plan2x2();
    ASSERT_EQ(plan.runCount(), 8u);
    SweepTable table;
    table.runs = {fakeRun(plan, 0, 100), fakeRun(plan, 1, 80), fakeRun(plan, 2, 60), fakeRun(plan, 3, 0, false),
                  fakeRun(plan, 6, 40)};
    table.missing = {4, 5, 7};
    EXPECT_EQ(table.failedRuns(), 1);
    const auto summary = summarizeSweep(plan, table);
    ASSERT_EQ(summary.size(), 4u);
    EXPECT_EQ(summary[0].runs, 2);
    EXPECT_EQ(summary[0].point, (QList<QJsonValue>{QJsonValue(100), QJsonValue(0.01)}));
    ASSERT_TRUE(summary[0].stats[std::size_t(SweepMetric::UpgradedPct)]);
    EXPECT_DOUBLE_EQ(summary[0].stats[std::size_t(SweepMetric::UpgradedPct)]->mean, 90);
    EXPECT_EQ(summary[1].runs, 2);
    EXPECT_EQ(summary[1].failedRuns, 1);
    EXPECT_EQ(summary[1].stats[std::size_t(SweepMetric::UpgradedPct)]->n, 1);  // the failed run has no figures
    EXPECT_EQ(summary[2].runs, 0);
    EXPECT_FALSE(summary[2].stats[std::size_t(SweepMetric::UpgradedPct)]);
    EXPECT_EQ(summary[3].runs, 1);
    EXPECT_FALSE(summary[3].stats[std::size_t(SweepMetric::P50S)]);  // no value in any run

    QTemporaryDir tmp;
    auto files = writeSweepTables(plan, table, summary, tmp.path());
    ASSERT_TRUE(files) << files.error().toString().toStdString();
    ASSERT_EQ(files->size(), 4);
    const QString runsCsv = QString::fromUtf8(readAll(tmp.filePath(QStringLiteral("sweep-runs.csv"))));
    const QStringList lines = runsCsv.split(QLatin1Char('\n'));
    EXPECT_TRUE(lines[0].startsWith(QStringLiteral("index,point,seed,blockResponseDelayMs,p,devices,upgraded,")));
    EXPECT_TRUE(lines[0].endsWith(QStringLiteral(",events,wall_s,fingerprint,ok,error")));
    EXPECT_TRUE(lines[1].startsWith(QStringLiteral("0,0,1,100,0.01,5,,"))) << lines[1].toStdString();
    EXPECT_TRUE(lines[1].endsWith(QStringLiteral(",0.25,0000000000001234,true,")));
    // RFC 4180: the error with a comma, quotes and a line break is quoted, quotes doubled.
    EXPECT_TRUE(runsCsv.contains(QStringLiteral("3,1,2,100,0.2,") )) << runsCsv.toStdString();
    EXPECT_TRUE(runsCsv.contains(QStringLiteral(",false,\"$.device: broken, \"\"really\"\"\nbadly\"\n")));

    const QStringList summaryLines = QString::fromUtf8(readAll(tmp.filePath(QStringLiteral("sweep-summary.csv")))).split(QLatin1Char('\n'));
    EXPECT_TRUE(summaryLines[0].startsWith(QStringLiteral("point,blockResponseDelayMs,p,runs,failed,devices_mean,devices_p5,devices_p50,devices_p95,devices_ci_low,devices_ci_high,")));
    EXPECT_TRUE(summaryLines[3].startsWith(QStringLiteral("2,250,0.01,0,0,,,,,,,")));

    const QJsonObject runsJson = QJsonDocument::fromJson(readAll(tmp.filePath(QStringLiteral("sweep-runs.json")))).object();
    EXPECT_EQ(runsJson.value(QStringLiteral("missing")).toArray(), (QJsonArray{4, 5, 7}));
    EXPECT_EQ(runsJson.value(QStringLiteral("runs")).toArray().size(), 5);
    EXPECT_EQ(runsJson.value(QStringLiteral("runs")).toArray().at(0).toObject().value(QStringLiteral("params")).toObject().value(QStringLiteral("p")).toDouble(), 0.01);
    const QJsonObject summaryJson = QJsonDocument::fromJson(readAll(tmp.filePath(QStringLiteral("sweep-summary.json")))).object();
    EXPECT_EQ(summaryJson.value(QStringLiteral("points")).toArray().at(0).toObject()
                  .value(QStringLiteral("stats")).toObject().value(QStringLiteral("upgraded_pct")).toObject()
                  .value(QStringLiteral("mean")).toDouble(), 90);

    // Without wall time the column is gone.
    QTemporaryDir noWall;
    ASSERT_TRUE(writeSweepTables(plan, table, summary, noWall.path(), false));
    EXPECT_FALSE(readAll(noWall.filePath(QStringLiteral("sweep-runs.csv"))).contains("wall_s"));
    EXPECT_FALSE(readAll(noWall.filePath(QStringLiteral("sweep-summary.csv"))).contains("wall_s"));
    EXPECT_FALSE(readAll(noWall.filePath(QStringLiteral("sweep-runs.json"))).contains("wall_s"));
}

TEST(SweepMerge, RealRunsMergeByteIdenticalTwice)
{
    const SweepPlan plan = plan2x2();
    QTemporaryDir a, b;
    for (const QString& dir : {a.path(), b.path()}) {
        ASSERT_TRUE(writeSweepPlan(plan, dir));
        for (int i = int(plan.runCount()) - 1; i >= 0; --i)  // any order
            ASSERT_TRUE(runSweepIndex(plan, i, dir));
    }
    auto ta = readSweepTable(plan, a.path());
    auto tb = readSweepTable(plan, b.path());
    ASSERT_TRUE(ta && tb);
    EXPECT_TRUE(ta->missing.empty());
    ASSERT_EQ(ta->runs.size(), plan.runCount());
    for (std::size_t i = 0; i < ta->runs.size(); ++i)
        EXPECT_EQ(ta->runs[i].run.index, int(i));
    ASSERT_TRUE(writeSweepTables(plan, *ta, summarizeSweep(plan, *ta), a.path(), false));
    ASSERT_TRUE(writeSweepTables(plan, *tb, summarizeSweep(plan, *tb), b.path(), false));
    for (const char* name : {"sweep-runs.csv", "sweep-runs.json", "sweep-summary.csv", "sweep-summary.json"}) {
        const QByteArray fa = readAll(a.filePath(QLatin1String(name)));
        EXPECT_FALSE(fa.isEmpty()) << name;
        EXPECT_EQ(fa, readAll(b.filePath(QLatin1String(name)))) << name;
    }
    // Merging again gives the same bytes.
    const QByteArray first = readAll(a.filePath(QStringLiteral("sweep-summary.csv")));
    ASSERT_TRUE(writeSweepTables(plan, *ta, summarizeSweep(plan, *ta), a.path(), false));
    EXPECT_EQ(readAll(a.filePath(QStringLiteral("sweep-summary.csv"))), first);
    // The loss axis matters: 20 % loss finishes fewer blocks than 1 % (the runs are real).
    EXPECT_NE(ta->runs[0].fingerprint, ta->runs[2].fingerprint);
}

TEST(SweepMerge, PartialAndMalformed)
{
    const SweepPlan plan = plan2x2();
    QTemporaryDir tmp;
    ASSERT_TRUE(writeSweepPlan(plan, tmp.path()));
    ASSERT_TRUE(runSweepIndex(plan, 5, tmp.path()));
    ASSERT_TRUE(QDir().mkpath(sweepRunDir(tmp.path(), 6) + QStringLiteral(".tmp-4242")));  // interrupted
    auto table = readSweepTable(plan, tmp.path());
    ASSERT_TRUE(table);
    ASSERT_EQ(table->runs.size(), 1u);
    EXPECT_EQ(table->runs[0].run.index, 5);
    EXPECT_EQ(table->missing, (std::vector<int>{0, 1, 2, 3, 4, 6, 7}));

    QFile bad(sweepRunDir(tmp.path(), 5) + QStringLiteral("/result.json"));
    ASSERT_TRUE(bad.open(QIODevice::WriteOnly | QIODevice::Truncate));
    bad.write("[1,2");
    bad.close();
    auto broken = readSweepTable(plan, tmp.path());
    ASSERT_FALSE(broken);
    EXPECT_TRUE(broken.error().message.contains(QStringLiteral("runs/000005/result.json"))) << broken.error().message.toStdString();
}
