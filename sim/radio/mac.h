// SPDX-License-Identifier: Apache-2.0
// Mac: one node's IEEE 802.15.4 MAC (unslotted CSMA-CA, ACKs, retries) as an event-driven state machine.
#pragma once

#include "core/common/error.h"
#include "sim/energy/energycomponent.h"
#include "sim/kernel/eventhandler.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/timer.h"
#include "sim/radio/macconfig.h"
#include "sim/radio/macframe.h"
#include "sim/radio/macupper.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace otalab::sim {

class DeviceEnergy;
class RadioChannel;

// The MAC of one node on one RadioChannel. The upper layer (NWK / Zigbee device
// model) calls send() and implements MacUpper; the channel drives reception.
//
// Transmit path, one frame at a time in FIFO order (IEEE 802.15.4-2006 7.5.1.4,
// 7.5.6.4): NB = 0, BE = macMinBE → wait random(0..2^BE−1) × aUnitBackoffPeriod →
// CCA (8 symbols) → busy: NB++, BE = min(BE+1, macMaxBE), NB > macMaxCSMABackoffs ⇒
// ChannelAccessFailure; idle: aTurnaroundTime → on air for airtime(MPDU) → ACK
// requested: wait macAckWaitDuration for the ACK; none ⇒ retry from CSMA (NB, BE
// reset) up to macMaxFrameRetries times ⇒ NoAck. Broadcasts are never acknowledged.
//
// Receive path: intact data/command frames addressed to this node (short address or
// 0xFFFF, PAN matching) are acknowledged aTurnaroundTime after their end if they ask
// for it (frame-pending bit from MacUpper::hasPendingFor), filtered for duplicates
// (same source and DSN as one of the last few frames: ACKed again, not delivered),
// and handed to MacUpper::onReceive.
//
// Radio power: the receiver is on while macRxOnWhenIdle, while a frame is queued or
// in progress, while an ACK is due, while receiving, and during enableReceiver()
// windows; otherwise it sleeps and hears nothing. Radio states (Sleep/Idle/Rx/Tx)
// go to the DeviceEnergy if one is attached (which reports StateChange and
// EnergySample), else straight to the observers as StateChange records.
//
// Simulation thread only. Must outlive its pending events (destroy the Simulator
// first); not copyable (the channel holds its address).
class Mac final : public EventHandler {
public:
    // RandomStream purpose of the backoff stream ('MACB').
    static constexpr std::uint32_t kRngPurpose = 0x4D414342u;

    // Attaches to `channel` (uses sim.seed(): set it before constructing MACs).
    Mac(Simulator& sim, RadioChannel& channel, NodeId node, std::uint16_t shortAddress,
        const MacConfig& config = {});
    Mac(const Mac&) = delete;
    Mac& operator=(const Mac&) = delete;

    void setUpper(MacUpper* upper) { m_upper = upper; }
    // Optional energy accounting of this node's radio (not owned, may be null).
    void setEnergy(DeviceEnergy* energy);
    DeviceEnergy* energy() const { return m_energy; }

    // MCPS-DATA.request: queues `payload` (the MAC payload: NWK frame or MAC command)
    // for `dstShort` (0xFFFF = broadcast, never acknowledged). Returns a handle echoed
    // in MacSendResult, or an error — nothing is queued — when the PSDU (11 octets
    // of header and FCS + payload + airOnlyOctets) would exceed aMaxPHYPacketSize
    // (127), or the queue is full. Completion always comes later through
    // MacUpper::onSendComplete. `framePending` sets the header's frame-pending bit (a
    // parent telling a polling child that more indirect frames wait for it).
    // `airOnlyOctets` are octets the upper layer models but does not carry (the NWK
    // security overhead of FrameBudget): they lengthen the airtime and count against
    // the 127-octet limit, but the MPDU on the channel — what receivers, FrameRecords,
    // the pcap and the trace get — is header + payload + FCS only.
    Result<std::uint32_t> send(std::span<const std::uint8_t> payload, std::uint16_t dstShort,
                               bool ackRequested, MacFrameType type = MacFrameType::Data, bool framePending = false,
                               std::size_t airOnlyOctets = 0);

    // A frame the upper layer accounts in closed form instead of sending it (an idle
    // poll, NwkModelConfig::IdlePolls::ClosedForm): consumes the DSN and the backoff draw
    // that send() of a frame meeting a clear channel would, so the backoff stream and the
    // sequence numbers stay where an on-air attempt leaves them, and returns the time
    // from the request to the start of its transmission (Csma: backoff + CCA +
    // turnaround; BackoffNoCca: backoff + turnaround; Immediate: 0). Nothing else changes.
    SimTime consumeClearChannelAttempt();

    // macRxOnWhenIdle.
    void setRxOnWhenIdle(bool on);
    // Keeps the receiver on for `duration` from now even if macRxOnWhenIdle is false
    // (a polling end device waiting for its indirect frame; cf. macMaxFrameTotalWaitTime).
    void enableReceiver(SimTime duration);

    NodeId node() const { return m_node; }
    std::uint16_t shortAddress() const { return m_shortAddress; }
    std::uint16_t panId() const { return m_config.panId; }
    const MacConfig& config() const { return m_config; }
    RadioState radioState() const { return m_radioState; }
    bool receiverOn() const { return m_radioState != RadioState::Sleep; }
    // Frames accepted and not yet completed (including the one in progress).
    std::size_t pending() const { return m_queueSize; }

    struct Stats {
        std::uint64_t accepted = 0;
        std::uint64_t succeeded = 0;
        std::uint64_t channelAccessFailures = 0;
        std::uint64_t noAcks = 0;
        std::uint64_t transmissions = 0; // data/command frames on air, retries included
        std::uint64_t acksSent = 0;
        std::uint64_t received = 0;      // delivered to the upper layer
        std::uint64_t duplicates = 0;
    };
    const Stats& stats() const { return m_stats; }

    // --- Called by RadioChannel ---
    void channelTxEnded(Simulator& sim);
    void channelRxStarted(Simulator& sim);
    void channelRxEnded(Simulator& sim);
    void channelDeliver(Simulator& sim, std::span<const std::uint8_t> mpdu, NodeId srcNode, double rssiDbm);

    void handleEvent(Simulator& sim, const Event& event) override;

private:
    enum Kind : std::uint32_t { BackoffDone = 1, TxStart = 3, AckTimeout = 4, AckTx = 5, RxWindowEnd = 6 };
    enum class State : std::uint8_t { Idle, Backoff /* incl. the CCA window */, Turnaround, Transmitting, WaitAck };

    struct Pending {
        MpduBuffer mpdu{};
        std::uint8_t length = 0;
        std::uint8_t airOnlyOctets = 0; // on the air after the MPDU's bytes, never carried (send())
        bool ackRequested = false;
        std::uint8_t sequence = 0;
        NodeId dstNode = kNoNode;
        std::uint32_t handle = 0;
        SimTime queuedAt;
    };

    Pending& current() { return m_queue[m_queueHead]; }
    void startNext(Simulator& sim);
    void startCsma(Simulator& sim);
    void backoff(Simulator& sim);
    void onBackoffDone(Simulator& sim);
    void onTxStart(Simulator& sim);
    void ccaBusy(Simulator& sim);
    void onAckTimeout(Simulator& sim);
    void sendAck(Simulator& sim);
    void complete(Simulator& sim, MacStatus status, bool framePending);
    bool isDuplicate(std::uint16_t src, std::uint8_t sequence);
    void updateRadio(Simulator& sim);
    EventData data(Kind kind, std::uint64_t arg0 = 0) const { return EventData{m_node, kind, arg0, 0}; }

    Simulator& m_sim;
    RadioChannel& m_channel;
    MacUpper* m_upper = nullptr;
    DeviceEnergy* m_energy = nullptr;
    MacConfig m_config;
    RandomStream m_rng;
    NodeId m_node;
    std::uint16_t m_shortAddress;

    std::vector<Pending> m_queue; // ring buffer, capacity = config.queueCapacity
    std::size_t m_queueHead = 0;
    std::size_t m_queueSize = 0;
    std::uint32_t m_nextHandle = 1;
    std::uint8_t m_dsn = 0;

    State m_state = State::Idle;
    std::uint8_t m_nb = 0;
    std::uint8_t m_be = 0;
    std::uint8_t m_transmissions = 0;
    std::uint8_t m_busyCcas = 0;
    SimTime m_ccaStart;       // CSMA: the pending attempt's CCA window is [m_ccaStart, +kCca]
    bool m_ccaPending = false; // the TxStart event must first evaluate that CCA
    SimTime m_lastOwnTxEnd = SimTime::min();
    Timer m_timer;      // backoff / CCA / turnaround / ACK wait (one at a time)
    Timer m_ackTimer;   // our ACK to a received frame
    bool m_ackDue = false; // m_ackTimer is armed (cheaper than asking the queue)
    Timer m_rxWindow;
    SimTime m_rxWindowUntil;

    bool m_txActive = false;  // something of ours is on the air
    bool m_txIsAck = false;
    bool m_receiving = false;
    std::uint8_t m_ackSequence = 0;
    bool m_ackFramePending = false;
    NodeId m_ackDst = kNoNode;

    struct Seen {
        std::uint16_t src = 0xFFFF;
        std::uint8_t sequence = 0;
        bool valid = false;
    };
    std::array<Seen, 8> m_seen{};
    std::size_t m_seenNext = 0;

    RadioState m_radioState = RadioState::Sleep;
    Stats m_stats;
};

} // namespace otalab::sim
