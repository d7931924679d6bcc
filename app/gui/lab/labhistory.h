// SPDX-License-Identifier: Apache-2.0
// LabHistory: the GUI thread's accumulated timeline transitions and event-log rows of one run.
#pragma once

#include "lab/labtypes.h"

#include <cstddef>
#include <vector>

namespace otalab::app {

// Owned by LabSession on the GUI thread; filled from every LabHistoryDelta in order.
// Transitions are kept whole (one per state change per node: small). Log rows are
// capped at logCapacity(): beyond it the oldest rows are evicted, and row indices stay
// stable as "absolute" numbers (firstLogRow() moves up), so a view can keep its place.
// The rows live in one array that grows to the cap and is then reused as a ring (no
// allocation per row or per block of rows while a long run streams in).
class LabHistory {
public:
    static constexpr std::size_t kDefaultLogCapacity = 2'000'000;

    explicit LabHistory(std::size_t logCapacity = kDefaultLogCapacity);

    // Forgets everything and frees its memory; `nodeCount` nodes (index == NodeId), each
    // starting in `initial` state at t = 0 (no transition stored for that).
    void reset(std::size_t nodeCount);
    void append(LabHistoryDelta&& delta);

    std::size_t nodeCount() const { return m_transitions.size(); }
    // Time-ordered transitions of `node` (empty for an unknown node).
    const std::vector<LabTransition>& transitionsOf(sim::NodeId node) const;
    // State of `node` at virtual time `timeS` (NoClient before its first transition).
    LabNodeState stateAt(sim::NodeId node, double timeS) const;

    // Log rows with absolute indices [firstLogRow(), endLogRow()).
    std::size_t firstLogRow() const { return m_firstRow; }
    std::size_t endLogRow() const { return m_firstRow + m_rows.size(); }
    const LabLogRow& logRow(std::size_t absoluteIndex) const
    {
        const std::size_t i = m_head + (absoluteIndex - m_firstRow);
        return m_rows[i < m_rows.size() ? i : i - m_rows.size()];
    }
    std::size_t logCapacity() const { return m_capacity; }

private:
    std::vector<std::vector<LabTransition>> m_transitions;
    void appendRows(const std::vector<LabLogRow>& rows);

    std::vector<LabLogRow> m_rows;  // ≤ m_capacity; a ring starting at m_head once full
    std::size_t m_head = 0;         // position of firstLogRow() in m_rows (0 until full)
    std::size_t m_firstRow = 0;
    std::size_t m_capacity;
};

} // namespace otalab::app
