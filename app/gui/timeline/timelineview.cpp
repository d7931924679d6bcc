// SPDX-License-Identifier: Apache-2.0
#include "timeline/timelineview.h"

#include "timeline/timeaxis.h"
#include "timeline/timelinecontroller.h"

#include "sim/report/fleetsummary.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace otalab::app {
namespace {

constexpr double kMinSecondsPerPixel = 1e-4;   // 0.1 ms per pixel
constexpr double kMaxContentPixels = 1e9;      // keeps scroll bar values in int range
constexpr int kTickSpacingPx = 90;

QColor focusLineColor() { return QColor(0xd8, 0x1b, 0x60); }

// Index of the transition in effect at `t` (the last one with time ≤ t), or -1.
std::ptrdiff_t inEffectAt(std::span<const LabTransition> tr, double t)
{
    const auto it = std::upper_bound(tr.begin(), tr.end(), t,
                                     [](double v, const LabTransition& x) { return v < x.timeS; });
    return (it - tr.begin()) - 1;
}

} // namespace

TimelineView::TimelineView(TimelineController& controller, QWidget* parent)
    : QAbstractScrollArea(parent), m_controller(controller)
{
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setMouseTracking(false);
    QFont small = font();
    small.setPixelSize(10);
    viewport()->setFont(small);
    m_labelWidth = std::clamp(QFontMetrics(small).horizontalAdvance(QStringLiteral("0xFFFF end device")) + 34, 100, 220);
    connect(&m_controller, &TimelineController::rowsChanged, this, &TimelineView::onDataChanged);
    connect(&m_controller, &TimelineController::dataChanged, this, &TimelineView::onDataChanged);
    updateScrollBars();
}

void TimelineView::onDataChanged()
{
    updateScrollBars();
    viewport()->update();
}

QRect TimelineView::bandArea() const
{
    const QRect r = viewport()->rect();
    return QRect(m_labelWidth, kAxisHeight, std::max(1, r.width() - m_labelWidth), std::max(1, r.height() - kAxisHeight));
}

double TimelineView::extentS() const
{
    return std::max(m_controller.nowS(), 1.0);
}

double TimelineView::fitSpp() const
{
    return std::max(extentS() / double(bandArea().width()), kMinSecondsPerPixel);
}

double TimelineView::viewStartS() const
{
    return horizontalScrollBar()->value() * m_spp;
}

double TimelineView::xOfTime(double timeS) const
{
    return m_labelWidth + (timeS - viewStartS()) / m_spp;
}

double TimelineView::timeAtX(double x) const
{
    return viewStartS() + (x - m_labelWidth) * m_spp;
}

int TimelineView::yOfRow(int row) const
{
    return kAxisHeight + row * kRowHeight - verticalScrollBar()->value();
}

void TimelineView::updateScrollBars()
{
    const QRect a = bandArea();
    if (m_fit)
        m_spp = fitSpp();
    const double totalPx = std::ceil(extentS() / m_spp);
    QScrollBar* h = horizontalScrollBar();
    h->setRange(0, std::max(0, int(totalPx) - a.width()));
    h->setPageStep(a.width());
    h->setSingleStep(std::max(1, a.width() / 20));
    QScrollBar* v = verticalScrollBar();
    v->setRange(0, std::max(0, m_controller.rowCount() * kRowHeight - a.height()));
    v->setPageStep(a.height());
    v->setSingleStep(kRowHeight);
}

void TimelineView::fitAll()
{
    m_fit = true;
    updateScrollBars();
    horizontalScrollBar()->setValue(0);
    viewport()->update();
}

void TimelineView::zoomBy(double factor, std::optional<int> anchorX)
{
    if (!(factor > 0))
        return;
    const QRect a = bandArea();
    const double ax = anchorX ? std::clamp(double(*anchorX), double(a.left()), double(a.right())) : a.center().x();
    const double anchorT = timeAtX(ax);
    const double fit = fitSpp();
    const double minSpp = std::max(kMinSecondsPerPixel, extentS() / kMaxContentPixels);
    const double spp = std::clamp(m_spp / factor, minSpp, fit);
    m_fit = spp >= fit;
    m_spp = m_fit ? fit : spp;
    updateScrollBars();
    horizontalScrollBar()->setValue(int(std::lround((anchorT - (ax - m_labelWidth) * m_spp) / m_spp)));
    viewport()->update();
}

void TimelineView::scrollToRow(int row)
{
    if (row < 0 || row >= m_controller.rowCount())
        return;
    const QRect a = bandArea();
    const int top = row * kRowHeight;
    QScrollBar* v = verticalScrollBar();
    if (top < v->value())
        v->setValue(top);
    else if (top + kRowHeight > v->value() + a.height())
        v->setValue(top + kRowHeight - a.height() + a.height() / 3);  // some context below
}

void TimelineView::ensureTimeVisible(double timeS)
{
    const QRect a = bandArea();
    const double x = xOfTime(timeS);
    if (x >= a.left() && x <= a.right())
        return;
    horizontalScrollBar()->setValue(int(std::lround(timeS / m_spp - a.width() / 2.0)));
}

std::optional<TimelineView::Hit> TimelineView::hitTest(QPoint pos) const
{
    if (pos.y() < kAxisHeight || pos.x() < 0)
        return std::nullopt;
    const int row = (pos.y() - kAxisHeight + verticalScrollBar()->value()) / kRowHeight;
    if (row < 0 || row >= m_controller.rowCount())
        return std::nullopt;
    Hit hit;
    hit.row = row;
    hit.node = m_controller.nodeAt(row);
    const double now = m_controller.nowS();
    if (pos.x() < m_labelWidth) {
        hit.state = m_controller.stateAt(row, now);
        return hit;
    }
    const double t = std::clamp(timeAtX(pos.x() + 0.5), 0.0, now);
    hit.timeS = t;
    const auto tr = m_controller.transitionsAt(row);
    const std::ptrdiff_t i = inEffectAt(tr, t);
    if (i >= 0) {
        hit.state = tr[std::size_t(i)].state;
        hit.bandStartS = tr[std::size_t(i)].timeS;
        hit.bandEndS = std::size_t(i) + 1 < tr.size() ? std::min(tr[std::size_t(i) + 1].timeS, now) : now;
    } else {
        hit.bandEndS = tr.empty() ? now : std::min(tr.front().timeS, now);
    }
    return hit;
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void TimelineView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    const int delta = event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(std::pow(1.0015, delta), int(event->position().x()));
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier) {
        QScrollBar* h = horizontalScrollBar();
        h->setValue(h->value() - delta * h->singleStep() / 40);
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    if (const auto hit = hitTest(event->position().toPoint()))
        m_controller.activate(hit->row, hit->timeS);
    event->accept();
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    const int current = m_controller.currentRow();
    int target = -1;
    switch (event->key()) {
    case Qt::Key_Up: target = current > 0 ? current - 1 : 0; break;
    case Qt::Key_Down: target = current + 1; break;
    case Qt::Key_Home: target = 0; break;
    case Qt::Key_End: target = m_controller.rowCount() - 1; break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    target = std::clamp(target, 0, std::max(0, m_controller.rowCount() - 1));
    m_controller.activate(target, std::nullopt);
    scrollToRow(target);
    event->accept();
}

bool TimelineView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const auto hit = hitTest(help->pos());
        if (!hit) {
            QToolTip::hideText();
            return true;
        }
        QString text = m_controller.rowLabel(hit->row) + QStringLiteral(" (node %1)").arg(hit->node);
        if (hit->timeS) {
            text += QStringLiteral("\n%1 from %2 to %3 (%4)")
                        .arg(labNodeStateName(hit->state), sim::formatDuration(hit->bandStartS),
                             sim::formatDuration(hit->bandEndS), sim::formatDuration(hit->bandEndS - hit->bandStartS));
            text += QStringLiteral("\nat %1").arg(sim::formatDuration(*hit->timeS));
        } else {
            text += QStringLiteral("\nnow: %1").arg(labNodeStateName(hit->state));
        }
        QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter p(viewport());
    const QRect area = bandArea();
    const QPalette& pal = palette();
    p.fillRect(viewport()->rect(), pal.base());
    const double t0 = viewStartS();
    const double t1 = t0 + area.width() * m_spp;

    const int rows = m_controller.rowCount();
    const int first = std::max(0, verticalScrollBar()->value() / kRowHeight);
    for (int row = first; row < rows; ++row) {
        const int y = yOfRow(row);
        if (y >= viewport()->height())
            break;
        paintRow(p, row, y, t0, t1);
    }

    // Grid lines at the axis ticks, over the bands.
    const double step = timeAxisStep(m_spp, kTickSpacingPx);
    p.setPen(QColor(0, 0, 0, 28));
    for (double t = std::ceil(t0 / step) * step; t <= t1; t += step) {
        const int x = int(std::lround(xOfTime(t)));
        p.drawLine(x, area.top(), x, area.bottom());
    }
    const double now = m_controller.nowS();
    const double nowX = xOfTime(now);
    if (nowX >= area.left() && nowX <= area.right() + 1) {
        p.setPen(QPen(QColor(90, 90, 90), 1, Qt::DashLine));
        p.drawLine(QPointF(nowX, area.top()), QPointF(nowX, area.bottom()));
    }
    if (const auto focus = m_controller.focusTimeS()) {
        const double fx = xOfTime(*focus);
        if (fx >= area.left() && fx <= area.right() + 1) {
            p.setPen(QPen(focusLineColor(), 2));
            p.drawLine(QPointF(fx, area.top()), QPointF(fx, area.bottom()));
        }
    }
    paintAxis(p, t0, t1);
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(m_labelWidth - 1, 0, m_labelWidth - 1, viewport()->height());
    if (rows == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, tr("No devices to show"));
    }
}

void TimelineView::paintAxis(QPainter& p, double t0, double t1) const
{
    const QPalette& pal = palette();
    const QRect axis(0, 0, viewport()->width(), kAxisHeight);
    p.fillRect(axis, pal.window());
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(0, kAxisHeight - 1, axis.right(), kAxisHeight - 1);
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(QRect(6, 0, m_labelWidth - 10, kAxisHeight), Qt::AlignVCenter | Qt::AlignLeft,
               tr("%1 devices").arg(m_controller.rowCount()));

    const double step = timeAxisStep(m_spp, kTickSpacingPx);
    p.save();
    p.setClipRect(QRect(m_labelWidth, 0, axis.width() - m_labelWidth, kAxisHeight));
    int lastRight = m_labelWidth - 10;
    for (double t = std::ceil(t0 / step) * step; t <= t1; t += step) {
        const int x = int(std::lround(xOfTime(t)));
        p.setPen(pal.color(QPalette::Mid));
        p.drawLine(x, kAxisHeight - 6, x, kAxisHeight - 1);
        p.setPen(pal.color(QPalette::WindowText));
        const QString label = timeAxisLabel(std::max(0.0, t), step);
        // Centred on the tick, kept inside the axis at both ends, never over its neighbour.
        const int w = p.fontMetrics().horizontalAdvance(label) + 6;
        const int left = std::clamp(x - w / 2, m_labelWidth + 2, std::max(m_labelWidth + 2, axis.width() - w - 2));
        if (left < lastRight + 4)
            continue;
        p.drawText(QRect(left, 1, w, kAxisHeight - 7), Qt::AlignCenter, label);
        lastRight = left + w;
    }
    if (const auto focus = m_controller.focusTimeS()) {
        const double fx = xOfTime(*focus);
        if (fx >= m_labelWidth) {
            p.setPen(Qt::NoPen);
            p.setBrush(focusLineColor());
            const QPointF tri[3] = {{fx - 5, kAxisHeight - 7.0}, {fx + 5, kAxisHeight - 7.0}, {fx, kAxisHeight - 1.0}};
            p.drawPolygon(tri, 3);
        }
    }
    p.restore();
}

void TimelineView::paintRow(QPainter& p, int row, int y, double t0, double t1) const
{
    const QPalette& pal = palette();
    const QRect line(0, y, viewport()->width(), kRowHeight);
    const bool current = row == m_controller.currentRow();
    if (current) {
        // Behind the bands: the highlight shows as a frame around them, colours stay true.
        QColor hl = pal.color(QPalette::Highlight);
        p.fillRect(QRect(0, y, m_labelWidth, kRowHeight), hl);
        hl.setAlpha(110);
        p.fillRect(QRect(m_labelWidth, y, line.width() - m_labelWidth, kRowHeight), hl);
    } else if (row % 2) {
        p.fillRect(line, pal.alternateBase());
    }

    p.save();
    p.setClipRect(bandArea().intersected(line));
    paintBands(p, row, y, t0, std::min(t1, m_controller.nowS()));
    p.restore();

    // Label: swatch of the state now, then address and role.
    const LabNodeState nowState = m_controller.stateAt(row, m_controller.nowS());
    const QRect swatch(4, y + 3, 8, kRowHeight - 6);
    if (nowState != LabNodeState::Idle)
        p.fillRect(swatch, labNodeStateColor(nowState));
    else {
        p.setPen(pal.color(QPalette::Mid));
        p.drawRect(swatch.adjusted(0, 0, -1, -1));
    }
    p.setPen(current ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text));
    const QRect text(16, y, m_labelWidth - 20, kRowHeight);
    p.drawText(text, Qt::AlignVCenter | Qt::AlignLeft,
               p.fontMetrics().elidedText(m_controller.rowLabel(row), Qt::ElideRight, text.width()));
}

// Fills the row's bands over [t0, tEnd]. Bands narrower than a pixel are not drawn one
// by one: each such pixel jumps (binary search) to the transition in effect at its right
// edge and takes that state, so the work is bounded by the pixel width, not the number
// of transitions.
void TimelineView::paintBands(QPainter& p, int row, int y, double t0, double tEnd) const
{
    const auto tr = m_controller.transitionsAt(row);
    if (tr.empty() || tEnd <= t0)
        return;
    const int top = y + 2, height = kRowHeight - 4;
    const auto fill = [&](double xs, double xe, LabNodeState state) {
        if (state == LabNodeState::Idle)
            return;
        const int a = int(std::floor(xs)), b = std::max(a + 1, int(std::lround(xe)));
        p.fillRect(QRect(a, top, b - a, height), labNodeStateColor(state));
    };
    std::size_t i = std::size_t(std::max<std::ptrdiff_t>(0, inEffectAt(tr, t0)));
    double cursor = xOfTime(t0);
    const std::size_t n = tr.size();
    while (i < n) {
        const double s = tr[i].timeS;
        if (s >= tEnd)
            break;
        const double e = i + 1 < n ? std::min(tr[i + 1].timeS, tEnd) : tEnd;
        const double xs = std::max(xOfTime(s), cursor), xe = xOfTime(e);
        if (xe <= xs) {
            ++i;
            continue;
        }
        if (xe - xs >= 1.0 || i + 1 >= n) {
            fill(xs, xe, tr[i].state);
            cursor = xe;
            ++i;
            continue;
        }
        const double px = std::floor(xs);
        const double pixelEnd = std::min(timeAtX(px + 1), tEnd);
        const auto j = std::size_t(std::max<std::ptrdiff_t>(std::ptrdiff_t(i), inEffectAt(tr, pixelEnd)));
        fill(px, px + 1, tr[j].state);
        cursor = px + 1;
        i = j;
    }
}

} // namespace otalab::app
