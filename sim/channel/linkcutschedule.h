// SPDX-License-Identifier: Apache-2.0
// LinkCutSchedule: scheduled link cuts and restores layered over any loss model.
#pragma once

#include "sim/channel/linklossmodel.h"

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace otalab::sim {

// Decorates another LinkLossModel (or none: no other loss) with intervals during
// which a link is down in both directions. A frame is lost on a cut link iff its
// airtime [start, end) overlaps a cut [from, to) — so a frame ending exactly at
// `from` or starting exactly at `to` gets through. Frames lost to a cut do not
// consult the inner model (no random draws, no Gilbert–Elliott step): the link
// carried nothing. Cuts may overlap; add them before the run (not thread-safe).
class LinkCutSchedule final : public LinkLossModel {
public:
    explicit LinkCutSchedule(std::unique_ptr<LinkLossModel> inner = nullptr);

    // Link a–b is down during [from, to). Ignored when to <= from.
    void addCut(NodeId a, NodeId b, SimTime from, SimTime to);
    // Whether link a–b is down at instant t.
    bool isCut(NodeId a, NodeId b, SimTime t) const;
    // Whether link a–b is down at any instant of [start, end).
    bool isCutDuring(NodeId a, NodeId b, SimTime start, SimTime end) const;

    LossDecision decide(const LinkFrame& frame, RandomStream& receiverRng) override;
    LinkLossModel* inner() const { return m_inner.get(); }

private:
    struct Interval {
        SimTime from;
        SimTime to;
    };
    static std::uint64_t key(NodeId a, NodeId b);

    std::unique_ptr<LinkLossModel> m_inner;
    std::unordered_map<std::uint64_t, std::vector<Interval>> m_cuts;
};

} // namespace otalab::sim
