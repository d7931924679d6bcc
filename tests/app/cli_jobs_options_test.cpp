// SPDX-License-Identifier: Apache-2.0
// `otalab-cli jobs …` without a broker: help texts, usage errors, the rollout options →
// rollout section, the control protocol's bodies and errors, the jobs store round trip.
#include "cli_test_support.h"

#include "app/cli/jobs_options.h"
#include "app/hw/jobs_control_protocol.h"
#include "app/hw/jobs_rollout.h"
#include "app/hw/jobs_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace otalab::testing {
namespace {

using hw::jobs::ControlOp;
using hw::jobs::ControlRequest;

TEST(CliJobsOptions, EveryJobsCommandHasHelp)
{
    for (const char* command : {"serve", "create", "list", "describe", "cancel"}) {
        const CliRun run = runCli({QStringLiteral("jobs"), QString::fromLatin1(command), QStringLiteral("--help")});
        EXPECT_EQ(run.code, 0) << command;
        EXPECT_TRUE(run.out.contains(QStringLiteral("--broker"))) << command << run.out.toStdString();
        EXPECT_TRUE(run.out.startsWith(QStringLiteral("Usage: otalab-cli jobs ") + QString::fromLatin1(command))) << command;
    }
    const CliRun target = runCli({QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--mqtt"),
                                  QStringLiteral("mqtt://127.0.0.1:1"), QStringLiteral("--help")});
    EXPECT_EQ(target.code, 0);
    EXPECT_TRUE(target.out.contains(QStringLiteral("--drop-after-blocks"))) << target.out.toStdString();
    EXPECT_TRUE(target.out.contains(QStringLiteral("--self-test")));
    const CliRun group = runCli({QStringLiteral("jobs")});
    EXPECT_EQ(group.code, 2);
    EXPECT_TRUE(group.out.contains(QStringLiteral("jobs describe")));
}

TEST(CliJobsOptions, UsageErrorsSayWhatIsWrong)
{
    CliRun run = runCli({QStringLiteral("jobs"), QStringLiteral("list")});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("--broker is required"))) << run.err.toStdString();
    run = runCli({QStringLiteral("jobs"), QStringLiteral("list"), QStringLiteral("--broker"), QStringLiteral("tcp://x")});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("--broker"))) << run.err.toStdString();
    run = runCli({QStringLiteral("jobs"), QStringLiteral("describe"), QStringLiteral("--broker"),
                  QStringLiteral("mqtt://127.0.0.1:1883")});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("give one job id")));
    run = runCli({QStringLiteral("jobs"), QStringLiteral("create"), QStringLiteral("--broker"), QStringLiteral("mqtt://127.0.0.1:1883"),
                  QStringLiteral("--job-id"), QStringLiteral("fw 1"), QStringLiteral("--targets"), QStringLiteral("a"),
                  QStringLiteral("--file"), QStringLiteral("x"), QStringLiteral("--key"), QStringLiteral("k"),
                  QStringLiteral("--cert-path"), QStringLiteral("/c")});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("--job-id"))) << run.err.toStdString();
    run = runCli({QStringLiteral("jobs"), QStringLiteral("create"), QStringLiteral("--broker"), QStringLiteral("mqtt://127.0.0.1:1883"),
                  QStringLiteral("--job-id"), QStringLiteral("fw1"), QStringLiteral("--targets"), QStringLiteral("a,b,a"),
                  QStringLiteral("--file"), QStringLiteral("x"), QStringLiteral("--key"), QStringLiteral("k"),
                  QStringLiteral("--cert-path"), QStringLiteral("/c")});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("a is listed twice"))) << run.err.toStdString();
    // A rate outside AWS's range is refused before anything is sent, naming the key.
    run = runCli({QStringLiteral("jobs"), QStringLiteral("create"), QStringLiteral("--broker"), QStringLiteral("mqtt://127.0.0.1:1883"),
                  QStringLiteral("--job-id"), QStringLiteral("fw1"), QStringLiteral("--targets"), QStringLiteral("a"),
                  QStringLiteral("--file"), QStringLiteral("x"), QStringLiteral("--key"), QStringLiteral("k"),
                  QStringLiteral("--cert-path"), QStringLiteral("/c"), QStringLiteral("--exponential"), QStringLiteral("2,9,succeeded:1")});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("incrementFactor"))) << run.err.toStdString();
    run = runCli({QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--mqtt"), QStringLiteral("mqtt://127.0.0.1:1")});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("--thing is required")));
    run = runCli({QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--mqtt"), QStringLiteral("mqtt://127.0.0.1:1"),
                  QStringLiteral("--thing"), QStringLiteral("d"), QStringLiteral("--self-test"), QStringLiteral("maybe")});
    EXPECT_EQ(run.code, 2);
    EXPECT_TRUE(run.err.contains(QStringLiteral("neither pass nor fail")));
}

TEST(CliJobsOptions, RolloutOptionsBuildTheScenarioSection)
{
    cli::JobsRolloutOptions options;
    options.exponential = QStringLiteral("2,1.5,succeeded:3");
    options.maxPerMinute = QStringLiteral("10");
    options.abort = {QStringLiteral("FAILED:5:100"), QStringLiteral("timed_out:20:10")};
    options.timeoutMinutes = QStringLiteral("30");
    auto section = cli::rolloutSectionFromOptions(options);
    ASSERT_TRUE(section.has_value()) << section.error().message.toStdString();
    const QJsonObject expected = QJsonDocument::fromJson(R"({
        "order": "index",
        "jobExecutionsRolloutConfig": {"maximumPerMinute": 10,
            "exponentialRate": {"baseRatePerMinute": 2, "incrementFactor": 1.5,
                                "rateIncreaseCriteria": {"numberOfSucceededThings": 3}}},
        "abortConfig": {"criteriaList": [
            {"failureType": "FAILED", "action": "CANCEL", "thresholdPercentage": 5, "minNumberOfExecutedThings": 100},
            {"failureType": "TIMED_OUT", "action": "CANCEL", "thresholdPercentage": 20, "minNumberOfExecutedThings": 10}]},
        "timeoutConfig": {"inProgressTimeoutInMinutes": 30}})").object();
    EXPECT_EQ(*section, expected);
    auto config = hw::jobs::rolloutPolicyFromSection(*section, QStringLiteral("fw"), {QStringLiteral("a"), QStringLiteral("b")});
    ASSERT_TRUE(config.has_value()) << config.error().toString().toStdString();
    EXPECT_EQ(config->rollout.maximumPerMinute, 10);
    EXPECT_EQ(config->abort.size(), 2u);
    EXPECT_EQ(config->order, QStringLiteral("index"));
    EXPECT_EQ(config->targets, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));

    EXPECT_FALSE(cli::parseExponentialOption(QStringLiteral("2,1.5")).has_value());
    EXPECT_FALSE(cli::parseExponentialOption(QStringLiteral("2,1.5,done:3")).has_value());
    EXPECT_TRUE(cli::parseExponentialOption(QStringLiteral("1,2,notified:4"))->value(QStringLiteral("rateIncreaseCriteria"))
                    .toObject()
                    .contains(QStringLiteral("numberOfNotifiedThings")));
    auto bad = cli::parseAbortOption(QStringLiteral("BROKEN:5:1"));
    ASSERT_FALSE(bad.has_value());
    EXPECT_TRUE(bad.error().message.contains(QStringLiteral("FAILED, REJECTED, TIMED_OUT or ALL")));
    // Ranges: the service's, with the key's path.
    QJsonObject tooFast{{QStringLiteral("jobExecutionsRolloutConfig"), QJsonObject{{QStringLiteral("maximumPerMinute"), 0}}}};
    auto refused = hw::jobs::rolloutPolicyFromSection(tooFast, QStringLiteral("fw"), {QStringLiteral("a")});
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().toString().contains(QStringLiteral("maximumPerMinute"))) << refused.error().toString().toStdString();
    QJsonObject unknown{{QStringLiteral("speed"), 3}};
    EXPECT_FALSE(hw::jobs::rolloutPolicyFromSection(unknown, QStringLiteral("fw"), {QStringLiteral("a")}).has_value());
}

TEST(CliJobsOptions, ControlProtocolRoundTripsAndNamesBadFields)
{
    ControlRequest create;
    create.op = ControlOp::Create;
    create.clientToken = QStringLiteral("tok-1");
    create.jobId = QStringLiteral("fw-1");
    create.targets = {QStringLiteral("dev1"), QStringLiteral("dev2")};
    create.document = QJsonObject{{QStringLiteral("afr_ota"), QJsonObject{}}};
    create.streamName = QStringLiteral("fw-1-stream");
    create.fileId = 3;
    create.file = QByteArray("\x00\x01\x02 image", 10);
    create.rollout = QJsonObject{{QStringLiteral("order"), QStringLiteral("index")}};
    auto back = hw::jobs::parseControlRequest(ControlOp::Create, hw::jobs::encodeControlRequest(create));
    ASSERT_TRUE(back.has_value()) << back.error().toString().toStdString();
    EXPECT_EQ(back->targets, create.targets);
    EXPECT_EQ(back->file, create.file);
    EXPECT_EQ(back->fileId, 3);
    EXPECT_EQ(back->rollout, create.rollout);
    EXPECT_EQ(hw::jobs::controlRequestTopic(ControlOp::Create), QStringLiteral("otalab/jobs/api/create"));
    EXPECT_EQ(hw::jobs::controlOpOfTopic(QStringLiteral("otalab/jobs/api/cancel")), ControlOp::Cancel);
    EXPECT_FALSE(hw::jobs::controlOpOfTopic(QStringLiteral("otalab/jobs/api/response/x")).has_value());

    struct Case { const char* body; const char* field; };
    for (const Case& c : {Case{R"({"jobId":"a"})", "clientToken"},
                          Case{R"({"clientToken":"a/b","jobId":"x"})", "clientToken"},
                          Case{R"({"clientToken":"t","jobId":"x","targets":[]})", "targets"},
                          Case{R"({"clientToken":"t","jobId":"x","targets":["a",7]})", "targets[1]"},
                          Case{R"({"clientToken":"t","jobId":"x","targets":["a"],"document":{},"streamName":"s","file":"!!"})", "file"},
                          Case{R"({"clientToken":"t","jobId":"x","targets":["a"],"document":{},"streamName":"s","fileId":300,"file":"AA=="})", "fileId"}}) {
        auto parsed = hw::jobs::parseControlRequest(ControlOp::Create, QByteArray(c.body));
        ASSERT_FALSE(parsed.has_value()) << c.body;
        EXPECT_EQ(parsed.error().field, QString::fromLatin1(c.field)) << c.body << " → " << parsed.error().toString().toStdString();
    }
    EXPECT_FALSE(hw::jobs::parseControlRequest(ControlOp::List, QByteArray("[1]")).has_value());

    hw::jobs::ControlResponse response;
    response.clientToken = QStringLiteral("tok-1");
    hw::jobs::JobSummary job;
    job.jobId = QStringLiteral("fw-1");
    job.status = QStringLiteral("IN_PROGRESS");
    hw::jobs::ExecutionSummary e;
    e.thing = QStringLiteral("dev1");
    e.status = QStringLiteral("IN_PROGRESS");
    e.executionNumber = 1;
    e.blocksReceived = 3;
    e.blocksTotal = 10;
    e.statusDetails = QJsonObject{{QStringLiteral("receive"), QStringLiteral("3/10")}};
    job.executions.push_back(e);
    response.jobs.push_back(job);
    auto parsed = hw::jobs::parseControlResponse(hw::jobs::encodeControlResponse(response));
    ASSERT_TRUE(parsed.has_value());
    ASSERT_EQ(parsed->jobs.size(), 1u);
    EXPECT_EQ(parsed->jobs[0].executions[0].statusDetails, e.statusDetails);
    EXPECT_EQ(parsed->jobs[0].executions[0].blocksTotal, 10);
}

TEST(CliJobsOptions, JobsStoreKeepsJobsAtomically)
{
    QTemporaryDir dir;
    hw::jobs::JobsStore store(dir.filePath(QStringLiteral("state")));
    ASSERT_TRUE(store.prepare().has_value());
    hw::jobs::StoredJob job;
    job.definition.op = ControlOp::Create;
    job.definition.jobId = QStringLiteral("fw-1");
    job.definition.targets = {QStringLiteral("dev1")};
    job.definition.document = QJsonObject{{QStringLiteral("afr_ota"), QJsonObject{}}};
    job.definition.streamName = QStringLiteral("s1");
    job.definition.file = QByteArray(100, 'x');
    job.createdAtMs = 1234;
    hw::jobs::ExecutionSummary e;
    e.thing = QStringLiteral("dev1");
    job.executions.push_back(e);
    hw::jobs::JobEvent notify;
    notify.kind = hw::jobs::JobEvent::Kind::Notify;
    notify.thing = QStringLiteral("dev1");
    job.history.push_back(notify);
    hw::jobs::JobEvent update;
    update.kind = hw::jobs::JobEvent::Kind::Update;
    update.atS = 1.5;
    update.thing = QStringLiteral("dev1");
    update.status = QStringLiteral("IN_PROGRESS");
    update.statusDetails = QJsonObject{{QStringLiteral("receive"), QStringLiteral("1/1")}};
    job.history.push_back(update);
    ASSERT_TRUE(store.save(job, true).has_value());
    auto loaded = store.loadAll();
    ASSERT_TRUE(loaded.has_value()) << loaded.error().toString().toStdString();
    ASSERT_EQ(loaded->size(), 1u);
    EXPECT_EQ(loaded->front().definition.file, job.definition.file);
    EXPECT_EQ(loaded->front().createdAtMs, 1234);
    ASSERT_EQ(loaded->front().history.size(), 2u);
    EXPECT_EQ(loaded->front().history[1].statusDetails, update.statusDetails);
    EXPECT_EQ(loaded->front().history[1].atS, 1.5);
    // A damaged file is an error naming it, not a silent loss.
    QFile damaged(QDir(store.dir()).filePath(QStringLiteral("fw-1.json")));
    ASSERT_TRUE(damaged.open(QIODevice::WriteOnly));
    damaged.write("{ not json");
    damaged.close();
    auto refused = store.loadAll();
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("fw-1.json")));
}

} // namespace
} // namespace otalab::testing
