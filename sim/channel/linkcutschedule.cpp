// SPDX-License-Identifier: Apache-2.0
#include "sim/channel/linkcutschedule.h"

#include <algorithm>

namespace otalab::sim {

LinkCutSchedule::LinkCutSchedule(std::unique_ptr<LinkLossModel> inner)
    : m_inner(std::move(inner))
{
}

std::uint64_t LinkCutSchedule::key(NodeId a, NodeId b)
{
    const NodeId lo = std::min(a, b);
    const NodeId hi = std::max(a, b);
    return (static_cast<std::uint64_t>(lo) << 32) | hi;
}

void LinkCutSchedule::addCut(NodeId a, NodeId b, SimTime from, SimTime to)
{
    if (to <= from)
        return;
    m_cuts[key(a, b)].push_back(Interval{from, to});
}

bool LinkCutSchedule::isCut(NodeId a, NodeId b, SimTime t) const
{
    return isCutDuring(a, b, t, t + SimTime::fromNanos(1));
}

bool LinkCutSchedule::isCutDuring(NodeId a, NodeId b, SimTime start, SimTime end) const
{
    const auto it = m_cuts.find(key(a, b));
    if (it == m_cuts.end())
        return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](const Interval& cut) { return start < cut.to && cut.from < end; });
}

LossDecision LinkCutSchedule::decide(const LinkFrame& frame, RandomStream& receiverRng)
{
    if (isCutDuring(frame.src, frame.dst, frame.start, frame.end))
        return LossDecision{true};
    if (m_inner)
        return m_inner->decide(frame, receiverRng);
    return LossDecision{false};
}

} // namespace otalab::sim
