// SPDX-License-Identifier: Apache-2.0
// SmpUdpLink: datagrams serialized at the bit rate, delivered after the latency or lost.
#include "sim/smp/smpudplink.h"

#include "sim/smp/smpnoise.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

SmpUdpLink::SmpUdpLink(Simulator& sim, NodeId node, SmpUdpLinkConfig config)
    : SmpLink(sim, node),
      m_config(config),
      m_noiseUp(sim.seed(), node, kSmpNoiseUp),
      m_noiseDown(sim.seed(), node, kSmpNoiseDown)
{
    m_config.maxDatagram = std::clamp(m_config.maxDatagram, 64, 65507);
    if (!(m_config.bitRate > 0))
        m_config.bitRate = 10e6;
}

QString SmpUdpLink::describe() const
{
    return QStringLiteral("simulated UDP, %1 kbit/s, %2 ms one way")
        .arg(m_config.bitRate / 1000.0)
        .arg(m_config.latency.toMillis());
}

SimTime SmpUdpLink::wireTime(std::int64_t payloadBytes) const
{
    const double bits = double(payloadBytes + m_config.headerBytes) * 8.0;
    return SimTime::fromNanos(std::int64_t(std::llround(bits * 1e9 / m_config.bitRate)));
}

void SmpUdpLink::transmitFromHost(const QByteArray& packet)
{
    if (packet.size() > m_config.maxDatagram) {
        reportHostError(QStringLiteral("packet of %1 bytes does not fit a %2-byte datagram: not sent")
                            .arg(packet.size()).arg(m_config.maxDatagram));
        return;
    }
    send(packet, true);
}

SimTime SmpUdpLink::transmitFromDevice(const QByteArray& packet)
{
    send(packet, false);
    return m_sim.now();   // handed to the network stack
}

void SmpUdpLink::send(const QByteArray& packet, bool toDevice)
{
    SimTime& txFree = toDevice ? m_hostTxFree : m_deviceTxFree;
    (toDevice ? m_stats.hostWireBytes : m_stats.deviceWireBytes) += packet.size() + m_config.headerBytes;
    const SimTime start = std::max(m_sim.now(), txFree);
    txFree = start + wireTime(packet.size());
    RandomStream& rng = toDevice ? m_noiseUp : m_noiseDown;
    if (m_config.byteErrorRate > 0
        && rng.bernoulli(unitErrorProbability(m_config.byteErrorRate, packet.size() + m_config.headerBytes))) {
        ++m_stats.lostUnits;   // the checksum fails: the receiving stack drops the datagram
        return;
    }
    m_sim.schedule(txFree + m_config.latency, *this, eventData(toDevice ? ToDevice : ToHost, m_datagrams.put(packet)));
}

void SmpUdpLink::onFlush()
{
    m_datagrams.clear();
    m_hostTxFree = m_sim.now();
}

void SmpUdpLink::handleEvent(Simulator&, const Event& event)
{
    if (!isCurrent(event))
        return;
    const QByteArray packet = m_datagrams.take(event.data.arg0);
    if (event.data.kind == ToDevice)
        deliverToDevice(packet);
    else if (event.data.kind == ToHost)
        deliverToHost(packet);
}

} // namespace otalab::sim
