// SPDX-License-Identifier: Apache-2.0
#include "app/hw/ocf_image_server.h"

#include "core/ocf/coap_blockwise.h"

#include <QCryptographicHash>
#include <QTimer>

namespace otalab::hw::ocf {

using core::ocf::CoapMessage;
using core::ocf::CoapPeer;
using core::ocf::CoapType;
namespace coap_code = core::ocf::coap_code;

OcfImageServer::OcfImageServer(OcfUdpEndpoint* endpoint, QByteArray body, Options options, QObject* parent)
    : QObject(parent), m_endpoint(endpoint), m_body(std::move(body)), m_options(std::move(options)),
      m_etag(etagFor(m_body))
{
    while (m_options.path.startsWith(QLatin1Char('/')))
        m_options.path.remove(0, 1);
    connect(m_endpoint, &OcfUdpEndpoint::datagramReceived, this, &OcfImageServer::onDatagram);
}

QByteArray OcfImageServer::etagFor(const QByteArray& body)
{
    return QCryptographicHash::hash(body, QCryptographicHash::Sha256).left(8);
}

void OcfImageServer::onDatagram(const CoapPeer& from, const QByteArray& datagram)
{
    auto decoded = core::ocf::decode(datagram);
    if (!decoded) {
        // §4.2: a CON we cannot read is rejected with RST (its message id is bytes 2..3).
        if (datagram.size() >= 4 && ((quint8(datagram[0]) >> 4) & 0x3) == quint8(CoapType::Confirmable))
            m_endpoint->sendMessage(from, core::ocf::makeReset(std::uint16_t((quint8(datagram[2]) << 8)
                                                                             | quint8(datagram[3]))));
        return;
    }
    const CoapMessage& request = *decoded;
    if (request.isEmpty()) {
        if (request.type == CoapType::Confirmable)   // a CoAP ping (§4.3): RST answers it
            m_endpoint->sendMessage(from, core::ocf::makeReset(request.messageId));
        return;
    }
    if (!request.isRequest())
        return;   // ACK/RST of nothing we sent: ignore
    // §5.2.1: a piggybacked response carries the CON's message id; a NON answer gets its own.
    const std::uint16_t messageId = request.type == CoapType::Confirmable ? request.messageId : m_messageId++;
    CoapMessage response = core::ocf::makeResponse(request, coap_code::Content, messageId);
    if (request.uriPath() != m_options.path) {
        response.code = coap_code::NotFound;
    } else if (request.code != coap_code::Get) {
        response.code = coap_code::MethodNotAllowed;
    } else {
        response.code = core::ocf::serveBlock2(request, m_body, response, m_options.preferredSzx, m_etag);
    }
    if (m_options.responseDelayMs > 0) {
        QTimer::singleShot(m_options.responseDelayMs, this, [this, from, response] { m_endpoint->sendMessage(from, response); });
    } else {
        m_endpoint->sendMessage(from, response);
    }
    if (response.code == coap_code::Content) {
        ++m_blocks;
        const auto block = response.block2();
        if (block && *block)
            Q_EMIT served(from, response.code, (*block)->num, quint32(response.payload.size()), (*block)->more);
        else
            Q_EMIT served(from, response.code, 0, quint32(response.payload.size()), false);
    } else {
        Q_EMIT served(from, response.code, 0, 0, false);
    }
}

} // namespace otalab::hw::ocf
