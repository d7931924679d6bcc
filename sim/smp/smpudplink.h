// SPDX-License-Identifier: Apache-2.0
// SmpUdpLink: SMP over UDP (Zephyr smp_udp), one packet per datagram, port 1337.
#pragma once

#include "sim/kernel/randomstream.h"
#include "sim/smp/smplink.h"

namespace otalab::sim {

struct SmpUdpLinkConfig {
    SimTime latency = SimTime::fromMillis(1);   // one way, after the last bit left
    double bitRate = 10e6;                      // bits per second each way (10 Mbit/s Ethernet)
    int maxDatagram = 1472;                     // UDP payload: 1500-byte Ethernet MTU − IPv4 − UDP
    int headerBytes = 28;                       // IPv4 (20) + UDP (8) per datagram, counted as wire bytes
    // Probability that a byte is hit; a hit datagram fails its checksum and is lost.
    double byteErrorRate = 0;
};

// Each packet is one datagram: serialized at bitRate (payload + headers), delivered
// `latency` later, or lost as a whole. A board reset leaves the link up: the board is
// just silent while it restarts.
class SmpUdpLink final : public SmpLink {
public:
    // The noise streams derive from sim.seed(): set the seed first.
    SmpUdpLink(Simulator& sim, NodeId node, SmpUdpLinkConfig config = {});

    bool dropsOnReset() const override { return false; }
    int maxPacketSize() const override { return m_config.maxDatagram; }
    int mtu() const override { return m_config.maxDatagram; }
    QString describe() const override;

    const SmpUdpLinkConfig& config() const { return m_config; }
    SimTime wireTime(std::int64_t payloadBytes) const;

    void handleEvent(Simulator& sim, const Event& event) override;

private:
    enum Kind : std::uint32_t { ToDevice = 1, ToHost = 2 };

    void transmitFromHost(const QByteArray& packet) override;
    SimTime transmitFromDevice(const QByteArray& packet) override;
    void onFlush() override;
    void send(const QByteArray& packet, bool toDevice);

    SmpUdpLinkConfig m_config;
    RandomStream m_noiseUp;
    RandomStream m_noiseDown;
    SimTime m_hostTxFree;
    SimTime m_deviceTxFree;
    SmpPendingMap<QByteArray> m_datagrams;
};

} // namespace otalab::sim
