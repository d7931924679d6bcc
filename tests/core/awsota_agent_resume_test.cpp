// SPDX-License-Identifier: Apache-2.0
// OtaAgent resumes from its bitmap: a lost connection, a reboot mid-download, a flash
// record restored into a new agent object; only the missing blocks are asked for again.
#include "awsota_agent_loop.h"

#include <gtest/gtest.h>

using namespace otalab::core::awsota;
using namespace otalab::core::awsota::test;

namespace {

constexpr qsizetype kImageSize = 10 * 4096 + 1000;  // 11 blocks

// Calls `action` once, right after the agent holds `blocks` blocks.
std::function<void(AgentServiceLoop&)> after(std::uint32_t blocks, std::function<void(AgentServiceLoop&)> action)
{
    auto done = std::make_shared<bool>(false);
    return [=](AgentServiceLoop& loop) {
        if (!*done && loop.agent->blocksReceived() == blocks) {
            *done = true;
            action(loop);
        }
    };
}

void expectEachSentOnce(const AgentServiceLoop& loop, std::uint32_t first, std::uint32_t last)
{
    for (std::uint32_t id = first; id <= last; ++id)
        EXPECT_EQ(loop.count(loop.blocksSent, id), 1) << "block " << id;
}

} // namespace

TEST(AwsotaAgentResume, ConnectionLossResumesFromTheBitmap)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize);
    loop.afterStep = after(5, [](AgentServiceLoop& l) { l.loseConnection(); });
    loop.runJob(image);
    EXPECT_EQ(loop.agent->state(), OtaState::Suspended);
    EXPECT_TRUE(loop.timers.empty());  // OTA_Suspend stops the timers
    EXPECT_EQ(loop.agent->blocksReceived(), 5u);
    const std::size_t requestsBefore = loop.streamRequests.size();

    loop.restoreConnection();
    loop.run();
    EXPECT_EQ(loop.execution()->status, JobExecutionStatus::Succeeded);
    EXPECT_EQ(loop.pal.received, image.bytes);
    EXPECT_EQ(loop.agent->counters().resumes, 1u);
    EXPECT_EQ(loop.pal.creates, 1);  // the receive file was kept, not re-created
    // The first request after the resume asks for blocks 5..10 only.
    ASSERT_GT(loop.streamRequests.size(), requestsBefore);
    EXPECT_EQ(loop.streamRequests[requestsBefore].request.bitmap, QByteArray::fromHex("e007"));
    expectEachSentOnce(loop, 0, 4);
    EXPECT_EQ(loop.count(loop.blocksSent, 5), 2);  // the one in flight when the link dropped
    expectEachSentOnce(loop, 6, 10);
    EXPECT_EQ(loop.pal.writes, 11);
}

TEST(AwsotaAgentResume, RebootMidDownloadResumesFromTheBitmap)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize);
    loop.afterStep = after(5, [](AgentServiceLoop& l) { l.powerCycle(); });
    loop.runJob(image);
    EXPECT_EQ(loop.execution()->status, JobExecutionStatus::Succeeded);
    EXPECT_EQ(loop.pal.received, image.bytes);
    EXPECT_EQ(loop.pal.creates, 1);
    EXPECT_EQ(loop.pal.resumes, 1);
    EXPECT_EQ(loop.agent->counters().resumes, 1u);
    expectEachSentOnce(loop, 0, 4);
    expectEachSentOnce(loop, 6, 10);
    EXPECT_EQ(loop.pal.writes, 11);
}

TEST(AwsotaAgentResume, FlashRecordRestoredIntoANewAgent)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize);
    loop.afterStep = after(5, [](AgentServiceLoop& l) {
        const QByteArray record = l.agent->persist();
        ASSERT_FALSE(record.isEmpty());
        EXPECT_LT(record.size(), 400);
        auto fresh = OtaAgent::create(AgentServiceLoop::defaultConfig(), l.pal);
        ASSERT_TRUE(fresh);
        ASSERT_TRUE(fresh->restore(record));
        EXPECT_EQ(fresh->blocksReceived(), 5u);
        EXPECT_EQ(fresh->activeJobId(), QStringLiteral("job-1"));
        l.agent.emplace(std::move(*fresh));
        l.timers.clear();
        l.subscriptions.clear();
        l.pal.restart();
        AgentActions out;
        l.agent->start(l.nowMs, out);
        l.handleAgent(out);
    });
    loop.runJob(image);
    EXPECT_EQ(loop.execution()->status, JobExecutionStatus::Succeeded);
    EXPECT_EQ(loop.pal.received, image.bytes);
    EXPECT_EQ(loop.pal.resumes, 1);
    expectEachSentOnce(loop, 0, 4);
}

TEST(AwsotaAgentResume, PlatformWithoutTheFileStartsOver)
{
    AgentServiceLoop loop;
    loop.pal.failResume = true;
    const TestImage image = makeTestImage(kImageSize);
    loop.afterStep = after(5, [](AgentServiceLoop& l) { l.powerCycle(); });
    loop.runJob(image);
    EXPECT_EQ(loop.execution()->status, JobExecutionStatus::Succeeded);
    EXPECT_EQ(loop.pal.creates, 2);
    for (std::uint32_t id = 0; id <= 4; ++id)
        EXPECT_EQ(loop.count(loop.blocksSent, id), 2) << id;
}

TEST(AwsotaAgentResume, JobCanceledWhileOfflineIsDropped)
{
    AgentServiceLoop loop;
    const TestImage image = makeTestImage(kImageSize);
    loop.afterStep = after(5, [](AgentServiceLoop& l) { l.loseConnection(); });
    loop.runJob(image);
    ServiceActions out;
    ASSERT_TRUE(loop.service.cancel(loop.nowMs, QStringLiteral("job-1"), true, out));
    loop.handleService(out);
    loop.restoreConnection();
    loop.run();
    EXPECT_EQ(loop.execution()->status, JobExecutionStatus::Canceled);
    EXPECT_EQ(loop.agent->state(), OtaState::WaitingForJob);
    EXPECT_TRUE(loop.agent->activeJobId().isEmpty());
    EXPECT_TRUE(loop.agent->persist().isEmpty());
    EXPECT_TRUE(loop.agent->lastFailure().contains(QStringLiteral("no longer pending"))) << qPrintable(loop.agent->lastFailure());
    EXPECT_EQ(loop.pal.activates, 0);
    EXPECT_GE(loop.pal.aborts, 1);
}

TEST(AwsotaAgentResume, RestoreRefusesBadRecords)
{
    MemoryPal pal;
    auto agent = *OtaAgent::create(AgentServiceLoop::defaultConfig(), pal);
    auto garbage = agent.restore(QByteArray("not cbor at all"));
    ASSERT_FALSE(garbage);
    EXPECT_FALSE(agent.restore(QByteArray::fromHex("a0")));  // an empty map: "job" missing
    EXPECT_TRUE(agent.activeJobId().isEmpty());
    AgentActions out;
    agent.start(0, out);
    auto running = agent.restore(QByteArray::fromHex("a0"));
    ASSERT_FALSE(running);
    EXPECT_TRUE(running.error().message.contains(QStringLiteral("running")));
}
