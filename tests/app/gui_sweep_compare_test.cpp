// SPDX-License-Identifier: Apache-2.0
// Sweep view → Compare: a run row or a plot point opens that run's report in Compare runs.
#include "compare/comparepanel.h"
#include "gui_sweep_test_support.h"
#include "gui_test_support.h"
#include "mainwindow.h"
#include "sweep/sweepcontroller.h"
#include "sweep/sweepheatmap.h"
#include "sweep/sweeppanel.h"
#include "sweep/sweepplotview.h"

#include "sim/report/reportjsonreader.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

namespace otalab::app {
namespace {

TEST(GuiSweepCompare, ReportJsonReadsBackTheRun)
{
    testing::ensureApp();
    QTemporaryDir dir;
    const sim::SweepPlan plan = testing::writeRealSweep(dir.path());
    auto folder = readSweepFolder(dir.path());
    ASSERT_TRUE(folder.has_value());
    auto record = readSweepRunRecord(**folder, 2);
    ASSERT_TRUE(record.has_value()) << record.error().toString().toStdString();
    EXPECT_EQ(record->result.seed, 1u);
    EXPECT_EQ(record->result.devices.size(), 5u);
    EXPECT_EQ(std::uint64_t(record->result.traceFingerprint), (*folder)->result(2)->fingerprint);
    EXPECT_EQ(record->result.count(sim::DeviceOutcome::Upgraded), int((*folder)->result(2)->metric(sim::SweepMetric::Upgraded).value_or(-1)));
    EXPECT_EQ(record->result.completionPercentile(95), (*folder)->result(2)->metric(sim::SweepMetric::P95S));
    EXPECT_TRUE(record->label.contains(QStringLiteral("#2 blockResponseDelayMs=250, maxBlockDataSize=50 seed 1")))
        << record->label.toStdString();
    EXPECT_EQ(record->scenario.value(QStringLiteral("server")).toObject().value(QStringLiteral("blockResponseDelayMs")).toInt(), 250);
    // Not a report: refused with the reason.
    EXPECT_FALSE(sim::runResultFromReportJson(QJsonObject{{QStringLiteral("format"), QStringLiteral("x")}}).has_value());
    auto missing = readSweepRunRecord(**folder, 9);
    ASSERT_FALSE(missing.has_value());
}

TEST(GuiSweepCompare, RowAndPlotPointOpenTheirRunsInCompare)
{
    testing::ensureApp();
    QTemporaryDir dir;
    const sim::SweepPlan plan = testing::writeRealSweep(dir.path());
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    window.session().clearKeptRuns();
    SweepPanel* panel = window.sweepPanel();
    ASSERT_TRUE(panel->controller()->openNow(dir.path()));
    EXPECT_EQ(panel->statusLabel()->text(), QStringLiteral("4 runs: 4 done, 0 failed, 0 missing"));
    QSignalSpy requested(panel, &SweepPanel::runRequested);
    QSignalSpy kept(&window.session(), &LabSession::keptRunsChanged);

    // Double click on the row of run 1.
    QTableView* table = panel->table();
    QApplication::processEvents();
    const QRect row = table->visualRect(table->model()->index(1, 0));
    ASSERT_TRUE(row.isValid());
    // (An item view activates on a double click only after a press on the same row.)
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, row.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, row.center());
    ASSERT_EQ(requested.size(), 1);
    EXPECT_EQ(requested[0][0].toInt(), 1);
    EXPECT_EQ(requested[0][1].toString(), sim::sweepRunDir(QFileInfo(dir.path()).absoluteFilePath(), 1));
    ASSERT_TRUE(kept.wait(10000));
    ASSERT_EQ(window.session().keptRuns().size(), 1u);
    EXPECT_TRUE(window.session().keptRuns()[0].label.contains(QStringLiteral("#1 ")));
    EXPECT_EQ(window.session().keptRuns()[0].result.devices.size(), 5u);

    // A click on a heat-map cell: point 2 (delay 250, size 50) → run 2, Compare comes forward.
    panel->plotKindBox()->setCurrentIndex(1);
    ASSERT_EQ(panel->plot()->kind(), SweepPlotView::Kind::HeatMap);
    QApplication::processEvents();
    SweepHeatMap* map = panel->plot()->heatMap();
    ASSERT_EQ(map->pointOfCell(1, 0), 2);
    QTest::mouseClick(map, Qt::LeftButton, {}, map->cellRect(1, 0).center());
    ASSERT_EQ(requested.size(), 2);
    EXPECT_EQ(requested[1][0].toInt(), 2);
    ASSERT_TRUE(kept.wait(10000));
    const CompareController& compare = window.comparePanel()->controller();
    ASSERT_EQ(compare.runs().size(), 2u);
    EXPECT_EQ(compare.first(), 0);
    EXPECT_EQ(compare.second(), 1);
    EXPECT_TRUE(compare.runs()[1].label.contains(QStringLiteral("#2 ")));
    // Runs 1 and 2 differ in both parameters; Compare names them.
    EXPECT_TRUE(compare.differenceSummary().contains(QStringLiteral("blockResponseDelayMs"))) << compare.differenceSummary().toStdString();
    EXPECT_EQ(window.viewTabs()->currentWidget(), window.labArea());
}

} // namespace
} // namespace otalab::app
