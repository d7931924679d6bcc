// SPDX-License-Identifier: Apache-2.0
// SmpBleLink: SMP over BLE GATT (Zephyr smp_bt) with connection events and LL data PDUs.
#pragma once

#include "core/smp/ble_fragmentation.h"
#include "sim/kernel/randomstream.h"
#include "sim/smp/smplink.h"

#include <deque>

namespace otalab::sim {

struct SmpBleLinkConfig {
    SimTime connectionInterval = SimTime::fromMillis(30);   // 7.5 ms … 4 s in 1.25 ms steps
    int attMtu = 247;               // negotiated ATT_MTU (23 … 517)
    // LL data PDU payload: 251 with Data Length Extension (CONFIG_BT_CTLR_DATA_LENGTH_MAX),
    // 27 without. An ATT PDU plus its 4-byte L2CAP header is cut into PDUs of this size.
    int llPayload = 251;
    // LL data PDUs per direction per connection event: a controller/phone limit (Android
    // and iOS phones commonly manage 4–7, Linux/BlueZ more).
    int maxPdusPerEvent = 4;
    int phyBitRate = 1'000'000;     // LE 1M PHY; 2'000'000 for LE 2M
    bool encrypted = false;         // a paired link adds a 4-byte MIC to every data PDU
    // Probability that a byte on air is hit; a hit PDU fails its CRC and is sent again
    // at the next exchange (the link layer retransmits: nothing arrives corrupted).
    double byteErrorRate = 0;
};

// Host → board: each packet cut with splitForAtt() into ATT_MTU − 3 byte writes without
// response, the board reassembles them with PacketReassembler; board → host: the
// response as notifications, reassembled the same way on the host. Connection events
// happen every connectionInterval (from time 0); in each, the central and the
// peripheral exchange up to maxPdusPerEvent PDU pairs (data or empty), each taking its
// air time (preamble, access address, header, payload, [MIC,] CRC at the PHY rate) plus
// the 150 µs inter-frame space, and stopping before the next event. A write or
// notification arrives when its last PDU has been received.
class SmpBleLink final : public SmpLink {
public:
    // The noise streams derive from sim.seed(): set the seed first.
    SmpBleLink(Simulator& sim, NodeId node, SmpBleLinkConfig config = {});

    bool dropsOnReset() const override { return true; }    // a reset ends the connection
    int maxPacketSize() const override;                     // reassembly: any SMP packet
    int mtu() const override { return m_config.attMtu; }
    QString describe() const override;

    const SmpBleLinkConfig& config() const { return m_config; }
    // Air time of one LL data PDU with `payload` bytes (0 = an empty PDU).
    SimTime pduAirTime(int payload) const;
    // LL data PDUs one ATT write/notification of `attPayload` SMP bytes needs.
    int pdusPerFragment(int attPayload) const;
    int connectionEvents() const { return m_connectionEvents; }

    void handleEvent(Simulator& sim, const Event& event) override;

private:
    enum Kind : std::uint32_t { ConnectionEvent = 1, ToDevice = 2, ToHost = 3 };
    struct Pdu {
        std::uint64_t fragment = 0;   // id in m_fragments
        int payload = 0;              // LL payload bytes
        bool last = false;            // the fragment's last PDU
    };

    void transmitFromHost(const QByteArray& packet) override;
    SimTime transmitFromDevice(const QByteArray& packet) override;
    void onFlush() override;
    void queueFragments(const QByteArray& packet, std::deque<Pdu>& queue, std::int64_t& wireBytes);
    void scheduleEvent();
    void onConnectionEvent();
    void onFragment(std::uint64_t id, bool toDevice);

    SmpBleLinkConfig m_config;
    RandomStream m_noiseUp;
    RandomStream m_noiseDown;
    std::deque<Pdu> m_up;         // central (host) → peripheral (board)
    std::deque<Pdu> m_down;
    SmpPendingMap<QByteArray> m_fragments;
    EventHandle m_nextEvent;
    std::int64_t m_lastAnchorNs = 0;   // time of the last connection event
    int m_connectionEvents = 0;
    core::smp::PacketReassembler m_deviceReassembler;
    core::smp::PacketReassembler m_hostReassembler;
};

} // namespace otalab::sim
