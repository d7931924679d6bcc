// SPDX-License-Identifier: Apache-2.0
// OtaAgent ↔ JobsStreamService in memory: full download to SUCCEEDED (typed and bytes
// layers), bad signature, self-test failure with rollback, lost blocks and the request
// timer, 32 unanswered requests, the library's exact status texts.
#include "awsota_agent_loop.h"

#include <gtest/gtest.h>

#include <set>

using namespace otalab::core::awsota;
using namespace otalab::core::awsota::test;

namespace {

constexpr qsizetype kImageSize = 10 * 4096 + 1000;  // 11 blocks, the last 1000 bytes
constexpr std::uint32_t kBlocks = 11;

QString detail(const JobStatusUpdate& u, const char* key) { return u.statusDetails.value(QLatin1StringView(key)).toString(); }

void expectSucceeded(AgentServiceLoop& loop, const TestImage& image)
{
    const auto e = loop.execution();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->status, JobExecutionStatus::Succeeded);
    EXPECT_EQ(e->statusDetails.value(QStringLiteral("reason")).toString(), QStringLiteral("accepted  v1.1.0"));
    EXPECT_EQ(e->statusDetails.value(QStringLiteral("updatedBy")).toString(), QStringLiteral("  v1.0.0"));
    EXPECT_EQ(loop.pal.received, image.bytes);
    EXPECT_TRUE(loop.pal.committed);
    EXPECT_TRUE(loop.pal.runningNew);
    EXPECT_EQ(loop.pal.platform, PalImageState::Valid);
    ASSERT_EQ(loop.reboots.size(), 1u);
    EXPECT_EQ(loop.reboots[0], RebootReason::Activate);
    EXPECT_EQ(loop.selfTests, 1);
    EXPECT_EQ(loop.agent->state(), OtaState::WaitingForJob);
    EXPECT_EQ(loop.agent->imageState(), ImageState::Accepted);
}

} // namespace

TEST(AwsotaAgentDownload, FullDownloadSelfTestSucceededTyped)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize);
    loop.runJob(image);
    expectSucceeded(loop, image);
    // One GetStream per block (n = 1), whole bitmap from offset 0, no re-requests.
    EXPECT_EQ(loop.streamRequests.size(), std::size_t(kBlocks));
    EXPECT_EQ(loop.streamRequests.front().request.offset, 0u);
    EXPECT_EQ(loop.streamRequests.front().request.bitmap, QByteArray::fromHex("ff07"));
    EXPECT_EQ(loop.streamRequests.back().request.bitmap, QByteArray::fromHex("0004"));
    EXPECT_EQ(loop.blocksSent.size(), std::size_t(kBlocks));
    EXPECT_EQ(loop.agent->counters().requestTimeouts, 0u);
    EXPECT_EQ(loop.nowMs, 0);  // nothing waited on a timer
    // The updates, in order: receive 1/11, self_test ready, self_test active, SUCCEEDED.
    ASSERT_EQ(loop.updates.size(), 4u);
    EXPECT_EQ(detail(loop.updates[0], "receive"), QStringLiteral("1/11"));
    EXPECT_EQ(detail(loop.updates[1], "self_test"), QStringLiteral("ready"));
    EXPECT_EQ(detail(loop.updates[2], "self_test"), QStringLiteral("active"));
    EXPECT_EQ(loop.updates[3].status, JobExecutionStatus::Succeeded);
    // The rollout sees QUEUED → IN_PROGRESS → ... → SUCCEEDED.
    ASSERT_FALSE(loop.executionChanges.empty());
    EXPECT_EQ(loop.executionChanges.front().from, JobExecutionStatus::Queued);
    EXPECT_EQ(loop.executionChanges.front().to, JobExecutionStatus::InProgress);
    EXPECT_EQ(loop.executionChanges.back().to, JobExecutionStatus::Succeeded);
    ASSERT_EQ(loop.jobsEnded.size(), 1u);
    EXPECT_EQ(loop.jobsEnded[0].status, JobExecutionStatus::Succeeded);
}

TEST(AwsotaAgentDownload, FullDownloadOverTheBytesLayer)
{
    AgentServiceLoop loop;
    loop.mode = AgentServiceLoop::Mode::Bytes;
    const TestImage image = makeTestImage(kImageSize);
    loop.runJob(image);
    expectSucceeded(loop, image);
    EXPECT_EQ(loop.agent->counters().refusedInputs, 0u);
    EXPECT_EQ(loop.service.refusedRequests(), 0u);
}

TEST(AwsotaAgentDownload, StatusMessagesAreTheLibrarysText)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize);
    loop.runJob(image);
    ASSERT_EQ(loop.updates.size(), 4u);
    EXPECT_EQ(loop.updates[0].topic(), QStringLiteral("$aws/things/thing-1/jobs/job-1/update"));
    EXPECT_EQ(loop.updates[0].payload(), QByteArray(R"({"status":"IN_PROGRESS","statusDetails":{"receive":"1/11"}})"));
    EXPECT_EQ(loop.updates[1].payload(),
              QByteArray(R"({"status":"IN_PROGRESS","statusDetails":{"self_test":"ready","updatedBy":"0x01000000"}})"));
    EXPECT_EQ(loop.updates[2].payload(),
              QByteArray(R"({"status":"IN_PROGRESS","statusDetails":{"self_test":"active","updatedBy":"0x01010000"}})"));
    EXPECT_EQ(loop.updates[3].payload(),
              QByteArray(R"({"status":"SUCCEEDED","statusDetails":{"reason":"accepted  v1.1.0","updatedBy":"  v1.0.0"}})"));
    // The first publishes: subscribe notify-next, $next/get with "<counter>:<thing>".
    const auto* first = std::get_if<AgentPublish>(&*std::find_if(loop.agentLog.begin(), loop.agentLog.end(), [](const AgentAction& a) {
        return std::holds_alternative<AgentPublish>(a);
    }));
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->topic(), QStringLiteral("$aws/things/thing-1/jobs/$next/get"));
    EXPECT_EQ(first->payload(), QByteArray(R"({"clientToken":"0:thing-1"})"));
    EXPECT_EQ(first->qos, 1);
    EXPECT_EQ(loop.streamRequests.front().topic(), QStringLiteral("$aws/things/thing-1/streams/stream-1/get/cbor"));
    EXPECT_EQ(loop.streamRequests.front().encodedSize(), loop.streamRequests.front().payload().size());
}

TEST(AwsotaAgentDownload, ReceiveProgressOnBlockOneAndEvery64)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(130 * 4096);
    loop.runJob(image);
    QStringList receive;
    for (const auto& u : loop.updates)
        if (u.statusDetails.contains(QStringLiteral("receive")))
            receive << detail(u, "receive");
    EXPECT_EQ(receive, (QStringList{QStringLiteral("1/130"), QStringLiteral("64/130"), QStringLiteral("128/130")}));
    EXPECT_EQ(loop.execution()->status, JobExecutionStatus::Succeeded);
}

TEST(AwsotaAgentDownload, BadSignatureFailsAndNeverActivates)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize, QStringLiteral("job-1"), QStringLiteral("stream-1"), true);
    loop.runJob(image);
    const auto e = loop.execution();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->status, JobExecutionStatus::Failed);
    EXPECT_EQ(e->statusDetails.value(QStringLiteral("reason")).toString(), QStringLiteral("0x000000e3: 0x00000000"));
    EXPECT_EQ(loop.pal.activates, 0);
    EXPECT_TRUE(loop.reboots.empty());
    EXPECT_FALSE(loop.pal.runningNew);
    EXPECT_EQ(loop.pal.lastImageState, ImageState::Rejected);
    ASSERT_EQ(loop.jobsEnded.size(), 1u);
    EXPECT_TRUE(loop.jobsEnded[0].reason.contains(QStringLiteral("signature check failed"))) << qPrintable(loop.jobsEnded[0].reason);
    EXPECT_EQ(loop.agent->state(), OtaState::WaitingForJob);
}

TEST(AwsotaAgentDownload, UnknownCertificateFailsWithBadSignerCert)
{
    AgentServiceLoop loop;
    TestImage image = makeTestImage(kImageSize);
    image.document.files[0].certFile = QStringLiteral("other.crt");
    loop.runJob(image);
    EXPECT_EQ(loop.execution()->statusDetails.value(QStringLiteral("reason")).toString(), QStringLiteral("0x000000e7: 0x00000000"));
    EXPECT_EQ(loop.pal.activates, 0);
}

TEST(AwsotaAgentDownload, SelfTestFailureRollsBack)
{
    AgentServiceLoop loop;
    loop.selfTestVerdict = false;
    const TestImage image = makeTestImage(kImageSize);
    loop.runJob(image);
    const auto e = loop.execution();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->status, JobExecutionStatus::Failed);
    EXPECT_EQ(e->statusDetails.value(QStringLiteral("reason")).toString(), QStringLiteral("rejected: 0x00000000"));
    ASSERT_EQ(loop.reboots.size(), 2u);
    EXPECT_EQ(loop.reboots[0], RebootReason::Activate);
    EXPECT_EQ(loop.reboots[1], RebootReason::Rollback);
    EXPECT_FALSE(loop.pal.runningNew);  // the old image runs again
    EXPECT_FALSE(loop.pal.committed);
    EXPECT_EQ(loop.pal.platform, PalImageState::Valid);
    EXPECT_EQ(loop.agent->config().appFirmwareVersion, (AppVersion32{1, 0, 0}));
    EXPECT_EQ(loop.agent->state(), OtaState::WaitingForJob);  // no job pending after the rollback
}

TEST(AwsotaAgentDownload, LostBlocksCostOneRequestTimerEach)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize);
    loop.addJob(image);
    std::set<std::uint32_t> dropped;
    loop.dropBlock = [&](const StreamBlock& b) {
        if ((b.blockId == 3 || b.blockId == 7) && !dropped.contains(b.blockId)) {
            dropped.insert(b.blockId);
            return true;
        }
        return false;
    };
    loop.start();
    loop.notify();
    loop.run();
    EXPECT_EQ(loop.execution()->status, JobExecutionStatus::Succeeded);
    EXPECT_EQ(loop.agent->counters().requestTimeouts, 2u);
    // Two lost blocks: two request timeouts of 10 s, two extra GetStream, blocks 3 and 7 twice.
    EXPECT_EQ(loop.streamRequests.size(), std::size_t(kBlocks + 2));
    EXPECT_EQ(loop.blocksSent.size(), std::size_t(kBlocks + 2));
    EXPECT_EQ(loop.count(loop.blocksSent, 3), 2);
    EXPECT_EQ(loop.count(loop.blocksSent, 7), 2);
    EXPECT_EQ(loop.nowMs, 20'000);
    EXPECT_EQ(loop.pal.received, image.bytes);
}

TEST(AwsotaAgentDownload, ThirtyTwoUnansweredRequestsAbort)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize);
    loop.addJob(image);
    loop.dropBlock = [](const StreamBlock&) { return true; };
    loop.start();
    loop.notify();
    loop.run();
    EXPECT_EQ(loop.streamRequests.size(), 32u);
    EXPECT_EQ(loop.nowMs, 320'000);  // 32 requests 10 s apart, the 32nd timer aborts
    const auto e = loop.execution();
    EXPECT_EQ(e->status, JobExecutionStatus::Failed);
    EXPECT_EQ(e->statusDetails.value(QStringLiteral("reason")).toString(), QStringLiteral("aborted: 0x0000000e"));
    EXPECT_EQ(loop.agent->state(), OtaState::Stopped);
    EXPECT_EQ(loop.pal.lastImageState, ImageState::Aborted);
    EXPECT_EQ(loop.pal.activates, 0);
    EXPECT_TRUE(loop.timers.empty());
    ASSERT_EQ(loop.jobsEnded.size(), 1u);
    EXPECT_TRUE(loop.jobsEnded[0].reason.contains(QStringLiteral("32 block requests unanswered")));
}

TEST(AwsotaAgentDownload, SelfTestTimeoutResetsToTheOldImage)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize);
    loop.addJob(image);
    // The service never answers after the reboot: the job cannot confirm the self-test.
    int rebootsSeen = 0;
    loop.afterStep = [&](AgentServiceLoop& l) {
        if (l.reboots.size() == 1 && rebootsSeen == 0) {
            rebootsSeen = 1;
            l.connected = false;
        }
    };
    loop.start();
    loop.notify();
    loop.run();
    ASSERT_GE(loop.reboots.size(), 2u);
    EXPECT_EQ(loop.reboots[1], RebootReason::SelfTestTimeout);
    EXPECT_EQ(loop.nowMs, 16'000);
    EXPECT_FALSE(loop.pal.runningNew);
}
