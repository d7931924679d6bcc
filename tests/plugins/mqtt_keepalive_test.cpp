// SPDX-License-Identifier: Apache-2.0
// The MQTT link's timer-driven side against a real mosquitto: a hung broker is found by the
// keepalive ping, an idle TLS link does not busy-loop, and a burst of 4 KiB blocks (the
// FreeRTOS OTA block size) arrives complete and in order over plain and TLS.
#include "mqtt_test_support.h"

#include <QElapsedTimer>

#include <ctime>
#include <iostream>

namespace otalab::testing {
namespace {

using State = MqttLink::State;

class MqttKeepaliveTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        OTALAB_REQUIRE_MOSQUITTO();
        testApp();
        ASSERT_TRUE(broker.start()) << broker.errorString().toStdString();
    }
    MosquittoBroker broker;
};

TEST_F(MqttKeepaliveTest, HungBrokerIsReportedByTheKeepalivePing)
{
    auto link = makeMqttLink(broker.url() + QStringLiteral(",keepalive=5"));
    ASSERT_TRUE(link);
    MqttRecorder seen(link.get());
    ASSERT_TRUE(connectAndWait(link.get()));
    broker.pause();   // sockets stay open, nothing answers: only the keepalive can tell
    // PINGREQ after 5 s, no PINGRESP by the next keepalive period: dropped (~10 s).
    EXPECT_TRUE(waitUntil([&] { return link->state() == State::Disconnected; }, 30000));
    broker.resume();
    ASSERT_TRUE(waitUntil([&] { return !seen.errors.isEmpty(); }));
    EXPECT_TRUE(seen.errors.front().startsWith(QLatin1String("connection lost: "))) << seen.errors.front().toStdString();
    EXPECT_TRUE(seen.errors.front().contains(QLatin1String("keepalive"))) << seen.errors.front().toStdString();
}

TEST_F(MqttKeepaliveTest, IdleTlsLinkDoesNotBusyLoop)
{
    auto link = makeMqttLink(broker.tlsUrl());
    ASSERT_TRUE(link);
    MqttRecorder seen(link.get());
    ASSERT_TRUE(connectAndWait(link.get())) << seen.errors.join(QLatin1Char('\n')).toStdString();
    ASSERT_TRUE(subscribeConfirmed(link.get(), seen, QStringLiteral("idle"), QStringLiteral("idle")));
    const std::clock_t cpuBefore = std::clock();
    settle(1000);   // showing that nothing happens: the event loop sleeps on the notifiers
    const double cpuMs = 1000.0 * double(std::clock() - cpuBefore) / CLOCKS_PER_SEC;
    std::cout << "[ figure   ] idle TLS link: " << cpuMs << " ms CPU in 1 s\n";
    EXPECT_LT(cpuMs, 300.0) << "an idle TLS link used " << cpuMs << " ms of CPU in 1 s";
    EXPECT_EQ(link->state(), State::Connected);
}

// 1000 blocks of 4 KiB at QoS 1 from one link to another; all arrive, in order.
void blockBurst(MosquittoBroker& broker, const QString& address, const char* label)
{
    auto sender = makeMqttLink(address);
    auto receiver = makeMqttLink(address);
    ASSERT_TRUE(sender && receiver);
    MqttRecorder sent(sender.get());
    MqttRecorder got(receiver.get());
    ASSERT_TRUE(connectAndWait(sender.get()) && connectAndWait(receiver.get())) << got.errors.join(QLatin1Char('\n')).toStdString();
    const QString topic = QStringLiteral("$aws/things/t/streams/s/data/cbor");
    ASSERT_TRUE(subscribeConfirmed(receiver.get(), got, topic, topic));
    got.messages.clear();
    constexpr int kBlocks = 1000;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < kBlocks; ++i) {
        QByteArray block(4096, char('a' + i % 26));
        block[0] = char(i & 0xff);
        block[1] = char(i >> 8);
        ASSERT_TRUE(sender->publish(topic, block, 1));
    }
    ASSERT_TRUE(waitUntil([&] { return got.messages.size() >= kBlocks; }, 60000)) << got.messages.size();
    const qint64 ms = clock.elapsed();
    for (int i = 0; i < kBlocks; ++i) {
        const QByteArray& block = got.messages[i].second;
        ASSERT_EQ(block.size(), 4096);
        ASSERT_EQ((uchar(block[0]) | uchar(block[1]) << 8), i) << "block " << i << " out of order";
    }
    EXPECT_TRUE(sent.errors.isEmpty() && got.errors.isEmpty());
    const double mbps = 4096.0 * kBlocks / 1e6 / (double(std::max<qint64>(ms, 1)) / 1000.0);
    std::cout << "[ figure   ] " << label << ": 1000 x 4 KiB QoS 1 through mosquitto in " << ms << " ms ("
              << mbps << " MB/s)\n";
    ::testing::Test::RecordProperty(std::string(label) + "_ms", int(ms));
    (void)broker;
}

TEST_F(MqttKeepaliveTest, ThousandFourKiBBlocksPlain)
{
    blockBurst(broker, broker.url(), "plain");
}

TEST_F(MqttKeepaliveTest, ThousandFourKiBBlocksTls)
{
    blockBurst(broker, broker.tlsUrl(), "tls");
}

} // namespace
} // namespace otalab::testing
