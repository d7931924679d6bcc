// SPDX-License-Identifier: Apache-2.0
// ExportController on a real LabSession: export before and after the live run finished.
#include "export/exportcontroller.h"
#include "gui_test_support.h"
#include "lab/labsession.h"

#include "sim/scenario/scenarioloader.h"

#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>

namespace otalab::app {
namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs = 60'000)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}

TEST(GuiExportController, NothingLoadedIsAnError)
{
    testing::ensureApp();
    LabSession session;
    ExportController exporter(session, nullptr);
    QTemporaryDir tmp;
    auto files = exporter.exportTo(tmp.path());
    ASSERT_FALSE(files.has_value());
    EXPECT_TRUE(files.error().message.contains(QStringLiteral("open a scenario first")));
}

TEST(GuiExportController, ExportsTheSessionsScenarioAndChecksTheFingerprint)
{
    testing::ensureApp();
    auto config = sim::loadScenarioFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"));
    ASSERT_TRUE(config.has_value());
    LabSession session;
    session.setSpeed(LabSession::kAsFastAsPossible);
    session.load(*config);
    ASSERT_TRUE(waitFor([&] { return session.state() == LabSession::RunState::Ready; }));

    ExportController exporter(session, nullptr);
    QSignalSpy finished(&exporter, &ExportController::exportFinished);
    QTemporaryDir tmp;
    auto files = exporter.exportTo(tmp.filePath(QStringLiteral("before")));
    ASSERT_TRUE(files.has_value()) << files.error().message.toStdString();
    EXPECT_EQ(files->size(), 9);
    EXPECT_TRUE(QFileInfo::exists(tmp.filePath(QStringLiteral("before/capture.pcap"))));
    ASSERT_EQ(finished.count(), 1);
    EXPECT_TRUE(finished.at(0).at(0).toBool());
    EXPECT_TRUE(finished.at(0).at(1).toString().contains(QStringLiteral("was not compared")));
    EXPECT_FALSE(exporter.busy());

    session.run();
    ASSERT_TRUE(waitFor([&] { return session.state() == LabSession::RunState::Finished; }));
    files = exporter.exportTo(tmp.filePath(QStringLiteral("after")));
    ASSERT_TRUE(files.has_value()) << files.error().message.toStdString();
    ASSERT_EQ(finished.count(), 2);
    EXPECT_TRUE(finished.at(1).at(1).toString().contains(QStringLiteral("matches the finished run on screen")))
        << finished.at(1).at(1).toString().toStdString();

    auto blocked = exporter.exportTo(tmp.filePath(QStringLiteral("after/report.json/x")));
    ASSERT_FALSE(blocked.has_value());
    EXPECT_TRUE(blocked.error().message.startsWith(QStringLiteral("cannot create the folder")));
}

} // namespace
} // namespace otalab::app
