// SPDX-License-Identifier: Apache-2.0
// BoardController: one board on the Bench, without widgets.
#include "boardcontroller.h"

#include "benchformat.h"
#include "core/mcuboot/image_parser.h"
#include "core/smp/client_command.h"
#include "core/smp/client_upload.h"
#include "core/smp/image_send_check.h"
#include "slottablemodel.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace otalab::app {

using core::smp::ClientOperation;
using core::smp::CommandOperation;
using core::transport::Transport;

namespace {

// The first state read: a board that does not answer within a few seconds is reported
// rather than waited for (the user can press Reconnect).
const core::smp::RequestPolicy kFirstContact{2000, 2};

QString kib(qint64 bytes)
{
    return bytes < 1024 ? QStringLiteral("%1 bytes").arg(bytes)
                        : QStringLiteral("%1 KiB").arg(double(bytes) / 1024, 0, 'f', 1);
}

QString seconds(qint64 ms)
{
    return QStringLiteral("%1 s").arg(double(ms) / 1000, 0, 'f', 1);
}

// "4.4 s", "3 min 20 s", "10 min"
QString durationText(qint64 ms)
{
    if (ms < 60'000)
        return seconds(ms);
    const qint64 s = (ms + 500) / 1000;
    return s % 60 == 0 ? QStringLiteral("%1 min").arg(s / 60) : QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
}

} // namespace

BoardController::BoardController(Transport* transport, QString spec, Options options, QObject* parent)
    : QObject(parent), m_transport(transport), m_spec(std::move(spec)), m_options(options)
{
    m_clock.start();
    m_slots = new SlotTableModel(this);
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &BoardController::reconnectAttempt);
    m_bootSeen.setSingleShot(true);
    connect(&m_bootSeen, &QTimer::timeout, this, [this] {
        if (m_activity == Activity::None && m_link == Link::Up && !m_session) {
            emitLog(LogKind::Info, tr("the board restarted by itself; reading its slots again"));
            refresh();
        }
    });
    m_bootWait.setSingleShot(true);
    connect(&m_bootWait, &QTimer::timeout, this, [this] {
        core::smp::RequestPolicy patient{m_options.bootPollMs,
                                         std::max(0, m_options.bootPatienceMs / std::max(1, m_options.bootPollMs) - 1)};
        auto op = CommandOperation::imageState(patient);
        if (m_hasRequester)
            op->requester().continueFrom(m_requester);
        m_pendingOp = std::move(op);
        if (m_transport && m_transport->state() == Transport::State::Open)
            launch();
        // else: the reconnect loop opens the link and launches it
    });
    if (!transport)
        return;
    transport->setParent(this);
    connect(transport, &Transport::stateChanged, this, &BoardController::onTransportState);
    connect(transport, &Transport::errorOccurred, this, &BoardController::onTransportError);
    connect(transport, &Transport::wireBytes, this, [this](qint64 sent, qint64 received) {
        m_wireSent += sent;
        m_wireReceived += received;
    });
    connect(transport, &Transport::logText, this, [this](const QString& text) {
        if (!m_session)   // a session forwards console text itself
            onDeviceText(text);
    });
}

BoardController::~BoardController()
{
    if (m_session) {
        m_session->disconnect(this);
        delete m_session;
    }
    if (m_transport) {
        m_transport->disconnect(this);
        delete m_transport.data();
    }
}

QString BoardController::name() const
{
    return m_transport ? m_transport->describe() : m_spec;
}

BoardController::State BoardController::state() const
{
    switch (m_link) {
    case Link::Closed: return State::Closed;
    case Link::FailedToOpen: return State::Failed;
    case Link::Down: return State::Waiting;
    case Link::Connecting: return State::Connecting;
    case Link::Up: break;
    }
    if (m_activity == Activity::AwaitBoard)
        return State::Waiting;   // the link is up but the board is silent
    return m_activity == Activity::None ? State::Ready : State::Busy;
}

QString BoardController::stateName(State state)
{
    switch (state) {
    case State::Connecting: return tr("connecting…");
    case State::Ready: return tr("ready");
    case State::Busy: return tr("busy");
    case State::Waiting: return tr("disconnected — waiting for the board…");
    case State::Failed: return tr("cannot connect");
    case State::Closed: return tr("disconnected");
    }
    return {};
}

QString BoardController::stateText() const
{
    const State s = state();
    if (m_activity == Activity::AwaitBoard && m_link == Link::Up)
        return tr("board stopped answering — waiting for the board…");
    if (s != State::Busy)
        return stateName(s);
    switch (m_activity) {
    case Activity::ReadState: return tr("reading the slots");
    case Activity::Upload: return tr("uploading");
    case Activity::Test: return tr("marking for test");
    case Activity::Confirm: return tr("confirming");
    case Activity::Erase: return tr("erasing");
    case Activity::Reset: return tr("resetting");
    case Activity::AwaitBoot: return tr("waiting for the board to restart");
    case Activity::Upgrade:
        return m_progress ? tr("upgrading: %1").arg(m_progress->phase) : tr("upgrading");
    case Activity::AwaitBoard:
    case Activity::None: break;
    }
    return stateName(s);
}

bool BoardController::isSettled() const
{
    const State s = state();
    return m_activity == Activity::None && (s == State::Ready || s == State::Failed || s == State::Closed);
}

QString BoardController::runningVersion() const
{
    for (const auto& image : m_imageState.images) {
        if (image.active)
            return image.version;
    }
    return {};
}

// --- commands -----------------------------------------------------------------------

void BoardController::connectBoard()
{
    if (!m_transport)
        return;
    if (m_link == Link::Down) {   // already trying: try now
        m_reconnect.stop();
        reconnectAttempt();
        return;
    }
    if (m_link == Link::Up || m_link == Link::Connecting || isBusy())
        return;
    m_link = Link::Connecting;
    m_everConnected = false;
    m_lastTransportError.clear();
    emitLog(LogKind::Info, tr("connecting to %1").arg(name()));
    begin(Activity::ReadState, CommandOperation::imageState(kFirstContact), {});
}

void BoardController::disconnectBoard()
{
    m_reconnect.stop();
    m_bootSeen.stop();
    m_bootWait.stop();
    m_pendingOp.reset();
    if (m_session) {
        m_session->disconnect(this);
        m_session->cancel();
        m_session->deleteLater();
        m_session = nullptr;
        m_running = nullptr;
    }
    m_activity = Activity::None;
    m_progress.reset();
    if (m_link != Link::Closed)
        emitLog(LogKind::Info, tr("disconnected from %1").arg(name()));
    m_link = Link::Closed;
    if (m_transport)
        m_transport->close();
    Q_EMIT changed();
}

bool BoardController::refresh()
{
    if (refuseIfBusy(tr("read the slots")))
        return false;
    return begin(Activity::ReadState, CommandOperation::imageState(m_options.commandPolicy), {});
}

std::optional<QByteArray> BoardController::readFile(const QString& path, QString& label)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(tr("cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return std::nullopt;
    }
    const QByteArray bytes = file.readAll();
    if (bytes.isEmpty()) {
        setError(tr("%1 is empty: choose an MCUboot image (.bin signed with imgtool)").arg(QFileInfo(path).fileName()));
        return std::nullopt;
    }
    label = QFileInfo(path).fileName();
    return bytes;
}

bool BoardController::uploadFile(const QString& path)
{
    if (refuseIfBusy(tr("upload")))
        return false;
    QString label;
    const auto bytes = readFile(path, label);
    return bytes && upload(*bytes, label);
}

bool BoardController::upload(const QByteArray& file, const QString& label)
{
    if (refuseIfBusy(tr("upload")))
        return false;
    // An image `image inspect` calls INVALID (or not an MCUboot image) is not sent.
    if (auto checked = core::smp::checkImageToSend(file); !checked) {
        setError(tr("not uploading %1: %2").arg(label, checked.error().message));
        return false;
    }
    QString what = tr("uploading %1").arg(label);
    if (const auto parsed = core::mcuboot::parseImage(file))
        what += QStringLiteral(" (%1, %2)").arg(parsed->header.version.toString(), kib(file.size()));
    core::smp::UploadOptions options;
    if (m_transport)
        options.maxPacketBytes = m_transport->maxPacketSize();
    options.window = m_options.uploadWindow;
    m_transfer = Activity::Upload;
    m_transferFile = file;
    m_transferLabel = label;
    return begin(Activity::Upload, std::make_unique<core::smp::UploadOperation>(file, options), what);
}

bool BoardController::test(const QByteArray& hash)
{
    if (refuseIfBusy(tr("test")))
        return false;
    QByteArray target = hash;
    if (target.isEmpty()) {
        for (const auto& image : m_imageState.images) {
            if (!image.active && !image.hash.isEmpty()) {
                target = image.hash;
                break;
            }
        }
    }
    if (target.isEmpty()) {
        setError(tr("there is no image to test: upload one to the secondary slot first"));
        return false;
    }
    return begin(Activity::Test, CommandOperation::imageTest(target, m_options.commandPolicy),
                 tr("marking %1 for a test boot").arg(shortHash(target)));
}

bool BoardController::confirm(const QByteArray& hash)
{
    if (refuseIfBusy(tr("confirm")))
        return false;
    std::optional<QByteArray> target;
    if (!hash.isEmpty())
        target = hash;
    return begin(Activity::Confirm, CommandOperation::imageConfirm(target, m_options.commandPolicy),
                 target ? tr("confirming %1").arg(shortHash(*target)) : tr("confirming the running image"));
}

bool BoardController::erase(std::optional<int> slot)
{
    if (refuseIfBusy(tr("erase")))
        return false;
    return begin(Activity::Erase, CommandOperation::imageErase(slot, m_options.commandPolicy),
                 slot ? tr("erasing slot %1").arg(*slot) : tr("erasing the secondary slot"));
}

bool BoardController::reset()
{
    if (refuseIfBusy(tr("reset")))
        return false;
    return begin(Activity::Reset, CommandOperation::reset(), tr("resetting the board"));
}

bool BoardController::upgradeFile(const QString& path, core::smp::UpgradeMode mode)
{
    if (refuseIfBusy(tr("upgrade")))
        return false;
    QString label;
    const auto bytes = readFile(path, label);
    if (!bytes)
        return false;
    return upgrade(*bytes, label, mode);
}

bool BoardController::upgrade(const QByteArray& file, const QString& label, core::smp::UpgradeMode mode)
{
    if (refuseIfBusy(tr("upgrade")))
        return false;
    if (auto checked = core::smp::checkImageToSend(file); !checked) {
        setError(tr("not upgrading with %1: %2").arg(label, checked.error().message));
        return false;
    }
    core::smp::UpgradeOptions options;
    options.mode = mode;
    options.commandPolicy = m_options.commandPolicy;
    options.upload.maxPacketBytes = m_transport ? m_transport->maxPacketSize() : options.upload.maxPacketBytes;
    options.upload.window = m_options.uploadWindow;
    options.bootPatienceMs = m_options.bootPatienceMs;
    options.resetSettleMs = m_options.resetSettleMs;
    options.pollIntervalMs = m_options.bootPollMs;
    m_transfer = Activity::Upgrade;
    m_transferFile = file;
    m_transferLabel = label;
    m_transferMode = mode;
    return begin(Activity::Upgrade, std::make_unique<core::smp::UpgradeOperation>(file, options),
                 tr("upgrading with %1 (%2)").arg(label, core::smp::upgradeModeName(mode)));
}

void BoardController::cancel()
{
    if (m_session) {
        m_userStopped = true;
        m_session->cancel();   // finished(false, "… aborted …") follows
        return;
    }
    if (m_activity == Activity::None)
        return;
    const Activity stopped = m_activity == Activity::AwaitBoot  ? Activity::Reset
                             : m_activity == Activity::AwaitBoard ? m_transfer
                                                                  : m_activity;
    m_bootWait.stop();
    m_pendingOp.reset();
    m_activity = Activity::None;
    m_progress.reset();
    setError(tr("stopped by the user"));
    Q_EMIT commandFinished(stopped, false, m_lastError);
}

// --- running operations ---------------------------------------------------------------

bool BoardController::refuseIfBusy(const QString& what)
{
    if (!m_transport) {
        setError(tr("cannot %1: the board has no connection").arg(what));
        return true;
    }
    if (m_link == Link::Closed || m_link == Link::FailedToOpen) {
        setError(tr("cannot %1: not connected; press Reconnect first").arg(what));
        return true;
    }
    if (m_activity != Activity::None) {
        setError(tr("cannot %1 now: the board is busy (%2); wait for it or press Stop").arg(what, stateText()));
        return true;
    }
    return false;
}

bool BoardController::begin(Activity activity, std::unique_ptr<ClientOperation> op, const QString& what)
{
    if (m_activity != Activity::None || !m_transport)
        return false;
    if (m_hasRequester)
        op->requester().continueFrom(m_requester);
    m_activity = activity;
    m_what = what;
    if (activity == Activity::Upload || activity == Activity::Upgrade)
        m_progress.reset();   // else the last transfer's figures stay on show
    m_lastError.clear();
    if (activity != Activity::ReadState)
        m_lastResult.clear();   // a state read keeps the last command's result on show
    m_startedMs = m_clock.elapsed();
    m_lastAnswerMs = m_startedMs;   // silence is counted from here
    m_requestsSinceAnswer = 0;
    m_pendingOp = std::move(op);
    if (!what.isEmpty())
        emitLog(LogKind::Info, what);
    switch (m_transport->state()) {
    case Transport::State::Open:
        launch();
        break;
    case Transport::State::Closed:
        if (m_link != Link::Down)   // the reconnect loop opens it otherwise
            m_transport->open();
        break;
    case Transport::State::Opening:
        break;
    }
    Q_EMIT changed();
    return true;
}

void BoardController::launch()
{
    if (!m_pendingOp || m_session)
        return;
    m_running = m_pendingOp.get();
    m_session = new hw::SmpSession(m_transport, std::move(m_pendingOp), m_options.session, this);
    connect(m_session, &hw::SmpSession::progress, this, [this](const core::smp::Progress& p) {
        if (m_activity == Activity::AwaitBoard)
            return;   // the stopped transfer's figures stay on show
        m_progress = p;
        Q_EMIT changed();
    });
    connect(m_session, &hw::SmpSession::log, this, [this](const QString& line) {
        if (line.startsWith(QStringLiteral("→ ")) || line.startsWith(QStringLiteral("← "))) {
            if (line.startsWith(QStringLiteral("← "))) {
                m_lastAnswerMs = m_clock.elapsed();
                m_requestsSinceAnswer = 0;
            } else {
                ++m_requestsSinceAnswer;
            }
            emitLog(LogKind::Exchange, line);
        } else if (line.startsWith(QStringLiteral("no answer to "))) {
            ++m_requestsSinceAnswer;   // the requester sent it again
            emitLog(LogKind::Info, line);
        } else if (line == m_lastTransportError || line.startsWith(QStringLiteral("lost ")))
            emitLog(LogKind::Error, line);
        else
            emitLog(LogKind::Info, line);
    });
    connect(m_session, &hw::SmpSession::deviceLog, this, [this](const QString& line) { onDeviceText(line); });
    connect(m_session, &hw::SmpSession::linkChanged, this, [this](bool up) {
        if (!up)
            m_link = Link::Down;
        else
            m_link = m_everConnected ? Link::Up : Link::Connecting;
        Q_EMIT changed();
    });
    connect(m_session, &hw::SmpSession::finished, this, &BoardController::onSessionFinished);
    m_session->start();
}

void BoardController::onSessionFinished(bool ok, const QString& message)
{
    hw::SmpSession* session = m_session;
    ClientOperation* op = m_running;
    m_session = nullptr;
    m_running = nullptr;
    m_requester.continueFrom(op->requester());
    m_hasRequester = true;
    const Activity activity = m_activity;
    m_activity = Activity::None;
    const bool userStopped = std::exchange(m_userStopped, false);
    bool waitAgain = false;
    if (ok) {
        afterSuccess(activity, *op);
    } else if ((activity == Activity::Upload || activity == Activity::Upgrade) && !userStopped && boardWentSilent()) {
        // Not the end of the transfer: wait for the board (class comment).
        m_silentReason = message;
        m_silentSinceMs = m_lastAnswerMs;
        m_boardDeadlineMs = m_clock.elapsed() + m_options.boardPatienceMs;
        emitLog(LogKind::Error, tr("board stopped answering: %1").arg(silenceText()));
        emitLog(LogKind::Info, tr("waiting for the board… (asking every %1 for up to %2; Stop gives up)")
                                   .arg(seconds(m_options.bootPollMs), durationText(m_options.boardPatienceMs)));
        waitAgain = true;
    } else if (activity == Activity::AwaitBoard) {
        const Activity transfer = m_transfer;
        if (m_progress && (userStopped || m_clock.elapsed() >= m_boardDeadlineMs))
            m_progress->phase = transfer == Activity::Upgrade ? tr("upgrade stopped") : tr("upload stopped");
        if (userStopped) {
            setError(tr("stopped by the user while waiting for the board (%1)").arg(silenceText()));
            Q_EMIT commandFinished(transfer, false, m_lastError);
        } else if (m_clock.elapsed() < m_boardDeadlineMs) {
            waitAgain = true;   // e.g. the link dropped and the session gave up on it: keep waiting
        } else {
            setError(tr("board stopped answering: %1; gave up after waiting %2 for it. Check its power and cable, "
                        "then start the %3 again")
                         .arg(silenceText(), durationText(m_options.boardPatienceMs),
                              transfer == Activity::Upgrade ? tr("upgrade") : tr("upload")));
            Q_EMIT commandFinished(transfer, false, m_lastError);
        }
    } else if (activity == Activity::ReadState && !m_everConnected) {
        // The first contact failed: report it instead of retrying behind the user's back.
        m_link = Link::FailedToOpen;
        m_transport->close();
        setError(tr("%1 does not answer: %2").arg(name(), message));
        Q_EMIT commandFinished(activity, false, m_lastError);
    } else {
        const Activity reported = activity == Activity::AwaitBoot ? Activity::Reset : activity;
        if (activity == Activity::AwaitBoot)
            setError(tr("the board did not answer after the reset: %1").arg(message));
        else
            setError(message);
        Q_EMIT commandFinished(reported, false, m_lastError);
    }
    session->disconnect(this);
    session->deleteLater();
    if (waitAgain)
        waitForBoard();
    if (m_activity == Activity::None && m_progress && m_progress->done < m_progress->total) {
        m_progress->bytesPerSecond = 0;   // a stopped transfer has no rate and no ETA
        m_progress->etaSeconds.reset();
    }
    // The link may have been lost with the operation: keep trying (a follow-up that did
    // not launch, the wait after a reset) until it is back.
    if (!m_session && m_transport && m_link != Link::Closed && m_link != Link::FailedToOpen) {
        const Transport::State link = m_transport->state();
        if (link == Transport::State::Closed) {
            if (m_link != Link::Down) {
                m_link = Link::Down;
                emitLog(LogKind::Error, stateName(State::Waiting));
            }
            scheduleReconnect(true);
        } else if (link == Transport::State::Open && m_link == Link::Down) {
            onTransportState(link);
        }
    }
    Q_EMIT changed();
}

void BoardController::afterSuccess(Activity activity, ClientOperation& op)
{
    const qint64 tookMs = m_clock.elapsed() - m_startedMs;
    switch (activity) {
    case Activity::ReadState:
    case Activity::AwaitBoot: {
        const auto& result = static_cast<CommandOperation&>(op).result();
        if (result.imageState)
            setImageState(*result.imageState);
        const bool first = !m_everConnected;
        m_everConnected = true;
        m_link = Link::Up;
        if (first)
            emitLog(LogKind::Info, tr("connected to %1; running %2").arg(name(), runningVersion().isEmpty()
                                                                                  ? tr("an unknown version")
                                                                                  : runningVersion()));
        if (activity == Activity::AwaitBoot) {
            m_lastResult = tr("the board is back after %1, running %2").arg(seconds(tookMs), runningVersion());
            emitLog(LogKind::Info, m_lastResult);
            Q_EMIT commandFinished(Activity::Reset, true, m_lastResult);
        } else {
            Q_EMIT commandFinished(activity, true, {});
        }
        return;
    }
    case Activity::Upload: {
        const auto& upload = static_cast<core::smp::UploadOperation&>(op);
        const double rate = tookMs > 0 ? double(upload.acknowledged()) * 1000 / double(tookMs) : 0;
        m_lastResult = tr("%1: done in %2 (%3)").arg(m_what, seconds(tookMs), rateText(rate));
        emitLog(LogKind::Info, m_lastResult);
        Q_EMIT commandFinished(activity, true, m_lastResult);
        followUpRefresh();
        return;
    }
    case Activity::Test:
    case Activity::Confirm: {
        const auto& result = static_cast<CommandOperation&>(op).result();
        if (result.imageState)
            setImageState(*result.imageState);
        m_lastResult = activity == Activity::Test ? tr("marked for a test boot: it runs once after the next reset")
                                                  : tr("confirmed: the image stays after resets");
        emitLog(LogKind::Info, m_lastResult);
        Q_EMIT commandFinished(activity, true, m_lastResult);
        if (!result.imageState)
            followUpRefresh();
        return;
    }
    case Activity::Erase:
        m_lastResult = tr("erased");
        emitLog(LogKind::Info, m_lastResult);
        Q_EMIT commandFinished(activity, true, m_lastResult);
        followUpRefresh();
        return;
    case Activity::Reset:
        awaitBoot();
        return;
    case Activity::AwaitBoard: {
        const auto& result = static_cast<CommandOperation&>(op).result();
        if (result.imageState)
            setImageState(*result.imageState);
        emitLog(LogKind::Info, tr("the board answers again after %1 of silence; starting the %2 again")
                                   .arg(durationText(m_clock.elapsed() - m_silentSinceMs),
                                        m_transfer == Activity::Upgrade ? tr("upgrade") : tr("upload")));
        retryTransfer();
        return;
    }
    case Activity::Upgrade: {
        const auto& report = static_cast<core::smp::UpgradeOperation&>(op).report();
        m_lastResult = report.rolledBack
            ? tr("the board rolled back to %1").arg(report.runningVersion)
            : tr("upgraded to %1 in %2%3").arg(report.newVersion, seconds(tookMs),
                                                report.confirmed ? tr(", confirmed") : tr(", test boot (not confirmed)"));
        emitLog(report.rolledBack ? LogKind::Error : LogKind::Info, m_lastResult);
        Q_EMIT commandFinished(activity, true, m_lastResult);
        followUpRefresh();
        return;
    }
    case Activity::None:
        return;
    }
}

void BoardController::followUpRefresh()
{
    if (m_activity == Activity::None && m_link == Link::Up)
        refresh();
}

bool BoardController::boardWentSilent() const
{
    // The transfer's last requests went unanswered (its retries are spent), or the link
    // itself is gone; an answer with an error (a refusal) is not silence.
    if (!m_transport || m_link == Link::Closed || m_link == Link::FailedToOpen)
        return false;
    if (m_transport->state() != Transport::State::Open)
        return true;
    return m_requestsSinceAnswer >= 3;
}

QString BoardController::silenceText() const
{
    const QString since = durationText(std::max<qint64>(0, m_clock.elapsed() - m_silentSinceMs));
    QString link;
    if (m_transport && m_transport->state() == Transport::State::Open)
        link = tr("the link is still open, so the board is off, hung or restarting");
    else
        link = m_lastTransportError.isEmpty() ? tr("the link is down") : tr("the link is down: %1").arg(m_lastTransportError);
    return tr("no response to %n request(s) over %1 (%2)", nullptr, std::max(1, m_requestsSinceAnswer)).arg(since, link);
}

void BoardController::waitForBoard()
{
    const int poll = std::max(1, m_options.bootPollMs);
    const qint64 left = std::max<qint64>(poll, m_boardDeadlineMs - m_clock.elapsed());
    auto op = CommandOperation::imageState(core::smp::RequestPolicy{poll, int(std::max<qint64>(0, left / poll - 1))});
    if (m_hasRequester)
        op->requester().continueFrom(m_requester);
    m_activity = Activity::AwaitBoard;
    m_what = tr("waiting for the board");
    m_pendingOp = std::move(op);
    if (m_progress) {   // the stopped transfer stays on show, without a rate or an ETA
        m_progress->phase = tr("waiting for the board");
        m_progress->bytesPerSecond = 0;
        m_progress->etaSeconds.reset();
    }
    if (m_transport && m_transport->state() == Transport::State::Open)
        launch();
    else if (m_transport && m_transport->state() == Transport::State::Closed && m_link != Link::Down)
        m_transport->open();
    // else: the reconnect loop opens the link and launches it
    Q_EMIT changed();
}

void BoardController::retryTransfer()
{
    const QByteArray file = m_transferFile;
    const QString label = m_transferLabel;
    const bool started = m_transfer == Activity::Upgrade ? upgrade(file, label, m_transferMode) : upload(file, label);
    if (!started)
        Q_EMIT commandFinished(m_transfer, false, m_lastError);
}

void BoardController::onDeviceText(const QString& line)
{
    emitLog(LogKind::Device, line);
    // The board booted on its own (its reset button, a watchdog, a revert): what it reports
    // may have changed, so read it again once it has started.
    static const QStringList bootMarks{QStringLiteral("*** Booting"), QStringLiteral("Starting bootloader"),
                                       QStringLiteral("mcuboot: Jumping"), QStringLiteral("Swap type:")};
    if (m_session || m_activity != Activity::None || m_link != Link::Up)
        return;
    for (const QString& mark : bootMarks)
        if (line.contains(mark)) {
            m_bootSeen.start(m_options.resetSettleMs);
            return;
        }
}

void BoardController::awaitBoot()
{
    m_activity = Activity::AwaitBoot;
    m_what = tr("waiting for the board to restart");
    m_startedMs = m_clock.elapsed();
    emitLog(LogKind::Info, tr("the board is restarting; asking again in %1").arg(seconds(m_options.resetSettleMs)));
    m_bootWait.start(m_options.resetSettleMs);
    Q_EMIT changed();
}

// --- the link while idle ------------------------------------------------------------------

void BoardController::onTransportState(Transport::State state)
{
    if (m_session)
        return;   // the session handles the link while it runs
    switch (state) {
    case Transport::State::Opening:
        return;
    case Transport::State::Open:
        m_reconnect.stop();
        if (m_link == Link::Down) {
            m_link = m_everConnected ? Link::Up : Link::Connecting;
            emitLog(LogKind::Info, tr("%1 is back").arg(name()));
        }
        if (m_pendingOp)
            launch();
        else if (m_activity == Activity::None && m_everConnected)
            refresh();
        Q_EMIT changed();
        return;
    case Transport::State::Closed:
        break;
    }
    if (m_link == Link::Closed || m_link == Link::FailedToOpen)
        return;
    if (!m_everConnected) {
        m_pendingOp.reset();
        const Activity activity = m_activity;
        m_activity = Activity::None;
        m_link = Link::FailedToOpen;
        setError(m_lastTransportError.isEmpty() ? tr("cannot open %1").arg(name()) : m_lastTransportError);
        Q_EMIT commandFinished(activity, false, m_lastError);
        Q_EMIT changed();
        return;
    }
    if (m_link != Link::Down) {
        m_link = Link::Down;
        emitLog(LogKind::Error, stateName(State::Waiting));
        scheduleReconnect(true);
    } else {
        scheduleReconnect(false);
    }
    Q_EMIT changed();
}

void BoardController::onTransportError(const QString& message)
{
    const bool repeated = message == m_lastTransportError;
    m_lastTransportError = message;
    if (m_session)
        return;   // the session logs it (as Error, see launch())
    if (m_link == Link::Down && repeated)
        return;   // failed reopen attempts are expected, not news
    emitLog(LogKind::Error, message);
}

void BoardController::scheduleReconnect(bool first)
{
    m_reconnectDelayMs = first ? m_options.reconnectFirstDelayMs
                               : std::min(m_reconnectDelayMs * 2, m_options.reconnectMaxDelayMs);
    m_reconnect.start(m_reconnectDelayMs);
}

void BoardController::reconnectAttempt()
{
    if (!m_transport || m_session || m_link != Link::Down)
        return;
    if (m_transport->state() == Transport::State::Closed)
        m_transport->open();
    else if (m_transport->state() == Transport::State::Open)
        onTransportState(Transport::State::Open);
}

// --- state --------------------------------------------------------------------------

void BoardController::setImageState(const core::smp::ImageStateResponse& state)
{
    m_imageState = state;
    m_hasImageState = true;
    m_slots->setState(state);
    Q_EMIT changed();
}

void BoardController::setError(const QString& message)
{
    m_lastError = message;
    emitLog(LogKind::Error, message);
    Q_EMIT changed();
}

void BoardController::emitLog(LogKind kind, const QString& text)
{
    Q_EMIT logLine(kind, text);
}

} // namespace otalab::app
