// SPDX-License-Identifier: Apache-2.0
// TopologyView: zoom, pan, click and rubber-band selection over a TopologyScene.
#pragma once

#include "sim/kernel/nodeid.h"

#include <QGraphicsView>

class QRubberBand;

namespace otalab::app {

class TopologyScene;

// Mouse and keys (GUI thread):
//   wheel, +/- zoom around the cursor / centre; 0 or F fits everything;
//   middle-button drag or Space + left drag pans (scroll bars too);
//   left click picks the node under the cursor (nodeClicked, kNoNode on empty space);
//   left drag draws a rubber band (rectSelected with the scene rectangle).
// Tooltips name the node under the cursor. After fitAll() and until the user zooms, pans
// or a node is centred, the view stays fitted when it is resized (docks laid out, window
// maximised after the topology arrived).
class TopologyView final : public QGraphicsView {
    Q_OBJECT
public:
    explicit TopologyView(TopologyScene* scene, QWidget* parent = nullptr);

    void zoomBy(double factor);
    void fitAll();
    // True from fitAll() until the view is zoomed, panned or centred on a node.
    bool isFitted() const { return m_fitted; }
    void centreOnNode(sim::NodeId node);
    // Pixels per scene unit at the current zoom.
    double zoom() const;
    // Node under a viewport position (same radius as drawn markers, at least 6 px).
    sim::NodeId nodeAtViewPos(QPoint viewPos) const;

Q_SIGNALS:
    void nodeClicked(sim::NodeId node, Qt::KeyboardModifiers modifiers);
    void rectSelected(const QRectF& sceneRect, Qt::KeyboardModifiers modifiers);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    enum class Gesture { None, Pending, RubberBand, Pan };

    void panBy(QPoint delta);

    TopologyScene* m_scene;
    QRubberBand* m_band = nullptr;
    Gesture m_gesture = Gesture::None;
    QPoint m_pressPos, m_lastPos;
    bool m_spaceHeld = false;
    bool m_fitted = false;
};

} // namespace otalab::app
