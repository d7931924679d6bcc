// SPDX-License-Identifier: Apache-2.0
// SmpFleetHost: push slots, connection set-up, attempts, outcomes and their reasons.
#include "sim/smp/smpfleethost.h"

#include "sim/kernel/simulator.h"

#include <algorithm>

namespace otalab::sim {

namespace {

QString seconds(SimTime t)
{
    const double s = t.toSeconds();
    return QString::number(s, 'f', s < 10 ? 1 : 0);
}

constexpr std::uint8_t kReleased = 1;
constexpr std::uint8_t kStopped = 2;

constexpr SimTime kSettlePoll = SimTime::fromSecondsInt(5);
constexpr SimTime kSettleLimit = SimTime::fromSecondsInt(600);

} // namespace

SmpFleetHost::SmpFleetHost(Simulator& sim, const SmpFleetConfig& config, const SmpFleetImages& images,
                           const core::mcuboot::FlashGeometry& geometry, std::vector<SmpFleetBoard>& boards, NodeId node,
                           SmpFleetHostListener& listener)
    : m_sim(sim),
      m_config(config),
      m_images(images),
      m_geometry(geometry),
      m_boards(boards),
      m_node(node),
      m_listener(listener),
      m_slots(std::max(1, config.concurrency()))
{
}

void SmpFleetHost::start()
{
    fillSlots();
}

void SmpFleetHost::holdForRollout()
{
    m_held = true;
    m_rollout.assign(m_boards.size(), 0);
}

void SmpFleetHost::release(std::size_t index)
{
    if (!m_held || index >= m_boards.size() || m_rollout[index] != 0)
        return;
    m_rollout[index] |= kReleased;
    m_released.push_back(index);
    fillSlots();
}

void SmpFleetHost::stop(std::size_t index)
{
    if (!m_held || index >= m_boards.size() || (m_rollout[index] & kStopped))
        return;
    m_rollout[index] |= kStopped;
    SmpFleetBoard& board = m_boards[index];
    if (board.state == SmpPushState::Queued || isFinalPhase(smpPushPhase(board.state)))
        return;   // never taken up (it never will be), or final already
    post(board, Abandon, SimTime::zero());   // not from inside the push's own call
}

QString SmpFleetHost::rolloutText(std::size_t index) const
{
    if (!m_held || index >= m_rollout.size())
        return {};
    if (m_rollout[index] & kStopped)
        return QStringLiteral("execution ended: never pushed again");
    return (m_rollout[index] & kReleased) ? QStringLiteral("notified: in the push queue")
                                          : QStringLiteral("queued: not pushed until the job notifies it");
}

void SmpFleetHost::onAbandon(SmpFleetBoard& board)
{
    if (board.state == SmpPushState::Queued || isFinalPhase(smpPushPhase(board.state)))
        return;
    const QString where = smpPushStateName(board.state);
    if (board.driver) {
        board.driver->abandon();
        if (board.attemptSince)
            board.talkTime += m_sim.now() - *board.attemptSince;
        board.attemptSince.reset();
        board.driver.reset();
        board.push.reset();
    }
    conclude(board, SmpPushState::Failed,
             QStringLiteral("job execution ended by the rollout (timed out or canceled): the host abandoned the push "
                            "while %1, at attempt %2, with %3 of %4 bytes acknowledged")
                     .arg(where)
                     .arg(board.attempts)
                     .arg(board.acknowledged)
                     .arg(m_images.pushed.size())
                 + boardFacts(board));
}

void SmpFleetHost::post(SmpFleetBoard& board, Kind kind, SimTime delay)
{
    m_sim.scheduleAfter(delay, *this, EventData{board.node, kind, board.index, std::uint64_t(board.attempts)});
}

void SmpFleetHost::setState(SmpFleetBoard& board, SmpPushState state)
{
    if (board.state == state)
        return;
    const SmpPushState from = board.state;
    board.state = state;
    board.stateSince = m_sim.now();
    m_sim.observers().notifyStateChange(
        StateChange{m_sim.now(), board.node, kSmpPushMachine, std::uint16_t(from), std::uint16_t(state)});
    m_listener.onBoardState(board.index, from, state);
}

void SmpFleetHost::crash(SimTime downFor, std::function<void(int restarted)> onRestart)
{
    if (m_down)
        return;
    m_down = true;
    m_onRestart = std::move(onRestart);
    m_interrupted.clear();
    for (SmpFleetBoard& board : m_boards) {
        if (board.state == SmpPushState::Queued || isFinalPhase(smpPushPhase(board.state)))
            continue;
        if (board.driver) {
            board.driver->abandon();
            if (board.attemptSince)
                board.talkTime += m_sim.now() - *board.attemptSince;
            board.attemptSince.reset();
            board.driver.reset();
            board.push.reset();
        }
        if (board.state != SmpPushState::RetryWait) {
            board.lastAttemptFailure = QStringLiteral("attempt %1 cut while %2: the host crashed")
                                           .arg(board.attempts)
                                           .arg(smpPushStateName(board.state));
            m_interrupted.push_back(board.index);
        }
        setState(board, SmpPushState::RetryWait);
    }
    m_sim.scheduleAfter(downFor, *this, EventData{m_node, HostUp, m_boards.size(), 0});
}

void SmpFleetHost::onHostUp()
{
    m_down = false;
    int restarted = 0;
    for (SmpFleetBoard& board : m_boards) {
        if (board.state != SmpPushState::RetryWait)
            continue;
        if (std::find(m_interrupted.begin(), m_interrupted.end(), board.index) != m_interrupted.end()) {
            board.attempts = std::max(0, board.attempts - 1);   // the crash is not the board's failed attempt
            ++restarted;
        }
        if (m_config.link == SmpFleetConfig::Link::Ble)
            connect(board);
        else
            beginAttempt(board);
    }
    m_interrupted.clear();
    if (m_onRestart)
        m_onRestart(restarted);
    fillSlots();
}

void SmpFleetHost::fillSlots()
{
    if (m_down)
        return;   // the host process is down: nothing is taken up until it restarts
    if (m_filling)
        return;   // a board concluded while being taken up: the loop below goes on
    m_filling = true;
    if (m_held) {
        while (m_active < m_slots && m_next < m_released.size()) {
            SmpFleetBoard& board = m_boards[m_released[m_next++]];
            if ((m_rollout[board.index] & kStopped) == 0 && board.state == SmpPushState::Queued)
                admit(board);
        }
    } else {
        while (m_active < m_slots && m_next < m_boards.size())
            admit(m_boards[m_next++]);
    }
    m_filling = false;
}

void SmpFleetHost::admit(SmpFleetBoard& board)
{
    ++m_active;
    m_maxActive = std::max(m_maxActive, m_active);
    board.admittedAt = m_sim.now();
    if (m_images.unfit) {
        conclude(board, SmpPushState::Refused,
                 QStringLiteral("the host did not send the image: %1").arg(*m_images.unfit));
        return;
    }
    if (auto made = board.materialize(m_sim, m_config, m_images, m_geometry); !made) {
        conclude(board, SmpPushState::Failed, made.error().message);
        return;
    }
    m_listener.onBoardMaterialized(board.index);
    if (m_config.link == SmpFleetConfig::Link::Ble)
        connect(board);
    else
        beginAttempt(board);
}

void SmpFleetHost::connect(SmpFleetBoard& board)
{
    setState(board, SmpPushState::Connecting);
    post(board, ConnectCheck, m_config.ble.connectTime);
}

void SmpFleetHost::onConnectCheck(SmpFleetBoard& board)
{
    if (board.state != SmpPushState::Connecting)
        return;
    const SimTime waited = m_sim.now() - board.stateSince;
    if (board.link()->isDevicePresent()) {
        board.connectWait += waited;
        beginAttempt(board);
        return;
    }
    if (waited >= m_config.host.resetWait) {
        board.connectWait += waited;
        ++board.attempts;
        attemptFailed(board,
                      QStringLiteral("the board did not advertise within %1 s (no power, or restarting)")
                          .arg(seconds(waited)));
        return;
    }
    post(board, ConnectCheck, m_config.ble.connectTime);   // scan again
}

void SmpFleetHost::beginAttempt(SmpFleetBoard& board)
{
    ++board.attempts;
    board.resetAt.reset();
    board.answeredAt.reset();
    const std::int64_t patienceMs = m_config.host.resetWait.nanos() / 1'000'000;
    core::smp::UpgradeOptions options;
    options.mode = core::smp::UpgradeMode::TestAndConfirm;
    options.upload.maxPacketBytes = board.link()->maxPacketSize();
    options.upload.linkPatienceMs = patienceMs;
    options.bootPatienceMs = patienceMs;
    options.linkPatienceMs = patienceMs;
    SmpHostOptions hostOptions;
    hostOptions.keepLog = false;
    hostOptions.reopenGiveUp = m_config.host.resetWait;
    SmpFleetPushListener& listener = *this;
    board.push = std::make_unique<SmpFleetPush>(imageFor(board), options, listener, board.index);
    board.driver = std::make_unique<SmpOperationHost>(m_sim, *board.link(), *board.push, hostOptions, board.node);
    board.attemptSince = m_sim.now();
    setState(board, SmpPushState::ReadingState);
    board.driver->start();
    if (board.driver->isFinished() && !board.push->isFinished())
        post(board, PushDone, SimTime::zero());   // the link did not open: no operation ran
}

void SmpFleetHost::onPushStep(std::size_t index, SmpPushState step)
{
    SmpFleetBoard& board = m_boards[index];
    if (step == SmpPushState::WaitingForBoot)
        board.resetAt = m_sim.now();
    if (step == SmpPushState::CheckingBoot && board.resetAt && !board.answeredAt)
        board.answeredAt = m_sim.now();
    setState(board, step);
}

void SmpFleetHost::onPushChunk(std::size_t index, qint64 offset, qint64 length)
{
    SmpFleetBoard& board = m_boards[index];
    ++board.chunks;
    if (offset < board.highestSent)
        ++board.resentChunks;
    board.highestSent = std::max(board.highestSent, offset + length);
    if (!board.uploadStartAt)
        board.uploadStartAt = m_sim.now();
    if (board.plan.powerCutAtBytes && !board.powerCutAt && offset >= *board.plan.powerCutAtBytes) {
        board.powerCutAt = m_sim.now();
        post(board, PowerCut, SimTime::zero());   // not from inside the operation's call
    }
}

void SmpFleetHost::onPushProgress(std::size_t index, qint64 bytes)
{
    SmpFleetBoard& board = m_boards[index];
    const bool stored = bytes != board.acknowledged;   // a chunk stored (a restarted upload counts from 0 again)
    board.acknowledged = bytes;
    if (bytes >= imageFor(board).size() && !board.uploadEndAt)
        board.uploadEndAt = m_sim.now();
    if (stored)
        m_listener.onBoardProgress(index, bytes);
}

void SmpFleetHost::onPushFinished(std::size_t index)
{
    post(m_boards[index], PushDone, SimTime::zero());   // the driver finishes after this call returns
}

void SmpFleetHost::onPushDone(SmpFleetBoard& board)
{
    if (!board.driver || !board.driver->isFinished())
        return;
    const std::optional<Error> failure = board.driver->failure();
    const core::smp::UpgradeOperation::Report report = board.push->upgrade().report();
    board.talkTime += m_sim.now() - *board.attemptSince;
    board.attemptSince.reset();
    board.driver.reset();
    board.push.reset();
    if (!failure) {
        board.acknowledged = std::max<qint64>(board.acknowledged, report.uploaded ? imageFor(board).size() : 0);
        conclude(board, SmpPushState::Upgraded, {});
        return;
    }
    const QString message = failure->toString();
    if (report.rolledBack) {
        conclude(board, SmpPushState::RolledBack, rollbackReason(board, message));
        return;
    }
    if (board.state == SmpPushState::Uploading && message.startsWith(QLatin1String("the board refused the image"))) {
        conclude(board, SmpPushState::Refused, message);
        return;
    }
    attemptFailed(board, message);
}

void SmpFleetHost::attemptFailed(SmpFleetBoard& board, const QString& reason)
{
    const QString where = smpPushStateName(board.state);
    if (board.attempts < m_config.host.uploadAttempts) {
        board.lastAttemptFailure = QStringLiteral("attempt %1 ended while %2: %3").arg(board.attempts).arg(where, reason);
        setState(board, SmpPushState::RetryWait);
        post(board, Retry, m_config.host.retryDelay);
        return;
    }
    QString text;
    if (board.attempts > 1)
        text = QStringLiteral("gave up after %1 attempts; the last one ended while %2: %3")
                   .arg(board.attempts)
                   .arg(where, reason);
    else
        text = QStringLiteral("while %1: %2").arg(where, reason);
    conclude(board, SmpPushState::Failed, text + boardFacts(board));
}

QString SmpFleetHost::boardFacts(const SmpFleetBoard& board) const
{
    if (!board.isMaterialized())
        return {};
    QStringList slots;
    for (const NamedValue& row : board.slotRows(m_images))
        slots << QStringLiteral("%1 %2").arg(row.name.toLower(), row.value);
    return QStringLiteral(" [the board then: runs %1; %2; %3 resets since the host took it up]")
        .arg(board.runningVersion(m_images), slots.join(QStringLiteral(", ")))
        .arg(board.device()->stats().resets);
}

QString SmpFleetHost::rollbackReason(const SmpFleetBoard& board, const QString& hostMessage) const
{
    const SmpSimDevice* device = board.device();
    const QString running = board.runningVersion(m_images);
    QString back;
    if (board.resetAt && board.answeredAt)
        back = QStringLiteral(", %1 s after the host reset it").arg(seconds(*board.answeredAt - *board.resetAt));
    const bool reverted = device && device->lastBoot() && device->lastBoot()->swapType == core::mcuboot::SwapType::Revert;
    if (device && device->faults() > 0) {
        return QStringLiteral("booted %1 for its test run, but the application faulted %2 ms after starting, before it "
                              "could be confirmed; the watchdog reset the board and MCUboot %3 %4 at that reset. The "
                              "board answered again on %4%5")
            .arg(m_images.pushedVersionText)
            .arg(m_config.boards.faultAfter.toMillis())
            .arg(reverted ? QStringLiteral("reverted to") : QStringLiteral("booted"), running, back);
    }
    return QStringLiteral("the board answered again on %1 instead of %2%3: %4")
        .arg(running, m_images.pushedVersionText, back, hostMessage);
}

void SmpFleetHost::conclude(SmpFleetBoard& board, SmpPushState state, const QString& reason)
{
    board.failureReason = reason;
    board.finishedAt = m_sim.now();
    setState(board, state);
    --m_active;
    post(board, Settle, SimTime::zero());
    fillSlots();
}

void SmpFleetHost::onSettle(SmpFleetBoard& board)
{
    if (!board.isMaterialized() || board.isRetired())
        return;
    const bool running = board.device()->isRunning();
    if (running || m_sim.now() - *board.finishedAt >= kSettleLimit) {
        board.retire(m_images);
        return;
    }
    post(board, Settle, kSettlePoll);   // still restarting (or off): keep its flash until it settles
}

void SmpFleetHost::handleEvent(Simulator&, const Event& event)
{
    if (event.data.kind == HostUp) {
        onHostUp();
        return;
    }
    if (event.data.arg0 >= m_boards.size())
        return;
    SmpFleetBoard& board = m_boards[event.data.arg0];
    switch (event.data.kind) {
    case ConnectCheck: onConnectCheck(board); return;
    case PushDone: onPushDone(board); return;
    case Retry:
        if (board.state != SmpPushState::RetryWait || m_down)
            return;   // (while the host is down: its restart takes the board up again)
        if (m_config.link == SmpFleetConfig::Link::Ble)
            connect(board);
        else
            beginAttempt(board);
        return;
    case PowerCut:
        if (board.isMaterialized() && !board.isRetired() && board.device()->isRunning())
            board.device()->powerCut(m_config.boards.powerOffTime);
        return;
    case Settle: onSettle(board); return;
    case Abandon: onAbandon(board); return;
    default: return;
    }
}

} // namespace otalab::sim
