// SPDX-License-Identifier: Apache-2.0
// Timeline: axis ticks, the controller's rows and band states, hit testing and clicks,
// selection following, painting cost with 10,000 rows.
#include "gui_test_support.h"
#include "gui_timeline_test_data.h"

#include "lab/labselection.h"
#include "lab/labsession.h"
#include "timeline/timeaxis.h"
#include "timeline/timelinecontroller.h"
#include "timeline/timelinepanel.h"
#include "timeline/timelineview.h"

#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

namespace otalab::app {
namespace {

using testing::buildLabFleet;
using testing::ensureApp;
using testing::LabFleet;

// Node i: Waiting at 0, Downloading at 10 + i, Upgraded at 100 + 2i, except every 10th
// node, which Fails at 50 + i.
void buildSimpleHistory(LabHistory& history, int nodes)
{
    history.reset(std::size_t(nodes));
    LabHistoryDelta delta;
    for (int i = 0; i < nodes; ++i) {
        const auto n = sim::NodeId(i);
        delta.transitions.push_back({0.0, n, LabNodeState::Waiting});
        delta.transitions.push_back({10.0 + i, n, LabNodeState::Downloading});
        if (i % 10 == 0)
            delta.transitions.push_back({50.0 + i, n, LabNodeState::Failed});
        else
            delta.transitions.push_back({100.0 + 2 * i, n, LabNodeState::Upgraded});
    }
    history.append(std::move(delta));
}

TEST(GuiTimelineAxis, StepsAreNiceAndLabelsReadable)
{
    EXPECT_DOUBLE_EQ(timeAxisStep(1.0, 90), 120.0);        // 90 s minimum → 2 min
    EXPECT_DOUBLE_EQ(timeAxisStep(0.1, 90), 10.0);
    EXPECT_DOUBLE_EQ(timeAxisStep(0.001, 90), 0.1);
    EXPECT_DOUBLE_EQ(timeAxisStep(30.0, 90), 3600.0);      // 45 min minimum → 1 h
    EXPECT_DOUBLE_EQ(timeAxisStep(0.3, 90), 30.0);
    EXPECT_EQ(timeAxisLabel(30, 10), QStringLiteral("30 s"));
    EXPECT_EQ(timeAxisLabel(90, 30), QStringLiteral("1 min 30 s"));
    EXPECT_EQ(timeAxisLabel(600, 120), QStringLiteral("10 min"));
    EXPECT_EQ(timeAxisLabel(5400, 1800), QStringLiteral("1 h 30 min"));
    EXPECT_EQ(timeAxisLabel(7200, 3600), QStringLiteral("2 h"));
    EXPECT_EQ(timeAxisLabel(0.25, 0.05), QStringLiteral("250 ms"));
    EXPECT_EQ(timeAxisLabel(3725, 5), QStringLiteral("1:02:05"));
}

TEST(GuiTimelineController, BandStateAtTimeFollowsTransitions)
{
    ensureApp();
    LabHistory history;
    buildSimpleHistory(history, 1000);
    LabSelection selection;
    TimelineController c(selection);
    c.setHistory(&history);
    c.setNow(3000);
    ASSERT_EQ(c.rowCount(), 1000);
    EXPECT_EQ(c.rowLabel(5), QStringLiteral("#5"));  // no topology: node numbers
    for (int row : {1, 2, 10, 555, 999}) {
        const double down = 10.0 + row;
        EXPECT_EQ(c.stateAt(row, down - 0.001), LabNodeState::Waiting) << row;
        EXPECT_EQ(c.stateAt(row, down), LabNodeState::Downloading) << row;  // from its transition time
        const bool fails = row % 10 == 0;
        const double end = fails ? 50.0 + row : 100.0 + 2 * row;
        EXPECT_EQ(c.stateAt(row, end - 0.5), LabNodeState::Downloading) << row;
        EXPECT_EQ(c.stateAt(row, end + 0.5), fails ? LabNodeState::Failed : LabNodeState::Upgraded) << row;
        EXPECT_EQ(c.stateAt(row, 2999), fails ? LabNodeState::Failed : LabNodeState::Upgraded) << row;
    }
    EXPECT_EQ(c.stateAt(3, -1), LabNodeState::Idle);   // before the first transition
    EXPECT_EQ(c.stateAt(3, 3001), LabNodeState::Idle); // after now: unknown
    EXPECT_EQ(c.stateAt(1000, 50), LabNodeState::Idle); // row out of range
    EXPECT_EQ(c.nodeAt(1000), sim::kNoNode);
}

TEST(GuiTimelineController, SortsByCompletionAndFiltersProblems)
{
    ensureApp();
    LabHistory history;
    history.reset(4);
    LabHistoryDelta delta;
    delta.transitions = {
        {0, 0, LabNodeState::Waiting},      {0, 1, LabNodeState::Waiting},      {0, 2, LabNodeState::Waiting},
        {0, 3, LabNodeState::Waiting},      {10, 0, LabNodeState::Downloading}, {20, 1, LabNodeState::Downloading},
        {30, 2, LabNodeState::Downloading}, {500, 0, LabNodeState::Upgraded},   {300, 1, LabNodeState::Upgraded},
        {400, 2, LabNodeState::Failed},
    };
    std::stable_sort(delta.transitions.begin(), delta.transitions.end(),
                     [](const LabTransition& a, const LabTransition& b) { return a.timeS < b.timeS; });
    history.append(std::move(delta));
    LabSelection selection;
    TimelineController c(selection);
    c.setHistory(&history);
    c.setNow(1000);
    QSignalSpy rowsChanged(&c, &TimelineController::rowsChanged);

    c.setSortOrder(TimelineController::SortOrder::CompletionTime);
    EXPECT_EQ(rowsChanged.count(), 1);
    ASSERT_EQ(c.rowCount(), 4);
    EXPECT_EQ(c.nodeAt(0), 1u);  // upgraded at 300
    EXPECT_EQ(c.nodeAt(1), 0u);  // upgraded at 500
    EXPECT_EQ(c.rowOf(1), 0);
    EXPECT_EQ(c.rowOf(0), 1);

    // Problems: node 2 failed; node 3 waiting since 0 > 600 s stuck threshold.
    c.setSortOrder(TimelineController::SortOrder::NodeIndex);
    c.setRowFilter(TimelineController::RowFilter::Problems);
    ASSERT_EQ(c.rowCount(), 2);
    EXPECT_EQ(c.nodeAt(0), 2u);
    EXPECT_EQ(c.nodeAt(1), 3u);
    EXPECT_TRUE(c.isStuck(3));
    EXPECT_FALSE(c.isStuck(2));
    c.setStuckThresholdS(2000);
    ASSERT_EQ(c.rowCount(), 1);
    EXPECT_EQ(c.rowOf(3), -1);
}

TEST(GuiTimelineController, HidesNonClientsAndLabelsRows)
{
    ensureApp();
    LabFleet fleet;
    buildLabFleet(fleet, 100);
    LabSelection selection;
    TimelineController c(selection);
    c.setTopology(fleet.topology);
    c.setHistory(&fleet.history);
    c.setNow(fleet.endS);
    EXPECT_EQ(c.rowCount(), 100);
    EXPECT_EQ(c.rowLabel(0), QStringLiteral("0x0000 coordinator"));
    EXPECT_EQ(c.rowLabel(1), QStringLiteral("0x1007 end device"));
    c.setHideNonClients(true);
    EXPECT_EQ(c.rowCount(), 100 - 1 - 6);  // coordinator + routers 15, 30, ..., 90
    EXPECT_EQ(c.rowOf(0), -1);
    EXPECT_EQ(c.rowOf(15), -1);
    EXPECT_EQ(c.nodeAt(0), 1u);
}

TEST(GuiTimelineView, HitTestFindsNodeTimeAndState)
{
    ensureApp();
    LabHistory history;
    buildSimpleHistory(history, 200);
    LabSelection selection;
    TimelineController c(selection);
    c.setHistory(&history);
    c.setNow(1000);
    TimelineView view(c);
    view.resize(1000 + view.labelWidth(), 400);
    view.show();
    view.fitAll();
    const QRect area = view.bandArea();
    ASSERT_GT(area.width(), 500);

    // Row 3 at t = 200 s: node 3, upgraded at 106 s.
    const int y = view.yOfRow(3) + TimelineView::kRowHeight / 2;
    const int x = int(std::lround(view.xOfTime(200)));
    const auto hit = view.hitTest({x, y});
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->node, 3u);
    ASSERT_TRUE(hit->timeS.has_value());
    EXPECT_NEAR(*hit->timeS, 200.0, 2 * view.secondsPerPixel());
    EXPECT_EQ(hit->state, LabNodeState::Upgraded);
    EXPECT_DOUBLE_EQ(hit->bandStartS, 106.0);
    EXPECT_DOUBLE_EQ(hit->bandEndS, 1000.0);
    // Row 3 at t = 50 s: downloading since 13 s.
    const auto down = view.hitTest({int(std::lround(view.xOfTime(50))), y});
    ASSERT_TRUE(down.has_value());
    EXPECT_EQ(down->state, LabNodeState::Downloading);
    // Label gutter: a node, no time. Axis: nothing.
    const auto label = view.hitTest({5, y});
    ASSERT_TRUE(label.has_value());
    EXPECT_EQ(label->node, 3u);
    EXPECT_FALSE(label->timeS.has_value());
    EXPECT_FALSE(view.hitTest({x, 3}).has_value());

    // Zooming in around x keeps the time under the cursor.
    view.zoomBy(8.0, x);
    EXPECT_FALSE(view.isFitted());
    EXPECT_NEAR(view.timeAtX(x), 200.0, 2 * view.secondsPerPixel() * 8);
    view.fitAll();
    EXPECT_TRUE(view.isFitted());
}

TEST(GuiTimelineView, ClickSelectsNodeAndFocusTime)
{
    ensureApp();
    LabHistory history;
    buildSimpleHistory(history, 50);
    LabSelection selection;
    TimelineController c(selection);
    c.setHistory(&history);
    c.setNow(600);
    TimelineView view(c);
    view.resize(800, 300);
    view.show();
    view.fitAll();
    QSignalSpy selected(&selection, &LabSelection::selectionChanged);
    QSignalSpy focused(&selection, &LabSelection::focusTimeChanged);

    const QPoint at(int(std::lround(view.xOfTime(300))), view.yOfRow(7) + 5);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
    EXPECT_EQ(selected.count(), 1);
    EXPECT_EQ(focused.count(), 1);
    EXPECT_EQ(selection.current(), 7u);
    ASSERT_TRUE(selection.focusTimeS().has_value());
    EXPECT_NEAR(*selection.focusTimeS(), 300.0, 2 * view.secondsPerPixel());
    EXPECT_EQ(c.currentRow(), 7);

    // Keyboard: Down moves to the next row, keeps the focus time.
    QTest::keyClick(view.viewport(), Qt::Key_Down);
    EXPECT_EQ(selection.current(), 8u);
    EXPECT_NEAR(*selection.focusTimeS(), 300.0, 2 * view.secondsPerPixel());
}

TEST(GuiTimelinePanel, SelectionElsewhereScrollsRowIntoView)
{
    ensureApp();
    LabFleet fleet;
    buildLabFleet(fleet, 10'000);
    LabSession session;
    LabSelection selection;
    TimelinePanel panel(session, selection);
    panel.controller().setTopology(fleet.topology);
    panel.controller().setHistory(&fleet.history);
    panel.controller().setNow(fleet.endS);
    panel.resize(900, 500);
    panel.show();
    TimelineView& view = panel.view();
    ASSERT_EQ(panel.controller().rowCount(), 10'000);

    selection.setCurrent(9000);
    const int y = view.yOfRow(panel.controller().rowOf(9000));
    EXPECT_GE(y, view.bandArea().top());
    EXPECT_LE(y + TimelineView::kRowHeight, view.bandArea().bottom() + 1);
    const auto hit = view.hitTest({view.bandArea().center().x(), y + 3});
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->node, 9000u);

    // Sorting moves rows; the current row stays in view.
    panel.controller().setSortOrder(TimelineController::SortOrder::CompletionTime);
    const int row = panel.controller().rowOf(9000);
    ASSERT_GE(row, 0);
    const auto again = view.hitTest({view.bandArea().center().x(), view.yOfRow(row) + 3});
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->node, 9000u);
}

// Paints 10,000 rows and a 200,000-transition row without failing; the time it takes is
// printed for a glance; the lab window's painting time is measured where timing belongs,
// by tests/bench/bench_gui_stall (max GUI-thread stall).
TEST(GuiTimelineView, PaintsTenThousandRowsAndADenseRow)
{
    ensureApp();
    LabFleet fleet;
    buildLabFleet(fleet, 10'000);
    // One node with 200,000 transitions: band painting must not walk them all.
    {
        LabHistoryDelta delta;
        for (int k = 0; k < 200'000; ++k)
            delta.transitions.push_back({fleet.endS + k * 0.01, 1, k % 2 ? LabNodeState::Waiting : LabNodeState::Downloading});
        fleet.history.append(std::move(delta));
    }
    LabSelection selection;
    TimelineController c(selection);
    c.setTopology(fleet.topology);
    c.setHistory(&fleet.history);
    c.setNow(fleet.endS + 2000);
    TimelineView view(c);
    view.resize(1200, 800);
    view.show();
    view.fitAll();

    QElapsedTimer timer;
    timer.start();
    const int frames = 60;
    for (int f = 0; f < frames; ++f) {
        view.verticalScrollBar()->setValue(f * 2000);
        const QPixmap frame = view.viewport()->grab();
        ASSERT_EQ(frame.size(), view.viewport()->size());
    }
    const double perFrame = double(timer.elapsed()) / frames;
    timer.restart();
    view.verticalScrollBar()->setValue(0);
    QPixmap dense;
    for (int f = 0; f < 10; ++f)
        dense = view.viewport()->grab();  // row 1 (200,000 transitions) in view
    EXPECT_EQ(dense.size(), view.viewport()->size());
    const double denseFrame = double(timer.elapsed()) / 10;
    std::printf("[timeline] 10,000 rows: %.1f ms per scrolled frame; with a 200,000-transition row: %.1f ms\n",
                perFrame, denseFrame);
}

TEST(GuiTimelinePanel, Screenshot)
{
    ensureApp();
    LabFleet fleet;
    buildLabFleet(fleet, 400);
    LabSession session;
    LabSelection selection;
    TimelinePanel panel(session, selection);
    panel.controller().setTopology(fleet.topology);
    panel.controller().setHistory(&fleet.history);
    panel.controller().setNow(fleet.endS);
    panel.resize(1100, 560);
    panel.show();
    panel.view().fitAll();
    selection.setCurrent(46);
    selection.setFocusTime(4000);
    const QImage image = panel.grab().toImage();
    EXPECT_FALSE(image.isNull());
    image.save(QStringLiteral("/tmp/timeline.png"));
    panel.controller().setSortOrder(TimelineController::SortOrder::CompletionTime);
    panel.controller().setRowFilter(TimelineController::RowFilter::All);
    panel.view().zoomBy(4.0, panel.view().labelWidth() + 300);
    panel.grab().save(QStringLiteral("/tmp/timeline-sorted-zoomed.png"));
}

} // namespace
} // namespace otalab::app
