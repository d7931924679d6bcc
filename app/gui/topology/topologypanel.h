// SPDX-License-Identifier: Apache-2.0
// TopologyPanel: the lab's map of the fleet — nodes by placement, coloured by OTA state.
#pragma once

#include "sim/kernel/nodeid.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTimer;

namespace otalab::app {

class LabSelection;
class LabSession;
class TopologyController;
class TopologyLegend;
class TopologyScene;
class TopologyView;

// Wires a LabSession and the shared LabSelection to a TopologyController/View:
//   topologyChanged   → controller.setTopology(), fit;
//   snapshotPublished → coalesced (one apply per ~33 ms at most) controller.update();
//                       radio halos only when speed() != LabSession::kAsFastAsPossible;
//   clicks / rubber band / search → selection.setCurrent()/setNodes();
//   selection.selectionChanged → highlight; with "Follow selection", centre on the
//                       current node when the change came from another panel.
// GUI thread only.
class TopologyPanel final : public QWidget {
    Q_OBJECT
public:
    explicit TopologyPanel(LabSession& session, LabSelection& selection, QWidget* parent = nullptr);
    ~TopologyPanel() override;

    TopologyController& controller() const { return *m_controller; }
    TopologyView* view() const { return m_view; }
    TopologyScene* scene() const { return m_scene; }
    TopologyLegend* legend() const { return m_legend; }
    QLineEdit* searchBox() const { return m_search; }

    // Runs the search box's query: selects and centres the node, or explains why not.
    // Returns the node found.
    std::optional<sim::NodeId> find(const QString& text);
    // The last search / selection message shown under the toolbar.
    QString message() const;
    void setFollowSelection(bool follow);

    // Applies session.latest() now (the coalescing timer calls this).
    void applyLatestSnapshot();

Q_SIGNALS:
    void statusMessage(const QString& message);

private:
    void onTopologyChanged();
    void onSnapshotPublished();
    void onSelectionChanged();
    void onNodeClicked(sim::NodeId node, Qt::KeyboardModifiers modifiers);
    void onRectSelected(const QRectF& sceneRect, Qt::KeyboardModifiers modifiers);
    void showMessage(const QString& text, bool error = false);

    LabSession& m_session;
    LabSelection& m_selection;
    TopologyController* m_controller = nullptr;
    TopologyScene* m_scene = nullptr;
    TopologyView* m_view = nullptr;
    TopologyLegend* m_legend = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_message = nullptr;
    QCheckBox* m_follow = nullptr;
    QTimer* m_refresh = nullptr;    // coalesces snapshotPublished to ≤ ~30 applies/s
    QTimer* m_haloOff = nullptr;    // drops radio halos when no new activity arrives
    bool m_selecting = false;       // true while this panel changes the selection
};

} // namespace otalab::app
