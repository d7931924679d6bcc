// SPDX-License-Identifier: Apache-2.0
// SmpSerialLink: console lines at the baud rate, the board's line buffers, both decoders.
#include "sim/smp/smpseriallink.h"

#include "sim/smp/smpnoise.h"

#include <algorithm>

namespace otalab::sim {

using core::smp::SerialFrameDecoder;

SmpSerialLink::SmpSerialLink(Simulator& sim, NodeId node, SmpSerialLinkConfig config)
    : SmpLink(sim, node),
      m_config(config),
      m_noiseUp(sim.seed(), node, kSmpNoiseUp),
      m_noiseDown(sim.seed(), node, kSmpNoiseDown),
      m_rxFree(config.rxBufCount)
{
    m_config.baud = std::max(1, m_config.baud);
    m_config.bitsPerByte = std::max(1, m_config.bitsPerByte);
}

QString SmpSerialLink::describe() const
{
    return QStringLiteral("simulated serial @ %1 baud").arg(m_config.baud);
}

SimTime SmpSerialLink::wireTime(std::int64_t bytes) const
{
    // Rounded to the nanosecond: exact for whole frames, no drift across lines.
    const std::int64_t bits = bytes * m_config.bitsPerByte;
    return SimTime::fromNanos((bits * 1'000'000'000 + m_config.baud / 2) / m_config.baud);
}

SimTime SmpSerialLink::occupy(Transmitter& tx, std::int64_t bytes, SimTime gapAfter, SimTime* firstByte)
{
    const SimTime start = std::max(m_sim.now(), tx.nextStart);
    if (tx.burstBytes > 0 && start == tx.burstEnd) {
        if (firstByte)
            *firstByte = tx.burstStart + wireTime(tx.burstBytes + 1);
        tx.burstBytes += bytes;
    } else {
        tx.burstStart = start;
        tx.burstBytes = bytes;
        if (firstByte)
            *firstByte = start + wireTime(1);
    }
    tx.burstEnd = tx.burstStart + wireTime(tx.burstBytes);
    tx.nextStart = tx.burstEnd + gapAfter;
    return tx.burstEnd;
}

void SmpSerialLink::transmitFromHost(const QByteArray& packet)
{
    const QList<QByteArray> lines = core::smp::encodeSerialFrame(packet, m_config.lineLength);
    for (const QByteArray& text : lines) {
        Line line{text, false};
        m_stats.corruptedBytes += corruptBytes(line.bytes, m_config.byteErrorRate, m_noiseUp, '\n');
        m_stats.hostWireBytes += line.bytes.size();
        SimTime firstByte;
        const SimTime end = occupy(m_hostTx, line.bytes.size(), m_config.hostLineGap, &firstByte);
        const std::uint64_t id = m_lines.put(std::move(line));
        m_sim.schedule(firstByte, *this, eventData(LineStart, id));
        m_sim.schedule(end, *this, eventData(LineEnd, id));
    }
}

SimTime SmpSerialLink::transmitFromDevice(const QByteArray& packet)
{
    QByteArray bytes;
    for (const QByteArray& line : core::smp::encodeSerialFrame(packet, m_config.lineLength))
        bytes += line;
    return sendToHost(std::move(bytes));
}

void SmpSerialLink::sendTextFromDevice(const QByteArray& text)
{
    if (isDevicePresent())
        sendToHost(text);
}

SimTime SmpSerialLink::sendToHost(QByteArray bytes)
{
    m_stats.corruptedBytes += corruptBytes(bytes, m_config.byteErrorRate, m_noiseDown, '\n');
    m_stats.deviceWireBytes += bytes.size();
    const SimTime end = occupy(m_deviceTx, bytes.size(), SimTime::zero());
    m_sim.schedule(end, *this, eventData(ToHost, m_toHost.put(std::move(bytes))));
    return end;
}

void SmpSerialLink::onFlush()
{
    m_lines.clear();
    m_toHost.clear();
    m_deviceDecoder.reset();
    m_hostDecoder.reset();
    m_rxFree = m_config.rxBufCount;
    m_hostTx = Transmitter{};     // lines the host had queued are gone
}

void SmpSerialLink::handleEvent(Simulator&, const Event& event)
{
    if (!isCurrent(event))
        return;
    const std::uint64_t id = event.data.arg0;
    switch (event.data.kind) {
    case LineStart: onLineStart(id); return;
    case LineEnd: onLineEnd(id); return;
    case LineDecoded: onLineDecoded(id); return;
    case ToHost: onToHost(id); return;
    default: return;
    }
}

void SmpSerialLink::onLineStart(std::uint64_t id)
{
    Line* line = m_lines.find(id);
    if (!line)
        return;
    if (line->bytes.size() > m_config.rxBufSize) {
        line->ignored = true;
        reportDeviceError(QStringLiteral("line of %1 bytes is longer than the %2-byte line buffer: dropped")
                              .arg(line->bytes.size()).arg(m_config.rxBufSize));
    } else if (m_rxFree <= 0) {
        line->ignored = true;
        reportDeviceError(QStringLiteral("no free line buffer: line dropped (Insufficient buffers, fragment dropped)"));
    } else {
        --m_rxFree;
    }
}

void SmpSerialLink::onLineEnd(std::uint64_t id)
{
    Line* line = m_lines.find(id);
    if (!line)
        return;
    if (line->ignored) {
        m_lines.take(id);
        return;
    }
    m_workFree = std::max(m_sim.now(), m_workFree) + m_config.lineDecodeTime;
    m_sim.schedule(m_workFree, *this, eventData(LineDecoded, id));
}

void SmpSerialLink::onLineDecoded(std::uint64_t id)
{
    const Line line = m_lines.take(id);
    ++m_rxFree;
    QList<SerialFrameDecoder::Event> events;
    m_deviceDecoder.feed(line.bytes, events);
    for (const auto& e : events) {
        if (const auto* packet = std::get_if<SerialFrameDecoder::PacketReceived>(&e))
            deliverToDevice(packet->packet);
        else if (const auto* error = std::get_if<SerialFrameDecoder::FrameError>(&e))
            reportDeviceError(error->message);
    }
}

void SmpSerialLink::onToHost(std::uint64_t id)
{
    const QByteArray bytes = m_toHost.take(id);
    QList<SerialFrameDecoder::Event> events;
    m_hostDecoder.feed(bytes, events);
    for (const auto& e : events) {
        if (const auto* packet = std::get_if<SerialFrameDecoder::PacketReceived>(&e))
            deliverToHost(packet->packet);
        else if (const auto* text = std::get_if<SerialFrameDecoder::LogText>(&e))
            deliverTextToHost(text->text);
        else if (const auto* error = std::get_if<SerialFrameDecoder::FrameError>(&e))
            reportHostError(error->message);
    }
}

} // namespace otalab::sim
