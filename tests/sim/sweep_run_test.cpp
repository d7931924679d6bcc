// SPDX-License-Identifier: Apache-2.0
// Running one index of a sweep: the same figures as a direct run, deterministic result.json,
// atomic run folders, failed runs recorded; the metric columns.
#include "sim/sweep/sweepresult.h"
#include "sweep_test_support.h"

#include "sim/fleet/fleetrun.h"
#include "sim/scenario/scenarioloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace otalab;
using namespace otalab::sim;

namespace {

SweepPlan starterPlan()
{
    const QJsonObject base = sweeptest::starter();
    auto axis = parseVaryArgument(QStringLiteral("server.blockResponseDelayMs=100,250"), base);
    EXPECT_TRUE(axis);
    auto plan = buildSweepPlan(base, QStringLiteral("starter.json"), sweeptest::scenariosDir(), {*axis}, 2, 1, 900.0);
    EXPECT_TRUE(plan) << (plan ? std::string() : plan.error().toString().toStdString());
    return plan ? *plan : SweepPlan{};
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QJsonObject withoutWallTime(QJsonObject o)
{
    QJsonObject metrics = o.value(QStringLiteral("metrics")).toObject();
    metrics.remove(QStringLiteral("wall_s"));
    o.insert(QStringLiteral("metrics"), metrics);
    return o;
}

} // namespace

TEST(SweepMetrics, NamesUnitsAndLookup)
{
    EXPECT_EQ(sweepMetricName(SweepMetric::Devices), QStringLiteral("devices"));
    EXPECT_EQ(sweepMetricName(SweepMetric::RolledBack), QStringLiteral("rolled_back"));
    EXPECT_EQ(sweepMetricName(SweepMetric::UpgradedPct), QStringLiteral("upgraded_pct"));
    EXPECT_EQ(sweepMetricName(SweepMetric::P95S), QStringLiteral("p95_s"));
    EXPECT_EQ(sweepMetricName(SweepMetric::UpdateEnergyJMean), QStringLiteral("update_energy_j_mean"));
    EXPECT_EQ(sweepMetricName(SweepMetric::BatterySharePctMean), QStringLiteral("battery_share_pct_mean"));
    EXPECT_EQ(sweepMetricName(SweepMetric::WallS), QStringLiteral("wall_s"));
    EXPECT_EQ(sweepMetricUnit(SweepMetric::UpgradedPct), QStringLiteral("%"));
    EXPECT_EQ(sweepMetricUnit(SweepMetric::MaxS), QStringLiteral("s"));
    EXPECT_EQ(sweepMetricUnit(SweepMetric::EnergyJMean), QStringLiteral("J"));
    EXPECT_EQ(sweepMetricUnit(SweepMetric::Events), QString());
    for (int i = 0; i < kSweepMetricCount; ++i) {
        const QString name = sweepMetricName(SweepMetric(i));
        EXPECT_FALSE(name.isEmpty());
        EXPECT_EQ(sweepMetricFromName(name), SweepMetric(i));
        EXPECT_EQ(sweepMetricIsDeterministic(SweepMetric(i)), SweepMetric(i) != SweepMetric::WallS);
    }
    EXPECT_FALSE(sweepMetricFromName(QStringLiteral("p99_s")));
}

TEST(SweepRun, FiguresEqualADirectRunOfThePatchedScenario)
{
    const SweepPlan plan = starterPlan();
    QTemporaryDir tmp;
    std::vector<double> fractions;
    auto result = runSweepIndex(plan, 3, tmp.path(), [&](double f) { fractions.push_back(f); });
    ASSERT_TRUE(result) << result.error().toString().toStdString();
    ASSERT_TRUE(result->ok) << result->error.toStdString();
    EXPECT_EQ(result->run.index, 3);
    EXPECT_EQ(result->run.seed, 2u);
    EXPECT_EQ(result->run.point, (QList<QJsonValue>{QJsonValue(250)}));

    // The same scenario run directly.
    auto doc = plan.scenarioFor(plan.run(3));
    ASSERT_TRUE(doc);
    auto config = loadScenarioConfig(QJsonDocument(*doc).toJson(QJsonDocument::Compact), plan.baseDir);
    ASSERT_TRUE(config);
    config->stop.untilS = 900;
    auto direct = runScenario(*config, nullptr, {}, plan.baseDir);
    ASSERT_TRUE(direct);
    const SweepRunResult expected = sweepRunResultOf(plan.run(3), *direct);
    EXPECT_EQ(result->fingerprint, direct->traceFingerprint);
    EXPECT_NE(result->fingerprint, 0u);
    EXPECT_EQ(result->stopReason, direct->stopReason);
    for (int i = 0; i < kSweepMetricCount; ++i) {
        if (SweepMetric(i) == SweepMetric::WallS)
            continue;
        EXPECT_EQ(result->metrics[std::size_t(i)], expected.metrics[std::size_t(i)]) << sweepMetricName(SweepMetric(i)).toStdString();
    }
    EXPECT_EQ(result->metric(SweepMetric::Devices), 5.0);
    EXPECT_EQ(result->metric(SweepMetric::EndS), direct->endTimeS);
    EXPECT_EQ(result->metric(SweepMetric::Events), double(direct->eventsExecuted));
    const double devices = *result->metric(SweepMetric::Devices);
    EXPECT_DOUBLE_EQ(*result->metric(SweepMetric::UpgradedPct), 100.0 * *result->metric(SweepMetric::Upgraded) / devices);
    EXPECT_TRUE(result->metric(SweepMetric::WallS).has_value());

    // Progress from 0 to 1, never backwards.
    ASSERT_GE(fractions.size(), 2u);
    EXPECT_EQ(fractions.front(), 0.0);
    EXPECT_EQ(fractions.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));

    // The folder: report files and result.json, no temporary folder left.
    const QString runDir = sweepRunDir(tmp.path(), 3);
    EXPECT_TRUE(QFileInfo::exists(runDir + QStringLiteral("/result.json")));
    EXPECT_TRUE(QFileInfo::exists(runDir + QStringLiteral("/report.json")));
    EXPECT_TRUE(QFileInfo::exists(runDir + QStringLiteral("/report.html")));
    EXPECT_EQ(QDir(tmp.filePath(QStringLiteral("runs"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList{QStringLiteral("000003")});

    auto read = readSweepRunResult(plan, tmp.path(), 3);
    ASSERT_TRUE(read) << read.error().toString().toStdString();
    ASSERT_TRUE(read->has_value());
    EXPECT_EQ((*read)->metrics, result->metrics);
    EXPECT_EQ((*read)->fingerprint, result->fingerprint);
    EXPECT_EQ((*read)->stopReason, result->stopReason);
    EXPECT_TRUE((*read)->ok);

    auto notYet = readSweepRunResult(plan, tmp.path(), 0);
    ASSERT_TRUE(notYet);
    EXPECT_FALSE(notYet->has_value());
}

TEST(SweepRun, SameIndexTwiceGivesTheSameResultExceptWallTime)
{
    const SweepPlan plan = starterPlan();
    QTemporaryDir a, b;
    ASSERT_TRUE(runSweepIndex(plan, 1, a.path()));
    ASSERT_TRUE(runSweepIndex(plan, 1, b.path()));
    const QJsonObject ra = readJson(sweepRunDir(a.path(), 1) + QStringLiteral("/result.json"));
    const QJsonObject rb = readJson(sweepRunDir(b.path(), 1) + QStringLiteral("/result.json"));
    ASSERT_FALSE(ra.isEmpty());
    EXPECT_EQ(withoutWallTime(ra), withoutWallTime(rb));
    // Different seeds of one point differ.
    ASSERT_TRUE(runSweepIndex(plan, 0, a.path()));
    const QJsonObject r0 = readJson(sweepRunDir(a.path(), 0) + QStringLiteral("/result.json"));
    EXPECT_NE(r0.value(QStringLiteral("fingerprint")), ra.value(QStringLiteral("fingerprint")));
}

TEST(SweepRun, InterruptedRunIsNotDoneAndIsReplaced)
{
    const SweepPlan plan = starterPlan();
    QTemporaryDir tmp;
    // A worker killed mid-run leaves its temporary folder; one from an older layout a
    // run folder without result.json.
    ASSERT_TRUE(QDir().mkpath(sweepRunDir(tmp.path(), 1) + QStringLiteral(".tmp-99999")));
    QFile partial(sweepRunDir(tmp.path(), 1) + QStringLiteral(".tmp-99999/report.json"));
    ASSERT_TRUE(partial.open(QIODevice::WriteOnly));
    partial.write("{\"trunc");
    partial.close();
    ASSERT_TRUE(QDir().mkpath(sweepRunDir(tmp.path(), 2)));
    QFile stale(sweepRunDir(tmp.path(), 2) + QStringLiteral("/devices.csv"));
    ASSERT_TRUE(stale.open(QIODevice::WriteOnly));
    stale.close();

    for (int i : {1, 2}) {
        auto read = readSweepRunResult(plan, tmp.path(), i);
        ASSERT_TRUE(read);
        EXPECT_FALSE(read->has_value()) << i;
    }
    auto rerun = runSweepIndex(plan, 2, tmp.path());
    ASSERT_TRUE(rerun);
    EXPECT_TRUE(rerun->ok);
    auto read = readSweepRunResult(plan, tmp.path(), 2);
    ASSERT_TRUE(read && read->has_value());
    EXPECT_TRUE(QFileInfo::exists(sweepRunDir(tmp.path(), 2) + QStringLiteral("/report.json")));
}

TEST(SweepRun, AFailedRunIsRecordedNotAnError)
{
    // A plan written by hand (buildSweepPlan would refuse the point).
    SweepPlan plan = starterPlan();
    plan.axes[0].path = QStringLiteral("$.device.pollIntervalMs");
    plan.axes[0].values = {QJsonValue(7500), QJsonValue(0)};
    QTemporaryDir tmp;
    auto result = runSweepIndex(plan, 2, tmp.path());
    ASSERT_TRUE(result) << result.error().toString().toStdString();
    EXPECT_FALSE(result->ok);
    EXPECT_TRUE(result->error.contains(QStringLiteral("pollIntervalMs"))) << result->error.toStdString();
    auto read = readSweepRunResult(plan, tmp.path(), 2);
    ASSERT_TRUE(read && read->has_value());
    EXPECT_FALSE((*read)->ok);
    EXPECT_EQ((*read)->error, result->error);
    EXPECT_FALSE((*read)->metric(SweepMetric::Devices));

    auto outOfRange = runSweepIndex(plan, 4, tmp.path());
    ASSERT_FALSE(outOfRange);
    EXPECT_TRUE(outOfRange.error().message.contains(QStringLiteral("out of range")));
    EXPECT_FALSE(runSweepIndex(plan, -1, tmp.path()));
}

TEST(SweepRun, MalformedResultNamesTheFile)
{
    const SweepPlan plan = starterPlan();
    QTemporaryDir tmp;
    ASSERT_TRUE(QDir().mkpath(sweepRunDir(tmp.path(), 0)));
    const QString path = sweepRunDir(tmp.path(), 0) + QStringLiteral("/result.json");
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("{\"plan\": 3}");
    f.close();
    auto read = readSweepRunResult(plan, tmp.path(), 0);
    ASSERT_FALSE(read);
    EXPECT_TRUE(read.error().message.contains(path));
}

TEST(SweepRunResultJson, RoundTripWithMissingValues)
{
    const SweepPlan plan = starterPlan();
    SweepRunResult r;
    r.run = plan.run(2);
    r.ok = true;
    r.metrics[std::size_t(SweepMetric::Devices)] = 5;
    r.metrics[std::size_t(SweepMetric::UpdateEnergyJMean)] = 0.1 + 0.2;  // round-trip precision
    r.fingerprint = 0xfedcba9876543210ull;
    r.stopReason = QStringLiteral("time limit 900 s");
    const QJsonObject json = r.toJson(plan);
    EXPECT_TRUE(json.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("p50_s")).isNull());
    EXPECT_EQ(json.value(QStringLiteral("params")).toArray().at(0).toObject().value(QStringLiteral("label")).toString(),
              QStringLiteral("blockResponseDelayMs"));
    auto back = SweepRunResult::fromJson(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object(), plan);
    ASSERT_TRUE(back) << back.error().toString().toStdString();
    EXPECT_EQ(back->metrics, r.metrics);
    EXPECT_EQ(back->fingerprint, r.fingerprint);
    EXPECT_EQ(back->run.point, r.run.point);
    EXPECT_EQ(back->stopReason, r.stopReason);

    // Another sweep's result, a wrong seed, a wrong metric type: refused with the field.
    SweepPlan other = plan;
    other.seeds = {5, 6};
    auto foreign = SweepRunResult::fromJson(json, other);
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.error().field, QStringLiteral("plan"));
    QJsonObject bad = json;
    bad.insert(QStringLiteral("seed"), 9);
    EXPECT_EQ(SweepRunResult::fromJson(bad, plan).error().field, QStringLiteral("seed"));
    bad = json;
    QJsonObject metrics = bad.value(QStringLiteral("metrics")).toObject();
    metrics.insert(QStringLiteral("events"), QStringLiteral("many"));
    bad.insert(QStringLiteral("metrics"), metrics);
    EXPECT_EQ(SweepRunResult::fromJson(bad, plan).error().field, QStringLiteral("metrics.events"));
    bad = json;
    bad.insert(QStringLiteral("index"), 4);
    EXPECT_EQ(SweepRunResult::fromJson(bad, plan).error().field, QStringLiteral("index"));
}
