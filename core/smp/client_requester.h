// SPDX-License-Identifier: Apache-2.0
// Client side request bookkeeping shared by every SMP client operation: sequence numbers,
// matching responses by sequence + group + command + op, per-request timeouts and
// retries, and the SMP v1/v2 choice (a board that answers v1, or refuses v2 with
// MGMT_ERR_UNSUPPORTED_TOO_NEW, is spoken to in v1 from then on).
#pragma once

#include "core/smp/answered_groups.h"
#include "core/smp/smp_error.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_operation.h"

#include <QCborMap>
#include <QList>
#include <optional>

namespace otalab::core::smp {

// How long to wait for one answer and how often to ask again. Defaults follow
// mcumgr-client (vouch-opensource): 4 retries per request.
struct RequestPolicy {
    int timeoutMs = 5000;   // per attempt, from the moment the packet is handed to the driver
    int retries = 4;        // extra attempts after the first one
};

// A response matched to a pending request.
struct Reply {
    std::uint8_t sequence = 0;
    Header header;                       // the response header
    QCborMap payload;
    std::optional<DeviceError> error;    // rc/err carried by the payload, if any
    std::int64_t sentAtMs = 0;           // last (re)transmission of the request
    int attempts = 1;                    // transmissions so far
};

// A request whose retries ran out.
struct Expired {
    std::uint8_t sequence = 0;
    std::uint16_t group = 0;
    std::uint8_t command = 0;
    int attempts = 0;
    int timeoutMs = 0;
};

class Requester {
public:
    explicit Requester(ProtocolVersion version = ProtocolVersion::V2) : m_version(version) {}

    // Encodes `request` with the next free sequence number, appends it to out.packets and
    // tracks it. Returns the sequence number.
    std::uint8_t send(std::int64_t nowMs, const Request& request, RequestPolicy policy, OperationOutput& out);

    // Matches one packet from the board. Garbled packets, requests, and responses that
    // match nothing pending are logged and yield nullopt; so does a v2 request the board
    // refused as too new (it is resent in v1, same sequence number).
    std::optional<Reply> take(std::int64_t nowMs, QByteArrayView packet, OperationOutput& out);

    // Resends every request whose deadline passed and still has retries (logged); those
    // without retries left are dropped and returned.
    QList<Expired> expire(std::int64_t nowMs, OperationOutput& out);

    std::optional<std::int64_t> nextDeadline() const;
    bool isPending(std::uint8_t sequence) const;
    int pendingCount() const { return int(m_pending.size()); }
    void forget(std::uint8_t sequence);
    void forgetAll() { m_pending.clear(); }

    ProtocolVersion version() const { return m_version; }
    std::uint8_t nextSequence() const { return m_nextSequence; }
    // Groups whose commands the board answered (taken replies) on this link, carried
    // along by continueFrom(); tells "no such group" from "no such command" on ENOTSUP.
    const AnsweredGroups& answeredGroups() const { return m_answered; }
    // Carries the sequence counter and the protocol version on from an earlier operation
    // on the same link, so late answers to it never match a new request; adds the groups
    // it saw answer.
    void continueFrom(const Requester& earlier);
    void setNextSequence(std::uint8_t sequence) { m_nextSequence = sequence; }
    // Appends "→ packet" / "← packet" lines to out.log (the exchange log); on by default.
    void setLogExchange(bool on) { m_logExchange = on; }
    // What a request's packet must fit: the tightest limit given (link, user, board).
    // send() does not check; operations ask checkSize() before sending.
    void limitPackets(const PacketLimit& limit) { m_limit = tighterLimit(m_limit, limit); }
    const PacketLimit& packetLimit() const { return m_limit; }
    // The refusal of `request` (called `what` in it) when its packet exceeds the limit.
    std::optional<Error> checkSize(const Request& request, const QString& what) const;
    // Bytes of `request`'s packet as send() would encode it now (header + CBOR).
    qsizetype packetSize(const Request& request) const;

private:
    struct Pending {
        std::uint8_t sequence = 0;
        Request request;
        ProtocolVersion version = ProtocolVersion::V2;
        QByteArray packet;
        RequestPolicy policy;
        std::int64_t sentAtMs = 0;
        std::int64_t deadlineMs = 0;
        int attempts = 1;
    };
    static Header headerOf(const Pending& pending);
    QByteArray encode(const Pending& pending) const;
    int indexOf(std::uint8_t sequence) const;

    ProtocolVersion m_version;
    std::uint8_t m_nextSequence = 0;
    bool m_logExchange = true;
    QList<Pending> m_pending;   // in sending order
    PacketLimit m_limit;
    AnsweredGroups m_answered;
};

// Request description for log lines: "image upload seq 7".
QString requestLabel(std::uint16_t group, std::uint8_t command, std::uint8_t sequence);

// Base of the client operations: owns the requester.
class ClientOperation : public Operation {
public:
    void limitPackets(const PacketLimit& limit) override { m_requester.limitPackets(limit); }
    Requester& requester() { return m_requester; }
    const Requester& requester() const { return m_requester; }

protected:
    Requester m_requester;
};

} // namespace otalab::core::smp
