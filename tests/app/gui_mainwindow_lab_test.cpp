// SPDX-License-Identifier: Apache-2.0
// The real main window driven offscreen: open the starter, run it, look at every panel.
#include "app/gui/charts/chartscontroller.h"
#include "app/gui/charts/chartspanel.h"
#include "app/gui/compare/comparecontroller.h"
#include "app/gui/compare/comparepanel.h"
#include "app/gui/inspector/deviceinspectorcontroller.h"
#include "app/gui/inspector/deviceinspectorpanel.h"
#include "app/gui/mainwindow.h"
#include "app/gui/runcontrols/runcontrolscontroller.h"
#include "app/gui/scenario/scenariodocument.h"
#include "app/gui/topology/topologycontroller.h"
#include "app/gui/topology/topologypanel.h"
#include "gui_test_support.h"

#include <QAction>
#include <algorithm>
#include <QComboBox>
#include <QDockWidget>
#include <QPushButton>
#include <QSettings>
#include <QTest>

using otalab::app::LabNodeState;
using otalab::app::LabSession;
using otalab::app::MainWindow;

namespace {

const QString kStarter = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json");

bool waitForState(LabSession& session, LabSession::RunState state, int timeoutMs = 120'000)
{
    return QTest::qWaitFor([&] { return session.state() == state; }, timeoutMs);
}

void clearSettings()
{
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
}

} // namespace

TEST(GuiMainWindowLab, RunsTheStarterAndEveryPanelShowsIt)
{
    otalab::testing::ensureApp();
    clearSettings();
    MainWindow window;
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(window.openScenario(kStarter, true));
    EXPECT_EQ(window.windowTitle(), QStringLiteral("starter[*] — OTA Lab"));
    LabSession& session = window.session();
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Ready, 30'000));
    ASSERT_EQ(session.topology().nodes.size(), 7u);

    // Pause stops virtual time (100×: still running after a moment).
    window.runControls().setSpeedIndex(2);
    window.runControls().runAction()->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.latest().timeS > 2.0; }, 30'000));
    window.runControls().pauseAction()->trigger();
    // The worker's answer to the pause: every publication before it has arrived.
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.commandAnswered(); }, 30'000));
    const double pausedAt = session.latest().timeS;
    QTest::qWait(300);
    EXPECT_EQ(session.latest().timeS, pausedAt);
    EXPECT_EQ(session.state(), LabSession::RunState::Paused);

    // To the end as fast as possible, with a device selected (the inspector applies
    // snapshots only while something is selected).
    const auto firstClient = std::find_if(session.topology().nodes.begin(), session.topology().nodes.end(),
                                          [](const auto& n) { return n.hasClient; });
    ASSERT_NE(firstClient, session.topology().nodes.end());
    window.selection().setCurrent(firstClient->node);
    window.runControls().setSpeedIndex(4);
    window.runControls().runAction()->trigger();
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Finished));
    EXPECT_EQ(session.latest().upgraded, 5);

    // Topology: every client drawn as upgraded (after the panel's coalescing timer).
    auto* topology = window.topologyPanel();
    ASSERT_NE(topology, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([&] { return topology->controller().countIn(LabNodeState::Upgraded) == 5; }, 30'000))
        << topology->controller().countIn(LabNodeState::Upgraded);
    // Inspector: select each client in turn.
    auto* inspector = window.deviceInspector();
    ASSERT_NE(inspector, nullptr);
    int inspected = 0;
    for (const auto& node : session.topology().nodes) {
        if (!node.hasClient) {
            EXPECT_EQ(topology->controller().displayedState(node.node), LabNodeState::Idle);
            continue;
        }
        EXPECT_EQ(topology->controller().displayedState(node.node), LabNodeState::Upgraded) << node.node;
        window.selection().setCurrent(node.node);
        ASSERT_TRUE(QTest::qWaitFor([&] { return inspector->model().node == node.node
                                                 && inspector->model().state == LabNodeState::Upgraded; }, 30'000))
            << node.node << " shows " << int(inspector->model().state);
        EXPECT_EQ(inspector->titleText().isEmpty(), false);
        EXPECT_EQ(inspector->model().bytesReceived, session.topology().imageBytes);
        EXPECT_FALSE(inspector->model().transitions.empty());
        ++inspected;
    }
    EXPECT_EQ(inspected, 5);

    // Charts have data.
    auto* charts = window.chartsPanel();
    ASSERT_NE(charts, nullptr);
    charts->refresh();
    using Line = otalab::app::ChartsController::Line;
    EXPECT_FALSE(charts->controller().progress(Line::Upgraded).points().isEmpty());
    EXPECT_FALSE(charts->controller().cdfPoints().isEmpty());
    EXPECT_EQ(charts->controller().clients(), 5);
    EXPECT_DOUBLE_EQ(charts->controller().upgradedPercent(), 100.0);

    // Restart with the same seed, run again: compare shows both runs.
    window.runControls().restartAction()->trigger();
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Ready, 30'000));
    window.runControls().runAction()->trigger();
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Finished));
    ASSERT_EQ(session.keptRuns().size(), 2u);
    auto* compare = window.comparePanel();
    ASSERT_NE(compare, nullptr);
    ASSERT_TRUE(QTest::qWaitFor([&] { return compare->controller().runs().size() == 2; }, 30'000));
    EXPECT_TRUE(compare->controller().canCompare());
    EXPECT_EQ(compare->firstBox()->count(), 2);
    EXPECT_FALSE(compare->controller().cdfPoints(0).isEmpty());
    EXPECT_FALSE(compare->controller().cdfPoints(1).isEmpty());
    EXPECT_EQ(session.keptRuns()[0].result.traceFingerprint, session.keptRuns()[1].result.traceFingerprint);
    // Each kept run holds the scenario it ran: the same file twice, so nothing differs.
    EXPECT_EQ(session.keptRuns()[0].scenario.value(QStringLiteral("name")).toString(), QStringLiteral("starter"));
    EXPECT_EQ(session.keptRuns()[0].scenario, session.keptRuns()[1].scenario);
    EXPECT_TRUE(compare->controller().differenceSummary().startsWith(QStringLiteral("Same scenario and seed")))
        << compare->controller().differenceSummary().toStdString();

    // "Clear kept runs" asks first: No keeps them, Yes clears.
    int asked = 0;
    bool answer = false;
    compare->setClearConfirmation([&](QWidget*, int count) {
        ++asked;
        EXPECT_EQ(count, 2);
        return answer;
    });
    compare->clearButton()->click();
    EXPECT_EQ(asked, 1);
    EXPECT_EQ(session.keptRuns().size(), 2u);
    answer = true;
    compare->clearButton()->click();
    EXPECT_EQ(asked, 2);
    EXPECT_TRUE(session.keptRuns().empty());
    EXPECT_TRUE(compare->controller().runs().empty());

    window.grab().save(QStringLiteral("/tmp/otalab-session-mainwindow.png"));
    clearSettings();
}

TEST(GuiMainWindowLab, TitleFollowsTheScenarioAndItsEdits)
{
    otalab::testing::ensureApp();
    clearSettings();
    MainWindow window;
    EXPECT_EQ(window.windowTitle(), QStringLiteral("OTA Lab"));
    ASSERT_TRUE(window.openScenario(kStarter, true));
    EXPECT_FALSE(window.isWindowModified());
    window.scenario().setText(window.scenario().text() + QStringLiteral(" "));
    EXPECT_TRUE(window.isWindowModified());
    EXPECT_EQ(window.recentScenarios().paths().value(0), kStarter);
    // Unsaved changes: closing asks (answered "Cancel" here) and the window stays.
    otalab::app::ScenarioDocument::Prompts prompts;
    int asked = 0;
    prompts.askToSave = [&](QWidget*, const QString&) {
        ++asked;
        return otalab::app::ScenarioDocument::SaveChoice::Cancel;
    };
    window.scenario().setPrompts(prompts);
    window.show();
    EXPECT_FALSE(window.close());
    EXPECT_EQ(asked, 1);
    EXPECT_TRUE(window.isVisible());
    prompts.askToSave = [&](QWidget*, const QString&) { return otalab::app::ScenarioDocument::SaveChoice::Discard; };
    window.scenario().setPrompts(prompts);
    EXPECT_TRUE(window.close());
    clearSettings();
}

TEST(GuiMainWindowLab, BadScenarioIsReportedAndTheWindowSurvives)
{
    otalab::testing::ensureApp();
    clearSettings();
    MainWindow window;
    EXPECT_FALSE(window.openScenario(QStringLiteral(OTALAB_TEST_DATA_DIR "/scenarios/bad/zed-as-parent.json"), true));
    EXPECT_TRUE(window.scenario().error().has_value());
    EXPECT_EQ(window.session().state(), LabSession::RunState::Empty);
    EXPECT_FALSE(window.openScenario(QStringLiteral("/nonexistent/scenario.json"), true));
    clearSettings();
}
