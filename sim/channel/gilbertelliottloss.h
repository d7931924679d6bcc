// SPDX-License-Identifier: Apache-2.0
// GilbertElliottLoss: bursty loss from a two-state Markov chain per directed link.
#pragma once

#include "sim/channel/linklossmodel.h"

#include <cstdint>
#include <unordered_map>

namespace otalab::sim {

// Gilbert–Elliott channel (Gilbert 1960, Elliott 1963), one chain per directed link
// (src → dst), stepped once per frame on that link — "frame time", not wall time:
// a link that carries no traffic does not evolve. Per frame, first the state moves
// (Good → Bad with probability p, Bad → Good with probability r), then the frame is
// lost with probability 1 − k in Good and 1 − h in Bad. A link's first frame draws
// its initial state from the stationary distribution πB = p/(p+r), πG = r/(p+r),
// so the long-run loss rate is πG(1−k) + πB(1−h) from the first frame on, and the
// mean sojourn in Bad is 1/r frames (= the mean loss-burst length when h = 0, k = 1).
// Two draws from the receiver's stream per frame (three on a link's first frame).
class GilbertElliottLoss final : public LinkLossModel {
public:
    struct Params {
        double p = 0.01; // P(Good → Bad) per frame
        double r = 0.3;  // P(Bad → Good) per frame
        double k = 1.0;  // P(delivered | Good)
        double h = 0.0;  // P(delivered | Bad)
    };

    explicit GilbertElliottLoss(const Params& params);
    LossDecision decide(const LinkFrame& frame, RandomStream& receiverRng) override;

    const Params& params() const { return m_params; }
    // Stationary long-run loss probability πG(1−k) + πB(1−h).
    double stationaryLossProbability() const;
    // Whether the link src → dst is in Bad after its last frame (false if unseen).
    bool isBad(NodeId src, NodeId dst) const;

private:
    Params m_params;
    std::unordered_map<std::uint64_t, bool> m_bad; // key: src << 32 | dst
};

} // namespace otalab::sim
