// SPDX-License-Identifier: Apache-2.0
#include "inspector/statemachinediagram.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace otalab::app {

namespace {

constexpr double kStartGutter = 26;   // room left of Waiting for the start dot
constexpr double kMargin = 8;

QColor idleEdge() { return QColor(170, 170, 178); }
QColor takenEdge() { return QColor(30, 30, 40); }

void arrowHead(QPainter& p, QPointF tip, QPointF from, double size)
{
    const QLineF line(from, tip);
    if (line.length() < 1e-6)
        return;
    const double a = std::atan2(line.dy(), line.dx());
    const QPointF left = tip - QPointF(std::cos(a - 0.45) * size, std::sin(a - 0.45) * size);
    const QPointF right = tip - QPointF(std::cos(a + 0.45) * size, std::sin(a + 0.45) * size);
    const QPointF pts[3] = {tip, left, right};
    p.setBrush(p.pen().color());
    p.drawPolygon(pts, 3);
}

// Point where the segment from the centre of `box` towards `towards` leaves the box.
QPointF exitPoint(const QRectF& box, QPointF towards)
{
    const QPointF c = box.center();
    const double dx = towards.x() - c.x(), dy = towards.y() - c.y();
    if (std::abs(dx) < 1e-9 && std::abs(dy) < 1e-9)
        return c;
    const double sx = std::abs(dx) > 1e-9 ? (box.width() / 2) / std::abs(dx) : 1e9;
    const double sy = std::abs(dy) > 1e-9 ? (box.height() / 2) / std::abs(dy) : 1e9;
    const double s = std::min(sx, sy);
    return c + QPointF(dx * s, dy * s);
}

} // namespace

StateMachineDiagram::StateMachineDiagram(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMinimumHeight(150);
}

const std::vector<StateMachineDiagram::Edge>& StateMachineDiagram::possibleEdges()
{
    using S = LabNodeState;
    static const std::vector<Edge> edges = {
        {S::NoClient, S::Waiting},
        {S::Waiting, S::Downloading},
        {S::Downloading, S::WaitingToUpgrade},
        {S::WaitingToUpgrade, S::Upgraded},
        {S::Downloading, S::Waiting},
        {S::Downloading, S::Failed},
        {S::Waiting, S::Failed},
        {S::Waiting, S::Refused},
    };
    return edges;
}

void StateMachineDiagram::setState(LabNodeState current, bool hasClient)
{
    if (current == m_current && hasClient == m_hasClient)
        return;
    m_current = current;
    m_hasClient = hasClient;
    update();
}

void StateMachineDiagram::setTakenEdges(std::vector<Edge> taken)
{
    if (taken == m_taken)
        return;
    m_taken = std::move(taken);
    update();
}

void StateMachineDiagram::setFocusState(std::optional<LabNodeState> state)
{
    if (state == m_focus)
        return;
    m_focus = state;
    update();
}

bool StateMachineDiagram::isTaken(LabNodeState from, LabNodeState to) const
{
    return std::find(m_taken.begin(), m_taken.end(), Edge{from, to}) != m_taken.end();
}

QRectF StateMachineDiagram::boxOf(LabNodeState state) const
{
    // Row 0: Waiting, Downloading, Waiting to upgrade, Upgraded; row 1: Refused, Failed.
    const double w = width() - kStartGutter - kMargin;
    const double colW = w / 4.0;
    const double boxW = colW * 0.72;
    const double boxH = std::min(40.0, (height() - 2 * kMargin) / 3.2);
    const double row0 = kMargin + boxH * 0.9;                  // room above for the back arc
    const double row1 = height() - kMargin - boxH;
    auto at = [&](int col, double top) {
        return QRectF(kStartGutter + col * colW + (colW - boxW) / 2, top, boxW, boxH);
    };
    switch (state) {
    case LabNodeState::Waiting: return at(0, row0);
    case LabNodeState::Downloading: return at(1, row0);
    case LabNodeState::WaitingToUpgrade: return at(2, row0);
    case LabNodeState::Upgraded: return at(3, row0);
    case LabNodeState::Refused: return at(0, row1);
    case LabNodeState::Failed: return at(1, row1);
    case LabNodeState::NoClient: break;
    }
    const QRectF waiting = at(0, row0);
    return QRectF(4, waiting.center().y() - 5, 10, 10);  // the start dot
}

void StateMachineDiagram::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (!m_hasClient) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("This node runs no OTA client: it has no upgrade state machine."));
        return;
    }
    using S = LabNodeState;

    // Edges.
    auto drawEdge = [&](S from, S to, bool known) {
        const bool taken = isTaken(from, to);
        QPen pen(taken ? takenEdge() : idleEdge(), taken ? 2.4 : 1.2);
        if (!known)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        const QRectF a = boxOf(from), b = boxOf(to);
        if (from == S::Downloading && to == S::Waiting) {
            // The back edge: an arc over the top of the two boxes.
            const QPointF start(a.center().x(), a.top());
            const QPointF end(b.center().x() + b.width() * 0.15, b.top());
            const double lift = std::max(10.0, a.top() - 4);
            QPainterPath path(start);
            path.cubicTo(start - QPointF(0, lift), end - QPointF(0, lift), end);
            p.drawPath(path);
            arrowHead(p, end, end - QPointF(0, lift * 0.5), 7);
            const QPointF mid = (start + end) / 2 - QPointF(0, lift * 0.75);
            QFont f = font();
            f.setPointSizeF(f.pointSizeF() * 0.82);
            p.setFont(f);
            p.setPen(taken ? takenEdge() : palette().color(QPalette::PlaceholderText));
            p.drawText(QRectF(mid.x() - 70, mid.y() - 13, 140, 13), Qt::AlignCenter, tr("attempt failed"));
            p.setFont(font());
            return;
        }
        const QPointF p1 = from == S::NoClient ? a.center() : exitPoint(a, b.center());
        const QPointF p2 = exitPoint(b, a.center());
        p.drawLine(p1, p2);
        arrowHead(p, p2, p1, 7);
    };
    for (const Edge& e : possibleEdges())
        drawEdge(e.first, e.second, true);
    for (const Edge& e : m_taken)
        if (std::find(possibleEdges().begin(), possibleEdges().end(), e) == possibleEdges().end() && e.first != e.second)
            drawEdge(e.first, e.second, false);

    // Start dot.
    const QRectF dot = boxOf(S::NoClient);
    p.setPen(Qt::NoPen);
    p.setBrush(isTaken(S::NoClient, S::Waiting) ? takenEdge() : idleEdge());
    p.drawEllipse(dot);

    // State boxes.
    for (S s : {S::Waiting, S::Downloading, S::WaitingToUpgrade, S::Upgraded, S::Refused, S::Failed}) {
        const QRectF box = boxOf(s);
        const QColor colour = labNodeStateColor(s);
        const bool current = s == m_current;
        QColor fill = colour;
        if (!current)
            fill.setAlpha(45);
        p.setBrush(fill);
        p.setPen(QPen(current ? colour.darker(160) : colour.darker(115), current ? 3 : 1));
        p.drawRoundedRect(box, 6, 6);
        if (m_focus && *m_focus == s) {
            QPen focus(QColor(0x1f, 0x4e, 0xd8), 1.6, Qt::DashLine);
            p.setPen(focus);
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(box.adjusted(-4, -4, 4, 4), 8, 8);
        }
        QFont f = font();
        f.setBold(current);
        p.setFont(f);
        const bool darkFill = current && colour.lightnessF() < 0.55;
        p.setPen(darkFill ? QColor(Qt::white) : palette().color(QPalette::Text));
        p.drawText(box.adjusted(3, 1, -3, -1), Qt::AlignCenter | Qt::TextWordWrap, labNodeStateName(s));
    }
    p.setFont(font());
}

} // namespace otalab::app
