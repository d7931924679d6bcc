// SPDX-License-Identifier: Apache-2.0
#include "topology/topologylegend.h"

#include "topology/topologycontroller.h"

#include <QLocale>
#include <QPainter>

namespace otalab::app {

namespace {
constexpr int kSwatch = 11, kGap = 14, kPad = 4, kShapeEntries = 3;
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
    const QStringList shapes = {tr("coordinator"), tr("router"), tr("end device")};
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
    for (int i = 0; i < texts.size() + kShapeEntries; ++i) {
        const bool isShape = i >= texts.size();
        const QString text = isShape ? shapes[i - texts.size()] : texts[i];
        const QRect r = place(kSwatch + 4 + fm.horizontalAdvance(text));
        if (!painter)
            continue;
        const QRectF swatch(r.left() + 0.5, r.center().y() - kSwatch / 2.0 + 0.5, kSwatch - 1, kSwatch - 1);
        painter->setPen(QColor(90, 90, 100));
        if (isShape) {
            painter->setBrush(QColor(200, 200, 205));
            const int k = i - int(texts.size());
            if (k == 0) {
                painter->drawRect(swatch);
            } else if (k == 1) {
                const QPointF c = swatch.center();
                const QPointF pts[4] = {{c.x(), swatch.top()}, {swatch.right(), c.y()}, {c.x(), swatch.bottom()}, {swatch.left(), c.y()}};
                painter->drawConvexPolygon(pts, 4);
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
