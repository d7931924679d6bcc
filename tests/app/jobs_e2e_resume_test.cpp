// SPDX-License-Identifier: Apache-2.0
// End to end against a real mosquitto: interrupted downloads resume from the agent's block
// bitmap — a dropped connection (--drop-after-blocks), the broker killed and restarted,
// the device process killed and started again on its flash folder. The blocks re-sent are
// the missing ones only.
#include "jobs_e2e_support.h"

#include <QSet>

namespace otalab::testing {
namespace {

// Each block id at most once.
bool noDuplicates(const QList<std::uint32_t>& ids)
{
    return QSet<std::uint32_t>(ids.begin(), ids.end()).size() == ids.size();
}

QString show(const QList<std::uint32_t>& ids)
{
    QStringList parts;
    for (std::uint32_t id : ids)
        parts << QString::number(id);
    return parts.join(QLatin1Char(' '));
}

constexpr int kBlocks = 24;

TEST(JobsE2eResume, DroppedConnectionResumesFromTheBitmap)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    LabDevice& dev = lab.startDevice(QStringLiteral("drop1"), [](auto& o) { o.dropAfterBlocks = 5; });
    const QByteArray image = testImage(kBlocks * int(JobsLab::kBlockSize) - 100);
    ASSERT_TRUE(lab.service().handle(lab.createRequest(QStringLiteral("fw-drop"), {QStringLiteral("drop1")}, image)).ok);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-drop"), QStringLiteral("drop1"), QStringLiteral("SUCCEEDED")))
        << dev.log.join('\n').toStdString();

    EXPECT_EQ(dev.host->connectionDrops(), 1);
    EXPECT_FALSE(dev.log.filter(QStringLiteral("dropping the broker connection after 5 blocks")).isEmpty());
    // The device got every block exactly once: after the reconnect it asked for the missing
    // ones only. The service sent at most one block twice: the one requested just before
    // the drop, lost with the connection.
    const QList<std::uint32_t> received = dev.host->blockIdsReceived();
    EXPECT_TRUE(noDuplicates(received)) << show(received).toStdString();
    EXPECT_EQ(received.size(), kBlocks);
    const QList<std::uint32_t> sent = lab.service().blocksSent(QStringLiteral("fw-drop"), QStringLiteral("drop1"));
    EXPECT_LE(sent.size(), kBlocks + 1) << show(sent).toStdString();
    EXPECT_EQ(QSet<std::uint32_t>(sent.begin(), sent.end()).size(), kBlocks);
    EXPECT_FALSE(dev.log.filter(QStringLiteral("-> Suspended (Suspend)")).isEmpty()) << dev.log.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(QFile(QDir(dev.dir).filePath(QStringLiteral("firmware.bin"))).size(), image.size());
}

TEST(JobsE2eResume, BrokerKilledAndRestartedMidDownloadResumes)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    LabDevice& dev = lab.startDevice(QStringLiteral("kill1"));
    const QByteArray image = testImage(kBlocks * int(JobsLab::kBlockSize));
    // Kill the broker (SIGKILL: both clients lose their connection) after the 6th block, and
    // bring it back on the same port at once; service and device reconnect by themselves.
    bool killed = false;
    QObject::connect(dev.host.get(), &hw::awsota::AwsOtaDeviceHost::progress, dev.host.get(),
                     [&](std::uint32_t receivedBlocks, std::uint32_t) {
                         if (receivedBlocks != 6 || killed)
                             return;
                         killed = true;
                         lab.broker().stop();
                         ASSERT_TRUE(lab.broker().restart()) << lab.broker().errorString().toStdString();
                     });
    ASSERT_TRUE(lab.service().handle(lab.createRequest(QStringLiteral("fw-kill"), {QStringLiteral("kill1")}, image)).ok);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-kill"), QStringLiteral("kill1"), QStringLiteral("SUCCEEDED"), 90000))
        << dev.log.join('\n').toStdString() << "\n--- service\n" << lab.serviceLog().join('\n').toStdString();
    EXPECT_TRUE(killed);
    EXPECT_GE(dev.host->connectionDrops(), 1);
    const QList<std::uint32_t> received = dev.host->blockIdsReceived();
    EXPECT_TRUE(noDuplicates(received)) << show(received).toStdString();
    EXPECT_EQ(received.size(), kBlocks);
}

TEST(JobsE2eResume, DeviceKilledMidDownloadResumesFromItsFlash)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    LabDevice& first = lab.startDevice(QStringLiteral("boot1"));
    const QByteArray image = testImage(kBlocks * int(JobsLab::kBlockSize) - 1);
    bool cut = false;
    QList<std::uint32_t> before;
    QObject::connect(first.host.get(), &hw::awsota::AwsOtaDeviceHost::progress, first.host.get(),
                     [&](std::uint32_t receivedBlocks, std::uint32_t) {
                         if (receivedBlocks == 8 && !cut) {
                             cut = true;
                             before = first.host->blockIdsReceived();
                             // Power cut: the process is gone without a word (from the event
                             // loop, not from inside the host's own signal).
                             QTimer::singleShot(0, [&lab] { lab.killDevice(QStringLiteral("boot1")); });
                         }
                     });
    ASSERT_TRUE(lab.service().handle(lab.createRequest(QStringLiteral("fw-boot"), {QStringLiteral("boot1")}, image)).ok);
    ASSERT_TRUE(waitFor([&] { return cut; }));
    ASSERT_TRUE(waitFor([&] {
        try {
            lab.device(QStringLiteral("boot1"));
            return false;
        } catch (const std::out_of_range&) {
            return true;
        }
    }));
    ASSERT_EQ(before.size(), 8);

    // The same thing starts again on its folder: it resumes with the 8 blocks it has.
    LabDevice& second = lab.startDevice(QStringLiteral("boot1"));
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-boot"), QStringLiteral("boot1"), QStringLiteral("SUCCEEDED"), 60000))
        << second.log.join('\n').toStdString();
    EXPECT_FALSE(second.log.filter(QStringLiteral("resuming job fw-boot: 8/%1 blocks already in flash").arg(kBlocks)).isEmpty())
        << second.log.join('\n').toStdString();
    const QList<std::uint32_t> after = second.host->blockIdsReceived();
    EXPECT_TRUE(noDuplicates(after)) << show(after).toStdString();
    EXPECT_EQ(after.size(), kBlocks - 8) << show(after).toStdString();
    for (std::uint32_t id : before)
        EXPECT_FALSE(after.contains(id)) << "block " << id << " was asked again";
    QFile firmware(QDir(second.dir).filePath(QStringLiteral("firmware.bin")));
    ASSERT_TRUE(firmware.open(QIODevice::ReadOnly));
    EXPECT_EQ(firmware.readAll(), image);
}

} // namespace
} // namespace otalab::testing
