// SPDX-License-Identifier: Apache-2.0
// mcumgr serial console framing: PROTOCOLS.md vectors, line cutting, stream decoding.
#include "core/smp/serial_framing.h"
#include "core/smp/smp_packet.h"

#include <gtest/gtest.h>

#include <random>

using namespace otalab::core::smp;
using Decoder = SerialFrameDecoder;

namespace {

QByteArray hexBytes(const char* text) { return QByteArray::fromHex(QByteArray(text)); }

const QByteArray kEchoRequest = hexBytes("0a00000600000100a16164626869");
const QByteArray kTxLine = QByteArray("\x06\x09" "ABAKAAAGAAABAKFhZGJoaaWv\n");
const QByteArray kZephyrRxLine = QByteArray("\x06\x09" "ABELAAAHAAABAL9hcmJoaf81Gg==\n");

QByteArray joined(const QList<QByteArray>& lines)
{
    QByteArray out;
    for (const auto& l : lines)
        out += l;
    return out;
}

QByteArray packetOfSize(int payloadBytes, int seed)
{
    QByteArray p = hexBytes("0a00000000010100");
    p[2] = char(payloadBytes >> 8);
    p[3] = char(payloadBytes & 0xff);
    for (int i = 0; i < payloadBytes; ++i)
        p.append(char((i * 131 + seed * 7) & 0xff));
    return p;
}

// Events rendered as text so whole sequences compare in one assertion.
QStringList render(const QList<Decoder::Event>& events)
{
    QStringList out;
    for (const auto& e : events) {
        if (const auto* p = std::get_if<Decoder::PacketReceived>(&e))
            out << QStringLiteral("packet ") + QString::fromLatin1(p->packet.toHex());
        else if (const auto* l = std::get_if<Decoder::LogText>(&e))
            out << QStringLiteral("log ") + QString::fromLatin1(l->text.toHex());
        else
            out << QStringLiteral("error ") + std::get<Decoder::FrameError>(e).message;
    }
    return out;
}

QList<Decoder::Event> decodeAll(const QByteArray& stream)
{
    Decoder d;
    QList<Decoder::Event> events;
    d.feed(stream, events);
    return events;
}

// Zephyr's mcumgr_serial_tx_pkt (subsys/mgmt/mcumgr/transport/src/serial_util.c): 3-byte
// groups encoded one at a time, the first line carrying the length, continuation lines
// shorter (Zephyr keeps the first line's reduced budget), CRC never split from its line.
QByteArray zephyrTx(const QByteArray& data)
{
    const int len = int(data.size());
    const std::uint16_t crc = crc16Xmodem(data);
    QByteArray out;
    int maxInput = ((128 - 3) >> 2) * 3;
    int off = 0;
    bool first = true;
    auto small = [&](QByteArray raw) { out += raw.toBase64(); };
    QByteArray marker("\x06\x09", 2);
    while (off < len) {
        out += marker;
        if (first) {
            QByteArray raw;
            raw.append(char((len + 2) >> 8)).append(char((len + 2) & 0xff)).append(data[0]);
            small(raw);
            ++off;
            maxInput -= 3;
        }
        int toProcess = std::min(maxInput, len - off);
        const int reminder = maxInput - (len - off);
        bool last = false;
        if (reminder == 0 || reminder == 1)
            toProcess -= 1;
        else if (reminder >= 2)
            last = true;
        while (toProcess >= 3) {
            small(data.mid(off, 3));
            off += 3;
            toProcess -= 3;
        }
        if (last) {
            QByteArray raw = data.mid(off);
            off = len;
            raw.append(char(crc >> 8)).append(char(crc & 0xff));
            small(raw.left(3));
            if (raw.size() > 3)
                small(raw.mid(3));
        }
        out += '\n';
        marker = QByteArray("\x04\x14", 2);
        first = false;
    }
    return out;
}

} // namespace

TEST(SmpSerial, CrcCheckValue)
{
    EXPECT_EQ(crc16Xmodem(QByteArrayView("123456789")), 0x31C3);
    EXPECT_EQ(crc16Xmodem(QByteArrayView()), 0);
    // Incremental use gives the same value.
    EXPECT_EQ(crc16Xmodem(QByteArrayView("6789"), crc16Xmodem(QByteArrayView("12345"))), 0x31C3);
}

TEST(SmpSerial, EncodesTheDocumentedEchoLine)
{
    const auto lines = encodeSerialFrame(kEchoRequest);
    ASSERT_EQ(lines.size(), 1);
    EXPECT_EQ(lines[0], kTxLine);
}

TEST(SmpSerial, DecodesTheDocumentedZephyrLine)
{
    const auto events = decodeAll(kZephyrRxLine);
    ASSERT_EQ(events.size(), 1);
    const auto* p = std::get_if<Decoder::PacketReceived>(&events[0]);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->packet, hexBytes("0b00000700000100bf6172626869ff"));
    auto packet = decodePacket(p->packet);
    ASSERT_TRUE(packet.has_value());
    EXPECT_EQ(packet->payload.value(QStringLiteral("r")).toString(), QStringLiteral("hi"));
    // And our own TX line decodes back to the request.
    const auto own = decodeAll(kTxLine);
    ASSERT_EQ(render(own), QStringList{QStringLiteral("packet ") + QString::fromLatin1(kEchoRequest.toHex())});
}

TEST(SmpSerial, CutsLongPacketsIntoWholeBase64GroupsOf127ByteLines)
{
    for (int payload : {0, 1, 50, 88, 89, 90, 91, 92, 93, 94, 181, 182, 183, 184, 500, 2048, 4000}) {
        const QByteArray packet = packetOfSize(payload, payload);
        const auto lines = encodeSerialFrame(packet);
        const QByteArray frame = QByteArray(1, char((packet.size() + 2) >> 8)) + char((packet.size() + 2) & 0xff)
                               + packet;
        const qsizetype base64Chars = ((frame.size() + 2 + 2) / 3) * 4;
        ASSERT_EQ(lines.size(), (base64Chars + 123) / 124) << payload;
        QByteArray text;
        for (int i = 0; i < lines.size(); ++i) {
            const QByteArray& line = lines[i];
            EXPECT_LE(line.size(), kSerialMaxLine);
            if (i + 1 < lines.size()) {
                EXPECT_EQ(line.size(), kSerialMaxLine) << payload << " line " << i;
            }
            EXPECT_EQ(line.left(2), i == 0 ? QByteArray("\x06\x09") : QByteArray("\x04\x14"));
            EXPECT_EQ(line.back(), '\n');
            EXPECT_EQ((line.size() - 3) % 4, 0) << "partial base64 group on line " << i;
            text += line.mid(2, line.size() - 3);
        }
        const QByteArray decoded = QByteArray::fromBase64(text);
        EXPECT_EQ(decoded.mid(2, packet.size()), packet);
        const auto events = decodeAll(joined(lines));
        ASSERT_EQ(events.size(), 1) << payload;
        ASSERT_TRUE(std::holds_alternative<Decoder::PacketReceived>(events[0])) << render(events).join('|').toStdString();
        EXPECT_EQ(std::get<Decoder::PacketReceived>(events[0]).packet, packet);
    }
}

TEST(SmpSerial, ShorterLineLimitStillDecodes)
{
    const QByteArray packet = packetOfSize(300, 3);
    const auto lines = encodeSerialFrame(packet, 64);
    for (const auto& l : lines)
        EXPECT_LE(l.size(), 64);
    const auto events = decodeAll(joined(lines));
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(std::get<Decoder::PacketReceived>(events[0]).packet, packet);
}

TEST(SmpSerial, DecodesZephyrCutFrames)
{
    // Zephyr pads only its last line and keeps continuation lines at 120 characters.
    for (int payload : {1, 84, 85, 86, 87, 88, 170, 171, 172, 173, 174, 175, 1000}) {
        const QByteArray packet = packetOfSize(payload, 1);
        const QByteArray wire = zephyrTx(packet);
        for (const QByteArray& line : wire.split('\n'))
            EXPECT_LE(line.size() + 1, kSerialMaxLine);
        const auto events = decodeAll(wire);
        ASSERT_EQ(events.size(), 1) << payload << render(events).join('|').toStdString();
        ASSERT_TRUE(std::holds_alternative<Decoder::PacketReceived>(events[0])) << payload;
        EXPECT_EQ(std::get<Decoder::PacketReceived>(events[0]).packet, packet) << payload;
    }
    EXPECT_EQ(zephyrTx(kEchoRequest), kTxLine);
}

namespace {

// Log text, a one-line frame, a multi-line frame with a log line in the middle of it,
// log text without a newline just before a start marker, and a CRLF-terminated frame.
QByteArray mixedStream(QStringList& expected)
{
    QByteArray stream;
    const QByteArray boot("*** Booting Zephyr OS build v4.4.0 ***\r\n");
    stream += boot;
    expected << QStringLiteral("log ") + QString::fromLatin1(boot.toHex());
    stream += kZephyrRxLine;
    expected << QStringLiteral("packet 0b00000700000100bf6172626869ff");

    const QByteArray big = packetOfSize(400, 5);
    const auto lines = encodeSerialFrame(big);
    const QByteArray log("[00:00:01.234,000] <inf> app: tick\n");
    for (int i = 0; i < lines.size(); ++i) {
        stream += lines[i];
        if (i == 1) {
            stream += log;
            expected << QStringLiteral("log ") + QString::fromLatin1(log.toHex());
        }
    }
    expected << QStringLiteral("packet ") + QString::fromLatin1(big.toHex());

    const QByteArray prompt("uart:~$ ");
    stream += prompt + kTxLine;
    expected << QStringLiteral("log ") + QString::fromLatin1(prompt.toHex());
    expected << QStringLiteral("packet ") + QString::fromLatin1(kEchoRequest.toHex());

    QByteArray crlf = kTxLine;
    crlf.insert(crlf.size() - 1, '\r');
    stream += crlf;
    expected << QStringLiteral("packet ") + QString::fromLatin1(kEchoRequest.toHex());
    const QByteArray tail("last log line\n");
    stream += tail;
    expected << QStringLiteral("log ") + QString::fromLatin1(tail.toHex());
    return stream;
}

} // namespace

TEST(SmpSerial, SeparatesLogTextFromFrames)
{
    QStringList expected;
    const QByteArray stream = mixedStream(expected);
    EXPECT_EQ(render(decodeAll(stream)), expected);
}

TEST(SmpSerial, ByteAtATimeGivesTheSameEvents)
{
    QStringList expected;
    const QByteArray stream = mixedStream(expected);
    Decoder d;
    QList<Decoder::Event> events;
    for (char c : stream)
        d.feed(QByteArrayView(&c, 1), events);
    EXPECT_EQ(render(events), expected);
    d.feed(QByteArrayView(), events);
    EXPECT_EQ(events.size(), expected.size());
}

TEST(SmpSerial, EveryTwoWaySplitAndRandomSplitsGiveTheSameEvents)
{
    QStringList expected;
    const QByteArray stream = mixedStream(expected);
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        Decoder d;
        QList<Decoder::Event> events;
        d.feed(QByteArrayView(stream).first(cut), events);
        d.feed(QByteArrayView(stream).sliced(cut), events);
        ASSERT_EQ(render(events), expected) << "cut at " << cut;
    }
    std::mt19937 rng(12345);
    for (int round = 0; round < 200; ++round) {
        Decoder d;
        QList<Decoder::Event> events;
        qsizetype pos = 0;
        while (pos < stream.size()) {
            const qsizetype n = std::min<qsizetype>(stream.size() - pos, 1 + rng() % 40);
            d.feed(QByteArrayView(stream).sliced(pos, n), events);
            pos += n;
        }
        ASSERT_EQ(render(events), expected) << "round " << round;
    }
}

TEST(SmpSerial, BadCrcIsReportedAndTheNextFrameDecodes)
{
    QByteArray bad = kTxLine;
    bad[bad.size() - 2] = 'A';   // last base64 character: low 6 bits of the CRC (was 'v')
    const auto events = decodeAll(bad + kZephyrRxLine);
    ASSERT_EQ(events.size(), 2) << render(events).join('|').toStdString();
    const auto* err = std::get_if<Decoder::FrameError>(&events[0]);
    ASSERT_NE(err, nullptr);
    EXPECT_EQ(err->message, QStringLiteral("CRC mismatch: frame says 0xa580, computed 0xa5af"));
    EXPECT_TRUE(std::holds_alternative<Decoder::PacketReceived>(events[1]));
}

TEST(SmpSerial, BadBase64DropsTheFrameAndItsContinuationLines)
{
    const auto lines = encodeSerialFrame(packetOfSize(300, 2));
    ASSERT_GE(lines.size(), 3);
    QByteArray broken = lines[0];
    broken[10] = '*';
    QByteArray stream = broken;
    for (int i = 1; i < lines.size(); ++i)
        stream += lines[i];
    stream += kZephyrRxLine;
    const auto events = decodeAll(stream);
    ASSERT_EQ(events.size(), 2) << render(events).join('|').toStdString();
    const auto* err = std::get_if<Decoder::FrameError>(&events[0]);
    ASSERT_NE(err, nullptr);
    EXPECT_TRUE(err->message.contains(QStringLiteral("base64"))) << err->message.toStdString();
    EXPECT_TRUE(std::holds_alternative<Decoder::PacketReceived>(events[1]));
}

TEST(SmpSerial, LengthMismatchesAreReported)
{
    const auto frameOf = [](QByteArray packet, int claimed) {
        const std::uint16_t crc = crc16Xmodem(packet);
        QByteArray frame;
        frame.append(char(claimed >> 8)).append(char(claimed & 0xff)).append(packet);
        frame.append(char(crc >> 8)).append(char(crc & 0xff));
        return QByteArray("\x06\x09") + frame.toBase64() + '\n';
    };
    // 17 frame bytes end in '=' padding, but the length says 16 + 2 would follow.
    auto events = decodeAll(frameOf(kEchoRequest.left(13), 16));
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(std::get<Decoder::FrameError>(events[0]).message,
              QStringLiteral("length mismatch: the frame says 16 bytes but ended after 15"));

    // The length says less than the frame carries.
    events = decodeAll(frameOf(kEchoRequest, 15));
    ASSERT_EQ(events.size(), 1);
    EXPECT_TRUE(std::get<Decoder::FrameError>(events[0]).message.contains(QStringLiteral("length mismatch")));

    // The length says more and the base64 ends on a group boundary: the frame waits for
    // more lines and is abandoned at the next start line.
    events = decodeAll(frameOf(kEchoRequest, 17) + kTxLine);
    ASSERT_EQ(events.size(), 2);
    EXPECT_TRUE(std::get<Decoder::FrameError>(events[0]).message.contains(QStringLiteral("incomplete")));
    EXPECT_TRUE(std::holds_alternative<Decoder::PacketReceived>(events[1]));

    // Length field too small to hold a CRC.
    events = decodeAll(QByteArray("\x06\x09") + hexBytes("0001ff").toBase64() + '\n');
    ASSERT_EQ(events.size(), 1);
    EXPECT_TRUE(std::holds_alternative<Decoder::FrameError>(events[0]));
}

TEST(SmpSerial, NewStartLineAbandonsAnIncompleteFrame)
{
    const auto lines = encodeSerialFrame(packetOfSize(300, 4));
    ASSERT_GE(lines.size(), 2);
    const auto events = decodeAll(lines[0] + kZephyrRxLine);
    ASSERT_EQ(events.size(), 2);
    EXPECT_TRUE(std::get<Decoder::FrameError>(events[0]).message.contains(QStringLiteral("incomplete")));
    EXPECT_TRUE(std::holds_alternative<Decoder::PacketReceived>(events[1]));
}

TEST(SmpSerial, OrphanContinuationLineIsReported)
{
    const auto lines = encodeSerialFrame(packetOfSize(300, 4));
    const auto events = decodeAll(lines[1] + kTxLine);
    ASSERT_EQ(events.size(), 2);
    EXPECT_TRUE(std::get<Decoder::FrameError>(events[0]).message.contains(QStringLiteral("continuation")));
    EXPECT_TRUE(std::holds_alternative<Decoder::PacketReceived>(events[1]));
}

TEST(SmpSerial, LongLogTextWithoutNewlineIsPassedOnUnchanged)
{
    const QByteArray noise(3 * Decoder::kMaxBufferedLine + 17, 'x');
    Decoder d;
    QList<Decoder::Event> events;
    d.feed(noise, events);
    d.feed(QByteArray("\n"), events);
    d.feed(kTxLine, events);
    QByteArray text;
    int packets = 0;
    for (const auto& e : events) {
        if (const auto* l = std::get_if<Decoder::LogText>(&e))
            text += l->text;
        packets += std::holds_alternative<Decoder::PacketReceived>(e);
        EXPECT_FALSE(std::holds_alternative<Decoder::FrameError>(e));
    }
    EXPECT_EQ(text, noise + '\n');
    EXPECT_EQ(packets, 1);
}

TEST(SmpSerial, ResetDropsAPartialFrame)
{
    const auto lines = encodeSerialFrame(packetOfSize(300, 6));
    Decoder d;
    QList<Decoder::Event> events;
    d.feed(lines[0], events);
    d.feed(lines[1].left(20), events);
    d.reset();
    d.feed(kTxLine, events);
    ASSERT_EQ(events.size(), 1);
    EXPECT_TRUE(std::holds_alternative<Decoder::PacketReceived>(events[0]));
}
