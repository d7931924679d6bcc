// SPDX-License-Identifier: Apache-2.0
#include "app/hw/ocf_udp_endpoint.h"

#include <QHostInfo>
#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QUdpSocket>

namespace otalab::hw::ocf {

using core::ocf::CoapPeer;

namespace {

QHostAddress resolve(const QString& host)
{
    QHostAddress address;
    if (address.setAddress(host))
        return address;
    const QHostInfo info = QHostInfo::fromName(host);
    for (const QHostAddress& a : info.addresses())
        if (a.protocol() == QAbstractSocket::IPv4Protocol)
            return a;
    return info.addresses().isEmpty() ? QHostAddress() : info.addresses().constFirst();
}

// An IPv4 address reached through a dual-stack socket reads as ::ffff:a.b.c.d: print a.b.c.d.
QString hostText(const QHostAddress& address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4).toString();
    QHostAddress plain = address;
    plain.setScopeId(QString());
    return plain.toString();
}

} // namespace

Result<HostPort> parseHostPort(const QString& text, quint16 defaultPort)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return fail(QStringLiteral("an empty address: expected HOST[:PORT] or [IPV6][:PORT]"));
    HostPort result{{}, defaultPort};
    QString portText;
    if (t.startsWith(QLatin1Char('['))) {
        const qsizetype close = t.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(QStringLiteral("'%1': '[' without ']' around an IPv6 address").arg(t));
        result.host = t.mid(1, close - 1);
        const QString rest = t.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return fail(QStringLiteral("'%1': expected ':PORT' after ']'").arg(t));
            portText = rest.mid(1);
        }
    } else if (t.count(QLatin1Char(':')) > 1) {
        result.host = t;   // a bare IPv6 address
    } else if (const qsizetype colon = t.indexOf(QLatin1Char(':')); colon >= 0) {
        result.host = t.left(colon);
        portText = t.mid(colon + 1);
    } else {
        result.host = t;
    }
    if (result.host.isEmpty())
        return fail(QStringLiteral("'%1': no host").arg(t));
    if (!portText.isNull()) {
        bool ok = false;
        const uint port = portText.toUInt(&ok);
        if (!ok || port > 65535)
            return fail(QStringLiteral("'%1': port '%2' is not a number 0..65535").arg(t, portText));
        result.port = quint16(port);
    }
    return result;
}

QString hostPortText(const QString& host, quint16 port)
{
    return (host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host) + QLatin1Char(':')
        + QString::number(port);
}

OcfUdpEndpoint::OcfUdpEndpoint(QObject* parent) : QObject(parent), m_socket(new QUdpSocket(this))
{
    connect(m_socket, &QUdpSocket::readyRead, this, &OcfUdpEndpoint::onReadyRead);
}

OcfUdpEndpoint::~OcfUdpEndpoint() = default;

Result<void> OcfUdpEndpoint::bind(const QString& address, quint16 port, bool shareAddress)
{
    QHostAddress host(QHostAddress::Any);
    const QString a = address.trimmed();
    if (!a.isEmpty() && a != QLatin1String("*")) {
        host = resolve(a);
        if (host.isNull())
            return fail(QStringLiteral("cannot resolve '%1' to an address to listen on").arg(a));
    }
    const auto mode = shareAddress ? QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint
                                   : QUdpSocket::DefaultForPlatform;
    if (!m_socket->bind(host, port, mode))
        return fail(QStringLiteral("cannot listen on udp %1: %2")
                        .arg(hostPortText(a.isEmpty() ? QStringLiteral("*") : a, port), m_socket->errorString()));
    return {};
}

quint16 OcfUdpEndpoint::localPort() const
{
    return m_socket->localPort();
}

QString OcfUdpEndpoint::describe() const
{
    const QHostAddress local = m_socket->localAddress();
    const QString host = local == QHostAddress::Any || local == QHostAddress::AnyIPv6 || local.isNull()
        ? QStringLiteral("*")
        : hostText(local);
    return QStringLiteral("udp ") + hostPortText(host, m_socket->localPort());
}

bool OcfUdpEndpoint::joinGroup(const QString& group)
{
    return m_socket->joinMulticastGroup(QHostAddress(group));
}

bool OcfUdpEndpoint::send(const CoapPeer& to, const QByteArray& datagram)
{
    const QHostAddress address = resolve(to.host);
    if (address.isNull()) {
        m_lastError = QStringLiteral("cannot resolve '%1'").arg(to.host);
        return false;
    }
    if (m_socket->state() != QAbstractSocket::BoundState)
        m_socket->bind(address.protocol() == QAbstractSocket::IPv6Protocol ? QHostAddress::AnyIPv6 : QHostAddress::Any, 0);
    if (m_socket->writeDatagram(datagram, address, to.port) != datagram.size()) {
        m_lastError = m_socket->errorString();
        return false;
    }
    return true;
}

bool OcfUdpEndpoint::sendMessage(const CoapPeer& to, const core::ocf::CoapMessage& message)
{
    auto bytes = core::ocf::encode(message);
    if (!bytes) {
        m_lastError = bytes.error().toString();
        return false;
    }
    return send(to, *bytes);
}

void OcfUdpEndpoint::onReadyRead()
{
    while (m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket->receiveDatagram();
        if (!datagram.isValid())
            break;
        CoapPeer from;
        from.host = hostText(datagram.senderAddress());
        from.port = quint16(datagram.senderPort());
        Q_EMIT datagramReceived(from, datagram.data());
    }
}

} // namespace otalab::hw::ocf
