// SPDX-License-Identifier: Apache-2.0
#include "topology/topologyscene.h"

#include "topology/topologycontroller.h"
#include "topology/topologyitem.h"

#include <algorithm>

namespace otalab::app {

TopologyScene::TopologyScene(TopologyController& controller, QObject* parent)
    : QGraphicsScene(parent), m_controller(controller)
{
    // One item that never moves: the BSP index would only cost time.
    setItemIndexMethod(QGraphicsScene::NoIndex);
    setBackgroundBrush(QColor(0xfa, 0xfa, 0xfc));
    m_item = new TopologyItem(controller);
    addItem(m_item);
    resetGeometry();
    connect(&controller, &TopologyController::topologyReset, this, [this] {
        resetGeometry();
        repaint();
    });
    connect(&controller, &TopologyController::statesChanged, this, &TopologyScene::repaint);
    connect(&controller, &TopologyController::selectionHighlightChanged, this, &TopologyScene::repaint);
}

void TopologyScene::resetGeometry()
{
    m_item->topologyChanged();
    // Generous margins so any node, even one on the rim, can be centred in the view.
    const QRectF b = m_item->boundingRect();
    const double margin = std::max(b.width(), b.height()) * 0.5;
    setSceneRect(b.isEmpty() ? QRectF(-100, -100, 200, 200) : b.adjusted(-margin, -margin, margin, margin));
}

void TopologyScene::repaint()
{
    ++m_repaints;
    m_item->update();
}

} // namespace otalab::app
