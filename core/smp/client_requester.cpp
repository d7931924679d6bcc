// SPDX-License-Identifier: Apache-2.0
// Client request bookkeeping: sequence numbers, matching, timeouts, retries, v1/v2.
#include "core/smp/client_requester.h"

#include "core/smp/smp_groups.h"
#include "core/smp/smp_packet.h"

namespace otalab::core::smp {

namespace {

Op responseOpFor(Op op)
{
    return op == Op::Write ? Op::WriteResponse : Op::ReadResponse;
}

} // namespace

QString requestLabel(std::uint16_t group, std::uint8_t command, std::uint8_t sequence)
{
    return QStringLiteral("%1 seq %2").arg(commandName(group, command)).arg(sequence);
}

Header Requester::headerOf(const Pending& pending)
{
    Header header;
    header.version = pending.version;
    header.op = pending.request.op;
    header.group = pending.request.group;
    header.sequence = pending.sequence;
    header.command = pending.request.command;
    return header;
}

QByteArray Requester::encode(const Pending& pending) const
{
    return encodePacket(headerOf(pending), pending.request.payload);
}

int Requester::indexOf(std::uint8_t sequence) const
{
    for (int i = 0; i < m_pending.size(); ++i)
        if (m_pending[i].sequence == sequence)
            return i;
    return -1;
}

std::uint8_t Requester::send(std::int64_t nowMs, const Request& request, RequestPolicy policy, OperationOutput& out)
{
    // Skip sequence numbers still waiting for an answer (only matters past 255 in flight).
    for (int guard = 0; guard < 256 && indexOf(m_nextSequence) >= 0; ++guard)
        ++m_nextSequence;
    Pending pending;
    pending.sequence = m_nextSequence++;
    pending.request = request;
    pending.version = m_version;
    pending.policy = policy;
    pending.sentAtMs = nowMs;
    pending.deadlineMs = nowMs + policy.timeoutMs;
    pending.packet = encode(pending);
    out.packets.append(pending.packet);
    if (m_logExchange)
        out.log.append(QStringLiteral("→ %1").arg(describePacket(Packet{headerOf(pending), request.payload})));
    m_pending.append(pending);
    return pending.sequence;
}

std::optional<Reply> Requester::take(std::int64_t nowMs, QByteArrayView bytes, OperationOutput& out)
{
    auto packet = decodePacket(bytes);
    if (!packet) {
        out.log.append(QStringLiteral("ignored a garbled packet from the board (%1 bytes): %2")
                           .arg(bytes.size()).arg(packet.error().toString()));
        return std::nullopt;
    }
    const Header& h = packet->header;
    if (m_logExchange)
        out.log.append(QStringLiteral("← %1").arg(describePacket(*packet)));
    if (!h.isResponse()) {
        out.log.append(QStringLiteral("ignored a request from the board: %1").arg(describePacket(*packet)));
        return std::nullopt;
    }
    const int index = indexOf(h.sequence);
    if (index < 0 || m_pending[index].request.group != h.group || m_pending[index].request.command != h.command
        || responseOpFor(m_pending[index].request.op) != h.op) {
        out.log.append(QStringLiteral("ignored an answer that matches no pending request (late or duplicate): %1")
                           .arg(describePacket(*packet)));
        return std::nullopt;
    }
    Pending& pending = m_pending[index];
    const auto error = responseError(packet->payload);
    if (error && !error->group && error->rc == int(MgmtErr::UnsupportedTooNew)
        && pending.version == ProtocolVersion::V2) {
        m_version = ProtocolVersion::V1;
        pending.version = ProtocolVersion::V1;
        pending.packet = encode(pending);
        pending.sentAtMs = nowMs;
        pending.deadlineMs = nowMs + pending.policy.timeoutMs;
        out.packets.append(pending.packet);
        out.log.append(QStringLiteral("the board does not speak SMP v2; asking again in v1 (%1)")
                           .arg(requestLabel(h.group, h.command, h.sequence)));
        return std::nullopt;
    }
    if (h.version == ProtocolVersion::V1 && pending.version == ProtocolVersion::V2
        && m_version == ProtocolVersion::V2) {
        m_version = ProtocolVersion::V1;
        out.log.append(QStringLiteral("the board answers in SMP v1; using v1 from now on"));
    }
    Reply reply;
    reply.sequence = h.sequence;
    reply.header = h;
    reply.payload = packet->payload;
    reply.error = error;
    reply.sentAtMs = pending.sentAtMs;
    reply.attempts = pending.attempts;
    m_pending.removeAt(index);
    m_answered.record(h.group, error);
    return reply;
}

QList<Expired> Requester::expire(std::int64_t nowMs, OperationOutput& out)
{
    QList<Expired> expired;
    for (int i = 0; i < m_pending.size();) {
        Pending& p = m_pending[i];
        if (p.deadlineMs > nowMs) {
            ++i;
            continue;
        }
        const QString label = requestLabel(p.request.group, p.request.command, p.sequence);
        if (p.attempts <= p.policy.retries) {
            out.log.append(QStringLiteral("no answer to %1 within %2 ms; sending it again (retry %3 of %4)")
                               .arg(label).arg(p.policy.timeoutMs).arg(p.attempts).arg(p.policy.retries));
            ++p.attempts;
            p.sentAtMs = nowMs;
            p.deadlineMs = nowMs + p.policy.timeoutMs;
            out.packets.append(p.packet);
            ++i;
            continue;
        }
        expired.append(Expired{p.sequence, p.request.group, p.request.command, p.attempts, p.policy.timeoutMs});
        m_pending.removeAt(i);
    }
    return expired;
}

qsizetype Requester::packetSize(const Request& request) const
{
    Pending probe;
    probe.request = request;
    probe.version = m_version;
    return encode(probe).size();
}

std::optional<Error> Requester::checkSize(const Request& request, const QString& what) const
{
    return oversizedRequest(what, packetSize(request), m_limit);
}

std::optional<std::int64_t> Requester::nextDeadline() const
{
    std::optional<std::int64_t> next;
    for (const Pending& p : m_pending)
        if (!next || p.deadlineMs < *next)
            next = p.deadlineMs;
    return next;
}

bool Requester::isPending(std::uint8_t sequence) const
{
    return indexOf(sequence) >= 0;
}

void Requester::forget(std::uint8_t sequence)
{
    const int index = indexOf(sequence);
    if (index >= 0)
        m_pending.removeAt(index);
}

void Requester::continueFrom(const Requester& earlier)
{
    m_nextSequence = earlier.m_nextSequence;
    m_version = earlier.m_version;
    m_answered.merge(earlier.m_answered);
}

} // namespace otalab::core::smp
