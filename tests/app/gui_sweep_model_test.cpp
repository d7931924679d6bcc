// SPDX-License-Identifier: Apache-2.0
// Sweep view: a sweep folder read into the table models (runs, points), the status line.
#include "gui_sweep_test_support.h"
#include "gui_test_support.h"
#include "sweep/sweepcontroller.h"
#include "sweep/sweeptablemodel.h"

#include <QTemporaryDir>

namespace otalab::app {
namespace {

using testing::kFailedRun;
using testing::kMissingRun;

std::shared_ptr<const SweepFolder> madeUpFolder(QTemporaryDir& dir)
{
    testing::writeMadeUpSweep(dir.path());
    auto folder = readSweepFolder(dir.path());
    EXPECT_TRUE(folder.has_value()) << (folder ? "" : folder.error().toString().toStdString());
    return folder ? *folder : nullptr;
}

QString header(const SweepTableModel& model, int column)
{
    return model.headerData(column, Qt::Horizontal).toString();
}

QString text(const SweepTableModel& model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

TEST(GuiSweepModel, FolderStatusAndLookups)
{
    testing::ensureApp();
    QTemporaryDir dir;
    const auto folder = madeUpFolder(dir);
    ASSERT_TRUE(folder);
    EXPECT_EQ(folder->runCount(), 18);
    EXPECT_EQ(folder->statusText(), QStringLiteral("18 runs: 16 done, 1 failed, 1 missing"));
    EXPECT_EQ(folder->result(kMissingRun), nullptr);
    ASSERT_NE(folder->result(kFailedRun), nullptr);
    EXPECT_FALSE(folder->result(kFailedRun)->ok);
    EXPECT_EQ(folder->firstRunOfPoint(0), 0);
    EXPECT_EQ(folder->firstRunOfPoint(1), 4);  // run 3 failed: its next seed
    EXPECT_EQ(folder->pointText(folder->plan.point(3)), QStringLiteral("blockResponseDelayMs=250, maxBlockDataSize=50"));
}

TEST(GuiSweepModel, OneRowPerRun)
{
    testing::ensureApp();
    QTemporaryDir dir;
    SweepTableModel model;
    model.setFolder(madeUpFolder(dir));
    ASSERT_EQ(model.rowCount(), 18);
    // run | 2 axes | seed | status | every metric
    ASSERT_EQ(model.columnCount(), 5 + sim::kSweepMetricCount);
    EXPECT_EQ(header(model, 0), QStringLiteral("run"));
    EXPECT_EQ(header(model, 1), QStringLiteral("blockResponseDelayMs"));
    EXPECT_EQ(header(model, 2), QStringLiteral("maxBlockDataSize"));
    EXPECT_EQ(header(model, 3), QStringLiteral("seed"));
    EXPECT_EQ(header(model, 4), QStringLiteral("status"));
    const int p95 = model.metricColumn(sim::SweepMetric::P95S);
    EXPECT_EQ(header(model, p95), QStringLiteral("p95 (s)"));
    EXPECT_EQ(header(model, model.metricColumn(sim::SweepMetric::UpgradedPct)), QStringLiteral("upgraded (%)"));
    EXPECT_EQ(header(model, model.metricColumn(sim::SweepMetric::UpdateEnergyJMean)), QStringLiteral("update energy mean (J)"));
    // Run 7: point 2 (delay 250, size 32), seed index 1 → seed 2, p95 121.
    EXPECT_EQ(text(model, 7, 1), QStringLiteral("250"));
    EXPECT_EQ(text(model, 7, 2), QStringLiteral("32"));
    EXPECT_EQ(text(model, 7, 3), QStringLiteral("2"));
    EXPECT_EQ(text(model, 7, 4), QStringLiteral("ok"));
    EXPECT_EQ(text(model, 7, p95), QStringLiteral("121"));
    EXPECT_EQ(model.data(model.index(7, p95), SweepTableModel::kSortRole).toDouble(), 121.0);
    EXPECT_EQ(text(model, 7, model.metricColumn(sim::SweepMetric::Devices)), QStringLiteral("5"));
    EXPECT_EQ(text(model, 7, model.metricColumn(sim::SweepMetric::P50S)), QString());  // no value
    EXPECT_EQ(text(model, kFailedRun, 4), QStringLiteral("failed: the scenario does not build: made up"));
    EXPECT_EQ(text(model, kFailedRun, p95), QString());
    EXPECT_EQ(text(model, kMissingRun, 4), QStringLiteral("missing"));
    EXPECT_EQ(model.runOfRow(7), 7);
}

TEST(GuiSweepModel, OneRowPerPointWithTheFocusMetricsStatistics)
{
    testing::ensureApp();
    QTemporaryDir dir;
    SweepTableModel model;
    model.setFolder(madeUpFolder(dir));
    model.setMode(SweepTableModel::Mode::Points);
    model.setFocusMetric(sim::SweepMetric::P95S);
    ASSERT_EQ(model.rowCount(), 6);
    // 2 axes | runs | failed | mean p5 p50 p95 CI | every metric's mean
    ASSERT_EQ(model.columnCount(), 4 + 5 + sim::kSweepMetricCount);
    EXPECT_EQ(header(model, 2), QStringLiteral("runs"));
    EXPECT_EQ(header(model, 3), QStringLiteral("failed"));
    EXPECT_EQ(header(model, 4), QStringLiteral("p95 (s) mean"));
    EXPECT_EQ(header(model, 7), QStringLiteral("p95 (s) p95"));
    EXPECT_EQ(header(model, model.metricColumn(sim::SweepMetric::Upgraded)), QStringLiteral("upgraded mean"));
    // Point 1 (delay 100, size 50): run 3 failed → 2 ok seeds with 111 and 112.
    EXPECT_EQ(text(model, 1, 0), QStringLiteral("100"));
    EXPECT_EQ(text(model, 1, 1), QStringLiteral("50"));
    EXPECT_EQ(text(model, 1, 2), QStringLiteral("3"));
    EXPECT_EQ(text(model, 1, 3), QStringLiteral("1"));
    EXPECT_EQ(text(model, 1, 4), QStringLiteral("111.5"));
    EXPECT_EQ(text(model, 1, 5), QStringLiteral("111"));
    EXPECT_EQ(text(model, 1, 7), QStringLiteral("112"));
    // Point 4 (delay 500, size 32): 140, 141, 142.
    EXPECT_EQ(text(model, 4, 4), QStringLiteral("141"));
    EXPECT_EQ(text(model, 4, 6), QStringLiteral("141"));
    // Point 5: run 17 missing → 2 runs.
    EXPECT_EQ(text(model, 5, 2), QStringLiteral("2"));
    EXPECT_EQ(text(model, 5, 3), QStringLiteral("0"));
    EXPECT_EQ(model.runOfRow(1), 4);
    EXPECT_EQ(model.runOfRow(5), 15);
    // Another focus metric: its statistics in the same columns.
    model.setFocusMetric(sim::SweepMetric::Upgraded);
    EXPECT_EQ(header(model, 4), QStringLiteral("upgraded mean"));
    EXPECT_EQ(text(model, 4, 4), QStringLiteral("5"));
}

} // namespace
} // namespace otalab::app
