// SPDX-License-Identifier: Apache-2.0
// The serial transport plugin's root object: creates SerialTransports, lists serial ports.
#include "serial_plugin.h"

#include "serial_transport.h"

#include <QSerialPortInfo>

namespace otalab::plugins::serial {

using core::transport::ConnectionSpec;
using core::transport::Discovery;
using core::transport::Endpoint;
using core::transport::Transport;

Result<Transport*> SerialTransportFactory::create(const ConnectionSpec& spec, QObject* parent)
{
    auto options = parseSerialOptions(spec);
    if (!options)
        return fail(options.error());
    return new SerialTransport(std::move(*options), spec.serve, parent);
}

namespace {

// "SEGGER J-Link CDC UART Port (1366:1015) serial 000683512345"
QString describePort(const QSerialPortInfo& info)
{
    QStringList parts;
    QString label = info.manufacturer();
    if (!info.description().isEmpty() && !label.contains(info.description()))
        label = label.isEmpty() ? info.description() : label + QLatin1Char(' ') + info.description();
    if (!label.isEmpty())
        parts << label;
    if (info.hasVendorIdentifier() && info.hasProductIdentifier())
        parts << QStringLiteral("(%1:%2)").arg(info.vendorIdentifier(), 4, 16, QLatin1Char('0'))
                     .arg(info.productIdentifier(), 4, 16, QLatin1Char('0'));
    if (!info.serialNumber().isEmpty())
        parts << QStringLiteral("serial %1").arg(info.serialNumber());
    return parts.join(QLatin1Char(' '));
}

} // namespace

Discovery* SerialTransportFactory::discover(QObject* parent)
{
    auto* discovery = new Discovery(parent);
    QMetaObject::invokeMethod(discovery, [discovery] {
        QList<QSerialPortInfo> ports = QSerialPortInfo::availablePorts();
        // USB adapters (the boards) first, then by name.
        std::stable_sort(ports.begin(), ports.end(), [](const QSerialPortInfo& a, const QSerialPortInfo& b) {
            if (a.hasVendorIdentifier() != b.hasVendorIdentifier())
                return a.hasVendorIdentifier();
            return a.portName() < b.portName();
        });
        for (const QSerialPortInfo& info : ports)
            Q_EMIT discovery->endpointFound(Endpoint{QStringLiteral("serial:") + info.systemLocation(),
                                                     info.portName(), describePort(info)});
        Q_EMIT discovery->finished();
        discovery->deleteLater();
    }, Qt::QueuedConnection);
    return discovery;
}

} // namespace otalab::plugins::serial
