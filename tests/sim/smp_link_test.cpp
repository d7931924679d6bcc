// SPDX-License-Identifier: Apache-2.0
// Simulated SMP links: serial bit timing and line buffers, BLE fragments per connection
// event, UDP serialization, noise, and the sim: spec parser.
#include "core/smp/ble_fragmentation.h"
#include "core/smp/serial_framing.h"
#include "sim/smp/smptestbed.h"
#include "smp_test_support.h"

#include <gtest/gtest.h>

using namespace otalab::sim;
using otalab::test::simsmp::RecordingDevice;
using otalab::test::simsmp::RecordingHost;
using otalab::test::simsmp::rawPacket;

namespace {

qint64 framedSize(const QByteArray& packet, int line = otalab::core::smp::kSerialMaxLine)
{
    qint64 n = 0;
    for (const QByteArray& l : otalab::core::smp::encodeSerialFrame(packet, line))
        n += l.size();
    return n;
}

// N bytes at `baud` with 10 bits per byte, in nanoseconds, rounded like the link.
std::int64_t serialNanos(qint64 bytes, int baud)
{
    return (bytes * 10 * 1'000'000'000LL + baud / 2) / baud;
}

struct SerialRig {
    Simulator sim;
    std::unique_ptr<SmpSerialLink> link;
    RecordingDevice device{sim};
    RecordingHost host{sim};

    explicit SerialRig(SmpSerialLinkConfig config)
    {
        link = std::make_unique<SmpSerialLink>(sim, 0, config);
        link->attachDevice(&device);
        link->attachHost(&host);
        EXPECT_TRUE(link->hostOpen());
    }
};

SmpSerialLinkConfig exactSerial(int baud)
{
    SmpSerialLinkConfig c;
    c.baud = baud;
    c.lineDecodeTime = SimTime::zero();
    return c;
}

} // namespace

TEST(SmpSimLink, SerialPacketTakesItsFramedBytesTimesTenOverBaud)
{
    for (int baud : {9600, 115200, 1000000}) {
        SerialRig rig(exactSerial(baud));
        const QByteArray packet = rawPacket(300);
        const qint64 wire = framedSize(packet);
        ASSERT_TRUE(rig.link->sendFromHost(packet));
        rig.sim.run();
        ASSERT_EQ(rig.device.arrivals.size(), 1) << baud;
        EXPECT_EQ(rig.device.arrivals[0].packet, packet);
        EXPECT_EQ(rig.device.arrivals[0].at.nanos(), serialNanos(wire, baud)) << baud;
        EXPECT_EQ(rig.link->stats().hostWireBytes, wire);
        // 300 bytes + 4 framing → 408 base64 characters on 4 lines of ≤ 124 + 3 bytes.
        EXPECT_EQ(wire, 408 + 4 * 3);
    }
}

TEST(SmpSimLink, SerialBackToBackPacketsQueueOnTheWire)
{
    SerialRig rig(exactSerial(115200));
    const QByteArray a = rawPacket(100, 'a');
    const QByteArray b = rawPacket(200, 'b');
    rig.link->sendFromHost(a);
    rig.link->sendFromHost(b);
    rig.sim.run();
    ASSERT_EQ(rig.device.arrivals.size(), 2);
    EXPECT_EQ(rig.device.arrivals[0].at.nanos(), serialNanos(framedSize(a), 115200));
    // One burst: the second packet's last byte is out after both packets' bytes.
    EXPECT_EQ(rig.device.arrivals[1].at.nanos(), serialNanos(framedSize(a) + framedSize(b), 115200));
}

TEST(SmpSimLink, SerialIsFullDuplexAndTheBoardWaitsForItsOwnAnswer)
{
    SerialRig rig(exactSerial(115200));
    const QByteArray request = rawPacket(400, 'q');
    const QByteArray answer = rawPacket(40, 'r');
    rig.link->sendFromHost(request);
    // The board answers at once: the answer does not wait for the request's bytes.
    const SimTime freeAt = rig.link->sendFromDevice(answer);
    EXPECT_EQ(freeAt.nanos(), serialNanos(framedSize(answer), 115200));
    rig.sim.run();
    ASSERT_EQ(rig.host.arrivals.size(), 1);
    EXPECT_EQ(rig.host.arrivals[0].packet, answer);
    EXPECT_EQ(rig.host.arrivals[0].at, freeAt);
    EXPECT_EQ(rig.device.arrivals[0].at.nanos(), serialNanos(framedSize(request), 115200));
}

TEST(SmpSimLink, SerialPaceGapFollowsEveryLine)
{
    SmpSerialLinkConfig c = exactSerial(115200);
    c.hostLineGap = SimTime::fromMicros(1000);
    SerialRig rig(c);
    const QByteArray packet = rawPacket(300);
    const QList<QByteArray> lines = otalab::core::smp::encodeSerialFrame(packet);
    std::int64_t expected = (lines.size() - 1) * 1'000'000LL;
    for (const QByteArray& line : lines)
        expected += serialNanos(line.size(), 115200);
    rig.link->sendFromHost(packet);
    rig.sim.run();
    ASSERT_EQ(rig.device.arrivals.size(), 1);
    EXPECT_EQ(rig.device.arrivals[0].at.nanos(), expected);
}

TEST(SmpSimLink, SerialBoardDropsLinesWhenItsLineBuffersAreFull)
{
    SmpSerialLinkConfig c = exactSerial(115200);
    c.lineDecodeTime = SimTime::fromMillis(50);   // a stalled system work queue
    c.rxBufCount = 2;
    SerialRig rig(c);
    rig.link->sendFromHost(rawPacket(600));       // 7 lines back to back
    rig.sim.run();
    EXPECT_TRUE(rig.device.arrivals.isEmpty());
    EXPECT_GT(rig.link->stats().framesDroppedAtDevice, 0);
    EXPECT_TRUE(rig.device.errors.join(QLatin1Char('\n')).contains(QStringLiteral("no free line buffer")));

    // With a pacing gap longer than the decode time the same packet arrives.
    c.hostLineGap = SimTime::fromMillis(60);
    SerialRig paced(c);
    paced.link->sendFromHost(rawPacket(600));
    paced.sim.run();
    EXPECT_EQ(paced.device.arrivals.size(), 1);
}

TEST(SmpSimLink, SerialLinesLongerThanTheBoardBufferAreDropped)
{
    SmpSerialLinkConfig c = exactSerial(115200);
    c.lineLength = 255;   // the host writes longer lines than the board's 128-byte buffers
    SerialRig rig(c);
    rig.link->sendFromHost(rawPacket(300));
    rig.sim.run();
    EXPECT_TRUE(rig.device.arrivals.isEmpty());
    EXPECT_TRUE(rig.device.errors.join(QLatin1Char('\n')).contains(QStringLiteral("longer than the 128-byte")));
}

TEST(SmpSimLink, SerialNoiseBreaksFramesButNeverDeliversCorruptPackets)
{
    Simulator sim;
    sim.setSeed(7);
    SmpSerialLinkConfig c = exactSerial(115200);
    c.byteErrorRate = 2e-3;
    SmpSerialLink link(sim, 0, c);
    RecordingDevice device(sim);
    RecordingHost host(sim);
    link.attachDevice(&device);
    link.attachHost(&host);
    ASSERT_TRUE(link.hostOpen());
    const int count = 100;
    for (int i = 0; i < count; ++i)
        link.sendFromHost(rawPacket(300, char('a' + i % 26)));
    sim.run();
    EXPECT_GT(link.stats().corruptedBytes, 0);
    EXPECT_GT(link.stats().framesDroppedAtDevice, 0);
    EXPECT_LT(device.arrivals.size(), count);
    EXPECT_GT(device.arrivals.size(), 0);
    for (const auto& a : device.arrivals)
        EXPECT_EQ(a.packet, rawPacket(300, a.packet.back()));
}

TEST(SmpSimLink, ClosingTheHostLosesWhatIsInFlight)
{
    SerialRig rig(exactSerial(115200));
    rig.link->sendFromHost(rawPacket(300));
    rig.sim.runUntil(SimTime::fromMillis(10));
    rig.link->hostClose();
    EXPECT_FALSE(rig.link->sendFromHost(rawPacket(300)));
    rig.sim.run();
    EXPECT_TRUE(rig.device.arrivals.isEmpty());
}

TEST(SmpSimLink, BoardAbsenceDropsTheHostAndRefusesReopening)
{
    SerialRig rig(exactSerial(115200));
    rig.link->setDevicePresent(false);
    EXPECT_EQ(rig.host.downs, 1);
    EXPECT_FALSE(rig.link->isHostOpen());
    QString why;
    EXPECT_FALSE(rig.link->hostOpen(&why));
    EXPECT_TRUE(why.contains(QStringLiteral("restarting")));
    rig.link->setDevicePresent(true);
    EXPECT_TRUE(rig.link->hostOpen());
}

TEST(SmpSimLink, BleSendsAtMostTheConfiguredPdusPerConnectionEvent)
{
    Simulator sim;
    SmpBleLinkConfig c;
    c.connectionInterval = SimTime::fromMillis(30);
    c.attMtu = 23;          // 20-byte writes: 20 + 3 + 4 = 27 bytes, one PDU each
    c.llPayload = 27;
    c.maxPdusPerEvent = 4;
    SmpBleLink link(sim, 0, c);
    RecordingDevice device(sim);
    RecordingHost host(sim);
    link.attachDevice(&device);
    link.attachHost(&host);
    ASSERT_TRUE(link.hostOpen());
    sim.runUntil(SimTime::fromMillis(5));   // mid-interval: the next event is at 30 ms
    const QByteArray packet = rawPacket(200);   // 10 fragments
    ASSERT_EQ(otalab::core::smp::splitForAtt(packet, 23).size(), 10);
    EXPECT_EQ(link.pdusPerFragment(20), 1);
    link.sendFromHost(packet);
    sim.run();
    ASSERT_EQ(device.arrivals.size(), 1);
    EXPECT_EQ(device.arrivals[0].packet, packet);
    EXPECT_EQ(link.connectionEvents(), 3);   // 4 + 4 + 2 fragments at 30, 60 and 90 ms
    const SimTime exchange = link.pduAirTime(27) + SimTime::fromMicros(150) + link.pduAirTime(0) + SimTime::fromMicros(150);
    const SimTime lastEnd = SimTime::fromMillis(90) + exchange + link.pduAirTime(27);
    EXPECT_EQ(device.arrivals[0].at, lastEnd);
    EXPECT_EQ(link.stats().hostWireBytes, 200 + 10 * 3);
    // LE 1M: (1 + 4 + 2 + 27 + 3) bytes × 8 µs.
    EXPECT_EQ(link.pduAirTime(27), SimTime::fromMicros(37 * 8));
}

TEST(SmpSimLink, BleLargeMtuWithoutDataLengthExtensionNeedsManyPdus)
{
    Simulator sim;
    SmpBleLinkConfig c;
    c.attMtu = 247;
    c.llPayload = 27;
    c.maxPdusPerEvent = 6;
    SmpBleLink link(sim, 0, c);
    EXPECT_EQ(link.pdusPerFragment(244), 10);   // 244 + 3 + 4 = 251 bytes in 27-byte PDUs
    RecordingDevice device(sim);
    link.attachDevice(&device);
    ASSERT_TRUE(link.hostOpen());
    link.sendFromHost(rawPacket(244));
    sim.run();
    ASSERT_EQ(device.arrivals.size(), 1);
    EXPECT_EQ(link.connectionEvents(), 2);      // 6 + 4 PDUs
}

TEST(SmpSimLink, BleNotificationsComeBackAtTheNextEvents)
{
    Simulator sim;
    SmpBleLinkConfig c;   // 30 ms, MTU 247, DLE
    SmpBleLink link(sim, 0, c);
    RecordingHost host(sim);
    link.attachHost(&host);
    ASSERT_TRUE(link.hostOpen());
    sim.runUntil(SimTime::fromMillis(1));
    const QByteArray answer = rawPacket(500);   // 3 notifications
    EXPECT_EQ(link.sendFromDevice(answer), SimTime::fromMillis(1));
    sim.run();
    ASSERT_EQ(host.arrivals.size(), 1);
    EXPECT_EQ(host.arrivals[0].packet, answer);
    EXPECT_GT(host.arrivals[0].at, SimTime::fromMillis(30));
    EXPECT_LT(host.arrivals[0].at, SimTime::fromMillis(40));
}

TEST(SmpSimLink, UdpDatagramTakesItsBitsPlusLatency)
{
    Simulator sim;
    SmpUdpLinkConfig c;
    c.bitRate = 1e6;
    c.latency = SimTime::fromMillis(3);
    SmpUdpLink link(sim, 0, c);
    RecordingDevice device(sim);
    link.attachDevice(&device);
    ASSERT_TRUE(link.hostOpen());
    link.sendFromHost(rawPacket(972));   // 1000 bytes with IPv4 + UDP headers: 8 ms at 1 Mbit/s
    sim.run();
    ASSERT_EQ(device.arrivals.size(), 1);
    EXPECT_EQ(device.arrivals[0].at, SimTime::fromMillis(11));
    EXPECT_FALSE(link.dropsOnReset());
}

TEST(SmpSimLink, SpecParserReadsOptionsAndNamesBadOnes)
{
    QVariantMap o;
    o.insert(QStringLiteral("baud"), QStringLiteral("9600"));
    o.insert(QStringLiteral("usb"), QStringLiteral("off"));
    o.insert(QStringLiteral("noise"), QStringLiteral("1e-4"));
    auto serial = parseSmpSimSpec(QStringLiteral("serial"), o);
    ASSERT_TRUE(serial) << serial.error().toString().toStdString();
    EXPECT_EQ(serial->kind, SmpLinkKind::Serial);
    EXPECT_EQ(serial->serial.baud, 9600);
    EXPECT_FALSE(serial->serial.usbCdc);
    EXPECT_DOUBLE_EQ(serial->serial.byteErrorRate, 1e-4);
    EXPECT_EQ(serial->device.server.bufSize, 384u);

    QVariantMap b;
    b.insert(QStringLiteral("interval_ms"), QStringLiteral("7.5"));
    b.insert(QStringLiteral("mtu"), QStringLiteral("247"));
    b.insert(QStringLiteral("phy"), QStringLiteral("2M"));
    auto ble = parseSmpSimSpec(QStringLiteral("ble"), b);
    ASSERT_TRUE(ble);
    EXPECT_EQ(ble->ble.connectionInterval, SimTime::fromMicros(7500));
    EXPECT_EQ(ble->ble.phyBitRate, 2'000'000);

    QVariantMap bad;
    bad.insert(QStringLiteral("baud"), QStringLiteral("fast"));
    auto e1 = parseSmpSimSpec(QStringLiteral("serial"), bad);
    ASSERT_FALSE(e1);
    EXPECT_TRUE(e1.error().toString().contains(QStringLiteral("baud=fast")));
    QVariantMap unknown;
    unknown.insert(QStringLiteral("interval_ms"), QStringLiteral("30"));
    auto e2 = parseSmpSimSpec(QStringLiteral("serial"), unknown);
    ASSERT_FALSE(e2);
    EXPECT_TRUE(e2.error().toString().contains(QStringLiteral("interval_ms")));
    EXPECT_FALSE(parseSmpSimSpec(QStringLiteral("can"), {}));
}
