// SPDX-License-Identifier: Apache-2.0
// TimelineController: which node is on which timeline row, and what state it was in when.
#pragma once

#include "lab/labhistory.h"
#include "lab/labtypes.h"

#include <QObject>
#include <QString>

#include <limits>
#include <optional>
#include <span>
#include <vector>

namespace otalab::app {

class LabSelection;

// The timeline's view model. GUI thread only. Reads (does not own) a LabHistory that
// must outlive it or be replaced with setHistory(nullptr) first; copies what it needs of
// the topology and snapshot. Rows are recomputed in rebuildRows() (O(n log n) for n
// nodes), which update() calls only when the sort order or filter depends on live data.
class TimelineController final : public QObject {
    Q_OBJECT
public:
    enum class SortOrder { NodeIndex, CompletionTime };
    // Problems = Failed, Refused, or stuck (Waiting/Downloading longer than the threshold).
    enum class RowFilter { All, Problems };

    explicit TimelineController(LabSelection& selection, QObject* parent = nullptr);

    // New run: node labels and client flags (index == NodeId). Rebuilds rows.
    void setTopology(const LabTopology& topology);
    void setHistory(const LabHistory* history);
    // Latest snapshot: its time ends the last band of every row; node states feed the
    // "stuck" test. Emits dataChanged (and rowsChanged when rows moved).
    void update(const LabSnapshot& snapshot);
    // Without a snapshot (tests): the virtual time the last bands run to.
    void setNow(double timeS);

    void setSortOrder(SortOrder order);
    void setRowFilter(RowFilter filter);
    void setHideNonClients(bool hide);
    // Stuck threshold in virtual seconds (> 0).
    void setStuckThresholdS(double seconds);
    SortOrder sortOrder() const { return m_sort; }
    RowFilter rowFilter() const { return m_filter; }
    bool hideNonClients() const { return m_hideNonClients; }
    double stuckThresholdS() const { return m_stuckThresholdS; }

    int rowCount() const { return int(m_rows.size()); }
    // kNoNode for a row out of range.
    sim::NodeId nodeAt(int row) const;
    // -1 when `node` has no row (filtered out or unknown).
    int rowOf(sim::NodeId node) const;
    // "0x1A2B router": short address and role; "#12" without a topology.
    QString rowLabel(int row) const;
    // Time-ordered transitions of the row's node (empty when none / no history).
    std::span<const LabTransition> transitionsAt(int row) const;
    // State of the row's node at `timeS` (NoClient before the first transition, after now,
    // or for a row out of range).
    LabNodeState stateAt(int row, double timeS) const;
    // Virtual time of the first transition into Upgraded; +inf when none.
    double completionTimeS(sim::NodeId node) const;
    // In Waiting or Downloading for longer than the threshold at now().
    bool isStuck(sim::NodeId node) const;

    // Virtual time the last band of every row ends at (the snapshot time, or the latest
    // transition if that is later). ≥ 0.
    double nowS() const { return m_nowS; }
    int currentRow() const;
    std::optional<double> focusTimeS() const;

    // The user picked `row` at `timeS` (a band click): selects the node and, when
    // timeS is set, makes it the focus time.
    void activate(int row, std::optional<double> timeS);

    void rebuildRows();

Q_SIGNALS:
    void rowsChanged();   // row count or order changed: rowOf/nodeAt are new
    void dataChanged();   // new transitions or time: repaint

private:
    bool rowsDependOnData() const;
    std::size_t nodeCount() const;
    LabNodeState currentState(sim::NodeId node, double* sinceS) const;

    struct NodeLabel {
        QString text;
        bool hasClient = false;
    };

    LabSelection& m_selection;
    const LabHistory* m_history = nullptr;
    std::vector<NodeLabel> m_labels;
    struct LiveState {
        LabNodeState state = LabNodeState::Idle;
        double sinceS = 0;
    };
    std::vector<LiveState> m_live;   // from the latest snapshot (may be empty)
    double m_nowS = 0;
    SortOrder m_sort = SortOrder::NodeIndex;
    RowFilter m_filter = RowFilter::All;
    bool m_hideNonClients = false;
    double m_stuckThresholdS = 600;
    std::vector<sim::NodeId> m_rows;  // row → node
    std::vector<int> m_rowOf;         // node → row or -1
};

} // namespace otalab::app
