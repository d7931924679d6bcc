// SPDX-License-Identifier: Apache-2.0
#include "topology/topologyitem.h"

#include "topology/topologycontroller.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <array>
#include <cmath>

namespace otalab::app {

namespace {

constexpr int kKinds = 3;
constexpr double kMinMarkerPx = 3, kMaxMarkerPx = 14;
constexpr double kKindScale[kKinds] = {2.0, 1.5, 1.0};  // coordinator, router, end device
constexpr int kMaxLabels = 600;

QColor selectionColor() { return QColor(0x1f, 0x4e, 0xd8); }

void drawDiamonds(QPainter* p, const std::vector<QRectF>& rects)
{
    for (const QRectF& r : rects) {
        const QPointF c = r.center();
        const QPointF pts[4] = {{c.x(), r.top()}, {r.right(), c.y()}, {c.x(), r.bottom()}, {r.left(), c.y()}};
        p->drawConvexPolygon(pts, 4);
    }
}

} // namespace

void TopologyItem::ensureSprites(const std::array<double, 3>& radiusPx, qreal dpr)
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
                if (k == 0)
                    p.drawRect(rect);
                else if (k == 1)
                    drawDiamonds(&p, {rect});
                else
                    p.drawEllipse(rect);
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
    const QRectF b = m_controller.sceneBounds();
    const double margin = std::max(m_controller.typicalSpacing() * 2, 50.0);
    m_bounds = b.isNull() && m_controller.nodeCount() == 0 ? QRectF() : b.adjusted(-margin, -margin, margin, margin);
}

QRectF TopologyItem::boundingRect() const { return m_bounds; }

double TopologyItem::markerRadius(double pixelsPerUnit, int kind) const
{
    const double ppu = std::max(pixelsPerUnit, 1e-9);
    const double wantedPx = std::clamp(0.4 * m_controller.typicalSpacing() * ppu, kMinMarkerPx, kMaxMarkerPx);
    return wantedPx * kKindScale[std::clamp(kind, 0, kKinds - 1)] / 2.0 / ppu;
}

void TopologyItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*)
{
    if (m_controller.nodeCount() == 0)
        return;
    const double ppu = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    std::array<double, kKinds> radius{};
    for (int k = 0; k < kKinds; ++k)
        radius[std::size_t(k)] = markerRadius(ppu, k);
    const double pad = radius[0] * 2.2;
    const QRectF exposed = option->exposedRect.adjusted(-pad, -pad, pad, pad);

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

    // Draw end devices, then routers, then the coordinator on top.
    if (sprites)
        painter->resetTransform();
    for (int k = kKinds - 1; k >= 0; --k) {
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
            painter->setPen(detailed ? outline : QPen(Qt::NoPen));
            painter->setBrush(fill);
            if (k == 0)
                painter->drawRects(rects.data(), int(rects.size()));
            else if (k == 1)
                drawDiamonds(painter, rects);
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
        std::vector<QRectF> drawn;  // labels drawn so far: a label that would overlap one is left out
        drawn.reserve(std::size_t(kMaxLabels));
        m_controller.grid().forEachIn(exposed, [&](std::uint32_t id) {
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

} // namespace otalab::app
