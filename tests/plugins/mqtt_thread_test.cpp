// SPDX-License-Identifier: Apache-2.0
// An MqttLink moved to a worker thread runs its network loop there and emits there
// (MqttLink's contract: it lives on, and emits from, the thread that owns it).
#include "mqtt_test_support.h"

#include <QMutex>
#include <QThread>

#include <atomic>

namespace otalab::testing {
namespace {

using State = MqttLink::State;

TEST(MqttThreadTest, LinkOnAWorkerThreadEmitsThere)
{
    OTALAB_REQUIRE_MOSQUITTO();
    testApp();
    MosquittoBroker broker{MosquittoBrokerOptions{.tls = false}};
    ASSERT_TRUE(broker.start()) << broker.errorString().toStdString();

    QThread worker;
    worker.start();
    auto link = makeMqttLink(broker.url());
    ASSERT_TRUE(link);
    link->moveToThread(&worker);
    std::atomic<bool> connected{false};
    std::atomic<int> received{0};
    std::atomic<QThread*> emittedOn{nullptr};
    const QString topic = QStringLiteral("$aws/things/worker/jobs/notify-next");
    MqttLink* raw = link.get();
    QObject::connect(raw, &MqttLink::stateChanged, raw, [&, raw](State state) {
        emittedOn = QThread::currentThread();
        if (state == State::Connected) {
            raw->subscribe(topic, 1);
            raw->publish(topic, "from-worker", 1);   // comes back once the subscription is in
            connected = true;
        }
    }, Qt::DirectConnection);
    QObject::connect(raw, &MqttLink::messageReceived, raw, [&](const QString&, const QByteArray&) {
        ++received;
        emittedOn = QThread::currentThread();
    }, Qt::DirectConnection);
    QMetaObject::invokeMethod(raw, [raw] { raw->connectToBroker(); }, Qt::QueuedConnection);
    EXPECT_TRUE(waitUntil([&] { return received.load() == 1; }));
    EXPECT_TRUE(connected.load());
    EXPECT_EQ(emittedOn.load(), &worker);

    // Deleted on its own thread, then the thread ends.
    MqttLink* owned = link.release();
    QMetaObject::invokeMethod(owned, [owned] { delete owned; }, Qt::BlockingQueuedConnection);
    worker.quit();
    worker.wait();
}

} // namespace
} // namespace otalab::testing
