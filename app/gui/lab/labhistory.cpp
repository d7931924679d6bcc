// SPDX-License-Identifier: Apache-2.0
// LabHistory: accumulation of transitions and capped log rows (GUI thread).
#include "lab/labhistory.h"

#include <algorithm>

namespace otalab::app {

LabHistory::LabHistory(std::size_t logCapacity) : m_capacity(std::max<std::size_t>(logCapacity, 1)) {}

void LabHistory::reset(std::size_t nodeCount)
{
    // Fresh containers: clear()/assign() would keep the capacity of the previous run
    // (two million log rows, tens of thousands of transition lists).
    std::vector<std::vector<LabTransition>>(nodeCount).swap(m_transitions);
    std::deque<LabLogRow>().swap(m_rows);
    m_firstRow = 0;
}

void LabHistory::append(LabHistoryDelta&& delta)
{
    for (const LabTransition& t : delta.transitions) {
        if (t.node >= m_transitions.size())
            continue;  // unknown node: ignore rather than grow
        auto& list = m_transitions[t.node];
        // Keep time order even if a delta were ever out of order.
        if (list.empty() || list.back().timeS <= t.timeS)
            list.push_back(t);
        else
            list.insert(std::upper_bound(list.begin(), list.end(), t.timeS,
                                         [](double time, const LabTransition& x) { return time < x.timeS; }),
                        t);
    }
    if (delta.logRows.size() >= m_capacity) {
        // The delta alone fills the log: keep its newest rows.
        const std::size_t drop = delta.logRows.size() - m_capacity;
        m_firstRow += m_rows.size() + drop;
        m_rows.assign(delta.logRows.begin() + static_cast<std::ptrdiff_t>(drop), delta.logRows.end());
        return;
    }
    const std::size_t overflow = m_rows.size() + delta.logRows.size() > m_capacity
                                     ? m_rows.size() + delta.logRows.size() - m_capacity
                                     : 0;
    if (overflow > 0) {
        m_rows.erase(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(overflow));
        m_firstRow += overflow;
    }
    m_rows.insert(m_rows.end(), delta.logRows.begin(), delta.logRows.end());
}

const std::vector<LabTransition>& LabHistory::transitionsOf(sim::NodeId node) const
{
    static const std::vector<LabTransition> empty;
    return node < m_transitions.size() ? m_transitions[node] : empty;
}

LabNodeState LabHistory::stateAt(sim::NodeId node, double timeS) const
{
    const auto& list = transitionsOf(node);
    // Last transition with time <= timeS.
    auto it = std::upper_bound(list.begin(), list.end(), timeS,
                               [](double time, const LabTransition& x) { return time < x.timeS; });
    if (it == list.begin())
        return LabNodeState::Idle;
    return std::prev(it)->state;
}

} // namespace otalab::app
