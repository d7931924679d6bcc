// SPDX-License-Identifier: Apache-2.0
// Helpers for the MQTT link plugin tests: the registry on the build tree's plugins, a
// recorder of MqttLink signals, connect-and-wait, a subscription confirmed by a probe.
#pragma once

#include "plugin_test_support.h"

#include "app/hw/mqtt_link_registry.h"
#include "tests/support/mosquitto_broker.h"

#include <QThread>
#include <QUuid>

namespace otalab::testing {

using core::transport::MqttLink;

inline hw::MqttLinkRegistry& mqttRegistry()
{
    testApp();
    static hw::MqttLinkRegistry registry(QStringList{QStringLiteral(OTALAB_PLUGIN_BUILD_DIR)});
    return registry;
}

// A link from the build tree's plugin; fails the test on error.
inline std::unique_ptr<MqttLink> makeMqttLink(const QString& address)
{
    auto created = mqttRegistry().create(address, nullptr);
    if (!created) {
        ADD_FAILURE() << "cannot create " << address.toStdString() << ": " << created.error().toString().toStdString();
        return {};
    }
    return std::unique_ptr<MqttLink>(*created);
}

// Collects what a link emits.
struct MqttRecorder {
    explicit MqttRecorder(MqttLink* link)
    {
        QObject::connect(link, &MqttLink::messageReceived, &context, [this](const QString& topic, const QByteArray& payload) {
            messages << qMakePair(topic, payload);
        });
        QObject::connect(link, &MqttLink::errorOccurred, &context, [this](const QString& e) { errors << e; });
        QObject::connect(link, &MqttLink::stateChanged, &context, [this](MqttLink::State s) { states << s; });
        QObject::connect(link, &MqttLink::wireBytes, &context, [this](qint64 s, qint64 r) {
            sent += s;
            received += r;
        });
    }
    QByteArray payloadOn(const QString& topic) const
    {
        for (const auto& [t, p] : messages)
            if (t == topic)
                return p;
        return {};
    }
    int countOn(const QString& topic) const
    {
        int n = 0;
        for (const auto& m : messages)
            n += m.first == topic ? 1 : 0;
        return n;
    }
    QObject context;
    QList<QPair<QString, QByteArray>> messages;
    QStringList errors;
    QList<MqttLink::State> states;
    qint64 sent = 0;
    qint64 received = 0;
};

// connectToBroker() and wait until it is Connected or back to Disconnected.
inline bool connectAndWait(MqttLink* link, int limitMs = 15000)
{
    link->connectToBroker();
    waitUntil([&] { return link->state() != MqttLink::State::Connecting; }, limitMs);
    return link->state() == MqttLink::State::Connected;
}

// Subscribes and waits until the broker has the subscription: the link publishes a probe
// to `probeTopic` (matched by the filter) after subscribing, and the broker handles one
// connection's packets in order, so the probe coming back proves the SUBSCRIBE took effect.
inline bool subscribeConfirmed(MqttLink* link, MqttRecorder& recorder, const QString& filter, const QString& probeTopic,
                               int qos = 1)
{
    if (!link->subscribe(filter, qos))
        return false;
    const QByteArray token = QUuid::createUuid().toByteArray();
    if (!link->publish(probeTopic, token, 1))
        return false;
    return waitUntil([&] { return recorder.messages.contains(qMakePair(probeTopic, token)); });
}

} // namespace otalab::testing
