// SPDX-License-Identifier: Apache-2.0
// NwkDropReason / NwkDrop: why the NWK layer gave up on a frame, and the record reporting it.
#pragma once

#include "sim/kernel/nodeid.h"
#include "sim/kernel/simtime.h"

#include <cstddef>
#include <cstdint>

namespace otalab::sim {

class Simulator;

enum class NwkDropReason : std::uint8_t {
    None,
    NoAck,                // next hop never acknowledged (MAC: 1 + macMaxFrameRetries attempts)
    ChannelAccessFailure, // MAC CSMA-CA gave up (more than macMaxCSMABackoffs busy CCAs)
    MacQueueFull,         // MAC transmit queue full when the frame was due
    IndirectExpired,      // held for a sleepy child longer than macTransactionPersistenceTime
    IndirectQueueFull,    // parent's indirect queue full
    NoRoute,              // destination not in the tree (or not reachable from here)
    RadiusExhausted,      // radius reached 0 before the destination
    Malformed,            // NWK/APS header refused by the decoder
    NotForUs,             // a sleepy end device got a unicast for someone else
    // Real NWK security: the frame counter is older than the one last accepted from that
    // sender (nwkSecurityMaterial incoming frame count, Zigbee R22 4.3.1.2 step 6): a
    // replay, or the same frame heard again (MAC retransmission after a lost ACK).
    FrameCounterReplay,
    // APS acknowledgements (NwkModelConfig::aps.ack): the originator's APS layer gave up on
    // an acknowledged unicast after 1 + apscMaxFrameRetries transmissions without the
    // destination's APS ACK (Zigbee R22 2.2.8.4.4: after apscMaxFrameRetries retries the
    // transmission has failed; APSDE-DATA.confirm status NO_ACK, 2.2.4.1.2; EmberZNet reports
    // EMBER_DELIVERY_FAILED to emberMessageSentHandler). Reported once, by the originator, when
    // it gives up (the MAC-level NoAck above is one hop's failure, this is end to end).
    ApsNoAck,
};
// Number of reasons (size of arrays indexed by NwkDropReason): the last one + 1.
inline constexpr std::size_t kNwkDropReasonCount = static_cast<std::size_t>(NwkDropReason::ApsNoAck) + 1;

const char* toString(NwkDropReason reason);

// One frame dropped by one node (originated or relayed).
struct NwkDrop {
    SimTime time;
    NodeId node = kNoNode;        // the node that dropped it
    NwkDropReason reason = NwkDropReason::None;
    std::uint16_t nwkSrc = 0;
    std::uint16_t nwkDst = 0;
    std::uint8_t nwkSequence = 0;
    std::uint16_t nextHop = 0xFFFF; // where it was going (0xFFFF if not routed yet)
    SimTime heldSince = SimTime::min(); // IndirectExpired: when the parent queued it
};

// Network-wide sink for drops (metrics, failure reasons in reports). Simulation thread.
class NwkDropListener {
public:
    virtual void onNwkDrop(Simulator& sim, const NwkDrop& drop) = 0;

protected:
    ~NwkDropListener() = default;
};

} // namespace otalab::sim
