// SPDX-License-Identifier: Apache-2.0
// Drives one sans-IO SMP operation over one transport in real time (the app/hw driver of
// core/smp/smp_operation.h).
#pragma once

#include "core/smp/smp_operation.h"
#include "core/transport/transport.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <memory>

namespace otalab::hw {

// Binds a Transport (not owned; it may outlive the session and carry several operations
// in turn) to an Operation (owned). start() opens the transport if it is closed and
// starts the operation once it is open, after telling it the transport's packet limit
// (Operation::limitPackets); a transport that cannot be opened then finishes the session
// with the transport's error.
//
// Time: nowMs comes from a monotonic QElapsedTimer started with the session; one
// single-shot QTimer serves the operation's wakeAtMs.
//
// The link: when an open transport closes by itself (port vanished, BLE disconnect) the
// operation gets onLinkDown and the session reopens the transport, retrying with
// backoff (reopenFirstDelayMs doubling up to reopenMaxDelayMs) until it opens — a serial
// port re-enumerating after a board reset — and then calls onLinkUp. `reopenLink` from
// the operation closes the transport (after the packets of the same output were handed
// to it; unwritten bytes may be dropped, so ask after the board's answer) and reopens it
// the same way, without onLinkDown. After reopenGiveUpMs without the board the operation
// is cancelled and the session fails saying so.
//
// Transport signals are handled one at a time: a signal that arrives while the operation
// is being called (e.g. from send()) is queued and handled right after. Threading: the
// transport's thread. Delete a session or its transport from a slot with deleteLater().
class SmpSession final : public QObject {
    Q_OBJECT
public:
    struct Options {
        int reopenFirstDelayMs = 250;
        int reopenMaxDelayMs = 2000;
        int reopenGiveUpMs = 60'000;
    };

    SmpSession(core::transport::Transport* transport, std::unique_ptr<core::smp::Operation> operation,
               QObject* parent = nullptr);
    SmpSession(core::transport::Transport* transport, std::unique_ptr<core::smp::Operation> operation,
               Options options, QObject* parent = nullptr);
    ~SmpSession() override;

    void start();
    // User abort: the operation's cancel(); finished(false, "… aborted …") follows.
    void cancel();

    bool isStarted() const { return m_started; }
    bool isFinished() const { return m_finished; }
    // Empty on success or while running.
    const std::optional<Error>& failure() const { return m_failure; }
    core::smp::Operation& operation() { return *m_operation; }
    core::transport::Transport* transport() const { return m_transport; }
    std::int64_t nowMs() const { return m_clock.elapsed(); }
    // Raw link bytes the transport reported (wireBytes deltas) since the session began.
    qint64 wireBytesSent() const { return m_wireSent; }
    qint64 wireBytesReceived() const { return m_wireReceived; }

Q_SIGNALS:
    void progress(const otalab::core::smp::Progress& progress);
    // Exchange log: the operation's lines, transport errors, link events.
    void log(const QString& line);
    // Text the board printed on its console (serial), one line without '\n'.
    void deviceLog(const QString& line);
    void linkChanged(bool up);
    void finished(bool ok, const QString& message);

private:
    enum class EventKind { Packet, State, Timer, Reopen, Start, Cancel };
    struct Event {
        EventKind kind;
        QByteArray packet;
        core::transport::Transport::State state = core::transport::Transport::State::Closed;
    };

    void post(Event event);
    void handle(const Event& event);
    void onState(core::transport::Transport::State state);
    void onTimer();
    void reopenAttempt();
    void scheduleReopen(bool first);
    void beginReopen();
    void apply(core::smp::OperationOutput& out);
    void finish();

    QPointer<core::transport::Transport> m_transport;
    std::unique_ptr<core::smp::Operation> m_operation;
    Options m_options;
    QElapsedTimer m_clock;
    QTimer m_wake;
    std::int64_t m_wakeAtMs = 0;
    QTimer m_reopen;
    QList<Event> m_pending;
    bool m_busy = false;
    bool m_started = false;
    bool m_finished = false;
    bool m_linkUp = false;
    bool m_reopening = false;        // between losing the link and getting it back
    bool m_closingOnPurpose = false; // our own close(): its Closed is not a link loss
    int m_reopenDelayMs = 0;
    std::int64_t m_reopenSinceMs = 0;
    QString m_lastError;
    std::optional<Error> m_failure;
    qint64 m_wireSent = 0;
    qint64 m_wireReceived = 0;
};

} // namespace otalab::hw

Q_DECLARE_METATYPE(otalab::core::smp::Progress)
