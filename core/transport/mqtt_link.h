// SPDX-License-Identifier: Apache-2.0
// The MQTT link plugin interface (IID org.otalab.MqttLink/1): a client connection to a
// broker that publishes and subscribes. Unlike Transport (whole SMP packets to one
// peer), MQTT is topic based; the AWS/FreeRTOS OTA machines (core/awsota) are driven
// by it in real time (otalab-cli jobs serve, target serve --mqtt, the Bench).
//
// Threading: an MqttLink lives on the thread that created it and emits from it (the
// implementation may run its network loop elsewhere but delivers here, queued).
// Widget-free; no protocol state beyond MQTT's own (the OTA machines own retries).
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QtPlugin>

namespace otalab::core::transport {

// Where and how to connect. Parsed from "mqtt://host[:port]" (1883) or
// "mqtts://host[:port]" (8883) plus options (ConnectionSpec-style ",key=value"):
// clientId, username, password, cafile, certfile, keyfile, insecure (skip host-name
// check), keepalive (s). See MqttLinkOptions::parse.
struct MqttLinkOptions {
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 1883;
    bool tls = false;
    QString clientId;           // empty: the implementation makes one ("otalab-<pid>-<n>")
    QString username;
    QString password;
    QString caFile;             // PEM CA bundle that signed the broker's certificate (TLS)
    QString certFile;           // PEM client certificate (TLS client authentication)
    QString keyFile;            // PEM private key of certFile
    bool insecure = false;      // TLS without checking the broker's host name
    int keepAliveS = 60;
    bool cleanSession = true;

    // "mqtt://127.0.0.1:1883,clientId=thing-1" → options; errors name the bad part.
    static Result<MqttLinkOptions> parse(const QString& text);
    QString toString() const;   // round-trips through parse (password omitted)
};

class MqttLink : public QObject {
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected };
    Q_ENUM(State)

    using QObject::QObject;
    ~MqttLink() override = default;

    // Asynchronous: stateChanged(Connected), or errorOccurred + stateChanged(Disconnected).
    // A connection the broker drops later: errorOccurred("connection lost: …") +
    // stateChanged(Disconnected); reconnecting is the caller's decision (connectToBroker again).
    virtual void connectToBroker() = 0;
    virtual void disconnectFromBroker() = 0;
    // Queued; false (and errorOccurred) when not connected or the topic is invalid.
    // qos 0 or 1 (2 accepted too). Subscriptions are not kept across a reconnect.
    virtual bool subscribe(const QString& topicFilter, int qos = 1) = 0;
    virtual bool unsubscribe(const QString& topicFilter) = 0;
    virtual bool publish(const QString& topic, const QByteArray& payload, int qos = 1, bool retain = false) = 0;
    virtual State state() const = 0;
    virtual QString describe() const = 0;   // "mqtts://broker:8883 as thing-1 (TLS, client certificate)"

Q_SIGNALS:
    void stateChanged(otalab::core::transport::MqttLink::State state);
    void messageReceived(const QString& topic, const QByteArray& payload);
    void errorOccurred(const QString& message);      // plain words + what to do
    void wireBytes(qint64 sent, qint64 received);    // payload + topic bytes, for figures
};

// The plugin's root object implements this. Metadata JSON (read before instantiating):
//   {"scheme": "mqtt", "name": "MQTT (libmosquitto)", "version": 1}
class MqttLinkFactory {
public:
    virtual ~MqttLinkFactory() = default;
    virtual Result<MqttLink*> create(const MqttLinkOptions& options, QObject* parent) = 0;
};

} // namespace otalab::core::transport

#define OTALAB_MQTT_LINK_IID "org.otalab.MqttLink/1"
Q_DECLARE_INTERFACE(otalab::core::transport::MqttLinkFactory, OTALAB_MQTT_LINK_IID)
