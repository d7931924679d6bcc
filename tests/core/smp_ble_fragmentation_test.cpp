// SPDX-License-Identifier: Apache-2.0
// SMP over BLE: ATT-sized writes and reassembly of notifications by the SMP header length.
#include "core/smp/ble_fragmentation.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_packet.h"

#include <gtest/gtest.h>

#include <random>

using namespace otalab::core::smp;

namespace {

QByteArray packet(int payloadBytes, std::uint8_t seq)
{
    UploadChunk c;
    c.offset = seq * 1000u;
    c.data = QByteArray(payloadBytes, char('a' + seq % 26));
    const Request r = uploadRequest(c);
    Header h;
    h.op = r.op;
    h.group = r.group;
    h.command = r.command;
    h.sequence = seq;
    return encodePacket(h, r.payload);
}

QList<QByteArray> threePackets() { return {packet(0, 1), packet(100, 2), packet(700, 3)}; }

QByteArray concat(const QList<QByteArray>& parts)
{
    QByteArray out;
    for (const auto& p : parts)
        out += p;
    return out;
}

} // namespace

TEST(SmpBle, SplitsIntoAttMtuMinusThree)
{
    const QByteArray p = packet(700, 1);
    for (int mtu : {23, 24, 100, 185, 247, 498, 517}) {
        const auto chunks = splitForAtt(p, mtu);
        ASSERT_EQ(chunks.size(), (p.size() + mtu - 4) / (mtu - 3)) << mtu;
        for (int i = 0; i < chunks.size(); ++i) {
            if (i + 1 < chunks.size()) {
                EXPECT_EQ(chunks[i].size(), mtu - 3);
            }
            EXPECT_LE(chunks[i].size(), mtu - 3);
        }
        EXPECT_EQ(concat(chunks), p);
    }
    EXPECT_EQ(splitForAtt(p, 5).first().size(), kBleDefaultAttMtu - 3);   // below the BLE minimum
    EXPECT_TRUE(splitForAtt(QByteArray(), 247).isEmpty());
}

TEST(SmpBle, ReassemblesPacketsSplitAtEveryBoundary)
{
    const auto expected = threePackets();
    const QByteArray stream = concat(expected);
    // Every single cut, then every fixed fragment size.
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        PacketReassembler r;
        QList<QByteArray> packets;
        QList<QString> errors;
        r.feed(QByteArrayView(stream).first(cut), packets, errors);
        r.feed(QByteArrayView(stream).sliced(cut), packets, errors);
        ASSERT_EQ(packets, expected) << "cut " << cut;
        ASSERT_TRUE(errors.isEmpty());
        ASSERT_EQ(r.pendingBytes(), 0);
    }
    for (qsizetype size = 1; size <= stream.size(); ++size) {
        PacketReassembler r;
        QList<QByteArray> packets;
        QList<QString> errors;
        for (qsizetype pos = 0; pos < stream.size(); pos += size)
            r.feed(QByteArrayView(stream).sliced(pos, std::min(size, stream.size() - pos)), packets, errors);
        ASSERT_EQ(packets, expected) << "fragment size " << size;
        ASSERT_TRUE(errors.isEmpty());
    }
    std::mt19937 rng(7);
    for (int round = 0; round < 300; ++round) {
        PacketReassembler r;
        QList<QByteArray> packets;
        QList<QString> errors;
        qsizetype pos = 0;
        while (pos < stream.size()) {
            const qsizetype n = std::min<qsizetype>(stream.size() - pos, rng() % 60);
            r.feed(QByteArrayView(stream).sliced(pos, n), packets, errors);
            pos += n;
        }
        ASSERT_EQ(packets, expected) << "round " << round;
    }
}

TEST(SmpBle, SplitThenReassembleRoundTrips)
{
    for (int mtu : {23, 247}) {
        PacketReassembler r;
        QList<QByteArray> packets;
        QList<QString> errors;
        for (const QByteArray& p : threePackets())
            for (const QByteArray& chunk : splitForAtt(p, mtu))
                r.feed(chunk, packets, errors);
        EXPECT_EQ(packets, threePackets());
        EXPECT_TRUE(errors.isEmpty());
    }
}

TEST(SmpBle, BadHeaderIsDroppedAndTheNextPacketStillArrives)
{
    PacketReassembler r;
    QList<QByteArray> packets;
    QList<QString> errors;
    r.feed(QByteArray("\xff\x00\x00\x01garbage", 11), packets, errors);
    ASSERT_EQ(errors.size(), 1);
    EXPECT_TRUE(errors[0].contains(QStringLiteral("0xff"))) << errors[0].toStdString();
    EXPECT_EQ(r.pendingBytes(), 0);
    const QByteArray good = packet(50, 4);
    r.feed(good.left(5), packets, errors);
    EXPECT_TRUE(packets.isEmpty());
    EXPECT_EQ(r.pendingBytes(), 5);
    r.feed(good.mid(5), packets, errors);
    ASSERT_EQ(packets.size(), 1);
    EXPECT_EQ(packets[0], good);
    EXPECT_EQ(errors.size(), 1);
}

TEST(SmpBle, ResetDropsAPartialPacket)
{
    PacketReassembler r;
    QList<QByteArray> packets;
    QList<QString> errors;
    const QByteArray good = packet(50, 5);
    r.feed(good.left(30), packets, errors);
    r.reset();
    EXPECT_EQ(r.pendingBytes(), 0);
    r.feed(good, packets, errors);
    ASSERT_EQ(packets.size(), 1);
    EXPECT_EQ(packets[0], good);
    EXPECT_TRUE(errors.isEmpty());
}
