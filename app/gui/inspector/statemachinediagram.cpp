// SPDX-License-Identifier: Apache-2.0
#include "inspector/statemachinediagram.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace otalab::app {

namespace {

constexpr double kStartGutter = 26;   // room left of Waiting for the start dot
constexpr double kMargin = 8;
constexpr double kBandGap = 22;       // between two bands: room for the wrapped edge and back arcs
constexpr double kRowPx = 58;         // preferred height of a row of boxes

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
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMinimumHeight(150);
    setMachine(campaignMachine());
}

const sim::MachineDescription& StateMachineDiagram::campaignMachine()
{
    static const sim::MachineDescription machine = [] {
        using S = sim::FleetPhase;
        sim::MachineDescription m;
        m.id = 0;
        m.name = tr("Campaign phase");
        m.note = tr("the phases every family shares");
        for (int i = 0; i < sim::kFleetPhaseCount; ++i) {
            m.states << labNodeStateName(static_cast<S>(i));
            m.phaseOfState.push_back(static_cast<S>(i));
        }
        auto e = [](S from, S to) { return sim::MachineTransition{int(from), int(to)}; };
        m.transitions = {{sim::MachineTransition::kMachineStart, int(S::Waiting)},
                         e(S::Waiting, S::Downloading), e(S::Downloading, S::Verifying), e(S::Verifying, S::WaitingToApply),
                         e(S::WaitingToApply, S::Applying), e(S::Applying, S::Upgraded), e(S::WaitingToApply, S::Upgraded),
                         e(S::Downloading, S::Waiting), e(S::Downloading, S::Failed), e(S::Waiting, S::Failed),
                         e(S::Waiting, S::Refused), e(S::Applying, S::RolledBack)};
        return m;
    }();
    return machine;
}

void StateMachineDiagram::setMachine(const sim::MachineDescription& machine)
{
    m_machine = machine;
    m_taken.clear();
    m_focus.reset();
    layout();
    updateGeometry();
    update();
}

bool StateMachineDiagram::isIsolated(int state) const
{
    return std::none_of(m_machine.transitions.begin(), m_machine.transitions.end(),
                        [state](const sim::MachineTransition& t) { return t.from == state || t.to == state; });
}

void StateMachineDiagram::layout()
{
    const int n = int(m_machine.states.size());
    m_column.assign(n, -1);
    m_row.assign(n, 0);
    std::vector<int> queue;
    for (const auto& t : m_machine.transitions)
        if (t.from == sim::MachineTransition::kMachineStart && t.to >= 0 && t.to < n && m_column[t.to] < 0) {
            m_column[t.to] = 0;
            queue.push_back(t.to);
        }
    if (queue.empty() && n > 0) {
        m_column[0] = 0;
        queue.push_back(0);
    }
    for (std::size_t q = 0; q < queue.size(); ++q)
        for (const auto& t : m_machine.transitions)
            if (t.from == queue[q] && t.to >= 0 && t.to < n && m_column[t.to] < 0) {
                m_column[t.to] = m_column[queue[q]] + 1;
                queue.push_back(t.to);
            }
    m_columns = 1;
    for (int s = 0; s < n; ++s) {
        if (m_column[s] < 0)
            m_column[s] = 0;  // unreachable state: first column, below the others
        m_columns = std::max(m_columns, m_column[s] + 1);
    }
    std::vector<int> used(m_columns, 0);
    // Reached states first (queue order), then the unreachable ones.
    std::vector<bool> placed(n, false);
    for (int s : queue) {
        m_row[s] = used[m_column[s]]++;
        placed[s] = true;
    }
    for (int s = 0; s < n; ++s)
        if (!placed[s] && !isIsolated(s))
            m_row[s] = used[m_column[s]]++;
    m_rows = std::max(1, *std::max_element(used.begin(), used.end()));
}

QSize StateMachineDiagram::sizeHint() const
{
    const int w = std::max(360, 26 + m_columns * 130);
    return {w, heightForWidth(w)};
}

int StateMachineDiagram::bandsAt(int width) const
{
    const double colW = (width - kStartGutter - kMargin) / double(std::max(1, m_columns));
    return m_columns >= 4 && colW < kMinColumnPx ? 2 : 1;
}

int StateMachineDiagram::heightForWidth(int width) const
{
    const int bands = bandsAt(width);
    return std::max(150, int(40 + m_rows * kRowPx * bands + (bands - 1) * kBandGap));
}

int StateMachineDiagram::columnsPerBand() const
{
    return bandsAt(width()) == 2 ? (m_columns + 1) / 2 : m_columns;
}

double StateMachineDiagram::bandGapY() const
{
    const double top = kMargin + 18;
    const double bandH = (height() - top - kMargin - kBandGap) / 2.0;
    return top + bandH + kBandGap / 2;
}

int StateMachineDiagram::bandOf(int state) const
{
    if (state < 0 || state >= int(m_column.size()))
        return 0;
    return m_column[state] >= columnsPerBand() ? 1 : 0;
}

void StateMachineDiagram::setState(int current, bool hasClient)
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

void StateMachineDiagram::setFocusState(std::optional<int> state)
{
    if (state == m_focus)
        return;
    m_focus = state;
    update();
}

bool StateMachineDiagram::isTaken(int from, int to) const
{
    return std::find(m_taken.begin(), m_taken.end(), Edge{from, to}) != m_taken.end();
}

QRectF StateMachineDiagram::boxOf(int state) const
{
    const int bands = bandsAt(width());
    const int perBand = columnsPerBand();
    const double w = width() - kStartGutter - kMargin;
    const double colW = w / double(std::max(1, perBand));
    const double boxW = std::min(150.0, colW * 0.78);
    const double top = kMargin + 18;  // room above for back arcs
    const double bandH = (height() - top - kMargin - (bands - 1) * kBandGap) / double(bands);
    const double rowH = bandH / double(m_rows);
    const double boxH = std::min(42.0, rowH * 0.72);
    if (state < 0 || state >= int(m_column.size())) {
        const QRectF first = boxOf(0);
        return QRectF(4, first.center().y() - 5, 10, 10);  // the start dot
    }
    const int band = bandOf(state);
    const int column = m_column[state] - band * perBand;
    return QRectF(kStartGutter + column * colW + (colW - boxW) / 2,
                  top + band * (bandH + kBandGap) + m_row[state] * rowH + (rowH - boxH) / 2, boxW, boxH);
}

void StateMachineDiagram::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (!m_hasClient || m_machine.states.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("This node takes no part in the campaign: it has no upgrade state machine."));
        return;
    }
    const int n = int(m_machine.states.size());
    auto drawEdge = [&](int from, int to, bool known) {
        const bool taken = isTaken(from, to);
        QPen pen(taken ? takenEdge() : idleEdge(), taken ? 2.4 : 1.2);
        if (!known)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        const QRectF a = boxOf(from), b = boxOf(to);
        const bool start = from < 0;
        const bool back = !start && from >= 0 && to >= 0 && from < n && to < n
                          && (m_column[to] < m_column[from] || (m_column[to] == m_column[from] && m_row[to] <= m_row[from]))
                          // one column back to another row: a straight line crosses no box
                          && !(m_column[to] == m_column[from] - 1 && m_row[to] != m_row[from] && bandOf(from) == bandOf(to));
        if (back) {
            // Back (or same-column) edge: an arc over the boxes (in the second band, no higher than its gap).
            const QPointF s(a.center().x(), a.top());
            const QPointF e(b.center().x() + b.width() * 0.15, b.top());
            const double ceiling = bandOf(from) == 1 && bandOf(to) == 1 ? bandGapY() + 3 : 2;
            const double lift = std::max(10.0, std::min(a.top(), b.top()) - ceiling);
            QPainterPath path(s);
            path.cubicTo(s - QPointF(0, lift), e - QPointF(0, lift), e);
            p.drawPath(path);
            arrowHead(p, e, e - QPointF(0, lift * 0.5), 7);
            return;
        }
        if (!start && bandOf(from) != bandOf(to)) {
            // Into the next band: down from the box, along the gap between the bands, down into the box.
            const double gapY = bandGapY();
            const QPointF s(a.center().x(), a.bottom());
            const QPointF e(b.center().x(), b.top());
            QPainterPath path(s);
            path.lineTo(s.x(), gapY);
            path.lineTo(e.x(), gapY);
            path.lineTo(e);
            p.drawPath(path);
            arrowHead(p, e, QPointF(e.x(), gapY), 7);
            return;
        }
        const QPointF p1 = start ? a.center() : exitPoint(a, b.center());
        const QPointF p2 = exitPoint(b, a.center());
        p.drawLine(p1, p2);
        arrowHead(p, p2, p1, 7);
    };
    for (const auto& t : m_machine.transitions)
        if (t.to >= 0 && t.to < n)
            drawEdge(t.from, t.to, true);
    for (const Edge& e : m_taken) {
        const bool known = std::any_of(m_machine.transitions.begin(), m_machine.transitions.end(),
                                       [&](const auto& t) { return t.from == e.first && t.to == e.second; });
        if (!known && e.first != e.second && e.second >= 0 && e.second < n)
            drawEdge(e.first, e.second, false);
    }
    // Start dot.
    const QRectF dot = boxOf(-1);
    p.setPen(Qt::NoPen);
    p.setBrush(std::any_of(m_taken.begin(), m_taken.end(), [](const Edge& e) { return e.first < 0; }) ? takenEdge() : idleEdge());
    p.drawEllipse(dot);

    for (int s = 0; s < n; ++s) {
        if (isIsolated(s))
            continue;
        const QRectF box = boxOf(s);
        const QColor colour = labNodeStateColor(s < int(m_machine.phaseOfState.size()) ? m_machine.phaseOfState[s]
                                                                                         : LabNodeState::Idle);
        const bool current = s == m_current;
        QColor fill = colour;
        if (!current)
            fill.setAlpha(45);
        p.setBrush(fill);
        p.setPen(QPen(current ? colour.darker(160) : colour.darker(115), current ? 3 : 1));
        p.drawRoundedRect(box, 6, 6);
        if (m_focus && *m_focus == s) {
            p.setPen(QPen(QColor(0x1f, 0x4e, 0xd8), 1.6, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(box.adjusted(-4, -4, 4, 4), 8, 8);
        }
        QFont f = font();
        f.setBold(current);
        // Shrink the name until it fits the box (word-wrapped), down to 7 pt.
        const QRectF textBox = box.adjusted(3, 1, -3, -1);
        for (double size = f.pointSizeF(); size > 7.0; size -= 0.5) {
            const QRectF need = QFontMetricsF(f).boundingRect(textBox, Qt::AlignCenter | Qt::TextWordWrap, m_machine.states[s]);
            if (need.width() <= textBox.width() + 0.5 && need.height() <= textBox.height() + 2)
                break;
            f.setPointSizeF(size - 0.5);
        }
        p.setFont(f);
        const bool darkFill = current && colour.lightnessF() < 0.55;
        p.setPen(darkFill ? QColor(Qt::white) : palette().color(QPalette::Text));
        p.drawText(textBox, Qt::AlignCenter | Qt::TextWordWrap, m_machine.states[s]);
    }
    p.setFont(font());
}

} // namespace otalab::app
