// SPDX-License-Identifier: Apache-2.0
// `otalab-cli run` of a 10-device ocf fleet (6 Thread, 4 Wi-Fi) with a replay attack on one
// device: the summary, exit 0 under --fail-on-accepted, the report files, and the same
// fingerprint twice.
#include "cli_test_support.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using otalab::testing::runCli;

namespace {

QString writeScenario(const QTemporaryDir& dir)
{
    const QString path = dir.filePath(QStringLiteral("ocf-ten.json"));
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({ "name": "ocf-ten", "seed": 10,
  "fleets": [ { "name": "homes", "family": "ocf",
                "devices": [ { "count": 6, "link": "thread" }, { "count": 4, "link": "wifi" } ],
                "image": { "sizeBytes": 16384 },
                "schedule": { "startsAt": "2026-12-08T01:55:00Z", "updateTime": "2026-12-08T02:00:00Z" } } ],
  "attacks": [ { "attack": "replay", "fleet": "homes", "devices": [3] } ],
  "stop": { "until": 86400, "whenAllFinished": true } })");
    return path;
}

QString fingerprintLine(const QString& out)
{
    for (const QString& line : out.split(QLatin1Char('\n')))
        if (line.trimmed().startsWith(QStringLiteral("fingerprint")))
            return line.trimmed();
    return QString();
}

} // namespace

TEST(OcfFleetRunCli, TenDevicesUpgradeAndTheReplayIsRejected)
{
    QTemporaryDir dir;
    const QString file = writeScenario(dir);
    const auto run = runCli({"run", file, "--out", dir.filePath(QStringLiteral("out")), "--fail-on-accepted"});
    EXPECT_EQ(run.code, 0) << run.err.toStdString() << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("9/10 upgraded, 0 failed, 1 refused"))) << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("attacks: 1 tried, 1 rejected, accepted: 0"))) << run.out.toStdString();
    EXPECT_TRUE(QFile::exists(dir.filePath(QStringLiteral("out/report.json"))));
    EXPECT_TRUE(QFile::exists(dir.filePath(QStringLiteral("out/attacks.csv"))));
    const auto again = runCli({"run", file, "--out", dir.filePath(QStringLiteral("out2"))});
    EXPECT_EQ(again.code, 0) << again.err.toStdString();
    EXPECT_FALSE(fingerprintLine(run.out).isEmpty());
    EXPECT_EQ(fingerprintLine(run.out), fingerprintLine(again.out));
}
