// SPDX-License-Identifier: Apache-2.0
// Bluetooth adapter checks and error wording shared by the BLE transport and discovery.
#include "ble_adapter.h"

#include <QBluetoothLocalDevice>

namespace otalab::plugins::ble {

QString missingAdapterMessage(const QString& what)
{
    if (!QBluetoothLocalDevice::allDevices().isEmpty())
        return {};
    return QStringLiteral("no Bluetooth adapter found (BlueZ not running or no controller): %1. Start bluetoothd "
                          "(systemctl start bluetooth), check that `bluetoothctl list` shows a controller and "
                          "power it on (`bluetoothctl power on`)").arg(what);
}

QString describeAgentError(QBluetoothDeviceDiscoveryAgent::Error error, const QString& detail)
{
    switch (error) {
    case QBluetoothDeviceDiscoveryAgent::PoweredOffError:
        return QStringLiteral("the Bluetooth adapter is switched off: `bluetoothctl power on` (%1)").arg(detail);
    case QBluetoothDeviceDiscoveryAgent::InvalidBluetoothAdapterError:
        return QStringLiteral("no Bluetooth adapter found (BlueZ not running or no controller): %1").arg(detail);
    case QBluetoothDeviceDiscoveryAgent::MissingPermissionsError:
        return QStringLiteral("not allowed to scan for Bluetooth devices (%1): check the permissions of this "
                              "program and that your user may use BlueZ").arg(detail);
    default:
        return QStringLiteral("Bluetooth scan failed: %1").arg(detail);
    }
}

QString describeControllerError(QLowEnergyController::Error error, const QString& detail, const QString& device)
{
    switch (error) {
    case QLowEnergyController::UnknownRemoteDeviceError:
        return QStringLiteral("Bluetooth device %1 is not known to BlueZ (%2): scan first, and make sure the board "
                              "advertises").arg(device, detail);
    case QLowEnergyController::ConnectionError:
        return QStringLiteral("cannot connect to Bluetooth device %1 (%2): is it in range, advertising and not "
                              "connected to another central?").arg(device, detail);
    case QLowEnergyController::InvalidBluetoothAdapterError:
        return QStringLiteral("no Bluetooth adapter found (BlueZ not running or no controller): %1").arg(detail);
    case QLowEnergyController::AuthorizationError:
        return QStringLiteral("Bluetooth device %1 refused the connection: pair it first (%2)").arg(device, detail);
    case QLowEnergyController::RemoteHostClosedError:
        return QStringLiteral("Bluetooth device %1 closed the connection (reset or out of range)").arg(device);
    default:
        return QStringLiteral("Bluetooth device %1: %2").arg(device, detail);
    }
}

QString describeServiceError(QLowEnergyService::ServiceError error, const QString& device)
{
    switch (error) {
    case QLowEnergyService::DescriptorWriteError:
        return QStringLiteral("cannot enable SMP notifications on %1: the board refused the CCCD write "
                              "(pairing required?)").arg(device);
    case QLowEnergyService::CharacteristicWriteError:
        return QStringLiteral("writing an SMP packet to %1 failed").arg(device);
    default:
        return QStringLiteral("the SMP service of %1 failed (GATT error %2)").arg(device).arg(int(error));
    }
}

} // namespace otalab::plugins::ble
