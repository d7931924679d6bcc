// SPDX-License-Identifier: Apache-2.0
// DeviceInspectorPanel: attributes, download progress and OTA state machine of the selected device.
#pragma once

#include "inspector/deviceinspectorcontroller.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTimer;
class QTreeWidget;

namespace otalab::app {

class BlockBar;
class FieldGrid;
class PieceBar;
class LabSelection;
class LabSession;
class StateMachineDiagram;

// Shows LabSelection::current() (the first selected node). Wiring (GUI thread):
//   session.topologyChanged   → controller topology, history, block size from config();
//   session.snapshotPublished → coalesced (≤ ~30 Hz) controller snapshot, repaint;
//   selection.selectionChanged / focusTimeChanged → controller node / focus time.
// With nothing selected it shows a placeholder telling the user what to click.
class DeviceInspectorPanel final : public QWidget {
    Q_OBJECT
public:
    explicit DeviceInspectorPanel(LabSession& session, LabSelection& selection, QWidget* parent = nullptr);
    ~DeviceInspectorPanel() override;

    DeviceInspectorController& controller() { return m_controller; }
    const DeviceInspectorModel& model() const { return m_controller.model(); }
    // Re-reads the model into the widgets (the panel calls it after each input change;
    // tests that drive controller() directly call it too).
    void refresh();

    bool showsPlaceholder() const;
    QString placeholderText() const;
    QString titleText() const;
    StateMachineDiagram* diagram() const { return m_diagram; }
    BlockBar* blockBar() const { return m_blockBar; }
    // Shown instead of the block bar when the device's family tells its pieces (sim::PieceMap).
    PieceBar* pieceBar() const { return m_pieceBar; }
    QTreeWidget* transitionList() const { return m_transitions; }
    QLabel* failureLabel() const { return m_failure; }
    QPlainTextEdit* recentList() const { return m_recent; }
    QComboBox* machineChooser() const { return m_machine; }

private:
    void onTopologyChanged();
    void onSelectionChanged();
    void applyLatestSnapshot();
    QWidget* buildDetails();
    void fillTransitions(const DeviceInspectorModel& m);

    LabSession& m_session;
    LabSelection& m_selection;
    DeviceInspectorController m_controller;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_note = nullptr;
    FieldGrid* m_identity = nullptr;
    FieldGrid* m_attributes = nullptr;
    FieldGrid* m_progress = nullptr;
    BlockBar* m_blockBar = nullptr;
    PieceBar* m_pieceBar = nullptr;
    StateMachineDiagram* m_diagram = nullptr;
    QLabel* m_focus = nullptr;
    QLabel* m_failure = nullptr;               // why it failed, in words, and when
    QLabel* m_attributesHeader = nullptr;
    QLabel* m_progressHeader = nullptr;        // "Download and energy", hidden when it has no rows
    QComboBox* m_machine = nullptr;            // which machine the diagram draws
    QPlainTextEdit* m_recent = nullptr;        // its last frames and state changes
    QTreeWidget* m_transitions = nullptr;
    QWidget* m_machineSection = nullptr;       // machine chooser, diagram, focus line
    QWidget* m_historySection = nullptr;       // transitions taken, the device's last rows
    QTimer* m_refresh = nullptr;
    sim::NodeId m_listedNode = sim::kNoNode;   // whose transitions m_transitions shows
    std::size_t m_listedCount = 0;
    bool m_snapshotPending = false;           // a snapshot was skipped while nothing was selected
};

} // namespace otalab::app
