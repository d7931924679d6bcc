// SPDX-License-Identifier: Apache-2.0
// Requests larger than the link or the board takes are refused before they are sent, with
// the limit and what raises it, instead of being dropped and retried until "did not answer".
#include "core/smp/client_command.h"
#include "core/smp/client_upload.h"
#include "core/smp/packet_limit.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_packet.h"
#include "smp_fake_board.h"
#include "smp_loopback.h"
#include "smp_sim_board.h"

#include <gtest/gtest.h>

using namespace otalab::core::smp;
using otalab::test::smp::FakeBoard;
using otalab::test::smp::Loopback;
using otalab::test::smp::SimBoard;

namespace {

// A real Zephyr-like board whose SMP buffers are `bufSize` bytes (requests larger than one
// buffer never reach SMP: dropped without an answer, like Zephyr's transports).
SimBoard boardWithBuffers(std::uint32_t bufSize)
{
    ServerConfig config = SimBoard::defaultConfig();
    config.bufSize = bufSize;
    return SimBoard(config);
}

std::uint8_t commandOf(const QByteArray& packet)
{
    auto h = decodeHeader(packet);
    return h ? h->command : 0xff;
}

} // namespace

TEST(SmpRequestSize, EchoLargerThanTheLinkFailsAtOnceNamingTheLimit)
{
    FakeBoard board;
    auto op = CommandOperation::echo(QString(2000, QLatin1Char('x')));
    op->limitPackets({1472, QStringLiteral("one UDP datagram carries at most 1472 bytes here: raise it with mtu=")});
    Loopback loop(*op, [&](std::int64_t now, const QByteArray& r) { return board.handle(now, r); });
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op->failure().has_value());
    EXPECT_TRUE(op->requestTooLarge());
    const QString message = op->failure()->message;
    EXPECT_TRUE(message.startsWith(QStringLiteral("the os echo request is 2")))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("at most 1472 bytes"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("mtu="))) << message.toStdString();
    EXPECT_TRUE(message.endsWith(QStringLiteral("nothing was sent"))) << message.toStdString();
    EXPECT_TRUE(loop.sentByClient.isEmpty());
    EXPECT_EQ(loop.now(), 0);
}

TEST(SmpRequestSize, TheTightestLimitCountsWhicheverComesFirst)
{
    auto op = CommandOperation::echo(QString(300, QLatin1Char('y')));
    op->limitPackets({1472, QStringLiteral("the link")});
    op->limitPackets({200, QStringLiteral("--mtu 200")});
    op->limitPackets({0, QStringLiteral("no limit")});
    op->limitPackets({1000, QStringLiteral("another link")});
    EXPECT_EQ(op->requester().packetLimit().maxBytes, 200);
    EXPECT_EQ(op->requester().packetLimit().text, QStringLiteral("--mtu 200"));
    FakeBoard board;
    Loopback loop(*op, [&](std::int64_t now, const QByteArray& r) { return board.handle(now, r); });
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op->failure().has_value());
    EXPECT_TRUE(op->failure()->message.contains(QStringLiteral("but --mtu 200;"))) << op->failure()->message.toStdString();
}

TEST(SmpRequestSize, EchoLargerThanTheBoardsBuffersAsksTheirSizeThenFails)
{
    // Before: the board dropped the 600-byte request, the client waited 5 × 5 s and said
    // "did not answer". Now one parameters round trip, then the limit in words.
    SimBoard sim = boardWithBuffers(384);
    ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(4000, QStringLiteral("1.0.0"))));
    auto op = CommandOperation::echo(QString(600, QLatin1Char('z')));
    Loopback loop(*op, sim.attach(loop));
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op->failure().has_value());
    EXPECT_TRUE(op->requestTooLarge());
    const QString message = op->failure()->message;
    EXPECT_TRUE(message.contains(QStringLiteral("the board takes packets of at most 380 bytes"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("384 bytes, buf_size"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE"))) << message.toStdString();
    ASSERT_EQ(loop.sentByClient.size(), 1);   // the parameters question only
    EXPECT_EQ(commandOf(loop.sentByClient[0]), os::McumgrParams);
    EXPECT_EQ(sim.server.stats().ignoredInput, 0);
    EXPECT_LT(loop.now(), 100);   // one round trip, no retries
}

TEST(SmpRequestSize, EchoThatFitsTheBoardIsSentAfterTheQuestion)
{
    SimBoard sim = boardWithBuffers(384);
    ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(4000, QStringLiteral("1.0.0"))));
    const QString text(300, QLatin1Char('w'));
    auto op = CommandOperation::echo(text);
    Loopback loop(*op, sim.attach(loop));
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op->failure().has_value()) << op->failure()->message.toStdString();
    EXPECT_EQ(op->result().text, text);
    ASSERT_EQ(loop.sentByClient.size(), 2);
    EXPECT_EQ(commandOf(loop.sentByClient[0]), os::McumgrParams);
    EXPECT_EQ(commandOf(loop.sentByClient[1]), os::Echo);
}

TEST(SmpRequestSize, ShortRequestsAreSentWithoutTheQuestion)
{
    SimBoard sim = boardWithBuffers(384);
    ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(4000, QStringLiteral("1.0.0"))));
    auto op = CommandOperation::echo(QStringLiteral("hi"));
    Loopback loop(*op, sim.attach(loop));
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op->failure().has_value()) << op->failure()->message.toStdString();
    ASSERT_EQ(loop.sentByClient.size(), 1);
    EXPECT_EQ(commandOf(loop.sentByClient[0]), os::Echo);
}

TEST(SmpRequestSize, BoardWithoutParametersGetsTheLargeRequestAnyway)
{
    FakeBoard board;
    board.paramsSupported = false;
    const QString text(600, QLatin1Char('v'));
    auto op = CommandOperation::echo(text);
    Loopback loop(*op, [&](std::int64_t now, const QByteArray& r) { return board.handle(now, r); });
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op->failure().has_value()) << op->failure()->message.toStdString();
    EXPECT_EQ(op->result().text, text);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("does not report its buffer size")));
}

TEST(SmpRequestSize, SilentBoardIsNamedByTheQuestionItDidNotAnswer)
{
    FakeBoard board;
    board.offlineUntilMs = std::numeric_limits<std::int64_t>::max();
    auto op = CommandOperation::echo(QString(600, QLatin1Char('u')), RequestPolicy{100, 1});
    Loopback loop(*op, [&](std::int64_t now, const QByteArray& r) { return board.handle(now, r); });
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op->failure().has_value());
    EXPECT_FALSE(op->requestTooLarge());
    EXPECT_TRUE(op->failure()->message.startsWith(QStringLiteral("the board did not answer os mcumgr params")))
        << op->failure()->message.toStdString();
}

TEST(SmpRequestSize, UploadPacketsStayWithinTheLinkLimitTheDriverGave)
{
    FakeBoard board;
    UploadOptions options;
    options.maxPacketBytes = 4096;   // what the caller thought
    UploadOperation op(otalab::test::smp::makeImage(20000, QStringLiteral("2.0.0")), options);
    op.limitPackets({700, QStringLiteral("the link")});
    Loopback loop(op, [&](std::int64_t now, const QByteArray& r) { return board.handle(now, r); });
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(op.maxPacketBytes(), 700);
    for (const QByteArray& packet : loop.sentByClient)
        EXPECT_LE(packet.size(), 700);
}
