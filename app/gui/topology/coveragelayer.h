// SPDX-License-Identifier: Apache-2.0
// CoverageLayer: the coverage rings of a topology (a LoRa gateway's SF7…SF12 reach) under its markers.
#pragma once

#include "topology/topologylabel.h"

#include <QColor>
#include <QFont>
#include <QPixmap>
#include <QTransform>

#include <functional>
#include <vector>

class QPainter;

namespace otalab::app {

class TopologyController;

// Draws the rings of the controller's ringNodes() (LabNodeInfo::ranges) that reach the
// exposed area. Level j (each node's j-th nearest ring) is filled once as the union of
// every node's disc of that level, so a pixel is blended once per level that reaches it:
// where gateways overlap the tint shows the best coverage, not their sum, and the levels
// nest like one gateway's rings. Rims are antialiased lines (beyond 8 ringed nodes only
// those of the node nearest the middle of the view); that node's rings are labelled
// ("SF7") where the label fits. The whole view is drawn once per zoom and scroll position
// into a layer the size of the device, and each repaint blits the exposed part of it, so
// a repaint costs a blit whatever the number of gateways and devices. GUI thread only.
class CoverageLayer {
public:
    // The hue of the rings (the legend's swatch uses it too), and the labels' font.
    static QColor color();
    static QFont labelFont(const QFont& base);

    // Places the names that keep precedence over ring labels in the whole `view` (scene
    // units) when the layer is redrawn; boxes in device pixels go to the vector.
    using ReserveNames = std::function<void(const QPainter& layer, const QRectF& view, std::vector<QRectF>& names)>;

    // Paints the coverage reaching `exposed` (scene units) with `painter` (scene → device
    // transform) and returns the ring labels to draw over the markers, none overlapping
    // `taken` (which grows by them).
    std::vector<TopologyLabel> paint(QPainter* painter, const TopologyController& controller, const QRectF& exposed,
                                     double ppu, std::vector<QRectF>& taken, const ReserveNames& reserveNames);
    // Rings reaching the area the last paint() drew (the whole view when from the layer).
    int ringsDrawn() const { return m_rings; }
    // The topology changed: forget the layer.
    void reset();

private:
    std::vector<TopologyLabel> paintRings(QPainter* painter, const TopologyController& controller, const QRectF& exposed,
                                          double ppu, std::vector<QRectF>& taken);

    struct Cache {
        QTransform world;  // scene → device when drawn
        QSize size;
        qreal dpr = 0;
        QPixmap layer;     // transparent but for the coverage
        std::vector<TopologyLabel> labels;
        int rings = 0;
    };
    Cache m_cache;
    int m_rings = 0;
};

} // namespace otalab::app
