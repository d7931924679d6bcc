// SPDX-License-Identifier: Apache-2.0
// Export: the user picks the parts (only those are written) and sees each part's size
// before writing; the estimate is checked against the files a real starter export writes.
#include "export/exportcontroller.h"
#include "export/exportdialog.h"
#include "export/exportplan.h"
#include "gui_test_support.h"
#include "lab/labsession.h"

#include "sim/scenario/scenarioloader.h"

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace otalab::app {
namespace {

sim::RolloutConfig starter()
{
    auto config = sim::loadScenarioFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"));
    EXPECT_TRUE(config.has_value());
    return config ? *config : sim::RolloutConfig{};
}

std::int64_t sizeOf(const QString& dir, ExportPart part)
{
    std::int64_t sum = 0;
    for (const QString& name : exportPartFiles(part))
        sum += QFileInfo(QDir(dir).filePath(name)).size();
    return sum;
}

QStringList namesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files, QDir::Name);
}

// Waits for the session's answer to its newest command (no clock involved).
void waitForState(LabSession& session, LabSession::RunState state)
{
    QSignalSpy changed(&session, &LabSession::stateChanged);
    while (session.state() != state)
        ASSERT_TRUE(changed.wait(60'000)) << "the session never reached the state";
}

TEST(GuiExportPlan, ApproximateSizesReadLikeAPerson)
{
    EXPECT_EQ(approximateSize(190'579'597), QStringLiteral("about 190 MB"));
    EXPECT_EQ(approximateSize(220'000'000), QStringLiteral("about 220 MB"));
    EXPECT_EQ(approximateSize(7'241'657), QStringLiteral("about 7.2 MB"));
    EXPECT_EQ(approximateSize(14'390), QStringLiteral("about 14 KB"));
    EXPECT_EQ(approximateSize(999), QStringLiteral("under 1 KB"));
    EXPECT_EQ(approximateSize(13'200'000'000), QStringLiteral("about 13 GB"));
}

TEST(GuiExportPlan, OnlyTheChosenPartsAreWrittenAndTheEstimateHasTheRightSize)
{
    testing::ensureApp();
    QTemporaryDir tmp;
    const QString all = tmp.filePath(QStringLiteral("all"));
    auto full = ExportController::exportRun(starter(), {}, all, std::nullopt);
    ASSERT_TRUE(full.has_value()) << full.error().message.toStdString();

    // The estimate from what a finished run tells (its event count, devices, samples)
    // has each part's order of magnitude: within a factor of 3 of the file written.
    ExportBasis basis;
    basis.events = full->result.eventsExecuted;
    basis.devices = int(full->result.devices.size());
    basis.samples = int(full->result.progress.size());
    const ExportEstimate estimate = estimateExport(basis);
    for (int i = 0; i < kExportPartCount; ++i) {
        const auto part = ExportPart(i);
        const double actual = double(sizeOf(all, part));
        ASSERT_GT(actual, 0) << exportPartName(part).toStdString();
        const double ratio = double(estimate.of(part)) / actual;
        EXPECT_GT(ratio, 1.0 / 3) << exportPartName(part).toStdString() << ": " << estimate.of(part) << " vs " << actual;
        EXPECT_LT(ratio, 3.0) << exportPartName(part).toStdString() << ": " << estimate.of(part) << " vs " << actual;
    }
    EXPECT_GT(estimate.of(ExportPart::Trace), 100'000'000);  // the starter's trace is ~190 MB

    // Leave the trace out: everything else, no trace.jsonl.
    ExportSelection noTrace;
    noTrace.set(ExportPart::Trace, false);
    const QString dir = tmp.filePath(QStringLiteral("no-trace"));
    ExportJob job(otalab::sim::ScenarioConfig::fromRollout(starter()), {}, dir, std::nullopt, noTrace);
    auto outcome = job.run();
    ASSERT_TRUE(outcome.has_value()) << outcome.error().message.toStdString();
    EXPECT_EQ(outcome->files.size(), 8);
    EXPECT_FALSE(namesIn(dir).contains(QStringLiteral("trace.jsonl")));
    EXPECT_TRUE(namesIn(dir).contains(QStringLiteral("capture.pcap")));
    EXPECT_EQ(outcome->fingerprint, full->fingerprint);  // the same run without its trace file

    // Only the report page.
    ExportSelection htmlOnly = ExportSelection::none();
    htmlOnly.set(ExportPart::ReportHtml, true);
    const QString pageDir = tmp.filePath(QStringLiteral("page"));
    auto page = ExportJob(otalab::sim::ScenarioConfig::fromRollout(starter()), {}, pageDir, std::nullopt, htmlOnly).run();
    ASSERT_TRUE(page.has_value()) << page.error().message.toStdString();
    EXPECT_EQ(namesIn(pageDir), QStringList{QStringLiteral("report.html")});
    EXPECT_FALSE(page->summary(pageDir).contains(QStringLiteral("capture.pcap")));

    auto nothing = ExportJob(otalab::sim::ScenarioConfig::fromRollout(starter()), {}, tmp.filePath(QStringLiteral("none")), std::nullopt, ExportSelection::none()).run();
    ASSERT_FALSE(nothing.has_value());
    EXPECT_TRUE(nothing.error().message.contains(QStringLiteral("nothing to export")));
}

TEST(GuiExportPlan, TheDialogShowsEachPartsSizeAndLeavesALargeTraceUnticked)
{
    testing::ensureApp();
    LabSession session;
    session.setSpeed(LabSession::kAsFastAsPossible);
    session.load(starter());
    waitForState(session, LabSession::RunState::Ready);
    ExportController exporter(session, nullptr);

    // Before the run: an estimate from the fleet and the image, still the right magnitude.
    const ExportBasis before = exporter.basis();
    EXPECT_EQ(before.devices, 5);
    EXPECT_GT(before.events, 430'335u / 3);
    EXPECT_LT(before.events, 430'335u * 3);
    EXPECT_TRUE(before.how.contains(QStringLiteral("estimated"))) << before.how.toStdString();

    session.run();
    waitForState(session, LabSession::RunState::Finished);
    const ExportBasis after = exporter.basis();
    EXPECT_EQ(after.events, session.keptRuns().back().result.eventsExecuted);
    EXPECT_TRUE(after.how.contains(QStringLiteral("finished run"))) << after.how.toStdString();

    const ExportSelection initial = exporter.defaultSelection();
    EXPECT_FALSE(initial.has(ExportPart::Trace));  // ~190 MB: ticked only on purpose
    EXPECT_TRUE(initial.has(ExportPart::Pcap));
    EXPECT_TRUE(initial.has(ExportPart::ReportHtml));

    QTemporaryDir tmp;
    ExportDialog dialog(exporter.estimate(), after.how, initial, tmp.path());
    QCheckBox* trace = dialog.partBox(ExportPart::Trace);
    EXPECT_FALSE(trace->isChecked());
    EXPECT_TRUE(trace->text().contains(QStringLiteral("trace.jsonl"))) << trace->text().toStdString();
    EXPECT_TRUE(trace->text().contains(QStringLiteral("about 1")) || trace->text().contains(QStringLiteral("about 2")))
        << trace->text().toStdString();
    EXPECT_TRUE(trace->text().contains(QStringLiteral(" MB"))) << trace->text().toStdString();
    EXPECT_TRUE(dialog.totalText().contains(QStringLiteral("about"))) << dialog.totalText().toStdString();
    EXPECT_TRUE(dialog.canExport());
    if (const QString shots = qEnvironmentVariable("OTALAB_SHOTS"); !shots.isEmpty()) {  // for people
        dialog.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
        dialog.grab().save(QDir(shots).filePath(QStringLiteral("export-dialog.png")));
    }
    for (int i = 0; i < kExportPartCount; ++i)
        dialog.partBox(ExportPart(i))->setChecked(false);
    EXPECT_FALSE(dialog.canExport());
    dialog.partBox(ExportPart::Csv)->setChecked(true);
    EXPECT_TRUE(dialog.canExport());
    ExportSelection csvOnly = ExportSelection::none();
    csvOnly.set(ExportPart::Csv, true);
    EXPECT_EQ(dialog.selection(), csvOnly);

    auto files = exporter.exportTo(tmp.filePath(QStringLiteral("csv")), dialog.selection());
    ASSERT_TRUE(files.has_value()) << files.error().message.toStdString();
    EXPECT_EQ(namesIn(tmp.filePath(QStringLiteral("csv"))), (QStringList{QStringLiteral("devices.csv"), QStringLiteral("progress.csv")}));
}

} // namespace
} // namespace otalab::app
