// SPDX-License-Identifier: Apache-2.0
// The BLE transport plugin's root object: creates BleTransports, scans for SMP boards.
#include "ble_plugin.h"

#include "ble_adapter.h"
#include "ble_transport.h"

#include <QBluetoothDeviceDiscoveryAgent>
#include <QBluetoothUuid>
#include <QSet>

namespace otalab::plugins::ble {

using core::transport::ConnectionSpec;
using core::transport::Discovery;
using core::transport::Endpoint;
using core::transport::Transport;

namespace {

constexpr int kScanMs = 8000;

void startScan(Discovery* discovery)
{
    const QString missing = missingAdapterMessage(QStringLiteral("cannot scan for SMP boards"));
    if (!missing.isEmpty()) {
        Q_EMIT discovery->failed(missing);
        discovery->deleteLater();
        return;
    }
    auto* agent = new QBluetoothDeviceDiscoveryAgent(discovery);
    agent->setLowEnergyDiscoveryTimeout(kScanMs);
    auto reported = std::make_shared<QSet<QString>>();
    const QBluetoothUuid smpService{QLatin1String(core::smp::kSmpBleServiceUuid)};
    auto consider = [discovery, reported, smpService](const QBluetoothDeviceInfo& info) {
        if (!info.serviceUuids().contains(smpService))
            return;
        const QString id = info.address().isNull() ? info.deviceUuid().toString(QUuid::WithoutBraces)
                                                   : info.address().toString();
        if (reported->contains(id))
            return;
        reported->insert(id);
        Q_EMIT discovery->endpointFound(Endpoint{QStringLiteral("ble:") + id, info.name(),
                                                 QStringLiteral("%1, RSSI %2 dBm").arg(id).arg(info.rssi())});
    };
    QObject::connect(agent, &QBluetoothDeviceDiscoveryAgent::deviceDiscovered, discovery, consider);
    QObject::connect(agent, &QBluetoothDeviceDiscoveryAgent::deviceUpdated, discovery,
                     [consider](const QBluetoothDeviceInfo& info, QBluetoothDeviceInfo::Fields) { consider(info); });
    QObject::connect(agent, &QBluetoothDeviceDiscoveryAgent::finished, discovery, [discovery] {
        Q_EMIT discovery->finished();
        discovery->deleteLater();
    });
    QObject::connect(agent, &QBluetoothDeviceDiscoveryAgent::errorOccurred, discovery,
                     [discovery, agent](QBluetoothDeviceDiscoveryAgent::Error error) {
                         agent->disconnect(discovery);
                         Q_EMIT discovery->failed(describeAgentError(error, agent->errorString()));
                         discovery->deleteLater();
                     });
    agent->start(QBluetoothDeviceDiscoveryAgent::LowEnergyMethod);
}

} // namespace

Result<Transport*> BleTransportFactory::create(const ConnectionSpec& spec, QObject* parent)
{
    auto options = parseBleOptions(spec);
    if (!options)
        return fail(options.error());
    return new BleTransport(std::move(*options), parent);
}

Discovery* BleTransportFactory::discover(QObject* parent)
{
    auto* discovery = new Discovery(parent);
    QMetaObject::invokeMethod(discovery, [discovery] { startScan(discovery); }, Qt::QueuedConnection);
    return discovery;
}

} // namespace otalab::plugins::ble
