// SPDX-License-Identifier: Apache-2.0
#include "topology/topologylegend.h"

#include "topology/topologycontroller.h"
#include "topology/coveragelayer.h"

#include <QLocale>
#include <QPainter>

namespace otalab::app {

namespace {
constexpr int kSwatch = 11, kGap = 14, kPad = 4;
// Shapes in the legend's order.
constexpr TopologyNodeKind kShapeOrder[] = {TopologyNodeKind::Coordinator, TopologyNodeKind::Gateway,
                                            TopologyNodeKind::Router, TopologyNodeKind::EndDevice};
}

TopologyLegend::TopologyLegend(const TopologyController& controller, QWidget* parent)
    : QWidget(parent), m_controller(controller)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    connect(&controller, &TopologyController::statesChanged, this, [this] { update(); });
    connect(&controller, &TopologyController::topologyReset, this, [this] {
        updateGeometry();
        update();
    });
}

QStringList TopologyLegend::shapeEntries() const
{
    QStringList out;
    for (TopologyNodeKind kind : kShapeOrder)
        if (const QStringList roles = m_controller.rolesOf(kind); !roles.isEmpty())
            out << roles.join(QStringLiteral(" / "));
    if (!m_controller.coverageLegend().isEmpty())
        out << m_controller.coverageLegend();
    return out;
}

QStringList TopologyLegend::entries() const
{
    QStringList out;
    const QLocale locale;
    for (int s = 0; s < kLabNodeStateCount; ++s)
        out << QStringLiteral("%1 %2").arg(labNodeStateName(LabNodeState(s)), locale.toString(m_controller.countIn(LabNodeState(s))));
    return out;
}

QSize TopologyLegend::sizeHint() const { return {600, heightForWidth(600)}; }
QSize TopologyLegend::minimumSizeHint() const { return {120, heightForWidth(120)}; }

int TopologyLegend::heightForWidth(int width) const { return layoutEntries(width, nullptr); }

int TopologyLegend::layoutEntries(int width, QPainter* painter) const
{
    const QFontMetrics fm(font());
    const int lineH = std::max(fm.height(), kSwatch) + 2;
    const QStringList texts = entries();
    // The shapes present (by the roles drawn with them), then the coverage rings.
    QStringList shapes;
    std::vector<TopologyNodeKind> shapeKinds;
    for (TopologyNodeKind kind : kShapeOrder)
        if (const QStringList roles = m_controller.rolesOf(kind); !roles.isEmpty()) {
            shapes << roles.join(QStringLiteral(" / "));
            shapeKinds.push_back(kind);
        }
    if (shapes.isEmpty()) {  // nothing loaded: the Zigbee key
        shapes = {tr("coordinator"), tr("router"), tr("end device")};
        shapeKinds = {TopologyNodeKind::Coordinator, TopologyNodeKind::Router, TopologyNodeKind::EndDevice};
    }
    const bool coverage = !m_controller.coverageLegend().isEmpty();
    if (coverage)
        shapes << m_controller.coverageLegend();
    const int shapeEntries = int(shapes.size());
    int x = kPad, y = kPad;
    auto place = [&](int w) -> QRect {
        if (x > kPad && x + w > width - kPad) {
            x = kPad;
            y += lineH;
        }
        const QRect r(x, y, w, lineH);
        x += w + kGap;
        return r;
    };
    for (int i = 0; i < texts.size() + shapeEntries; ++i) {
        const bool isShape = i >= texts.size();
        const QString text = isShape ? shapes[i - texts.size()] : texts[i];
        const QRect r = place(kSwatch + 4 + fm.horizontalAdvance(text));
        if (!painter)
            continue;
        const QRectF swatch(r.left() + 0.5, r.center().y() - kSwatch / 2.0 + 0.5, kSwatch - 1, kSwatch - 1);
        painter->setPen(QColor(90, 90, 100));
        if (isShape) {
            painter->setBrush(QColor(200, 200, 205));
            const std::size_t k = std::size_t(i - int(texts.size()));
            if (k >= shapeKinds.size()) {  // coverage: a translucent ring
                QColor ring = CoverageLayer::color();
                ring.setAlpha(200);
                painter->setPen(ring);
                ring.setAlpha(45);
                painter->setBrush(ring);
                painter->drawEllipse(swatch);
            } else if (shapeKinds[k] == TopologyNodeKind::Coordinator) {
                painter->drawRect(swatch);
            } else if (shapeKinds[k] == TopologyNodeKind::Router) {
                const QPointF c = swatch.center();
                const QPointF pts[4] = {{c.x(), swatch.top()}, {swatch.right(), c.y()}, {c.x(), swatch.bottom()}, {swatch.left(), c.y()}};
                painter->drawConvexPolygon(pts, 4);
            } else if (shapeKinds[k] == TopologyNodeKind::Gateway) {
                const QPointF pts[3] = {{swatch.center().x(), swatch.top()}, swatch.bottomRight(), swatch.bottomLeft()};
                painter->drawConvexPolygon(pts, 3);
            } else {
                painter->drawEllipse(swatch.adjusted(1.5, 1.5, -1.5, -1.5));
            }
        } else {
            painter->setBrush(labNodeStateColor(LabNodeState(i)));
            painter->drawRect(swatch);
        }
        painter->setPen(palette().color(QPalette::WindowText));
        painter->drawText(QRect(r.left() + kSwatch + 4, r.top(), r.width() - kSwatch - 4, r.height()),
                          Qt::AlignVCenter | Qt::AlignLeft, text);
    }
    return y + lineH + kPad;
}

void TopologyLegend::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, true);
    layoutEntries(width(), &painter);
}

} // namespace otalab::app
