// SPDX-License-Identifier: Apache-2.0
// The built-in "sim" transport: a simulated SMP board (sim/smp) run in real time.
#pragma once

#include "app/hw/transport_registry.h"
#include "core/transport/transport.h"
#include "sim/smp/smptestbed.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <memory>

namespace otalab::hw {

class SimulatedTransport;

// One simulated board (link model + SMP server + MCUboot) whose virtual time follows
// the wall clock × speed: a single-shot QTimer wakes the simulator at its next event,
// and every send() first brings it up to now, so the link's bit rate and the board's
// flash timing play out in real time. One host at a time. What the link hands the host
// is queued during a simulator run and passed on after it (no re-entrant runs).
// Threading: the thread that created it (the GUI/main thread).
class SimulatedBoard final : public QObject, private sim::SmpLinkHost {
    Q_OBJECT
public:
    SimulatedBoard(sim::SmpTestbedConfig config, double speed, QObject* parent = nullptr);
    ~SimulatedBoard() override;

    sim::SmpTestbed& testbed() { return m_testbed; }
    double speed() const { return m_speed; }
    // Runs the simulator up to the current virtual time, passes on what arrived and
    // re-arms the wake-up timer.
    void catchUp();
    sim::SimTime virtualNow() const;

    bool attach(SimulatedTransport* transport, QString* why);
    void detach(SimulatedTransport* transport);
    bool send(const QByteArray& packet);

private:
    struct Delivery {
        enum class Kind { Packet, Down, Text, Error } kind;
        QByteArray bytes;
        QString message;
    };
    void onLinkPacket(const QByteArray& packet) override;
    void onLinkDown() override;
    void onLinkText(const QByteArray& line) override;
    void onLinkError(const QString& message) override;
    void flushDeliveries();
    void rearm();
    void reportWireBytes();

    sim::SmpTestbed m_testbed;
    double m_speed;
    QElapsedTimer m_clock;
    QTimer m_wake;
    QPointer<SimulatedTransport> m_host;
    std::deque<Delivery> m_deliveries;
    bool m_running = false;     // inside Simulator::runUntil
    bool m_flushing = false;
    std::int64_t m_reportedSent = 0;
    std::int64_t m_reportedReceived = 0;
};

// "sim:serial,baud=115200" | "sim:ble,interval_ms=30,mtu=247" | "sim:udp" plus the
// options of sim::parseSmpSimSpec, and:
//   speed=1      virtual seconds per wall second (10 = ten times faster than real)
//   image=PATH   MCUboot image programmed into the primary slot (default: a generated
//                unsigned image, version=1.0.0)
//   board=NAME   keep the board for the life of the process: the next connection with
//                the same name finds the images and state the last one left (the
//                link and board options of that later spec are not applied again)
// open() fails while the board restarts and its link is gone (USB CDC, BLE), like a port
// that vanished; a board reset closes an open transport the same way.
class SimulatedTransport final : public core::transport::Transport {
    Q_OBJECT
public:
    SimulatedTransport(std::shared_ptr<SimulatedBoard> board, QString name, QObject* parent = nullptr);
    ~SimulatedTransport() override;

    void open() override;
    void close() override;
    bool send(const QByteArray& packet) override;
    int maxPacketSize() const override;
    int mtu() const override;
    State state() const override { return m_state; }
    QString describe() const override;

    SimulatedBoard& board() { return *m_board; }

private:
    friend class SimulatedBoard;
    void setState(State state);
    void boardPacket(const QByteArray& packet);
    void boardDown();
    void boardText(const QByteArray& line);
    void boardError(const QString& message);
    void boardWireBytes(qint64 sent, qint64 received);

    std::shared_ptr<SimulatedBoard> m_board;
    QString m_name;
    State m_state = State::Closed;
    quint64 m_generation = 0;   // bumps on close(): a queued open of an earlier request is void
};

// Creates simulated transports; the boards of board=NAME specs live in it.
class SimulatedTransportFactory final : public core::transport::TransportFactory {
public:
    QString scheme() const override { return QStringLiteral("sim"); }
    Result<core::transport::Transport*> create(const core::transport::ConnectionSpec& spec, QObject* parent) override;
    // Lists sim:serial, sim:ble and sim:udp.
    core::transport::Discovery* discover(QObject* parent) override;

    static SimulatedTransportFactory& instance();

private:
    std::map<QString, std::shared_ptr<SimulatedBoard>> m_named;
};

// Built-in transports (no plugin file): scheme "sim". TransportRegistry::factory() asks
// builtinTransportFactory() first; its plugins() lists plugin files only, so a UI that
// offers every scheme adds builtinTransports().
QList<TransportPluginInfo> builtinTransports();
core::transport::TransportFactory* builtinTransportFactory(const QString& scheme);

} // namespace otalab::hw
