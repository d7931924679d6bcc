// SPDX-License-Identifier: Apache-2.0
// SMP over Bluetooth LE (Zephyr smp_bt).
#include "ble_transport.h"

#include "ble_adapter.h"
#include "plugins/common/option_reader.h"

#include <QBluetoothDeviceDiscoveryAgent>
#include <QBluetoothUuid>
#include <QLowEnergyController>
#include <QLowEnergyService>

namespace otalab::plugins::ble {

using core::transport::ConnectionSpec;

namespace {

const QBluetoothUuid kService{QLatin1String(core::smp::kSmpBleServiceUuid)};
const QBluetoothUuid kCharacteristic{QLatin1String(core::smp::kSmpBleCharacteristicUuid)};

// ATT header of one Write Command / Handle Value Notification: opcode + handle.
constexpr int kAttHeader = 3;

} // namespace

Result<BleOptions> parseBleOptions(const ConnectionSpec& spec)
{
    BleOptions options;
    options.device = spec.target.trimmed();
    if (options.device.isEmpty())
        return fail(QStringLiteral("ble: no device given; write ble:Zephyr-42 or ble:C0:FF:EE:00:00:01 "
                                   "(scan with `otalab-cli smp scan --transport ble`)"));
    if (spec.serve)
        return fail(QStringLiteral("ble cannot serve: acting as a board over Bluetooth needs a peripheral role; "
                                   "serve over serial or udp instead"));
    OptionReader reader(QStringLiteral("ble"), spec.options);
    options.scanMs = reader.integer(QStringLiteral("scan_ms"), options.scanMs, 100, 600'000);
    options.connectMs = reader.integer(QStringLiteral("connect_ms"), options.connectMs, 100, 600'000);
    if (auto ok = reader.finish(); !ok)
        return fail(ok.error());
    return options;
}

BleTransport::BleTransport(BleOptions options, QObject* parent)
    : QueuedOpenTransport(parent), m_options(std::move(options))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (m_state != State::Opening)
            return;
        if (m_controller == nullptr)
            shutDown(QStringLiteral("no Bluetooth device %1 found within %2 s: is it powered, advertising and in "
                                    "range? (names are case-sensitive; try its address)")
                         .arg(m_options.device).arg(m_options.scanMs / 1000.0));
        else
            shutDown(QStringLiteral("Bluetooth device %1 did not finish connecting within %2 s")
                         .arg(m_options.device).arg(m_options.connectMs / 1000.0));
    });
}

BleTransport::~BleTransport()
{
    teardown();
}

QString BleTransport::describe() const
{
    return QStringLiteral("ble %1 (ATT_MTU %2)").arg(m_options.device).arg(m_attMtu);
}

void BleTransport::openNow()
{
    const QString missing = missingAdapterMessage(QStringLiteral("cannot reach ble:%1").arg(m_options.device));
    if (!missing.isEmpty()) {
        shutDown(missing);
        return;
    }
    m_agent = new QBluetoothDeviceDiscoveryAgent(this);
    m_agent->setLowEnergyDiscoveryTimeout(m_options.scanMs);
    connect(m_agent, &QBluetoothDeviceDiscoveryAgent::deviceDiscovered, this, &BleTransport::scanFound);
    connect(m_agent, &QBluetoothDeviceDiscoveryAgent::deviceUpdated, this,
            [this](const QBluetoothDeviceInfo& info, QBluetoothDeviceInfo::Fields) { scanFound(info); });
    connect(m_agent, &QBluetoothDeviceDiscoveryAgent::errorOccurred, this,
            [this](QBluetoothDeviceDiscoveryAgent::Error error) {
                if (m_state == State::Opening && m_controller == nullptr)
                    shutDown(describeAgentError(error, m_agent ? m_agent->errorString() : QString()));
            });
    m_deadline.start(m_options.scanMs + 1000);   // the agent's own timeout ends the scan first
    connect(m_agent, &QBluetoothDeviceDiscoveryAgent::finished, this, [this] {
        if (m_state == State::Opening && m_controller == nullptr)
            m_deadline.start(0);
    });
    m_agent->start(QBluetoothDeviceDiscoveryAgent::LowEnergyMethod);
}

void BleTransport::scanFound(const QBluetoothDeviceInfo& info)
{
    if (m_state != State::Opening || m_controller != nullptr)
        return;
    const QString& wanted = m_options.device;
    const bool matches = info.name() == wanted
        || info.address().toString().compare(wanted, Qt::CaseInsensitive) == 0
        || info.deviceUuid().toString(QUuid::WithoutBraces).compare(wanted, Qt::CaseInsensitive) == 0;
    if (!matches)
        return;
    m_agent->stop();
    connectTo(info);
}

void BleTransport::connectTo(const QBluetoothDeviceInfo& info)
{
    m_deadline.start(m_options.connectMs);
    m_controller = QLowEnergyController::createCentral(info, this);
    connect(m_controller, &QLowEnergyController::connected, m_controller, &QLowEnergyController::discoverServices);
    connect(m_controller, &QLowEnergyController::discoveryFinished, this, &BleTransport::onServicesDiscovered);
    connect(m_controller, &QLowEnergyController::mtuChanged, this, [this](int mtu) {
        if (mtu >= core::smp::kBleDefaultAttMtu)
            m_attMtu = mtu;
    });
    connect(m_controller, &QLowEnergyController::errorOccurred, this, [this](QLowEnergyController::Error error) {
        shutDown(describeControllerError(error, m_controller->errorString(), m_options.device));
    });
    connect(m_controller, &QLowEnergyController::disconnected, this, [this] {
        shutDown(m_state == State::Open
                     ? QStringLiteral("Bluetooth device %1 disconnected (reset, out of range or switched off); it is "
                                      "reconnected when it advertises again").arg(m_options.device)
                     : QStringLiteral("Bluetooth device %1 disconnected while connecting").arg(m_options.device));
    });
    m_controller->connectToDevice();
}

void BleTransport::onServicesDiscovered()
{
    if (m_state != State::Opening)
        return;
    if (!m_controller->services().contains(kService)) {
        shutDown(QStringLiteral("Bluetooth device %1 has no SMP service (%2): is mcumgr over Bluetooth "
                                "(CONFIG_MCUMGR_TRANSPORT_BT) enabled in its firmware?")
                     .arg(m_options.device, QLatin1String(core::smp::kSmpBleServiceUuid)));
        return;
    }
    m_service = m_controller->createServiceObject(kService, this);
    connect(m_service, &QLowEnergyService::stateChanged, this, &BleTransport::onServiceState);
    connect(m_service, &QLowEnergyService::characteristicChanged, this, &BleTransport::onNotification);
    connect(m_service, &QLowEnergyService::descriptorWritten, this, [this] {
        if (m_state != State::Opening)
            return;
        const int mtu = m_controller->mtu();
        if (mtu >= core::smp::kBleDefaultAttMtu)
            m_attMtu = mtu;
        m_deadline.stop();
        setState(State::Open);
    });
    connect(m_service, &QLowEnergyService::errorOccurred, this, [this](QLowEnergyService::ServiceError error) {
        const QString message = describeServiceError(error, m_options.device);
        if (m_state == State::Opening)
            shutDown(message);
        else
            Q_EMIT errorOccurred(message);
    });
    m_service->discoverDetails();
}

void BleTransport::onServiceState()
{
    if (m_state != State::Opening || m_service->state() != QLowEnergyService::RemoteServiceDiscovered)
        return;
    m_characteristic = m_service->characteristic(kCharacteristic);
    if (!m_characteristic.isValid()) {
        shutDown(QStringLiteral("the SMP service of %1 lacks its characteristic %2")
                     .arg(m_options.device, QLatin1String(core::smp::kSmpBleCharacteristicUuid)));
        return;
    }
    const QLowEnergyDescriptor cccd =
        m_characteristic.descriptor(QBluetoothUuid::DescriptorType::ClientCharacteristicConfiguration);
    if (!cccd.isValid()) {
        shutDown(QStringLiteral("the SMP characteristic of %1 cannot notify (no CCCD)").arg(m_options.device));
        return;
    }
    m_service->writeDescriptor(cccd, QLowEnergyCharacteristic::CCCDEnableNotification);
}

void BleTransport::onNotification(const QLowEnergyCharacteristic& characteristic, const QByteArray& value)
{
    if (characteristic.uuid() != kCharacteristic)
        return;
    Q_EMIT wireBytes(0, value.size() + kAttHeader);
    QList<QByteArray> packets;
    QList<QString> errors;
    m_reassembler.feed(value, packets, errors);
    for (const QString& error : errors)
        Q_EMIT errorOccurred(QStringLiteral("dropped a garbled notification from %1: %2").arg(m_options.device, error));
    for (const QByteArray& packet : packets) {
        if (m_state != State::Open)
            return;
        Q_EMIT packetReceived(packet);
    }
}

bool BleTransport::send(const QByteArray& packet)
{
    if (m_state != State::Open) {
        Q_EMIT errorOccurred(QStringLiteral("cannot send: Bluetooth device %1 is not connected").arg(m_options.device));
        return false;
    }
    qint64 wire = 0;
    for (const QByteArray& chunk : core::smp::splitForAtt(packet, m_attMtu)) {
        m_service->writeCharacteristic(m_characteristic, chunk, QLowEnergyService::WriteWithoutResponse);
        wire += chunk.size() + kAttHeader;
    }
    Q_EMIT wireBytes(wire, 0);
    return true;
}

void BleTransport::teardown()
{
    invalidatePendingOpen();
    m_deadline.stop();
    if (m_agent) {
        m_agent->disconnect(this);
        m_agent->stop();
        m_agent->deleteLater();
        m_agent = nullptr;
    }
    if (m_service) {
        m_service->disconnect(this);
        m_service->deleteLater();
        m_service = nullptr;
    }
    if (m_controller) {
        m_controller->disconnect(this);
        m_controller->disconnectFromDevice();
        m_controller->deleteLater();
        m_controller = nullptr;
    }
    m_characteristic = {};
    m_reassembler.reset();
    m_attMtu = core::smp::kBleDefaultAttMtu;
}

void BleTransport::close()
{
    teardown();
    setState(State::Closed);
}

void BleTransport::shutDown(const QString& message)
{
    teardown();
    Q_EMIT errorOccurred(message);
    setState(State::Closed);
}

} // namespace otalab::plugins::ble
