// SPDX-License-Identifier: Apache-2.0
// ZigbeeOutageLoss: nodes gone dark (power loss, router outage, link outage) over any loss model.
#pragma once

#include "sim/channel/linklossmodel.h"

#include <memory>
#include <unordered_map>
#include <vector>

namespace otalab::sim {

// Decorates the channel's loss model (or none) with intervals during which a node sends
// and hears nothing: a frame is lost iff its airtime [start, end) overlaps a dark interval
// of its sender or its receiver. Lost frames consult no inner model (no random draw), and
// with no interval at all every frame goes to the inner model exactly as without this
// decorator, so a scenario without faults keeps its trace. ZigbeeFleet always installs it;
// faults add intervals during the run (simulation thread, from >= now).
class ZigbeeOutageLoss final : public LinkLossModel {
public:
    explicit ZigbeeOutageLoss(std::unique_ptr<LinkLossModel> inner) : m_inner(std::move(inner)) {}

    // Node `node` is dark during [from, to). Ignored when to <= from.
    void addDark(NodeId node, SimTime from, SimTime to);
    bool isDark(NodeId node, SimTime start, SimTime end) const;

    LossDecision decide(const LinkFrame& frame, RandomStream& receiverRng) override;

private:
    struct Interval {
        SimTime from;
        SimTime to;
    };
    std::unique_ptr<LinkLossModel> m_inner;
    std::unordered_map<NodeId, std::vector<Interval>> m_dark;
};

} // namespace otalab::sim
