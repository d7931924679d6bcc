// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/zigbeeoutageloss.h"

#include <algorithm>

namespace otalab::sim {

void ZigbeeOutageLoss::addDark(NodeId node, SimTime from, SimTime to)
{
    if (to <= from)
        return;
    m_dark[node].push_back(Interval{from, to});
}

bool ZigbeeOutageLoss::isDark(NodeId node, SimTime start, SimTime end) const
{
    const auto it = m_dark.find(node);
    if (it == m_dark.end())
        return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](const Interval& i) { return start < i.to && i.from < end; });
}

LossDecision ZigbeeOutageLoss::decide(const LinkFrame& frame, RandomStream& receiverRng)
{
    if (!m_dark.empty() && (isDark(frame.src, frame.start, frame.end) || isDark(frame.dst, frame.start, frame.end)))
        return LossDecision{true};
    if (m_inner)
        return m_inner->decide(frame, receiverRng);
    return LossDecision{};
}

} // namespace otalab::sim
