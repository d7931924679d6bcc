// SPDX-License-Identifier: Apache-2.0
// OcfUdpEndpoint: one UDP socket carrying CoAP (RFC 7252 §3: one message per datagram) for
// the real OCF path — the emulated device (`target serve --ocf`), the image server
// (`ocf serve-image`) and the client (`ocf …`). It only moves bytes: datagrams in, each
// with its source as a CoapPeer (host without brackets, port; identity left to the owner),
// datagrams out to any peer. Decoding and every protocol decision are the core machines'.
//
// Threading: the thread that created it; signals are emitted from it.
#pragma once

#include "core/common/error.h"
#include "core/ocf/coap_message.h"
#include "core/ocf/swupdate_device.h"

#include <QHostAddress>
#include <QObject>

class QUdpSocket;

namespace otalab::hw::ocf {

// The CoAP port (RFC 7252 §6.1) and the "All CoAP Nodes" groups (RFC 7252 §12.8).
inline constexpr quint16 kCoapPort = 5683;
inline constexpr const char* kAllCoapNodesIpv4 = "224.0.1.187";
inline constexpr const char* kAllCoapNodesIpv6LinkLocal = "ff02::158";

// "HOST", "HOST:PORT", "[V6]", "[V6]:PORT" or a bare IPv6 address → host (no brackets) and
// port (`defaultPort` when none). Errors name the part that is wrong.
struct HostPort {
    QString host;
    quint16 port = 0;
};
Result<HostPort> parseHostPort(const QString& text, quint16 defaultPort);
// "127.0.0.1:5683", "[::1]:5683".
QString hostPortText(const QString& host, quint16 port);

class OcfUdpEndpoint final : public QObject {
    Q_OBJECT
public:
    explicit OcfUdpEndpoint(QObject* parent = nullptr);
    ~OcfUdpEndpoint() override;

    // Binds `address` ("*" or empty: every IPv4 and IPv6 address; a literal address; a host
    // name is resolved) and `port` (0: any free port, see localPort()). With `shareAddress`
    // several endpoints may bind the same port (multicast listeners).
    Result<void> bind(const QString& address, quint16 port, bool shareAddress = false);
    quint16 localPort() const;
    QString describe() const;   // "udp 127.0.0.1:5683"
    // Joins a multicast group on the bound socket (best effort; false when the OS refuses).
    bool joinGroup(const QString& group);

    // Sends one datagram. `to.host` is a literal address (names are resolved once, blocking).
    // False when the socket refused it (the reason in lastError()).
    bool send(const core::ocf::CoapPeer& to, const QByteArray& datagram);
    // encode() + send(); false for a message that cannot be encoded too.
    bool sendMessage(const core::ocf::CoapPeer& to, const core::ocf::CoapMessage& message);
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void datagramReceived(const otalab::core::ocf::CoapPeer& from, const QByteArray& datagram);

private:
    void onReadyRead();

    QUdpSocket* m_socket = nullptr;
    QString m_lastError;
};

} // namespace otalab::hw::ocf
