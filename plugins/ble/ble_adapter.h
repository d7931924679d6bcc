// SPDX-License-Identifier: Apache-2.0
// Bluetooth adapter checks and error wording shared by the BLE transport and discovery.
#pragma once

#include <QBluetoothDeviceDiscoveryAgent>
#include <QLowEnergyController>
#include <QLowEnergyService>
#include <QString>

namespace otalab::plugins::ble {

// Empty when a local Bluetooth controller is known to BlueZ; otherwise
// "no Bluetooth adapter found (BlueZ not running or no controller): <what> …".
// Synchronous (a D-Bus query of bluetoothd); answers at once when the system bus or
// bluetoothd is missing.
QString missingAdapterMessage(const QString& what);

QString describeAgentError(QBluetoothDeviceDiscoveryAgent::Error error, const QString& detail);
QString describeControllerError(QLowEnergyController::Error error, const QString& detail, const QString& device);
QString describeServiceError(QLowEnergyService::ServiceError error, const QString& device);

} // namespace otalab::plugins::ble
