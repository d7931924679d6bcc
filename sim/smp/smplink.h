// SPDX-License-Identifier: Apache-2.0
// SmpLink: the base of the simulated links between an SMP client (host) and a simulated board.
#pragma once

#include "sim/kernel/eventhandler.h"
#include "sim/kernel/simulator.h"

#include <QByteArray>
#include <QString>

#include <utility>
#include <vector>

#include <cstdint>
#include <map>

namespace otalab::sim {

// The host's end of a link: what a transport would report to its client program.
class SmpLinkHost {
public:
    virtual void onLinkPacket(const QByteArray& packet) = 0;   // one whole, checked SMP packet
    // The board's end went away under an open host (USB CDC port vanished, BLE
    // disconnect). The host end is closed now; reopen with SmpLink::hostOpen().
    virtual void onLinkDown() = 0;
    virtual void onLinkText(const QByteArray& line) { static_cast<void>(line); }     // console text (serial)
    virtual void onLinkError(const QString& message) { static_cast<void>(message); } // a frame the host dropped

protected:
    ~SmpLinkHost() = default;
};

// The board's end of a link: its SMP transport hands over whole request packets.
class SmpLinkDevice {
public:
    virtual void onLinkPacket(const QByteArray& packet) = 0;
    virtual void onLinkError(const QString& message) { static_cast<void>(message); }   // a frame the board dropped

protected:
    ~SmpLinkDevice() = default;
};

// Counters of one link. "Wire bytes" are what the physical link carries for SMP, in the
// unit of the link: serial console bytes (markers, base64, newlines), BLE ATT PDUs
// (payload + 3-byte opcode/handle), UDP payloads plus IPv4/UDP headers.
struct SmpLinkStats {
    std::int64_t hostWireBytes = 0;        // host → board
    std::int64_t deviceWireBytes = 0;      // board → host
    std::int64_t hostPacketBytes = 0;      // SMP packet bytes handed over by the host
    std::int64_t devicePacketBytes = 0;    // SMP packet bytes handed over by the board
    int packetsToDevice = 0;               // delivered to the board's SMP layer
    int packetsToHost = 0;                 // delivered to the host
    int corruptedBytes = 0;                // bytes the noise model altered (both directions)
    int lostUnits = 0;                     // noise: UDP datagrams lost / BLE PDUs resent
    int framesDroppedAtDevice = 0;         // CRC, base64, length or reassembly errors; no line buffer
    int framesDroppedAtHost = 0;
    int linkDrops = 0;                     // the board's end went away under an open host
    int outageDrops = 0;                   // packets lost to a link outage (faults)
};

// A link carries whole SMP packets through the real codec of its transport (serial
// console framing, BLE ATT fragments, UDP datagrams), taking the time its bit rate
// and protocol need. Packets cross only while the host end is open and the board's end
// is present; closing either end loses everything in flight (both directions).
//
// Subclasses schedule their own events on the simulator; payload words carry an index
// into a pending map and the link epoch (see isCurrent()), never addresses.
// Simulation thread only. Must outlive the simulator's events (or the simulator).
class SmpLink : public EventHandler {
public:
    SmpLink(Simulator& sim, NodeId node);
    virtual ~SmpLink() = default;
    SmpLink(const SmpLink&) = delete;
    SmpLink& operator=(const SmpLink&) = delete;

    void attachHost(SmpLinkHost* host) { m_host = host; }
    void attachDevice(SmpLinkDevice* device) { m_device = device; }

    // Host end. hostOpen() fails (false, with why) while the board's end is absent.
    bool hostOpen(QString* why = nullptr);
    void hostClose();
    bool isHostOpen() const { return m_hostOpen; }

    // Board end: absent while a USB CDC board resets or a BLE board is disconnected.
    void setDevicePresent(bool present);
    bool isDevicePresent() const { return m_devicePresent; }
    // Whether a board reset takes the board's end away (USB CDC, BLE) or leaves the link
    // up with a silent board (a UART behind a debug probe, UDP).
    virtual bool dropsOnReset() const = 0;

    // Queues a request packet; false when the host end is closed (nothing sent).
    bool sendFromHost(const QByteArray& packet);
    // Queues a response packet and returns the time the board's CPU is free again: the
    // serial transport writes with uart_poll_out() and blocks the SMP thread until the
    // last byte left; BLE and UDP hand the packet to their stack at once.
    SimTime sendFromDevice(const QByteArray& packet);
    // Console text from the board (serial only; other links drop it).
    virtual void sendTextFromDevice(const QByteArray& text) { static_cast<void>(text); }

    // The largest SMP packet the link carries, its unit (serial line, ATT MTU, datagram)
    // and a description ("simulated serial @ 115200 baud").
    virtual int maxPacketSize() const = 0;
    virtual int mtu() const = 0;
    virtual QString describe() const = 0;

    // Faults: during [from, to) the link carries nothing — every packet handed to either end
    // in that interval is lost (both ends stay open: a radio or route outage, not a
    // disconnect). Add before or during the run, from >= now.
    void addOutage(SimTime from, SimTime to);
    bool inOutage() const;

    const SmpLinkStats& stats() const { return m_stats; }
    Simulator& simulator() { return m_sim; }
    NodeId node() const { return m_node; }

protected:
    virtual void transmitFromHost(const QByteArray& packet) = 0;
    virtual SimTime transmitFromDevice(const QByteArray& packet) = 0;
    // Everything in flight was lost (the epoch already moved on): reset timing and
    // reassembly state.
    virtual void onFlush() = 0;

    // Hand a checked packet to either end (dropped when the link is no longer up).
    void deliverToDevice(const QByteArray& packet);
    void deliverToHost(const QByteArray& packet);
    void deliverTextToHost(const QByteArray& line);
    void reportDeviceError(const QString& message);
    void reportHostError(const QString& message);

    // Events carry the epoch they were scheduled in; a flush makes them stale.
    std::uint32_t epoch() const { return m_epoch; }
    bool isCurrent(const Event& event) const { return event.data.arg1 == m_epoch; }
    bool isUp() const { return m_hostOpen && m_devicePresent; }
    EventData eventData(std::uint32_t kind, std::uint64_t id) const { return EventData{m_node, kind, id, m_epoch}; }

    Simulator& m_sim;
    NodeId m_node;
    SmpLinkStats m_stats;

private:
    void flush();

    SmpLinkHost* m_host = nullptr;
    SmpLinkDevice* m_device = nullptr;
    bool m_hostOpen = false;
    bool m_devicePresent = true;
    std::uint32_t m_epoch = 0;
    std::vector<std::pair<SimTime, SimTime>> m_outages;
};

// Pending items of a link, keyed by a running id carried in an event's arg0.
template <typename T>
class SmpPendingMap {
public:
    std::uint64_t put(T item)
    {
        const std::uint64_t id = m_next++;
        m_items.emplace(id, std::move(item));
        return id;
    }
    // Removes and returns the item (a default T when unknown).
    T take(std::uint64_t id)
    {
        auto it = m_items.find(id);
        if (it == m_items.end())
            return T{};
        T item = std::move(it->second);
        m_items.erase(it);
        return item;
    }
    T* find(std::uint64_t id)
    {
        auto it = m_items.find(id);
        return it == m_items.end() ? nullptr : &it->second;
    }
    void clear() { m_items.clear(); }
    std::size_t size() const { return m_items.size(); }

private:
    std::map<std::uint64_t, T> m_items;
    std::uint64_t m_next = 0;
};

} // namespace otalab::sim
