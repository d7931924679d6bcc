// SPDX-License-Identifier: Apache-2.0
// MqttLink on libmosquitto, driven by Qt's event loop.
#include "mosquitto_link.h"

#include <QCoreApplication>
#include <QDeadlineTimer>

#include <mosquitto.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

namespace otalab::plugins::mqtt {

using core::transport::MqttLinkOptions;

namespace {

constexpr int kMiscIntervalMs = 1000;      // keepalive bookkeeping (loop_misc) and connect deadline
constexpr int kConnectTimeoutS = 30;       // no CONNACK by then: give up with an error
constexpr int kMaxWriteEventsInARow = 64;
constexpr int kMaxLogErrors = 16;

void initLibrary()
{
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });   // never cleaned up: plugins stay loaded
}

QString makeClientId()
{
    static std::atomic<int> counter{0};
    return QStringLiteral("otalab-%1-%2").arg(QCoreApplication::applicationPid()).arg(++counter);
}

// An encrypted key file fails to load instead of OpenSSL prompting on the terminal.
int noKeyPassword(char*, int, int, void*)
{
    return 0;
}

} // namespace

void MosquittoLink::MosquittoDeleter::operator()(mosquitto* handle) const
{
    mosquitto_destroy(handle);   // closes the socket
}

MosquittoLink::MosquittoLink(MqttLinkOptions options, QObject* parent)
    : core::transport::MqttLink(parent), m_options(std::move(options)), m_miscTimer(this)
{
    m_clientId = m_options.clientId.isEmpty() ? makeClientId() : m_options.clientId;
    m_miscTimer.setInterval(kMiscIntervalMs);
    connect(&m_miscTimer, &QTimer::timeout, this, [this] { service(Io::Misc); });
}

MosquittoLink::~MosquittoLink()
{
    if (m_handle) {
        mosquitto_disconnect(m_handle.get());
        mosquitto_loop_write(m_handle.get(), 1);   // best effort: DISCONNECT is 2 bytes
    }
    m_pending.clear();
    teardown();
}

QString MosquittoLink::describe() const
{
    const QString mode = !m_options.tls ? QStringLiteral("plain")
                       : m_options.certFile.isEmpty() ? QStringLiteral("TLS")
                                                      : QStringLiteral("TLS, client certificate");
    return QStringLiteral("%1://%2 as %3 (%4)")
        .arg(m_options.tls ? QStringLiteral("mqtts") : QStringLiteral("mqtt"), brokerAddress(m_options), m_clientId, mode);
}

Result<void> MosquittoLink::configure(mosquitto* handle)
{
    mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    // Request/response traffic (GetStream → data block) must not wait for Nagle's algorithm
    // to meet the peer's delayed ACK: small packets go out at once.
    mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_connect_callback_set(handle, &MosquittoLink::onConnect);
    mosquitto_disconnect_callback_set(handle, &MosquittoLink::onDisconnect);
    mosquitto_message_callback_set(handle, &MosquittoLink::onMessage);
    mosquitto_log_callback_set(handle, &MosquittoLink::onLog);
    if (!m_options.username.isEmpty()) {
        const QByteArray user = m_options.username.toUtf8();
        const QByteArray password = m_options.password.toUtf8();
        const int rc = mosquitto_username_pw_set(handle, user.constData(),
                                                 m_options.password.isEmpty() ? nullptr : password.constData());
        if (rc != MOSQ_ERR_SUCCESS)
            return fail(QStringLiteral("mqtt username is not valid: %1").arg(QString::fromUtf8(mosquitto_strerror(rc))));
    }
    if (!m_options.tls)
        return {};
    const QByteArray ca = m_options.caFile.toLocal8Bit();
    const QByteArray cert = m_options.certFile.toLocal8Bit();
    const QByteArray key = m_options.keyFile.toLocal8Bit();
    // No cafile: the system's CA folder (Debian: /etc/ssl/certs), as for a public broker.
    const int rc = mosquitto_tls_set(handle, ca.isEmpty() ? nullptr : ca.constData(),
                                     ca.isEmpty() ? "/etc/ssl/certs" : nullptr,
                                     cert.isEmpty() ? nullptr : cert.constData(),
                                     key.isEmpty() ? nullptr : key.constData(), &noKeyPassword);
    if (rc != MOSQ_ERR_SUCCESS)
        return fail(QStringLiteral("cannot use the TLS files (cafile %1, certfile %2, keyfile %3): %4 — check that "
                                   "they exist and are readable")
                        .arg(m_options.caFile.isEmpty() ? QStringLiteral("none") : m_options.caFile,
                             m_options.certFile.isEmpty() ? QStringLiteral("none") : m_options.certFile,
                             m_options.keyFile.isEmpty() ? QStringLiteral("none") : m_options.keyFile,
                             QString::fromUtf8(mosquitto_strerror(rc))));
    mosquitto_tls_opts_set(handle, 1 /* SSL_VERIFY_PEER */, nullptr, nullptr);
    mosquitto_tls_insecure_set(handle, m_options.insecure);
    return {};
}

void MosquittoLink::connectToBroker()
{
    if (m_state != State::Disconnected || m_handle)
        return;
    initLibrary();
    m_failure = {};
    m_dropped = false;
    m_writeEventsInARow = 0;
    setState(State::Connecting);
    const QByteArray id = m_clientId.toUtf8();
    m_handle.reset(mosquitto_new(id.constData(), m_options.cleanSession, this));
    if (!m_handle) {
        teardown();
        post([this, id = m_clientId] {
            Q_EMIT errorOccurred(QStringLiteral("cannot make an MQTT client '%1': %2 (a persistent session needs a "
                                                "clientId)").arg(id, QString::fromLocal8Bit(std::strerror(errno))));
        });
        setState(State::Disconnected);
        flushLater();
        return;
    }
    if (auto ok = configure(m_handle.get()); !ok) {
        teardown();
        post([this, message = ok.error().message] { Q_EMIT errorOccurred(message); });
        setState(State::Disconnected);
        flushLater();
        return;
    }
    const QByteArray host = m_options.host.toUtf8();
    errno = 0;
    // Host names resolve with getaddrinfo, synchronously; the TCP connect and TLS handshake
    // do not block.
    const int rc = mosquitto_connect_async(m_handle.get(), host.constData(), m_options.port, m_options.keepAliveS);
    const int errnoValue = errno;
    if (rc != MOSQ_ERR_SUCCESS) {
        MosquittoFailure failure = m_failure;
        failure.rc = rc;
        failure.errnoValue = errnoValue;
        dropConnection(failure);
        flushLater();
        return;
    }
    m_connectDeadline = QDeadlineTimer(kConnectTimeoutS * 1000);
    m_miscTimer.start();
    syncNotifiers();
    flushLater();
}

void MosquittoLink::disconnectFromBroker()
{
    if (m_handle) {
        mosquitto_disconnect(m_handle.get());
        mosquitto_loop_write(m_handle.get(), 1);   // best effort: DISCONNECT is 2 bytes
    }
    teardown();
    setState(State::Disconnected);
    flushLater();
}

bool MosquittoLink::checkConnected(const QString& what)
{
    if (m_state == State::Connected && m_handle)
        return true;
    post([this, what, state = m_state] {
        Q_EMIT errorOccurred(QStringLiteral("cannot %1: not connected to broker %2 (%3) — connect first")
                                 .arg(what, brokerAddress(m_options),
                                      state == State::Connecting ? QStringLiteral("still connecting")
                                                                 : QStringLiteral("disconnected")));
    });
    flushLater();
    return false;
}

bool MosquittoLink::refuseRequest(const QString& problem)
{
    post([this, problem] { Q_EMIT errorOccurred(problem); });
    flushLater();
    return false;
}

void MosquittoLink::requestQueued()
{
    m_writeEventsInARow = 0;
    syncNotifiers();
}

bool MosquittoLink::subscribe(const QString& topicFilter, int qos)
{
    if (!checkConnected(QStringLiteral("subscribe to '%1'").arg(topicFilter)))
        return false;
    const QByteArray filter = topicFilter.toUtf8();
    QString problem;
    if (qos < 0 || qos > 2)
        problem = QStringLiteral("cannot subscribe to '%1' with QoS %2: QoS is 0, 1 or 2").arg(topicFilter).arg(qos);
    else if (filter.isEmpty() || mosquitto_sub_topic_check2(filter.constData(), size_t(filter.size())) != MOSQ_ERR_SUCCESS)
        problem = QStringLiteral("cannot subscribe to '%1': not a valid topic filter ('+' and '#' fill a whole level, "
                                 "'#' only as the last one, not empty)").arg(topicFilter);
    int rc = MOSQ_ERR_SUCCESS;
    if (problem.isEmpty()) {
        rc = mosquitto_subscribe(m_handle.get(), nullptr, filter.constData(), qos);
        if (rc != MOSQ_ERR_SUCCESS)
            problem = QStringLiteral("cannot subscribe to '%1': %2").arg(topicFilter, QString::fromUtf8(mosquitto_strerror(rc)));
    }
    if (!problem.isEmpty())
        return refuseRequest(problem);
    requestQueued();
    return true;
}

bool MosquittoLink::unsubscribe(const QString& topicFilter)
{
    if (!checkConnected(QStringLiteral("unsubscribe from '%1'").arg(topicFilter)))
        return false;
    const QByteArray filter = topicFilter.toUtf8();
    QString problem;
    if (filter.isEmpty() || mosquitto_sub_topic_check2(filter.constData(), size_t(filter.size())) != MOSQ_ERR_SUCCESS)
        problem = QStringLiteral("cannot unsubscribe from '%1': not a valid topic filter").arg(topicFilter);
    else if (const int rc = mosquitto_unsubscribe(m_handle.get(), nullptr, filter.constData()); rc != MOSQ_ERR_SUCCESS)
        problem = QStringLiteral("cannot unsubscribe from '%1': %2").arg(topicFilter, QString::fromUtf8(mosquitto_strerror(rc)));
    if (!problem.isEmpty())
        return refuseRequest(problem);
    requestQueued();
    return true;
}

bool MosquittoLink::publish(const QString& topic, const QByteArray& payload, int qos, bool retain)
{
    if (!checkConnected(QStringLiteral("publish to '%1'").arg(topic)))
        return false;
    const QByteArray name = topic.toUtf8();
    QString problem;
    if (qos < 0 || qos > 2)
        problem = QStringLiteral("cannot publish to '%1' with QoS %2: QoS is 0, 1 or 2").arg(topic).arg(qos);
    else if (name.isEmpty() || mosquitto_pub_topic_check2(name.constData(), size_t(name.size())) != MOSQ_ERR_SUCCESS)
        problem = QStringLiteral("cannot publish to '%1': a topic name is not empty and has no '+' or '#'").arg(topic);
    if (problem.isEmpty()) {
        const int rc = mosquitto_publish(m_handle.get(), nullptr, name.constData(), int(payload.size()),
                                         payload.constData(), qos, retain);
        if (rc != MOSQ_ERR_SUCCESS)
            problem = QStringLiteral("cannot publish %1 bytes to '%2': %3")
                          .arg(payload.size()).arg(topic, QString::fromUtf8(mosquitto_strerror(rc)));
    }
    if (!problem.isEmpty())
        return refuseRequest(problem);
    const qint64 bytes = name.size() + payload.size();
    post([this, bytes] { Q_EMIT wireBytes(bytes, 0); });
    requestQueued();
    flushLater();
    return true;
}

// --- libmosquitto callbacks: inside loop_* on this thread; they only record ---

void MosquittoLink::onConnect(mosquitto*, void* self, int rc)
{
    auto* link = static_cast<MosquittoLink*>(self);
    if (rc == 0) {
        link->setState(State::Connected);
        return;
    }
    link->m_failure.connackRc = rc;
    link->m_dropped = true;
}

void MosquittoLink::onDisconnect(mosquitto*, void* self, int rc)
{
    auto* link = static_cast<MosquittoLink*>(self);
    link->m_dropped = true;
    if (link->m_failure.rc == 0)
        link->m_failure.rc = rc;
}

void MosquittoLink::onMessage(mosquitto*, void* self, const mosquitto_message* message)
{
    auto* link = static_cast<MosquittoLink*>(self);
    QString topic = QString::fromUtf8(message->topic);
    QByteArray payload(static_cast<const char*>(message->payload), message->payloadlen);
    const qint64 bytes = qint64(qstrlen(message->topic)) + message->payloadlen;
    link->post([link, topic = std::move(topic), payload = std::move(payload)] {
        Q_EMIT link->messageReceived(topic, payload);
    });
    link->post([link, bytes] { Q_EMIT link->wireBytes(0, bytes); });
}

void MosquittoLink::onLog(mosquitto*, void* self, int level, const char* text)
{
    auto* link = static_cast<MosquittoLink*>(self);
    if ((level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) == 0 || link->m_failure.logErrors.size() >= kMaxLogErrors)
        return;
    link->m_failure.logErrors << QString::fromUtf8(text);
}

// --- the loop ---

void MosquittoLink::service(Io io)
{
    if (!m_handle)
        return;
    if (io == Io::Write) {
        if (++m_writeEventsInARow > kMaxWriteEventsInARow) {
            syncNotifiers();   // rests the write notifier (see m_writeEventsInARow)
            return;
        }
    } else {
        m_writeEventsInARow = 0;
    }
    if (m_state == State::Connecting && m_socket >= 0) {
        // A refused or unreachable TCP connect shows as a socket error; libmosquitto's TLS
        // path would keep retrying the handshake on it. Only before the TCP connection is
        // up (no peer yet): later errors (a reset after a TLS alert) are for loop_read to
        // read, alert first.
        sockaddr_storage peer{};
        socklen_t peerLength = sizeof peer;
        int error = 0;
        socklen_t length = sizeof error;
        if (::getpeername(m_socket, reinterpret_cast<sockaddr*>(&peer), &peerLength) != 0
            && ::getsockopt(m_socket, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error != 0) {
            MosquittoFailure failure = m_failure;
            failure.rc = MOSQ_ERR_ERRNO;
            failure.errnoValue = error;
            dropConnection(failure);
            flush();
            return;
        }
        if (io == Io::Misc && m_connectDeadline.hasExpired()) {
            MosquittoFailure failure = m_failure;
            failure.rc = MOSQ_ERR_TIMEOUT;
            dropConnection(failure);
            flush();
            return;
        }
    }
    errno = 0;
    int rc = MOSQ_ERR_SUCCESS;
    switch (io) {
    case Io::Read:
        rc = mosquitto_loop_read(m_handle.get(), 1);
        break;
    case Io::Write:
        // While connecting over TLS the handshake (SSL_connect) only advances in loop_read.
        if (m_state == State::Connecting && m_options.tls)
            rc = mosquitto_loop_read(m_handle.get(), 1);
        if (rc == MOSQ_ERR_SUCCESS && mosquitto_socket(m_handle.get()) >= 0)
            rc = mosquitto_loop_write(m_handle.get(), 1);
        break;
    case Io::Misc:
        rc = mosquitto_loop_misc(m_handle.get());
        break;
    }
    afterLoop(rc, errno);
    flush();
}

void MosquittoLink::afterLoop(int rc, int errnoValue)
{
    if (!m_handle)
        return;
    const bool socketGone = mosquitto_socket(m_handle.get()) < 0;
    if (m_dropped || rc != MOSQ_ERR_SUCCESS || socketGone) {
        MosquittoFailure failure = m_failure;
        if (failure.rc == 0)
            failure.rc = rc != MOSQ_ERR_SUCCESS ? rc : MOSQ_ERR_CONN_LOST;
        failure.errnoValue = errnoValue;
        dropConnection(failure);
        return;
    }
    syncNotifiers();
}

void MosquittoLink::dropConnection(const MosquittoFailure& failure)
{
    const QString message = m_state == State::Connected ? connectionLostText(m_options, failure)
                                                        : connectFailureText(m_options, failure);
    teardown();
    post([this, message] { Q_EMIT errorOccurred(message); });
    setState(State::Disconnected);
}

void MosquittoLink::teardown()
{
    m_miscTimer.stop();
    for (QSocketNotifier* notifier : {m_readNotifier.data(), m_writeNotifier.data()}) {
        if (notifier != nullptr) {
            notifier->setEnabled(false);
            notifier->deleteLater();   // it may be the one whose activated() runs now
        }
    }
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    m_socket = -1;
    m_handle.reset();
}

void MosquittoLink::syncNotifiers()
{
    const int socket = m_handle ? mosquitto_socket(m_handle.get()) : -1;
    if (socket != m_socket) {
        for (QSocketNotifier* notifier : {m_readNotifier.data(), m_writeNotifier.data()}) {
            if (notifier != nullptr) {
                notifier->setEnabled(false);
                notifier->deleteLater();
            }
        }
        m_readNotifier = nullptr;
        m_writeNotifier = nullptr;
        m_socket = socket;
        if (socket >= 0) {
            m_readNotifier = new QSocketNotifier(socket, QSocketNotifier::Read, this);
            connect(m_readNotifier, &QSocketNotifier::activated, this, [this] { service(Io::Read); });
            m_writeNotifier = new QSocketNotifier(socket, QSocketNotifier::Write, this);
            connect(m_writeNotifier, &QSocketNotifier::activated, this, [this] { service(Io::Write); });
        }
    }
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(mosquitto_want_write(m_handle.get()) && m_writeEventsInARow < kMaxWriteEventsInARow);
}

// --- signal delivery ---

void MosquittoLink::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    post([this, state] { Q_EMIT stateChanged(state); });
}

void MosquittoLink::post(std::function<void()> emitter)
{
    m_pending.push_back(std::move(emitter));
}

void MosquittoLink::flushLater()
{
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    QMetaObject::invokeMethod(this, [this] { flush(); }, Qt::QueuedConnection);
}

void MosquittoLink::flush()
{
    m_flushQueued = false;
    const QPointer<MosquittoLink> alive(this);
    while (!m_pending.empty()) {
        std::vector<std::function<void()>> batch;
        batch.swap(m_pending);
        for (auto& emitter : batch) {
            emitter();
            if (!alive)
                return;   // a slot deleted the link
        }
    }
}

} // namespace otalab::plugins::mqtt
