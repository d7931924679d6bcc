// SPDX-License-Identifier: Apache-2.0
// One-shot SMP client operations.
#include "core/smp/client_command.h"

#include "core/smp/smp_groups.h"
#include "core/smp/smp_refusal.h"

namespace otalab::core::smp {

CommandOperation::CommandOperation(CommandKind kind, Request request, RequestPolicy policy)
    : m_kind(kind), m_request(std::move(request)), m_policy(policy)
{
}

std::unique_ptr<CommandOperation> CommandOperation::echo(const QString& text, RequestPolicy policy)
{
    return std::make_unique<CommandOperation>(CommandKind::Echo, echoRequest(text), policy);
}

std::unique_ptr<CommandOperation> CommandOperation::reset(bool force, RequestPolicy policy)
{
    return std::make_unique<CommandOperation>(CommandKind::Reset, resetRequest(force), policy);
}

std::unique_ptr<CommandOperation> CommandOperation::params(RequestPolicy policy)
{
    return std::make_unique<CommandOperation>(CommandKind::Params, paramsRequest(), policy);
}

std::unique_ptr<CommandOperation> CommandOperation::osInfo(const QString& format, RequestPolicy policy)
{
    return std::make_unique<CommandOperation>(CommandKind::OsInfo, osInfoRequest(format), policy);
}

std::unique_ptr<CommandOperation> CommandOperation::imageState(RequestPolicy policy)
{
    return std::make_unique<CommandOperation>(CommandKind::ImageState, imageStateReadRequest(), policy);
}

std::unique_ptr<CommandOperation> CommandOperation::imageTest(const QByteArray& hash, RequestPolicy policy)
{
    return std::make_unique<CommandOperation>(CommandKind::ImageTest, imageTestRequest(hash), policy);
}

std::unique_ptr<CommandOperation> CommandOperation::imageConfirm(const std::optional<QByteArray>& hash,
                                                                 RequestPolicy policy)
{
    return std::make_unique<CommandOperation>(CommandKind::ImageConfirm, imageConfirmRequest(hash), policy);
}

std::unique_ptr<CommandOperation> CommandOperation::imageErase(std::optional<int> slot, RequestPolicy policy)
{
    return std::make_unique<CommandOperation>(CommandKind::ImageErase, imageEraseRequest(slot), policy);
}

std::unique_ptr<CommandOperation> CommandOperation::slotInfo(RequestPolicy policy)
{
    return std::make_unique<CommandOperation>(CommandKind::SlotInfo, slotInfoRequest(), policy);
}

QString CommandOperation::name() const
{
    // image test and confirm share the state write command: name what the user asked for.
    if (m_kind == CommandKind::ImageTest)
        return QStringLiteral("image test");
    if (m_kind == CommandKind::ImageConfirm)
        return QStringLiteral("image confirm");
    return commandName(m_request.group, m_request.command);
}

void CommandOperation::start(std::int64_t nowMs, OperationOutput& out)
{
    if (refuseIfTooLarge(out))
        return;
    if (m_kind != CommandKind::Params && m_requester.packetSize(m_request) > kRequestBytesAlwaysSent) {
        out.log.append(QStringLiteral("the %1 request is %2 bytes: asking the board for its buffer size first")
                           .arg(name())
                           .arg(m_requester.packetSize(m_request)));
        m_paramsSequence = m_requester.send(nowMs, paramsRequest(), m_policy, out);
        out.wakeAtMs = m_requester.nextDeadline();
        return;
    }
    sendRequest(nowMs, out);
}

void CommandOperation::sendRequest(std::int64_t nowMs, OperationOutput& out)
{
    m_sequence = m_requester.send(nowMs, m_request, m_policy, out);
    out.wakeAtMs = m_requester.nextDeadline();
}

bool CommandOperation::refuseIfTooLarge(OperationOutput& out)
{
    auto refusal = m_requester.checkSize(m_request, name());
    if (!refusal)
        return false;
    m_requestTooLarge = true;
    m_requester.forgetAll();
    out.wakeAtMs = std::nullopt;
    finishWith(std::move(*refusal));
    return true;
}

void CommandOperation::onBoardBuffers(std::int64_t nowMs, const Reply& reply, OperationOutput& out)
{
    m_paramsSequence.reset();
    auto params = reply.error ? Result<McumgrParams>(fail(describeError(*reply.error)))
                              : parseParamsResponse(reply.payload);
    if (!params || params->bufSize == 0) {
        out.log.append(QStringLiteral("the board does not report its buffer size (%1); sending the %2 request anyway")
                           .arg(params ? QStringLiteral("buf_size 0") : params.error().toString(), name()));
        sendRequest(nowMs, out);
        return;
    }
    m_requester.limitPackets(boardBufferLimit(params->bufSize));
    if (!refuseIfTooLarge(out))
        sendRequest(nowMs, out);
}

void CommandOperation::onPacket(std::int64_t nowMs, QByteArrayView packet, OperationOutput& out)
{
    if (isFinished()) {
        out.wakeAtMs = std::nullopt;
        return;
    }
    const auto reply = m_requester.take(nowMs, packet, out);
    if (reply && m_paramsSequence && reply->sequence == *m_paramsSequence)
        onBoardBuffers(nowMs, *reply, out);
    else if (reply)
        accept(*reply, out);
    if (!isFinished())
        out.wakeAtMs = m_requester.nextDeadline();
}

void CommandOperation::accept(const Reply& reply, OperationOutput& out)
{
    m_result.payload = reply.payload;
    if (reply.error) {
        m_deviceError = reply.error;
        const RefusalContext context{name(), m_request.group, m_request.command, m_request.op == Op::Write,
                                     m_requester.answeredGroups().contains(m_request.group)};
        finishWith(Error::plain(QStringLiteral("the board refused %1: %2")
                                    .arg(name(), describeRefusal(*reply.error, context))));
        out.wakeAtMs = std::nullopt;
        return;
    }
    if (auto error = parse(reply.payload)) {
        finishWith(Error{QStringLiteral("the board's answer to %1 is not understood: %2").arg(name(), error->message),
                         error->field, error->offset});
        out.wakeAtMs = std::nullopt;
        return;
    }
    done(out);
}

std::optional<Error> CommandOperation::parse(const QCborMap& payload)
{
    switch (m_kind) {
    case CommandKind::Echo: {
        auto text = parseEchoResponse(payload);
        if (!text)
            return text.error();
        const QString sent = m_request.payload.value(QStringLiteral("d")).toString();
        if (*text != sent)
            return Error::plain(QStringLiteral("it echoed \"%1\" instead of \"%2\"").arg(*text, sent));
        m_result.text = *text;
        return std::nullopt;
    }
    case CommandKind::Params: {
        auto params = parseParamsResponse(payload);
        if (!params)
            return params.error();
        m_result.params = *params;
        return std::nullopt;
    }
    case CommandKind::OsInfo: {
        auto text = parseOsInfoResponse(payload);
        if (!text)
            return text.error();
        m_result.text = *text;
        return std::nullopt;
    }
    case CommandKind::ImageState:
    case CommandKind::ImageTest:
    case CommandKind::ImageConfirm: {
        auto state = parseImageStateResponse(payload);
        if (!state)
            return state.error();
        m_result.imageState = *state;
        return std::nullopt;
    }
    case CommandKind::SlotInfo: {
        auto slots = parseSlotInfoResponse(payload);
        if (!slots)
            return slots.error();
        m_result.slots = *slots;
        return std::nullopt;
    }
    case CommandKind::Reset:
    case CommandKind::ImageErase:
        return std::nullopt;
    }
    return std::nullopt;
}

void CommandOperation::done(OperationOutput& out)
{
    m_requester.forgetAll();
    out.wakeAtMs = std::nullopt;
    if (m_kind == CommandKind::Reset)
        out.log.append(QStringLiteral("the board is restarting"));
    finish();
}

void CommandOperation::onTimer(std::int64_t nowMs, OperationOutput& out)
{
    if (isFinished())
        return;
    const auto expired = m_requester.expire(nowMs, out);
    if (!expired.isEmpty()) {
        const Expired& e = expired.first();
        QString message;
        if (m_kind == CommandKind::Reset)
            message = QStringLiteral("no answer to the reset request within %1 ms: the board may have restarted "
                                     "before answering, or it is not reachable; check with echo")
                          .arg(e.timeoutMs);
        else
            message = QStringLiteral("the board did not answer %1 (%2 attempts, %3 ms each): check that it runs an "
                                     "SMP server on this connection and the connection settings (port, baud rate, "
                                     "address)")
                          .arg(m_paramsSequence ? commandName(e.group, e.command) : name())
                          .arg(e.attempts)
                          .arg(e.timeoutMs);
        finishWith(Error::plain(message));
        out.wakeAtMs = std::nullopt;
        return;
    }
    out.wakeAtMs = m_requester.nextDeadline();
}

void CommandOperation::onLinkDown(std::int64_t /*nowMs*/, OperationOutput& out)
{
    if (isFinished())
        return;
    if (m_kind == CommandKind::Reset) {
        m_result.resetWithoutAnswer = true;
        out.log.append(QStringLiteral("the link dropped before the reset was answered: the board is restarting"));
        done(out);
        return;
    }
    m_requester.forgetAll();
    out.wakeAtMs = std::nullopt;
    finishWith(Error::plain(QStringLiteral("the link went down before the board answered %1: reconnect and try again")
                                .arg(name())));
}

void CommandOperation::onLinkUp(std::int64_t /*nowMs*/, OperationOutput& out)
{
    out.wakeAtMs = isFinished() ? std::nullopt : m_requester.nextDeadline();
}

void CommandOperation::cancel(std::int64_t /*nowMs*/, OperationOutput& out)
{
    if (isFinished())
        return;
    m_requester.forgetAll();
    out.wakeAtMs = std::nullopt;
    finishWith(Error::plain(QStringLiteral("aborted")));
}

QStringList describeImageState(const ImageStateResponse& state)
{
    QStringList lines;
    for (const ImageSlotState& s : state.images) {
        QStringList flags;
        if (s.active)
            flags << QStringLiteral("active");
        if (s.confirmed)
            flags << QStringLiteral("confirmed");
        if (s.pending)
            flags << QStringLiteral("pending");
        if (s.permanent)
            flags << QStringLiteral("permanent");
        if (s.bootable)
            flags << QStringLiteral("bootable");
        lines << QStringLiteral("image %1 slot %2: %3 (%4) hash %5")
                     .arg(s.image)
                     .arg(s.slot)
                     .arg(s.version.isEmpty() ? QStringLiteral("?") : s.version,
                          flags.isEmpty() ? QStringLiteral("-") : flags.join(QStringLiteral(", ")),
                          QString::fromLatin1(s.hash.toHex()));
    }
    return lines;
}

} // namespace otalab::core::smp
