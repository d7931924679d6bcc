// SPDX-License-Identifier: Apache-2.0
#include "sim/radio/mac.h"

#include "sim/energy/deviceenergy.h"
#include "sim/kernel/simulator.h"
#include "sim/radio/radiochannel.h"

#include <algorithm>

namespace otalab::sim {

namespace {
// EventQueue FIFO lanes (Timer::armFifo) of the MAC's two constant delays; lane 2 is
// RadioChannel's address-filter point.
constexpr std::size_t kAckWaitLane = 0;
constexpr std::size_t kAckTxLane = 1;
} // namespace

const char* toString(MacStatus status)
{
    switch (status) {
    case MacStatus::Success: return "success";
    case MacStatus::ChannelAccessFailure: return "channel-access-failure";
    case MacStatus::NoAck: return "no-ack";
    }
    return "?";
}

Mac::Mac(Simulator& sim, RadioChannel& channel, NodeId node, std::uint16_t shortAddress, const MacConfig& config)
    : m_sim(sim)
    , m_channel(channel)
    , m_config(config)
    , m_rng(sim.seed(), node, kRngPurpose)
    , m_node(node)
    , m_shortAddress(shortAddress)
    , m_queue(std::max<std::size_t>(1, config.queueCapacity))
{
    m_config.minBe = std::min(m_config.minBe, m_config.maxBe);
    m_channel.attach(sim, *this);
    updateRadio(sim);
}

void Mac::setEnergy(DeviceEnergy* energy)
{
    m_energy = energy;
    if (m_energy)
        m_energy->setRadioState(m_sim, m_radioState);
}

Result<std::uint32_t> Mac::send(std::span<const std::uint8_t> payload, std::uint16_t dstShort,
                                bool ackRequested, MacFrameType type, bool framePending, std::size_t airOnlyOctets)
{
    const std::size_t psduBytes = MacFrame::kOverheadBytes + payload.size() + airOnlyOctets;
    if (psduBytes > PhyTiming::kMaxPhyPacketSize)
        return fail(Error::at(-1, QStringLiteral("mac.payload"),
                              QStringLiteral("frame too long: %1-byte payload + %2 bytes of MAC header and FCS "
                                             "+ %3 modelled (air-only) bytes = %4-byte PSDU exceeds "
                                             "aMaxPHYPacketSize (127 bytes); at most %5 payload bytes fit")
                                  .arg(payload.size())
                                  .arg(MacFrame::kOverheadBytes)
                                  .arg(airOnlyOctets)
                                  .arg(psduBytes)
                                  .arg(MacFrame::kMaxPayloadBytes - std::min(airOnlyOctets, MacFrame::kMaxPayloadBytes))));
    if (m_queueSize == m_queue.size())
        return fail(Error::at(-1, QStringLiteral("mac.queue"),
                              QStringLiteral("MAC transmit queue full (%1 frames pending at node %2)")
                                  .arg(m_queueSize)
                                  .arg(m_node)));
    const bool broadcast = dstShort == 0xFFFF;
    Pending& p = m_queue[(m_queueHead + m_queueSize) % m_queue.size()];
    p.ackRequested = ackRequested && !broadcast;
    p.sequence = m_dsn++;
    p.dstNode = broadcast ? kBroadcastNode : m_channel.nodeForShort(dstShort);
    p.handle = m_nextHandle++;
    p.queuedAt = m_sim.now();
    MacHeader header;
    header.type = type;
    header.ackRequest = p.ackRequested;
    header.framePending = framePending;
    header.sequence = p.sequence;
    header.panId = m_config.panId;
    header.dst = dstShort;
    header.src = m_shortAddress;
    p.length = static_cast<std::uint8_t>(MacFrame::encode(header, payload, p.mpdu));
    p.airOnlyOctets = static_cast<std::uint8_t>(airOnlyOctets);
    ++m_queueSize;
    ++m_stats.accepted;
    if (m_state == State::Idle)
        startNext(m_sim);
    return p.handle;
}

SimTime Mac::consumeClearChannelAttempt()
{
    ++m_dsn;
    if (m_config.access == ChannelAccess::Immediate)
        return SimTime::zero();
    // The draw backoff() makes for the first attempt (NB = 0, BE = macMinBE).
    const std::uint64_t periods = m_rng.uniformInt(std::uint64_t{1} << m_config.minBe);
    const SimTime wait = PhyTiming::kUnitBackoff * static_cast<std::int64_t>(periods);
    if (m_config.access == ChannelAccess::BackoffNoCca)
        return wait + PhyTiming::kTurnaround;
    return wait + PhyTiming::kCca + PhyTiming::kTurnaround;
}

void Mac::setRxOnWhenIdle(bool on)
{
    m_config.rxOnWhenIdle = on;
    updateRadio(m_sim);
}

void Mac::enableReceiver(SimTime duration)
{
    const SimTime until = m_sim.now() + duration;
    if (until > m_rxWindowUntil) {
        m_rxWindowUntil = until;
        m_rxWindow.armAt(m_sim, until, *this, data(RxWindowEnd));
    }
    updateRadio(m_sim);
}

void Mac::startNext(Simulator& sim)
{
    if (m_queueSize == 0) {
        m_state = State::Idle;
        updateRadio(sim);
        return;
    }
    m_transmissions = 0;
    m_busyCcas = 0;
    startCsma(sim);
}

void Mac::startCsma(Simulator& sim)
{
    m_nb = 0;
    m_be = m_config.minBe;
    if (m_config.access == ChannelAccess::Immediate) {
        m_state = State::Turnaround;
        updateRadio(sim);
        onTxStart(sim);
        return;
    }
    backoff(sim);
}

void Mac::backoff(Simulator& sim)
{
    m_state = State::Backoff;
    updateRadio(sim);
    const std::uint64_t periods = m_rng.uniformInt(std::uint64_t{1} << m_be); // 0 .. 2^BE − 1
    const SimTime wait = PhyTiming::kUnitBackoff * static_cast<std::int64_t>(periods);
    if (m_config.access == ChannelAccess::BackoffNoCca) {
        m_timer.arm(sim, wait, *this, data(BackoffDone));
        return;
    }
    // One event per attempt, at the end of backoff + CCA + turnaround: the backoff's end
    // only opens the CCA window (the receiver is already on), and the CCA's outcome is
    // looked up afterwards over the same window (RadioChannel::wasBusy), so the result
    // is the one an event at the CCA's end would have seen.
    m_ccaStart = sim.now() + wait;
    m_ccaPending = true;
    m_timer.arm(sim, wait + PhyTiming::kCca + PhyTiming::kTurnaround, *this, data(TxStart));
}

void Mac::onBackoffDone(Simulator& sim)
{
    // Only without CCA (ChannelAccess::BackoffNoCca); see backoff().
    m_state = State::Turnaround;
    m_timer.arm(sim, PhyTiming::kTurnaround, *this, data(TxStart));
}

void Mac::ccaBusy(Simulator& sim)
{
    ++m_busyCcas;
    ++m_nb;
    m_be = std::min<std::uint8_t>(m_be + 1, m_config.maxBe);
    if (m_nb > m_config.maxCsmaBackoffs) {
        complete(sim, MacStatus::ChannelAccessFailure, false);
        return;
    }
    backoff(sim);
}

void Mac::onTxStart(Simulator& sim)
{
    if (m_ccaPending) {
        m_ccaPending = false;
        const SimTime ccaEnd = m_ccaStart + PhyTiming::kCca;
        // Busy if our own ACK was on the air at the CCA's end (it lasts longer than the
        // turnaround, so it is still on or ended since) or the channel had energy.
        if (m_txActive || m_lastOwnTxEnd > ccaEnd || m_channel.wasBusy(m_node, m_ccaStart, ccaEnd)) {
            ccaBusy(sim);
            return;
        }
    }
    Pending& p = current();
    // Our own ACK still on the air occupies the radio: treat like a busy channel.
    if (m_txActive || !m_channel.startTransmission(sim, m_node, {p.mpdu.data(), p.length}, p.dstNode, p.airOnlyOctets)) {
        ccaBusy(sim);
        return;
    }
    m_state = State::Transmitting;
    m_txActive = true;
    m_txIsAck = false;
    ++m_transmissions;
    ++m_stats.transmissions;
    updateRadio(sim);
}

void Mac::channelTxEnded(Simulator& sim)
{
    m_txActive = false;
    m_lastOwnTxEnd = sim.now();
    if (m_txIsAck) {
        m_txIsAck = false;
        updateRadio(sim);
        return;
    }
    if (current().ackRequested) {
        m_state = State::WaitAck;
        m_timer.armFifo(sim, m_config.ackWaitDuration, kAckWaitLane, *this, data(AckTimeout));
        updateRadio(sim);
        return;
    }
    complete(sim, MacStatus::Success, false);
}

void Mac::onAckTimeout(Simulator& sim)
{
    if (m_transmissions > m_config.maxFrameRetries) {
        complete(sim, MacStatus::NoAck, false);
        return;
    }
    startCsma(sim);
}

void Mac::complete(Simulator& sim, MacStatus status, bool framePending)
{
    m_timer.cancel(sim);
    const Pending& p = current();
    const MacSendResult result{p.handle, status, m_transmissions, m_busyCcas, framePending, p.queuedAt};
    m_queueHead = (m_queueHead + 1) % m_queue.size();
    --m_queueSize;
    m_state = State::Idle;
    switch (status) {
    case MacStatus::Success: ++m_stats.succeeded; break;
    case MacStatus::ChannelAccessFailure: ++m_stats.channelAccessFailures; break;
    case MacStatus::NoAck: ++m_stats.noAcks; break;
    }
    if (m_upper)
        m_upper->onSendComplete(sim, result); // may call send(): queues, starts if Idle
    if (m_state == State::Idle)
        startNext(sim);
}

void Mac::channelRxStarted(Simulator& sim)
{
    m_receiving = true;
    updateRadio(sim);
}

void Mac::channelRxEnded(Simulator& sim)
{
    m_receiving = false;
    updateRadio(sim);
}

void Mac::channelDeliver(Simulator& sim, std::span<const std::uint8_t> mpdu, NodeId srcNode, double rssiDbm)
{
    std::span<const std::uint8_t> payload;
    // The channel hands over the transmitted bytes (a frame it corrupts is lost, not
    // delivered), so the FCS computed by the sender's encode() is not checked again.
    const std::optional<MacHeader> header = MacFrame::parse(mpdu, &payload, MacFrame::FcsCheck::Skip);
    if (!header)
        return;
    if (header->type == MacFrameType::Ack) {
        if (m_state == State::WaitAck && header->sequence == current().sequence)
            complete(sim, MacStatus::Success, header->framePending);
        return;
    }
    const bool forUs = header->dst == m_shortAddress || header->dst == 0xFFFF;
    const bool panOk = header->panId == m_config.panId || header->panId == 0xFFFF;
    if (!forUs || !panOk)
        return;
    if (header->ackRequest && header->dst != 0xFFFF) {
        m_ackSequence = header->sequence;
        m_ackFramePending = m_upper && m_upper->hasPendingFor(header->src);
        m_ackDst = srcNode;
        m_ackTimer.armFifo(sim, PhyTiming::kTurnaround, kAckTxLane, *this, data(AckTx));
        m_ackDue = true;
        updateRadio(sim);
    }
    if (isDuplicate(header->src, header->sequence)) {
        ++m_stats.duplicates;
        return;
    }
    ++m_stats.received;
    if (m_upper)
        m_upper->onReceive(sim, MacIndication{srcNode, *header, payload, rssiDbm});
}

bool Mac::isDuplicate(std::uint16_t src, std::uint8_t sequence)
{
    for (const Seen& s : m_seen) {
        if (s.valid && s.src == src && s.sequence == sequence)
            return true;
    }
    m_seen[m_seenNext] = Seen{src, sequence, true};
    m_seenNext = (m_seenNext + 1) % m_seen.size();
    return false;
}

void Mac::sendAck(Simulator& sim)
{
    m_ackDue = false; // the timer's event is being handled: no longer pending
    if (m_txActive)
        return; // half duplex: cannot ACK while transmitting
    MpduBuffer ack{};
    const std::size_t length = MacFrame::encodeAck(m_ackSequence, m_ackFramePending, ack);
    if (!m_channel.startTransmission(sim, m_node, {ack.data(), length}, m_ackDst))
        return;
    m_txActive = true;
    m_txIsAck = true;
    ++m_stats.acksSent;
    updateRadio(sim);
}

void Mac::handleEvent(Simulator& sim, const Event& event)
{
    switch (event.data.kind) {
    case BackoffDone: onBackoffDone(sim); break;
    case TxStart: onTxStart(sim); break;
    case AckTimeout: onAckTimeout(sim); break;
    case AckTx: sendAck(sim); break;
    case RxWindowEnd: updateRadio(sim); break;
    default: break;
    }
}

void Mac::updateRadio(Simulator& sim)
{
    const bool on = m_config.rxOnWhenIdle || m_state != State::Idle || m_queueSize > 0 || m_txActive
                 || m_receiving || m_ackDue || sim.now() < m_rxWindowUntil;
    RadioState next = RadioState::Sleep;
    if (m_txActive)
        next = RadioState::Tx;
    else if (m_receiving)
        next = RadioState::Rx;
    else if (on)
        next = RadioState::Idle;
    if (next == m_radioState)
        return;
    const bool wasOn = m_radioState != RadioState::Sleep;
    const RadioState previous = m_radioState;
    m_radioState = next;
    if (m_energy)
        m_energy->setRadioState(sim, next);
    else
        sim.observers().notifyStateChange({sim.now(), m_node, static_cast<std::uint16_t>(EnergyComponent::Radio),
                                           static_cast<std::uint16_t>(previous), static_cast<std::uint16_t>(next)});
    if (wasOn != (next != RadioState::Sleep))
        m_channel.setReceiverOn(sim, m_node, next != RadioState::Sleep);
}

} // namespace otalab::sim
