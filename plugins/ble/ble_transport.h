// SPDX-License-Identifier: Apache-2.0
// SMP over Bluetooth LE (Zephyr smp_bt): write without response in ATT_MTU - 3 byte
// chunks, notifications back, reassembled by the SMP header length.
#pragma once

#include "core/smp/ble_fragmentation.h"
#include "plugins/common/queued_open_transport.h"

#include <QBluetoothDeviceInfo>
#include <QLowEnergyCharacteristic>
#include <QTimer>

class QBluetoothDeviceDiscoveryAgent;
class QLowEnergyController;
class QLowEnergyService;

namespace otalab::plugins::ble {

// "ble:NAME-or-ADDRESS[,scan_ms=N][,connect_ms=N]".
struct BleOptions {
    QString device;            // advertised name ("Zephyr-42") or address ("C0:FF:EE:00:00:01")
    int scanMs = 10000;        // how long to look for the device before giving up
    int connectMs = 20000;     // connect + service discovery + enabling notifications
};

Result<BleOptions> parseBleOptions(const core::transport::ConnectionSpec& spec);

class BleTransport final : public QueuedOpenTransport {
    Q_OBJECT
public:
    BleTransport(BleOptions options, QObject* parent);
    ~BleTransport() override;

    void close() override;
    bool send(const QByteArray& packet) override;
    // Reassembly has no limit of its own: the largest SMP packet.
    int maxPacketSize() const override { return 0xffff + 8; }
    int mtu() const override { return m_attMtu; }   // negotiated ATT_MTU (23 until known)
    QString describe() const override;

private:
    void openNow() override;
    void scanFound(const QBluetoothDeviceInfo& info);
    void connectTo(const QBluetoothDeviceInfo& info);
    void onServicesDiscovered();
    void onServiceState();
    void onNotification(const QLowEnergyCharacteristic& characteristic, const QByteArray& value);
    void teardown();
    void shutDown(const QString& message);

    BleOptions m_options;
    QBluetoothDeviceDiscoveryAgent* m_agent = nullptr;
    QLowEnergyController* m_controller = nullptr;
    QLowEnergyService* m_service = nullptr;
    QLowEnergyCharacteristic m_characteristic;
    core::smp::PacketReassembler m_reassembler;
    QTimer m_deadline;         // bounds scanning, then connecting
    int m_attMtu = core::smp::kBleDefaultAttMtu;
};

} // namespace otalab::plugins::ble
