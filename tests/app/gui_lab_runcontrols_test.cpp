// SPDX-License-Identifier: Apache-2.0
// Run controls: time parsing, enabling by run state, speed, shortcuts and status texts.
#include "app/gui/lab/labsession.h"
#include "app/gui/runcontrols/runcontrolsbar.h"
#include "app/gui/runcontrols/runcontrolscontroller.h"
#include "app/gui/runcontrols/runstatuslabels.h"
#include "gui_test_support.h"
#include "sim/scenario/scenarioloader.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QStatusBar>
#include <QTest>

using otalab::app::LabSession;
using otalab::app::RunControlsController;

namespace {

const QString kStarter = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json");

bool waitForState(LabSession& session, LabSession::RunState state, int timeoutMs = 120'000)
{
    return QTest::qWaitFor([&] { return session.state() == state; }, timeoutMs);
}

} // namespace

TEST(GuiRunControls, ParsesSecondsUnitsAndClocks)
{
    using R = RunControlsController;
    EXPECT_EQ(R::parseTime(QStringLiteral("90")), 90.0);
    EXPECT_EQ(R::parseTime(QStringLiteral(" 90.5 s ")), 90.5);
    EXPECT_EQ(R::parseTime(QStringLiteral("20 min")), 1200.0);
    EXPECT_EQ(R::parseTime(QStringLiteral("1.5h")), 5400.0);
    EXPECT_EQ(R::parseTime(QStringLiteral("2:30")), 150.0);
    EXPECT_EQ(R::parseTime(QStringLiteral("1:02:03")), 3723.0);
    EXPECT_EQ(R::parseTime(QStringLiteral("0:00:01.5")), 1.5);
    EXPECT_FALSE(R::parseTime(QStringLiteral("")).has_value());
    EXPECT_FALSE(R::parseTime(QStringLiteral("abc")).has_value());
    EXPECT_FALSE(R::parseTime(QStringLiteral("-5")).has_value());
    EXPECT_FALSE(R::parseTime(QStringLiteral("1:75")).has_value());
    EXPECT_FALSE(R::parseTime(QStringLiteral("1:2:3:4")).has_value());
    EXPECT_FALSE(R::parseTime(QStringLiteral("1.5:00")).has_value());
    EXPECT_EQ(R::clockText(3723.5), QStringLiteral("1:02:03.5"));
}

TEST(GuiRunControls, ActionsFollowTheRunStateAndStatusShowsTheRun)
{
    otalab::testing::ensureApp();
    LabSession session;
    QMainWindow window;
    RunControlsController controller(session);
    auto* bar = new otalab::app::RunControlsBar(controller, &window);
    window.addToolBar(bar);
    otalab::app::RunStatusLabels labels(controller, window.statusBar());

    // Nothing loaded: nothing to do.
    EXPECT_FALSE(controller.runAction()->isEnabled());
    EXPECT_FALSE(controller.pauseAction()->isEnabled());
    EXPECT_FALSE(controller.stepAction()->isEnabled());
    EXPECT_FALSE(controller.restartAction()->isEnabled());
    EXPECT_EQ(labels.stateLabel()->text(), QStringLiteral("No scenario"));
    EXPECT_EQ(controller.runAction()->shortcut(), QKeySequence(Qt::Key_F5));
    EXPECT_EQ(controller.pauseAction()->shortcut(), QKeySequence(Qt::Key_F6));
    EXPECT_EQ(controller.stepAction()->shortcut(), QKeySequence(Qt::Key_F10));
    EXPECT_EQ(controller.restartAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));

    auto config = otalab::sim::loadScenarioFile(kStarter);
    ASSERT_TRUE(config.has_value());
    session.load(*config);
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Ready, 30'000));
    EXPECT_TRUE(controller.runAction()->isEnabled());
    EXPECT_TRUE(controller.stepAction()->isEnabled());
    EXPECT_FALSE(controller.pauseAction()->isEnabled());
    EXPECT_TRUE(controller.restartAction()->isEnabled());
    EXPECT_FALSE(controller.runToAction()->isEnabled());  // no target yet
    EXPECT_EQ(labels.fleetLabel()->text(), QStringLiteral("0/5 upgraded · 0 downloading · 0 failed"));

    // Speed selector drives the session.
    bar->speedCombo()->setCurrentIndex(2);
    Q_EMIT bar->speedCombo()->activated(2);
    EXPECT_EQ(session.speed(), 100.0);
    controller.setSpeedIndex(4);
    EXPECT_EQ(session.speed(), LabSession::kAsFastAsPossible);
    EXPECT_EQ(bar->speedCombo()->currentIndex(), 4);

    // Run to 2 min via the box: pauses there.
    bar->runToEdit()->setText(QStringLiteral("0:02:00"));
    EXPECT_TRUE(controller.runToAction()->isEnabled());
    QTest::keyClick(bar->runToEdit(), Qt::Key_Return);
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Paused));
    EXPECT_DOUBLE_EQ(session.latest().timeS, 120.0);
    EXPECT_TRUE(labels.timeLabel()->text().contains(QStringLiteral("0:02:00.0"))) << labels.timeLabel()->text().toStdString();
    EXPECT_EQ(labels.stateLabel()->text(), QStringLiteral("Paused"));
    bar->runToEdit()->setText(QStringLiteral("nonsense"));
    EXPECT_FALSE(bar->runToEdit()->styleSheet().isEmpty());

    // Running at 10×: pause enabled, run disabled, events/s shown.
    controller.setSpeedIndex(1);
    controller.runAction()->trigger();
    EXPECT_EQ(session.state(), LabSession::RunState::Running);
    EXPECT_TRUE(controller.pauseAction()->isEnabled());
    EXPECT_FALSE(controller.runAction()->isEnabled());
    EXPECT_FALSE(controller.stepAction()->isEnabled());
    ASSERT_TRUE(QTest::qWaitFor([&] { return labels.rateLabel()->text().contains(QStringLiteral("events/s"))
                                             && !labels.rateLabel()->text().startsWith(QStringLiteral("—")); }, 60'000))
        << labels.rateLabel()->text().toStdString();
    controller.runPauseAction()->trigger();  // Space
    EXPECT_EQ(session.state(), LabSession::RunState::Paused);

    // To the end as fast as possible; then only restart is possible.
    controller.setSpeedIndex(4);
    controller.runPauseAction()->trigger();
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Finished));
    EXPECT_FALSE(controller.runAction()->isEnabled());
    EXPECT_FALSE(controller.stepAction()->isEnabled());
    EXPECT_TRUE(controller.restartAction()->isEnabled());
    EXPECT_EQ(labels.fleetLabel()->text(), QStringLiteral("5/5 upgraded · 0 downloading · 0 failed"));
    EXPECT_EQ(labels.stateLabel()->text(), QStringLiteral("Finished: all devices finished"));

    controller.restartAction()->trigger();
    ASSERT_TRUE(waitForState(session, LabSession::RunState::Ready, 30'000));
    EXPECT_EQ(session.latest().timeS, 0.0);
    EXPECT_TRUE(controller.runAction()->isEnabled());
}
