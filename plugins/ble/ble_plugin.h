// SPDX-License-Identifier: Apache-2.0
// The BLE transport plugin's root object: creates BleTransports, scans for SMP boards.
#pragma once

#include "core/transport/transport.h"

namespace otalab::plugins::ble {

class BleTransportFactory final : public QObject, public core::transport::TransportFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID OTALAB_TRANSPORT_IID FILE "ble.json")
    Q_INTERFACES(otalab::core::transport::TransportFactory)
public:
    QString scheme() const override { return QStringLiteral("ble"); }
    Result<core::transport::Transport*> create(const core::transport::ConnectionSpec& spec, QObject* parent) override;
    // An 8 s Bluetooth LE scan reporting devices that advertise the SMP service UUID;
    // fails at once with "no Bluetooth adapter found …" when there is none.
    core::transport::Discovery* discover(QObject* parent) override;
};

} // namespace otalab::plugins::ble
