// SPDX-License-Identifier: Apache-2.0
// ExportJob / ExportController::exportRun: the CLI's files for the starter scenario.
#include "export/exportcontroller.h"
#include "export/exportjob.h"

#include "sim/scenario/scenarioloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace otalab::app {
namespace {

sim::RolloutConfig starter()
{
    auto config = sim::loadScenarioFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"));
    EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().toString().toStdString());
    return config ? *config : sim::RolloutConfig{};
}

std::uint32_t le32(const QByteArray& b, int offset)
{
    return std::uint32_t(std::uint8_t(b[offset])) | std::uint32_t(std::uint8_t(b[offset + 1])) << 8 |
           std::uint32_t(std::uint8_t(b[offset + 2])) << 16 | std::uint32_t(std::uint8_t(b[offset + 3])) << 24;
}

TEST(GuiExportJob, WritesTheCliFilesForTheStarterScenario)
{
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QString out = tmp.filePath(QStringLiteral("export/nested"));
    auto outcome = ExportController::exportRun(starter(), {}, out, std::nullopt);
    ASSERT_TRUE(outcome.has_value()) << outcome.error().toString().toStdString();
    const QStringList expected = {"report.json", "devices.csv", "progress.csv", "completion-cdf.svg", "progress.svg",
                                  "energy.svg", "report.html", "trace.jsonl", "capture.pcap"};
    ASSERT_EQ(outcome->files.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(QFileInfo(outcome->files[i]).fileName(), expected[i]);
        EXPECT_GT(QFileInfo(outcome->files[i]).size(), 0) << expected[i].toStdString();
        EXPECT_TRUE(QFileInfo(outcome->files[i]).isAbsolute());
    }
    QFile pcap(QDir(out).filePath(QStringLiteral("capture.pcap")));
    ASSERT_TRUE(pcap.open(QIODevice::ReadOnly));
    const QByteArray bytes = pcap.readAll();
    ASSERT_GE(bytes.size(), 24);
    EXPECT_EQ(le32(bytes, 0), 0xA1B2C3D4u) << "pcap magic";
    EXPECT_EQ(le32(bytes, 20), 195u) << "LINKTYPE_IEEE802_15_4_WITHFCS";
    EXPECT_GT(outcome->pcapFrames, 100u);

    QFile trace(QDir(out).filePath(QStringLiteral("trace.jsonl")));
    ASSERT_TRUE(trace.open(QIODevice::ReadOnly));
    EXPECT_TRUE(trace.readLine().startsWith("{\"type\":"));

    EXPECT_EQ(outcome->result.count(sim::DeviceOutcome::Upgraded), 5);
    EXPECT_NE(outcome->fingerprint, 0u);
    EXPECT_TRUE(outcome->summary(out).contains(QStringLiteral("was not compared")));
}

TEST(GuiExportJob, LorawanRunExportsItsOwnCaptureAndFleetCharts)
{
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    auto config = sim::loadScenarioConfigFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/lorawan-demo.json"));
    ASSERT_TRUE(config.has_value()) << config.error().toString().toStdString();
    auto outcome = ExportController::exportRun(*config, QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios"), tmp.path(), std::nullopt);
    ASSERT_TRUE(outcome.has_value()) << outcome.error().toString().toStdString();
    QStringList names;
    for (const QString& file : outcome->files)
        names << QFileInfo(file).fileName();
    for (const char* expected : {"campaign-timeline.svg", "gateway-airtime.svg", "capture-lorawan.pcap", "lorawan-keys.uat"})
        EXPECT_TRUE(names.contains(QLatin1String(expected))) << expected << " in " << names.join(", ").toStdString();
    EXPECT_FALSE(names.contains(QStringLiteral("capture.pcap"))) << "no 802.15.4 frames: no empty capture.pcap";
    EXPECT_FALSE(QFile::exists(QDir(tmp.path()).filePath(QStringLiteral("capture.pcap"))));
    EXPECT_GT(QFileInfo(QDir(tmp.path()).filePath(QStringLiteral("capture-lorawan.pcap"))).size(), 100'000);
    for (const QString& file : outcome->files)
        EXPECT_TRUE(QFileInfo::exists(file)) << file.toStdString();
}

TEST(GuiExportJob, ChecksTheLiveRunsFingerprint)
{
    QTemporaryDir tmp;
    const sim::RolloutConfig config = starter();
    auto first = ExportController::exportRun(config, {}, tmp.filePath(QStringLiteral("a")), std::nullopt);
    ASSERT_TRUE(first.has_value());
    auto same = ExportController::exportRun(config, {}, tmp.filePath(QStringLiteral("b")), first->fingerprint);
    ASSERT_TRUE(same.has_value()) << same.error().message.toStdString();
    EXPECT_EQ(same->fingerprint, first->fingerprint) << "deterministic re-run";
    EXPECT_TRUE(same->summary(tmp.path()).contains(QStringLiteral("matches the finished run")));

    auto other = ExportController::exportRun(config, {}, tmp.filePath(QStringLiteral("c")), first->fingerprint ^ 1);
    ASSERT_FALSE(other.has_value());
    EXPECT_TRUE(other.error().message.contains(QStringLiteral("trace fingerprint"))) << other.error().message.toStdString();
    EXPECT_TRUE(other.error().message.contains(fingerprintHex(first->fingerprint ^ 1)));
}

TEST(GuiExportJob, UnwritableFolderIsAClearError)
{
    QTemporaryDir tmp;
    // A regular file where a folder should be: cannot be created even as root.
    const QString blocker = tmp.filePath(QStringLiteral("not-a-folder"));
    QFile f(blocker);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.close();
    auto outcome = ExportController::exportRun(starter(), {}, blocker + QStringLiteral("/out"), std::nullopt);
    ASSERT_FALSE(outcome.has_value());
    EXPECT_TRUE(outcome.error().message.startsWith(QStringLiteral("cannot create the folder"))) << outcome.error().message.toStdString();
    EXPECT_TRUE(outcome.error().message.contains(QStringLiteral("not-a-folder")));
}

TEST(GuiExportJob, CancelRemovesPartialFiles)
{
    QTemporaryDir tmp;
    ExportJob job(sim::ScenarioConfig::fromRollout(starter()), {}, tmp.path(), std::nullopt);
    job.cancel();
    auto outcome = job.run();
    ASSERT_FALSE(outcome.has_value());
    EXPECT_TRUE(outcome.error().message.startsWith(QStringLiteral("export cancelled")));
    EXPECT_FALSE(QFile::exists(tmp.filePath(QStringLiteral("capture.pcap"))));
    EXPECT_FALSE(QFile::exists(tmp.filePath(QStringLiteral("report.json"))));
}

TEST(GuiExportJob, BadScenarioIsAnError)
{
    QTemporaryDir tmp;
    sim::RolloutConfig config = starter();
    config.images.front().path = tmp.filePath(QStringLiteral("missing.ota"));
    auto outcome = ExportController::exportRun(config, {}, tmp.path(), std::nullopt);
    ASSERT_FALSE(outcome.has_value());
    EXPECT_TRUE(outcome.error().message.startsWith(QStringLiteral("the scenario does not build"))) << outcome.error().message.toStdString();
}

} // namespace
} // namespace otalab::app
