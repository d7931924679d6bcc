// SPDX-License-Identifier: Apache-2.0
// SmpSession tells the operation its transport's packet limit: a request the link cannot
// carry fails at once with the transport's words (UDP: the datagram size and mtu=), and
// nothing reaches the board.
#include "plugin_test_support.h"

#include "app/hw/smp_session.h"
#include "core/smp/client_command.h"

using namespace otalab;
using namespace otalab::testing;
using core::transport::Transport;

TEST(SmpRequestSize, SessionRefusesAnEchoLargerThanOneUdpDatagram)
{
    auto board = makeTransport(QStringLiteral("udp:127.0.0.1:0"), true);
    ASSERT_TRUE(board && openAndWait(board.get()));
    Recorder atBoard(board.get());
    const quint16 port = quint16(board->property("localPort").toUInt());
    auto client = makeTransport(QStringLiteral("udp:127.0.0.1:%1").arg(port));
    ASSERT_TRUE(client);
    EXPECT_TRUE(client->packetLimitText().contains(QStringLiteral("mtu="))) << client->packetLimitText().toStdString();

    hw::SmpSession session(client.get(), core::smp::CommandOperation::echo(QString(2000, QLatin1Char('x'))));
    bool done = false;
    bool ok = true;
    QString message;
    QObject::connect(&session, &hw::SmpSession::finished, &session, [&](bool success, const QString& m) {
        done = true;
        ok = success;
        message = m;
    });
    session.start();
    // Before: five attempts of 5 s each; the bound only guards against a hang.
    ASSERT_TRUE(waitUntil([&] { return done; }, 4000));
    EXPECT_FALSE(ok);
    EXPECT_TRUE(message.contains(QStringLiteral("one UDP datagram carries at most 1472 bytes"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("raise it with mtu="))) << message.toStdString();
    EXPECT_TRUE(session.wireBytesSent() == 0);
    EXPECT_TRUE(atBoard.packets.isEmpty());
}
