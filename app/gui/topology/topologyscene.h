// SPDX-License-Identifier: Apache-2.0
// TopologyScene: the QGraphicsScene holding the single TopologyItem, kept in step with the controller.
#pragma once

#include <QGraphicsScene>

namespace otalab::app {

class TopologyController;
class TopologyItem;

// Repaints the item when the controller's states, activity or selection change and
// resizes the scene rectangle when the topology is replaced. GUI thread only.
class TopologyScene final : public QGraphicsScene {
    Q_OBJECT
public:
    explicit TopologyScene(TopologyController& controller, QObject* parent = nullptr);

    TopologyItem* item() const { return m_item; }
    TopologyController& controller() const { return m_controller; }
    // How many times the item was asked to repaint (tests check coalescing).
    int repaintRequests() const { return m_repaints; }

private:
    void resetGeometry();
    void repaint();
    // States/halos changed: invalidates only the changed markers (or everything when many changed).
    void repaintChanged();

    static constexpr std::size_t kMaxPartialNodes = 400;

    TopologyController& m_controller;
    TopologyItem* m_item = nullptr;
    int m_repaints = 0;
};

} // namespace otalab::app
