// SPDX-License-Identifier: Apache-2.0
// Sweep view: folders that are not sweeps are refused with the reason, and the sweep shown
// before stays; the window says so in a message box.
#include "gui_sweep_test_support.h"
#include "gui_test_support.h"
#include "mainwindow.h"
#include "sweep/sweepcontroller.h"
#include "sweep/sweeppanel.h"

#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

namespace otalab::app {
namespace {

QString refusal(const QString& dir)
{
    auto folder = readSweepFolder(dir);
    EXPECT_FALSE(folder.has_value());
    return folder ? QString() : folder.error().message;
}

TEST(GuiSweepOpen, FoldersThatAreNotSweepsAreRefusedWithTheReason)
{
    testing::ensureApp();
    QTemporaryDir dir;
    EXPECT_TRUE(refusal(dir.filePath(QStringLiteral("nowhere"))).contains(QStringLiteral("does not exist")));
    EXPECT_TRUE(refusal(dir.path()).contains(QStringLiteral("not a sweep folder: it has no plan.json")));
    QFile file(dir.filePath(QStringLiteral("plain.txt")));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.close();
    EXPECT_TRUE(refusal(file.fileName()).contains(QStringLiteral("is not a folder")));

    QFile plan(dir.filePath(QStringLiteral("plan.json")));
    ASSERT_TRUE(plan.open(QIODevice::WriteOnly));
    plan.write("{\"format\": 1, \"axes\": [");
    plan.close();
    const QString malformed = refusal(dir.path());
    EXPECT_TRUE(malformed.contains(QStringLiteral("plan.json: the plan cannot be read"))) << malformed.toStdString();

    ASSERT_TRUE(plan.open(QIODevice::WriteOnly | QIODevice::Truncate));
    plan.write("{\"format\": 1, \"seeds\": \"many\"}");
    plan.close();
    EXPECT_TRUE(refusal(dir.path()).contains(QStringLiteral("the plan cannot be read")));
}

TEST(GuiSweepOpen, AMalformedResultIsNamed)
{
    testing::ensureApp();
    QTemporaryDir dir;
    testing::writeMadeUpSweep(dir.path());
    QFile result(QDir(sim::sweepRunDir(dir.path(), 5)).filePath(QStringLiteral("result.json")));
    ASSERT_TRUE(result.open(QIODevice::WriteOnly | QIODevice::Truncate));
    result.write("{ nope");
    result.close();
    const QString message = refusal(dir.path());
    EXPECT_TRUE(message.contains(QStringLiteral("000005"))) << message.toStdString();
}

TEST(GuiSweepOpen, ControllerKeepsTheSweepShownWhenANewOneIsRefused)
{
    testing::ensureApp();
    QTemporaryDir good, bad;
    testing::writeMadeUpSweep(good.path());
    SweepController controller;
    QSignalSpy opened(&controller, &SweepController::opened);
    QSignalSpy failed(&controller, &SweepController::openFailed);
    controller.open(good.path());
    EXPECT_TRUE(controller.isLoading());
    ASSERT_TRUE(opened.wait(10000));
    ASSERT_TRUE(controller.folder());
    EXPECT_EQ(controller.folder()->runCount(), 18);
    controller.open(bad.path());
    ASSERT_TRUE(failed.wait(10000));
    EXPECT_TRUE(failed[0][0].toString().contains(QStringLiteral("no plan.json")));
    ASSERT_TRUE(controller.folder());
    EXPECT_EQ(controller.folder()->dir, QFileInfo(good.path()).absoluteFilePath());
    EXPECT_FALSE(controller.isLoading());
}

TEST(GuiSweepOpen, WindowShowsAMessageBoxAndKeepsTheSweep)
{
    testing::ensureApp();
    QTemporaryDir good, bad;
    testing::writeMadeUpSweep(good.path());
    MainWindow window;
    window.show();
    SweepController* controller = window.sweepPanel()->controller();
    QSignalSpy opened(controller, &SweepController::opened);
    window.openSweep(good.path());
    ASSERT_TRUE(opened.wait(10000));
    EXPECT_EQ(window.viewTabs()->currentWidget(), window.sweepPanel());
    EXPECT_EQ(window.sweepPanel()->statusLabel()->text(), QStringLiteral("18 runs: 16 done, 1 failed, 1 missing"));

    // The box is modal: close it from the event loop it runs, keeping its words.
    QString title, text;
    QTimer closer;
    QObject::connect(&closer, &QTimer::timeout, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            title = box->windowTitle();
            text = box->text();
            box->accept();
        }
    });
    closer.start(10);
    QSignalSpy failed(controller, &SweepController::openFailed);
    window.openSweep(bad.path());
    ASSERT_TRUE(failed.wait(10000));
    closer.stop();
    EXPECT_EQ(title, QStringLiteral("Cannot open sweep"));
    EXPECT_TRUE(text.contains(QStringLiteral("not a sweep folder"))) << text.toStdString();
    EXPECT_TRUE(window.statusBar()->currentMessage().contains(QStringLiteral("not a sweep folder")));
    EXPECT_EQ(controller->folder()->dir, QFileInfo(good.path()).absoluteFilePath());
    EXPECT_EQ(window.sweepPanel()->statusLabel()->text(), QStringLiteral("18 runs: 16 done, 1 failed, 1 missing"));
}

} // namespace
} // namespace otalab::app
