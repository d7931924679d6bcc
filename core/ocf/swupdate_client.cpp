// SPDX-License-Identifier: Apache-2.0
#include "core/ocf/swupdate_client.h"

#include <QCborMap>

#include <algorithm>

namespace otalab::core::ocf {

namespace {

// After an empty ACK the answer comes as a separate response (RFC 7252 §5.2.2); wait this
// long for it (EXCHANGE_LIFETIME is 247 s; a device answers within seconds).
constexpr std::uint32_t kSeparateResponseWaitMs = 30'000;

QString diagnostic(const CoapMessage& response)
{
    QString text = coapCodeText(response.code);
    if (!response.payload.isEmpty() && !response.contentFormat())
        text += QStringLiteral(": ") + QString::fromUtf8(response.payload.left(200));
    return text;
}

} // namespace

SwUpdateAction actionFor(SwUpdateCommand command)
{
    switch (command) {
    case SwUpdateCommand::Check: return SwUpdateAction::Isac;
    case SwUpdateCommand::Validate: return SwUpdateAction::Isvv;
    case SwUpdateCommand::Upgrade: return SwUpdateAction::Upgrade;
    }
    return SwUpdateAction::Idle;
}

SwUpdateClient::SwUpdateClient(Config config)
    : m_config(std::move(config))
    , m_nextMessageId(m_config.firstMessageId)
    , m_nextToken(m_config.tokenSeed)
    , m_jitterState(m_config.jitterSeed)
{
}

QString SwUpdateClient::peerKey(const CoapPeer& peer)
{
    return peer.host + QLatin1Char(':') + QString::number(peer.port);
}

QByteArray SwUpdateClient::takeToken()
{
    const std::uint32_t t = m_nextToken++;
    QByteArray token(4, Qt::Uninitialized);
    for (int i = 0; i < 4; ++i)
        token[i] = char(t >> (24 - 8 * i));
    return token;
}

double SwUpdateClient::jitter()
{
    std::uint64_t z = (m_jitterState += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return double(z >> 11) / double(1ull << 53);
}

DeviceSwUpdateStatus& SwUpdateClient::statusOf(const CoapPeer& peer)
{
    DeviceSwUpdateStatus& s = m_devices[peerKey(peer)];
    if (s.peer.host.isEmpty())
        s.peer = peer;
    return s;
}

const DeviceSwUpdateStatus* SwUpdateClient::device(const CoapPeer& peer) const
{
    const auto it = m_devices.find(peerKey(peer));
    return it == m_devices.end() ? nullptr : &it->second;
}

std::uint32_t SwUpdateClient::start(qint64 nowMs, Kind kind, const CoapPeer& to, CoapMessage message,
                                    ClientOutputs& out, std::uint32_t windowMs)
{
    Pending p;
    p.id = m_nextId++;
    p.kind = kind;
    p.to = to;
    message.messageId = m_nextMessageId++;
    message.token = takeToken();
    p.message = message;
    p.timeoutMs = message.type == CoapType::Confirmable ? m_config.transmission.initialTimeoutMs(jitter()) : windowMs;
    p.deadlineMs = nowMs + p.timeoutMs;
    m_pending.push_back(p);
    out.push_back(ClientSend{to, std::move(message)});
    return p.id;
}

std::uint32_t SwUpdateClient::discover(qint64 nowMs, const CoapPeer& group, ClientOutputs& out, std::uint32_t windowMs)
{
    CoapMessage m = makeRequest(CoapType::NonConfirmable, coap_code::Get, 0, {}, QString::fromLatin1(kResPath));
    m.addUriQuery(QStringLiteral("rt=") + QLatin1String(kSwUpdateResourceType));
    return start(nowMs, Kind::Discover, group, std::move(m), out, windowMs);
}

std::uint32_t SwUpdateClient::getStatus(qint64 nowMs, const CoapPeer& device, ClientOutputs& out)
{
    return start(nowMs, Kind::GetSwu, device,
                 makeRequest(CoapType::Confirmable, coap_code::Get, 0, {}, QString::fromLatin1(kSwUpdatePath)), out);
}

std::uint32_t SwUpdateClient::observe(qint64 nowMs, const CoapPeer& device, ClientOutputs& out)
{
    CoapMessage m = makeRequest(CoapType::Confirmable, coap_code::Get, 0, {}, QString::fromLatin1(kSwUpdatePath));
    m.setObserve(0);
    return start(nowMs, Kind::Observe, device, std::move(m), out);
}

std::uint32_t SwUpdateClient::post(qint64 nowMs, const CoapPeer& device, const SwUpdateRequest& request,
                                   ClientOutputs& out)
{
    CoapMessage m = makeRequest(CoapType::Confirmable, coap_code::Post, 0, {}, QString::fromLatin1(kSwUpdatePath));
    m.setContentFormat(content_format::VndOcfCbor);
    m.payload = QCborValue(toCbor(request)).toCbor();
    return start(nowMs, Kind::PostSwu, device, std::move(m), out);
}

std::vector<std::uint32_t> SwUpdateClient::postToAll(qint64 nowMs, const std::vector<CoapPeer>& devices,
                                                     const SwUpdateRequest& request, ClientOutputs& out)
{
    std::vector<std::uint32_t> ids;
    ids.reserve(devices.size());
    for (const CoapPeer& d : devices)
        ids.push_back(post(nowMs, d, request, out));
    return ids;
}

std::uint32_t SwUpdateClient::getPstat(qint64 nowMs, const CoapPeer& device, ClientOutputs& out)
{
    return start(nowMs, Kind::GetPstat, device,
                 makeRequest(CoapType::Confirmable, coap_code::Get, 0, {}, QString::fromLatin1(kPstatPath)), out);
}

std::uint32_t SwUpdateClient::postPstatTm(qint64 nowMs, const CoapPeer& device, std::uint32_t tm, ClientOutputs& out)
{
    CoapMessage m = makeRequest(CoapType::Confirmable, coap_code::Post, 0, {}, QString::fromLatin1(kPstatPath));
    m.setContentFormat(content_format::VndOcfCbor);
    QCborMap body;
    body.insert(QStringLiteral("tm"), qint64(tm));
    m.payload = QCborValue(body).toCbor();
    return start(nowMs, Kind::PostPstat, device, std::move(m), out);
}

void SwUpdateClient::onDatagram(qint64 nowMs, const CoapPeer& from, QByteArrayView datagram, ClientOutputs& out)
{
    auto message = decode(datagram);
    if (message)
        onMessage(nowMs, from, *message, out);
}

void SwUpdateClient::onMessage(qint64 nowMs, const CoapPeer& from, const CoapMessage& message, ClientOutputs& out)
{
    const QString fromKey = peerKey(from);
    // ACK / RST: by message id and peer.
    if (message.type == CoapType::Acknowledgement || message.type == CoapType::Reset) {
        for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
            if (it->message.messageId != message.messageId || peerKey(it->to) != fromKey)
                continue;
            if (message.type == CoapType::Reset) {
                const Pending p = *it;
                m_pending.erase(it);
                fail(p, from, QStringLiteral("reset (RST) by the device"), 0, false, out);
                return;
            }
            if (message.isEmpty()) {   // the answer follows as a separate response
                it->attempt = m_config.transmission.maxRetransmit;
                it->deadlineMs = nowMs + kSeparateResponseWaitMs;
                return;
            }
            if (message.token != it->message.token)
                return;
            const Pending p = *it;
            m_pending.erase(it);
            complete(nowMs, p, from, message, out);
            return;
        }
        return;
    }
    if (!message.isResponse())
        return;
    if (message.type == CoapType::Confirmable)
        out.push_back(ClientSend{from, makeEmptyAck(message.messageId)});
    // A notification of an observation already registered.
    if (const auto obs = m_observations.find(message.token); obs != m_observations.end() && message.observe()) {
        bool registration = false;
        for (const Pending& p : m_pending)
            registration = registration || p.message.token == message.token;
        if (!registration) {
            auto value = decodeCborPayload(message.payload);
            auto resource = value ? swUpdateFromCbor(*value) : Result<SwUpdateResource>(std::unexpected(value.error()));
            DeviceSwUpdateStatus& s = statusOf(obs->second);
            if (!resource) {
                s.lastError = resource.error().toString();
                out.push_back(ClientEvent{RequestFailed{obs->second, 0, s.lastError, message.code, false}});
                return;
            }
            s.resource = *resource;
            s.lastSequence = *message.observe();
            s.lastError.clear();
            out.push_back(ClientEvent{Notified{obs->second, *message.observe(), *resource}});
            return;
        }
    }
    // A separate (CON/NON) response, or a discovery answer: by token.
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
        if (it->message.token != message.token)
            continue;
        const Pending p = *it;
        if (p.kind != Kind::Discover)
            m_pending.erase(it);
        complete(nowMs, p, from, message, out);
        return;
    }
}

void SwUpdateClient::complete(qint64 nowMs, const Pending& pending, const CoapPeer& from, const CoapMessage& response,
                              ClientOutputs& out)
{
    (void)nowMs;
    const bool ok = pending.kind == Kind::PostSwu || pending.kind == Kind::PostPstat
        ? response.code == coap_code::Changed
        : response.code == coap_code::Content;
    if (!ok) {
        fail(pending, from, diagnostic(response), response.code, false, out);
        return;
    }
    auto value = decodeCborPayload(response.payload);
    if (pending.kind == Kind::Discover) {
        auto links = value ? linksFromCbor(*value) : Result<std::vector<OcfLink>>(std::unexpected(value.error()));
        if (!links) {
            fail(pending, from, QStringLiteral("discovery answer: %1").arg(links.error().toString()), response.code, false, out);
            return;
        }
        for (const OcfLink& link : *links) {
            if (!link.resourceTypes.contains(QLatin1String(kSwUpdateResourceType)))
                continue;
            DeviceSwUpdateStatus& s = statusOf(from);
            s.deviceId = link.deviceId();
            out.push_back(ClientEvent{DeviceFound{from, s.deviceId, link.href}});
        }
        return;
    }
    if (pending.kind == Kind::GetPstat || pending.kind == Kind::PostPstat) {
        auto pstat = value ? pstatFromCbor(*value) : Result<Pstat>(std::unexpected(value.error()));
        if (!pstat) {
            if (pending.kind == Kind::PostPstat) {
                out.push_back(ClientEvent{PostAccepted{from, pending.id, std::nullopt}});
                return;
            }
            fail(pending, from, QStringLiteral("pstat: %1").arg(pstat.error().toString()), response.code, false, out);
            return;
        }
        statusOf(from).lastError.clear();
        out.push_back(ClientEvent{PstatRead{from, pending.id, *pstat}});
        return;
    }
    auto resource = value ? swUpdateFromCbor(*value) : Result<SwUpdateResource>(std::unexpected(value.error()));
    if (!resource) {
        if (pending.kind == Kind::PostSwu) {   // accepted; the body is informative only
            statusOf(from).lastError.clear();
            out.push_back(ClientEvent{PostAccepted{from, pending.id, std::nullopt}});
            return;
        }
        fail(pending, from, QStringLiteral("/oc/swu: %1").arg(resource.error().toString()), response.code, false, out);
        return;
    }
    DeviceSwUpdateStatus& s = statusOf(from);
    s.resource = *resource;
    s.lastError.clear();
    if (pending.kind == Kind::PostSwu) {
        out.push_back(ClientEvent{PostAccepted{from, pending.id, *resource}});
        return;
    }
    if (pending.kind == Kind::Observe && response.observe()) {
        m_observations[pending.message.token] = from;   // RFC 7641 §3.1: the device accepted
        s.lastSequence = *response.observe();
    }
    out.push_back(ClientEvent{StatusRead{from, pending.id, *resource}});
}

void SwUpdateClient::fail(const Pending& pending, const CoapPeer& from, QString reason, std::uint8_t code,
                          bool timedOut, ClientOutputs& out)
{
    DeviceSwUpdateStatus& s = statusOf(from);
    s.lastError = reason;
    out.push_back(ClientEvent{RequestFailed{from, pending.id, std::move(reason), code, timedOut}});
}

void SwUpdateClient::onTimeout(qint64 nowMs, ClientOutputs& out)
{
    std::vector<Pending> failed;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->deadlineMs > nowMs) {
            ++it;
            continue;
        }
        if (it->kind == Kind::Discover) {   // the discovery window closed
            it = m_pending.erase(it);
            continue;
        }
        if (it->attempt >= m_config.transmission.maxRetransmit) {
            failed.push_back(*it);
            it = m_pending.erase(it);
            continue;
        }
        ++it->attempt;   // RFC 7252 §4.2: same message id, doubled timeout
        it->timeoutMs *= 2;
        it->deadlineMs = nowMs + it->timeoutMs;
        out.push_back(ClientSend{it->to, it->message});
        ++it;
    }
    for (const Pending& p : failed)
        fail(p, p.to, QStringLiteral("no answer after %1 retransmissions").arg(p.attempt), 0, true, out);
}

std::optional<qint64> SwUpdateClient::nextTimeoutMs() const
{
    std::optional<qint64> next;
    for (const Pending& p : m_pending)
        if (!next || p.deadlineMs < *next)
            next = p.deadlineMs;
    return next;
}

} // namespace otalab::core::ocf
