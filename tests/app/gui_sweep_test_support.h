// SPDX-License-Identifier: Apache-2.0
// Sweep folders for the sweep view tests: one with made-up figures (known statistics),
// one of real starter runs (reports Compare can open).
#pragma once

#include "sim/sweep/sweepmerge.h"
#include "sim/sweep/sweepplan.h"
#include "sim/sweep/sweepresult.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <gtest/gtest.h>

namespace otalab::testing {

inline QJsonObject starterScenarioJson()
{
    QFile file(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"));
    EXPECT_TRUE(file.open(QIODevice::ReadOnly));
    return QJsonDocument::fromJson(file.readAll()).object();
}

// The starter over `varies` (--vary arguments) × `seeds` seeds from 1.
inline sim::SweepPlan starterPlan(const QStringList& varies, int seeds)
{
    const QJsonObject base = starterScenarioJson();
    QList<sim::SweepAxis> axes;
    for (const QString& vary : varies) {
        auto axis = sim::parseVaryArgument(vary, base);
        EXPECT_TRUE(axis.has_value()) << vary.toStdString() << ": " << (axis ? "" : axis.error().toString().toStdString());
        if (axis)
            axes.append(*axis);
    }
    auto plan = sim::buildSweepPlan(base, QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"),
                                    QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios"), axes, seeds, 1, std::nullopt);
    EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().toString().toStdString());
    return plan ? *plan : sim::SweepPlan{};
}

// Made-up figures: blockResponseDelayMs 100,250,500 × maxBlockDataSize 32,50 × 3 seeds
// (18 runs, point p = 2·i(delay) + i(size)); run r of point p with seed index s has
// p95_s = 100 + 10p + s, devices 5, upgraded 5. Run 3 (point 1, seed index 0) failed,
// run 17 (point 5, seed index 2) has not finished. So per point the p95_s mean is
// 101 + 10p, p5 100 + 10p, p95 102 + 10p, except point 1: mean 111.5, p5 111, p95 112,
// and point 5: mean 150.5, p5 150, p95 151.
inline constexpr int kFailedRun = 3;
inline constexpr int kMissingRun = 17;
inline sim::SweepPlan writeMadeUpSweep(const QString& dir)
{
    const sim::SweepPlan plan = starterPlan({QStringLiteral("server.blockResponseDelayMs=100,250,500"),
                                             QStringLiteral("server.maxBlockDataSize=32,50")}, 3);
    EXPECT_EQ(plan.runCount(), 18u);
    auto written = sim::writeSweepPlan(plan, dir);
    EXPECT_TRUE(written.has_value()) << (written ? "" : written.error().toString().toStdString());
    for (int i = 0; i < int(plan.runCount()); ++i) {
        if (i == kMissingRun)
            continue;
        sim::SweepRunResult r;
        r.run = plan.run(i);
        r.ok = i != kFailedRun;
        if (r.ok) {
            r.metrics[std::size_t(sim::SweepMetric::Devices)] = 5;
            r.metrics[std::size_t(sim::SweepMetric::Upgraded)] = 5;
            r.metrics[std::size_t(sim::SweepMetric::UpgradedPct)] = 100;
            r.metrics[std::size_t(sim::SweepMetric::P95S)] = 100 + 10 * r.run.pointIndex + (i % 3);
            r.stopReason = QStringLiteral("all devices finished");
        } else {
            r.error = QStringLiteral("the scenario does not build: made up");
        }
        const QString runDir = sim::sweepRunDir(dir, i);
        EXPECT_TRUE(QDir().mkpath(runDir));
        QFile out(QDir(runDir).filePath(QStringLiteral("result.json")));
        EXPECT_TRUE(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(r.toJson(plan)).toJson());
    }
    return plan;
}

// Real starter runs: blockResponseDelayMs 100,250 × maxBlockDataSize 50,64 × 1 seed
// (4 runs of ~0.1 s each), every one run by runSweepIndex (report + result.json).
inline sim::SweepPlan writeRealSweep(const QString& dir)
{
    const sim::SweepPlan plan = starterPlan({QStringLiteral("server.blockResponseDelayMs=100,250"),
                                             QStringLiteral("server.maxBlockDataSize=50,64")}, 1);
    auto written = sim::writeSweepPlan(plan, dir);
    EXPECT_TRUE(written.has_value()) << (written ? "" : written.error().toString().toStdString());
    for (int i = 0; i < int(plan.runCount()); ++i) {
        auto run = sim::runSweepIndex(plan, i, dir);
        EXPECT_TRUE(run.has_value()) << (run ? "" : run.error().toString().toStdString());
        EXPECT_TRUE(run && run->ok) << (run ? run->error.toStdString() : "");
    }
    return plan;
}

} // namespace otalab::testing
