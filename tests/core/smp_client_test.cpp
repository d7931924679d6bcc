// SPDX-License-Identifier: Apache-2.0
// SMP client: requester matching/retries/v1 fallback, one-shot commands, progress estimator.
#include "core/smp/client_command.h"
#include "core/smp/client_progress.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_packet.h"
#include "smp_fake_board.h"
#include "smp_loopback.h"
#include "smp_sim_board.h"

#include <gtest/gtest.h>

using namespace otalab::core::smp;
using otalab::test::smp::FakeBoard;
using otalab::test::smp::Loopback;
using otalab::test::smp::makeImage;

namespace {

Loopback::Board boardFn(FakeBoard& board)
{
    return [&board](std::int64_t now, const QByteArray& request) { return board.handle(now, request); };
}

Header headerOf(const QByteArray& packet)
{
    auto h = decodeHeader(packet);
    return h ? *h : Header{};
}

QByteArray response(Header request, const QCborMap& payload)
{
    request.op = request.op == Op::Write ? Op::WriteResponse : Op::ReadResponse;
    return encodePacket(request, payload);
}

} // namespace

TEST(SmpClient, EchoRoundTrip)
{
    FakeBoard board;
    auto op = CommandOperation::echo(QStringLiteral("hello"));
    Loopback loop(*op, boardFn(board));
    ASSERT_TRUE(loop.run());
    EXPECT_FALSE(op->failure().has_value());
    ASSERT_TRUE(op->result().text.has_value());
    EXPECT_EQ(*op->result().text, QStringLiteral("hello"));
    ASSERT_EQ(loop.sentByClient.size(), 1);
    const Header h = headerOf(loop.sentByClient[0]);
    EXPECT_EQ(h.version, ProtocolVersion::V2);
    EXPECT_EQ(h.op, Op::Write);
    EXPECT_EQ(h.group, std::uint16_t(Group::Os));
    EXPECT_EQ(h.command, os::Echo);
    EXPECT_EQ(loop.now(), 5 + 1 + 5);   // latency, board, latency
    EXPECT_TRUE(loop.log.first().startsWith(QStringLiteral("→ ")));
}

TEST(SmpClient, ImageStateListsSlots)
{
    FakeBoard board;
    board.primary.data = makeImage(1000, QStringLiteral("1.0.0"));
    board.primary.confirmed = true;
    auto op = CommandOperation::imageState();
    Loopback loop(*op, boardFn(board));
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op->failure().has_value()) << op->failure()->message.toStdString();
    ASSERT_TRUE(op->result().imageState.has_value());
    const auto& images = op->result().imageState->images;
    ASSERT_EQ(images.size(), 1);
    EXPECT_EQ(images[0].version, QStringLiteral("1.0.0"));
    EXPECT_EQ(images[0].hash, FakeBoard::hashOf(board.primary.data));
    EXPECT_TRUE(images[0].active);
    EXPECT_TRUE(images[0].confirmed);
    const QStringList lines = describeImageState(*op->result().imageState);
    ASSERT_EQ(lines.size(), 1);
    EXPECT_TRUE(lines[0].startsWith(QStringLiteral("image 0 slot 0: 1.0.0 (active, confirmed, bootable) hash ")));
}

TEST(SmpClient, ParamsAndSlotErrors)
{
    FakeBoard board;
    board.params = {2475, 5};
    auto params = CommandOperation::params();
    Loopback loop(*params, boardFn(board));
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(params->result().params.has_value());
    EXPECT_EQ(params->result().params->bufSize, 2475u);
    EXPECT_EQ(params->result().params->bufCount, 5u);

    // The fake board does not implement slot info: the v1 error must read as words.
    auto slots = CommandOperation::slotInfo();
    Loopback loop2(*slots, boardFn(board));
    ASSERT_TRUE(loop2.run());
    ASSERT_TRUE(slots->failure().has_value());
    EXPECT_TRUE(slots->failure()->message.contains(QStringLiteral("MGMT_ERR_ENOTSUP")))
        << slots->failure()->message.toStdString();
    EXPECT_TRUE(slots->failure()->message.startsWith(QStringLiteral("the board refused image slot info")))
        << slots->failure()->message.toStdString();
    ASSERT_TRUE(slots->deviceError().has_value());
    EXPECT_EQ(slots->deviceError()->rc, int(MgmtErr::NotSup));
}

TEST(SmpClient, DeviceErrorIsReadable)
{
    FakeBoard board;
    board.primary.data = makeImage(500, QStringLiteral("1.0.0"));
    auto op = CommandOperation::imageTest(QByteArray(32, '\x5a'));
    Loopback loop(*op, boardFn(board));
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op->failure().has_value());
    const QString message = op->failure()->message;
    EXPECT_TRUE(message.contains(QStringLiteral("IMG_MGMT_ERR_HASH_NOT_FOUND"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("no image with that hash"))) << message.toStdString();
}

TEST(SmpClient, LostResponseIsRetriedWithTheSamePacket)
{
    FakeBoard board;
    auto op = CommandOperation::echo(QStringLiteral("x"), RequestPolicy{1000, 2});
    Loopback loop(*op, boardFn(board));
    loop.dropResponse = [](int index, const QByteArray&) { return index == 0; };
    ASSERT_TRUE(loop.run());
    EXPECT_FALSE(op->failure().has_value());
    ASSERT_EQ(loop.sentByClient.size(), 2);
    EXPECT_EQ(loop.sentByClient[0], loop.sentByClient[1]);   // same sequence number
    EXPECT_EQ(loop.now(), 1000 + 11);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("sending it again (retry 1 of 2)")));
}

TEST(SmpClient, CorruptedResponseIsIgnoredThenRetried)
{
    FakeBoard board;
    auto op = CommandOperation::echo(QStringLiteral("abc"), RequestPolicy{500, 1});
    Loopback loop(*op, boardFn(board));
    loop.mangleResponse = [](int index, QByteArray& p) {
        if (index == 0)
            p.chop(3);   // CBOR cut short: the header length no longer matches
    };
    ASSERT_TRUE(loop.run());
    EXPECT_FALSE(op->failure().has_value());
    EXPECT_EQ(*op->result().text, QStringLiteral("abc"));
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("ignored a garbled packet")));
    EXPECT_EQ(loop.sentByClient.size(), 2);
}

TEST(SmpClient, RetriesExhaustedGiveAnActionableMessage)
{
    auto op = CommandOperation::imageState(RequestPolicy{300, 4});
    Loopback loop(*op, [](std::int64_t, const QByteArray&) { return QList<QByteArray>{}; });
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op->failure().has_value());
    const QString message = op->failure()->message;
    EXPECT_TRUE(message.contains(QStringLiteral("did not answer image state (5 attempts, 300 ms each)")))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("connection settings")));
    EXPECT_EQ(loop.sentByClient.size(), 5);
    EXPECT_EQ(loop.now(), 1500);
}

TEST(SmpClient, RequesterMatchesSequenceGroupAndCommand)
{
    Requester requester;
    requester.setNextSequence(250);
    OperationOutput out;
    const auto a = requester.send(0, echoRequest(QStringLiteral("a")), {}, out);
    const auto b = requester.send(0, imageStateReadRequest(), {}, out);
    EXPECT_EQ(a, 250);
    EXPECT_EQ(b, 251);
    Header hb = headerOf(out.packets[1]);

    // Right sequence, wrong group: not ours.
    Header wrong = hb;
    wrong.group = std::uint16_t(Group::Os);
    EXPECT_FALSE(requester.take(1, response(wrong, {}), out).has_value());
    // Not a response at all.
    EXPECT_FALSE(requester.take(1, encodePacket(hb, {}), out).has_value());
    EXPECT_EQ(requester.pendingCount(), 2);
    EXPECT_TRUE(out.log.join('\n').contains(QStringLiteral("matches no pending request")));

    auto reply = requester.take(2, response(hb, imageStatePayload({})), out);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->sequence, 251);
    EXPECT_FALSE(reply->error.has_value());
    EXPECT_EQ(requester.pendingCount(), 1);
    // A duplicate of the same answer no longer matches.
    EXPECT_FALSE(requester.take(3, response(hb, imageStatePayload({})), out).has_value());
    // Sequence numbers wrap and skip the ones still pending (250).
    requester.setNextSequence(250);
    EXPECT_EQ(requester.send(4, echoRequest(QStringLiteral("c")), {}, out), 251);
}

TEST(SmpClient, FallsBackToV1WhenTheBoardRefusesV2)
{
    // An old server: answers v2 requests with MGMT_ERR_UNSUPPORTED_TOO_NEW in the v1 form.
    FakeBoard board;
    auto v1Only = [&board](std::int64_t now, const QByteArray& request) -> QList<QByteArray> {
        Header h = headerOf(request);
        if (h.version == ProtocolVersion::V2) {
            h.version = ProtocolVersion::V1;
            return {response(h, errorPayloadV1(MgmtErr::UnsupportedTooNew))};
        }
        return board.handle(now, request);
    };
    auto op = CommandOperation::echo(QStringLiteral("v1?"));
    Loopback loop(*op, v1Only);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op->failure().has_value()) << op->failure()->message.toStdString();
    ASSERT_EQ(loop.sentByClient.size(), 2);
    EXPECT_EQ(headerOf(loop.sentByClient[0]).version, ProtocolVersion::V2);
    EXPECT_EQ(headerOf(loop.sentByClient[1]).version, ProtocolVersion::V1);
    EXPECT_EQ(headerOf(loop.sentByClient[0]).sequence, headerOf(loop.sentByClient[1]).sequence);
    EXPECT_EQ(op->requester().version(), ProtocolVersion::V1);
}

TEST(SmpClient, ResetAnsweredOrCutByTheLink)
{
    FakeBoard board;
    auto answered = CommandOperation::reset();
    Loopback loop(*answered, boardFn(board));
    ASSERT_TRUE(loop.run());
    EXPECT_FALSE(answered->failure().has_value());
    EXPECT_FALSE(answered->result().resetWithoutAnswer);
    EXPECT_EQ(board.resets, 1);

    // The board resets before its answer leaves: the link drops, which counts as done.
    auto cut = CommandOperation::reset();
    Loopback loop2(*cut, [](std::int64_t, const QByteArray&) { return QList<QByteArray>{}; });
    loop2.linkDownAt(8);
    ASSERT_TRUE(loop2.run());
    EXPECT_FALSE(cut->failure().has_value());
    EXPECT_TRUE(cut->result().resetWithoutAnswer);
    EXPECT_EQ(loop2.sentByClient.size(), 1);   // a reset is never repeated
}

TEST(SmpClient, LinkDownFailsAOneShotCommandAndCancelAborts)
{
    auto op = CommandOperation::imageState();
    Loopback loop(*op, [](std::int64_t, const QByteArray&) { return QList<QByteArray>{}; });
    loop.linkDownAt(100);
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op->failure().has_value());
    EXPECT_TRUE(op->failure()->message.contains(QStringLiteral("the link went down")));

    auto cancelled = CommandOperation::imageState();
    Loopback loop2(*cancelled, [](std::int64_t, const QByteArray&) { return QList<QByteArray>{}; });
    loop2.cancelAt(50);
    ASSERT_TRUE(loop2.run());
    ASSERT_TRUE(cancelled->failure().has_value());
    EXPECT_EQ(cancelled->failure()->message, QStringLiteral("aborted"));
    EXPECT_EQ(loop2.sentByClient.size(), 1);
}

TEST(SmpClient, EchoMismatchIsReported)
{
    auto op = CommandOperation::echo(QStringLiteral("ping"));
    Loopback loop(*op, [](std::int64_t, const QByteArray& request) -> QList<QByteArray> {
        return {response(headerOf(request), echoResponsePayload(QStringLiteral("pong")))};
    });
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op->failure().has_value());
    EXPECT_TRUE(op->failure()->message.contains(QStringLiteral("it echoed \"pong\" instead of \"ping\"")))
        << op->failure()->message.toStdString();
}

TEST(SmpClient, ProgressEstimatorRateAndEta)
{
    ProgressEstimator estimator(5000);
    estimator.reset(0, 0, 10000);
    EXPECT_EQ(estimator.bytesPerSecond(), 0);
    EXPECT_FALSE(estimator.etaSeconds().has_value());
    estimator.update(50, 50);   // too short a span to trust
    EXPECT_FALSE(estimator.etaSeconds().has_value());
    for (int t = 1; t <= 4; ++t)
        estimator.update(t * 1000, t * 1000);
    EXPECT_DOUBLE_EQ(estimator.bytesPerSecond(), 1000.0);
    ASSERT_TRUE(estimator.etaSeconds().has_value());
    EXPECT_DOUBLE_EQ(*estimator.etaSeconds(), 6.0);
    // Only the last 5 s count: the rate follows a slower phase.
    for (int t = 5; t <= 12; ++t)
        estimator.update(t * 1000, 4000 + (t - 4) * 500);
    EXPECT_NEAR(estimator.bytesPerSecond(), 500.0, 1e-9);
    const Progress p = estimator.progress(QStringLiteral("upload"));
    EXPECT_EQ(p.phase, QStringLiteral("upload"));
    EXPECT_EQ(p.done, 8000);
    EXPECT_EQ(p.total, 10000);
    ASSERT_TRUE(p.etaSeconds.has_value());
    EXPECT_NEAR(*p.etaSeconds, 4.0, 1e-9);
    // Going back (the board restarted) restarts the measurement.
    estimator.update(13000, 0);
    EXPECT_FALSE(estimator.etaSeconds().has_value());
}

// --- against the simulated Zephyr board (core/smp/smp_server.h) -----------------------------

TEST(SmpClientSimBoard, OsInfoSlotInfoParamsAndErase)
{
    otalab::test::smp::SimBoard sim;
    ASSERT_TRUE(sim.install(makeImage(8000, QStringLiteral("1.0.0"))));
    const auto runOn = [&sim](CommandOperation& op) {
        Loopback loop(op, sim.attach(loop));
        EXPECT_TRUE(loop.run());
        EXPECT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    };
    auto info = CommandOperation::osInfo(QStringLiteral("s"));
    runOn(*info);
    ASSERT_TRUE(info->result().text.has_value());
    EXPECT_EQ(*info->result().text, QStringLiteral("Zephyr"));

    auto slots = CommandOperation::slotInfo();
    runOn(*slots);
    ASSERT_TRUE(slots->result().slots.has_value());
    ASSERT_EQ(slots->result().slots->size(), 2);
    EXPECT_EQ(slots->result().slots->at(1).slot, 1);
    EXPECT_EQ(slots->result().slots->at(1).size, std::uint32_t(sim.board.flash().slotSize(1)));

    auto params = CommandOperation::params();
    runOn(*params);
    EXPECT_EQ(params->result().params->bufSize, 2048u);
    EXPECT_EQ(params->result().params->bufCount, 4u);

    auto erase = CommandOperation::imageErase();
    runOn(*erase);
    EXPECT_TRUE(sim.board.flash().isErased(1, 0, 4096));

    // The running image cannot be erased: a readable image-group error.
    auto refused = CommandOperation::imageErase(0);
    Loopback loop(*refused, sim.attach(loop));
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(refused->failure().has_value());
    EXPECT_TRUE(refused->failure()->message.startsWith(QStringLiteral("the board refused image erase: ")))
        << refused->failure()->message.toStdString();
    EXPECT_TRUE(refused->deviceError()->group.has_value());
}
