// SPDX-License-Identifier: Apache-2.0
// TimelinePanel: state bands of every device over virtual time, with sort/filter/zoom controls.
#pragma once

#include <QWidget>

class QComboBox;
class QCheckBox;
class QDoubleSpinBox;
class QTimer;

namespace otalab::app {

class LabSelection;
class LabSession;
class TimelineController;
class TimelineView;

// Assembles the toolbar, the TimelineView and a state legend, and wires the session
// (topologyChanged → new rows, snapshotPublished → repaint at most ~30 Hz) and the
// selection (current node scrolled into view and highlighted, focus time line) to them.
// GUI thread only; `session` and `selection` must outlive the panel.
class TimelinePanel final : public QWidget {
    Q_OBJECT
public:
    TimelinePanel(LabSession& session, LabSelection& selection, QWidget* parent = nullptr);
    ~TimelinePanel() override;

    TimelineController& controller() { return *m_controller; }
    TimelineView& view() { return *m_view; }

private:
    void onTopologyChanged();
    void onSelectionChanged();
    void onFocusTimeChanged();
    QWidget* buildToolBar();
    QWidget* buildLegend();

    LabSession& m_session;
    LabSelection& m_selection;
    TimelineController* m_controller = nullptr;
    TimelineView* m_view = nullptr;
    QTimer* m_refresh = nullptr;   // coalesces snapshots into ≤ ~30 repaints a second
    QComboBox* m_sort = nullptr;
    QComboBox* m_filter = nullptr;
    QCheckBox* m_hideNonClients = nullptr;
    QDoubleSpinBox* m_stuckMinutes = nullptr;
};

} // namespace otalab::app
