// SPDX-License-Identifier: Apache-2.0
// `otalab-cli mcuboot powercut`: the table, JSON, exit 1 with the failing cut described,
// usage errors, and the group's --help.
#include "cli_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace otalab {
namespace {

using testing::runCli;

const QStringList kSmall{QStringLiteral("mcuboot"), QStringLiteral("powercut"), QStringLiteral("--image-kib"),
                         QStringLiteral("6"), QStringLiteral("--sector-kib"), QStringLiteral("1"),
                         QStringLiteral("--double-cuts"), QStringLiteral("10"), QStringLiteral("--random-runs"),
                         QStringLiteral("3")};

TEST(McubootPowercutCli, EverySwapTypeRecoversAndIsTabulated)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString json = dir.filePath(QStringLiteral("powercut.json"));
    const auto run = runCli(kSmall + QStringList{QStringLiteral("--json"), json});
    EXPECT_EQ(run.code, 0) << run.out.toStdString() << run.err.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("swap-move"))) << run.out.toStdString();
    for (const char* swap : {"test", "perm", "revert"})
        EXPECT_TRUE(run.out.contains(QStringLiteral("\n%1 ").arg(QLatin1String(swap)))) << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("cuts tried")));
    QFile f(json);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    EXPECT_TRUE(o.value(QStringLiteral("ok")).toBool());
    const QJsonArray swaps = o.value(QStringLiteral("swaps")).toArray();
    ASSERT_EQ(swaps.size(), 3);
    for (const QJsonValue& s : swaps) {
        const QJsonObject row = s.toObject();
        EXPECT_GT(row.value(QStringLiteral("flashOps")).toInt(), 0);
        EXPECT_EQ(row.value(QStringLiteral("cutsTried")).toInt(), row.value(QStringLiteral("flashOps")).toInt());
        EXPECT_EQ(row.value(QStringLiteral("cutsRecovered")).toInt(), row.value(QStringLiteral("cutsTried")).toInt());
    }
}

TEST(McubootPowercutCli, OverwriteOnlyHasNoRevertColumn)
{
    const auto run = runCli(kSmall + QStringList{QStringLiteral("--strategy"), QStringLiteral("overwrite-only")});
    EXPECT_EQ(run.code, 0) << run.err.toStdString();
    EXPECT_FALSE(run.out.contains(QStringLiteral("\nrevert ")));
    const auto revert = runCli(kSmall + QStringList{QStringLiteral("--strategy"), QStringLiteral("overwrite-only"),
                                                    QStringLiteral("--swap"), QStringLiteral("revert")});
    EXPECT_EQ(revert.code, 2);
    EXPECT_TRUE(revert.err.contains(QStringLiteral("no revert swap"))) << revert.err.toStdString();
}

TEST(McubootPowercutCli, ASabotagedLoaderExitsOneNamingTheCut)
{
    const auto run = runCli(kSmall + QStringList{QStringLiteral("--swap"), QStringLiteral("perm"), QStringLiteral("--sabotage"),
                                                 QStringLiteral("lose-swap-status")});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains(QStringLiteral("did not recover"))) << run.err.toStdString();
    EXPECT_TRUE(run.err.contains(QStringLiteral("perm: power cut at flash op"))) << run.err.toStdString();
}

TEST(McubootPowercutCli, UsageErrorsAndGroupHelp)
{
    EXPECT_EQ(runCli({QStringLiteral("mcuboot"), QStringLiteral("powercut"), QStringLiteral("--strategy"), QStringLiteral("scratch")}).code, 2);
    EXPECT_EQ(runCli({QStringLiteral("mcuboot"), QStringLiteral("powercut"), QStringLiteral("--strategy"), QStringLiteral("direct-xip")}).code, 2);
    EXPECT_EQ(runCli({QStringLiteral("mcuboot"), QStringLiteral("powercut"), QStringLiteral("--sector-kib"), QStringLiteral("3")}).code, 2);
    EXPECT_EQ(runCli({QStringLiteral("mcuboot"), QStringLiteral("powercut"), QStringLiteral("--swap"), QStringLiteral("x")}).code, 2);
    const auto group = runCli({QStringLiteral("mcuboot"), QStringLiteral("--help")});
    EXPECT_EQ(group.code, 0);
    EXPECT_TRUE(group.out.contains(QStringLiteral("mcuboot powercut"))) << group.out.toStdString();
    const auto help = runCli({QStringLiteral("mcuboot"), QStringLiteral("powercut"), QStringLiteral("--help")});
    EXPECT_EQ(help.code, 0);
    EXPECT_TRUE(help.out.contains(QStringLiteral("--double-cuts")));
}

} // namespace
} // namespace otalab
