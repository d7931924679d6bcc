// SPDX-License-Identifier: Apache-2.0
// MqttLink on libmosquitto, driven by Qt's event loop: QSocketNotifiers on
// mosquitto_socket() call mosquitto_loop_read/loop_write, a 1 s QTimer calls
// mosquitto_loop_misc (keepalive pings, keepalive timeout). No second thread.
#pragma once

#include "mosquitto_errors.h"

#include "core/transport/mqtt_link.h"

#include <QDeadlineTimer>
#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>
#include <functional>
#include <memory>
#include <vector>

struct mosquitto;
struct mosquitto_message;

namespace otalab::plugins::mqtt {

// Threading: the thread that created it, only. libmosquitto's callbacks run inside the
// loop_* calls made from this object's notifiers; they only record what happened, and the
// signals are emitted after the library call returned, in order — so a slot may publish,
// disconnect or deleteLater() the link.
// One struct mosquitto per connection: connectToBroker() makes it, a disconnect or a drop
// destroys it (subscriptions are not kept across a reconnect).
class MosquittoLink final : public core::transport::MqttLink {
    Q_OBJECT
public:
    MosquittoLink(core::transport::MqttLinkOptions options, QObject* parent);
    ~MosquittoLink() override;

    void connectToBroker() override;
    void disconnectFromBroker() override;
    bool subscribe(const QString& topicFilter, int qos = 1) override;
    bool unsubscribe(const QString& topicFilter) override;
    bool publish(const QString& topic, const QByteArray& payload, int qos = 1, bool retain = false) override;
    State state() const override { return m_state; }
    QString describe() const override;

    const core::transport::MqttLinkOptions& options() const { return m_options; }

private:
    enum class Io { Read, Write, Misc };
    struct MosquittoDeleter {
        void operator()(mosquitto* handle) const;
    };

    static void onConnect(mosquitto* handle, void* self, int rc);
    static void onDisconnect(mosquitto* handle, void* self, int rc);
    static void onMessage(mosquitto* handle, void* self, const mosquitto_message* message);
    static void onLog(mosquitto* handle, void* self, int level, const char* text);

    Result<void> configure(mosquitto* handle);
    void service(Io io);
    void afterLoop(int rc, int errnoValue);
    void dropConnection(const MosquittoFailure& failure);
    void teardown();
    void syncNotifiers();
    void setState(State state);
    void post(std::function<void()> emitter);
    void flushLater();
    void flush();
    bool checkConnected(const QString& what);
    // A subscribe/unsubscribe/publish that was refused: errorOccurred(problem) from the
    // event loop; returns false (the request's result).
    bool refuseRequest(const QString& problem);
    // A request libmosquitto queued: its bytes are written as the socket allows.
    void requestQueued();

    core::transport::MqttLinkOptions m_options;
    QString m_clientId;
    State m_state = State::Disconnected;
    std::unique_ptr<mosquitto, MosquittoDeleter> m_handle;
    int m_socket = -1;
    QPointer<QSocketNotifier> m_readNotifier;
    QPointer<QSocketNotifier> m_writeNotifier;
    QTimer m_miscTimer;   // a child, so moveToThread() before connecting moves it too
    QDeadlineTimer m_connectDeadline;
    // libmosquitto 2.0.11 never clears its TLS want_write flag, so mosquitto_want_write()
    // can stay true with nothing to send; after this many write events in a row without a
    // read, an API call or a timer tick the write notifier rests until one of those.
    int m_writeEventsInARow = 0;
    // Recorded by the callbacks during one loop call.
    bool m_dropped = false;
    MosquittoFailure m_failure;
    std::vector<std::function<void()>> m_pending;   // signal emissions, in order
    bool m_flushQueued = false;
};

} // namespace otalab::plugins::mqtt
