// SPDX-License-Identifier: Apache-2.0
// OtaAgent's block ingestion fed directly: duplicates, reordered blocks, blocks of another
// file, an id past the end, short and long blocks, bytes-layer refusals.
#include "awsota_agent_loop.h"
#include "core/awsota/topics.h"

#include <gtest/gtest.h>

using namespace otalab::core::awsota;
using namespace otalab::core::awsota::test;

namespace {

constexpr qsizetype kImageSize = 4 * 4096 + 100;  // 5 blocks, the last 100 bytes

// An agent that has received job-1 and asked for blocks, with no service behind it.
struct Bench {
    MemoryPal pal;
    std::optional<OtaAgent> agent;
    TestImage image = makeTestImage(kImageSize);
    AgentActions out;

    explicit Bench(std::uint32_t blocksPerRequest = 1)
    {
        AgentConfig c = AgentServiceLoop::defaultConfig();
        c.blocksPerRequest = blocksPerRequest;
        agent.emplace(std::move(*OtaAgent::create(c, pal)));
        pal.certificates.insert(QStringLiteral("ota.crt"), image.identity.certificatePem);
        agent->start(0, out);
        EXPECT_TRUE(agent->onJobDocument(0, image.document, out));
        EXPECT_EQ(agent->state(), OtaState::WaitingForFileBlock);
    }
    QByteArrayView block(std::uint32_t id) const
    {
        const qsizetype at = qsizetype(id) * 4096;
        return QByteArrayView(image.bytes).sliced(at, std::min<qsizetype>(4096, image.bytes.size() - at));
    }
    otalab::Result<void> feed(std::uint32_t id, std::uint32_t fileId = 0) { return agent->onDataBlock(1000, fileId, id, block(id), out); }
    int streamRequests() const
    {
        return int(std::count_if(out.begin(), out.end(), [](const AgentAction& a) {
            const auto* p = std::get_if<AgentPublish>(&a);
            return p && std::holds_alternative<StreamRequest>(p->message);
        }));
    }
    std::optional<AgentJobEnded> ended() const
    {
        for (const auto& a : out)
            if (const auto* e = std::get_if<AgentJobEnded>(&a))
                return *e;
        return std::nullopt;
    }
};

} // namespace

TEST(AwsotaAgentBlocks, DuplicateBlocksAreIgnored)
{
    Bench b;
    ASSERT_TRUE(b.feed(0));
    const int requests = b.streamRequests();
    ASSERT_TRUE(b.feed(0));  // duplicate: accepted as input, nothing happens
    EXPECT_EQ(b.agent->counters().duplicateBlocks, 1u);
    EXPECT_EQ(b.agent->blocksReceived(), 1u);
    EXPECT_EQ(b.streamRequests(), requests);  // no extra request for a duplicate
    EXPECT_EQ(b.pal.writes, 1);
}

TEST(AwsotaAgentBlocks, ReorderedBlocksComplete)
{
    Bench b(5);
    for (std::uint32_t id : {4u, 2u, 0u, 3u, 1u})
        ASSERT_TRUE(b.feed(id)) << id;
    EXPECT_EQ(b.pal.received, b.image.bytes);
    EXPECT_EQ(b.pal.activates, 1);
    EXPECT_EQ(b.agent->state(), OtaState::WaitingForJob);
    EXPECT_EQ(b.streamRequests(), 1);  // n = 5: one request answered by five blocks
}

TEST(AwsotaAgentBlocks, BlockOfAnotherFileIsRefusedAndTheJobGoesOn)
{
    Bench b;
    auto r = b.feed(1, 7);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("file id 7"))) << qPrintable(r.error().message);
    EXPECT_EQ(b.agent->state(), OtaState::WaitingForFileBlock);
    EXPECT_FALSE(b.ended());
    EXPECT_EQ(b.pal.writes, 0);
}

TEST(AwsotaAgentBlocks, BlockIdPastTheEndFailsTheJob)
{
    Bench b;
    const QByteArray data(4096, 'x');
    auto r = b.agent->onDataBlock(1000, 0, 5, data, b.out);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("past the end"))) << qPrintable(r.error().message);
    const auto e = b.ended();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->status, JobExecutionStatus::Failed);
    EXPECT_EQ(e->wireReason, QStringLiteral("0x000000e0: 0x00000000"));
    EXPECT_EQ(b.agent->state(), OtaState::WaitingForJob);
    EXPECT_EQ(b.pal.activates, 0);
    EXPECT_GE(b.pal.aborts, 1);
}

TEST(AwsotaAgentBlocks, ShortBlockFailsTheJob)
{
    Bench b;
    auto r = b.agent->onDataBlock(1000, 0, 2, b.block(2).first(4000), b.out);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("4000 bytes, expected 4096"))) << qPrintable(r.error().message);
    ASSERT_TRUE(b.ended());
    EXPECT_EQ(b.ended()->wireReason, QStringLiteral("0x000000e0: 0x00000000"));
}

TEST(AwsotaAgentBlocks, LastBlockOfTheWrongLengthFailsTheJob)
{
    Bench b;
    const QByteArray longLast(4096, 'x');
    auto r = b.agent->onDataBlock(1000, 0, 4, longLast, b.out);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("expected 100 (the last block)"))) << qPrintable(r.error().message);
    ASSERT_TRUE(b.ended());
}

TEST(AwsotaAgentBlocks, BlocksWithoutADownloadAreRefused)
{
    MemoryPal pal;
    auto agent = *OtaAgent::create(AgentServiceLoop::defaultConfig(), pal);
    AgentActions out;
    agent.start(0, out);
    const QByteArray data(4096, 'x');
    auto r = agent.onDataBlock(0, 0, 0, data, out);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("no download in progress")));
    EXPECT_EQ(pal.writes, 0);
}

TEST(AwsotaAgentBlocks, BytesLayerRefusesOtherThingsStreamsAndTopics)
{
    Bench b;
    StreamDataBlock block{0, 1, 4096, b.block(1).toByteArray()};
    const QByteArray cbor = encodeDataBlock(block);
    auto other = b.agent->onMessage(1000, Topics::streamData(QStringLiteral("thing-2"), QStringLiteral("stream-1")), cbor, b.out);
    ASSERT_FALSE(other);
    EXPECT_TRUE(other.error().message.contains(QStringLiteral("thing-2")));
    auto stream = b.agent->onMessage(1000, Topics::streamData(QStringLiteral("thing-1"), QStringLiteral("stream-9")), cbor, b.out);
    ASSERT_FALSE(stream);
    EXPECT_TRUE(stream.error().message.contains(QStringLiteral("stream-9")));
    auto junk = b.agent->onMessage(1000, QStringLiteral("sensors/temperature"), cbor, b.out);
    ASSERT_FALSE(junk);
    EXPECT_EQ(b.agent->blocksReceived(), 0u);
    ASSERT_TRUE(b.agent->onMessage(1000, Topics::streamData(QStringLiteral("thing-1"), QStringLiteral("stream-1")), cbor, b.out));
    EXPECT_EQ(b.agent->blocksReceived(), 1u);
    EXPECT_EQ(b.agent->counters().refusedInputs, 3u);
}

TEST(AwsotaAgentBlocks, GarbledDataOnTheActiveStreamFailsTheJob)
{
    Bench b;
    auto r = b.agent->onMessage(1000, Topics::streamData(QStringLiteral("thing-1"), QStringLiteral("stream-1")),
                                QByteArray("\xa1\x61" "f", 3), b.out);
    ASSERT_FALSE(r);
    ASSERT_TRUE(b.ended());
    EXPECT_EQ(b.ended()->wireReason, QStringLiteral("0x000000e0: 0x00000000"));
    EXPECT_TRUE(b.ended()->reason.contains(QStringLiteral("undecodable")));
}

TEST(AwsotaAgentBlocks, BadJobDocumentFailsTheNamedJobWithAReason)
{
    MemoryPal pal;
    auto agent = *OtaAgent::create(AgentServiceLoop::defaultConfig(), pal);
    AgentActions out;
    agent.start(0, out);
    out.clear();
    const QByteArray body = R"({"execution":{"jobId":"job-7","jobDocument":{"afr_ota":{"protocols":["MQTT"],"streamname":"s","files":[{"filepath":"/f","fileid":0,"certfile":"c"}]}}}})";
    auto r = agent.onMessage(0, Topics::jobsNotifyNext(QStringLiteral("thing-1")), body, out);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().toString().contains(QStringLiteral("filesize"))) << qPrintable(r.error().toString());
    const auto update = std::find_if(out.begin(), out.end(), [](const AgentAction& a) { return std::holds_alternative<AgentPublish>(a); });
    ASSERT_NE(update, out.end());
    const auto& p = std::get<AgentPublish>(*update);
    EXPECT_EQ(p.topic(), QStringLiteral("$aws/things/thing-1/jobs/job-7/update"));
    EXPECT_EQ(p.payload(), QByteArray(R"({"status":"FAILED","statusDetails":{"reason":"0x0000000c: 0x00000004"}})"));
    EXPECT_EQ(agent.state(), OtaState::WaitingForJob);
    EXPECT_EQ(pal.creates, 0);
}

TEST(AwsotaAgentBlocks, FileTooBigForTheBitmapIsRefused)
{
    MemoryPal pal;
    auto agent = *OtaAgent::create(AgentServiceLoop::defaultConfig(), pal);
    AgentActions out;
    agent.start(0, out);
    TestImage image = makeTestImage(100);
    image.document.files[0].fileSize = 1025 * 4096;
    auto r = agent.onJobDocument(0, image.document, out);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("at most 1024"))) << qPrintable(r.error().message);
    EXPECT_EQ(pal.creates, 0);
}

TEST(AwsotaAgentBlocks, AgentIsSmall)
{
    // 100,000 simulated agents: the machine itself stays well under 1 KB (plus the bitmap's
    // heap bytes, 1 bit per block, and strings shared with the job document).
    EXPECT_LT(sizeof(OtaAgent), 512u) << sizeof(OtaAgent);
    Bench b;
    EXPECT_EQ(b.agent->file()->signature.constData(), b.image.document.files[0].signature.constData());  // shared, not copied
}
