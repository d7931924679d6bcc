// SPDX-License-Identifier: Apache-2.0
// The real OCF path end to end on loopback: `ocf serve-image` + `target serve --ocf` +
// `ocf upgrade --watch`. The upgrade at a scheduled time runs the new version with the user
// data untouched; a device killed mid-download resumes at its stored offset; an image signed
// with another key ends in result 5 with the old version still running.
#include "tests/support/coap_ocf_lab.h"

#include <gtest/gtest.h>

namespace otalab::testing {
namespace {

// "user data 69 bytes, sha256 <hex>" of the n-th boot in a target's output.
QString userDataChecksum(const QString& output, int boot)
{
    const QRegularExpression re(QStringLiteral("booted version \\S+ .*sha256 ([0-9a-f]{64})"));
    auto it = re.globalMatch(output);
    for (int i = 0; it.hasNext(); ++i) {
        const auto m = it.next();
        if (i == boot)
            return m.captured(1);
    }
    return {};
}

// (d) upgrade --at +2 --watch: the step ends in success, the target runs 2.0.0 after MCUboot's
// swap, and the user data's checksum is the one it booted with.
TEST(OcfUpgradeEndToEnd, ScheduledUpgradeRunsTheNewVersionAndKeepsUserData)
{
    OcfLab lab;
    ASSERT_TRUE(lab.ok());
    const auto key = lab.makeKey(QStringLiteral("vendor"));
    ASSERT_TRUE(key);
    ASSERT_TRUE(lab.serveImage(lab.makeImage(QStringLiteral("app-2.0.0.bin"), QStringLiteral("2.0.0"), 30000, key)));
    LiveProcess* target = lab.startTarget({QStringLiteral("--key"), lab.path(QStringLiteral("vendor.pub.pem")),
                                           QStringLiteral("--version"), QStringLiteral("1.0.0")});
    ASSERT_TRUE(target);
    const QString before = userDataChecksum(target->output(), 0);
    ASSERT_FALSE(before.isEmpty()) << target->output().toStdString();

    const ProcessRun upgrade = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), lab.conn(),
                                              QStringLiteral("upgrade"), QStringLiteral("--purl"), lab.purl(),
                                              QStringLiteral("--at"), QStringLiteral("+2"), QStringLiteral("--watch"),
                                              QStringLiteral("--timeout"), QStringLiteral("60")},
                                             70000);
    EXPECT_EQ(upgrade.code, 0) << show(upgrade);
    for (const char* state : {"swupdatestate svv", "swupdatestate sva", "swupdatestate upgrading",
                              "swupdatestate idle, result 1 (success)", "upgraded at "})
        EXPECT_TRUE(upgrade.out.contains(QLatin1String(state))) << state << "\n" << show(upgrade);

    ASSERT_TRUE(target->waitFor(QStringLiteral("swupdatestate upgrading → idle \\(result 1\\)")).hasMatch())
        << target->output().toStdString();
    EXPECT_TRUE(target->output().contains(QStringLiteral("booted version 2.0.0"))) << target->output().toStdString();
    EXPECT_EQ(userDataChecksum(target->output(), 1), before) << target->output().toStdString();

    const ProcessRun status = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), lab.conn(),
                                             QStringLiteral("status")});
    EXPECT_EQ(status.code, 0) << show(status);
    EXPECT_TRUE(status.out.contains(QStringLiteral("result 1 (success)"))) << show(status);
    EXPECT_TRUE(status.out.contains(QStringLiteral("lastupdate 20"))) << show(status);
}

// (e) The target is killed (a power cut) after 8 blocks; restarted on the same --state it
// resumes at the stored offset, not at 0, and finishes the upgrade.
TEST(OcfUpgradeEndToEnd, KilledMidDownloadResumesAtTheStoredOffset)
{
    OcfLab lab;
    ASSERT_TRUE(lab.ok());
    // 64 blocks of 1 KiB, each answered 25 ms late: the kill lands well inside the download.
    ASSERT_TRUE(lab.serveImage(lab.makeImage(QStringLiteral("app-2.0.0.bin"), QStringLiteral("2.0.0"), 64 * 1024,
                                             std::nullopt),
                               {QStringLiteral("--delay-ms"), QStringLiteral("25")}));
    LiveProcess* target = lab.startTarget();
    ASSERT_TRUE(target);
    const ProcessRun post = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), lab.conn(),
                                           QStringLiteral("upgrade"), QStringLiteral("--purl"), lab.purl(),
                                           QStringLiteral("--at"), QStringLiteral("now")});
    ASSERT_EQ(post.code, 0) << show(post);
    ASSERT_TRUE(target->waitFor(QStringLiteral("stored 8192 of \\d+ bytes")).hasMatch()) << target->output().toStdString();
    lab.killTarget();
    const QString firstRun = target->output();
    EXPECT_FALSE(firstRun.contains(QStringLiteral("swupdatestate svv → sva"))) << firstRun.toStdString();

    target = lab.startTarget();
    ASSERT_TRUE(target);
    const auto restored = target->waitFor(QStringLiteral("restored the swupdate record: state svv, (\\d+) image bytes stored"));
    ASSERT_TRUE(restored.hasMatch()) << target->output().toStdString();
    const qint64 kept = restored.captured(1).toLongLong();
    EXPECT_GE(kept, 8192);
    const auto resumed = target->waitFor(QStringLiteral("stored (\\d+) of \\d+ bytes"));
    ASSERT_TRUE(resumed.hasMatch()) << target->output().toStdString();
    EXPECT_GT(resumed.captured(1).toLongLong(), kept) << "the first block after the restart follows the stored ones";
    EXPECT_LE(resumed.captured(1).toLongLong(), kept + 1024);
    ASSERT_TRUE(target->waitFor(QStringLiteral("swupdatestate upgrading → idle \\(result 1\\)"), 30000).hasMatch())
        << target->output().toStdString();
    EXPECT_TRUE(target->output().contains(QStringLiteral("booted version 2.0.0"))) << target->output().toStdString();
    EXPECT_FALSE(target->output().contains(QStringLiteral("stored 1024 of"))) << "the download did not start over";
}

// (f) An image signed with a key the device does not trust: validation fails (result 5, SVV
// fail), the client exits 1, nothing is applied and 1.0.0 still runs.
TEST(OcfUpgradeEndToEnd, ImageSignedWithAnotherKeyFailsValidationAndTheOldVersionRuns)
{
    OcfLab lab;
    ASSERT_TRUE(lab.ok());
    ASSERT_TRUE(lab.makeKey(QStringLiteral("vendor")));
    const auto other = lab.makeKey(QStringLiteral("attacker"));
    ASSERT_TRUE(other);
    ASSERT_TRUE(lab.serveImage(lab.makeImage(QStringLiteral("evil.bin"), QStringLiteral("9.0.0"), 12000, other)));
    LiveProcess* target = lab.startTarget({QStringLiteral("--key"), lab.path(QStringLiteral("vendor.pub.pem"))});
    ASSERT_TRUE(target);
    const ProcessRun upgrade = runCliProcess({QStringLiteral("ocf"), QStringLiteral("--conn"), lab.conn(),
                                              QStringLiteral("upgrade"), QStringLiteral("--purl"), lab.purl(),
                                              QStringLiteral("--at"), QStringLiteral("now"), QStringLiteral("--watch"),
                                              QStringLiteral("--timeout"), QStringLiteral("30")},
                                             40000);
    EXPECT_EQ(upgrade.code, 1) << show(upgrade);
    EXPECT_TRUE(upgrade.out.contains(QStringLiteral("failed: result 5 (SVV fail)"))) << show(upgrade);
    ASSERT_TRUE(target->waitFor(QStringLiteral("swupdatestate svv → idle \\(result 5\\)")).hasMatch())
        << target->output().toStdString();
    EXPECT_FALSE(target->output().contains(QStringLiteral("rebooting"))) << target->output().toStdString();
    const int stopped = target->stop();
    EXPECT_EQ(stopped, 0);
    EXPECT_TRUE(target->output().contains(QStringLiteral("stopped: version 1.0.0"))) << target->output().toStdString();
}

} // namespace
} // namespace otalab::testing
