// SPDX-License-Identifier: Apache-2.0
// OcfCoapClient: the requesting side of CoAP (RFC 7252) on one OcfUdpEndpoint, in real
// time — message ids and tokens, CON retransmission with exponential back-off (§4.2:
// ACK_TIMEOUT 2 s × a random factor up to 1.5, MAX_RETRANSMIT 4), piggybacked and separate
// responses (§5.2; a CON response is acknowledged), Observe notifications (RFC 7641: every
// response with the request's token goes to its handler until cancel(); a CON notification
// is acknowledged, one for a token nobody waits for gets RST, §3.6), and NON requests to a
// multicast group (§8: every answer goes to the handler until the request's lifetime ends).
//
// Threading: the endpoint's thread. Handlers may call request()/cancel() re-entrantly.
#pragma once

#include "app/hw/ocf_udp_endpoint.h"
#include "core/ocf/coap_blockwise.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace otalab::hw::ocf {

class OcfCoapClient final : public QObject {
    Q_OBJECT
public:
    // A response or notification: who sent it, what it was.
    using ResponseHandler = std::function<void(const core::ocf::CoapPeer& from, const core::ocf::CoapMessage& response)>;
    // The request failed: no answer after the retransmissions (or the lifetime), or it could
    // not be sent. Not called after cancel().
    using FailureHandler = std::function<void(const QString& reason)>;

    struct Options {
        core::ocf::CoapTransmission transmission;
        // Keep the request after its first response (Observe, multicast): answers keep going
        // to the handler until cancel() (or lifetimeMs for a NON request, then onFailure is
        // not called: the end of a multicast request's listening time is not a failure).
        bool keep = false;
        int lifetimeMs = 0;   // NON requests: how long answers are awaited (0: 2 × ACK_TIMEOUT)
    };

    // `endpoint` is not owned and must outlive the client.
    explicit OcfCoapClient(OcfUdpEndpoint* endpoint, QObject* parent = nullptr);
    ~OcfCoapClient() override;

    // Sends `message` (type CON or NON, method, options, payload; the message id and token
    // are set here) to `to`. Returns the token (the handle for cancel()).
    QByteArray request(const core::ocf::CoapPeer& to, core::ocf::CoapMessage message, Options options,
                       ResponseHandler onResponse, FailureHandler onFailure);
    // Forgets the request: later answers with its token are reset (RST) as unknown.
    void cancel(const QByteArray& token);
    int pending() const { return int(m_pending.size()); }

private:
    struct Pending;
    void onDatagram(const core::ocf::CoapPeer& from, const QByteArray& datagram);
    void onTimeout(const QByteArray& token);
    std::uint16_t nextMessageId() { return m_messageId++; }

    OcfUdpEndpoint* m_endpoint;
    std::uint16_t m_messageId;
    std::uint64_t m_tokenCounter;
    QHash<QByteArray, std::shared_ptr<Pending>> m_pending;
};

} // namespace otalab::hw::ocf
