// SPDX-License-Identifier: Apache-2.0
// Block-wise GET (RFC 7959): BlockwiseGet against serveBlock2 in a loop, through the codec,
// with lost responses (RFC 7252 §4.2 retransmission), give-up, resume, an ETag change, a
// smaller server block size, error codes and responses that must be ignored or refused.
#include "core/ocf/coap_blockwise.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

using namespace otalab::core::ocf;

namespace {

QByteArray pattern(int size, int seed = 1)
{
    QByteArray body(size, '\0');
    for (int i = 0; i < size; ++i)
        body[i] = char((i * 7 + seed) & 0xff);
    return body;
}

// The server end: serveBlock2 over `body`, or an error code for every request.
struct Server {
    QByteArray body;
    QByteArray etag;
    std::uint8_t szx = 6;
    std::uint8_t errorCode = 0;
    CoapMessage answer(const CoapMessage& request) const
    {
        CoapMessage response = makeResponse(request, coap_code::Content, request.messageId);
        if (errorCode != 0)
            response.code = errorCode;
        else
            serveBlock2(request, body, response, szx, etag);
        return response;
    }
};

struct Outcome {
    QByteArray stored;                     // what the "device" wrote, at the offsets given
    std::optional<BlockwiseGet::Done> done;
    std::optional<BlockwiseGet::Failed> failed;
    std::vector<std::uint32_t> timeouts;   // of every Send, in order
    std::vector<std::uint16_t> messageIds;
    int blocks = 0;
    int restarts = 0;
};

// Drives `get` until Done or Failed. `dropResponse(i)`: the answer to datagram i is lost.
// `beforeAnswer(i, server)`: the server may change between datagrams.
Outcome run(BlockwiseGet& get, Server& server, std::uint64_t fromOffset = 0,
            const std::function<bool(int)>& dropResponse = {},
            const std::function<void(int, Server&)>& beforeAnswer = {})
{
    Outcome out;
    out.stored = server.body.left(qsizetype(fromOffset));
    BlockwiseGet::Step step = get.start(fromOffset, 100, "tk", 0.0);
    for (int datagram = 0, guard = 0; guard < 100000; ++guard) {
        if (auto* send = std::get_if<BlockwiseGet::Send>(&step)) {
            out.timeouts.push_back(send->timeoutMs);
            out.messageIds.push_back(send->message.messageId);
            const auto wire = decode(*encode(send->message));   // through the codec both ways
            EXPECT_TRUE(wire.has_value());
            const int index = datagram++;
            if (beforeAnswer)
                beforeAnswer(index, server);
            if (dropResponse && dropResponse(index)) {
                step = get.onTimeout();
                continue;
            }
            const auto reply = decode(*encode(server.answer(*wire)));
            EXPECT_TRUE(reply.has_value());
            const auto next = get.onResponse(*reply);
            EXPECT_TRUE(next.has_value());
            if (!next)
                return out;
            if (std::holds_alternative<BlockwiseGet::Send>(*next)) {   // ETag change: start over
                ++out.restarts;
                out.stored.clear();
            }
            step = *next;
        } else if (auto* block = std::get_if<BlockwiseGet::Block>(&step)) {
            ++out.blocks;
            EXPECT_EQ(block->offset, std::uint64_t(out.stored.size())) << "blocks arrive in order";
            out.stored.append(block->data);
            EXPECT_EQ(block->last, get.finished());
            step = get.advance(std::uint16_t(out.messageIds.back() + 1), 0.0);
        } else if (auto* done = std::get_if<BlockwiseGet::Done>(&step)) {
            out.done = *done;
            return out;
        } else {
            out.failed = std::get<BlockwiseGet::Failed>(step);
            return out;
        }
    }
    ADD_FAILURE() << "transfer did not end";
    return out;
}

BlockwiseGet::Config config(std::uint8_t szx = 6)
{
    BlockwiseGet::Config c;
    c.uriPath = QStringLiteral("fw/image.bin");
    c.szx = szx;
    return c;
}

} // namespace

TEST(CoapBlockwise, FetchesAWholeBodyBlockByBlock)
{
    for (int size : {1, 1023, 1024, 1025, 2048, 5000}) {
        Server server{pattern(size), "e1"};
        BlockwiseGet get(config());
        const Outcome out = run(get, server);
        ASSERT_TRUE(out.done.has_value()) << size;
        EXPECT_EQ(out.stored, server.body);
        EXPECT_EQ(out.done->totalBytes, std::uint64_t(size));
        EXPECT_EQ(out.blocks, (size + 1023) / 1024);
        EXPECT_EQ(get.requestsSent(), std::uint32_t(out.blocks));
        EXPECT_EQ(get.retransmissions(), 0u);
        EXPECT_EQ(get.totalBytes(), std::uint64_t(size));
        EXPECT_EQ(get.etag(), QByteArray("e1"));
        EXPECT_TRUE(get.finished());
    }
}

TEST(CoapBlockwise, EmptyBodyIsDoneWithoutABlock)
{
    Server server{QByteArray(), {}};
    BlockwiseGet get(config());
    const Outcome out = run(get, server);
    ASSERT_TRUE(out.done.has_value());
    EXPECT_EQ(out.done->totalBytes, 0u);
    EXPECT_EQ(out.blocks, 0);
}

TEST(CoapBlockwise, RequestsCarryPathQueriesAndBlock2)
{
    BlockwiseGet::Config c = config(4);
    c.uriQueries = {QStringLiteral("v=2")};
    BlockwiseGet get(c);
    const BlockwiseGet::Send send = get.start(512, 7, "tok", 0.0);
    EXPECT_EQ(send.message.type, CoapType::Confirmable);
    EXPECT_EQ(send.message.code, coap_code::Get);
    EXPECT_EQ(send.message.messageId, 7);
    EXPECT_EQ(send.message.token, QByteArray("tok"));
    EXPECT_EQ(send.message.uriPath(), QStringLiteral("fw/image.bin"));
    EXPECT_EQ(send.message.uriQueries(), QStringList{QStringLiteral("v=2")});
    EXPECT_EQ(**send.message.block2(), (BlockOption{2, false, 4}));
    EXPECT_EQ(send.timeoutMs, 2000u);
    EXPECT_EQ(get.start(0, 8, "tok", 0.5).timeoutMs, 2500u);   // 2 s × (1 + 0.5 × 0.5)
}

TEST(CoapBlockwise, LostResponsesAreRetransmittedWithADoublingTimeout)
{
    Server server{pattern(3000), {}};
    BlockwiseGet get(config());
    const std::set<int> lost{1, 2};   // both answers to block 1's first two transmissions
    const Outcome out = run(get, server, 0, [&](int i) { return lost.contains(i); });
    ASSERT_TRUE(out.done.has_value());
    EXPECT_EQ(out.stored, server.body);
    EXPECT_EQ(get.retransmissions(), 2u);
    EXPECT_EQ(get.requestsSent(), 3u);
    EXPECT_EQ(out.timeouts, (std::vector<std::uint32_t>{2000, 2000, 4000, 8000, 2000}));
    EXPECT_EQ(out.messageIds, (std::vector<std::uint16_t>{100, 101, 101, 101, 102}));   // same id when resent
}

TEST(CoapBlockwise, GivesUpAfterFourRetransmissions)
{
    Server server{pattern(3000), {}};
    BlockwiseGet get(config());
    const Outcome out = run(get, server, 0, [](int i) { return i >= 1; });
    ASSERT_TRUE(out.failed.has_value());
    EXPECT_TRUE(out.failed->timedOut);
    EXPECT_EQ(out.failed->code, 0);
    EXPECT_EQ(out.failed->reason, QStringLiteral("no answer after 4 retransmissions"));
    // RFC 7252 §4.8.2: 2 + 2 + 4 + 8 + 16 + 32 s … the last wait is the one that fails.
    EXPECT_EQ(out.timeouts, (std::vector<std::uint32_t>{2000, 2000, 4000, 8000, 16000, 32000}));
    EXPECT_EQ(get.retransmissions(), 4u);
    EXPECT_FALSE(get.finished());
    EXPECT_TRUE(std::holds_alternative<BlockwiseGet::Failed>(get.onTimeout()));   // nothing outstanding
}

TEST(CoapBlockwise, ResumesFromAnOffset)
{
    Server server{pattern(5000), "v1"};
    BlockwiseGet::Config c = config();
    c.knownEtag = "v1";
    BlockwiseGet get(c);
    const Outcome out = run(get, server, 3072);
    ASSERT_TRUE(out.done.has_value());
    EXPECT_EQ(out.stored, server.body);
    EXPECT_EQ(out.blocks, 2);
    EXPECT_EQ(get.requestsSent(), 2u);
    EXPECT_EQ(get.receivedBytes(), 5000u);
    EXPECT_EQ(get.restarts(), 0u);
}

TEST(CoapBlockwise, AnEtagChangeRestartsAtBlockZero)
{
    Server server{pattern(5000, 1), "v1"};
    BlockwiseGet get(config());
    // The image is replaced on the server before the answer to the third request.
    const Outcome out = run(get, server, 0, {}, [](int i, Server& s) {
        if (i == 2) {
            s.body = pattern(4500, 9);
            s.etag = "v2";
        }
    });
    ASSERT_TRUE(out.done.has_value());
    EXPECT_EQ(out.restarts, 1);
    EXPECT_EQ(get.restarts(), 1u);
    EXPECT_EQ(out.stored, server.body);
    EXPECT_EQ(out.done->totalBytes, 4500u);
    EXPECT_EQ(get.etag(), QByteArray("v2"));
    EXPECT_EQ(out.messageIds.at(3), out.messageIds.at(2) + 1);   // the restart's request id
}

TEST(CoapBlockwise, AnEtagRestartTakesItsMessageIdFromTheCaller)
{
    Server server{pattern(3000), "new"};
    BlockwiseGet::Config c = config();
    c.knownEtag = "old";
    std::uint16_t counter = 500;
    c.nextMessageId = [&counter] { return counter++; };
    BlockwiseGet get(c);
    const auto first = get.start(2048, 100, "tk", 0.0);
    CoapMessage reply = server.answer(first.message);
    const auto step = get.onResponse(reply);
    ASSERT_TRUE(step && std::holds_alternative<BlockwiseGet::Send>(*step));
    EXPECT_EQ(std::get<BlockwiseGet::Send>(*step).message.messageId, 500);
    EXPECT_EQ(**std::get<BlockwiseGet::Send>(*step).message.block2(), (BlockOption{0, false, 6}));
    EXPECT_EQ(counter, 501);
}

TEST(CoapBlockwise, AResumeAgainstAnotherImageRestarts)
{
    Server server{pattern(3000), "new"};
    BlockwiseGet::Config c = config();
    c.knownEtag = "old";
    BlockwiseGet get(c);
    const Outcome out = run(get, server, 2048);
    ASSERT_TRUE(out.done.has_value());
    EXPECT_EQ(out.restarts, 1);
    EXPECT_EQ(out.stored, server.body);
}

TEST(CoapBlockwise, AdoptsTheServersSmallerBlockSize)
{
    Server server{pattern(1500), {}, 4};   // the server's blocks: 256 bytes
    BlockwiseGet get(config(6));
    const Outcome out = run(get, server);
    ASSERT_TRUE(out.done.has_value());
    EXPECT_EQ(out.stored, server.body);
    EXPECT_EQ(out.blocks, 6);
    EXPECT_EQ(get.blockSize(), 256u);
}

TEST(CoapBlockwise, AnErrorCodeFailsWithTheCode)
{
    Server server{pattern(100), {}, 6, coap_code::NotFound};
    BlockwiseGet get(config());
    const Outcome out = run(get, server);
    ASSERT_TRUE(out.failed.has_value());
    EXPECT_FALSE(out.failed->timedOut);
    EXPECT_EQ(out.failed->code, coap_code::NotFound);
    EXPECT_EQ(out.failed->reason, QStringLiteral("4.04 Not Found"));
}

TEST(CoapBlockwise, RefusesTheWrongBlockAndAnOversizedBody)
{
    BlockwiseGet get(config());
    const auto send = get.start(1024, 1, "t", 0.0);
    CoapMessage reply = makeResponse(send.message, coap_code::Content, 1);
    reply.setBlock2(BlockOption{3, true, 6});
    reply.payload = QByteArray(1024, 'x');
    const auto step = get.onResponse(reply);
    ASSERT_TRUE(step && std::holds_alternative<BlockwiseGet::Failed>(*step));
    EXPECT_EQ(std::get<BlockwiseGet::Failed>(*step).reason,
              QStringLiteral("asked block 1 (offset 1024), got block 3 (offset 3072)"));

    BlockwiseGet::Config small = config();
    small.maxBodyBytes = 4096;
    BlockwiseGet limited(small);
    Server server{pattern(5000), {}};
    const Outcome out = run(limited, server);
    ASSERT_TRUE(out.failed.has_value());
    EXPECT_EQ(out.failed->reason, QStringLiteral("Size2 5000 bytes exceeds the limit of 4096 bytes"));
    EXPECT_EQ(out.blocks, 0);
}

TEST(CoapBlockwise, IgnoresWhatDoesNotAnswerTheOutstandingRequest)
{
    BlockwiseGet get(config());
    const auto send = get.start(0, 50, "tk", 0.0);
    CoapMessage reply = makeResponse(send.message, coap_code::Content, 49);   // an older exchange
    reply.setBlock2(BlockOption{0, false, 6});
    reply.payload = "x";
    EXPECT_FALSE(get.onResponse(reply).has_value());
    reply.messageId = 50;
    reply.token = "other";
    EXPECT_FALSE(get.onResponse(reply).has_value());
    EXPECT_FALSE(get.onResponse(makeEmptyAck(50)).has_value());   // separate response follows
    reply.token = "tk";
    const auto step = get.onResponse(reply);
    ASSERT_TRUE(step && std::holds_alternative<BlockwiseGet::Block>(*step));
    EXPECT_FALSE(get.onResponse(reply).has_value());   // a duplicate of it
    EXPECT_TRUE(get.finished());
    EXPECT_FALSE(get.waiting());
    EXPECT_TRUE(std::holds_alternative<BlockwiseGet::Done>(get.advance(51, 0.0)));
    const auto stale = get.onTimeout();   // a timer nobody cancelled
    ASSERT_TRUE(std::holds_alternative<BlockwiseGet::Failed>(stale));
    EXPECT_FALSE(std::get<BlockwiseGet::Failed>(stale).timedOut);
}

TEST(CoapBlockwise, ASeparateResponseMatchesByToken)
{
    BlockwiseGet get(config());
    const auto send = get.start(0, 60, "tk", 0.0);
    CoapMessage separate = makeRequest(CoapType::Confirmable, coap_code::Content, 9000, "tk", u"");
    separate.setBlock2(BlockOption{0, false, 6});
    separate.payload = "abc";
    const auto step = get.onResponse(separate);
    ASSERT_TRUE(step && std::holds_alternative<BlockwiseGet::Block>(*step));
    EXPECT_EQ(std::get<BlockwiseGet::Block>(*step).data, QByteArray("abc"));
    (void)send;
}

TEST(CoapBlockwise, AResetFails)
{
    BlockwiseGet get(config());
    get.start(0, 70, "tk", 0.0);
    EXPECT_FALSE(get.onResponse(makeReset(71)).has_value());
    const auto step = get.onResponse(makeReset(70));
    ASSERT_TRUE(step && std::holds_alternative<BlockwiseGet::Failed>(*step));
}

// --- serveBlock2 on its own ---------------------------------------------------------

TEST(CoapServeBlock2, CutsTheBlockAskedFor)
{
    const QByteArray body = pattern(2500);
    CoapMessage request = makeRequest(CoapType::Confirmable, coap_code::Get, 1, "t", u"fw");

    CoapMessage r0 = makeResponse(request, 0, 1);   // no Block2: block 0 at the server's size
    EXPECT_EQ(serveBlock2(request, body, r0, 6, "et"), coap_code::Content);
    EXPECT_EQ(r0.code, coap_code::Content);
    EXPECT_EQ(**r0.block2(), (BlockOption{0, true, 6}));
    EXPECT_EQ(r0.uintOption(coap_option::Size2), 2500u);
    EXPECT_EQ(r0.option(coap_option::ETag)->value, QByteArray("et"));
    EXPECT_EQ(r0.contentFormat(), content_format::OctetStream);
    EXPECT_EQ(r0.payload, body.left(1024));

    request.setBlock2(BlockOption{9, false, 2});   // a smaller size is honoured: 64 B at 576
    CoapMessage r1 = makeResponse(request, 0, 1);
    serveBlock2(request, body, r1, 6, {}, std::nullopt);
    EXPECT_EQ(**r1.block2(), (BlockOption{9, true, 2}));
    EXPECT_EQ(r1.payload, body.mid(576, 64));
    EXPECT_FALSE(r1.hasOption(coap_option::Size2));
    EXPECT_FALSE(r1.hasOption(coap_option::ETag));
    EXPECT_FALSE(r1.hasOption(coap_option::ContentFormat));

    request.setBlock2(BlockOption{1, false, 6});   // larger than the server's 256: NUM rescaled
    CoapMessage r2 = makeResponse(request, 0, 1);
    serveBlock2(request, body, r2, 4);
    EXPECT_EQ(**r2.block2(), (BlockOption{4, true, 4}));
    EXPECT_EQ(r2.payload, body.mid(1024, 256));

    request.setBlock2(BlockOption{2, false, 6});   // the last block
    CoapMessage r3 = makeResponse(request, 0, 1);
    serveBlock2(request, body, r3);
    EXPECT_EQ(**r3.block2(), (BlockOption{2, false, 6}));
    EXPECT_EQ(r3.payload, body.mid(2048));

    request.setBlock2(BlockOption{3, false, 6});   // past the end
    CoapMessage r4 = makeResponse(request, 0, 1);
    EXPECT_EQ(serveBlock2(request, body, r4), coap_code::BadOption);
    EXPECT_TRUE(r4.payload.isEmpty());

    request.options = {{coap_option::Block2, QByteArray::fromHex("0f")}};   // SZX 7
    CoapMessage r5 = makeResponse(request, 0, 1);
    EXPECT_EQ(serveBlock2(request, body, r5), coap_code::BadOption);
}
