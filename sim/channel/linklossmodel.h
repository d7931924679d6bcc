// SPDX-License-Identifier: Apache-2.0
// LinkLossModel: decides whether one frame on one link is lost.
#pragma once

#include "sim/kernel/nodeid.h"
#include "sim/kernel/simtime.h"

#include <cstddef>
#include <limits>

namespace otalab::sim {

class RandomStream;

// One frame as seen by one receiver: its airtime [start, end) and its PSDU length.
struct LinkFrame {
    NodeId src = kNoNode;
    NodeId dst = kNoNode; // the receiver (never kBroadcastNode)
    SimTime start;        // first symbol of the preamble
    SimTime end;          // end of the last PSDU symbol
    std::size_t psduBytes = 0;
};

struct LossDecision {
    bool lost = false;
    // Received signal strength at dst (dBm), NaN when the model has no notion of it.
    double rssiDbm = std::numeric_limits<double>::quiet_NaN();
};

// Interface of the channel loss models (Bernoulli, Gilbert–Elliott, distance based,
// scheduled cuts layered over any of them). The RadioChannel consults it once per
// frame per receiver that decoded the frame without collision, at the end of the
// frame's airtime, in a deterministic order, passing the *receiving* node's random
// stream: results depend only on (seed, node, frames seen), never on other nodes.
// Models may keep per-link state (Gilbert–Elliott); they are not thread-safe.
class LinkLossModel {
public:
    virtual ~LinkLossModel() = default;
    virtual LossDecision decide(const LinkFrame& frame, RandomStream& receiverRng) = 0;
};

} // namespace otalab::sim
