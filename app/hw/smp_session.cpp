// SPDX-License-Identifier: Apache-2.0
// Drives one sans-IO SMP operation over one transport in real time.
#include "smp_session.h"

namespace otalab::hw {

using core::smp::Operation;
using core::smp::OperationOutput;
using core::transport::Transport;

SmpSession::SmpSession(Transport* transport, std::unique_ptr<Operation> operation, QObject* parent)
    : SmpSession(transport, std::move(operation), Options{}, parent)
{
}

SmpSession::SmpSession(Transport* transport, std::unique_ptr<Operation> operation, Options options,
                       QObject* parent)
    : QObject(parent), m_transport(transport), m_operation(std::move(operation)), m_options(options)
{
    m_clock.start();
    m_wake.setSingleShot(true);
    m_wake.setTimerType(Qt::PreciseTimer);
    connect(&m_wake, &QTimer::timeout, this, [this] { post({EventKind::Timer}); });
    m_reopen.setSingleShot(true);
    connect(&m_reopen, &QTimer::timeout, this, [this] { post({EventKind::Reopen}); });
    if (transport == nullptr)
        return;
    connect(transport, &Transport::stateChanged, this, [this](Transport::State state) {
        post({EventKind::State, {}, state});
    });
    connect(transport, &Transport::packetReceived, this, [this](const QByteArray& packet) {
        post({EventKind::Packet, packet});
    });
    connect(transport, &Transport::logText, this, &SmpSession::deviceLog);
    connect(transport, &Transport::errorOccurred, this, [this](const QString& message) {
        m_lastError = message;
        if (!m_reopening || m_linkUp)   // failed reopen attempts are expected, not news
            Q_EMIT log(message);
    });
    connect(transport, &Transport::wireBytes, this, [this](qint64 sent, qint64 received) {
        m_wireSent += sent;
        m_wireReceived += received;
    });
    connect(transport, &QObject::destroyed, this, [this] {
        if (m_finished)
            return;
        m_failure = Error::plain(QStringLiteral("the connection was closed by the program before the operation ended"));
        if (m_started) {
            OperationOutput out;
            m_operation->cancel(nowMs(), out);
        }
        finish();
    });
}

SmpSession::~SmpSession() = default;

void SmpSession::start()
{
    post({EventKind::Start});
}

void SmpSession::cancel()
{
    post({EventKind::Cancel});
}

void SmpSession::post(Event event)
{
    m_pending.append(std::move(event));
    if (m_busy)
        return;
    m_busy = true;
    while (!m_pending.isEmpty()) {
        const Event next = m_pending.takeFirst();
        handle(next);
    }
    m_busy = false;
}

void SmpSession::handle(const Event& event)
{
    if (m_finished)
        return;
    OperationOutput out;
    switch (event.kind) {
    case EventKind::Start:
        if (m_started)
            return;
        if (!m_transport) {
            m_failure = Error::plain(QStringLiteral("no connection to run the operation on"));
            finish();
            return;
        }
        if (m_transport->state() == Transport::State::Open)
            onState(Transport::State::Open);
        else if (m_transport->state() == Transport::State::Closed)
            m_transport->open();
        return;
    case EventKind::State:
        onState(event.state);
        return;
    case EventKind::Packet:
        if (!m_started)
            return;
        m_operation->onPacket(nowMs(), event.packet, out);
        apply(out);
        return;
    case EventKind::Timer:
        onTimer();
        return;
    case EventKind::Reopen:
        reopenAttempt();
        return;
    case EventKind::Cancel:
        if (!m_started) {
            m_failure = Error::plain(QStringLiteral("aborted before the connection opened"));
            if (m_transport && m_transport->state() == Transport::State::Opening)
                m_transport->close();
            finish();
            return;
        }
        m_operation->cancel(nowMs(), out);
        apply(out);
        return;
    }
}

void SmpSession::onState(Transport::State state)
{
    OperationOutput out;
    if (state == Transport::State::Open) {
        if (!m_started) {
            m_started = true;
            m_linkUp = true;
            Q_EMIT linkChanged(true);
            // Known once open (UDP: the address family); a request the link cannot carry
            // then fails at once instead of timing out.
            m_operation->limitPackets({m_transport->maxPacketSize(), m_transport->packetLimitText()});
            m_operation->start(nowMs(), out);
            apply(out);
        } else if (!m_linkUp) {
            m_linkUp = true;
            m_reopening = false;
            m_reopen.stop();
            Q_EMIT linkChanged(true);
            Q_EMIT log(QStringLiteral("%1 is back after %2 s")
                           .arg(m_transport->describe()).arg((nowMs() - m_reopenSinceMs) / 1000.0, 0, 'f', 1));
            m_operation->onLinkUp(nowMs(), out);
            apply(out);
        }
        return;
    }
    if (state != Transport::State::Closed)
        return;
    if (!m_started) {
        const QString what = m_transport ? m_transport->describe() : QStringLiteral("the connection");
        m_failure = Error::plain(m_lastError.isEmpty() ? QStringLiteral("cannot open %1").arg(what) : m_lastError);
        finish();
        return;
    }
    if (m_closingOnPurpose) {
        m_closingOnPurpose = false;
        scheduleReopen(true);
        return;
    }
    if (m_linkUp) {
        m_linkUp = false;
        m_reopening = true;
        m_reopenSinceMs = nowMs();
        Q_EMIT linkChanged(false);
        Q_EMIT log(QStringLiteral("lost %1; waiting for it to come back").arg(m_transport->describe()));
        m_operation->onLinkDown(nowMs(), out);
        apply(out);
        if (!m_finished && m_reopening)
            scheduleReopen(true);
        return;
    }
    if (m_reopening)
        scheduleReopen(false);   // an attempt failed: the board is not back yet
}

void SmpSession::onTimer()
{
    const std::int64_t now = nowMs();
    if (now < m_wakeAtMs) {   // a timer may fire a little early; the contract is "at this time"
        m_wake.start(int(m_wakeAtMs - now));
        return;
    }
    OperationOutput out;
    m_operation->onTimer(now, out);
    apply(out);
}

void SmpSession::beginReopen()
{
    m_reopening = true;
    m_reopenSinceMs = nowMs();
    if (m_linkUp) {
        m_linkUp = false;
        Q_EMIT linkChanged(false);
    }
    Q_EMIT log(QStringLiteral("reopening %1").arg(m_transport->describe()));
    if (m_transport->state() == Transport::State::Closed) {
        scheduleReopen(true);
        return;
    }
    m_closingOnPurpose = true;
    m_transport->close();   // its Closed is queued behind this event and schedules the reopen
}

void SmpSession::scheduleReopen(bool first)
{
    m_reopenDelayMs = first ? m_options.reopenFirstDelayMs : std::min(m_reopenDelayMs * 2, m_options.reopenMaxDelayMs);
    m_reopen.start(m_reopenDelayMs);
}

void SmpSession::reopenAttempt()
{
    if (m_linkUp || !m_reopening || !m_transport)
        return;
    if (nowMs() - m_reopenSinceMs > m_options.reopenGiveUpMs) {
        m_failure = Error::plain(QStringLiteral("%1 did not come back within %2 s (%3); check the cable and that the "
                                                "board boots, then run the command again")
                                     .arg(m_transport->describe()).arg(m_options.reopenGiveUpMs / 1000.0)
                                     .arg(m_lastError.isEmpty() ? QStringLiteral("no error reported") : m_lastError));
        OperationOutput out;
        m_operation->cancel(nowMs(), out);
        apply(out);
        if (!m_finished)
            finish();
        return;
    }
    switch (m_transport->state()) {
    case Transport::State::Closed:
        m_transport->open();   // Open → onLinkUp; Closed → next attempt
        break;
    case Transport::State::Open:
        onState(Transport::State::Open);
        break;
    case Transport::State::Opening:
        break;
    }
}

void SmpSession::apply(OperationOutput& out)
{
    for (const QString& line : out.log)
        Q_EMIT log(line);
    for (const core::smp::Progress& step : out.progress)
        Q_EMIT progress(step);
    if (!out.packets.isEmpty()) {
        if (m_transport && m_transport->state() == Transport::State::Open) {
            for (const QByteArray& packet : out.packets)
                m_transport->send(packet);
        } else {
            Q_EMIT log(QStringLiteral("link down: %1 packet(s) not sent").arg(out.packets.size()));
        }
    }
    if (out.wakeAtMs) {
        m_wakeAtMs = *out.wakeAtMs;
        m_wake.start(int(std::clamp<std::int64_t>(m_wakeAtMs - nowMs(), 0, std::numeric_limits<int>::max())));
    } else {
        m_wake.stop();
    }
    if (m_operation->isFinished()) {
        finish();
        return;
    }
    if (out.reopenLink && m_transport)
        beginReopen();
}

void SmpSession::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_wake.stop();
    m_reopen.stop();
    m_pending.clear();
    if (!m_failure && m_operation->failure())
        m_failure = m_operation->failure();
    Q_EMIT finished(!m_failure.has_value(), m_failure ? m_failure->toString() : QString());
}

} // namespace otalab::hw
