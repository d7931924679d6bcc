// SPDX-License-Identifier: Apache-2.0
// The serial plugin over a socat pseudo-terminal pair: exact console framing on the
// wire, packets both ways, log text between frames, a vanishing port, clear open errors.
#include "plugin_test_support.h"

#include "core/smp/serial_framing.h"

#include <QSerialPort>

using namespace otalab;
using namespace otalab::testing;
using core::transport::Transport;

namespace {

// The other end of the pty pair, read and written raw.
struct RawPort {
    explicit RawPort(const QString& path)
    {
        port.setPortName(path);
        ok = port.open(QIODevice::ReadWrite);
    }
    QByteArray readUntilSize(qsizetype size)
    {
        waitUntil([&] {
            buffer += port.readAll();
            return buffer.size() >= size;
        });
        return buffer;
    }
    void writeSlowly(const QByteArray& bytes, int step)
    {
        for (qsizetype at = 0; at < bytes.size(); at += step) {
            port.write(bytes.mid(at, step));
            waitUntil([&] { return port.bytesToWrite() == 0; });
        }
    }
    QSerialPort port;
    QByteArray buffer;
    bool ok = false;
};

QByteArray joined(const QList<QByteArray>& lines)
{
    QByteArray out;
    for (const QByteArray& line : lines)
        out += line;
    return out;
}

} // namespace

TEST(SerialTransport, WritesExactlyTheMcumgrConsoleLines)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    RawPort board(pty.b());
    ASSERT_TRUE(board.ok) << board.port.errorString().toStdString();
    auto client = makeTransport(QStringLiteral("serial:%1,pace_us=0").arg(pty.a()));
    ASSERT_TRUE(client);
    Recorder recorder(client.get());
    ASSERT_TRUE(openAndWait(client.get())) << recorder.errors.join("\n").toStdString();

    const QByteArray echo = QByteArray::fromHex("0a00000600000100a16164626869");   // PROTOCOLS.md: echo "hi"
    ASSERT_TRUE(client->send(echo));
    const QByteArray first = board.readUntilSize(27);
    EXPECT_EQ(first, QByteArray("\x06\x09" "ABAKAAAGAAABAKFhZGJoaaWv\n"));

    const QByteArray large = smpPacket(1000, 7);
    const QByteArray expected = joined(core::smp::encodeSerialFrame(large));
    board.buffer.clear();
    ASSERT_TRUE(client->send(large));
    EXPECT_EQ(board.readUntilSize(expected.size()), expected);
    EXPECT_EQ(recorder.sent, first.size() + expected.size());
}

TEST(SerialTransport, PacesLinesAndStillDeliversLargePackets)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    auto client = makeTransport(QStringLiteral("serial:%1,baud=115200,pace_us=300").arg(pty.a()));
    auto board = makeTransport(QStringLiteral("serial:%1").arg(pty.b()), /*serve=*/true);
    ASSERT_TRUE(client && board);
    Recorder atClient(client.get());
    Recorder atBoard(board.get());
    ASSERT_TRUE(openAndWait(client.get())) << atClient.errors.join("\n").toStdString();
    ASSERT_TRUE(openAndWait(board.get())) << atBoard.errors.join("\n").toStdString();
    EXPECT_TRUE(board->describe().endsWith(QStringLiteral("(serving)")));

    // 6000 bytes of data: ~8 KB of base64, 65 console lines; three packets back to back.
    const QList<QByteArray> requests{smpPacket(6000, 1, 'a'), smpPacket(10, 2, 'b'), smpPacket(2500, 3, 'c')};
    for (const QByteArray& request : requests)
        ASSERT_TRUE(client->send(request));
    ASSERT_TRUE(waitUntil([&] { return atBoard.packets.size() == 3; })) << atBoard.errors.join("\n").toStdString();
    EXPECT_EQ(atBoard.packets, requests);
    EXPECT_GE(core::smp::encodeSerialFrame(requests.at(0)).size(), 60);

    for (const QByteArray& request : requests)
        ASSERT_TRUE(board->send(answerOf(request)));
    ASSERT_TRUE(waitUntil([&] { return atClient.packets.size() == 3; })) << atClient.errors.join("\n").toStdString();
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(atClient.packets.at(i), answerOf(requests.at(i)));
    EXPECT_TRUE(atClient.errors.isEmpty()) << atClient.errors.join("\n").toStdString();
    EXPECT_TRUE(atClient.logs.isEmpty());
    EXPECT_EQ(atClient.sent, atBoard.received);
    EXPECT_EQ(atBoard.sent, atClient.received);
}

TEST(SerialTransport, PassesDeviceLogTextBetweenFrames)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    RawPort board(pty.b());
    ASSERT_TRUE(board.ok);
    auto client = makeTransport(QStringLiteral("serial:%1").arg(pty.a()));
    ASSERT_TRUE(client);
    Recorder recorder(client.get());
    ASSERT_TRUE(openAndWait(client.get()));

    const QByteArray one = answerOf(smpPacket(400, 1));
    const QByteArray two = answerOf(smpPacket(3, 2));
    QByteArray stream = "*** Booting Zephyr OS build v4.4.0 ***\r\n";
    stream += joined(core::smp::encodeSerialFrame(one));
    stream += "[00:00:01.000,000] <inf> app: upload in progress\n";
    stream += joined(core::smp::encodeSerialFrame(two));
    stream += "uart:~$ \n";
    board.writeSlowly(stream, 7);   // frames and text cut at odd byte boundaries
    ASSERT_TRUE(waitUntil([&] { return recorder.packets.size() == 2 && recorder.logs.size() == 3; }))
        << recorder.logs.join("|").toStdString();
    EXPECT_EQ(recorder.packets, (QList<QByteArray>{one, two}));
    EXPECT_EQ(recorder.logs, (QStringList{"*** Booting Zephyr OS build v4.4.0 ***",
                                          "[00:00:01.000,000] <inf> app: upload in progress", "uart:~$ "}));
    EXPECT_EQ(recorder.received, stream.size());
}

TEST(SerialTransport, ReportsAGarbledFrameAndKeepsGoing)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    RawPort board(pty.b());
    ASSERT_TRUE(board.ok);
    auto client = makeTransport(QStringLiteral("serial:%1").arg(pty.a()));
    ASSERT_TRUE(client);
    Recorder recorder(client.get());
    ASSERT_TRUE(openAndWait(client.get()));

    QByteArray bad = joined(core::smp::encodeSerialFrame(answerOf(smpPacket(20, 1))));
    bad[10] = bad[10] == 'A' ? 'B' : 'A';   // one base64 character off: CRC mismatch
    const QByteArray good = answerOf(smpPacket(20, 2));
    board.writeSlowly(bad + joined(core::smp::encodeSerialFrame(good)), 64);
    ASSERT_TRUE(waitUntil([&] { return recorder.packets.size() == 1; }));
    EXPECT_EQ(recorder.packets.at(0), good);
    ASSERT_EQ(recorder.errors.size(), 1);
    EXPECT_TRUE(recorder.errors.at(0).startsWith(QStringLiteral("dropped a garbled frame from"))) << recorder.errors.at(0).toStdString();
    EXPECT_EQ(client->state(), Transport::State::Open);
}

TEST(SerialTransport, SaysTheBoardDisappearedWhenThePortVanishes)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    auto client = makeTransport(QStringLiteral("serial:%1").arg(pty.a()));
    ASSERT_TRUE(client);
    Recorder recorder(client.get());
    ASSERT_TRUE(openAndWait(client.get()));
    pty.stop();
    ASSERT_TRUE(waitUntil([&] { return client->state() == Transport::State::Closed; }))
        << "the transport did not notice the vanished pty";
    ASSERT_FALSE(recorder.errors.isEmpty());
    const QString message = recorder.errors.constLast();
    EXPECT_TRUE(message.startsWith(QStringLiteral("the board at %1 disappeared (unplugged or resetting)").arg(pty.a())))
        << message.toStdString();
    EXPECT_EQ(recorder.states.constLast(), Transport::State::Closed);

    // Reopening fails while it is gone, and works once it is back.
    client->open();
    waitUntil([&] { return client->state() == Transport::State::Closed; });
    EXPECT_TRUE(recorder.errors.constLast().startsWith(QStringLiteral("there is no serial port"))) << recorder.errors.constLast().toStdString();
    ASSERT_TRUE(pty.start());
    EXPECT_TRUE(openAndWait(client.get())) << recorder.errors.constLast().toStdString();
}

TEST(SerialTransport, OpeningAMissingPortFailsInPlainWords)
{
    auto client = makeTransport(QStringLiteral("serial:/dev/ttyOTALAB-none"));
    ASSERT_TRUE(client);
    Recorder recorder(client.get());
    EXPECT_FALSE(openAndWait(client.get()));
    ASSERT_EQ(recorder.errors.size(), 1);
    EXPECT_TRUE(recorder.errors.at(0).startsWith(QStringLiteral("there is no serial port /dev/ttyOTALAB-none"))) << recorder.errors.at(0).toStdString();
    EXPECT_EQ(recorder.states, (QList<Transport::State>{Transport::State::Opening, Transport::State::Closed}));
    EXPECT_FALSE(client->send(smpPacket(1, 1)));
}

TEST(SerialTransport, DiscoveryListsPortsAsSerialSpecs)
{
    auto discovery = buildTreeRegistry().discover(QStringLiteral("serial"), nullptr);
    ASSERT_TRUE(discovery.has_value());
    QPointer<core::transport::Discovery> watch(*discovery);
    QList<core::transport::Endpoint> found;
    bool finished = false;
    QObject::connect(*discovery, &core::transport::Discovery::endpointFound, [&](const auto& e) { found << e; });
    QObject::connect(*discovery, &core::transport::Discovery::finished, [&] { finished = true; });
    ASSERT_TRUE(waitUntil([&] { return finished && watch.isNull(); }));   // finished, then deleted itself
    for (const auto& endpoint : found) {
        EXPECT_TRUE(endpoint.spec.startsWith(QStringLiteral("serial:/"))) << endpoint.spec.toStdString();
        EXPECT_FALSE(endpoint.name.isEmpty());
    }
}
