// SPDX-License-Identifier: Apache-2.0
// SmpBleLink: ATT fragments in LL data PDUs, exchanged at connection events.
#include "sim/smp/smpblelink.h"

#include "core/smp/smp_header.h"
#include "sim/smp/smpnoise.h"

#include <algorithm>

namespace otalab::sim {

namespace {

constexpr SimTime kInterFrameSpace = SimTime::fromMicros(150);   // T_IFS
constexpr int kAttHeader = 3;      // opcode + attribute handle (write command, notification)
constexpr int kL2capHeader = 4;    // length + channel id

} // namespace

SmpBleLink::SmpBleLink(Simulator& sim, NodeId node, SmpBleLinkConfig config)
    : SmpLink(sim, node),
      m_config(config),
      m_noiseUp(sim.seed(), node, kSmpNoiseUp),
      m_noiseDown(sim.seed(), node, kSmpNoiseDown)
{
    m_config.attMtu = std::clamp(m_config.attMtu, core::smp::kBleDefaultAttMtu, 517);
    m_config.llPayload = std::clamp(m_config.llPayload, 27, 251);
    m_config.maxPdusPerEvent = std::max(1, m_config.maxPdusPerEvent);
    m_config.phyBitRate = std::max(1, m_config.phyBitRate);
    if (m_config.connectionInterval < SimTime::fromMicros(7500))
        m_config.connectionInterval = SimTime::fromMicros(7500);
}

int SmpBleLink::maxPacketSize() const { return core::smp::kMaxPacketSize; }

QString SmpBleLink::describe() const
{
    return QStringLiteral("simulated BLE, %1 ms interval, ATT MTU %2").arg(m_config.connectionInterval.toMillis()).arg(m_config.attMtu);
}

SimTime SmpBleLink::pduAirTime(int payload) const
{
    // Preamble (1 byte on LE 1M, 2 on LE 2M), access address 4, header 2, payload,
    // MIC 4 when encrypted and not empty, CRC 3.
    const int preamble = m_config.phyBitRate >= 2'000'000 ? 2 : 1;
    const int bytes = preamble + 4 + 2 + payload + (m_config.encrypted && payload > 0 ? 4 : 0) + 3;
    return SimTime::fromNanos(std::int64_t(bytes) * 8 * 1'000'000'000 / m_config.phyBitRate);
}

int SmpBleLink::pdusPerFragment(int attPayload) const
{
    const int sdu = attPayload + kAttHeader + kL2capHeader;
    return (sdu + m_config.llPayload - 1) / m_config.llPayload;
}

void SmpBleLink::queueFragments(const QByteArray& packet, std::deque<Pdu>& queue, std::int64_t& wireBytes)
{
    for (const QByteArray& fragment : core::smp::splitForAtt(packet, m_config.attMtu)) {
        wireBytes += fragment.size() + kAttHeader;
        const std::uint64_t id = m_fragments.put(fragment);
        int left = int(fragment.size()) + kAttHeader + kL2capHeader;
        while (left > 0) {
            const int payload = std::min(left, m_config.llPayload);
            left -= payload;
            queue.push_back(Pdu{id, payload, left == 0});
        }
    }
    scheduleEvent();
}

void SmpBleLink::transmitFromHost(const QByteArray& packet)
{
    queueFragments(packet, m_up, m_stats.hostWireBytes);
}

SimTime SmpBleLink::transmitFromDevice(const QByteArray& packet)
{
    queueFragments(packet, m_down, m_stats.deviceWireBytes);
    return m_sim.now();   // handed to the Bluetooth stack's buffers
}

void SmpBleLink::onFlush()
{
    m_up.clear();
    m_down.clear();
    m_fragments.clear();
    m_sim.cancel(m_nextEvent);
    m_nextEvent = {};
    m_deviceReassembler.reset();
    m_hostReassembler.reset();
}

void SmpBleLink::scheduleEvent()
{
    if (m_sim.isPending(m_nextEvent) || (m_up.empty() && m_down.empty()))
        return;
    const std::int64_t interval = m_config.connectionInterval.nanos();
    const std::int64_t now = m_sim.now().nanos();
    std::int64_t anchor = (now + interval - 1) / interval * interval;
    if (m_connectionEvents > 0 && anchor <= m_lastAnchorNs)
        anchor = m_lastAnchorNs + interval;
    m_nextEvent = m_sim.schedule(SimTime::fromNanos(anchor), *this, eventData(ConnectionEvent, 0));
}

void SmpBleLink::handleEvent(Simulator&, const Event& event)
{
    if (!isCurrent(event))
        return;
    switch (event.data.kind) {
    case ConnectionEvent: onConnectionEvent(); return;
    case ToDevice: onFragment(event.data.arg0, true); return;
    case ToHost: onFragment(event.data.arg0, false); return;
    default: return;
    }
}

void SmpBleLink::onConnectionEvent()
{
    ++m_connectionEvents;
    const SimTime start = m_sim.now();
    m_lastAnchorNs = start.nanos();
    const SimTime budget = m_config.connectionInterval - kInterFrameSpace;
    SimTime offset;
    const auto hit = [this](RandomStream& rng, int payload) {
        if (m_config.byteErrorRate <= 0)
            return false;
        const int onAir = (pduAirTime(payload).nanos() * m_config.phyBitRate / 1'000'000'000 + 7) / 8;
        return rng.bernoulli(unitErrorProbability(m_config.byteErrorRate, onAir));
    };
    for (int i = 0; i < m_config.maxPdusPerEvent && (!m_up.empty() || !m_down.empty()); ++i) {
        const int upPayload = m_up.empty() ? 0 : m_up.front().payload;
        const int downPayload = m_down.empty() ? 0 : m_down.front().payload;
        const SimTime exchange = pduAirTime(upPayload) + kInterFrameSpace + pduAirTime(downPayload) + kInterFrameSpace;
        if (i > 0 && offset + exchange > budget)
            break;
        const SimTime upEnd = start + offset + pduAirTime(upPayload);
        const SimTime downEnd = upEnd + kInterFrameSpace + pduAirTime(downPayload);
        offset += exchange;
        if (!m_up.empty()) {
            if (hit(m_noiseUp, upPayload)) {
                ++m_stats.lostUnits;   // not acknowledged: sent again at the next exchange
            } else {
                const Pdu pdu = m_up.front();
                m_up.pop_front();
                if (pdu.last)
                    m_sim.schedule(upEnd, *this, eventData(ToDevice, pdu.fragment));
            }
        }
        if (!m_down.empty()) {
            if (hit(m_noiseDown, downPayload)) {
                ++m_stats.lostUnits;
            } else {
                const Pdu pdu = m_down.front();
                m_down.pop_front();
                if (pdu.last)
                    m_sim.schedule(downEnd, *this, eventData(ToHost, pdu.fragment));
            }
        }
    }
    scheduleEvent();
}

void SmpBleLink::onFragment(std::uint64_t id, bool toDevice)
{
    const QByteArray fragment = m_fragments.take(id);
    QList<QByteArray> packets;
    QList<QString> errors;
    (toDevice ? m_deviceReassembler : m_hostReassembler).feed(fragment, packets, errors);
    for (const QString& error : errors)
        toDevice ? reportDeviceError(error) : reportHostError(error);
    for (const QByteArray& packet : packets)
        toDevice ? deliverToDevice(packet) : deliverToHost(packet);
}

} // namespace otalab::sim
