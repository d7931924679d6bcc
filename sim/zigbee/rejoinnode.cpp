// SPDX-License-Identifier: Apache-2.0
// ZigbeeNode's rejoin (NwkModelConfig::rejoin): a sleepy end device that misses pollFailures
// polls in a row sends a NWK rejoin request to the best candidate router it hears, polls it
// for the rejoin response and takes it as its parent; a router answering a request adopts
// the child (TreeRouting::reparent through the RejoinDirectory). See sim/zigbee/README.md
// "Rejoin".
#include "sim/kernel/simulator.h"
#include "sim/radio/mac.h"
#include "sim/zigbee/nwkheader.h"
#include "sim/zigbee/rejoin.h"
#include "sim/zigbee/treerouting.h"
#include "sim/zigbee/zigbeenode.h"

#include <utility>
#include <vector>

namespace otalab::sim {

namespace {
// MAC Data Request command (IEEE 802.15.4-2006 7.3.4).
constexpr std::array<std::uint8_t, 1> kRejoinDataRequest{kMacCommandDataRequest};
} // namespace

void ZigbeeNode::onPollOutcome(MacStatus status)
{
    // EmberZNet's emAfPollCompleteHandler (end-device-support polling.c) counts only polls
    // not ACKed (EMBER_MAC_NO_ACK_RECEIVED); a busy channel (EMBER_PHY_TX_CCA_FAIL, "the air
    // was busy, which we don't count as a failure") neither counts nor resets the count.
    if (status == MacStatus::ChannelAccessFailure)
        return;
    if (m_role != NodeRole::EndDevice || !m_rejoin.pollResult(status == MacStatus::Success))
        return;
    startRejoin();
}

void ZigbeeNode::startRejoin()
{
    if (!m_rejoinDirectory || m_role != NodeRole::EndDevice)
        return;
    const ZedRejoin::Phase phase = m_rejoin.phase();
    if (phase != ZedRejoin::Phase::Attached && phase != ZedRejoin::Phase::BackingOff)
        return;
    if (phase == ZedRejoin::Phase::Attached) {
        ++m_stats.parentLosses;
        m_awaitingIndirect = false;
        m_pollWaitTimer.cancel(m_sim);
    }
    // The lost parent is tried last, not left out: a real rejoin's active scan hears its
    // beacon when it is alive (EmberZNet does not exclude it), and missed polls on a busy
    // channel do not mean a dead parent. Left out, a ZED whose only other candidate is busy
    // gave up after attemptsMax moves, orphaned for good while its OTA client kept timing
    // out (door-sensors with aps.ack + closedForm + rejoin: 57 unfinished). A dead parent
    // costs one unacknowledged request at the end of the list.
    std::vector<std::uint16_t> candidates = m_rejoinDirectory->rejoinCandidates(m_mac.shortAddress(), m_parent);
    if (m_parent != 0xFFFF)
        candidates.push_back(m_parent);
    m_rejoin.begin(std::move(candidates), m_sim.now());
    tryRejoinCandidate();
}

void ZigbeeNode::tryRejoinCandidate()
{
    for (;;) {
        if (m_rejoin.phase() == ZedRejoin::Phase::BackingOff) {
            m_rejoinTimer.arm(m_sim, m_rejoin.retryDelay(), *this, EventData{m_mac.node(), kRejoinStepKind, 0, 0});
            return;
        }
        if (m_rejoin.phase() == ZedRejoin::Phase::GaveUp) {
            m_rejoinTimer.cancel(m_sim);
            return;
        }
        const std::optional<std::uint16_t> candidate = m_rejoin.candidate();
        if (!candidate)
            return;
        NwkFrameBuffer frame;
        RejoinFrame::encode(m_mac.shortAddress(), *candidate, m_nwkSequence, NwkCommand{NwkRejoinRequest{}}, frame);
        // Real security: a secure rejoin (the device has the network key) — NWK-secured.
        std::optional<NwkFrameBuffer> stamped;
        const Result<std::uint32_t> handle = m_mac.send(securedView(frame, stamped), *candidate, /*ackRequested=*/true,
                                                        MacFrameType::Data, false, airOnlyOctets());
        if (!handle) {
            m_rejoin.next(); // MAC queue full: as if this candidate failed
            continue;
        }
        ++m_nwkSequence;
        ++m_stats.rejoinRequests;
        InFlight entry;
        entry.macHandle = *handle;
        entry.kind = SendKind::RejoinRequest;
        entry.nwkSrc = m_mac.shortAddress();
        entry.nwkDst = *candidate;
        entry.nextHop = *candidate;
        entry.requestedAt = m_sim.now();
        m_inFlight.push_back(entry);
        m_rejoin.setPhase(ZedRejoin::Phase::AwaitRequestAck);
        return;
    }
}

void ZigbeeNode::rejoinCandidateFailed()
{
    m_rejoinTimer.cancel(m_sim);
    m_rejoin.next();
    tryRejoinCandidate();
}

void ZigbeeNode::onRejoinSendComplete(Simulator& sim, const InFlight& meta, const MacSendResult& result)
{
    if (meta.nextHop != m_rejoin.candidate())
        return; // a stale completion (the move went on)
    if (meta.kind == SendKind::RejoinRequest) {
        if (result.status != MacStatus::Success) {
            rejoinCandidateFailed();
            return;
        }
        // Acknowledged: the candidate holds the response for us; poll after macResponseWaitTime.
        m_rejoin.setPhase(ZedRejoin::Phase::AwaitResponsePoll);
        m_rejoinTimer.arm(sim, kRejoinResponseWait, *this, EventData{m_mac.node(), kRejoinStepKind, 0, 0});
        return;
    }
    // The Data Request to the candidate.
    if (result.status != MacStatus::Success || !result.framePending) {
        rejoinCandidateFailed();
        return;
    }
    m_rejoin.setPhase(ZedRejoin::Phase::AwaitResponse);
    m_mac.enableReceiver(m_config.pollResponseWait);
    m_rejoinTimer.arm(sim, m_config.pollResponseWait, *this, EventData{m_mac.node(), kRejoinStepKind, 0, 0});
}

void ZigbeeNode::onRejoinStep(Simulator& sim, const Event& event)
{
    if (!m_rejoinTimer.isFiring(event))
        return;
    switch (m_rejoin.phase()) {
    case ZedRejoin::Phase::AwaitResponsePoll: {
        const std::uint16_t candidate = *m_rejoin.candidate();
        const Result<std::uint32_t> handle =
            m_mac.send(kRejoinDataRequest, candidate, /*ackRequested=*/true, MacFrameType::Command);
        if (!handle) {
            rejoinCandidateFailed();
            return;
        }
        InFlight entry;
        entry.macHandle = *handle;
        entry.kind = SendKind::RejoinPoll;
        entry.nextHop = candidate;
        entry.requestedAt = sim.now();
        m_inFlight.push_back(entry);
        ++m_stats.polls;
        return;
    }
    case ZedRejoin::Phase::AwaitResponse: rejoinCandidateFailed(); return; // nothing came in time
    case ZedRejoin::Phase::BackingOff: startRejoin(); return;
    default: return;
    }
}

void ZigbeeNode::onRejoinCommand(Simulator& sim, const MacIndication& indication)
{
    const std::span<const std::uint8_t> bytes = indication.payload;
    const Result<NwkHeader> nwk = NwkHeader::decode(bytes);
    const std::optional<NwkCommand> command = RejoinFrame::decode(bytes);
    if (!nwk || !command || nwk->dst != m_mac.shortAddress())
        return;
    if (command->id() == NwkCommandId::RejoinRequest) {
        // Router / coordinator: Zigbee R22 3.6.1.4.2 (secure rejoin, the device keeps its
        // network address): adopt the child and answer with SUCCESS and that address.
        if (m_role == NodeRole::EndDevice || nwk->src != indication.header.src)
            return;
        const std::uint16_t child = nwk->src;
        NwkRejoinResponse response{child, NwkRejoinResponse::kStatusSuccess};
        if (!m_rejoinDirectory->acceptRejoin(child, m_mac.shortAddress()))
            response.status = NwkRejoinResponse::kStatusAtCapacity;
        NwkFrameBuffer frame;
        RejoinFrame::encode(m_mac.shortAddress(), child, m_nwkSequence, NwkCommand{response}, frame);
        const InFlight meta{0, SendKind::Data, 0, m_mac.shortAddress(), child, m_nwkSequence, child, sim.now()};
        // A sleepy child: held until it polls (transmit queues it indirectly).
        if (transmit(frame, child, meta) != NwkDropReason::None)
            return;
        ++m_nwkSequence;
        if (response.status == NwkRejoinResponse::kStatusSuccess)
            ++m_stats.rejoinsAccepted;
        return;
    }
    // Rejoin response: end device in a move, from the candidate it polled.
    if (m_role != NodeRole::EndDevice || !m_rejoin.active() || indication.header.src != m_rejoin.candidate())
        return;
    const auto* response = std::get_if<NwkRejoinResponse>(&command->payload);
    if (!response)
        return;
    m_rejoinTimer.cancel(sim);
    if (response->status != NwkRejoinResponse::kStatusSuccess || response->networkAddress != m_mac.shortAddress()) {
        rejoinCandidateFailed();
        return;
    }
    m_parent = *m_rejoin.candidate();
    // Closed-form idle polls (idlepollcost.h) cost the parent's radio: from now on the new one's.
    setParentNode(m_rejoinDirectory->parentNode(m_parent));
    m_stats.lastRejoinDuration = m_rejoin.succeeded(sim.now());
    ++m_stats.rejoins;
    if (indication.header.framePending)
        pollNow(); // the new parent holds more for us
}

} // namespace otalab::sim
