// SPDX-License-Identifier: Apache-2.0
// ApsUpper: what a ZigbeeNode tells the application above it (the OTA device model / server host).
#pragma once

#include "sim/kernel/nodeid.h"
#include "sim/kernel/simtime.h"
#include "sim/zigbee/nwkdropreason.h"

#include <cstdint>
#include <span>

namespace otalab::sim {

class Simulator;

// APSDE-DATA.confirm for one sendAps(). Without APS ACKs (NwkModelConfig::aps.ack false)
// `delivered` means the first hop acknowledged the frame at the MAC (for a broadcast: it
// went on the air; for a sleepy child: the child fetched it with a poll and acknowledged
// it) — not that the final destination got it. With aps.ack, a unicast is `delivered`
// when the final destination's APS ACK came back (`acked`), after 1..1 + maxRetries
// attempts (`apsAttempts`); otherwise delivered = false after the last ack wait, with
// `reason` = the last attempt's NWK drop (NoAck when every hop acknowledged it but no
// APS ACK came). Exactly one completion per sendAps() either way.
struct ApsSendResult {
    std::uint32_t handle = 0;  // the value sendAps() returned
    bool delivered = false;
    NwkDropReason reason = NwkDropReason::None; // why not, when !delivered
    std::uint16_t dstShort = 0;
    std::uint8_t apsCounter = 0;
    std::uint8_t nwkSequence = 0;
    std::uint8_t macTransmissions = 0; // on-air attempts of the first hop (0 if never sent)
    SimTime requestedAt;               // when sendAps() accepted it
    std::uint8_t apsAttempts = 1;      // APS transmissions (1 + APS retries; 1 without aps.ack)
    bool acked = false;                // completed by the destination's APS ACK
};

// APSDE-DATA.indication. `payload` (the ZCL frame) is valid only during the call.
struct ApsIndication {
    std::uint16_t srcShort = 0;   // NWK source (originator), not the last hop
    std::uint16_t dstShort = 0;   // NWK destination (this node or a broadcast address)
    std::uint8_t srcEndpoint = 0;
    std::uint8_t dstEndpoint = 0;
    std::uint16_t clusterId = 0;
    std::uint16_t profileId = 0;
    std::uint8_t apsCounter = 0;
    std::uint8_t radius = 0;      // hops left on arrival
    double rssiDbm = 0.0;         // last hop; NaN when the loss model has none
    std::span<const std::uint8_t> payload;
};

// Implemented by the application of one node. Called on the simulation thread from
// the node's event handling; may call ZigbeeNode::sendAps() re-entrantly.
class ApsUpper {
public:
    virtual void onApsSendComplete(Simulator& sim, const ApsSendResult& result) = 0;
    virtual void onApsReceive(Simulator& sim, const ApsIndication& indication) = 0;

protected:
    ~ApsUpper() = default;
};

} // namespace otalab::sim
