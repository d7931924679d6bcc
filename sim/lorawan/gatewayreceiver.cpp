// SPDX-License-Identifier: Apache-2.0
#include "sim/lorawan/gatewayreceiver.h"

#include "sim/lorawan/loraradio.h"

#include <algorithm>

namespace otalab::sim::lorawan {
namespace {

// Croce et al. 2018, table I: SIR thresholds (dB), row = desired SF7..12, column = interferer.
constexpr int kCroceSirDb[6][6] = {
    {1, -8, -9, -9, -9, -9},       {-11, 1, -11, -12, -13, -13}, {-15, -13, 1, -13, -14, -15},
    {-19, -18, -17, 1, -17, -18},  {-22, -22, -21, -20, 1, -20}, {-25, -25, -25, -24, -23, 1},
};

int sfRow(int sf)
{
    return std::clamp(sf, 7, 12) - 7;
}

} // namespace

const char* receptionOutcomeName(ReceptionOutcome outcome)
{
    switch (outcome) {
    case ReceptionOutcome::Received: return "received";
    case ReceptionOutcome::Collided: return "collided";
    case ReceptionOutcome::BelowSensitivity: return "below sensitivity";
    case ReceptionOutcome::NoDemodulator: return "no free demodulator";
    case ReceptionOutcome::GatewayTransmitting: return "gateway transmitting";
    case ReceptionOutcome::Lost: return "lost (packet error)";
    }
    return "unknown";
}

GatewayReceiver::GatewayReceiver(RandomStream packetErrorStream, GatewayReceiverOptions options)
    : m_rng(packetErrorStream), m_options(options)
{
    // A receivable victim has RSSI ≥ its sensitivity ≥ SF12's at 125 kHz; an interferer
    // hurts it only when within the capture threshold of it (co-SF) or above it (Croce).
    m_negligibleBelowDbm = sensitivityDbm(12, 125'000, m_options.noiseFigureDb) - std::max(m_options.captureThresholdDb, 0.0);
    m_slots.reserve(64);
    m_freeSlots.reserve(64);
    m_channels.reserve(16);
}

std::int32_t GatewayReceiver::channelIndex(std::uint32_t frequencyHz)
{
    for (std::size_t i = 0; i < m_channels.size(); ++i)
        if (m_channels[i].frequencyHz == frequencyHz)
            return std::int32_t(i);
    m_channels.push_back({frequencyHz, {}});
    m_channels.back().active.reserve(32);
    return std::int32_t(m_channels.size() - 1);
}

bool GatewayReceiver::destroys(const Slot& interferer, const Slot& victim) const
{
    if (interferer.frequencyHz != victim.frequencyHz)
        return false;
    if (interferer.end <= victim.lock || interferer.start >= victim.end)
        return false; // over before the victim locked, or no overlap at all
    const double advantage = double(victim.rssiDbm) - double(interferer.rssiDbm);
    if (interferer.spreadingFactor == victim.spreadingFactor)
        return advantage < m_options.captureThresholdDb;
    if (!m_options.interSfInterference)
        return false;
    return advantage < kCroceSirDb[sfRow(victim.spreadingFactor)][sfRow(interferer.spreadingFactor)];
}

int GatewayReceiver::beginReception(const Uplink& uplink)
{
    std::int32_t id;
    if (!m_freeSlots.empty()) {
        id = m_freeSlots.back();
        m_freeSlots.pop_back();
    } else {
        id = std::int32_t(m_slots.size());
        m_slots.emplace_back();
    }
    Slot& s = m_slots[std::size_t(id)];
    s.start = uplink.start;
    s.end = uplink.start + uplink.airtime;
    const int lockAfter = std::max(uplink.preambleSymbols - m_options.lockSymbols, 0);
    s.lock = uplink.start + symbolTime(uplink.spreadingFactor, uplink.bandwidthHz) * lockAfter;
    s.frequencyHz = uplink.frequencyHz;
    s.rssiDbm = float(uplink.rssiDbm);
    s.snrDb = float(uplink.snrDb);
    s.payloadBytes = std::int16_t(std::clamp(uplink.payloadBytes, 0, 255));
    s.spreadingFactor = std::int8_t(uplink.spreadingFactor);
    s.flags = 0;

    if (uplink.rssiDbm < m_negligibleBelowDbm && uplink.bandwidthHz >= 125'000) {
        s.flags = FlagBelowSensitivity;
        s.activeIndex = kNotActive;
        return id;
    }
    if (uplink.rssiDbm < sensitivityDbm(uplink.spreadingFactor, uplink.bandwidthHz, m_options.noiseFigureDb))
        s.flags |= FlagBelowSensitivity;
    if (s.start < m_txEnd && m_txStart < s.end)
        s.flags |= FlagTransmitting;
    if (!(s.flags & (FlagBelowSensitivity | FlagTransmitting))) {
        if (m_busyDemodulators < m_options.demodulators) {
            ++m_busyDemodulators;
            s.flags |= FlagHasDemodulator;
        } else {
            s.flags |= FlagNoDemodulator;
        }
    }

    // Every overlapping pair on this channel meets here, when the later one starts.
    s.channel = channelIndex(uplink.frequencyHz);
    std::vector<std::int32_t>& active = m_channels[std::size_t(s.channel)].active;
    for (const std::int32_t otherId : active) {
        Slot& other = m_slots[std::size_t(otherId)];
        if (other.end <= s.start)
            continue; // ended at this instant; its end event just has not run yet
        if (destroys(s, other))
            other.flags |= FlagCollided;
        if (destroys(other, s))
            s.flags |= FlagCollided;
    }
    s.activeIndex = std::int32_t(active.size());
    active.push_back(id);
    ++m_activeCount;
    return id;
}

ReceptionOutcome GatewayReceiver::endReception(int id)
{
    if (id < 0 || std::size_t(id) >= m_slots.size() || m_slots[std::size_t(id)].activeIndex == kFree)
        return ReceptionOutcome::Lost; // unknown id: nothing was being received
    Slot& s = m_slots[std::size_t(id)];

    if (s.activeIndex >= 0) { // remove from its channel's list (swap with the last)
        std::vector<std::int32_t>& active = m_channels[std::size_t(s.channel)].active;
        const std::int32_t last = active.back();
        active[std::size_t(s.activeIndex)] = last;
        m_slots[std::size_t(last)].activeIndex = s.activeIndex;
        active.pop_back();
        --m_activeCount;
    }
    s.activeIndex = kFree;
    m_freeSlots.push_back(id);

    if (s.flags & FlagHasDemodulator)
        --m_busyDemodulators;
    if (s.start < m_txEnd && m_txStart < s.end)
        s.flags |= FlagTransmitting;

    ReceptionOutcome outcome;
    if (s.flags & FlagBelowSensitivity)
        outcome = ReceptionOutcome::BelowSensitivity;
    else if (s.flags & FlagTransmitting)
        outcome = ReceptionOutcome::GatewayTransmitting;
    else if (s.flags & FlagNoDemodulator)
        outcome = ReceptionOutcome::NoDemodulator;
    else if (s.flags & FlagCollided)
        outcome = ReceptionOutcome::Collided;
    else if (m_rng.bernoulli(packetErrorRate(s.spreadingFactor, s.snrDb, s.payloadBytes)))
        outcome = ReceptionOutcome::Lost;
    else
        outcome = ReceptionOutcome::Received;
    ++m_counts[std::size_t(outcome)];
    return outcome;
}

void GatewayReceiver::beginTransmit(SimTime start, SimDuration duration)
{
    m_txStart = start;
    m_txEnd = start + duration;
    for (const Channel& channel : m_channels)
        for (const std::int32_t id : channel.active) {
            Slot& s = m_slots[std::size_t(id)];
            if (s.start < m_txEnd && m_txStart < s.end)
                s.flags |= FlagTransmitting;
        }
}

} // namespace otalab::sim::lorawan
