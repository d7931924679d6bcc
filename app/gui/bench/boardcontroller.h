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
// A board that stops answering while the link stays open (powered off, hung, a serial
// adapter whose board was pulled) during an upload or upgrade is waited for, not given
// up on: the operation's own retries (a few seconds) end, then the board is asked
// every bootPollMs for up to boardPatienceMs (state Waiting, "board stopped answering —
// waiting for the board…", the ETA gone); when it answers the transfer starts again
// (the upload resumes where the board's upload state says, from 0 after a restart).
// Stop ends the wait. Giving up says why in words ("no response to 5 requests…").
//
// After each command the slots are read again (test and confirm answer with them), and
// again whenever the board may have changed them by itself: a boot seen on its console
// (MCUboot's lines, a revert) or the link coming back.
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

    enum class Activity { None, ReadState, Upload, Test, Confirm, Erase, Reset, AwaitBoot, Upgrade, AwaitBoard };
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
        int boardPatienceMs = 10 * 60 * 1000;        // a silent board during a transfer: how long to wait for it
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
    bool upgrade(const QByteArray& file, const QString& label, core::smp::UpgradeMode mode);
    // Stops the running operation (its session finishes with "aborted").
    void cancel();
    // Waiting for a board that stopped answering mid-transfer (see the class comment).
    bool isWaitingForBoard() const { return m_activity == Activity::AwaitBoard; }

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
    void waitForBoard();
    void retryTransfer();
    bool boardWentSilent() const;
    QString silenceText() const;
    void onDeviceText(const QString& line);
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
    bool m_userStopped = false;                       // cancel() during the running session

    // The transfer to start again when a silent board answers (upload or upgrade).
    Activity m_transfer = Activity::None;
    QByteArray m_transferFile;
    QString m_transferLabel;
    core::smp::UpgradeMode m_transferMode{};
    qint64 m_boardDeadlineMs = 0;                     // m_clock time the wait for a silent board ends
    qint64 m_silentSinceMs = 0;                       // when the board last answered before it went silent
    QString m_silentReason;                           // the transfer's own failure message
    // The exchange seen by the controller: when the board last answered, and requests since.
    qint64 m_lastAnswerMs = -1;
    int m_requestsSinceAnswer = 0;
    QElapsedTimer m_clock;

    QTimer m_reconnect;
    int m_reconnectDelayMs = 0;
    QTimer m_bootWait;                                // reset → settle → ask again
    QTimer m_bootSeen;                                // a boot on the console while idle → read the slots

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
