// SPDX-License-Identifier: Apache-2.0
// The transport plugin interface (IID org.otalab.Transport/1). A transport moves whole
// SMP packets; framing (serial base64 lines, BLE ATT fragments, one UDP datagram) is its
// business, protocol state (sequence numbers, retries, timeouts) is not.
//
// Threading: a Transport lives on the thread that created it and emits from it.
// Widget-free: settings UIs live in app/.
#pragma once

#include "core/common/error.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QVariantMap>
#include <QtPlugin>

namespace otalab::core::transport {

// "serial:/dev/ttyACM0,baud=115200,flow=none" | "udp:192.168.1.5:1337" | "udp:[::1]:1337"
// | "ble:Zephyr-42" | "ble:C0:FF:EE:00:00:01". scheme = text before the first ':';
// target = up to the first ','; options = key=value pairs after it.
struct ConnectionSpec {
    QString scheme;
    QString target;
    QVariantMap options;
    // Device role: accept packets from clients and answer the last sender (serial: the
    // same port; UDP: bind target port, "udp:0.0.0.0:1337"). Used by `otalab-cli target serve`.
    bool serve = false;

    static Result<ConnectionSpec> parse(const QString& text);
    QString toString() const;
};

// UDP target "host[:port]", "[v6]:port" or a bare IPv6 address; port defaults to 1337
// (0 = any free port, for serving). ConnectionSpec::parse already writes the port into
// a udp target, so plugins get "host:port" / "[v6]:port".
inline constexpr quint16 kSmpUdpDefaultPort = 1337;
struct UdpTarget {
    QString host;          // without brackets
    quint16 port = kSmpUdpDefaultPort;
};
Result<UdpTarget> parseUdpTarget(const QString& target);

// One connectable thing a transport found: a serial port, a BLE peripheral.
struct Endpoint {
    QString spec;          // what to pass to ConnectionSpec::parse, e.g. "serial:/dev/ttyACM0"
    QString name;          // "ttyACM0"
    QString description;   // "SEGGER J-Link CDC UART (1366:1015) serial 000683…"; BLE: RSSI
};

class Transport : public QObject {
    Q_OBJECT
public:
    enum class State { Closed, Opening, Open };
    Q_ENUM(State)

    using QObject::QObject;
    ~Transport() override = default;

    // Asynchronous: emits stateChanged(Open) or errorOccurred + stateChanged(Closed).
    virtual void open() = 0;
    virtual void close() = 0;
    // Queues one whole SMP packet; false (and errorOccurred) when not open.
    virtual bool send(const QByteArray& packet) = 0;
    // Largest SMP packet the link itself carries (UDP datagram, serial: no limit → 0xffff
    // + 8, BLE: unlimited by reassembly). The board's buf_size limits further.
    virtual int maxPacketSize() const = 0;
    // maxPacketSize() in words with what raises it (a connection option, the board's
    // Kconfig); completes "the os echo request is 2071 bytes but …". Drivers refuse
    // larger requests with it before sending (core/smp/packet_limit.h).
    virtual QString packetLimitText() const
    {
        return QStringLiteral("%1 carries SMP packets of at most %2 bytes").arg(describe()).arg(maxPacketSize());
    }
    // Link unit: BLE negotiated ATT_MTU, UDP payload, serial line length.
    virtual int mtu() const = 0;
    virtual State state() const = 0;
    virtual QString describe() const = 0;   // "serial /dev/ttyACM0 @ 115200"

Q_SIGNALS:
    void stateChanged(otalab::core::transport::Transport::State state);
    void packetReceived(const QByteArray& packet);
    void logText(const QString& text);               // device console output (serial)
    void errorOccurred(const QString& message);      // plain words + what to do
    void wireBytes(qint64 sent, qint64 received);    // raw link bytes, for efficiency figures
};

// Asynchronous discovery (serial: immediate; BLE: a scan filtered by the SMP service).
class Discovery : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
Q_SIGNALS:
    void endpointFound(const otalab::core::transport::Endpoint& endpoint);
    void finished();
    void failed(const QString& message);             // "no Bluetooth adapter: …"
};

// The plugin's root object implements this. Metadata JSON (read before instantiating):
//   {"scheme": "serial", "name": "Serial (mcumgr console framing)", "version": 1}
class TransportFactory {
public:
    virtual ~TransportFactory() = default;
    virtual QString scheme() const = 0;
    virtual Result<Transport*> create(const ConnectionSpec& spec, QObject* parent) = 0;
    // Started immediately; deletes itself after finished()/failed() unless reparented.
    virtual Discovery* discover(QObject* parent) = 0;
};

} // namespace otalab::core::transport

#define OTALAB_TRANSPORT_IID "org.otalab.Transport/1"
Q_DECLARE_INTERFACE(otalab::core::transport::TransportFactory, OTALAB_TRANSPORT_IID)
