// SPDX-License-Identifier: Apache-2.0
#include "topology/topologyitem.h"

#include "topology/topologycontroller.h"
#include "topology/topologylabel.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <array>
#include <cmath>

namespace otalab::app {

namespace {

constexpr double kMinMarkerPx = 3, kMaxMarkerPx = 14;
constexpr double kKindScale[] = {2.0, 1.5, 1.0, 2.4};  // coordinator, router, end device, gateway
// Gateways and coordinators stay findable at Fit however dense the devices (px across).
constexpr double kMinLandmarkPx[] = {9, 0, 0, 14};
// Painted bottom to top: end devices, routers, gateways, coordinators/servers.
constexpr int kPaintOrder[] = {int(TopologyNodeKind::EndDevice), int(TopologyNodeKind::Router),
                               int(TopologyNodeKind::Gateway), int(TopologyNodeKind::Coordinator)};
constexpr int kMaxLabels = 600;

QColor selectionColor() { return QColor(0x1f, 0x4e, 0xd8); }

QFont landmarkFont(const QFont& base) { return topologyLabelFont(base, 8, true); }

void drawDiamonds(QPainter* p, const std::vector<QRectF>& rects)
{
    for (const QRectF& r : rects) {
        const QPointF c = r.center();
        const QPointF pts[4] = {{c.x(), r.top()}, {r.right(), c.y()}, {c.x(), r.bottom()}, {r.left(), c.y()}};
        p->drawConvexPolygon(pts, 4);
    }
}

// Upward triangles inscribed in `rects` (gateways: an antenna mast).
void drawTriangles(QPainter* p, const std::vector<QRectF>& rects)
{
    for (const QRectF& r : rects) {
        const QPointF pts[3] = {{r.center().x(), r.top()}, {r.right(), r.bottom() - r.height() * 0.1},
                                {r.left(), r.bottom() - r.height() * 0.1}};
        p->drawConvexPolygon(pts, 3);
    }
}

void drawShape(QPainter* p, int kind, const QRectF& rect)
{
    switch (TopologyNodeKind(kind)) {
    case TopologyNodeKind::Coordinator: p->drawRect(rect); break;
    case TopologyNodeKind::Router: drawDiamonds(p, {rect}); break;
    case TopologyNodeKind::Gateway: drawTriangles(p, {rect}); break;
    case TopologyNodeKind::EndDevice: p->drawEllipse(rect); break;
    }
}

} // namespace

void TopologyItem::ensureSprites(const std::array<double, kKinds>& radiusPx, qreal dpr)
{
    if (m_sprites.dpr == dpr && m_sprites.radiusPx == radiusPx)
        return;
    m_sprites.dpr = dpr;
    m_sprites.radiusPx = radiusPx;
    // Draws one marker / halo centred in a transparent pixmap, exactly as paint() did
    // with vector primitives (fill, 1 px darker outline; halo: 2.4 × radius, alpha 80).
    const auto render = [dpr](double r, const auto& draw) {
        const int side = int(std::ceil(2 * r + 4));
        QPixmap pm(QSize(side, side) * dpr);
        pm.setDevicePixelRatio(dpr);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing, true);
        const QPointF c(side / 2.0, side / 2.0);
        draw(p, QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r));
        return pm;
    };
    for (int k = 0; k < kKinds; ++k) {
        const double r = radiusPx[std::size_t(k)];
        for (int s = 0; s < kLabNodeStateCount; ++s) {
            const QColor fill = labNodeStateColor(LabNodeState(s));
            m_sprites.markers[std::size_t(k)][std::size_t(s)] = render(r, [&](QPainter& p, const QRectF& rect) {
                QPen outline(fill.darker(170));
                outline.setCosmetic(true);
                p.setPen(outline);
                p.setBrush(fill);
                drawShape(&p, k, rect);
            });
            QColor halo = fill;
            halo.setAlpha(80);
            m_sprites.halos[std::size_t(k)][std::size_t(s)] = render(r * 2.4, [&](QPainter& p, const QRectF& rect) {
                p.setPen(Qt::NoPen);
                p.setBrush(halo);
                p.drawEllipse(rect);
            });
        }
    }
}

TopologyItem::TopologyItem(const TopologyController& controller) : m_controller(controller)
{
    setFlag(ItemUsesExtendedStyleOption, true);  // exposedRect: paint only what is visible
    topologyChanged();
}

void TopologyItem::topologyChanged()
{
    prepareGeometryChange();
    m_coverage.reset();
    QRectF b = m_controller.sceneBounds();
    const double margin = std::max(m_controller.typicalSpacing() * 2, 50.0);
    if (!m_controller.coverageBounds().isNull())
        b = b.united(m_controller.coverageBounds());
    // Gateways and servers stay large while they are few enough to name; a hundred gateways are ordinary markers.
    m_named.fill(false);
    for (sim::NodeId id : m_controller.landmarkNodes())
        m_named[std::size_t(m_controller.kind(id))] = true;
    m_bounds = b.isNull() && m_controller.nodeCount() == 0 ? QRectF() : b.adjusted(-margin, -margin, margin, margin);
}

QRectF TopologyItem::boundingRect() const { return m_bounds; }

double TopologyItem::markerRadius(double pixelsPerUnit, int kind) const
{
    const double ppu = std::max(pixelsPerUnit, 1e-9);
    const double wantedPx = std::clamp(0.4 * m_controller.typicalSpacing() * ppu, kMinMarkerPx, kMaxMarkerPx);
    const int k = std::clamp(kind, 0, kKinds - 1);
    const double minPx = m_named[std::size_t(k)] ? kMinLandmarkPx[k] : 0.0;
    return std::max(wantedPx * kKindScale[k], minPx) / 2.0 / ppu;
}

void TopologyItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    if (m_controller.nodeCount() == 0)
        return;
    const double ppu = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    std::array<double, kKinds> radius{};
    for (int k = 0; k < kKinds; ++k)
        radius[std::size_t(k)] = markerRadius(ppu, k);
    const double pad = radius[std::size_t(TopologyNodeKind::Gateway)] * 2.2;
    const QRectF exposed = option->exposedRect.adjusted(-pad, -pad, pad, pad);
    m_stats = PaintStats{};
    std::vector<QRectF> drawn;  // labels drawn so far (device pixels): a label that would overlap one is left out

    // Gateway and coordinator names are placed first, ring labels next (short addresses
    // take what is left); coverage discs go under everything, labels over everything.
    const std::vector<TopologyLabel> landmarks = placeLandmarkLabels(painter, exposed, ppu, radius, drawn);
    const std::vector<TopologyLabel> ringLabels = m_coverage.paint(
        painter, m_controller, option->exposedRect, ppu, drawn,
        [&](const QPainter& layer, const QRectF& view, std::vector<QRectF>& names) { placeLandmarkLabels(&layer, view, ppu, radius, names); });
    m_stats.rings = m_coverage.ringsDrawn();

    // Links: thin cosmetic lines, only those touching the exposed area.
    {
        std::vector<QLineF> visible;
        visible.reserve(std::min<std::size_t>(m_controller.links().size(), 20000));
        for (const QLineF& l : m_controller.links()) {
            // Widened a little: intersects() is false for a zero-width (vertical) box.
            const QRectF box = QRectF(l.p1(), l.p2()).normalized().adjusted(-0.01, -0.01, 0.01, 0.01);
            if (exposed.intersects(box))
                visible.push_back(l);
        }
        QPen pen(QColor(120, 120, 130, ppu * m_controller.typicalSpacing() < 6 ? 70 : 140));
        pen.setCosmetic(true);
        pen.setWidth(0);  // hairline: the raster engine's fast path
        painter->setPen(pen);
        painter->drawLines(visible.data(), int(visible.size()));
    }

    // Nodes, bucketed by kind and state so each bucket is one brush.
    std::array<std::array<std::vector<QRectF>, kLabNodeStateCount>, kKinds> buckets;
    const auto& states = m_controller.states();
    const auto& kinds = m_controller.kinds();
    const auto& pos = m_controller.positions();
    std::size_t visibleCount = 0;
    m_controller.grid().forEachIn(exposed, [&](std::uint32_t id) {
        const int k = int(kinds[id]);
        const double r = radius[std::size_t(k)];
        buckets[std::size_t(k)][std::size_t(states[id])].emplace_back(pos[id].x() - r, pos[id].y() - r, 2 * r, 2 * r);
        ++visibleCount;
    });
    m_stats.nodes = visibleCount;
    const double endPx = radius[2] * 2 * ppu;
    const bool detailed = endPx >= 5;
    painter->setRenderHint(QPainter::Antialiasing, detailed && visibleCount < 4000);
    // Detailed markers and halos are pre-rendered (antialiased) sprites blitted at each
    // node centre: a blit costs a fraction of rasterising an antialiased ellipse and its
    // outline, so a full repaint of a large fleet stays a few milliseconds.
    const QTransform world = painter->worldTransform();
    const bool sprites = detailed && world.type() <= QTransform::TxScale;
    if (sprites) {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        std::array<double, kKinds> radiusPx{};
        for (int k = 0; k < kKinds; ++k)
            radiusPx[std::size_t(k)] = radius[std::size_t(k)] * ppu;
        ensureSprites(radiusPx, dpr);
    }
    const auto blit = [&](const QPixmap& sprite, QPointF sceneCentre) {
        const QPointF c = world.map(sceneCentre);
        const QSizeF half = QSizeF(sprite.size()) / sprite.devicePixelRatio() / 2.0;
        painter->drawPixmap(QPointF(std::round(c.x() - half.width()), std::round(c.y() - half.height())), sprite);
    };

    // Radio halos first, under the markers (squares when markers are tiny: cheaper).
    if (!m_controller.activeNodes().empty()) {
        painter->setPen(Qt::NoPen);
        if (sprites) {
            painter->resetTransform();
            for (sim::NodeId id : m_controller.activeNodes()) {
                const QPointF c = m_controller.scenePos(id);
                if (exposed.contains(c))
                    blit(m_sprites.halos[std::size_t(kinds[id])][std::size_t(states[id])], c);
            }
            painter->setWorldTransform(world);
        } else {
            std::array<std::vector<QRectF>, kLabNodeStateCount> halos;
            for (sim::NodeId id : m_controller.activeNodes()) {
                const QPointF c = m_controller.scenePos(id);
                if (!exposed.contains(c))
                    continue;
                const double r = radius[std::size_t(kinds[id])] * 2.4;
                halos[std::size_t(states[id])].emplace_back(c.x() - r, c.y() - r, 2 * r, 2 * r);
            }
            for (int s = 0; s < kLabNodeStateCount; ++s) {
                QColor halo = labNodeStateColor(LabNodeState(s));
                halo.setAlpha(80);
                painter->setBrush(halo);
                if (!detailed)
                    painter->drawRects(halos[std::size_t(s)].data(), int(halos[std::size_t(s)].size()));
                else
                    for (const QRectF& r : halos[std::size_t(s)])
                        painter->drawEllipse(r);
            }
        }
    }

    // Draw end devices, then routers, gateways and the coordinator on top.
    if (sprites)
        painter->resetTransform();
    for (const int k : kPaintOrder) {
        for (int s = 0; s < kLabNodeStateCount; ++s) {
            const std::vector<QRectF>& rects = buckets[std::size_t(k)][std::size_t(s)];
            if (rects.empty())
                continue;
            if (sprites) {
                const QPixmap& sprite = m_sprites.markers[std::size_t(k)][std::size_t(s)];
                for (const QRectF& r : rects)
                    blit(sprite, r.center());
                continue;
            }
            const QColor fill = labNodeStateColor(LabNodeState(s));
            if (!detailed && k == 2) {
                painter->setPen(Qt::NoPen);
                painter->setBrush(fill);
                painter->drawRects(rects.data(), int(rects.size()));
                continue;
            }
            QPen outline(fill.darker(170));
            outline.setCosmetic(true);
            // Gateways and coordinators keep an outline at every zoom: a few, and they must stand out.
            const bool landmark = k == int(TopologyNodeKind::Gateway) || k == int(TopologyNodeKind::Coordinator);
            if (landmark && !detailed)
                outline.setWidthF(1.5);
            painter->setPen(detailed || landmark ? outline : QPen(Qt::NoPen));
            painter->setBrush(fill);
            if (k == int(TopologyNodeKind::Coordinator))
                painter->drawRects(rects.data(), int(rects.size()));
            else if (k == int(TopologyNodeKind::Router))
                drawDiamonds(painter, rects);
            else if (k == int(TopologyNodeKind::Gateway))
                drawTriangles(painter, rects);
            else
                for (const QRectF& r : rects)
                    painter->drawEllipse(r);
        }
    }
    if (sprites)
        painter->setWorldTransform(world);

    // Selection rings.
    if (!m_controller.selectedNodes().empty()) {
        QPen ring(selectionColor());
        ring.setCosmetic(true);
        ring.setWidthF(2.0);
        painter->setPen(ring);
        painter->setBrush(Qt::NoBrush);
        for (sim::NodeId id : m_controller.selectedNodes()) {
            const QPointF c = m_controller.scenePos(id);
            if (!exposed.contains(c))
                continue;
            const double r = radius[std::size_t(kinds[id])] + 3.0 / std::max(ppu, 1e-9);
            painter->drawEllipse(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r));
        }
    }

    // Ring labels and the names of gateways and coordinators (at every zoom).
    drawTopologyLabels(painter, ringLabels, CoverageLayer::labelFont(painter->font()), CoverageLayer::color().darker(160),
                       QColor(255, 255, 255, 150));
    drawTopologyLabels(painter, landmarks, landmarkFont(painter->font()), QColor(30, 30, 40), QColor(255, 255, 255, 190));
    m_stats.ringLabels = int(ringLabels.size());
    m_stats.landmarkLabels = int(landmarks.size());

    // Short-address labels once markers are big enough to read them.
    if (endPx >= kMaxMarkerPx - 0.5 && visibleCount <= std::size_t(kMaxLabels)) {
        painter->save();
        const QTransform world = painter->worldTransform();
        painter->resetTransform();
        QFont font = painter->font();
        font.setPointSizeF(7.5);
        painter->setFont(font);
        painter->setPen(QColor(50, 50, 60));
        const auto& nodes = m_controller.topology().nodes;
        const QFontMetricsF metrics(font);
        const bool landmarksNamed = !m_controller.landmarkNodes().empty();
        drawn.reserve(drawn.size() + std::size_t(kMaxLabels));
        m_controller.grid().forEachIn(exposed, [&](std::uint32_t id) {
            if (landmarksNamed && (kinds[id] == TopologyNodeKind::Gateway || kinds[id] == TopologyNodeKind::Coordinator))
                return;  // named already
            const QPointF c = world.map(pos[id]);
            const double r = radius[std::size_t(kinds[id])] * ppu;
            const QString text = nodes[id].name.startsWith(QLatin1String("0x")) ? nodes[id].name.mid(2) : nodes[id].name;
            const double w = metrics.horizontalAdvance(text) + 2;
            const QRectF box(c.x() - w / 2, c.y() + r + 1, w, 12);
            for (const QRectF& other : drawn)
                if (other.intersects(box))
                    return;
            drawn.push_back(box);
            painter->drawText(box, Qt::AlignHCenter | Qt::AlignTop, text);
        });
        painter->restore();
    }
}

std::vector<TopologyLabel> TopologyItem::placeLandmarkLabels(const QPainter* painter, const QRectF& exposed,
                                                                         double ppu, const std::array<double, kKinds>& radius,
                                                                         std::vector<QRectF>& taken) const
{
    std::vector<TopologyLabel> out;
    const std::vector<sim::NodeId>& landmarks = m_controller.landmarkNodes();
    if (landmarks.empty())
        return out;
    const auto& nodes = m_controller.topology().nodes;
    const QTransform world = painter->worldTransform();
    const QFontMetricsF metrics(landmarkFont(painter->font()));
    for (sim::NodeId id : landmarks) {
        const QPointF scene = m_controller.scenePos(id);
        if (!exposed.contains(scene))
            continue;
        const QPointF c = world.map(scene);
        const double r = radius[std::size_t(m_controller.kind(id))] * ppu;
        const double w = metrics.horizontalAdvance(nodes[id].name) + 6;
        const QRectF box(c.x() + r + 2, c.y() - metrics.height() / 2, w, metrics.height());
        if (std::any_of(taken.begin(), taken.end(), [&](const QRectF& other) { return other.intersects(box); }))
            continue;
        taken.push_back(box);
        out.push_back({box, nodes[id].name});
    }
    return out;
}

} // namespace otalab::app
