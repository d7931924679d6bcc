// SPDX-License-Identifier: Apache-2.0
// The default layout at laptop (1366 × 768 screen) and desktop (1920 × 1080) sizes:
// every panel inside the window and at least at a useful size, nothing to scroll for
// the charts or the state diagram; an older saved layout is not restored.
#include "app/gui/charts/chartspanel.h"
#include "app/gui/charts/chartsview.h"
#include "app/gui/compare/comparepanel.h"
#include "app/gui/eventlog/eventlogpanel.h"
#include "app/gui/hexview.h"
#include "app/gui/imageinspectorcontroller.h"
#include "app/gui/imageinspectorpanel.h"
#include "app/gui/inspector/deviceinspectorpanel.h"
#include "app/gui/inspector/statemachinediagram.h"
#include "app/gui/mainwindow.h"
#include "app/gui/scenario/scenariojsoneditor.h"
#include "app/gui/scenario/scenariopanel.h"
#include "app/gui/timeline/timelinepanel.h"
#include "app/gui/topology/topologypanel.h"
#include "gui_test_support.h"

#include <QChartView>
#include <QDockWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QTabWidget>
#include <QTest>

using otalab::app::LabSession;
using otalab::app::MainWindow;

namespace {

const QString kStarter = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json");

void clearSettings()
{
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
}

// `w`'s rectangle in window coordinates.
QRect inWindow(const QWidget* w)
{
    return QRect(w->mapTo(w->window(), QPoint(0, 0)), w->size());
}

// The part of `w` actually on screen: clipped by every ancestor (scroll viewports, docks).
QRect visiblePart(const QWidget* w)
{
    QRect r = inWindow(w);
    for (const QWidget* p = w->parentWidget(); p; p = p->parentWidget())
        r &= inWindow(p);
    return r;
}

// Visible, inside the window, not clipped and at least `minimum`.
void expectShown(const QWidget* w, QSize minimum, const char* what)
{
    ASSERT_NE(w, nullptr) << what;
    EXPECT_TRUE(w->isVisible()) << what;
    const QRect r = inWindow(w);
    EXPECT_TRUE(w->window()->rect().contains(r)) << what << " at " << r.x() << "," << r.y() << " " << r.width() << "×" << r.height();
    EXPECT_EQ(visiblePart(w), r) << what << " is cut off";
    EXPECT_GE(r.width(), minimum.width()) << what;
    EXPECT_GE(r.height(), minimum.height()) << what;
}

void settle()
{
    for (int i = 0; i < 5; ++i) {
        QCoreApplication::processEvents();
        QTest::qWait(20);
    }
}

// What a maximised window gets on each screen (the lab opens at most 96 % × 92 % of it).
class GuiMainWindowLayout : public testing::TestWithParam<QSize> {};

TEST_P(GuiMainWindowLayout, EveryPanelFitsAtAUsefulSize)
{
    otalab::testing::ensureApp();
    clearSettings();
    MainWindow window;
    window.resize(GetParam());
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(window.openScenario(kStarter, true));
    LabSession& session = window.session();
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Ready; }, 30'000));
    window.selection().setCurrent(4);  // an end device: the inspector shows its state machine
    settle();
    ASSERT_EQ(window.size(), GetParam());

    expectShown(window.topologyPanel(), {480, 300}, "topology");

    ASSERT_TRUE(window.showPanel(QStringLiteral("inspector")));
    settle();
    expectShown(window.deviceInspector(), {420, 300}, "device inspector");
    // Panels behind another tab are hidden: they skip their updates while a run goes on.
    EXPECT_FALSE(window.chartsPanel()->isVisible());
    EXPECT_FALSE(window.comparePanel()->isVisible());
    EXPECT_FALSE(window.eventLogPanel()->isVisible());
    // The state diagram whole, without scrolling.
    ASSERT_FALSE(window.deviceInspector()->showsPlaceholder());
    expectShown(window.deviceInspector()->diagram(), {360, 150}, "state diagram");
    const auto* inspectorScroll = window.deviceInspector()->findChild<QScrollArea*>();
    ASSERT_NE(inspectorScroll, nullptr);
    EXPECT_FALSE(inspectorScroll->horizontalScrollBar()->isVisible());
    EXPECT_EQ(inspectorScroll->verticalScrollBar()->value(), 0);

    ASSERT_TRUE(window.showPanel(QStringLiteral("charts")));
    settle();
    // One chart per tab, each given the whole panel (texts whole: gui_charts_fit_test).
    QTabWidget* chartTabs = window.chartsPanel()->view()->tabs();
    ASSERT_EQ(chartTabs->count(), 4);
    for (int i = 0; i < chartTabs->count(); ++i) {
        chartTabs->setCurrentIndex(i);
        settle();
        const auto* chart = chartTabs->currentWidget()->findChild<QChartView*>();
        expectShown(chart, {560, 330}, "chart");
    }
    const auto* chartsScroll = qobject_cast<QScrollArea*>(window.dockOf(window.chartsPanel())->widget());
    ASSERT_NE(chartsScroll, nullptr);
    EXPECT_FALSE(chartsScroll->horizontalScrollBar()->isVisible());
    EXPECT_FALSE(chartsScroll->verticalScrollBar()->isVisible());

    ASSERT_TRUE(window.showPanel(QStringLiteral("compare")));
    settle();
    expectShown(window.comparePanel(), {420, 300}, "compare runs");

    ASSERT_TRUE(window.showPanel(QStringLiteral("timeline")));
    settle();
    expectShown(window.timelinePanel(), {560, 160}, "timeline");
    ASSERT_TRUE(window.showPanel(QStringLiteral("log")));
    settle();
    expectShown(window.eventLogPanel(), {560, 160}, "event log");
    // Topology still whole beside (or above) them.
    expectShown(window.topologyPanel(), {480, 300}, "topology beside the log");

    // The scenario editor gets the window's width: form and a JSON pane of ~60 columns.
    ASSERT_TRUE(window.showPanel(QStringLiteral("scenario")));
    settle();
    expectShown(window.scenarioPanel(), {1000, 400}, "scenario");
    expectShown(window.scenarioPanel()->editor(), {400, 300}, "scenario JSON");

    // An opened image comes forward in the centre, its hex rows whole (16 bytes).
    ASSERT_TRUE(window.showPanel(QStringLiteral("lab")));
    settle();
    ASSERT_TRUE(window.openImage(QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/imgtool/ecdsa-p256.bin")));
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.imageInspector()->hexView()->isVisible(); }, 5000));
    settle();
    EXPECT_EQ(window.viewTabs()->currentWidget(), window.imageInspector());
    const otalab::app::HexView* hex = window.imageInspector()->hexView();
    expectShown(hex, {300, 200}, "hex view");
    EXPECT_GE(hex->viewport()->width(), hex->sizeHint().width() - hex->verticalScrollBar()->sizeHint().width() - 2 * hex->frameWidth())
        << "a hex row is cut";
    clearSettings();
}

INSTANTIATE_TEST_SUITE_P(Screens, GuiMainWindowLayout, testing::Values(QSize(1311, 706), QSize(1366, 768), QSize(1600, 1000)),
                         [](const testing::TestParamInfo<QSize>& info) {
                             return QStringLiteral("w%1h%2").arg(info.param.width()).arg(info.param.height()).toStdString();
                         });

TEST(GuiMainWindowLayoutState, AnOlderSavedLayoutIsNotRestored)
{
    otalab::testing::ensureApp();
    clearSettings();
    {
        // What version 2 saved: the charts beside the device inspector, squeezed.
        QMainWindow old;
        auto* charts = new QDockWidget(QStringLiteral("Charts"), &old);
        charts->setObjectName(QStringLiteral("chartsDock"));
        charts->setWidget(new QWidget);
        old.addDockWidget(Qt::LeftDockWidgetArea, charts);
        QSettings s(QStringLiteral("OTA Lab"), QStringLiteral("otalab"));
        s.setValue(QStringLiteral("mainWindow/state"), old.saveState(2));
        s.setValue(QStringLiteral("mainWindow/labState"), old.saveState(2));
        s.setValue(QStringLiteral("imageInspector/layout"), QByteArray("old splitter sizes"));
    }
    MainWindow window;
    window.resize(1311, 706);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    settle();
    QDockWidget* charts = window.dockOf(window.chartsPanel());
    ASSERT_NE(charts, nullptr);
    EXPECT_EQ(window.labArea()->dockWidgetArea(charts), Qt::RightDockWidgetArea);
    EXPECT_TRUE(window.labArea()->tabifiedDockWidgets(charts).contains(window.dockOf(window.deviceInspector())));
    window.close();  // saves this version's layout
    EXPECT_EQ(QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).value(QStringLiteral("mainWindow/layoutVersion")).toInt(),
              MainWindow::kLayoutVersion);

    // This version's layout is restored: a dock the user moved stays where it was put.
    {
        MainWindow again;
        again.resize(1311, 706);
        QDockWidget* log = again.dockOf(again.eventLogPanel());
        again.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&again));
        settle();
        again.labArea()->addDockWidget(Qt::LeftDockWidgetArea, log);
        again.close();
    }
    MainWindow third;
    third.resize(1311, 706);
    third.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&third));
    settle();
    EXPECT_EQ(third.labArea()->dockWidgetArea(third.dockOf(third.eventLogPanel())), Qt::LeftDockWidgetArea);
    clearSettings();
}

} // namespace
