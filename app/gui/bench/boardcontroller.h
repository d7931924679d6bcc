// SPDX-License-Identifier: Apache-2.0
// BoardController: one board on the Bench — its transport, the SMP operation running on it,
// its slots, progress and log — without widgets.
#pragma once

#include "app/hw/smp_session.h"
#include "core/smp/client_requester.h"
#include "core/smp/client_upgrade.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <memory>
#include <optional>

namespace otalab::app {

class SlotTableModel;

// Owns the Transport (reparented to itself) and runs one SMP operation at a time on it
// through an hw::SmpSession; commands asked for while one runs are refused with a
// message (nothing queues behind the user's back). Every operation continues the
// previous one's sequence numbers, so late answers never match a new request.
//
// Link: the transport is opened by connectBoard(). An open that fails before the board
// ever answered leaves the board Failed (wrong port, nothing listening) until
// connectBoard() again. Once connected, a link that drops is reopened with backoff for
// as long as the board stays on the Bench (state Waiting, "disconnected — waiting for the
// board…"); during an operation the SmpSession does that and the operation resumes
// (an upload continues through its SHA-256). When the link returns while idle, the slots
// are read again.
//
// After each command the slots are read again (test and confirm answer with them).
// reset(): the board is asked again `resetSettleMs` after the reset answer (Zephyr
// restarts 250 ms after answering), patiently for `bootPatienceMs`.
//
// Errors are values: lastError() holds the last failure in plain words (cleared by the
// next command), also sent to the log in Error kind. GUI thread only.
class BoardController final : public QObject {
    Q_OBJECT
public:
    enum class State {
        Connecting,   // first open / first answer pending
        Ready,        // connected, idle
        Busy,         // an operation runs (activity() says which)
        Waiting,      // the link is down; reopening
        Failed,       // could not connect; connectBoard() tries again
        Closed,       // disconnectBoard()
    };
    Q_ENUM(State)

    enum class Activity { None, ReadState, Upload, Test, Confirm, Erase, Reset, AwaitBoot, Upgrade };
    Q_ENUM(Activity)

    enum class LogKind { Exchange, Info, Device, Error };
    Q_ENUM(LogKind)

    struct Options {
        hw::SmpSession::Options session;
        core::smp::RequestPolicy commandPolicy;      // state read, test, confirm, erase
        int resetSettleMs = 1500;
        int bootPatienceMs = 60000;
        int bootPollMs = 1000;                       // per attempt while waiting for the board
        int reconnectFirstDelayMs = 250;             // idle link: reopen backoff
        int reconnectMaxDelayMs = 2000;
        std::optional<int> uploadWindow;             // chunks in flight (default: the board's buf_count - 1)
    };

    // `transport` must be closed; the controller takes it over.
    BoardController(core::transport::Transport* transport, QString spec, Options options, QObject* parent = nullptr);
    ~BoardController() override;

    const QString& spec() const { return m_spec; }
    QString name() const;                            // the transport's description
    core::transport::Transport* transport() const { return m_transport; }

    State state() const;
    Activity activity() const { return m_activity; }
    // "ready", "uploading", "disconnected — waiting for the board…", "cannot connect" …
    QString stateText() const;
    static QString stateName(State state);
    bool isBusy() const { return m_activity != Activity::None; }
    // Ready, Failed or Closed with nothing running (automation waits for this).
    bool isSettled() const;

    SlotTableModel* slots() const { return m_slots; }
    const core::smp::ImageStateResponse& imageState() const { return m_imageState; }
    bool hasImageState() const { return m_hasImageState; }
    // Version of the active image ("1.2.3"), empty when unknown.
    QString runningVersion() const;
    // Progress of the running or last transfer (reset when an upload or upgrade starts).
    const std::optional<core::smp::Progress>& progress() const { return m_progress; }
    const QString& lastError() const { return m_lastError; }
    // Result line of the last finished command ("uploaded app.bin (1.2.4) in 3.1 s").
    const QString& lastResult() const { return m_lastResult; }
    // Raw link bytes over the life of the board (sessions' wireBytes).
    qint64 wireBytesSent() const { return m_wireSent; }
    qint64 wireBytesReceived() const { return m_wireReceived; }

    // Commands. false (with lastError set) when it cannot start now.
    void connectBoard();
    void disconnectBoard();
    bool refresh();
    // upload and upgrade refuse (lastError: the finding) an image that
    // core::smp::checkImageToSend() refuses, i.e. one `image inspect` calls INVALID.
    bool uploadFile(const QString& path);
    bool upload(const QByteArray& file, const QString& label);
    // Mark the image with `hash` for a test boot; empty: the image in the secondary slot.
    bool test(const QByteArray& hash = {});
    // Confirm the image with `hash`; empty: the running image.
    bool confirm(const QByteArray& hash = {});
    // Erase a slot; nullopt: the board's default (the secondary slot).
    bool erase(std::optional<int> slot = std::nullopt);
    bool reset();
    bool upgradeFile(const QString& path, core::smp::UpgradeMode mode);
    // Stops the running operation (its session finishes with "aborted").
    void cancel();

Q_SIGNALS:
    // State, activity, progress, slots, version or error changed.
    void changed();
    void logLine(otalab::app::BoardController::LogKind kind, const QString& text);
    // A user-visible command (not the follow-up state read) ended.
    void commandFinished(otalab::app::BoardController::Activity activity, bool ok, const QString& message);

private:
    enum class Link { Connecting, Up, Down, FailedToOpen, Closed };

    bool begin(Activity activity, std::unique_ptr<core::smp::ClientOperation> op, const QString& what);
    bool refuseIfBusy(const QString& what);
    void launch();
    void onSessionFinished(bool ok, const QString& message);
    void afterSuccess(Activity activity, core::smp::ClientOperation& op);
    void followUpRefresh();
    void awaitBoot();
    void onTransportState(core::transport::Transport::State state);
    void onTransportError(const QString& message);
    void scheduleReconnect(bool first);
    void reconnectAttempt();
    void setImageState(const core::smp::ImageStateResponse& state);
    void setError(const QString& message);
    std::optional<QByteArray> readFile(const QString& path, QString& label);
    void emitLog(LogKind kind, const QString& text);

    QPointer<core::transport::Transport> m_transport;
    QString m_spec;
    Options m_options;
    SlotTableModel* m_slots = nullptr;

    Link m_link = Link::Closed;
    bool m_everConnected = false;
    Activity m_activity = Activity::None;
    QString m_what;                                   // "uploading app.bin" for logs
    std::unique_ptr<core::smp::ClientOperation> m_pendingOp;   // waits for the link to open
    hw::SmpSession* m_session = nullptr;
    core::smp::ClientOperation* m_running = nullptr;  // the session's operation
    bool m_hasRequester = false;
    core::smp::Requester m_requester;                 // sequence numbers carried between operations
    qint64 m_startedMs = 0;
    QElapsedTimer m_clock;

    QTimer m_reconnect;
    int m_reconnectDelayMs = 0;
    QTimer m_bootWait;                                // reset → settle → ask again

    core::smp::ImageStateResponse m_imageState;
    bool m_hasImageState = false;
    std::optional<core::smp::Progress> m_progress;
    QString m_lastError;
    QString m_lastResult;
    QString m_lastTransportError;
    qint64 m_wireSent = 0;
    qint64 m_wireReceived = 0;
};

} // namespace otalab::app
