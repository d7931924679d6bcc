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
    std::vector<LabLogRow>().swap(m_rows);
    m_head = 0;
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
    appendRows(delta.logRows);
}

void LabHistory::appendRows(const std::vector<LabLogRow>& rows)
{
    auto from = rows.begin();
    if (rows.size() > m_capacity) {
        // The delta alone overfills the log: only its newest rows can stay.
        const std::size_t skip = rows.size() - m_capacity;
        m_firstRow += skip;
        from += static_cast<std::ptrdiff_t>(skip);
    }
    // Grow towards the cap (doubling, never past it)...
    const std::size_t room = m_capacity - m_rows.size();
    const std::size_t grow = std::min<std::size_t>(room, static_cast<std::size_t>(rows.end() - from));
    if (grow > 0) {
        if (m_rows.size() + grow > m_rows.capacity())
            m_rows.reserve(std::min(m_capacity, std::max(m_rows.size() + grow, 2 * m_rows.capacity())));
        m_rows.insert(m_rows.end(), from, from + static_cast<std::ptrdiff_t>(grow));
        from += static_cast<std::ptrdiff_t>(grow);
    }
    // ... then overwrite the oldest rows in place.
    for (; from != rows.end(); ++from) {
        m_rows[m_head] = *from;
        m_head = m_head + 1 == m_rows.size() ? 0 : m_head + 1;
        ++m_firstRow;
    }
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
