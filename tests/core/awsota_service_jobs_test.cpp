// SPDX-License-Identifier: Apache-2.0
// JobsStreamService: executions and their states, updates refused on terminal executions,
// cancel (forced or not), retries, the service's own ends, the statusDetails echo,
// GetStream refusals and block serving, createJob checks.
#include "awsota_agent_loop.h"
#include "core/awsota/topics.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace otalab::core::awsota;
using namespace otalab::core::awsota::test;

namespace {

const QString kJob = QStringLiteral("job-1");
const QString kStream = QStringLiteral("stream-1");

struct Service {
    JobsStreamService service;
    TestImage image = makeTestImage(5 * 4096 + 10);
    ServiceActions out;

    explicit Service(QStringList targets = {QStringLiteral("thing-1"), QStringLiteral("thing-2")}, ServiceConfig config = {})
        : service(config)
    {
        EXPECT_TRUE(service.createJob(0, image.document, std::make_shared<const QByteArray>(image.bytes), targets));
    }
    template <typename T>
    std::vector<T> published() const
    {
        std::vector<T> all;
        for (const auto& a : out)
            if (const auto* p = std::get_if<ServicePublish>(&a))
                if (const auto* m = std::get_if<T>(&p->message))
                    all.push_back(*m);
        return all;
    }
    otalab::Result<void> update(const QString& thing, JobExecutionStatus status, QJsonObject details = {})
    {
        return service.onJobUpdate(1000, thing, kJob, status, details, QStringLiteral("tok"), out);
    }
    GetStreamRequest request(QByteArray bitmap, std::uint32_t n = 1) const
    {
        GetStreamRequest r;
        r.fileId = 0;
        r.bitmap = std::move(bitmap);
        r.numberOfBlocks = n;
        return r;
    }
};

} // namespace

TEST(AwsotaServiceJobs, NotifyCreatesAQueuedExecutionAndPublishesIt)
{
    Service s;
    EXPECT_FALSE(s.service.execution(kJob, QStringLiteral("thing-1")));  // not notified: no execution
    ASSERT_TRUE(s.service.notifyThing(5000, kJob, QStringLiteral("thing-1"), s.out));
    const auto e = s.service.execution(kJob, QStringLiteral("thing-1"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->status, JobExecutionStatus::Queued);
    EXPECT_EQ(e->executionNumber, 1);
    const auto notes = s.published<JobNotification>();
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0].topic(), QStringLiteral("$aws/things/thing-1/jobs/notify-next"));
    ASSERT_TRUE(notes[0].document);
    EXPECT_EQ(notes[0].document->jobId, kJob);
    auto parsed = parseJobNotification(notes[0].payload());
    ASSERT_TRUE(parsed);
    ASSERT_TRUE(*parsed);
    EXPECT_EQ((*parsed)->files, s.image.document.files);
    // $next/get from a thing without an execution: the empty answer.
    s.out.clear();
    ASSERT_TRUE(s.service.onNextJobRequest(6000, QStringLiteral("thing-2"), QStringLiteral("0:thing-2"), s.out));
    const auto empty = s.published<JobNotification>();
    ASSERT_EQ(empty.size(), 1u);
    EXPECT_FALSE(empty[0].document);
    EXPECT_EQ(empty[0].payload(), QByteArray(R"({"timestamp":6})"));
}

TEST(AwsotaServiceJobs, NextGetEchoesTheLastStatusDetails)
{
    Service s;
    ASSERT_TRUE(s.service.notifyThing(0, kJob, QStringLiteral("thing-1"), s.out));
    const QJsonObject ready{{QStringLiteral("self_test"), QStringLiteral("ready")}, {QStringLiteral("updatedBy"), QStringLiteral("0x01000000")}};
    ASSERT_TRUE(s.update(QStringLiteral("thing-1"), JobExecutionStatus::InProgress, ready));
    s.out.clear();
    ASSERT_TRUE(s.service.onMessage(2000, Topics::jobsGetNext(QStringLiteral("thing-1")), QByteArray(R"({"clientToken":"1:thing-1"})"), s.out));
    const auto notes = s.published<JobNotification>();
    ASSERT_EQ(notes.size(), 1u);
    ASSERT_TRUE(notes[0].document);
    EXPECT_EQ(notes[0].document->statusDetails, ready);
    auto parsed = parseJobNotification(notes[0].payload());
    ASSERT_TRUE(parsed && *parsed);
    EXPECT_EQ((*parsed)->statusDetails, ready);
}

TEST(AwsotaServiceJobs, UpdatesOnTerminalExecutionsAreRefused)
{
    Service s;
    ASSERT_TRUE(s.service.notifyThing(0, kJob, QStringLiteral("thing-1"), s.out));
    ASSERT_TRUE(s.update(QStringLiteral("thing-1"), JobExecutionStatus::InProgress));
    ASSERT_TRUE(s.update(QStringLiteral("thing-1"), JobExecutionStatus::Succeeded, {{QStringLiteral("reason"), QStringLiteral("accepted  v1.1.0")}}));
    s.out.clear();
    auto late = s.update(QStringLiteral("thing-1"), JobExecutionStatus::InProgress);
    ASSERT_FALSE(late);
    EXPECT_TRUE(late.error().message.contains(QStringLiteral("terminal"))) << qPrintable(late.error().message);
    const auto e = s.service.execution(kJob, QStringLiteral("thing-1"));
    EXPECT_EQ(e->status, JobExecutionStatus::Succeeded);
    EXPECT_EQ(e->statusDetails.value(QStringLiteral("reason")).toString(), QStringLiteral("accepted  v1.1.0"));
    const auto responses = s.published<UpdateResponse>();
    ASSERT_EQ(responses.size(), 1u);
    EXPECT_FALSE(responses[0].accepted);
    EXPECT_EQ(responses[0].topic(), QStringLiteral("$aws/things/thing-1/jobs/job-1/update/rejected"));
    const QJsonObject body = QJsonDocument::fromJson(responses[0].payload()).object();
    EXPECT_EQ(body.value(QStringLiteral("code")).toString(), QStringLiteral("InvalidStateTransition"));
    EXPECT_EQ(body.value(QStringLiteral("clientToken")).toString(), QStringLiteral("tok"));
    EXPECT_EQ(s.service.refusedRequests(), 1u);
    // Over bytes, the same.
    s.out.clear();
    auto bytes = s.service.onMessage(3000, Topics::jobUpdate(QStringLiteral("thing-1"), kJob),
                                     encodeJobUpdate(QStringLiteral("FAILED"), {{QStringLiteral("reason"), QStringLiteral("x")}}), s.out);
    ASSERT_FALSE(bytes);
    EXPECT_EQ(s.service.execution(kJob, QStringLiteral("thing-1"))->status, JobExecutionStatus::Succeeded);
}

TEST(AwsotaServiceJobs, ThingsCannotSetServiceStates)
{
    Service s;
    ASSERT_TRUE(s.service.notifyThing(0, kJob, QStringLiteral("thing-1"), s.out));
    auto timedOut = s.update(QStringLiteral("thing-1"), JobExecutionStatus::TimedOut);
    ASSERT_FALSE(timedOut);
    EXPECT_FALSE(s.update(QStringLiteral("thing-2"), JobExecutionStatus::InProgress));  // not notified
    EXPECT_FALSE(s.service.onJobUpdate(0, QStringLiteral("thing-1"), QStringLiteral("job-9"), JobExecutionStatus::InProgress, {}, {}, s.out));
    EXPECT_EQ(s.service.execution(kJob, QStringLiteral("thing-1"))->status, JobExecutionStatus::Queued);
}

TEST(AwsotaServiceJobs, CancelWithoutForceLeavesInProgressExecutions)
{
    Service s;
    ASSERT_TRUE(s.service.notifyThing(0, kJob, QStringLiteral("thing-1"), s.out));
    ASSERT_TRUE(s.service.notifyThing(0, kJob, QStringLiteral("thing-2"), s.out));
    ASSERT_TRUE(s.update(QStringLiteral("thing-1"), JobExecutionStatus::InProgress));
    s.out.clear();
    ASSERT_TRUE(s.service.cancel(2000, kJob, false, s.out));
    EXPECT_EQ(s.service.execution(kJob, QStringLiteral("thing-1"))->status, JobExecutionStatus::InProgress);
    EXPECT_EQ(s.service.execution(kJob, QStringLiteral("thing-2"))->status, JobExecutionStatus::Canceled);
    const auto notes = s.published<JobNotification>();
    ASSERT_EQ(notes.size(), 1u);  // thing-2 learns it has nothing pending
    EXPECT_EQ(notes[0].thingName, QStringLiteral("thing-2"));
    EXPECT_FALSE(notes[0].document);
    EXPECT_EQ(s.service.job(kJob)->status, QStringLiteral("CANCELED"));
    EXPECT_FALSE(s.service.notifyThing(3000, kJob, QStringLiteral("thing-2"), s.out));
    // The in-progress thing may still finish.
    ASSERT_TRUE(s.update(QStringLiteral("thing-1"), JobExecutionStatus::Succeeded));
    // Forced, later: nothing live is left.
    ASSERT_TRUE(s.service.cancel(4000, kJob, true, s.out));
    EXPECT_EQ(s.service.execution(kJob, QStringLiteral("thing-1"))->status, JobExecutionStatus::Succeeded);
}

TEST(AwsotaServiceJobs, ForcedCancelStopsADownload)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(10 * 4096 + 1000);
    loop.addJob(image);
    auto done = std::make_shared<bool>(false);
    loop.afterStep = [done](AgentServiceLoop& l) {
        if (*done || l.agent->blocksReceived() != 3)
            return;
        *done = true;
        ServiceActions out;
        ASSERT_TRUE(l.service.cancel(l.nowMs, QStringLiteral("job-1"), true, out));
        l.handleService(out);
    };
    loop.start();
    loop.notify();
    loop.run();
    EXPECT_EQ(loop.execution()->status, JobExecutionStatus::Canceled);
    EXPECT_EQ(loop.agent->state(), OtaState::WaitingForJob);
    EXPECT_TRUE(loop.agent->activeJobId().isEmpty());
    EXPECT_EQ(loop.pal.lastImageState, ImageState::Aborted);
    EXPECT_EQ(loop.pal.activates, 0);
    EXPECT_LE(loop.blocksSent.size(), 4u);  // at most the block in flight after the cancel
    EXPECT_GE(loop.service.refusedRequests(), 1u);  // that GetStream was refused: no live execution
    EXPECT_TRUE(loop.timers.empty());
}

TEST(AwsotaServiceJobs, RetryGivesANewExecutionNumber)
{
    Service s;
    ASSERT_TRUE(s.service.notifyThing(0, kJob, QStringLiteral("thing-1"), s.out));
    ASSERT_TRUE(s.update(QStringLiteral("thing-1"), JobExecutionStatus::Failed, {{QStringLiteral("reason"), QStringLiteral("rejected: 0x00000000")}}));
    s.out.clear();
    ASSERT_TRUE(s.service.notifyThing(2000, kJob, QStringLiteral("thing-1"), s.out));
    const auto e = s.service.execution(kJob, QStringLiteral("thing-1"));
    EXPECT_EQ(e->status, JobExecutionStatus::Queued);
    EXPECT_EQ(e->executionNumber, 2);
    EXPECT_TRUE(e->statusDetails.isEmpty());
    ASSERT_FALSE(s.out.empty());
    const auto* change = std::get_if<ExecutionChanged>(&s.out.front());
    ASSERT_NE(change, nullptr);
    EXPECT_EQ(change->from, JobExecutionStatus::Failed);
    EXPECT_EQ(change->to, JobExecutionStatus::Queued);
    // A succeeded execution is not notified again.
    ASSERT_TRUE(s.update(QStringLiteral("thing-1"), JobExecutionStatus::Succeeded));
    EXPECT_FALSE(s.service.notifyThing(3000, kJob, QStringLiteral("thing-1"), s.out));
}

TEST(AwsotaServiceJobs, ServiceEndsExecutions)
{
    Service s;
    ASSERT_TRUE(s.service.notifyThing(0, kJob, QStringLiteral("thing-1"), s.out));
    auto early = s.service.endExecution(1000, kJob, QStringLiteral("thing-1"), JobExecutionStatus::TimedOut, s.out);
    ASSERT_FALSE(early);  // QUEUED cannot time out: the timer starts at IN_PROGRESS
    ASSERT_TRUE(s.update(QStringLiteral("thing-1"), JobExecutionStatus::InProgress));
    ASSERT_TRUE(s.service.endExecution(2000, kJob, QStringLiteral("thing-1"), JobExecutionStatus::TimedOut, s.out));
    EXPECT_EQ(s.service.execution(kJob, QStringLiteral("thing-1"))->status, JobExecutionStatus::TimedOut);
    EXPECT_FALSE(s.service.endExecution(2000, kJob, QStringLiteral("thing-1"), JobExecutionStatus::Succeeded, s.out));
    EXPECT_FALSE(s.update(QStringLiteral("thing-1"), JobExecutionStatus::Succeeded));
}

TEST(AwsotaServiceJobs, GetStreamServesTheBitmapUpToN)
{
    Service s;
    ASSERT_TRUE(s.service.notifyThing(0, kJob, QStringLiteral("thing-1"), s.out));
    s.out.clear();
    // Blocks 1, 3, 4, 5 wanted (6 blocks: 5 × 4096 + 10), n = 3 → 1, 3, 4.
    ASSERT_TRUE(s.service.onGetStream(0, QStringLiteral("thing-1"), kStream, s.request(QByteArray::fromHex("3a"), 3), s.out));
    const auto blocks = s.published<StreamBlock>();
    ASSERT_EQ(blocks.size(), 3u);
    EXPECT_EQ(blocks[0].blockId, 1u);
    EXPECT_EQ(blocks[1].blockId, 3u);
    EXPECT_EQ(blocks[2].blockId, 4u);
    EXPECT_EQ(blocks[0].data(), QByteArrayView(s.image.bytes).sliced(4096, 4096));
    EXPECT_EQ(blocks[0].data().data(), s.image.bytes.constData() + 4096);  // a view, not a copy
    auto decoded = decodeDataBlock(blocks[1].payload());
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->blockId, 3u);
    EXPECT_EQ(decoded->payload, s.image.bytes.mid(3 * 4096, 4096));
    EXPECT_EQ(blocks[1].encodedSize(), blocks[1].payload().size());
    // The last block is short.
    s.out.clear();
    ASSERT_TRUE(s.service.onGetStream(0, QStringLiteral("thing-1"), kStream, s.request(QByteArray::fromHex("20")), s.out));
    ASSERT_EQ(s.published<StreamBlock>().size(), 1u);
    EXPECT_EQ(s.published<StreamBlock>()[0].data().size(), 10);
    const auto e = s.service.execution(kJob, QStringLiteral("thing-1"));
    EXPECT_EQ(e->blocksServed, 4u);
    EXPECT_EQ(e->bytesServed, 3u * 4096 + 10);
}

TEST(AwsotaServiceJobs, GetStreamRefusalsAreCountedWithAReason)
{
    Service s;
    ASSERT_TRUE(s.service.notifyThing(0, kJob, QStringLiteral("thing-1"), s.out));
    s.out.clear();
    auto unknown = s.service.onGetStream(0, QStringLiteral("thing-1"), QStringLiteral("stream-9"), s.request(QByteArray::fromHex("01")), s.out);
    ASSERT_FALSE(unknown);
    EXPECT_TRUE(unknown.error().message.contains(QStringLiteral("unknown stream")));
    GetStreamRequest otherFile = s.request(QByteArray::fromHex("01"));
    otherFile.fileId = 3;
    auto file = s.service.onGetStream(0, QStringLiteral("thing-1"), kStream, otherFile, s.out);
    ASSERT_FALSE(file);
    EXPECT_TRUE(file.error().message.contains(QStringLiteral("file id 3")));
    // A bitmap longer than the file, or with bits past its end: served inside the file (as the
    // AWS service does for the newer file-streams client), the oddity reported with a reason.
    ASSERT_TRUE(s.service.onGetStream(0, QStringLiteral("thing-1"), kStream, s.request(QByteArray::fromHex("3f00")), s.out));
    EXPECT_TRUE(s.service.lastRefusal().contains(QStringLiteral("2 bytes from offset 0")));
    ASSERT_EQ(s.published<StreamBlock>().size(), 1u);
    EXPECT_EQ(s.published<StreamBlock>()[0].blockId, 0u);
    ASSERT_TRUE(s.service.onGetStream(0, QStringLiteral("thing-1"), kStream, s.request(QByteArray::fromHex("40")), s.out));
    EXPECT_TRUE(s.service.lastRefusal().contains(QStringLiteral("past the file's 6 blocks")));
    EXPECT_EQ(s.published<StreamBlock>().size(), 1u);
    auto notNotified = s.service.onGetStream(0, QStringLiteral("thing-2"), kStream, s.request(QByteArray::fromHex("01")), s.out);
    ASSERT_FALSE(notNotified);
    auto garbled = s.service.onMessage(0, Topics::streamGet(QStringLiteral("thing-1"), kStream), QByteArray("\xff\x00", 2), s.out);
    ASSERT_FALSE(garbled);
    EXPECT_EQ(s.service.refusedRequests(), 6u);
    EXPECT_EQ(s.published<StreamBlock>().size(), 1u);
    std::size_t refusals = 0;
    for (const auto& a : s.out)
        refusals += std::holds_alternative<ServiceRefusal>(a);
    EXPECT_EQ(refusals, 6u);
}

TEST(AwsotaServiceJobs, CreateJobChecks)
{
    Service s;
    const auto image = std::make_shared<const QByteArray>(s.image.bytes);
    EXPECT_FALSE(s.service.createJob(0, s.image.document, image, {QStringLiteral("thing-1")}));  // duplicate id
    OtaJobDocument other = s.image.document;
    other.jobId = QStringLiteral("job-2");
    auto streamInUse = s.service.createJob(0, other, image, {QStringLiteral("thing-1")});
    ASSERT_FALSE(streamInUse);
    EXPECT_TRUE(streamInUse.error().message.contains(QStringLiteral("used by job 'job-1'")));
    other.streamName = QStringLiteral("stream-2");
    other.files[0].fileSize += 1;
    auto size = s.service.createJob(0, other, image, {QStringLiteral("thing-1")});
    ASSERT_FALSE(size);
    EXPECT_EQ(size.error().field, QStringLiteral("files[0].filesize"));
    other.files[0].fileSize -= 1;
    EXPECT_FALSE(s.service.createJob(0, other, image, {}));
    EXPECT_FALSE(s.service.createJob(0, other, image, {QStringLiteral("bad/thing")}));
    ASSERT_TRUE(s.service.createJob(0, other, image, {QStringLiteral("thing-3")}));
    EXPECT_EQ(s.service.jobs().size(), 2u);
    EXPECT_TRUE(s.service.things().contains(QStringLiteral("thing-3")));
    const auto info = s.service.job(QStringLiteral("job-2"));
    ASSERT_TRUE(info);
    EXPECT_EQ(info->status, QStringLiteral("IN_PROGRESS"));
    EXPECT_EQ(info->notified, 0);
    EXPECT_EQ(info->imageSize, s.image.bytes.size());
}

TEST(AwsotaServiceJobs, DescribeCountsExecutionsPerState)
{
    Service s({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
    for (const char* t : {"a", "b", "c"})
        ASSERT_TRUE(s.service.notifyThing(0, kJob, QString::fromLatin1(t), s.out));
    ASSERT_TRUE(s.update(QStringLiteral("a"), JobExecutionStatus::InProgress));
    ASSERT_TRUE(s.update(QStringLiteral("b"), JobExecutionStatus::Rejected));
    const auto info = s.service.job(kJob);
    EXPECT_EQ(info->counts[std::size_t(JobExecutionStatus::Queued)], 1);
    EXPECT_EQ(info->counts[std::size_t(JobExecutionStatus::InProgress)], 1);
    EXPECT_EQ(info->counts[std::size_t(JobExecutionStatus::Rejected)], 1);
    EXPECT_EQ(s.service.executions(kJob).size(), 3u);
    EXPECT_EQ(s.service.executionsForThing(QStringLiteral("a")).size(), 1u);
    ASSERT_TRUE(s.update(QStringLiteral("a"), JobExecutionStatus::Succeeded));
    ASSERT_TRUE(s.update(QStringLiteral("c"), JobExecutionStatus::Failed));
    EXPECT_EQ(s.service.job(kJob)->status, QStringLiteral("COMPLETED"));
}

TEST(AwsotaServiceJobs, CanceledDownloadMakesWayForTheNextJob)
{
    AgentServiceLoop loop;
    const TestImage first = makeTestImage(10 * 4096 + 1000);
    const TestImage second = makeTestImage(6 * 4096 + 7, QStringLiteral("job-2"), QStringLiteral("stream-2"));
    loop.addJob(first);
    loop.addJob(second);
    auto done = std::make_shared<bool>(false);
    loop.afterStep = [done](AgentServiceLoop& l) {
        if (*done || l.agent->activeJobId() != QStringLiteral("job-1") || l.agent->blocksReceived() != 3)
            return;
        *done = true;
        // job-2 is notified while job-1 downloads: job-1 (IN_PROGRESS) stays the thing's next
        // job, so the agent hears job-1 again and carries on; then job-1 is canceled.
        ServiceActions out;
        ASSERT_TRUE(l.service.notifyThing(l.nowMs, QStringLiteral("job-2"), l.thing(), out));
        ASSERT_TRUE(l.service.cancel(l.nowMs, QStringLiteral("job-1"), true, out));
        l.handleService(out);
    };
    loop.start();
    loop.notify(QStringLiteral("job-1"));
    loop.run();
    EXPECT_EQ(loop.execution(QStringLiteral("job-1"))->status, JobExecutionStatus::Canceled);
    EXPECT_EQ(loop.execution(QStringLiteral("job-2"))->status, JobExecutionStatus::Succeeded);
    EXPECT_EQ(loop.pal.received, second.bytes);
    EXPECT_EQ(loop.pal.creates, 2);
    EXPECT_EQ(loop.pal.activates, 1);
    EXPECT_EQ(loop.agent->state(), OtaState::WaitingForJob);
}
