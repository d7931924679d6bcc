// SPDX-License-Identifier: Apache-2.0
// EventLogController: the event log's filter, follow mode and link to the lab selection.
#pragma once

#include "eventlog/eventlogfilter.h"
#include "lab/labtypes.h"

#include <QObject>

#include <cstddef>
#include <optional>

namespace otalab::app {

class EventLogModel;
class LabHistory;
class LabSelection;

// GUI thread only. Owns the EventLogModel. "Selected node only" follows
// LabSelection::current(); a focus time set elsewhere (a timeline click) asks the view
// to show the first row at/after it (scrollRequested) and turns follow mode off.
// Activating a row selects its source node (or destination, for a source-less row)
// and makes its time the focus time.
class EventLogController final : public QObject {
    Q_OBJECT
public:
    explicit EventLogController(LabSelection& selection, QObject* parent = nullptr);

    EventLogModel& model() { return *m_model; }
    const EventLogModel& model() const { return *m_model; }

    void setTopology(const LabTopology& topology);
    void setHistory(const LabHistory* history);
    // After the history grew: inserts/evicts model rows; in follow mode asks the view to
    // show the newest row (scrollRequested(rowCount-1)).
    void sync();

    void setText(const QString& text);
    void setShowFrames(bool show);
    void setShowStateChanges(bool show);
    void setFateShown(std::uint8_t fate, bool shown);
    void setSelectedNodeOnly(bool on);
    bool selectedNodeOnly() const { return m_selectedOnly; }
    EventLogFilter filter() const { return m_filter; }

    void setFollow(bool follow);
    bool follow() const { return m_follow; }

    // The user selected model row `row`.
    void activateRow(int row);
    // Absolute history index of the row the user last activated (kept across refilters).
    std::optional<std::size_t> activeAbsoluteRow() const { return m_activeAbs; }

Q_SIGNALS:
    void scrollRequested(int row);   // the view should show (not select) this model row
    void followChanged(bool follow);
    void filterChanged();            // the model was rebuilt for a new filter

private:
    void applyFilter();
    void onSelectionChanged();
    void onFocusTimeChanged();

    LabSelection& m_selection;
    EventLogModel* m_model = nullptr;
    EventLogFilter m_filter;          // as set by the user (node comes from the selection)
    bool m_selectedOnly = false;
    bool m_follow = true;
    bool m_activating = false;        // our own selection/focus changes: do not echo
    std::optional<std::size_t> m_activeAbs;
};

} // namespace otalab::app
