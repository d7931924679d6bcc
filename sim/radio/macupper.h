// SPDX-License-Identifier: Apache-2.0
// MacUpper: what the MAC tells the layer above it (NWK / Zigbee device model).
#pragma once

#include "sim/kernel/nodeid.h"
#include "sim/kernel/simtime.h"
#include "sim/radio/macframe.h"

#include <cstdint>
#include <span>

namespace otalab::sim {

class Simulator;

enum class MacStatus : std::uint8_t {
    Success,              // sent; acknowledged if an ACK was requested
    ChannelAccessFailure, // CSMA-CA: more than macMaxCSMABackoffs busy CCAs
    NoAck,                // no ACK after 1 + macMaxFrameRetries transmissions
};

const char* toString(MacStatus status);

// MCPS-DATA.confirm.
struct MacSendResult {
    std::uint32_t handle = 0;       // the value send() returned
    MacStatus status = MacStatus::Success;
    std::uint8_t transmissions = 0; // times the frame went on air (1..1+macMaxFrameRetries)
    std::uint8_t busyCcas = 0;      // busy CCAs over all attempts
    bool framePending = false;      // frame-pending bit of the ACK (indirect data waits)
    SimTime queuedAt;               // when send() accepted it
};

// MCPS-DATA.indication: a data or command frame addressed to this node (or
// broadcast) that arrived intact. `payload` is valid only during the call.
struct MacIndication {
    NodeId srcNode = kNoNode;
    MacHeader header;
    std::span<const std::uint8_t> payload;
    double rssiDbm = 0.0; // NaN when the loss model has no signal-strength notion
};

// Implemented by the device model. Called on the simulation thread from within the
// MAC's or the channel's event handling (sim.now() is the event time); the upper
// layer may call Mac::send() from inside any of these.
class MacUpper {
public:
    virtual void onSendComplete(Simulator& sim, const MacSendResult& result) = 0;
    virtual void onReceive(Simulator& sim, const MacIndication& indication) = 0;
    // Frame-pending bit for the ACK to a frame from `srcShort` (indirect
    // transmission: a parent holding data for a polling child answers true).
    virtual bool hasPendingFor(std::uint16_t srcShort) const
    {
        static_cast<void>(srcShort);
        return false;
    }

protected:
    ~MacUpper() = default;
};

} // namespace otalab::sim
