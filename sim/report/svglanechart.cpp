// SPDX-License-Identifier: Apache-2.0
#include "sim/report/svglanechart.h"
#include "sim/report/svgstyle.h"

#include "sim/report/axisscale.h"
#include "sim/report/svgchart.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>

namespace otalab::sim {

namespace {

// Layout in SVG user units.
constexpr double kRight = 28;
constexpr double kTop = 96;
constexpr double kBottom = 60;
constexpr double kRowHeight = 20;     // one row of bars
constexpr double kBarHeight = 14;
constexpr double kLanePad = 5;        // above and below the rows of a lane
constexpr double kCharWidth = 6.4;    // mean advance of the 11-unit label font
constexpr int kMinHeight = 260;
using namespace svgstyle;

double textWidth(const QString& text, double fontSize)
{
    return double(text.size()) * kCharWidth * fontSize / 11.0;
}

} // namespace

// Where a bar's label goes.
enum class LabelAt { None, Inside, After, Before };

struct SvgLaneChart::Layout {
    QStringList lanes;
    std::vector<int> rowsOfLane;          // rows per lane (>= 1)
    std::vector<double> laneTop;          // pixel y of each lane's top
    std::vector<int> laneOfBar;
    std::vector<int> rowOfBar;
    std::vector<LabelAt> labelOfBar;
    AxisScale x;
    double px0 = 80;                      // plot area, pixels
    double px1 = SvgLaneChart::kWidth - kRight;
    double plotBottom = 0;
    int height = kMinHeight;
    double toX(double v) const { return px0 + (std::clamp(v, x.min, x.max) - x.min) / (x.max - x.min) * (px1 - px0); }
};

SvgLaneChart::SvgLaneChart(QString title, QString xLabel)
    : m_title(std::move(title)), m_xLabel(std::move(xLabel))
{
}

QStringList SvgLaneChart::lanes() const
{
    return layout().lanes;
}

int SvgLaneChart::height() const
{
    return layout().height;
}

SvgLaneChart::Layout SvgLaneChart::layout() const
{
    Layout l;
    QHash<QString, int> laneIndex;
    for (const Bar& b : m_bars) {
        auto it = laneIndex.find(b.lane);
        if (it == laneIndex.end()) {
            it = laneIndex.insert(b.lane, int(l.lanes.size()));
            l.lanes << b.lane;
        }
        l.laneOfBar.push_back(*it);
    }
    qsizetype longest = 0;
    for (const QString& lane : l.lanes)
        longest = std::max(longest, lane.size());
    l.px0 = std::clamp(20.0 + textWidth(QString(longest, QLatin1Char('x')), 12), 80.0, 260.0);

    // The x axis: "nice" around the data and the markers, from 0 when all are >= 0.
    double xMin = std::numeric_limits<double>::infinity(), xMax = -xMin;
    const auto extend = [&](double v) {
        if (std::isfinite(v)) {
            xMin = std::min(xMin, v);
            xMax = std::max(xMax, v);
        }
    };
    for (const Bar& b : m_bars) {
        extend(b.x0);
        extend(b.x1);
    }
    for (const Marker& m : m_markers)
        extend(m.x);
    if (!std::isfinite(xMin)) {
        xMin = 0;
        xMax = 1;
    }
    if (xMin >= 0)
        xMin = 0;
    l.x = AxisScale::nice(m_xRange ? m_xRange->first : xMin, m_xRange ? m_xRange->second : xMax, 8);
    if (m_xRange) {
        l.x.min = m_xRange->first;
        l.x.max = m_xRange->second;
        std::erase_if(l.x.ticks, [&](double t) { return t < l.x.min - 1e-9 || t > l.x.max + 1e-9; });
    }

    // Rows: a bar and its label (inside, else after, else before it) take a pixel interval;
    // each goes on the first row of its lane where that interval is free.
    std::vector<std::vector<std::vector<std::pair<double, double>>>> rows(std::size_t(l.lanes.size()));
    const double canvasRight = kWidth - 2.0;
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        const Bar& b = m_bars[i];
        const double x0 = l.toX(std::min(b.x0, b.x1)), x1 = std::max(x0 + 1.0, l.toX(std::max(b.x0, b.x1)));
        const double w = textWidth(b.label, 11);
        LabelAt at = LabelAt::None;
        double lo = x0, hi = x1;
        if (!b.label.isEmpty()) {
            if (!b.labelAfter && w + 8 <= x1 - x0) {
                at = LabelAt::Inside;
            } else if (x1 + 4 + w <= canvasRight) {
                at = LabelAt::After;
                hi = x1 + 4 + w + 4;
            } else {
                at = LabelAt::Before;
                lo = x0 - 4 - w - 4;
            }
        }
        auto& laneRows = rows[std::size_t(l.laneOfBar[i])];
        std::size_t row = 0;
        for (; row < laneRows.size(); ++row) {
            const bool overlaps = std::any_of(laneRows[row].begin(), laneRows[row].end(),
                                              [&](const auto& iv) { return lo < iv.second - 0.01 && iv.first < hi - 0.01; });
            if (!overlaps)
                break;
        }
        if (row == laneRows.size())
            laneRows.emplace_back();
        laneRows[row].emplace_back(lo, hi);
        l.rowOfBar.push_back(int(row));
        l.labelOfBar.push_back(at);
    }
    double y = kTop;
    for (const auto& laneRows : rows) {
        l.laneTop.push_back(y);
        l.rowsOfLane.push_back(std::max<int>(1, int(laneRows.size())));
        y += 2 * kLanePad + kRowHeight * l.rowsOfLane.back();
    }
    l.plotBottom = std::max(y, double(kMinHeight) - kBottom);
    l.height = int(std::ceil(l.plotBottom + kBottom));
    return l;
}

QString SvgLaneChart::toSvg() const
{
    const Layout l = layout();
    const double px0 = l.px0, px1 = l.px1, py0 = l.plotBottom, py1 = kTop;
    const AxisScale& x = l.x;
    const auto toX = [&](double v) { return l.toX(v); };
    const auto rowY = [&](int lane, int row) { return l.laneTop[std::size_t(lane)] + kLanePad + kRowHeight * row; };

    QString s;
    s.reserve(32 * 1024 + qsizetype(m_bars.size()) * 300);
    s += QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s += QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" %3 role=\"img\">\n")
             .arg(kWidth).arg(l.height).arg(kFont);
    s += QStringLiteral("<title>%1</title>\n").arg(xmlEscape(m_title));
    s += QStringLiteral("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");

    // Header: title, subtitle, legend.
    s += QStringLiteral("<text x=\"24\" y=\"28\" font-size=\"18\" font-weight=\"bold\" fill=\"%1\">%2</text>\n").arg(kInk, xmlEscape(m_title));
    if (!m_subtitle.isEmpty())
        s += QStringLiteral("<text x=\"24\" y=\"48\" font-size=\"12.5\" fill=\"%1\">%2</text>\n").arg(kMuted, xmlEscape(m_subtitle));
    double lx = px0;
    s += QStringLiteral("<g class=\"legend\" font-size=\"12.5\" fill=\"%1\">\n").arg(kInk);
    for (const LegendEntry& e : m_legend) {
        s += QStringLiteral("<rect x=\"%1\" y=\"58\" width=\"12\" height=\"10\" rx=\"1\" fill=\"%2\"/>").arg(n(lx), xmlEscape(e.color));
        s += QStringLiteral("<text x=\"%1\" y=\"67\">%2</text>\n").arg(n(lx + 17), xmlEscape(e.name));
        lx += 17 + 7.2 * double(e.name.size()) + 20;
    }
    s += QStringLiteral("</g>\n");

    // Lanes: alternate shading, names at the left.
    s += QStringLiteral("<g class=\"lanes\" font-size=\"12\" fill=\"%1\">\n").arg(kInk);
    for (qsizetype i = 0; i < l.lanes.size(); ++i) {
        const double top = l.laneTop[std::size_t(i)];
        const double h = 2 * kLanePad + kRowHeight * l.rowsOfLane[std::size_t(i)];
        if (i % 2 == 1)
            s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"#f7f7f5\"/>").arg(n(px0), n(top), n(px1 - px0), n(h));
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\">%3</text>\n").arg(n(px0 - 8), n(top + h / 2 + 4), xmlEscape(l.lanes[i]));
    }
    s += QStringLiteral("</g>\n");

    // Vertical grid and x ticks.
    s += QStringLiteral("<g class=\"grid\" stroke=\"%1\" stroke-width=\"1\">\n").arg(kGrid);
    for (double t : x.ticks)
        s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/>\n").arg(n(toX(t)), n(py1), n(py0));
    s += QStringLiteral("</g>\n");
    s += QStringLiteral("<g class=\"ticks\" font-size=\"12\" fill=\"%1\">\n").arg(kMuted);
    for (double t : x.ticks)
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>\n").arg(n(toX(t)), n(py0 + 18), x.label(t));
    s += QStringLiteral("</g>\n");

    // Bars, grouped by series in order of first appearance; then their labels on top.
    QStringList series;
    for (const Bar& b : m_bars)
        if (!series.contains(b.series))
            series << b.series;
    for (const QString& name : series) {
        s += QStringLiteral("<g class=\"series\" data-name=\"%1\">\n").arg(xmlEscape(name));
        for (std::size_t i = 0; i < m_bars.size(); ++i) {
            const Bar& b = m_bars[i];
            if (b.series != name)
                continue;
            const double x0 = toX(std::min(b.x0, b.x1)), x1 = toX(std::max(b.x0, b.x1));
            const double y = rowY(l.laneOfBar[i], l.rowOfBar[i]) + (kRowHeight - kBarHeight) / 2;
            s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" rx=\"2\" fill=\"%5\">")
                     .arg(n(x0), n(y), QString::number(std::max(1.0, x1 - x0), 'f', 2), n(kBarHeight), xmlEscape(b.color));
            if (!b.tooltip.isEmpty())
                s += QStringLiteral("<title>%1</title>").arg(xmlEscape(b.tooltip));
            s += QStringLiteral("</rect>\n");
        }
        s += QStringLiteral("</g>\n");
    }
    s += QStringLiteral("<g class=\"labels\" font-size=\"11\">\n");
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        const Bar& b = m_bars[i];
        if (b.label.isEmpty())
            continue;
        const double x0 = toX(std::min(b.x0, b.x1)), x1 = toX(std::max(b.x0, b.x1));
        const double y = rowY(l.laneOfBar[i], l.rowOfBar[i]) + kRowHeight / 2 + 4;
        QString at;
        switch (l.labelOfBar[i]) {
        case LabelAt::Inside: at = QStringLiteral("x=\"%1\" fill=\"#ffffff\"").arg(n(x0 + 4)); break;
        case LabelAt::After: at = QStringLiteral("x=\"%1\" fill=\"%2\"").arg(n(std::max(x0 + 1.0, x1) + 4), kInk); break;
        case LabelAt::Before: at = QStringLiteral("x=\"%1\" fill=\"%2\" text-anchor=\"end\"").arg(n(x0 - 4), kInk); break;
        case LabelAt::None: continue;
        }
        s += QStringLiteral("<text %1 y=\"%2\">%3</text>\n").arg(at, n(y), xmlEscape(b.label));
    }
    s += QStringLiteral("</g>\n");

    // Markers: a dashed line over the lanes, the label above the plot (stacked when several).
    for (std::size_t i = 0; i < m_markers.size(); ++i) {
        const Marker& m = m_markers[i];
        if (!std::isfinite(m.x) || m.x < x.min || m.x > x.max)
            continue;
        const double mx = toX(m.x);
        const bool right = mx > (px0 + px1) * 0.5;
        s += QStringLiteral("<g class=\"marker\"><line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"%4\" stroke-width=\"1.4\" stroke-dasharray=\"5 4\"/>")
                 .arg(n(mx), n(py1 - 2), n(py0), xmlEscape(m.color));
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"12\" font-weight=\"bold\" fill=\"%3\" text-anchor=\"%4\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\">%5</text></g>\n")
                 .arg(n(right ? mx - 5 : mx + 5), n(py1 - 6 - 14 * double(i)), xmlEscape(m.color),
                      right ? QStringLiteral("end") : QStringLiteral("start"), xmlEscape(m.label));
    }
    if (m_bars.empty())
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"16\" fill=\"%3\" text-anchor=\"middle\">%4</text>\n")
                 .arg(n((px0 + px1) / 2), n((py0 + py1) / 2), kMuted, xmlEscape(m_emptyText));

    // The x axis and its label; the lanes' left edge.
    s += QStringLiteral("<g class=\"axes\" stroke=\"%1\" stroke-width=\"1.2\">").arg(kInk);
    s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\"/>").arg(n(px0), n(py0), n(px1));
    s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/>").arg(n(px0), n(py0), n(py1));
    for (double t : x.ticks)
        s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/>").arg(n(toX(t)), n(py0), n(py0 + 5));
    s += QStringLiteral("</g>\n");
    s += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"13\" fill=\"%3\" text-anchor=\"middle\">%4</text>\n")
             .arg(n((px0 + px1) / 2), n(l.height - 14), kInk, xmlEscape(m_xLabel));
    s += QStringLiteral("</svg>\n");
    return s;
}

} // namespace otalab::sim
