// SPDX-License-Identifier: Apache-2.0
// MainWindow: opening files, title, recent files and persisted settings.
#include "app/gui/imageinspectorcontroller.h"
#include "app/gui/imageinspectorpanel.h"
#include "app/gui/eventlog/eventlogpanel.h"
#include "app/gui/inspector/deviceinspectorpanel.h"
#include "app/gui/mainwindow.h"
#include "app/gui/scenario/scenariodocument.h"
#include "app/gui/scenario/scenariopanel.h"
#include "gui_test_support.h"

#include <QDockWidget>
#include <QFile>
#include <QMenuBar>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using otalab::app::MainWindow;

namespace {

void clearSettings()
{
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
}

QString writeFile(const QTemporaryDir& dir, const QString& name)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write("not firmware") < 0)
        ADD_FAILURE() << "cannot write " << path.toStdString();
    return path;
}

} // namespace

TEST(GuiMainWindow, HostsTheImageInspectorAndOpensAFile)
{
    otalab::testing::ensureApp();
    clearSettings();
    MainWindow window;
    EXPECT_EQ(window.windowTitle(), QStringLiteral("OTA Lab"));
    // The Image Inspector is a view in the window's centre (a tab beside the Lab); Ctrl+O
    // opens scenarios, so it has Ctrl+Shift+O.
    EXPECT_EQ(window.dockOf(window.imageInspector()), nullptr);
    const int tab = window.viewTabs()->indexOf(window.imageInspector());
    ASSERT_GE(tab, 0);
    EXPECT_EQ(window.viewTabs()->tabText(tab), QStringLiteral("Image Inspector"));
    EXPECT_NE(window.viewTabs()->currentWidget(), window.imageInspector()) << "the Lab is in front until an image is opened";
    EXPECT_EQ(window.imageInspector()->openAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));

    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("vendor-image.ota"));
    ASSERT_TRUE(window.openImage(path));
    EXPECT_EQ(window.viewTabs()->currentWidget(), window.imageInspector());
    EXPECT_EQ(window.windowTitle(), QStringLiteral("OTA Lab — vendor-image.ota"));
    ASSERT_FALSE(window.recentFiles().paths().isEmpty());
    EXPECT_EQ(window.recentFiles().paths().first(), path);

    QStringList menus;
    for (QAction* action : window.menuBar()->actions())
        menus.append(action->text());
    EXPECT_EQ(menus, (QStringList{QStringLiteral("&File"), QStringLiteral("&Run"), QStringLiteral("&Tools"), QStringLiteral("&View"), QStringLiteral("&Help")}));
}

TEST(GuiMainWindow, PersistsRecentFilesAndGeometry)
{
    otalab::testing::ensureApp();
    EXPECT_TRUE(QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).fileName().startsWith(otalab::testing::settingsDir()))
        << "settings must go to the test's own folder, never the user's";
    clearSettings();
    QTemporaryDir dir;
    const QString first = writeFile(dir, QStringLiteral("first.ota"));
    const QString second = writeFile(dir, QStringLiteral("second.bin"));
    {
        MainWindow window;
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        window.resize(1000, 700);
        window.openImage(first);
        window.openImage(second);
        window.openImage(first);
        window.close();  // saves
    }
    MainWindow again;
    EXPECT_EQ(again.recentFiles().paths(), (QStringList{first, second}));
    EXPECT_EQ(again.size(), QSize(1000, 700));
    clearSettings();
}

TEST(GuiMainWindow, PersistsSpeedDockLayoutAndRecentScenarios)
{
    otalab::testing::ensureApp();
    clearSettings();
    const QString starter = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json");
    {
        MainWindow window;
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        EXPECT_EQ(window.session().speed(), 100.0);  // first start
        window.session().setSpeed(1000.0);
        ASSERT_TRUE(window.openScenario(starter, true));
        window.dockOf(window.eventLogPanel())->hide();
        window.showView(window.scenarioPanel());
        window.close();
    }
    MainWindow again;
    again.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&again));
    EXPECT_EQ(again.session().speed(), 1000.0);
    EXPECT_EQ(again.recentScenarios().paths(), QStringList{starter});
    EXPECT_FALSE(again.dockOf(again.eventLogPanel())->isVisible());
    EXPECT_EQ(again.viewTabs()->currentWidget(), again.scenarioPanel()) << "the view in front is restored";
    again.showView(again.labArea());
    EXPECT_TRUE(again.dockOf(again.deviceInspector())->isVisible());
    // The last scenario opens again on the next start.
    ASSERT_TRUE(again.openStartupScenario());
    EXPECT_EQ(again.scenario().filePath(), starter);
    clearSettings();
}

TEST(GuiRecentFiles, NewestFirstWithoutDuplicatesAndCapped)
{
    otalab::app::RecentFiles recent;
    for (int i = 0; i < otalab::app::RecentFiles::MaxCount + 3; ++i)
        recent.add(QStringLiteral("/images/%1.ota").arg(i));
    recent.add(QStringLiteral("/images/5.ota"));
    EXPECT_EQ(recent.paths().size(), otalab::app::RecentFiles::MaxCount);
    EXPECT_EQ(recent.paths().first(), QStringLiteral("/images/5.ota"));
    EXPECT_EQ(recent.paths().count(QStringLiteral("/images/5.ota")), 1);
    recent.remove(QStringLiteral("/images/5.ota"));
    EXPECT_EQ(recent.paths().first(), QStringLiteral("/images/12.ota"));
}
