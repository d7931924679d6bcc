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
    m_slots.reserve(64);
    m_freeSlots.reserve(64);
    m_active.reserve(64);
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

    // Every overlapping pair meets here, when the later one starts.
    for (const std::int32_t otherId : m_active) {
        Slot& other = m_slots[std::size_t(otherId)];
        if (other.end <= s.start)
            continue; // ended at this instant; its end event just has not run yet
        if (destroys(s, other))
            other.flags |= FlagCollided;
        if (destroys(other, s))
            s.flags |= FlagCollided;
    }
    s.activeIndex = std::int32_t(m_active.size());
    m_active.push_back(id);
    return id;
}

ReceptionOutcome GatewayReceiver::endReception(int id)
{
    if (id < 0 || std::size_t(id) >= m_slots.size() || m_slots[std::size_t(id)].activeIndex < 0)
        return ReceptionOutcome::Lost; // unknown id: nothing was being received
    Slot& s = m_slots[std::size_t(id)];

    // Remove from the active list (swap with the last).
    const std::int32_t last = m_active.back();
    m_active[std::size_t(s.activeIndex)] = last;
    m_slots[std::size_t(last)].activeIndex = s.activeIndex;
    m_active.pop_back();
    s.activeIndex = -1;
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
    for (const std::int32_t id : m_active) {
        Slot& s = m_slots[std::size_t(id)];
        if (s.start < m_txEnd && m_txStart < s.end)
            s.flags |= FlagTransmitting;
    }
}

} // namespace otalab::sim::lorawan
