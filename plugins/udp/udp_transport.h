// SPDX-License-Identifier: Apache-2.0
// SMP over UDP (Zephyr smp_udp): one whole SMP packet per datagram, port 1337 by default.
#pragma once

#include "plugins/common/queued_open_transport.h"

#include <QHostAddress>

class QUdpSocket;

namespace otalab::plugins::udp {

inline constexpr quint16 kDefaultPort = core::transport::kSmpUdpDefaultPort;
// Largest payload of one datagram that crosses a 1500-byte Ethernet path without IP
// fragmentation: 1500 - 20 (IPv4) - 8 (UDP) and 1500 - 40 (IPv6) - 8. Zephyr's UDP SMP
// server takes up to CONFIG_MCUMGR_TRANSPORT_UDP_MTU bytes; the client further limits
// packets to the board's buf_size (MCUmgr parameters). `mtu=` overrides, e.g. on loopback.
inline constexpr int kDefaultMtuIpv4 = 1472;
inline constexpr int kDefaultMtuIpv6 = 1452;
inline constexpr int kMaxMtu = 65507;   // largest IPv4 UDP payload

// "udp:HOST[:PORT][,mtu=N]" (target syntax: core::transport::parseUdpTarget): HOST is a
// name, an IPv4 address or a bracketed IPv6 address. Serving, HOST is the address to
// bind: "0.0.0.0", "[::]", or "*" for every IPv4 and IPv6 address; port 0 picks a free one.
struct UdpOptions {
    QString host;
    quint16 port = kDefaultPort;
    int mtu = 0;               // 0: the default for the address family
};

Result<UdpOptions> parseUdpOptions(const core::transport::ConnectionSpec& spec);

class UdpTransport final : public QueuedOpenTransport {
    Q_OBJECT
public:
    UdpTransport(UdpOptions options, bool serve, QObject* parent);
    ~UdpTransport() override;

    void close() override;
    // Client: to the board. Serving: to the last client that sent a datagram.
    bool send(const QByteArray& packet) override;
    int maxPacketSize() const override { return mtu(); }
    int mtu() const override;
    // "one UDP datagram carries at most 1472 bytes here: raise it with mtu= …".
    QString packetLimitText() const override;
    QString describe() const override;

    // Serving: the bound port (useful with port 0); also the QObject property "localPort".
    quint16 localPort() const;

private:
    void openNow() override;
    void connectTo(const QHostAddress& address);
    void bindTo(const QHostAddress& address);
    void onReadyRead();
    void teardown();
    void shutDown(const QString& message);

    UdpOptions m_options;
    bool m_serve = false;
    QUdpSocket* m_socket = nullptr;
    QHostAddress m_address;            // the board (client) or the bound address (serving)
    QHostAddress m_peerAddress;        // serving: who to answer
    quint16 m_peerPort = 0;
    int m_lookupId = -1;
};

} // namespace otalab::plugins::udp
