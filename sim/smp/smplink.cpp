// SPDX-License-Identifier: Apache-2.0
// SmpLink: open/close/presence bookkeeping shared by the serial, BLE and UDP link models.
#include "sim/smp/smplink.h"

namespace otalab::sim {

SmpLink::SmpLink(Simulator& sim, NodeId node) : m_sim(sim), m_node(node) {}

bool SmpLink::hostOpen(QString* why)
{
    if (!m_devicePresent) {
        if (why)
            *why = QStringLiteral("%1: the board is not there (it is restarting)").arg(describe());
        return false;
    }
    if (!m_hostOpen) {
        m_hostOpen = true;
        flush();
    }
    return true;
}

void SmpLink::hostClose()
{
    if (!m_hostOpen)
        return;
    m_hostOpen = false;
    flush();
}

void SmpLink::setDevicePresent(bool present)
{
    if (present == m_devicePresent)
        return;
    m_devicePresent = present;
    flush();
    if (!present && m_hostOpen) {
        m_hostOpen = false;
        ++m_stats.linkDrops;
        if (m_host)
            m_host->onLinkDown();
    }
}

bool SmpLink::sendFromHost(const QByteArray& packet)
{
    if (!m_hostOpen)
        return false;
    m_stats.hostPacketBytes += packet.size();
    if (m_devicePresent)
        transmitFromHost(packet);
    return true;
}

SimTime SmpLink::sendFromDevice(const QByteArray& packet)
{
    m_stats.devicePacketBytes += packet.size();
    if (!m_devicePresent)
        return m_sim.now();
    return transmitFromDevice(packet);
}

void SmpLink::addOutage(SimTime from, SimTime to)
{
    if (to > from)
        m_outages.emplace_back(from, to);
}

bool SmpLink::inOutage() const
{
    const SimTime now = m_sim.now();
    for (const auto& [from, to] : m_outages)
        if (from <= now && now < to)
            return true;
    return false;
}

void SmpLink::deliverToDevice(const QByteArray& packet)
{
    if (!isUp() || !m_device)
        return;
    if (!m_outages.empty() && inOutage()) {
        ++m_stats.outageDrops;
        return;
    }
    ++m_stats.packetsToDevice;
    m_device->onLinkPacket(packet);
}

void SmpLink::deliverToHost(const QByteArray& packet)
{
    if (!isUp() || !m_host)
        return;
    if (!m_outages.empty() && inOutage()) {
        ++m_stats.outageDrops;
        return;
    }
    ++m_stats.packetsToHost;
    m_host->onLinkPacket(packet);
}

void SmpLink::deliverTextToHost(const QByteArray& line)
{
    if (m_hostOpen && m_host)
        m_host->onLinkText(line);
}

void SmpLink::reportDeviceError(const QString& message)
{
    ++m_stats.framesDroppedAtDevice;
    if (m_device)
        m_device->onLinkError(message);
}

void SmpLink::reportHostError(const QString& message)
{
    ++m_stats.framesDroppedAtHost;
    if (m_host)
        m_host->onLinkError(message);
}

void SmpLink::flush()
{
    ++m_epoch;
    onFlush();
}

} // namespace otalab::sim
