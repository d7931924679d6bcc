// SPDX-License-Identifier: Apache-2.0
// EventLogPanel: the filterable, virtualised table of frames and state changes.
#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QToolButton;

namespace otalab::app {

class EventLogController;
class LabSelection;
class LabSession;

// Assembles the filter bar, the QTableView over EventLogController::model() and a row
// count; wires the session (topologyChanged → new history, snapshotPublished → sync at
// most ~30 times a second) and the table (row selected → controller; scroll requests;
// follow mode switched off when the user scrolls up, on again at the bottom).
// GUI thread only; `session` and `selection` must outlive the panel.
class EventLogPanel final : public QWidget {
    Q_OBJECT
public:
    EventLogPanel(LabSession& session, LabSelection& selection, QWidget* parent = nullptr);
    ~EventLogPanel() override;

    EventLogController& controller() { return *m_controller; }
    QTableView& table() { return *m_table; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* buildFilterBar();
    void replaceRowHeader();
    void onTopologyChanged();
    void onScrollRequested(int row);
    void onFilterChanged();
    void onCurrentRowChanged(int row);
    void onUserScrolled(int value);
    void updateCount();

    LabSession& m_session;
    EventLogController* m_controller = nullptr;
    QTableView* m_table = nullptr;
    QLineEdit* m_text = nullptr;
    QComboBox* m_kind = nullptr;
    QToolButton* m_fates = nullptr;
    QCheckBox* m_selectedOnly = nullptr;
    QCheckBox* m_follow = nullptr;
    QLabel* m_count = nullptr;
    QTimer* m_textDelay = nullptr;   // applies the text filter 250 ms after the last key
    QTimer* m_refresh = nullptr;     // coalesces snapshots into ≤ 4 syncs a second while shown
    bool m_behind = false;           // rows arrived while hidden: sync when shown
    bool m_programmatic = false;     // our own scrolling/selection: not the user's
};

} // namespace otalab::app
