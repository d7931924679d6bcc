// SPDX-License-Identifier: Apache-2.0
// SmpSession drives a sans-IO operation over a real transport: start, packets, timers,
// reopenLink, a board that vanishes and re-enumerates, cancel, giving up.
#include "plugin_test_support.h"

#include "app/hw/smp_session.h"

using namespace otalab;
using namespace otalab::testing;
using core::smp::Operation;
using core::smp::OperationOutput;
using core::transport::Transport;

namespace {

// What the test operations saw, kept outside them (the session owns the operation).
struct Trace {
    QList<QByteArray> packets;
    QList<std::int64_t> timerCalls;
    int linkDowns = 0;
    int linkUps = 0;
    int cancels = 0;
};

// Sends `pings` requests one after another, each after the previous answer; optional
// reopenLink after the first answer. Times out after 10 s per request.
class PingOperation final : public Operation {
public:
    PingOperation(Trace& trace, int pings, bool reopenAfterFirst)
        : m_trace(trace), m_pings(pings), m_reopenAfterFirst(reopenAfterFirst) {}

    void start(std::int64_t now, OperationOutput& out) override
    {
        out.log << QStringLiteral("ping start");
        out.progress << core::smp::Progress{QStringLiteral("ping"), 0, m_pings, 0, std::nullopt};
        ping(now, out);
    }
    void onPacket(std::int64_t now, QByteArrayView packet, OperationOutput& out) override
    {
        m_trace.packets << packet.toByteArray();
        out.progress << core::smp::Progress{QStringLiteral("ping"), m_trace.packets.size(), m_pings, 0, std::nullopt};
        if (m_trace.packets.size() == m_pings) {
            finish();
            return;
        }
        if (m_reopenAfterFirst && m_trace.packets.size() == 1) {
            out.reopenLink = true;   // the next ping goes out after onLinkUp
            return;
        }
        if (!m_waitForLinkUp)
            ping(now, out);
    }
    void onTimer(std::int64_t, OperationOutput&) override
    {
        finishWith(Error::plain(QStringLiteral("no answer within 10 s")));
    }
    void onLinkDown(std::int64_t now, OperationOutput& out) override
    {
        ++m_trace.linkDowns;
        out.wakeAtMs = now + 20000;   // patience while the board is away
    }
    void onLinkUp(std::int64_t now, OperationOutput& out) override
    {
        ++m_trace.linkUps;
        ping(now, out);
    }
    void cancel(std::int64_t, OperationOutput&) override
    {
        ++m_trace.cancels;
        finishWith(Error::plain(QStringLiteral("aborted by the user")));
    }

    // After the first answer, wait for the link to drop and come back before pinging on.
    bool m_waitForLinkUp = false;

private:
    void ping(std::int64_t now, OperationOutput& out)
    {
        out.packets << smpPacket(200, std::uint8_t(m_trace.packets.size() + 1));
        out.wakeAtMs = now + 10000;
    }
    Trace& m_trace;
    int m_pings;
    bool m_reopenAfterFirst;
};

// Wakes up at start + 30 ms and finishes; records when onTimer ran.
class WaitOperation final : public Operation {
public:
    explicit WaitOperation(Trace& trace) : m_trace(trace) {}
    void start(std::int64_t now, OperationOutput& out) override
    {
        m_wakeAt = now + 30;
        out.wakeAtMs = m_wakeAt;
    }
    void onPacket(std::int64_t, QByteArrayView, OperationOutput&) override {}
    void onTimer(std::int64_t now, OperationOutput& out) override
    {
        m_trace.timerCalls << now - m_wakeAt;
        if (m_trace.timerCalls.size() == 1) {   // once more, then done
            m_wakeAt = now + 10;
            out.wakeAtMs = m_wakeAt;
            return;
        }
        finish();
    }
    void onLinkDown(std::int64_t, OperationOutput&) override {}
    void onLinkUp(std::int64_t, OperationOutput&) override {}
    void cancel(std::int64_t, OperationOutput&) override { finishWith(Error::plain(QStringLiteral("aborted"))); }

private:
    Trace& m_trace;
    std::int64_t m_wakeAt = 0;
};

// The board: answers every request it gets.
void answerEverything(Transport* board)
{
    QObject::connect(board, &Transport::packetReceived, board, [board](const QByteArray& p) { board->send(answerOf(p)); });
}

struct Outcome {
    bool done = false;
    bool ok = false;
    QString message;
    QStringList log;
    QList<bool> links;
    QList<core::smp::Progress> progress;
    explicit Outcome(hw::SmpSession& session)
    {
        QObject::connect(&session, &hw::SmpSession::finished, &session, [this](bool success, const QString& m) {
            done = true;
            ok = success;
            message = m;
        });
        QObject::connect(&session, &hw::SmpSession::log, &session, [this](const QString& l) { log << l; });
        QObject::connect(&session, &hw::SmpSession::linkChanged, &session, [this](bool up) { links << up; });
        QObject::connect(&session, &hw::SmpSession::progress, &session,
                         [this](const core::smp::Progress& p) { progress << p; });
    }
};

const hw::SmpSession::Options kQuickReopen{50, 200, 20000};

} // namespace

TEST(SmpSession, OpensTheTransportAndRunsTheOperation)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    auto client = makeTransport(QStringLiteral("serial:%1").arg(pty.a()));
    auto board = makeTransport(QStringLiteral("serial:%1").arg(pty.b()), true);
    ASSERT_TRUE(client && board && openAndWait(board.get()));
    answerEverything(board.get());

    Trace trace;
    hw::SmpSession session(client.get(), std::make_unique<PingOperation>(trace, 3, false));
    Outcome outcome(session);
    EXPECT_EQ(client->state(), Transport::State::Closed);
    session.start();
    ASSERT_TRUE(waitUntil([&] { return outcome.done; }));
    EXPECT_TRUE(outcome.ok) << outcome.message.toStdString();
    ASSERT_EQ(trace.packets.size(), 3);
    EXPECT_EQ(trace.packets.at(2), answerOf(smpPacket(200, 3)));
    EXPECT_EQ(outcome.log.value(0), QStringLiteral("ping start"));
    ASSERT_EQ(outcome.progress.size(), 4);
    EXPECT_EQ(outcome.progress.constLast().done, 3);
    EXPECT_EQ(outcome.links, (QList<bool>{true}));
    EXPECT_GT(session.wireBytesSent(), 3 * 200);
    EXPECT_GT(session.wireBytesReceived(), 3 * 200);
    EXPECT_EQ(client->state(), Transport::State::Open);   // the transport outlives the operation
}

TEST(SmpSession, FailsWithTheTransportsErrorWhenItCannotOpen)
{
    auto client = makeTransport(QStringLiteral("serial:/dev/ttyOTALAB-none"));
    ASSERT_TRUE(client);
    Trace trace;
    hw::SmpSession session(client.get(), std::make_unique<PingOperation>(trace, 1, false));
    Outcome outcome(session);
    session.start();
    ASSERT_TRUE(waitUntil([&] { return outcome.done; }));
    EXPECT_FALSE(outcome.ok);
    EXPECT_TRUE(outcome.message.startsWith(QStringLiteral("there is no serial port /dev/ttyOTALAB-none"))) << outcome.message.toStdString();
    EXPECT_FALSE(session.isStarted());
    ASSERT_TRUE(session.failure().has_value());
}

TEST(SmpSession, CallsOnTimerNoEarlierThanAsked)
{
    auto link = makeTransport(QStringLiteral("udp:127.0.0.1:0"), true);
    ASSERT_TRUE(link);
    Trace trace;
    hw::SmpSession session(link.get(), std::make_unique<WaitOperation>(trace));
    Outcome outcome(session);
    session.start();
    ASSERT_TRUE(waitUntil([&] { return outcome.done; }));
    EXPECT_TRUE(outcome.ok) << outcome.message.toStdString();
    ASSERT_EQ(trace.timerCalls.size(), 2);
    EXPECT_GE(trace.timerCalls.at(0), 0);
    EXPECT_GE(trace.timerCalls.at(1), 0);
}

TEST(SmpSession, ReopensTheLinkWhenTheOperationAsks)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    auto client = makeTransport(QStringLiteral("serial:%1").arg(pty.a()));
    auto board = makeTransport(QStringLiteral("serial:%1").arg(pty.b()), true);
    ASSERT_TRUE(client && board && openAndWait(board.get()));
    answerEverything(board.get());
    Recorder atClient(client.get());

    Trace trace;
    hw::SmpSession session(client.get(), std::make_unique<PingOperation>(trace, 2, true), kQuickReopen);
    Outcome outcome(session);
    session.start();
    ASSERT_TRUE(waitUntil([&] { return outcome.done; }));
    EXPECT_TRUE(outcome.ok) << outcome.message.toStdString();
    EXPECT_EQ(trace.packets.size(), 2);
    EXPECT_EQ(trace.linkDowns, 0);   // asked for, so not a loss
    EXPECT_EQ(trace.linkUps, 1);
    EXPECT_EQ(outcome.links, (QList<bool>{true, false, true}));
    EXPECT_EQ(atClient.states, (QList<Transport::State>{Transport::State::Opening, Transport::State::Open,
                                                         Transport::State::Closed, Transport::State::Opening,
                                                         Transport::State::Open}));
}

TEST(SmpSession, WaitsForABoardThatVanishesAndReenumerates)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    auto client = makeTransport(QStringLiteral("serial:%1").arg(pty.a()));
    auto board = makeTransport(QStringLiteral("serial:%1").arg(pty.b()), true);
    ASSERT_TRUE(client && board && openAndWait(board.get()));
    answerEverything(board.get());

    Trace trace;
    auto operation = std::make_unique<PingOperation>(trace, 2, false);
    operation->m_waitForLinkUp = true;
    hw::SmpSession session(client.get(), std::move(operation), kQuickReopen);
    Outcome outcome(session);
    session.start();
    ASSERT_TRUE(waitUntil([&] { return trace.packets.size() == 1; }));

    pty.stop();   // the board resets: its USB port disappears
    ASSERT_TRUE(waitUntil([&] { return trace.linkDowns == 1; }));
    settle(400);  // several reopen attempts fail meanwhile
    EXPECT_EQ(trace.linkUps, 0);
    ASSERT_TRUE(pty.start());   // ...and comes back under the same name
    ASSERT_TRUE(openAndWait(board.get()));
    ASSERT_TRUE(waitUntil([&] { return outcome.done; }));
    EXPECT_TRUE(outcome.ok) << outcome.message.toStdString();
    EXPECT_EQ(trace.linkUps, 1);
    EXPECT_EQ(trace.packets.size(), 2);
    EXPECT_EQ(outcome.links, (QList<bool>{true, false, true}));
    const QString log = outcome.log.join(QLatin1Char('\n'));
    EXPECT_TRUE(log.contains(QStringLiteral("disappeared (unplugged or resetting)"))) << log.toStdString();
    EXPECT_TRUE(log.contains(QStringLiteral("is back after"))) << log.toStdString();
    EXPECT_FALSE(log.contains(QStringLiteral("there is no serial port"))) << "failed reopen attempts are not logged";
}

TEST(SmpSession, GivesUpWhenTheBoardDoesNotComeBack)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    auto client = makeTransport(QStringLiteral("serial:%1").arg(pty.a()));
    auto board = makeTransport(QStringLiteral("serial:%1").arg(pty.b()), true);
    ASSERT_TRUE(client && board && openAndWait(board.get()));
    answerEverything(board.get());

    Trace trace;
    auto operation = std::make_unique<PingOperation>(trace, 2, false);
    operation->m_waitForLinkUp = true;
    hw::SmpSession session(client.get(), std::move(operation), hw::SmpSession::Options{50, 100, 300});
    Outcome outcome(session);
    session.start();
    ASSERT_TRUE(waitUntil([&] { return trace.packets.size() == 1; }));
    pty.stop();
    ASSERT_TRUE(waitUntil([&] { return outcome.done; }));
    EXPECT_FALSE(outcome.ok);
    EXPECT_TRUE(outcome.message.contains(QStringLiteral("did not come back within 0.3 s"))) << outcome.message.toStdString();
    EXPECT_TRUE(outcome.message.contains(QStringLiteral("there is no serial port"))) << outcome.message.toStdString();
    EXPECT_EQ(trace.cancels, 1);
}

TEST(SmpSession, CancelAbortsTheOperation)
{
    auto link = makeTransport(QStringLiteral("udp:127.0.0.1:0"), true);   // nobody answers
    ASSERT_TRUE(link && openAndWait(link.get()));
    Trace trace;
    hw::SmpSession session(link.get(), std::make_unique<PingOperation>(trace, 1, false));
    Outcome outcome(session);
    session.start();
    ASSERT_TRUE(waitUntil([&] { return session.isStarted(); }));
    session.cancel();
    ASSERT_TRUE(outcome.done);
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.message, QStringLiteral("aborted by the user"));
    EXPECT_EQ(trace.cancels, 1);
}
