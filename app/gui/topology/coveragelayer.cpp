// SPDX-License-Identifier: Apache-2.0
#include "topology/coveragelayer.h"

#include "topology/topologycontroller.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace otalab::app {

namespace {
constexpr double kMinRingLabelPx = 14;      // a ring smaller than this on screen is not labelled
constexpr double kRingAlpha = 11.0 / 255;   // opacity each coverage level adds
constexpr std::size_t kMaxRimmedNodes = 8;  // beyond this many ringed nodes only one node's rims are drawn
} // namespace

QColor CoverageLayer::color()
{
    return QColor(0x55, 0x66, 0x80);  // slate: low chroma, so the state colours on top keep their contrast
}

QFont CoverageLayer::labelFont(const QFont& base) { return topologyLabelFont(base, 7, false); }

void CoverageLayer::reset()
{
    m_cache = Cache{};
    m_rings = 0;
}

std::vector<TopologyLabel> CoverageLayer::paint(QPainter* painter, const TopologyController& controller, const QRectF& exposed,
                                                double ppu, std::vector<QRectF>& taken, const ReserveNames& reserveNames)
{
    if (controller.ringNodes().empty())
        return {};
    const QTransform world = painter->worldTransform();
    QPaintDevice* device = painter->device();
    if (!device || world.type() > QTransform::TxScale)
        {
        m_rings = 0;
        return paintRings(painter, controller, exposed, ppu, taken);
    }
    // The coverage of the whole view, drawn once per zoom and scroll position into a
    // layer the size of the device; each repaint (30 a second while a run goes on) only
    // blits the exposed part of it.
    const QSize size(device->width(), device->height());
    const qreal dpr = device->devicePixelRatioF();
    Cache& cache = m_cache;
    if (cache.layer.isNull() || cache.world != world || cache.size != size || cache.dpr != dpr) {
        cache.world = world;
        cache.size = size;
        cache.dpr = dpr;
        cache.layer = QPixmap(size * dpr);
        cache.layer.setDevicePixelRatio(dpr);
        cache.layer.fill(Qt::transparent);
        QPainter layer(&cache.layer);
        layer.setFont(painter->font());
        layer.setWorldTransform(world);
        const QRectF view = world.inverted().mapRect(QRectF(QPointF(0, 0), QSizeF(size)));
        std::vector<QRectF> names;  // the landmarks' names over the whole view keep their place
        if (reserveNames)
            reserveNames(layer, view, names);
        m_rings = 0;
        cache.labels = paintRings(&layer, controller, view, ppu, names);
        cache.rings = m_rings;
    }
    const QRectF target = world.mapRect(exposed).intersected(QRectF(QPointF(0, 0), QSizeF(size)));
    if (!target.isEmpty()) {
        painter->save();
        painter->resetTransform();
        painter->drawPixmap(target, cache.layer, QRectF(target.topLeft() * dpr, target.size() * dpr));
        painter->restore();
    }
    m_rings = cache.rings;
    std::vector<TopologyLabel> labels;
    for (const TopologyLabel& label : cache.labels) {
        if (!label.box.intersects(target)
            || std::any_of(taken.begin(), taken.end(), [&](const QRectF& other) { return other.intersects(label.box); }))
            continue;
        taken.push_back(label.box);
        labels.push_back(label);
    }
    return labels;
}

std::vector<TopologyLabel> CoverageLayer::paintRings(QPainter* painter, const TopologyController& controller, const QRectF& exposed,
                                                     double ppu, std::vector<QRectF>& taken)
{
    std::vector<TopologyLabel> labels;
    const std::vector<sim::NodeId>& ringed = controller.ringNodes();
    if (ringed.empty())
        return labels;
    const auto& nodes = controller.topology().nodes;
    // Level j = each node's j-th nearest ring (SF7 = 0). A level is filled once as the
    // union of every node's disc of that level (a winding-fill path), so a pixel is
    // blended once per level that reaches it — where several gateways overlap it shows
    // the best coverage, not their sum — and the levels nest like one gateway's rings.
    struct Rim {
        QPointF centre;
        double radius;
        const QString* label;
    };
    std::vector<QPainterPath> levels;
    std::vector<bool> levelCoversAll;  // the exposed area lies inside one disc of the level
    std::vector<Rim> rims;
    const QPointF middle = exposed.center();
    sim::NodeId labelled = sim::kNoNode;  // the ringed node nearest the middle of the view names its rings
    double labelledD2 = 0;
    std::vector<std::pair<double, const QString*>> sorted;
    for (sim::NodeId id : ringed) {
        const QPointF c = controller.scenePos(id);
        sorted.clear();
        for (const sim::RangeRing& ring : nodes[id].ranges) {
            const double r = ring.radiusM * TopologyController::kSceneUnitsPerMetre;
            if (r > 0 && std::isfinite(r))
                sorted.emplace_back(r, &ring.label);
        }
        std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        // Nearest point of the exposed rectangle to the centre, and its farthest corner.
        const double nx = std::clamp(c.x(), exposed.left(), exposed.right()) - c.x();
        const double ny = std::clamp(c.y(), exposed.top(), exposed.bottom()) - c.y();
        const double near2 = nx * nx + ny * ny;
        const double fx = std::max(std::abs(exposed.left() - c.x()), std::abs(exposed.right() - c.x()));
        const double fy = std::max(std::abs(exposed.top() - c.y()), std::abs(exposed.bottom() - c.y()));
        const double far2 = fx * fx + fy * fy;
        bool reaches = false;
        for (std::size_t k = 0; k < sorted.size(); ++k) {
            const double r = sorted[k].first;
            if (near2 > r * r)
                continue;  // the disc does not reach the exposed area
            reaches = true;
            ++m_rings;
            if (levels.size() <= k) {
                levels.resize(k + 1);
                levelCoversAll.resize(k + 1, false);
            }
            if (far2 < r * r) {
                levelCoversAll[k] = true;  // deep zoom inside the disc: its rim is elsewhere
                continue;
            }
            levels[k].addEllipse(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r));
            rims.push_back({c, r, sorted[k].second});
        }
        const double d2 = (c.x() - middle.x()) * (c.x() - middle.x()) + (c.y() - middle.y()) * (c.y() - middle.y());
        if (reaches && (labelled == sim::kNoNode || d2 < labelledD2)) {
            labelled = id;
            labelledD2 = d2;
        }
    }
    if (levels.empty())
        return labels;
    painter->save();
    const QColor line = color();
    QColor fill = line;
    fill.setAlphaF(float(kRingAlpha));
    // Aliased fills (a plain span fill, several times cheaper); the antialiased rims cover their edges.
    painter->setRenderHint(QPainter::Antialiasing, false);
    for (std::size_t k = 0; k < levels.size(); ++k) {
        if (levelCoversAll[k]) {
            painter->fillRect(exposed, fill);
        } else if (!levels[k].isEmpty()) {
            levels[k].setFillRule(Qt::WindingFill);
            painter->fillPath(levels[k], fill);
        }
    }
    painter->setRenderHint(QPainter::Antialiasing, true);
    QPen rim(QColor(line.red(), line.green(), line.blue(), ringed.size() > 1 ? 90 : 120));
    // Many ringed nodes (a national network): only the labelled node's rims; the filled
    // levels show the coverage, a web of hundreds of circles would hide it.
    const bool everyRim = ringed.size() <= kMaxRimmedNodes;
    rim.setCosmetic(true);
    rim.setWidthF(1.0);
    painter->setPen(rim);
    painter->setBrush(Qt::NoBrush);
    const QTransform world = painter->worldTransform();
    const QFontMetricsF metrics(labelFont(painter->font()));
    const QPointF labelledCentre = controller.scenePos(labelled);
    for (const Rim& r : rims) {
        if (!everyRim && r.centre != labelledCentre)
            continue;
        painter->drawEllipse(QRectF(r.centre.x() - r.radius, r.centre.y() - r.radius, 2 * r.radius, 2 * r.radius));
        if (r.centre != labelledCentre || r.label->isEmpty() || r.radius * ppu < kMinRingLabelPx)
            continue;
        // Just inside the ring's top.
        const QPointF top = world.map(QPointF(r.centre.x(), r.centre.y() - r.radius));
        const double w = metrics.horizontalAdvance(*r.label) + 4;
        const QRectF box(top.x() - w / 2, top.y() + 1, w, metrics.height());
        if (std::any_of(taken.begin(), taken.end(), [&](const QRectF& other) { return other.intersects(box); }))
            continue;
        taken.push_back(box);
        labels.push_back({box, *r.label});
    }
    painter->restore();
    return labels;
}

} // namespace otalab::app
