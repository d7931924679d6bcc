// SPDX-License-Identifier: Apache-2.0
// SMP over UDP (Zephyr smp_udp): one whole SMP packet per datagram, port 1337 by default.
#include "udp_transport.h"

#include "plugins/common/option_reader.h"

#include <QHostInfo>
#include <QNetworkDatagram>
#include <QUdpSocket>

namespace otalab::plugins::udp {

using core::transport::ConnectionSpec;

namespace {

QString hostForDisplay(const QString& host)
{
    return host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
}

} // namespace

Result<UdpOptions> parseUdpOptions(const ConnectionSpec& spec)
{
    auto target = core::transport::parseUdpTarget(spec.target);
    if (!target)
        return fail(target.error());
    UdpOptions options;
    options.host = target->host;
    options.port = target->port;
    if (options.port == 0 && !spec.serve)
        return fail(QStringLiteral("udp port 0 only makes sense when serving; the board listens on %1 by default")
                        .arg(kDefaultPort));
    OptionReader reader(QStringLiteral("udp"), spec.options);
    options.mtu = reader.integer(QStringLiteral("mtu"), 0, 64, kMaxMtu);
    if (auto ok = reader.finish(); !ok)
        return fail(ok.error());
    return options;
}

UdpTransport::UdpTransport(UdpOptions options, bool serve, QObject* parent)
    : QueuedOpenTransport(parent), m_options(std::move(options)), m_serve(serve)
{
}

UdpTransport::~UdpTransport()
{
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
}

int UdpTransport::mtu() const
{
    if (m_options.mtu > 0)
        return m_options.mtu;
    // Serving, the datagram goes to the last client; its family decides.
    const QHostAddress& peer = m_serve && m_peerPort != 0 ? m_peerAddress : m_address;
    if (peer.protocol() == QAbstractSocket::IPv4Protocol)
        return kDefaultMtuIpv4;
    bool mappedIpv4 = false;
    if (peer.protocol() == QAbstractSocket::IPv6Protocol)
        peer.toIPv4Address(&mappedIpv4);   // ::ffff:a.b.c.d on a dual-stack socket
    return mappedIpv4 ? kDefaultMtuIpv4 : kDefaultMtuIpv6;   // unknown or dual-stack: the smaller
}

QString UdpTransport::packetLimitText() const
{
    return QStringLiteral("one UDP datagram carries at most %1 bytes here%2: raise it with mtu= in the connection "
                          "(up to %3) if the path and the board allow it (Zephyr reads at most "
                          "CONFIG_MCUMGR_TRANSPORT_UDP_MTU bytes, 1500 by default, into buffers of "
                          "CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE)")
        .arg(maxPacketSize())
        .arg(m_options.mtu > 0 ? QStringLiteral(" (mtu=%1)").arg(m_options.mtu)
                               : QStringLiteral(" (a 1500-byte Ethernet MTU less the IP and UDP headers)"))
        .arg(kMaxMtu);
}

quint16 UdpTransport::localPort() const
{
    return m_socket ? m_socket->localPort() : 0;
}

QString UdpTransport::describe() const
{
    if (m_serve)
        return QStringLiteral("udp server on %1:%2").arg(hostForDisplay(m_options.host.isEmpty() ? QStringLiteral("*") : m_options.host))
            .arg(localPort() ? localPort() : m_options.port);
    return QStringLiteral("udp %1:%2").arg(hostForDisplay(m_options.host)).arg(m_options.port);
}

void UdpTransport::openNow()
{
    const QString& host = m_options.host;
    if (m_serve && (host.isEmpty() || host == QLatin1String("*"))) {
        bindTo(QHostAddress::Any);
        return;
    }
    QHostAddress literal;
    if (literal.setAddress(host)) {
        m_serve ? bindTo(literal) : connectTo(literal);
        return;
    }
    const quint64 lookup = generation();
    m_lookupId = QHostInfo::lookupHost(host, this, [this, lookup](const QHostInfo& info) {
        m_lookupId = -1;
        if (lookup != generation() || m_state != State::Opening)
            return;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            shutDown(QStringLiteral("cannot resolve host '%1': %2; check the name or give the board's IP address")
                         .arg(m_options.host, info.errorString()));
            return;
        }
        const QHostAddress address = info.addresses().constFirst();
        m_serve ? bindTo(address) : connectTo(address);
    });
}

void UdpTransport::connectTo(const QHostAddress& address)
{
    m_address = address;
    m_socket = new QUdpSocket(this);
    connect(m_socket, &QUdpSocket::readyRead, this, &UdpTransport::onReadyRead);
    connect(m_socket, &QUdpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (m_state == State::Opening) {
            shutDown(QStringLiteral("cannot reach udp %1:%2: %3")
                         .arg(hostForDisplay(m_address.toString())).arg(m_options.port).arg(m_socket->errorString()));
        } else if (error == QAbstractSocket::TemporaryError || error == QAbstractSocket::ConnectionRefusedError) {
            // "Try again" from draining an ICMP error, see onReadyRead(): not news.
        } else {
            Q_EMIT errorOccurred(QStringLiteral("udp %1:%2: %3")
                                     .arg(hostForDisplay(m_address.toString())).arg(m_options.port).arg(m_socket->errorString()));
        }
    });
    connect(m_socket, &QUdpSocket::connected, this, [this] {
        if (m_state == State::Opening)
            setState(State::Open);
    });
    m_socket->connectToHost(address, m_options.port);
}

void UdpTransport::bindTo(const QHostAddress& address)
{
    m_address = address;
    m_socket = new QUdpSocket(this);
    connect(m_socket, &QUdpSocket::readyRead, this, &UdpTransport::onReadyRead);
    if (!m_socket->bind(address, m_options.port)) {
        const QString why = m_socket->error() == QAbstractSocket::AddressInUseError
            ? QStringLiteral("udp port %1 on %2 is already in use (another `target serve`?): choose another port")
                  .arg(m_options.port).arg(hostForDisplay(address.toString()))
            : QStringLiteral("cannot listen on udp %1:%2: %3")
                  .arg(hostForDisplay(address.toString())).arg(m_options.port).arg(m_socket->errorString());
        shutDown(why);
        return;
    }
    setProperty("localPort", m_socket->localPort());
    setState(State::Open);
}

void UdpTransport::teardown()
{
    invalidatePendingOpen();
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_peerAddress.clear();
    m_peerPort = 0;
}

void UdpTransport::close()
{
    teardown();
    setState(State::Closed);
}

void UdpTransport::shutDown(const QString& message)
{
    teardown();
    Q_EMIT errorOccurred(message);
    setState(State::Closed);
}

bool UdpTransport::send(const QByteArray& packet)
{
    if (m_state != State::Open) {
        Q_EMIT errorOccurred(QStringLiteral("cannot send: %1 is not open").arg(describe()));
        return false;
    }
    if (packet.size() > maxPacketSize()) {
        Q_EMIT errorOccurred(QStringLiteral("cannot send a %1-byte packet in one datagram: the limit is %2 bytes "
                                            "(raise it with mtu=, up to %3)")
                                 .arg(packet.size()).arg(maxPacketSize()).arg(kMaxMtu));
        return false;
    }
    qint64 written = -1;
    if (m_serve) {
        if (m_peerPort == 0) {
            Q_EMIT errorOccurred(QStringLiteral("no client has sent anything yet, so there is nobody to answer"));
            return false;
        }
        written = m_socket->writeDatagram(packet, m_peerAddress, m_peerPort);
    } else {
        written = m_socket->write(packet);
    }
    if (written != packet.size()) {
        Q_EMIT errorOccurred(QStringLiteral("cannot send over %1: %2").arg(describe(), m_socket->errorString()));
        return false;
    }
    Q_EMIT wireBytes(packet.size(), 0);
    return true;
}

void UdpTransport::onReadyRead()
{
    if (m_socket && !m_socket->hasPendingDatagrams()) {
        // Readable without a datagram: an ICMP error (port unreachable) that the peek
        // consumed. Qt re-arms the read notifier only in readDatagram(), so read once
        // (it fails with "try again") or the socket would stay deaf from now on.
        char none = 0;
        m_socket->readDatagram(&none, 1);
        if (!m_serve)
            Q_EMIT errorOccurred(QStringLiteral("nothing listens on udp %1:%2 (port unreachable): is the board's SMP "
                                                "UDP server running and the port right?")
                                     .arg(hostForDisplay(m_address.toString())).arg(m_options.port));
        return;
    }
    while (m_socket && m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket->receiveDatagram();
        if (!datagram.isValid())
            break;
        const QByteArray data = datagram.data();
        if (data.isEmpty())
            continue;
        if (m_serve) {
            m_peerAddress = datagram.senderAddress();
            m_peerPort = quint16(datagram.senderPort());
        }
        Q_EMIT wireBytes(0, data.size());
        Q_EMIT packetReceived(data);
    }
}

} // namespace otalab::plugins::udp
