// SPDX-License-Identifier: Apache-2.0
// OcfImageServer: a CoAP server that hands one file out block-wise (RFC 7959 Block2 through
// core/ocf serveBlock2) at one Uri-Path, so an OCF device's `purl` can point at it
// (`otalab-cli ocf serve-image`). The ETag is the first 8 bytes of the file's SHA-256, so a
// device that resumes a download notices a changed file (RFC 7959 §2.4). GET only; other
// paths 4.04, other methods 4.05; a CON is answered piggybacked in its ACK (RFC 7252 §5.2.1),
// a NON with a NON; a malformed CON gets RST (§4.2), a malformed NON is ignored (§4.3).
//
// Threading: the endpoint's thread.
#pragma once

#include "app/hw/ocf_udp_endpoint.h"

#include <QObject>

namespace otalab::hw::ocf {

class OcfImageServer final : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString path = QStringLiteral("fw/image");   // Uri-Path without the leading '/'
        std::uint8_t preferredSzx = 6;                // 1024-byte blocks unless a client asks for less
        int responseDelayMs = 0;                      // each answer waits this long (a slow link / server)
    };
    // `endpoint` is not owned and must outlive the server.
    OcfImageServer(OcfUdpEndpoint* endpoint, QByteArray body, Options options, QObject* parent = nullptr);

    QByteArray etag() const { return m_etag; }
    const Options& options() const { return m_options; }
    qint64 blocksServed() const { return m_blocks; }

    // The first 8 bytes of SHA-256(body).
    static QByteArray etagFor(const QByteArray& body);

Q_SIGNALS:
    // One block answered (code 2.05) or a request refused (code ≥ 4.00; num/size then 0).
    void served(const otalab::core::ocf::CoapPeer& to, std::uint8_t code, quint32 num, quint32 size, bool more);

private:
    void onDatagram(const core::ocf::CoapPeer& from, const QByteArray& datagram);

    OcfUdpEndpoint* m_endpoint;
    QByteArray m_body;
    Options m_options;
    QByteArray m_etag;
    std::uint16_t m_messageId = 1;
    qint64 m_blocks = 0;
};

} // namespace otalab::hw::ocf
