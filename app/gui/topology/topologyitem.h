// SPDX-License-Identifier: Apache-2.0
// TopologyItem: one QGraphicsItem that paints every node and link of the topology.
#pragma once

#include "lab/labtypes.h"
#include "topology/coveragelayer.h"
#include "topology/topologylabel.h"

#include <QGraphicsItem>
#include <QPixmap>

#include <array>

namespace otalab::app {

class TopologyController;

// Draws all nodes itself instead of one item per node: a 10,000-node fleet is one
// item whose paint() walks only the spatial-grid cells in the exposed rectangle.
// Level of detail: markers keep a readable on-screen size (3..18 px) whatever the
// zoom; below 5 px they are plain rectangles without outline or antialiasing; labels
// (short addresses) appear once markers are large. Coverage rings (translucent discs,
// one label each where it fits) are drawn under everything for the controller's
// ringNodes() whose rings reach the exposed area, and gateways / coordinators (the
// landmarks) are named at every zoom: both cost O(ringed / landmark nodes), not O(nodes).
// GUI thread only; repaint with update() when the controller says states, selection or
// placement changed.
class TopologyItem final : public QGraphicsItem {
public:
    explicit TopologyItem(const TopologyController& controller);

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    // Call after the controller's placement changed (boundingRect moves).
    void topologyChanged();

    // Marker radius in scene units of a node of `kind` (TopologyNodeKind) at
    // `pixelsPerUnit` zoom: the hit-test radius of clicks uses the same figures.
    double markerRadius(double pixelsPerUnit, int kind) const;

    // What the last paint() drew beyond the markers (for tests and the performance note).
    struct PaintStats {
        int rings = 0;         // coverage rings drawn
        int ringLabels = 0;    // of those, labelled
        int landmarkLabels = 0;
        std::size_t nodes = 0; // markers in the exposed area
    };
    const PaintStats& lastPaint() const { return m_stats; }

private:
    static constexpr int kKinds = 4;  // TopologyNodeKind values
    // Pre-rendered markers and halos per kind and state at the current on-screen radius.
    struct Sprites {
        std::array<double, kKinds> radiusPx{};
        qreal dpr = 0;
        std::array<std::array<QPixmap, kLabNodeStateCount>, kKinds> markers;
        std::array<std::array<QPixmap, kLabNodeStateCount>, kKinds> halos;
    };
    void ensureSprites(const std::array<double, kKinds>& radiusPx, qreal dpr);
    // Places the names of gateways and coordinators in `exposed` beside their markers.
    std::vector<TopologyLabel> placeLandmarkLabels(const QPainter* painter, const QRectF& exposed, double ppu,
                                                 const std::array<double, kKinds>& radius, std::vector<QRectF>& taken) const;

    const TopologyController& m_controller;
    QRectF m_bounds;
    Sprites m_sprites;
    PaintStats m_stats;
    CoverageLayer m_coverage;
    std::array<bool, kKinds> m_named{};  // per kind: its nodes are named landmarks (and get a minimum size)
};

} // namespace otalab::app
