// SPDX-License-Identifier: Apache-2.0
// The libmosquitto MQTT link plugin against a real mosquitto on loopback (plain listener).
#include "mqtt_test_support.h"

#include "app/hw/transport_registry.h"

namespace otalab::testing {
namespace {

using State = MqttLink::State;

class MqttLinkTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        OTALAB_REQUIRE_MOSQUITTO();
        testApp();
        ASSERT_TRUE(broker.start()) << broker.errorString().toStdString();
    }
    MosquittoBroker broker{MosquittoBrokerOptions{.tls = false}};
};

TEST(MqttLinkRegistryTest, FindsTheLibmosquittoPluginAndTransportsIgnoreIt)
{
    const auto plugins = mqttRegistry().plugins();
    ASSERT_EQ(plugins.size(), 1) << mqttRegistry().problems().join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(plugins.front().name, QStringLiteral("MQTT (libmosquitto)"));
    EXPECT_EQ(plugins.front().version, 1);
    ASSERT_TRUE(mqttRegistry().factory());
    // The transport registry scans the same folder: the MQTT plugin is neither a transport nor a problem.
    for (const auto& info : buildTreeRegistry().plugins())
        EXPECT_NE(info.scheme, QStringLiteral("mqtt"));
    for (const QString& problem : buildTreeRegistry().problems())
        EXPECT_FALSE(problem.contains(QLatin1String("mqtt"))) << problem.toStdString();
}

TEST_F(MqttLinkTest, ConnectsPublishesAndReceivesOnTheObjectsThread)
{
    auto publisher = makeMqttLink(broker.url() + QStringLiteral(",clientId=pub-1"));
    auto subscriber = makeMqttLink(broker.url());
    ASSERT_TRUE(publisher && subscriber);
    MqttRecorder pub(publisher.get());
    MqttRecorder sub(subscriber.get());
    ASSERT_TRUE(connectAndWait(publisher.get())) << pub.errors.join(QLatin1Char('\n')).toStdString();
    ASSERT_TRUE(connectAndWait(subscriber.get())) << sub.errors.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(pub.states, (QList<State>{State::Connecting, State::Connected}));
    EXPECT_TRUE(publisher->describe().contains(QLatin1String("as pub-1 (plain)"))) << publisher->describe().toStdString();

    ASSERT_TRUE(subscribeConfirmed(subscriber.get(), sub, QStringLiteral("lab/+/status"), QStringLiteral("lab/probe/status")));
    const QThread* receivedOn = nullptr;
    QObject::connect(subscriber.get(), &MqttLink::messageReceived, &sub.context,
                     [&] { receivedOn = QThread::currentThread(); });
    const QByteArray payload("{\"status\":\"IN_PROGRESS\"}");
    ASSERT_TRUE(publisher->publish(QStringLiteral("lab/dev-7/status"), payload, 0));
    ASSERT_TRUE(waitUntil([&] { return sub.countOn(QStringLiteral("lab/dev-7/status")) == 1; }));
    EXPECT_EQ(sub.payloadOn(QStringLiteral("lab/dev-7/status")), payload);
    EXPECT_EQ(receivedOn, QThread::currentThread());
    EXPECT_EQ(pub.sent, qint64(QByteArray("lab/dev-7/status").size() + payload.size()));
    EXPECT_GE(sub.received, pub.sent);
    EXPECT_TRUE(pub.errors.isEmpty() && sub.errors.isEmpty());

    // Unsubscribed: a later message is not delivered (the probe on a still-subscribed topic proves ordering).
    ASSERT_TRUE(subscriber->unsubscribe(QStringLiteral("lab/+/status")));
    ASSERT_TRUE(subscribeConfirmed(subscriber.get(), sub, QStringLiteral("lab/fence"), QStringLiteral("lab/fence")));
    ASSERT_TRUE(publisher->publish(QStringLiteral("lab/dev-7/status"), "late", 1));
    ASSERT_TRUE(publisher->publish(QStringLiteral("lab/fence"), "after", 1));
    ASSERT_TRUE(waitUntil([&] { return sub.payloadOn(QStringLiteral("lab/fence")) == "after" || sub.countOn(QStringLiteral("lab/fence")) == 2; }));
    EXPECT_EQ(sub.countOn(QStringLiteral("lab/dev-7/status")), 1);

    publisher->disconnectFromBroker();
    EXPECT_EQ(publisher->state(), State::Disconnected);
    ASSERT_TRUE(waitUntil([&] { return pub.states.size() == 3; }));
    EXPECT_EQ(pub.states.back(), State::Disconnected);
    EXPECT_TRUE(pub.errors.isEmpty()) << pub.errors.join(QLatin1Char('\n')).toStdString();
}

TEST_F(MqttLinkTest, AwsJobTopicsAreDeliveredButHashDoesNotMatchDollarTopics)
{
    auto service = makeMqttLink(broker.url());
    auto thing = makeMqttLink(broker.url());
    auto wildcard = makeMqttLink(broker.url());
    ASSERT_TRUE(service && thing && wildcard);
    MqttRecorder thingSeen(thing.get());
    MqttRecorder wildSeen(wildcard.get());
    ASSERT_TRUE(connectAndWait(service.get()) && connectAndWait(thing.get()) && connectAndWait(wildcard.get()));
    const QString notify = QStringLiteral("$aws/things/x/jobs/notify-next");
    ASSERT_TRUE(subscribeConfirmed(thing.get(), thingSeen, notify, notify));
    ASSERT_TRUE(subscribeConfirmed(wildcard.get(), wildSeen, QStringLiteral("#"), QStringLiteral("probe/any")));

    const QByteArray job(R"({"execution":{"jobId":"job-1","status":"QUEUED"}})");
    ASSERT_TRUE(service->publish(notify, job, 1));
    ASSERT_TRUE(service->publish(QStringLiteral("plain/after"), "x", 1));   // same connection: delivered after
    ASSERT_TRUE(waitUntil([&] { return thingSeen.countOn(notify) == 2 && wildSeen.countOn(QStringLiteral("plain/after")) == 1; }));
    EXPECT_EQ(thingSeen.messages.back(), qMakePair(notify, job));
    EXPECT_EQ(wildSeen.countOn(notify), 0) << "'#' must not match topics starting with '$'";
}

TEST_F(MqttLinkTest, QosOneMessageWaitsForAPersistentSessionAndRetainedReachesLateSubscribers)
{
    auto device = makeMqttLink(broker.url() + QStringLiteral(",clientId=thing-q1,cleanSession=false"));
    auto service = makeMqttLink(broker.url());
    ASSERT_TRUE(device && service);
    MqttRecorder seen(device.get());
    ASSERT_TRUE(connectAndWait(device.get()) && connectAndWait(service.get()));
    const QString topic = QStringLiteral("$aws/things/thing-q1/streams/s1/data/cbor");
    ASSERT_TRUE(subscribeConfirmed(device.get(), seen, topic, topic, 1));
    device->disconnectFromBroker();

    // Offline: the broker keeps QoS 1 messages for the persistent session.
    ASSERT_TRUE(service->publish(topic, QByteArray("block-0"), 1));
    ASSERT_TRUE(service->publish(QStringLiteral("lab/retained"), QByteArray("last-will-of-the-lab"), 1, true));
    MqttRecorder fence(service.get());
    ASSERT_TRUE(subscribeConfirmed(service.get(), fence, QStringLiteral("lab/sync"), QStringLiteral("lab/sync")));

    ASSERT_TRUE(connectAndWait(device.get())) << seen.errors.join(QLatin1Char('\n')).toStdString();
    ASSERT_TRUE(waitUntil([&] { return seen.countOn(topic) == 2; }));
    EXPECT_EQ(seen.messages.last(), qMakePair(topic, QByteArray("block-0")));
    ASSERT_TRUE(device->subscribe(QStringLiteral("lab/retained"), 1));
    ASSERT_TRUE(waitUntil([&] { return seen.countOn(QStringLiteral("lab/retained")) == 1; }));
    EXPECT_EQ(seen.payloadOn(QStringLiteral("lab/retained")), QByteArray("last-will-of-the-lab"));
    EXPECT_TRUE(seen.errors.isEmpty()) << seen.errors.join(QLatin1Char('\n')).toStdString();
}

TEST_F(MqttLinkTest, QosTwoRoundTrip)
{
    auto link = makeMqttLink(broker.url());
    ASSERT_TRUE(link);
    MqttRecorder seen(link.get());
    ASSERT_TRUE(connectAndWait(link.get()));
    ASSERT_TRUE(link->subscribe(QStringLiteral("q2/#"), 2));
    ASSERT_TRUE(link->publish(QStringLiteral("q2/a"), QByteArray(70000, 'z'), 2));
    ASSERT_TRUE(waitUntil([&] { return seen.countOn(QStringLiteral("q2/a")) == 1; }));
    EXPECT_EQ(seen.payloadOn(QStringLiteral("q2/a")), QByteArray(70000, 'z'));
}

TEST_F(MqttLinkTest, BrokerKilledReportsConnectionLostAndReconnectsAfterRestart)
{
    auto link = makeMqttLink(broker.url());
    ASSERT_TRUE(link);
    MqttRecorder seen(link.get());
    ASSERT_TRUE(connectAndWait(link.get()));
    broker.stop();
    ASSERT_TRUE(waitUntil([&] { return link->state() == State::Disconnected; }));
    ASSERT_TRUE(waitUntil([&] { return !seen.states.isEmpty() && seen.states.back() == State::Disconnected; }));
    ASSERT_EQ(seen.errors.size(), 1);
    EXPECT_TRUE(seen.errors.front().startsWith(QLatin1String("connection lost: "))) << seen.errors.front().toStdString();
    EXPECT_TRUE(seen.errors.front().contains(QStringLiteral("127.0.0.1:%1").arg(broker.port())));
    EXPECT_FALSE(link->publish(QStringLiteral("a/b"), "x"));   // no silent reconnect
    settle(50);
    EXPECT_TRUE(seen.errors.last().contains(QLatin1String("not connected"))) << seen.errors.last().toStdString();

    ASSERT_TRUE(broker.restart()) << broker.errorString().toStdString();
    ASSERT_TRUE(connectAndWait(link.get())) << seen.errors.join(QLatin1Char('\n')).toStdString();
    ASSERT_TRUE(subscribeConfirmed(link.get(), seen, QStringLiteral("again"), QStringLiteral("again")));
}

TEST_F(MqttLinkTest, NoBrokerOnThePortSaysConnectionRefused)
{
    broker.stop();
    auto link = makeMqttLink(broker.url());
    ASSERT_TRUE(link);
    MqttRecorder seen(link.get());
    EXPECT_FALSE(connectAndWait(link.get()));
    ASSERT_TRUE(waitUntil([&] { return !seen.errors.isEmpty(); }));
    EXPECT_TRUE(seen.errors.front().contains(QLatin1String("connection refused"))) << seen.errors.front().toStdString();
    EXPECT_TRUE(seen.errors.front().contains(QStringLiteral("127.0.0.1:%1").arg(broker.port())));
    ASSERT_TRUE(waitUntil([&] { return seen.states.size() == 2; }));
    EXPECT_EQ(seen.states, (QList<State>{State::Connecting, State::Disconnected}));
}

TEST_F(MqttLinkTest, RefusesBadTopicsAndWorkWhileDisconnected)
{
    auto link = makeMqttLink(broker.url());
    ASSERT_TRUE(link);
    MqttRecorder seen(link.get());
    EXPECT_FALSE(link->subscribe(QStringLiteral("a/b")));
    ASSERT_TRUE(connectAndWait(link.get()));
    EXPECT_FALSE(link->publish(QStringLiteral("a/+/b"), "x"));
    EXPECT_FALSE(link->publish(QString(), "x"));
    EXPECT_FALSE(link->subscribe(QStringLiteral("a/#/b")));
    EXPECT_FALSE(link->subscribe(QStringLiteral("a/b"), 3));
    ASSERT_TRUE(waitUntil([&] { return seen.errors.size() == 5; }));
    EXPECT_TRUE(seen.errors[0].contains(QLatin1String("not connected"))) << seen.errors[0].toStdString();
    EXPECT_TRUE(seen.errors[1].contains(QLatin1String("'a/+/b'"))) << seen.errors[1].toStdString();
    EXPECT_TRUE(seen.errors[3].contains(QLatin1String("'#' only as the last"))) << seen.errors[3].toStdString();
    EXPECT_TRUE(seen.errors[4].contains(QLatin1String("QoS 3"))) << seen.errors[4].toStdString();
    EXPECT_EQ(link->state(), State::Connected);   // bad requests do not drop the connection
}

} // namespace
} // namespace otalab::testing
