// SPDX-License-Identifier: Apache-2.0
// End to end against a real mosquitto: the jobs service host ↔ emulated FreeRTOS OTA
// devices, in process. A full download with signature check and self-test (pass → the
// new image is committed, SUCCEEDED; fail → rollback, FAILED) and a wrong signature
// (FAILED, the image never activated).
#include "jobs_e2e_support.h"

#include <QFileInfo>

namespace otalab::testing {
namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

TEST(JobsE2eDownload, FullDownloadSignatureAndSelfTestPassSucceed)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    LabDevice& dev = lab.startDevice(QStringLiteral("dev1"));
    const QByteArray image = testImage(10000);   // 10 blocks of 1024, the last 784 bytes

    const auto response = lab.service().handle(lab.createRequest(QStringLiteral("fw-1"), {QStringLiteral("dev1")}, image));
    ASSERT_TRUE(response.ok) << response.error.toStdString();
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-1"), QStringLiteral("dev1"), QStringLiteral("SUCCEEDED")))
        << lab.serviceLog().join('\n').toStdString() << "\n" << dev.log.join('\n').toStdString();

    // The committed image is the job's file, the device now runs 1.0.1, it rebooted once.
    EXPECT_EQ(readAll(QDir(dev.dir).filePath(QStringLiteral("firmware.bin"))), image);
    EXPECT_FALSE(QFileInfo::exists(QDir(dev.dir).filePath(QStringLiteral("pending.bin"))));
    EXPECT_EQ(dev.host->runningVersion().toString(), QStringLiteral("1.0.1"));
    EXPECT_EQ(dev.host->reboots(), 1);
    EXPECT_EQ(dev.host->pal().storedImageState(), core::awsota::ImageState::Accepted);
    EXPECT_TRUE(dev.log.filter(QStringLiteral("signature verified")).size() == 1) << dev.log.join('\n').toStdString();

    // Every block went out exactly once; the execution shows the agent's last words.
    const QList<std::uint32_t> sent = lab.service().blocksSent(QStringLiteral("fw-1"), QStringLiteral("dev1"));
    EXPECT_EQ(sent, (QList<std::uint32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    const auto job = lab.service().summary(QStringLiteral("fw-1"));
    ASSERT_TRUE(job.has_value());
    EXPECT_EQ(job->status, QStringLiteral("COMPLETED"));
    ASSERT_EQ(job->executions.size(), 1u);
    EXPECT_EQ(job->executions[0].executionNumber, 1);
    EXPECT_EQ(job->executions[0].blocksReceived, 10);
    EXPECT_EQ(job->executions[0].blocksTotal, 10);
    EXPECT_TRUE(job->executions[0].statusDetails.value(QStringLiteral("reason")).toString().startsWith(QStringLiteral("accepted")))
        << QJsonDocument(job->executions[0].statusDetails).toJson().toStdString();
    // The service's own story: QUEUED → IN_PROGRESS (receive), self_test ready, active, SUCCEEDED.
    const QStringList changes = lab.serviceLog().filter(QStringLiteral("fw-1 dev1: "));
    EXPECT_FALSE(changes.filter(QStringLiteral("QUEUED -> IN_PROGRESS {\"receive\":\"1/10\"}")).isEmpty());
    EXPECT_FALSE(changes.filter(QStringLiteral("\"self_test\":\"ready\"")).isEmpty());
    EXPECT_FALSE(changes.filter(QStringLiteral("\"self_test\":\"active\"")).isEmpty());
    EXPECT_FALSE(changes.filter(QStringLiteral("IN_PROGRESS -> SUCCEEDED")).isEmpty());
}

TEST(JobsE2eDownload, SelfTestFailRollsBackAndFails)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    LabDevice& dev = lab.startDevice(QStringLiteral("dev2"), [](auto& o) { o.selfTestPasses = false; });
    const QByteArray image = testImage(5000);

    ASSERT_TRUE(lab.service().handle(lab.createRequest(QStringLiteral("fw-bad"), {QStringLiteral("dev2")}, image)).ok);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-bad"), QStringLiteral("dev2"), QStringLiteral("FAILED")))
        << dev.log.join('\n').toStdString();
    // Rolled back: the factory image runs again (no firmware.bin, nothing pending), two
    // reboots (into the new image, back to the old one).
    ASSERT_TRUE(waitFor([&] { return dev.host->reboots() == 2 && dev.host->agent(); }));
    EXPECT_FALSE(QFileInfo::exists(QDir(dev.dir).filePath(QStringLiteral("firmware.bin"))));
    EXPECT_FALSE(dev.host->pal().hasPendingImage());
    EXPECT_EQ(dev.host->pal().runningImageId(), QStringLiteral("factory"));
    ASSERT_TRUE(waitFor([&] { return dev.host->runningVersion().toString() == QStringLiteral("1.0.0"); }));
    const auto job = lab.service().summary(QStringLiteral("fw-bad"));
    EXPECT_TRUE(job->executions[0].statusDetails.value(QStringLiteral("reason")).toString().startsWith(QStringLiteral("rejected")))
        << QJsonDocument(job->executions[0].statusDetails).toJson().toStdString();
}

TEST(JobsE2eDownload, WrongSignatureFailsAndIsNeverActivated)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    LabDevice& dev = lab.startDevice(QStringLiteral("dev3"));
    const QByteArray image = testImage(3000);

    // Signed by a key whose certificate the device does not have.
    ASSERT_TRUE(lab.service()
                    .handle(lab.createRequest(QStringLiteral("fw-forged"), {QStringLiteral("dev3")}, image, {}, true))
                    .ok);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-forged"), QStringLiteral("dev3"), QStringLiteral("FAILED")))
        << dev.log.join('\n').toStdString();
    const auto job = lab.service().summary(QStringLiteral("fw-forged"));
    // The library's word: 0x000000e3 = signature check failed.
    EXPECT_TRUE(job->executions[0].statusDetails.value(QStringLiteral("reason")).toString().startsWith(QStringLiteral("0x000000e3")))
        << QJsonDocument(job->executions[0].statusDetails).toJson().toStdString();
    EXPECT_EQ(dev.host->reboots(), 0);
    EXPECT_FALSE(dev.host->pal().hasPendingImage());
    EXPECT_FALSE(QFileInfo::exists(QDir(dev.dir).filePath(QStringLiteral("firmware.bin"))));
    EXPECT_FALSE(dev.log.filter(QStringLiteral("signature check FAILED")).isEmpty()) << dev.log.join('\n').toStdString();
}

TEST(JobsE2eDownload, OverTlsWithClientCertificates)
{
    JobsLab lab(true);
    OTALAB_START_JOBS_LAB(lab);
    LabDevice& dev = lab.startDevice(QStringLiteral("tls1"));
    EXPECT_TRUE(dev.link->describe().contains(QStringLiteral("TLS"))) << dev.link->describe().toStdString();
    const QByteArray image = testImage(6000);
    ASSERT_TRUE(lab.service().handle(lab.createRequest(QStringLiteral("fw-tls"), {QStringLiteral("tls1")}, image)).ok);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-tls"), QStringLiteral("tls1"), QStringLiteral("SUCCEEDED")))
        << dev.log.join('\n').toStdString();
    EXPECT_EQ(readAll(QDir(dev.dir).filePath(QStringLiteral("firmware.bin"))), image);
}

} // namespace
} // namespace otalab::testing
