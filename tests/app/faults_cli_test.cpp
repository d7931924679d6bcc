// SPDX-License-Identifier: Apache-2.0
// `otalab-cli run` with "faults" / "attacks" sections (the bundled SMP UDP fleet cut to 12
// boards): the summary lines, faults.csv / attacks.csv beside the report, and
// --fail-on-accepted — exit 0 when every attack was rejected, 4 when a board took one
// (a downgrade without MCUBOOT_DOWNGRADE_PREVENTION, which the SMP family reports as
// accepted), the report written either way; a fault the family cannot do stops the run
// before anything is written.
#include "cli_test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using otalab::testing::runCli;

namespace {

// The bundled SMP UDP scenario, 12 boards, none unhealthy or cut by the fleet itself, with
// `faults` and `attacks` (JSON arrays) and `downgradePrevention`, written into `dir`.
QString scenario(const QTemporaryDir& dir, const char* faults, const char* attacks, bool downgradePrevention)
{
    QFile bundled(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/smp-udp-fleet.json"));
    EXPECT_TRUE(bundled.open(QIODevice::ReadOnly));
    QJsonObject s = QJsonDocument::fromJson(bundled.readAll()).object();
    QJsonArray fleets = s.value(QStringLiteral("fleets")).toArray();
    QJsonObject fleet = fleets.at(0).toObject();
    QJsonObject boards = fleet.value(QStringLiteral("boards")).toObject();
    boards.insert(QStringLiteral("count"), 12);
    boards.insert(QStringLiteral("unhealthyShare"), 0);
    boards.insert(QStringLiteral("powerCutShare"), 0);
    boards.insert(QStringLiteral("downgradePrevention"), downgradePrevention);
    fleet.insert(QStringLiteral("boards"), boards);
    fleets.replace(0, fleet);
    s.insert(QStringLiteral("fleets"), fleets);
    s.insert(QStringLiteral("faults"), QJsonDocument::fromJson(faults).array());
    s.insert(QStringLiteral("attacks"), QJsonDocument::fromJson(attacks).array());
    const QString path = dir.filePath(QStringLiteral("faults.json"));
    QFile out(path);
    EXPECT_TRUE(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(s).toJson());
    return path;
}

} // namespace

TEST(FaultsCli, SummaryLinesFilesAndFailOnAcceptedPasses)
{
    QTemporaryDir dir;
    const QString file = scenario(dir, R"([{"id": "cut", "kind": "powerLoss", "count": 2, "atS": 5}])",
                                  R"([{"attack": "tamperedImage", "devices": [0, 1]}, {"attack": "downgrade", "devices": [2]}])", true);
    const QString out = dir.filePath(QStringLiteral("out"));
    const auto run = runCli({"run", file, "--out", out, "--fail-on-accepted"});
    EXPECT_EQ(run.code, 0) << run.err.toStdString() << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("  faults: 2 injected, 2 fired, "))) << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("  attacks: 3 tried, 3 rejected, accepted: 0"))) << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("faults.csv, attacks.csv")));
    QFile csv(QDir(out).filePath(QStringLiteral("attacks.csv")));
    ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
    EXPECT_EQ(csv.readAll().count('\n'), 4);
    QFile html(QDir(out).filePath(QStringLiteral("report.html")));
    ASSERT_TRUE(html.open(QIODevice::ReadOnly));
    EXPECT_TRUE(QString::fromUtf8(html.readAll()).contains(QStringLiteral("attacks: 3 tried on 3 devices — accepted: 0")));
}

TEST(FaultsCli, FailOnAcceptedExitsFourWhenABoardTookAnAttack)
{
    QTemporaryDir dir;
    const QString file = scenario(dir, "[]", R"([{"id": "old", "attack": "downgrade", "devices": [2]}])", false);
    const QString out = dir.filePath(QStringLiteral("out"));
    const auto gated = runCli({"run", file, "--out", out, "--fail-on-accepted"});
    EXPECT_EQ(gated.code, 4) << gated.err.toStdString();
    EXPECT_TRUE(gated.out.contains(QStringLiteral("accepted: 1"))) << gated.out.toStdString();
    EXPECT_TRUE(gated.err.contains(QStringLiteral("1 attack(s) accepted (--fail-on-accepted)")));
    EXPECT_TRUE(QFile::exists(QDir(out).filePath(QStringLiteral("report.html"))));   // written first
    const auto plain = runCli({"run", file, "--out", out});
    EXPECT_EQ(plain.code, 0);   // without the gate a finding is reported, not fatal
}

TEST(FaultsCli, AFaultTheFamilyCannotDoStopsBeforeAnythingIsWritten)
{
    QTemporaryDir dir;
    const QString file = scenario(dir, R"([{"id": "meteor", "kind": "gatewayOutage", "atS": 5}])", "[]", true);
    const QString out = dir.filePath(QStringLiteral("out"));
    const auto run = runCli({"run", file, "--out", out});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains(QStringLiteral("$.faults[0]"))) << run.err.toStdString();
    EXPECT_TRUE(run.err.contains(QStringLiteral("the smp family"))) << run.err.toStdString();
    EXPECT_FALSE(QFile::exists(QDir(out).filePath(QStringLiteral("report.json"))));
}
