// SPDX-License-Identifier: Apache-2.0
// TopologyItem: one QGraphicsItem that paints every node and link of the topology.
#pragma once

#include "lab/labtypes.h"

#include <QGraphicsItem>
#include <QPixmap>

#include <array>

namespace otalab::app {

class TopologyController;

// Draws all nodes itself instead of one item per node: a 10,000-node fleet is one
// item whose paint() walks only the spatial-grid cells in the exposed rectangle.
// Level of detail: markers keep a readable on-screen size (3..18 px) whatever the
// zoom; below 5 px they are plain rectangles without outline or antialiasing; labels
// (short addresses) appear once markers are large. GUI thread only; repaint with
// update() when the controller says states, selection or placement changed.
class TopologyItem final : public QGraphicsItem {
public:
    explicit TopologyItem(const TopologyController& controller);

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    // Call after the controller's placement changed (boundingRect moves).
    void topologyChanged();

    // Marker radius in scene units of an end device, a router and the coordinator at
    // `pixelsPerUnit` zoom: the hit-test radius of clicks uses the same figures.
    double markerRadius(double pixelsPerUnit, int kind) const;

private:
    // Pre-rendered markers and halos per kind and state at the current on-screen radius.
    struct Sprites {
        std::array<double, 3> radiusPx{};
        qreal dpr = 0;
        std::array<std::array<QPixmap, kLabNodeStateCount>, 3> markers;
        std::array<std::array<QPixmap, kLabNodeStateCount>, 3> halos;
    };
    void ensureSprites(const std::array<double, 3>& radiusPx, qreal dpr);

    const TopologyController& m_controller;
    QRectF m_bounds;
    Sprites m_sprites;
};

} // namespace otalab::app
