// SPDX-License-Identifier: Apache-2.0
#include "topology/topologyscene.h"

#include "topology/topologycontroller.h"
#include "topology/topologyitem.h"

#include <QGraphicsView>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <array>

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
    connect(&controller, &TopologyController::statesChanged, this, &TopologyScene::repaintChanged);
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

void TopologyScene::repaintChanged()
{
    const std::vector<sim::NodeId>& changed = m_controller.changedNodes();
    const QList<QGraphicsView*> allViews = views();
    if (m_controller.allChanged() || allViews.isEmpty() || changed.size() > kMaxPartialNodes) {
        repaint();
        return;
    }
    ++m_repaints;
    // Only the markers (and halos) that changed: each becomes a small dirty rectangle of
    // the views (QGraphicsScene::update() keeps them apart, unlike QGraphicsItem::update()
    // which would unite them into one bounding rectangle).
    double ppu = 0;
    for (const QGraphicsView* v : allViews) {
        const double z = QStyleOptionGraphicsItem::levelOfDetailFromTransform(v->transform());
        ppu = ppu == 0 ? z : std::min(ppu, z);
    }
    ppu = std::max(ppu, 1e-9);
    std::array<double, kTopologyNodeKindCount> reach{};
    for (int k = 0; k < kTopologyNodeKindCount; ++k)  // halo radius, plus the selection ring and antialiasing
        reach[std::size_t(k)] = std::max(m_item->markerRadius(ppu, k) * 2.4, m_item->markerRadius(ppu, k) + 5.0 / ppu) + 2.0 / ppu;
    const auto& kinds = m_controller.kinds();
    const auto& pos = m_controller.positions();
    for (sim::NodeId id : changed) {
        if (id >= pos.size())
            continue;
        const double r = reach[std::min<std::size_t>(std::size_t(kinds[id]), reach.size() - 1)];
        update(QRectF(pos[id].x() - r, pos[id].y() - r, 2 * r, 2 * r));
    }
}

} // namespace otalab::app
