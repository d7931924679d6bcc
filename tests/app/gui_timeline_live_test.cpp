// SPDX-License-Identifier: Apache-2.0
// Timeline and event log wired to a real LabSession running a bundled scenario.
#include "gui_test_support.h"

#include "eventlog/eventlogcontroller.h"
#include "eventlog/eventlogmodel.h"
#include "eventlog/eventlogpanel.h"
#include "lab/labselection.h"
#include "lab/labsession.h"
#include "sim/scenario/scenarioloader.h"
#include "timeline/timelinecontroller.h"
#include "timeline/timelinepanel.h"
#include "timeline/timelineview.h"

#include <QElapsedTimer>
#include <QSplitter>
#include <QTableView>
#include <QTest>

#include <cmath>

namespace otalab::app {
namespace {

using testing::ensureApp;

std::optional<sim::RolloutConfig> scenario(const char* name)
{
    auto config = sim::loadScenarioFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(name));
    if (!config) {
        ADD_FAILURE() << config.error().toString().toStdString();
        return std::nullopt;
    }
    return *config;
}

TEST(GuiTimelineLive, StarterRunFillsTimelineAndEventLog)
{
    ensureApp();
    const auto config = scenario("starter.json");
    ASSERT_TRUE(config);
    LabSession session;
    LabSelection selection;
    TimelinePanel timeline(session, selection);
    EventLogPanel log(session, selection);
    timeline.resize(900, 300);
    log.resize(900, 300);
    timeline.show();
    log.show();
    session.load(*config, QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Ready; }, 30'000));
    EXPECT_EQ(timeline.controller().rowCount(), 7);
    session.run();
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Finished; }, 120'000));
    // The panels refresh on their own timers (timeline ~30 Hz, event log 4 Hz): wait until
    // both have shown the finished run (the limit only bounds a hang on a loaded machine).
    EventLogModel& logModel = log.controller().model();
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return timeline.controller().nowS() == session.latest().timeS
               && std::size_t(logModel.rowCount()) == session.history().endLogRow() - session.history().firstLogRow();
    }, 60'000));

    TimelineController& c = timeline.controller();
    ASSERT_EQ(c.rowCount(), 7);
    EXPECT_DOUBLE_EQ(c.nowS(), session.latest().timeS);
    int upgraded = 0;
    for (int row = 0; row < c.rowCount(); ++row) {
        const bool client = session.topology().nodes[c.nodeAt(row)].hasClient;
        const LabNodeState end = c.stateAt(row, c.nowS());
        EXPECT_EQ(end == LabNodeState::Upgraded, client) << row;
        upgraded += end == LabNodeState::Upgraded;
    }
    EXPECT_EQ(upgraded, 5);
    EventLogModel& model = log.controller().model();
    EXPECT_GT(model.rowCount(), 10);
    EXPECT_EQ(std::size_t(model.rowCount()), session.history().endLogRow() - session.history().firstLogRow());

    // A click on node 3's band at the middle of its download selects it and moves the log.
    const int row = c.rowOf(3);
    ASSERT_GE(row, 0);
    double downloadS = -1;
    for (const LabTransition& t : session.history().transitionsOf(3)) {
        if (t.state == LabNodeState::Downloading) {
            downloadS = t.timeS;
            break;
        }
    }
    ASSERT_GE(downloadS, 0);
    TimelineView& view = timeline.view();
    view.fitAll();
    const QPoint at(int(std::lround(view.xOfTime(downloadS))) + 2, view.yOfRow(row) + 5);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
    EXPECT_EQ(selection.current(), 3u);
    ASSERT_TRUE(selection.focusTimeS().has_value());
    EXPECT_FALSE(log.controller().follow());
    const QModelIndex current = log.table().currentIndex();
    ASSERT_TRUE(current.isValid());
    EXPECT_GE(double(model.logRowAt(current.row())->timeNs) / 1e9, *selection.focusTimeS() - 1e-9);
    if (current.row() > 0)
        EXPECT_LT(double(model.logRowAt(current.row() - 1)->timeNs) / 1e9, *selection.focusTimeS());
}

// Screenshot harness (run with --gtest_also_run_disabled_tests): the campus scenario
// (1,041 nodes) run for up to 60 s wall time, then both panels saved as PNGs.
TEST(GuiTimelineLive, DISABLED_CampusScreenshot)
{
    ensureApp();
    const auto config = scenario("campus.json");
    ASSERT_TRUE(config);
    LabSession session;
    LabSelection selection;
    QSplitter window(Qt::Vertical);
    auto* timeline = new TimelinePanel(session, selection, &window);
    auto* log = new EventLogPanel(session, selection, &window);
    window.resize(1200, 900);
    window.show();
    session.load(*config, QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios"));
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Ready; }, 30'000));
    session.runTo(4 * 3600.0);
    QElapsedTimer wall;
    wall.start();
    QTest::qWaitFor([&] { return session.state() != LabSession::RunState::Running; }, 60'000);
    session.pause();
    QTest::qWait(200);
    std::printf("[timeline] campus at %.0f s virtual after %lld ms wall: %zu log rows\n", session.latest().timeS,
                wall.elapsed(), session.history().endLogRow() - session.history().firstLogRow());
    const int row = timeline->controller().rowOf(300);
    timeline->controller().activate(row, session.latest().timeS * 0.6);
    QTest::qWait(50);
    window.grab().save(QStringLiteral("/tmp/timeline-campus.png"));
}

} // namespace
} // namespace otalab::app
