// SPDX-License-Identifier: Apache-2.0
// The MCUboot upgrade flow: a sequence of client operations with a reboot wait between.
#include "core/smp/client_upgrade.h"

#include "core/mcuboot/image_parser.h"

#include <algorithm>

namespace otalab::core::smp {

namespace {

// Zephyr's img_mgmt prints "major.minor.revision" and appends ".build" when it is not 0.
QString boardVersionText(const mcuboot::ImageVersion& v)
{
    QString text = QStringLiteral("%1.%2.%3").arg(v.major).arg(v.minor).arg(v.revision);
    if (v.build != 0)
        text += QStringLiteral(".%1").arg(v.build);
    return text;
}

QString seconds(std::int64_t ms)
{
    return QString::number(double(ms) / 1000.0, 'f', ms % 1000 == 0 ? 0 : 1);
}

void earliest(std::optional<std::int64_t>& into, std::optional<std::int64_t> candidate)
{
    if (candidate && (!into || *candidate < *into))
        into = candidate;
}

} // namespace

QString upgradeModeName(UpgradeMode mode)
{
    switch (mode) {
    case UpgradeMode::TestOnly: return QStringLiteral("test-only");
    case UpgradeMode::ConfirmOnly: return QStringLiteral("confirm-only");
    case UpgradeMode::TestAndConfirm: return QStringLiteral("test-and-confirm");
    }
    return {};
}

UpgradeOperation::UpgradeOperation(QByteArray file, UpgradeOptions options)
    : m_file(std::move(file)), m_options(std::move(options))
{
}

Result<UpgradeImageFacts> checkUpgradeImage(const QByteArray& file)
{
    auto image = mcuboot::parseImage(file);
    if (!image)
        return fail(QStringLiteral("the file is not an MCUboot image (%1): sign it with imgtool or `otalab-cli image "
                                   "sign` first; nothing was sent to the board")
                        .arg(image.error().toString()));
    const mcuboot::Tlv* sha = image->findAny(mcuboot::TlvSha256);
    if (!sha || sha->value.size() != 32)
        return fail(QStringLiteral("the image has no SHA256 TLV, so the board could not name it: sign it with imgtool "
                                   "first; nothing was sent to the board"));
    return UpgradeImageFacts{sha->value, boardVersionText(image->header.version)};
}

void UpgradeOperation::start(std::int64_t nowMs, OperationOutput& out)
{
    auto facts = checkUpgradeImage(m_file);
    if (!facts) {
        fail(facts.error().message, out);
        return;
    }
    m_report.imageHash = facts->hash;
    m_report.newVersion = facts->version;
    out.log.append(QStringLiteral("upgrade to %1 (%2), image hash %3")
                       .arg(m_report.newVersion, upgradeModeName(m_options.mode),
                            QString::fromLatin1(m_report.imageHash.toHex())));
    startStep(nowMs, Step::ReadState, out);
    schedule(out);
}

void UpgradeOperation::startStep(std::int64_t nowMs, Step step, OperationOutput& out)
{
    switch (step) {
    case Step::ReadState:
        phase(QStringLiteral("read state"), out);
        runStep(nowMs, step, CommandOperation::imageState(m_options.commandPolicy), out);
        return;
    case Step::Upload:
        runStep(nowMs, step, std::make_unique<UploadOperation>(m_file, m_options.upload), out);
        return;
    case Step::Mark:
        if (m_options.mode == UpgradeMode::ConfirmOnly) {
            phase(QStringLiteral("confirm"), out);
            runStep(nowMs, step, CommandOperation::imageConfirm(m_report.imageHash, m_options.commandPolicy), out);
        } else {
            phase(QStringLiteral("test"), out);
            runStep(nowMs, step, CommandOperation::imageTest(m_report.imageHash, m_options.commandPolicy), out);
        }
        return;
    case Step::Reset:
        phase(QStringLiteral("reset"), out);
        runStep(nowMs, step, CommandOperation::reset(false, m_options.resetPolicy), out);
        return;
    case Step::WaitBoard:
        runStep(nowMs, step,
                CommandOperation::echo(QStringLiteral("otalab"), RequestPolicy{int(m_options.pollIntervalMs), 0}), out);
        return;
    case Step::Verify:
        phase(QStringLiteral("check"), out);
        runStep(nowMs, step, CommandOperation::imageState(m_options.commandPolicy), out);
        return;
    case Step::Confirm:
        phase(QStringLiteral("confirm"), out);
        runStep(nowMs, step, CommandOperation::imageConfirm(std::nullopt, m_options.commandPolicy), out);
        return;
    case Step::None:
    case Step::Done:
        return;
    }
}

void UpgradeOperation::runStep(std::int64_t nowMs, Step step, std::unique_ptr<ClientOperation> op,
                               OperationOutput& out)
{
    m_step = step;
    m_op = std::move(op);
    m_op->requester().continueFrom(m_requester);
    out.wakeAtMs.reset();
    m_op->start(nowMs, out);
    m_stepWake = out.wakeAtMs;
    afterStep(nowMs, out);
}

void UpgradeOperation::afterStep(std::int64_t nowMs, OperationOutput& out)
{
    if (!m_op || !m_op->isFinished())
        return;
    m_requester.continueFrom(m_op->requester());
    std::unique_ptr<ClientOperation> finished = std::move(m_op);
    m_stepWake.reset();
    if (finished->failure())
        stepFailed(nowMs, *finished, out);
    else
        stepSucceeded(nowMs, *finished, out);
}

void UpgradeOperation::stepFailed(std::int64_t nowMs, const ClientOperation& op, OperationOutput& out)
{
    const Error& error = *op.failure();
    const auto* command = dynamic_cast<const CommandOperation*>(&op);
    switch (m_step) {
    case Step::Reset:
        if (command && command->deviceError()) {
            fail(error.message, out);
            return;
        }
        out.log.append(QStringLiteral("no answer to the reset; the board may have restarted before answering"));
        enterWaitBoard(nowMs, false, out);
        return;
    case Step::WaitBoard:
        if (command && command->deviceError()) {   // it answered, even if it refuses echo
            stepSucceeded(nowMs, op, out);
            return;
        }
        if (nowMs >= m_bootDeadlineMs) {
            fail(QStringLiteral("the board did not answer within %1 s after the reset: it may be stuck in the "
                                "bootloader or the new image does not start; power-cycle it and read its image state")
                     .arg(seconds(m_options.bootPatienceMs)),
                 out);
            return;
        }
        m_pollAtMs = nowMs;   // the echo already waited a poll interval
        return;
    case Step::Verify:
        fail(QStringLiteral("the board answers after the reset but its image state could not be read: %1")
                 .arg(error.message),
             out);
        return;
    default:
        fail(error.message, out);
        return;
    }
}

void UpgradeOperation::stepSucceeded(std::int64_t nowMs, const ClientOperation& op, OperationOutput& out)
{
    const auto* command = dynamic_cast<const CommandOperation*>(&op);
    switch (m_step) {
    case Step::ReadState:
        afterState(nowMs, *command->result().imageState, out);
        return;
    case Step::Upload:
        m_report.uploaded = true;
        startStep(nowMs, Step::Mark, out);
        return;
    case Step::Mark: {
        const auto& state = command->result().imageState;
        const ImageSlotState* mine = state ? find(*state, m_report.imageHash) : nullptr;
        if (!mine || !(mine->pending || mine->confirmed || mine->permanent))
            out.log.append(QStringLiteral("note: the board's answer does not list %1 as pending").arg(m_report.newVersion));
        else
            out.log.append(m_options.mode == UpgradeMode::ConfirmOnly
                               ? QStringLiteral("%1 marked permanent: it is swapped in at the next reset").arg(mine->version)
                               : QStringLiteral("%1 marked for a test boot at the next reset").arg(mine->version));
        startStep(nowMs, Step::Reset, out);
        return;
    }
    case Step::Reset:
        if (command->result().resetWithoutAnswer) {
            enterWaitBoard(nowMs, true, out);
        } else {
            out.reopenLink = true;
            enterWaitBoard(nowMs, false, out);
        }
        return;
    case Step::WaitBoard:
        out.log.append(QStringLiteral("the board answers again, %1 s after the reset").arg(seconds(nowMs - m_resetAtMs)));
        m_pollAtMs.reset();
        startStep(nowMs, Step::Verify, out);
        return;
    case Step::Verify:
        afterReboot(nowMs, *command->result().imageState, out);
        return;
    case Step::Confirm: {
        const auto& state = command->result().imageState;
        const ImageSlotState* mine = state ? find(*state, m_report.imageHash) : nullptr;
        if (!mine || !mine->confirmed) {
            fail(QStringLiteral("the board did not confirm %1 (its answer does not list it as confirmed): read the "
                                "image state; MCUboot reverts an unconfirmed image at the next reset")
                     .arg(m_report.newVersion),
                 out);
            return;
        }
        m_report.confirmed = true;
        m_report.runningVersion = mine->version;
        succeed(QStringLiteral("the board runs %1, confirmed").arg(mine->version), out);
        return;
    }
    case Step::None:
    case Step::Done:
        return;
    }
}

void UpgradeOperation::afterState(std::int64_t nowMs, const ImageStateResponse& state, OperationOutput& out)
{
    for (const QString& line : describeImageState(state))
        out.log.append(line);
    const ImageSlotState* running = active(state);
    m_report.previousVersion = running ? running->version : QString();
    const ImageSlotState* mine = find(state, m_report.imageHash);
    if (mine && mine->active) {
        m_report.runningVersion = mine->version;
        m_report.confirmed = mine->confirmed;
        if (mine->confirmed || m_options.mode == UpgradeMode::TestOnly) {
            succeed(QStringLiteral("the board already runs %1 (%2): nothing to do")
                        .arg(mine->version, mine->confirmed ? QStringLiteral("confirmed") : QStringLiteral("in test")),
                    out);
            return;
        }
        out.log.append(QStringLiteral("the board already runs %1 in test mode: confirming it").arg(mine->version));
        startStep(nowMs, Step::Confirm, out);
        return;
    }
    if (mine && m_options.skipUploadIfPresent) {
        out.log.append(QStringLiteral("slot %1 already holds %2 (same hash): skipping the upload")
                           .arg(mine->slot)
                           .arg(mine->version));
        startStep(nowMs, Step::Mark, out);
        return;
    }
    startStep(nowMs, Step::Upload, out);
}

void UpgradeOperation::afterReboot(std::int64_t nowMs, const ImageStateResponse& state, OperationOutput& out)
{
    for (const QString& line : describeImageState(state))
        out.log.append(line);
    const ImageSlotState* running = active(state);
    const ImageSlotState* mine = find(state, m_report.imageHash);
    m_report.runningVersion = running ? running->version : QString();
    if (mine && mine->active) {
        m_report.confirmed = mine->confirmed;
        switch (m_options.mode) {
        case UpgradeMode::TestOnly:
            succeed(QStringLiteral("%1 is running in test mode: MCUboot reverts to %2 at the next reset unless it is "
                                   "confirmed")
                        .arg(m_report.newVersion,
                             m_report.previousVersion.isEmpty() ? QStringLiteral("the previous image")
                                                                : m_report.previousVersion),
                    out);
            return;
        case UpgradeMode::ConfirmOnly:
            succeed(QStringLiteral("the board runs %1%2")
                        .arg(m_report.newVersion,
                             mine->confirmed ? QStringLiteral(", confirmed") : QStringLiteral(" (not listed as confirmed)")),
                    out);
            return;
        case UpgradeMode::TestAndConfirm:
            startStep(nowMs, Step::Confirm, out);
            return;
        }
    }
    if (mine && mine->pending) {
        if (nowMs < m_bootDeadlineMs) {
            out.log.append(QStringLiteral("the board has not restarted yet (%1 is still pending); waiting")
                               .arg(m_report.newVersion));
            m_step = Step::WaitBoard;
            m_pollAtMs = nowMs + m_options.pollIntervalMs;
            return;
        }
        fail(QStringLiteral("the board did not restart: %1 is still pending after %2 s; reset it by hand (power "
                            "cycle) and read its image state")
                 .arg(m_report.newVersion, seconds(nowMs - m_resetAtMs)),
             out);
        return;
    }
    m_report.rolledBack = true;
    const QString runningText = m_report.runningVersion.isEmpty() ? QStringLiteral("its previous image")
                                                                  : m_report.runningVersion;
    fail(QStringLiteral("the board reverted to %1: the new image %2 did not boot (MCUboot kept or restored the "
                        "previous image); check that it is signed with the key the bootloader expects and built for "
                        "this board and slot layout")
             .arg(runningText, m_report.newVersion),
         out);
}

void UpgradeOperation::enterWaitBoard(std::int64_t nowMs, bool linkDropped, OperationOutput& out)
{
    m_step = Step::WaitBoard;
    m_resetAtMs = nowMs;
    m_bootDeadlineMs = nowMs + m_options.bootPatienceMs;
    m_sawLinkDrop = linkDropped;
    if (linkDropped)
        m_linkUp = false;
    m_pollAtMs.reset();
    if (m_linkUp)
        m_pollAtMs = nowMs + m_options.resetSettleMs;
    phase(QStringLiteral("waiting for the board"), out);
    out.log.append(QStringLiteral("waiting up to %1 s for the board to restart").arg(seconds(m_options.bootPatienceMs)));
}

void UpgradeOperation::poll(std::int64_t nowMs, OperationOutput& out)
{
    m_pollAtMs.reset();
    if (!m_linkUp)
        return;
    startStep(nowMs, Step::WaitBoard, out);
}

void UpgradeOperation::onPacket(std::int64_t nowMs, QByteArrayView packet, OperationOutput& out)
{
    if (isFinished()) {
        out.wakeAtMs.reset();
        return;
    }
    if (m_op) {
        out.wakeAtMs.reset();
        m_op->onPacket(nowMs, packet, out);
        m_stepWake = out.wakeAtMs;
        afterStep(nowMs, out);
    } else {
        out.log.append(QStringLiteral("ignored a packet from the board (%1 bytes): no request is pending")
                           .arg(packet.size()));
    }
    schedule(out);
}

void UpgradeOperation::onTimer(std::int64_t nowMs, OperationOutput& out)
{
    if (isFinished()) {
        out.wakeAtMs.reset();
        return;
    }
    if (m_op) {
        out.wakeAtMs.reset();
        m_op->onTimer(nowMs, out);
        m_stepWake = out.wakeAtMs;
        afterStep(nowMs, out);
    }
    if (!isFinished() && m_linkDeadlineMs && nowMs >= *m_linkDeadlineMs) {
        fail(QStringLiteral("the link did not come back within %1 s: reconnect and run the upgrade again (the "
                            "upload resumes where it stopped)")
                 .arg(seconds(m_options.linkPatienceMs)),
             out);
        return;
    }
    if (!isFinished() && m_step == Step::WaitBoard && !m_op) {
        if (nowMs >= m_bootDeadlineMs) {
            fail(QStringLiteral("the board did not answer within %1 s after the reset: it may be stuck in the "
                                "bootloader or the new image does not start; power-cycle it and read its image state")
                     .arg(seconds(m_options.bootPatienceMs)),
                 out);
            return;
        }
        if (m_pollAtMs && nowMs >= *m_pollAtMs)
            poll(nowMs, out);
    }
    schedule(out);
}

void UpgradeOperation::onLinkDown(std::int64_t nowMs, OperationOutput& out)
{
    if (isFinished()) {
        out.wakeAtMs.reset();
        return;
    }
    m_linkUp = false;
    switch (m_step) {
    case Step::Upload:
    case Step::Reset:
        out.wakeAtMs.reset();
        m_op->onLinkDown(nowMs, out);
        m_stepWake = out.wakeAtMs;
        afterStep(nowMs, out);
        break;
    case Step::WaitBoard:
    case Step::Verify:
        if (m_op) {
            m_requester.continueFrom(m_op->requester());
            m_op.reset();
            m_stepWake.reset();
        }
        m_step = Step::WaitBoard;
        m_pollAtMs.reset();
        if (!m_sawLinkDrop)
            out.log.append(QStringLiteral("the link dropped: the board is restarting"));
        m_sawLinkDrop = true;
        break;
    case Step::ReadState:
    case Step::Mark:
    case Step::Confirm:
        if (m_op) {
            m_requester.continueFrom(m_op->requester());
            m_op.reset();
            m_stepWake.reset();
        }
        m_linkDeadlineMs = nowMs + m_options.linkPatienceMs;
        out.log.append(QStringLiteral("the link went down; waiting up to %1 s for it to come back")
                           .arg(seconds(m_options.linkPatienceMs)));
        break;
    case Step::None:
    case Step::Done:
        break;
    }
    schedule(out);
}

void UpgradeOperation::onLinkUp(std::int64_t nowMs, OperationOutput& out)
{
    if (isFinished()) {
        out.wakeAtMs.reset();
        return;
    }
    m_linkUp = true;
    if (m_step == Step::Upload && m_op) {
        out.wakeAtMs.reset();
        m_op->onLinkUp(nowMs, out);
        m_stepWake = out.wakeAtMs;
        afterStep(nowMs, out);
    } else if (m_step == Step::WaitBoard && !m_op) {
        out.log.append(QStringLiteral("the link is back"));
        poll(nowMs, out);
    } else if (m_linkDeadlineMs && !m_op) {
        m_linkDeadlineMs.reset();
        out.log.append(QStringLiteral("the link is back; repeating the last step"));
        startStep(nowMs, m_step, out);
    }
    schedule(out);
}

void UpgradeOperation::cancel(std::int64_t nowMs, OperationOutput& out)
{
    if (isFinished())
        return;
    if (m_op)
        m_op->cancel(nowMs, out);
    fail(QStringLiteral("aborted"), out);
}

void UpgradeOperation::succeed(const QString& message, OperationOutput& out)
{
    out.log.append(message);
    m_op.reset();
    m_stepWake.reset();
    m_step = Step::Done;
    phase(QStringLiteral("done"), out);
    out.wakeAtMs.reset();
    finish();
}

void UpgradeOperation::fail(const QString& message, OperationOutput& out)
{
    m_op.reset();
    m_stepWake.reset();
    m_step = Step::Done;
    out.wakeAtMs.reset();
    finishWith(Error::plain(message));
}

void UpgradeOperation::phase(const QString& name, OperationOutput& out)
{
    Progress p;
    p.phase = name;
    p.total = m_file.size();
    p.done = m_report.uploaded ? m_file.size() : 0;
    out.progress.append(p);
}

void UpgradeOperation::schedule(OperationOutput& out)
{
    if (isFinished()) {
        out.wakeAtMs.reset();
        return;
    }
    std::optional<std::int64_t> wake;
    if (m_op)
        earliest(wake, m_stepWake);
    earliest(wake, m_linkDeadlineMs);
    if (m_step == Step::WaitBoard) {
        earliest(wake, m_pollAtMs);
        earliest(wake, m_bootDeadlineMs);
    }
    out.wakeAtMs = wake;
}

const ImageSlotState* UpgradeOperation::find(const ImageStateResponse& state, const QByteArray& hash) const
{
    for (const ImageSlotState& s : state.images)
        if (s.image == m_options.upload.image && s.hash == hash)
            return &s;
    return nullptr;
}

const ImageSlotState* UpgradeOperation::active(const ImageStateResponse& state) const
{
    for (const ImageSlotState& s : state.images)
        if (s.image == m_options.upload.image && s.active)
            return &s;
    return nullptr;
}

} // namespace otalab::core::smp
