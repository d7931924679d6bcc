// SPDX-License-Identifier: Apache-2.0
// Sweep view plots: mean line + p5–p95 band per value of the other axis, heat map cells,
// clicks to points.
#include "gui_sweep_test_support.h"
#include "gui_test_support.h"
#include "sweep/sweepheatmap.h"
#include "sweep/sweepplotview.h"

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace otalab::app {
namespace {

std::shared_ptr<const SweepFolder> madeUpFolder(QTemporaryDir& dir)
{
    testing::writeMadeUpSweep(dir.path());
    auto folder = readSweepFolder(dir.path());
    EXPECT_TRUE(folder.has_value()) << (folder ? "" : folder.error().toString().toStdString());
    return folder ? *folder : nullptr;
}

QList<QPointF> pts(std::initializer_list<std::pair<double, double>> list)
{
    QList<QPointF> out;
    for (const auto& [x, y] : list)
        out.append(QPointF(x, y));
    return out;
}

TEST(GuiSweepPlot, LineAndBandPerValueOfTheOtherAxis)
{
    testing::ensureApp();
    QTemporaryDir dir;
    SweepPlotView view;
    view.setMetric(sim::SweepMetric::P95S);
    view.setAxis(0);  // blockResponseDelayMs on x
    view.setFolder(madeUpFolder(dir));
    ASSERT_EQ(view.lines().size(), 2u);                // maxBlockDataSize 32 and 50
    EXPECT_EQ(view.chart()->series().size(), 4);       // a mean line and a band each
    const auto& small = view.lines()[0];
    const auto& large = view.lines()[1];
    EXPECT_EQ(small.label, QStringLiteral("maxBlockDataSize=32"));
    EXPECT_EQ(large.label, QStringLiteral("maxBlockDataSize=50"));
    EXPECT_EQ(small.mean->points(), pts({{100, 101}, {250, 121}, {500, 141}}));
    EXPECT_EQ(small.band->upperSeries()->points(), pts({{100, 102}, {250, 122}, {500, 142}}));
    EXPECT_EQ(small.band->lowerSeries()->points(), pts({{100, 100}, {250, 120}, {500, 140}}));
    // Point 1 lost a seed (failed), point 5 one (missing).
    EXPECT_EQ(large.mean->points(), pts({{100, 111.5}, {250, 131}, {500, 150.5}}));
    EXPECT_EQ(large.band->upperSeries()->points(), pts({{100, 112}, {250, 132}, {500, 151}}));
    EXPECT_EQ(large.band->lowerSeries()->points(), pts({{100, 111}, {250, 130}, {500, 150}}));
    EXPECT_EQ(large.points, (std::vector<int>{1, 3, 5}));
    EXPECT_TRUE(view.chart()->title().contains(QStringLiteral("p95 (s) vs blockResponseDelayMs")));

    // The other axis on x: three lines, two points each.
    view.setAxis(1);
    ASSERT_EQ(view.lines().size(), 3u);
    EXPECT_EQ(view.chart()->series().size(), 6);
    EXPECT_EQ(view.lines()[2].label, QStringLiteral("blockResponseDelayMs=500"));
    EXPECT_EQ(view.lines()[2].mean->points(), pts({{32, 141}, {50, 150.5}}));
}

TEST(GuiSweepPlot, AClickOnALineGivesTheNearestPoint)
{
    testing::ensureApp();
    QTemporaryDir dir;
    SweepPlotView view;
    view.setFolder(madeUpFolder(dir));
    QSignalSpy clicked(&view, &SweepPlotView::pointClicked);
    ASSERT_EQ(view.lines().size(), 2u);
    Q_EMIT view.lines()[1].mean->clicked(QPointF(270, 130));  // near x = 250 on the size-50 line
    Q_EMIT view.lines()[0].band->clicked(QPointF(480, 141));
    ASSERT_EQ(clicked.size(), 2);
    EXPECT_EQ(clicked[0][0].toInt(), 3);
    EXPECT_EQ(clicked[1][0].toInt(), 4);
}

TEST(GuiSweepPlot, HeatMapCellsAndClicks)
{
    testing::ensureApp();
    QTemporaryDir dir;
    SweepPlotView view;
    view.resize(700, 400);
    view.setMetric(sim::SweepMetric::P95S);
    view.setKind(SweepPlotView::Kind::HeatMap);
    view.setFolder(madeUpFolder(dir));
    view.show();
    SweepHeatMap* map = view.heatMap();
    ASSERT_EQ(map->columns(), 3);  // blockResponseDelayMs
    ASSERT_EQ(map->rows(), 2);     // maxBlockDataSize
    EXPECT_EQ(map->pointOfCell(1, 1), 3);
    EXPECT_EQ(map->valueOfCell(1, 1), 131.0);
    EXPECT_EQ(map->valueOfCell(2, 1), 150.5);
    EXPECT_EQ(map->valueOfCell(0, 0), 101.0);
    EXPECT_TRUE(map->title().contains(QStringLiteral("blockResponseDelayMs × maxBlockDataSize")));
    // Row 0 (the first value) at the bottom.
    EXPECT_GT(map->cellRect(0, 0).top(), map->cellRect(0, 1).top());
    QSignalSpy clicked(&view, &SweepPlotView::pointClicked);
    QTest::mouseClick(map, Qt::LeftButton, {}, map->cellRect(2, 0).center());
    ASSERT_EQ(clicked.size(), 1);
    EXPECT_EQ(clicked[0][0].toInt(), 4);
    QTest::mouseClick(map, Qt::LeftButton, {}, QPoint(2, 2));  // outside the cells
    EXPECT_EQ(clicked.size(), 1);
}

TEST(GuiSweepPlot, OneAxisSweepsHaveOneLineAndNoHeatMap)
{
    testing::ensureApp();
    QTemporaryDir dir;
    const sim::SweepPlan plan = testing::starterPlan({QStringLiteral("server.blockResponseDelayMs=100,250")}, 2);
    ASSERT_TRUE(sim::writeSweepPlan(plan, dir.path()).has_value());
    auto folder = readSweepFolder(dir.path());
    ASSERT_TRUE(folder.has_value());
    EXPECT_EQ((*folder)->statusText(), QStringLiteral("4 runs: 0 done, 0 failed, 4 missing"));
    SweepPlotView view;
    view.setFolder(*folder);
    ASSERT_EQ(view.lines().size(), 1u);
    EXPECT_TRUE(view.lines()[0].mean->points().isEmpty());  // nothing finished yet
    EXPECT_TRUE(view.chart()->title().contains(QStringLiteral("no run has a value yet")));
    view.setKind(SweepPlotView::Kind::HeatMap);
    EXPECT_EQ(view.heatMap()->columns(), 0);
}

} // namespace
} // namespace otalab::app
