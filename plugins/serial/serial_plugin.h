// SPDX-License-Identifier: Apache-2.0
// The serial transport plugin's root object: creates SerialTransports, lists serial ports.
#pragma once

#include "core/transport/transport.h"

namespace otalab::plugins::serial {

class SerialTransportFactory final : public QObject, public core::transport::TransportFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID OTALAB_TRANSPORT_IID FILE "serial.json")
    Q_INTERFACES(otalab::core::transport::TransportFactory)
public:
    QString scheme() const override { return QStringLiteral("serial"); }
    Result<core::transport::Transport*> create(const core::transport::ConnectionSpec& spec, QObject* parent) override;
    // Lists QSerialPortInfo ports (USB ones with manufacturer, VID:PID and serial number);
    // the list is emitted from the event loop right after this returns.
    core::transport::Discovery* discover(QObject* parent) override;
};

} // namespace otalab::plugins::serial
