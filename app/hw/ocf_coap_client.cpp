// SPDX-License-Identifier: Apache-2.0
#include "app/hw/ocf_coap_client.h"

#include <QRandomGenerator>

namespace otalab::hw::ocf {

using core::ocf::CoapMessage;
using core::ocf::CoapPeer;
using core::ocf::CoapType;

struct OcfCoapClient::Pending {
    CoapPeer to;
    CoapMessage message;
    Options options;
    ResponseHandler onResponse;
    FailureHandler onFailure;
    QTimer timer;
    std::uint32_t timeoutMs = 0;
    int attempt = 0;
    bool acknowledged = false;   // an ACK (empty or piggybacked) ended the retransmissions
};

OcfCoapClient::OcfCoapClient(OcfUdpEndpoint* endpoint, QObject* parent)
    : QObject(parent),
      m_endpoint(endpoint),
      m_messageId(std::uint16_t(QRandomGenerator::global()->generate())),   // §4.4: a random start
      m_tokenCounter(QRandomGenerator::global()->generate64())
{
    connect(m_endpoint, &OcfUdpEndpoint::datagramReceived, this, &OcfCoapClient::onDatagram);
}

OcfCoapClient::~OcfCoapClient() = default;

QByteArray OcfCoapClient::request(const CoapPeer& to, CoapMessage message, Options options,
                                  ResponseHandler onResponse, FailureHandler onFailure)
{
    QByteArray token(8, '\0');
    const std::uint64_t t = ++m_tokenCounter;
    for (int i = 0; i < 8; ++i)
        token[i] = char(t >> (8 * (7 - i)));
    message.token = token;
    message.messageId = nextMessageId();
    auto pending = std::make_shared<Pending>();
    pending->to = to;
    pending->message = message;
    pending->options = options;
    pending->onResponse = std::move(onResponse);
    pending->onFailure = std::move(onFailure);
    pending->timer.setSingleShot(true);
    connect(&pending->timer, &QTimer::timeout, this, [this, token] { onTimeout(token); });
    if (message.type == CoapType::Confirmable) {
        pending->timeoutMs = options.transmission.initialTimeoutMs(QRandomGenerator::global()->generateDouble());
    } else {
        pending->timeoutMs = std::uint32_t(options.lifetimeMs > 0 ? options.lifetimeMs
                                                                  : int(2 * options.transmission.ackTimeoutMs));
        pending->attempt = options.transmission.maxRetransmit;   // NON: never retransmitted
    }
    m_pending.insert(token, pending);
    if (!m_endpoint->sendMessage(to, message)) {
        m_pending.remove(token);
        if (pending->onFailure)
            pending->onFailure(QStringLiteral("cannot send to %1: %2").arg(hostPortText(to.host, to.port),
                                                                           m_endpoint->lastError()));
        return token;
    }
    pending->timer.start(int(pending->timeoutMs));
    return token;
}

void OcfCoapClient::cancel(const QByteArray& token)
{
    m_pending.remove(token);
}

void OcfCoapClient::onTimeout(const QByteArray& token)
{
    const auto it = m_pending.constFind(token);
    if (it == m_pending.constEnd())
        return;
    const std::shared_ptr<Pending> pending = *it;
    if (pending->message.type == CoapType::NonConfirmable && pending->options.keep) {
        m_pending.remove(token);   // a multicast request's listening time is over
        return;
    }
    if (pending->acknowledged || pending->attempt >= pending->options.transmission.maxRetransmit) {
        m_pending.remove(token);
        if (pending->onFailure)
            pending->onFailure(pending->acknowledged
                                   ? QStringLiteral("no response from %1 after its empty acknowledgement")
                                         .arg(hostPortText(pending->to.host, pending->to.port))
                                   : QStringLiteral("no answer from %1 after %2 retransmissions")
                                         .arg(hostPortText(pending->to.host, pending->to.port))
                                         .arg(pending->attempt));
        return;
    }
    ++pending->attempt;
    pending->timeoutMs *= 2;
    m_endpoint->sendMessage(pending->to, pending->message);
    pending->timer.start(int(pending->timeoutMs));
}

void OcfCoapClient::onDatagram(const CoapPeer& from, const QByteArray& datagram)
{
    auto decoded = core::ocf::decode(datagram);
    if (!decoded)
        return;   // §4.2/4.3: a malformed message is silently ignored (or RST, not needed here)
    const CoapMessage& message = *decoded;
    if (message.isRequest())
        return;   // a client endpoint serves nothing
    if (message.type == CoapType::Acknowledgement && message.isEmpty()) {
        // §5.2.2: the separate response follows; stop retransmitting, wait EXCHANGE_LIFETIME-ish.
        for (const std::shared_ptr<Pending>& p : std::as_const(m_pending))
            if (p->message.messageId == message.messageId && !p->acknowledged) {
                p->acknowledged = true;
                p->timer.start(int(p->options.transmission.ackTimeoutMs) * 30);
            }
        return;
    }
    if (message.type == CoapType::Reset) {
        for (auto it = m_pending.begin(); it != m_pending.end(); ++it)
            if ((*it)->message.messageId == message.messageId) {
                const std::shared_ptr<Pending> p = *it;
                m_pending.erase(it);
                if (p->onFailure)
                    p->onFailure(QStringLiteral("%1 reset the request").arg(hostPortText(from.host, from.port)));
                return;
            }
        return;
    }
    const auto it = m_pending.constFind(message.token);
    if (message.type == CoapType::Confirmable) {
        // §5.2.2 / RFC 7641 §4.2: acknowledge a known token, reset an unknown one.
        if (it == m_pending.constEnd()) {
            m_endpoint->sendMessage(from, core::ocf::makeReset(message.messageId));
            return;
        }
        m_endpoint->sendMessage(from, core::ocf::makeEmptyAck(message.messageId));
    }
    if (it == m_pending.constEnd())
        return;
    const std::shared_ptr<Pending> pending = *it;
    if (!pending->options.keep) {
        m_pending.remove(message.token);
    } else if (pending->message.type == CoapType::Confirmable) {
        pending->acknowledged = true;
        pending->timer.stop();   // an observation lives until cancel()
    }
    if (pending->onResponse)
        pending->onResponse(from, message);
}

} // namespace otalab::hw::ocf
