// SPDX-License-Identifier: Apache-2.0
// The sweep plan: run order, scenarioFor, identity, JSON round trip, limits, validation,
// and the sweep folder's plan.json.
#include "sim/sweep/sweepplan.h"
#include "sweep_test_support.h"

#include "sim/scenario/scenariopatch.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace otalab;
using namespace otalab::sim;

namespace {

SweepAxis axisOf(const QString& argument)
{
    auto axis = parseVaryArgument(argument, sweeptest::starter());
    EXPECT_TRUE(axis) << (axis ? std::string() : axis.error().toString().toStdString());
    return axis ? *axis : SweepAxis{};
}

SweepPlan twoAxisPlan(int seeds = 3)
{
    auto plan = buildSweepPlan(sweeptest::starter(), QStringLiteral("starter.json"), sweeptest::scenariosDir(),
                               {axisOf(QStringLiteral("server.maxBlockDataSize=32,50")),
                                axisOf(QStringLiteral("server.blockResponseDelayMs=0..500:250"))},
                               seeds, 7, 600.0);
    EXPECT_TRUE(plan) << (plan ? std::string() : plan.error().toString().toStdString());
    return plan ? *plan : SweepPlan{};
}

} // namespace

TEST(SweepPlan, RunOrderFirstAxisSlowestSeedsFastest)
{
    const SweepPlan plan = twoAxisPlan(3);
    ASSERT_EQ(plan.pointCount(), 6u);
    ASSERT_EQ(plan.runCount(), 18u);
    EXPECT_EQ(plan.seeds, (std::vector<std::uint64_t>{7, 8, 9}));
    const SweepRunSpec r0 = plan.run(0);
    EXPECT_EQ(r0.pointIndex, 0);
    EXPECT_EQ(r0.seed, 7u);
    EXPECT_EQ(r0.point, (QList<QJsonValue>{QJsonValue(32), QJsonValue(0)}));
    const SweepRunSpec r4 = plan.run(4);  // point 1, seed index 1
    EXPECT_EQ(r4.pointIndex, 1);
    EXPECT_EQ(r4.seed, 8u);
    EXPECT_EQ(r4.point, (QList<QJsonValue>{QJsonValue(32), QJsonValue(250)}));
    const SweepRunSpec r9 = plan.run(9);  // point 3 = (50, 0), seed 7
    EXPECT_EQ(r9.pointIndex, 3);
    EXPECT_EQ(r9.seed, 7u);
    EXPECT_EQ(r9.point, (QList<QJsonValue>{QJsonValue(50), QJsonValue(0)}));
    const SweepRunSpec last = plan.run(17);
    EXPECT_EQ(last.index, 17);
    EXPECT_EQ(last.pointIndex, 5);
    EXPECT_EQ(last.seed, 9u);
    EXPECT_EQ(last.point, (QList<QJsonValue>{QJsonValue(50), QJsonValue(500)}));
}

TEST(SweepPlan, ScenarioForSetsEveryAxisAndTheSeed)
{
    const SweepPlan plan = twoAxisPlan();
    auto doc = plan.scenarioFor(plan.run(16));
    ASSERT_TRUE(doc);
    EXPECT_EQ(scenarioValue(*doc, QStringLiteral("$.server.maxBlockDataSize"))->toDouble(), 50);
    EXPECT_EQ(scenarioValue(*doc, QStringLiteral("$.server.blockResponseDelayMs"))->toDouble(), 500);
    EXPECT_EQ(doc->value(QStringLiteral("seed")).toDouble(), 8);
    // The rest of the base is untouched.
    EXPECT_EQ(scenarioValue(*doc, QStringLiteral("$.device.pollIntervalMs"))->toDouble(), 7500);
}

TEST(SweepPlan, SeedsOnlySweep)
{
    auto plan = buildSweepPlan(sweeptest::starter(), {}, sweeptest::scenariosDir(), {}, 4, 100, std::nullopt);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->pointCount(), 1u);
    EXPECT_EQ(plan->runCount(), 4u);
    EXPECT_EQ(plan->run(3).seed, 103u);
    EXPECT_TRUE(plan->run(3).point.isEmpty());
}

TEST(SweepPlan, IdentityStableAndSensitive)
{
    const SweepPlan plan = twoAxisPlan();
    const QString id = plan.identity();
    EXPECT_EQ(id.size(), 64);
    EXPECT_EQ(twoAxisPlan().identity(), id);

    SweepPlan other = plan;
    other.scenarioPath = QStringLiteral("elsewhere/starter.json");  // for people only
    other.baseDir = QStringLiteral("/elsewhere");
    EXPECT_EQ(other.identity(), id);

    other = plan;
    other.seeds.back() = 10;
    EXPECT_NE(other.identity(), id);
    other = plan;
    other.untilS = 601;
    EXPECT_NE(other.identity(), id);
    other = plan;
    other.untilS.reset();
    EXPECT_NE(other.identity(), id);
    other = plan;
    other.axes[1].values[2] = QJsonValue(501);
    EXPECT_NE(other.identity(), id);
    other = plan;
    other.scenario.insert(QStringLiteral("sampleIntervalS"), 11);
    EXPECT_NE(other.identity(), id);
    other = plan;
    std::swap(other.axes[0], other.axes[1]);
    EXPECT_NE(other.identity(), id);
}

TEST(SweepPlan, JsonRoundTrip)
{
    const SweepPlan plan = twoAxisPlan();
    const QByteArray bytes = QJsonDocument(plan.toJson()).toJson();
    auto back = SweepPlan::fromJson(QJsonDocument::fromJson(bytes).object());
    ASSERT_TRUE(back) << back.error().toString().toStdString();
    EXPECT_EQ(back->identity(), plan.identity());
    EXPECT_EQ(back->scenario, plan.scenario);
    EXPECT_EQ(back->scenarioPath, plan.scenarioPath);
    EXPECT_EQ(back->baseDir, plan.baseDir);
    EXPECT_EQ(back->seeds, plan.seeds);
    EXPECT_EQ(back->untilS, plan.untilS);
    ASSERT_EQ(back->axes.size(), 2);
    EXPECT_EQ(back->axes[1].values, plan.axes[1].values);
    EXPECT_EQ(QJsonDocument(back->toJson()).toJson(), bytes);
}

TEST(SweepPlan, FromJsonNamesTheField)
{
    const QJsonObject good = twoAxisPlan().toJson();
    auto broken = [&](const QString& key, const QJsonValue& value) {
        QJsonObject o = good;
        if (value.isUndefined())
            o.remove(key);
        else
            o.insert(key, value);
        o.remove(QStringLiteral("identity"));
        auto plan = SweepPlan::fromJson(o);
        EXPECT_FALSE(plan) << key.toStdString();
        return plan ? QString() : plan.error().field;
    };
    EXPECT_EQ(broken(QStringLiteral("format"), 2), QStringLiteral("format"));
    EXPECT_EQ(broken(QStringLiteral("scenario"), QJsonValue()), QStringLiteral("scenario"));
    EXPECT_EQ(broken(QStringLiteral("seeds"), QJsonArray{}), QStringLiteral("seeds"));
    EXPECT_EQ(broken(QStringLiteral("seeds"), QJsonArray{1, 2.5}), QStringLiteral("seeds[1]"));
    EXPECT_EQ(broken(QStringLiteral("untilS"), -1), QStringLiteral("untilS"));
    EXPECT_EQ(broken(QStringLiteral("axes"), QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("$.a")}}}),
              QStringLiteral("axes[0].values"));

    QJsonObject edited = good;
    edited.insert(QStringLiteral("seeds"), QJsonArray{1});
    auto mismatch = SweepPlan::fromJson(edited);
    ASSERT_FALSE(mismatch);
    EXPECT_EQ(mismatch.error().field, QStringLiteral("identity"));
}

TEST(SweepPlan, LimitsRefusedBeforeAnythingRuns)
{
    const QList<SweepAxis> axes{axisOf(QStringLiteral("server.blockResponseDelayMs=0..99")),
                                axisOf(QStringLiteral("server.maxBlockDataSize=1..11"))};
    // 100 × 11 × 10 seeds = 11,000 > 10,000
    auto refused = buildSweepPlan(sweeptest::starter(), {}, sweeptest::scenariosDir(), axes, 10, 1, std::nullopt);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("11000 runs"))) << refused.error().message.toStdString();
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("limit of 10000")));
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("--max-runs")));

    auto small = buildSweepPlan(sweeptest::starter(), {}, sweeptest::scenariosDir(), {axisOf(QStringLiteral("server.maxBlockDataSize=30..40"))},
                                2, 1, std::nullopt, SweepLimits{21});
    ASSERT_FALSE(small);
    auto enough = buildSweepPlan(sweeptest::starter(), {}, sweeptest::scenariosDir(), {axisOf(QStringLiteral("server.maxBlockDataSize=30..40"))},
                                 2, 1, std::nullopt, SweepLimits{22});
    ASSERT_TRUE(enough) << enough.error().toString().toStdString();

    EXPECT_FALSE(buildSweepPlan(sweeptest::starter(), {}, sweeptest::scenariosDir(), {}, 0, 1, std::nullopt));
    EXPECT_FALSE(buildSweepPlan(sweeptest::starter(), {}, sweeptest::scenariosDir(), {}, 1, 1, -5.0));
    const SweepAxis a = axisOf(QStringLiteral("server.maxBlockDataSize=30,40"));
    auto twice = buildSweepPlan(sweeptest::starter(), {}, sweeptest::scenariosDir(), {a, a}, 1, 1, std::nullopt);
    ASSERT_FALSE(twice);
    EXPECT_TRUE(twice.error().message.contains(QStringLiteral("varied twice")));
}

TEST(SweepPlan, APointThatFailsValidationIsNamed)
{
    const QList<SweepAxis> axes{axisOf(QStringLiteral("server.maxBlockDataSize=32,50")),
                                axisOf(QStringLiteral("device.pollIntervalMs=7500,0"))};
    auto plan = buildSweepPlan(sweeptest::starter(), {}, sweeptest::scenariosDir(), axes, 2, 1, std::nullopt);
    ASSERT_FALSE(plan);
    EXPECT_TRUE(plan.error().message.startsWith(QStringLiteral("maxBlockDataSize=32, pollIntervalMs=0: $.device.pollIntervalMs")))
        << plan.error().message.toStdString();

    // An unknown key (missing last step accepted by the parser) is refused by the loader.
    auto unknown = buildSweepPlan(sweeptest::starter(), {}, sweeptest::scenariosDir(),
                                  {axisOf(QStringLiteral("server.blockSizee=1,2"))}, 1, 1, std::nullopt);
    ASSERT_FALSE(unknown);
    EXPECT_TRUE(unknown.error().message.startsWith(QStringLiteral("blockSizee=1: $.server.blockSizee"))) << unknown.error().message.toStdString();
}

TEST(SweepFolder, LayoutAndPlanFile)
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("sweep"));
    EXPECT_EQ(sweepRunDir(dir, 42), dir + QStringLiteral("/runs/000042"));
    EXPECT_EQ(sweepPlanPath(dir), dir + QStringLiteral("/plan.json"));

    const SweepPlan plan = twoAxisPlan();
    ASSERT_TRUE(writeSweepPlan(plan, dir));
    auto read = readSweepPlan(dir);
    ASSERT_TRUE(read) << read.error().toString().toStdString();
    EXPECT_EQ(read->identity(), plan.identity());

    // The same plan again: a resumed sweep, the file is left as is.
    const QDateTime written = QFileInfo(sweepPlanPath(dir)).lastModified();
    EXPECT_TRUE(writeSweepPlan(plan, dir));
    EXPECT_EQ(QFileInfo(sweepPlanPath(dir)).lastModified(), written);

    // Another sweep is refused and names what the folder holds.
    SweepPlan other = twoAxisPlan(2);
    auto refused = writeSweepPlan(other, dir);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("holds another sweep (plan.json: starter.json, maxBlockDataSize=32,50")))
        << refused.error().message.toStdString();
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("choose another --out or delete it")));
    EXPECT_EQ(readSweepPlan(dir)->identity(), plan.identity());
}

TEST(SweepFolder, FilesOfAnotherToolRefused)
{
    QTemporaryDir tmp;
    ASSERT_TRUE(QDir(tmp.path()).mkpath(QStringLiteral("runs/000000")));
    auto refused = writeSweepPlan(twoAxisPlan(), tmp.path());
    ASSERT_FALSE(refused);
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("holds files of another tool")));

    QTemporaryDir csv;
    QFile f(csv.filePath(QStringLiteral("sweep-runs.csv")));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.close();
    EXPECT_FALSE(writeSweepPlan(twoAxisPlan(), csv.path()));

    // Unrelated files are fine.
    QTemporaryDir other;
    QFile notes(other.filePath(QStringLiteral("notes.txt")));
    ASSERT_TRUE(notes.open(QIODevice::WriteOnly));
    notes.close();
    EXPECT_TRUE(writeSweepPlan(twoAxisPlan(), other.path()));

    // A broken plan.json is not overwritten.
    QTemporaryDir broken;
    QFile bad(sweepPlanPath(broken.path()));
    ASSERT_TRUE(bad.open(QIODevice::WriteOnly));
    bad.write("{not json");
    bad.close();
    auto unreadable = writeSweepPlan(twoAxisPlan(), broken.path());
    ASSERT_FALSE(unreadable);
    EXPECT_TRUE(unreadable.error().message.contains(QStringLiteral("unreadable")));
    EXPECT_FALSE(readSweepPlan(broken.path()));
}
