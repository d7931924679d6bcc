// SPDX-License-Identifier: Apache-2.0
// The UDP plugin over loopback: one packet per datagram both ways (IPv4, IPv6, host
// names), the datagram limit, serving answers the last sender, clear errors.
#include "plugin_test_support.h"

#include <QUdpSocket>

using namespace otalab;
using namespace otalab::testing;
using core::transport::Transport;

namespace {

quint16 boundPort(Transport* server)
{
    return quint16(server->property("localPort").toUInt());
}

bool ipv6LoopbackWorks()
{
    QUdpSocket probe;
    return probe.bind(QHostAddress::LocalHostIPv6, 0);
}

// A client and a serving transport exchanging a few packets each way.
void exchange(const QString& serveSpec, const QString& clientHost)
{
    auto server = makeTransport(serveSpec, /*serve=*/true);
    ASSERT_TRUE(server);
    Recorder atServer(server.get());
    ASSERT_TRUE(openAndWait(server.get())) << atServer.errors.join("\n").toStdString();
    const quint16 port = boundPort(server.get());
    ASSERT_NE(port, 0);

    auto client = makeTransport(QStringLiteral("udp:%1:%2").arg(clientHost).arg(port));
    ASSERT_TRUE(client);
    Recorder atClient(client.get());
    ASSERT_TRUE(openAndWait(client.get())) << atClient.errors.join("\n").toStdString();

    const QList<QByteArray> requests{smpPacket(5, 1), smpPacket(client->maxPacketSize() - 14, 2)};
    ASSERT_EQ(requests.at(1).size(), client->maxPacketSize());
    for (const QByteArray& request : requests)
        ASSERT_TRUE(client->send(request)) << atClient.errors.join("\n").toStdString();
    ASSERT_TRUE(waitUntil([&] { return atServer.packets.size() == 2; }));
    EXPECT_EQ(atServer.packets, requests);
    for (const QByteArray& request : requests)
        ASSERT_TRUE(server->send(answerOf(request))) << atServer.errors.join("\n").toStdString();
    ASSERT_TRUE(waitUntil([&] { return atClient.packets.size() == 2; }));
    EXPECT_EQ(atClient.packets.at(0), answerOf(requests.at(0)));
    EXPECT_EQ(atClient.packets.at(1), answerOf(requests.at(1)));
    EXPECT_EQ(atClient.sent, requests.at(0).size() + requests.at(1).size());
    EXPECT_EQ(atClient.received, atClient.sent);
    EXPECT_TRUE(atClient.errors.isEmpty()) << atClient.errors.join("\n").toStdString();
}

} // namespace

TEST(UdpTransport, ExchangesDatagramsOverIpv4Loopback)
{
    exchange(QStringLiteral("udp:127.0.0.1:0"), QStringLiteral("127.0.0.1"));
}

TEST(UdpTransport, ExchangesDatagramsOverIpv6Loopback)
{
    if (!ipv6LoopbackWorks())
        GTEST_SKIP() << "::1 is not available on this machine (IPv6 disabled)";
    exchange(QStringLiteral("udp:[::1]:0"), QStringLiteral("[::1]"));
}

TEST(UdpTransport, ResolvesHostNames)
{
    exchange(QStringLiteral("udp:*:0"), QStringLiteral("localhost"));
}

TEST(UdpTransport, LimitsPacketsToOneDatagramOfTheMtu)
{
    auto v4 = makeTransport(QStringLiteral("udp:127.0.0.1:1337"));
    auto v6 = makeTransport(QStringLiteral("udp:[::1]:1337"));
    auto loopback = makeTransport(QStringLiteral("udp:127.0.0.1:1337,mtu=16384"));
    ASSERT_TRUE(v4 && v6 && loopback);
    ASSERT_TRUE(openAndWait(v4.get()));
    EXPECT_EQ(v4->maxPacketSize(), 1472);   // 1500 - IPv4 20 - UDP 8
    EXPECT_EQ(v4->mtu(), 1472);
    if (ipv6LoopbackWorks()) {
        ASSERT_TRUE(openAndWait(v6.get()));
        EXPECT_EQ(v6->maxPacketSize(), 1452);   // 1500 - IPv6 40 - UDP 8
    }
    EXPECT_EQ(loopback->maxPacketSize(), 16384);

    Recorder recorder(v4.get());
    EXPECT_FALSE(v4->send(smpPacket(1473 - 14, 1)));
    ASSERT_EQ(recorder.errors.size(), 1);
    EXPECT_TRUE(recorder.errors.at(0).contains(QStringLiteral("the limit is 1472 bytes (raise it with mtu="))) << recorder.errors.at(0).toStdString();
}

TEST(UdpTransport, LargeDatagramsOnLoopbackWithMtuOption)
{
    auto server = makeTransport(QStringLiteral("udp:127.0.0.1:0,mtu=20000"), true);
    ASSERT_TRUE(server && openAndWait(server.get()));
    Recorder atServer(server.get());
    auto client = makeTransport(QStringLiteral("udp:127.0.0.1:%1,mtu=20000").arg(boundPort(server.get())));
    ASSERT_TRUE(client && openAndWait(client.get()));
    const QByteArray big = smpPacket(16000, 9);
    ASSERT_TRUE(client->send(big));
    ASSERT_TRUE(waitUntil([&] { return atServer.packets.size() == 1; }));
    EXPECT_EQ(atServer.packets.at(0), big);
}

TEST(UdpTransport, ServingAnswersTheLastSender)
{
    auto server = makeTransport(QStringLiteral("udp:127.0.0.1:0"), true);
    ASSERT_TRUE(server);
    Recorder atServer(server.get());
    ASSERT_TRUE(openAndWait(server.get()));
    EXPECT_FALSE(server->send(smpPacket(1, 1)));
    EXPECT_TRUE(atServer.errors.constLast().contains(QStringLiteral("no client has sent anything yet")));

    const QString spec = QStringLiteral("udp:127.0.0.1:%1").arg(boundPort(server.get()));
    auto first = makeTransport(spec);
    auto second = makeTransport(spec);
    ASSERT_TRUE(first && second && openAndWait(first.get()) && openAndWait(second.get()));
    Recorder atFirst(first.get());
    Recorder atSecond(second.get());
    ASSERT_TRUE(first->send(smpPacket(1, 1)));
    ASSERT_TRUE(waitUntil([&] { return atServer.packets.size() == 1; }));
    ASSERT_TRUE(second->send(smpPacket(1, 2)));
    ASSERT_TRUE(waitUntil([&] { return atServer.packets.size() == 2; }));
    ASSERT_TRUE(server->send(answerOf(smpPacket(1, 2))));
    ASSERT_TRUE(waitUntil([&] { return atSecond.packets.size() == 1; }));
    settle(50);
    EXPECT_TRUE(atFirst.packets.isEmpty());
    EXPECT_TRUE(server->describe().startsWith(QStringLiteral("udp server on 127.0.0.1:"))) << server->describe().toStdString();
}

TEST(UdpTransport, SaysWhenNothingListensAndHearsTheBoardOnceItDoes)
{
    QUdpSocket reserve;   // a port that is certainly closed once released
    ASSERT_TRUE(reserve.bind(QHostAddress::LocalHost, 0));
    const quint16 port = reserve.localPort();
    reserve.close();
    auto client = makeTransport(QStringLiteral("udp:127.0.0.1:%1").arg(port));
    ASSERT_TRUE(client);
    Recorder recorder(client.get());
    ASSERT_TRUE(openAndWait(client.get()));
    ASSERT_TRUE(client->send(smpPacket(1, 1)));
    ASSERT_TRUE(waitUntil([&] { return !recorder.errors.isEmpty(); }));
    EXPECT_TRUE(recorder.errors.at(0).startsWith(QStringLiteral("nothing listens on udp 127.0.0.1:%1").arg(port)))
        << recorder.errors.at(0).toStdString();
    EXPECT_EQ(client->state(), Transport::State::Open);   // ICMP unreachable is not fatal for UDP

    // The board's server starts (after its reboot): the same client socket hears it.
    auto board = makeTransport(QStringLiteral("udp:127.0.0.1:%1").arg(port), true);
    ASSERT_TRUE(board && openAndWait(board.get()));
    QObject::connect(board.get(), &Transport::packetReceived, board.get(),
                     [&](const QByteArray& p) { board->send(answerOf(p)); });
    ASSERT_TRUE(client->send(smpPacket(1, 2)));
    ASSERT_TRUE(waitUntil([&] { return recorder.packets.size() == 1; })) << "the socket went deaf after the ICMP error";
    EXPECT_EQ(recorder.packets.at(0), answerOf(smpPacket(1, 2)));
}

TEST(UdpTransport, UnresolvableHostAndBadOptionsFailClearly)
{
    auto nowhere = makeTransport(QStringLiteral("udp:no-such-board.invalid:1337"));
    ASSERT_TRUE(nowhere);
    Recorder recorder(nowhere.get());
    EXPECT_FALSE(openAndWait(nowhere.get(), 30000));
    ASSERT_FALSE(recorder.errors.isEmpty());
    EXPECT_TRUE(recorder.errors.at(0).startsWith(QStringLiteral("cannot resolve host 'no-such-board.invalid'")))
        << recorder.errors.at(0).toStdString();

    auto tiny = buildTreeRegistry().create(QStringLiteral("udp:127.0.0.1,mtu=10"), nullptr);
    ASSERT_FALSE(tiny.has_value());
    EXPECT_TRUE(tiny.error().message.contains(QStringLiteral("mtu=10"))) << tiny.error().message.toStdString();
    auto zero = buildTreeRegistry().create(QStringLiteral("udp:127.0.0.1:0"), nullptr);
    ASSERT_FALSE(zero.has_value());
    EXPECT_TRUE(zero.error().message.contains(QStringLiteral("port 0"))) << zero.error().message.toStdString();

    auto first = makeTransport(QStringLiteral("udp:127.0.0.1:0"), true);
    ASSERT_TRUE(first && openAndWait(first.get()));
    auto clash = makeTransport(QStringLiteral("udp:127.0.0.1:%1").arg(boundPort(first.get())), true);
    ASSERT_TRUE(clash);
    Recorder atClash(clash.get());
    EXPECT_FALSE(openAndWait(clash.get()));
    ASSERT_FALSE(atClash.errors.isEmpty());
    EXPECT_TRUE(atClash.errors.at(0).contains(QStringLiteral("is already in use"))) << atClash.errors.at(0).toStdString();
}
