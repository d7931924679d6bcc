// SPDX-License-Identifier: Apache-2.0
// End to end against a real mosquitto: `otalab-cli jobs create|list|describe|cancel`
// (in process) through the control topics to the service host; the service restarted on
// its --state folder keeps its jobs and continues the rollout; what the service publishes
// seen by Debian's mosquitto_sub (topic and JSON as PROTOCOLS.md says).
#include "cli_test_support.h"
#include "jobs_e2e_support.h"

#include <QProcess>
#include <QStandardPaths>

namespace otalab::testing {
namespace {

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    ASSERT_EQ(f.write(bytes), bytes.size());
}

TEST(JobsE2eControl, CreateListDescribeCancelThroughTheCli)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    const QString key = QDir(lab.dir()).filePath(QStringLiteral("signer.key"));
    const QString image = QDir(lab.dir()).filePath(QStringLiteral("app.bin"));
    writeFile(key, lab.identity().privateKeyPem);
    writeFile(image, testImage(4000));
    LabDevice& dev = lab.startDevice(QStringLiteral("c1"));
    const QString url = lab.broker().url();

    CliRun run = runCli({QStringLiteral("jobs"), QStringLiteral("create"), QStringLiteral("--broker"), url,
                         QStringLiteral("--job-id"), QStringLiteral("fw-cli"), QStringLiteral("--targets"),
                         QStringLiteral("c1,c2"), QStringLiteral("--file"), image, QStringLiteral("--key"), key,
                         QStringLiteral("--cert"), lab.certFile(), QStringLiteral("--cert-path"),
                         QStringLiteral("/certs/signer.crt"), QStringLiteral("--max-per-minute"), QStringLiteral("1"),
                         QStringLiteral("--abort"), QStringLiteral("FAILED:50:2"), QStringLiteral("--timeout-minutes"),
                         QStringLiteral("30")});
    ASSERT_EQ(run.code, 0) << run.err.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("created job fw-cli  IN_PROGRESS  2 targets  stream fw-cli-stream (4000 bytes)  notified 1")))
        << run.out.toStdString();
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-cli"), QStringLiteral("c1"), QStringLiteral("SUCCEEDED")))
        << dev.log.join('\n').toStdString();

    run = runCli({QStringLiteral("jobs"), QStringLiteral("list"), QStringLiteral("--broker"), url});
    ASSERT_EQ(run.code, 0) << run.err.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("job fw-cli  IN_PROGRESS  2 targets"))) << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("1.0/min"))) << run.out.toStdString();

    run = runCli({QStringLiteral("jobs"), QStringLiteral("describe"), QStringLiteral("fw-cli"), QStringLiteral("--broker"), url});
    ASSERT_EQ(run.code, 0) << run.err.toStdString();
    EXPECT_TRUE(run.out.contains(QRegularExpression(QStringLiteral("c1 +SUCCEEDED +1 +\\d+ +4/4 +\\{\"reason\":\"accepted"))))
        << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QRegularExpression(QStringLiteral("c2 +QUEUED +0 "))))
        << run.out.toStdString();

    // Refusals are the service's words with exit 1.
    run = runCli({QStringLiteral("jobs"), QStringLiteral("describe"), QStringLiteral("nope"), QStringLiteral("--broker"), url});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains(QStringLiteral("no job 'nope'"))) << run.err.toStdString();
    run = runCli({QStringLiteral("jobs"), QStringLiteral("create"), QStringLiteral("--broker"), url, QStringLiteral("--job-id"),
                  QStringLiteral("fw-cli"), QStringLiteral("--targets"), QStringLiteral("c1"), QStringLiteral("--file"), image,
                  QStringLiteral("--key"), key, QStringLiteral("--cert-path"), QStringLiteral("/c")});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains(QStringLiteral("exists already"))) << run.err.toStdString();

    run = runCli({QStringLiteral("jobs"), QStringLiteral("cancel"), QStringLiteral("fw-cli"), QStringLiteral("--broker"), url,
                  QStringLiteral("--reason"), QStringLiteral("enough")});
    ASSERT_EQ(run.code, 0) << run.err.toStdString();
    EXPECT_TRUE(run.out.contains(QStringLiteral("job fw-cli  CANCELED"))) << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QRegularExpression(QStringLiteral("c2 +CANCELED")))) << run.out.toStdString();
    EXPECT_TRUE(run.out.contains(QRegularExpression(QStringLiteral("c1 +SUCCEEDED")))) << run.out.toStdString();
    run = runCli({QStringLiteral("jobs"), QStringLiteral("cancel"), QStringLiteral("fw-cli"), QStringLiteral("--broker"), url});
    EXPECT_EQ(run.code, 1);
    EXPECT_TRUE(run.err.contains(QStringLiteral("nothing to cancel"))) << run.err.toStdString();

    // No service on the broker / no broker at all: exit 4, said plainly.
    lab.stopService();
    run = runCli({QStringLiteral("jobs"), QStringLiteral("list"), QStringLiteral("--broker"), url, QStringLiteral("--wait"),
                  QStringLiteral("1")});
    EXPECT_EQ(run.code, 4);
    EXPECT_TRUE(run.err.contains(QStringLiteral("no answer from a jobs service"))) << run.err.toStdString();
    lab.broker().stop();
    run = runCli({QStringLiteral("jobs"), QStringLiteral("list"), QStringLiteral("--broker"), url, QStringLiteral("--wait"),
                  QStringLiteral("5")});
    EXPECT_EQ(run.code, 4);
    EXPECT_TRUE(run.err.contains(QStringLiteral("cannot reach the broker"))) << run.err.toStdString();
}

TEST(JobsE2eControl, RestartedServiceKeepsItsJobsAndContinuesTheRollout)
{
    JobsLab lab;
    OTALAB_START_JOBS_LAB(lab);
    lab.stopService();
    const QString state = QDir(lab.dir()).filePath(QStringLiteral("state"));
    ASSERT_TRUE(lab.startService(state));
    lab.startDevice(QStringLiteral("p1"));
    lab.startDevice(QStringLiteral("p2"));
    const qint64 created = lab.clock().nowMs();
    const QJsonObject rate{{QStringLiteral("jobExecutionsRolloutConfig"), QJsonObject{{QStringLiteral("maximumPerMinute"), 1}}}};
    ASSERT_TRUE(lab.service()
                    .handle(lab.createRequest(QStringLiteral("fw-keep"), {QStringLiteral("p1"), QStringLiteral("p2")},
                                              testImage(3000), rate))
                    .ok);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-keep"), QStringLiteral("p1"), QStringLiteral("SUCCEEDED")));

    lab.stopService();
    ASSERT_TRUE(lab.startService(state));
    EXPECT_EQ(lab.service().jobIds(), QStringList{QStringLiteral("fw-keep")});
    auto job = lab.service().summary(QStringLiteral("fw-keep"));
    ASSERT_TRUE(job.has_value());
    EXPECT_EQ(job->status, QStringLiteral("IN_PROGRESS"));
    EXPECT_EQ(job->notified, 1);
    EXPECT_EQ(job->executions[0].status, QStringLiteral("SUCCEEDED"));
    EXPECT_EQ(job->executions[0].blocksReceived, 3);
    EXPECT_EQ(job->executions[1].status, QStringLiteral("QUEUED"));
    // The rollout's clock continued: p2's slot is still one minute after creation.
    EXPECT_EQ(lab.clock().pendingWake(), created + 60'000);
    lab.clock().advanceTo(created + 60'000);
    ASSERT_TRUE(lab.waitForStatus(QStringLiteral("fw-keep"), QStringLiteral("p2"), QStringLiteral("SUCCEEDED")));
    EXPECT_EQ(lab.service().summary(QStringLiteral("fw-keep"))->status, QStringLiteral("COMPLETED"));
}

TEST(JobsE2eControl, MosquittoSubSeesTheAwsTopicAndJobDocument)
{
    OTALAB_REQUIRE_MOSQUITTO();
    const QString sub = QStandardPaths::findExecutable(QStringLiteral("mosquitto_sub"));
    if (sub.isEmpty())
        GTEST_SKIP() << "mosquitto_sub is not installed (apt-get install mosquitto-clients)";
    JobsLab lab;
    QString why;
    ASSERT_TRUE(lab.start(&why)) << why.toStdString();
    ASSERT_TRUE(lab.startService());
    const QString topic = QStringLiteral("$aws/things/s1/jobs/notify-next");
    QProcess process;
    process.start(sub, {QStringLiteral("-h"), lab.broker().host(), QStringLiteral("-p"), QString::number(lab.broker().port()),
                        QStringLiteral("-v"), QStringLiteral("-t"), topic});
    ASSERT_TRUE(process.waitForStarted(10000));
    QString output;
    // Subscribed once a probe comes back through it.
    auto probe = lab.makeLink(QStringLiteral("probe"));
    ASSERT_TRUE(waitFor([&] {
        if (probe->state() == MqttLink::State::Disconnected)
            probe->connectToBroker();
        return probe->state() == MqttLink::State::Connected;
    }));
    ASSERT_TRUE(waitFor([&] {
        probe->publish(topic, QByteArrayLiteral("probe"), 0);
        output += QString::fromUtf8(process.readAllStandardOutput());
        return output.contains(QStringLiteral(" probe"));
    }, 15000));
    const QByteArray image = testImage(1500);
    ASSERT_TRUE(lab.service().handle(lab.createRequest(QStringLiteral("fw-sub"), {QStringLiteral("s1")}, image)).ok);
    ASSERT_TRUE(waitFor([&] {
        output += QString::fromUtf8(process.readAllStandardOutput());
        return output.contains(QStringLiteral("\"execution\""));
    }));
    process.kill();
    process.waitForFinished(5000);
    QString line;
    for (const QString& l : output.split(QLatin1Char('\n')))
        if (l.contains(QStringLiteral("\"execution\"")))
            line = l;
    ASSERT_TRUE(line.startsWith(topic + QLatin1Char(' '))) << line.toStdString();
    const QJsonObject body = QJsonDocument::fromJson(line.mid(topic.size() + 1).toUtf8()).object();
    const QJsonObject execution = body.value(QStringLiteral("execution")).toObject();
    EXPECT_EQ(execution.value(QStringLiteral("jobId")).toString(), QStringLiteral("fw-sub"));
    EXPECT_EQ(execution.value(QStringLiteral("status")).toString(), QStringLiteral("QUEUED"));
    EXPECT_EQ(execution.value(QStringLiteral("executionNumber")).toInt(), 1);
    const QJsonObject ota = execution.value(QStringLiteral("jobDocument")).toObject().value(QStringLiteral("afr_ota")).toObject();
    EXPECT_EQ(ota.value(QStringLiteral("protocols")).toArray(), QJsonArray{QStringLiteral("MQTT")});
    EXPECT_EQ(ota.value(QStringLiteral("streamname")).toString(), QStringLiteral("fw-sub-stream"));
    const QJsonObject file = ota.value(QStringLiteral("files")).toArray().at(0).toObject();
    EXPECT_EQ(file.value(QStringLiteral("filesize")).toInt(), image.size());
    EXPECT_EQ(file.value(QStringLiteral("fileid")).toInt(), 0);
    EXPECT_EQ(file.value(QStringLiteral("filepath")).toString(), QStringLiteral("/ota/app.bin"));
    EXPECT_EQ(file.value(QStringLiteral("certfile")).toString(), QStringLiteral("/certs/signer.crt"));
    const QByteArray signature = QByteArray::fromBase64(file.value(QStringLiteral("sig-sha256-ecdsa")).toString().toLatin1());
    EXPECT_TRUE(core::awsota::verifyFileSignature(image, signature, lab.identity().certificatePem).has_value());
}

} // namespace
} // namespace otalab::testing
