// SPDX-License-Identifier: Apache-2.0
#include "sim/report/svgchart.h"
#include "sim/report/svgstyle.h"

#include "sim/report/axisscale.h"

#include <QCryptographicHash>

#include <algorithm>
#include <cmath>
#include <limits>

namespace otalab::sim {

namespace {

// Layout in SVG user units.
constexpr double kLeft = 80;
constexpr double kRight = 28;
constexpr double kTop = 80;
constexpr double kBottom = 60;
using namespace svgstyle;

struct Frame {
    AxisScale x;
    AxisScale y;
    double px0 = kLeft;
    double px1 = SvgChart::kWidth - kRight;
    double py0 = SvgChart::kHeight - kBottom;  // y axis bottom (pixels grow downwards)
    double py1 = kTop;
    double toX(double v) const { return px0 + (v - x.min) / (x.max - x.min) * (px1 - px0); }
    double toY(double v) const { return py0 - (v - y.min) / (y.max - y.min) * (py0 - py1); }
};

// Pixel path with consecutive duplicates and the middle of axis-aligned runs dropped:
// a 10,000-point CDF shrinks to roughly one vertex per pixel column.
QString pathData(const std::vector<QPointF>& pixels)
{
    std::vector<QPointF> pts;
    pts.reserve(pixels.size());
    for (const QPointF& p : pixels) {
        const QPointF r(std::round(p.x() * 10) / 10, std::round(p.y() * 10) / 10);
        if (!pts.empty() && pts.back() == r)
            continue;
        if (pts.size() >= 2) {
            const QPointF& a = pts[pts.size() - 2];
            const QPointF& b = pts.back();
            if ((a.x() == b.x() && b.x() == r.x()) || (a.y() == b.y() && b.y() == r.y())) {
                pts.back() = r;
                continue;
            }
        }
        pts.push_back(r);
    }
    QString d;
    d.reserve(qsizetype(pts.size()) * 12);
    for (std::size_t i = 0; i < pts.size(); ++i)
        d += (i == 0 ? QStringLiteral("M") : QStringLiteral(" L")) + n(pts[i].x()) + QLatin1Char(' ') + n(pts[i].y());
    return d;
}

} // namespace

QString xmlEscape(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&': out += QLatin1String("&amp;"); break;
        case '<': out += QLatin1String("&lt;"); break;
        case '>': out += QLatin1String("&gt;"); break;
        case '"': out += QLatin1String("&quot;"); break;
        case '\'': out += QLatin1String("&apos;"); break;
        default:
            // XML 1.0 forbids most C0 controls even escaped.
            if (c.unicode() < 0x20 && c != QLatin1Char('\t') && c != QLatin1Char('\n') && c != QLatin1Char('\r'))
                out += QChar(0xFFFD);
            else
                out += c;
        }
    }
    return out;
}

SvgChart::SvgChart(QString title, QString xLabel, QString yLabel)
    : m_title(std::move(title)), m_xLabel(std::move(xLabel)), m_yLabel(std::move(yLabel))
{
}

void SvgChart::addBars(std::vector<Bar> bars, const QString& seriesName, const QString& legendColor)
{
    m_bars.insert(m_bars.end(), bars.begin(), bars.end());
    m_barsName = seriesName;
    if (!legendColor.isEmpty())
        m_extraLegend.push_back({seriesName, legendColor});
}

void SvgChart::addDots(std::vector<Dot> dots, const QString& seriesName, const QString& color)
{
    m_dots.push_back({seriesName, color, std::move(dots)});
}

bool SvgChart::hasData() const
{
    return !m_bars.empty() || std::any_of(m_lines.begin(), m_lines.end(), [](const Line& l) { return !l.points.empty(); })
        || std::any_of(m_bands.begin(), m_bands.end(), [](const Band& b) { return !b.points.empty(); })
        || std::any_of(m_dots.begin(), m_dots.end(), [](const DotSeries& d) { return !d.dots.empty(); });
}

QString SvgChart::toSvg() const
{
    // Data extent.
    double xMin = std::numeric_limits<double>::infinity(), xMax = -xMin, yMin = xMin, yMax = -xMin;
    auto extend = [&](double x, double y) {
        if (!std::isfinite(x) || !std::isfinite(y))
            return;
        xMin = std::min(xMin, x);
        xMax = std::max(xMax, x);
        yMin = std::min(yMin, y);
        yMax = std::max(yMax, y);
    };
    for (const Line& l : m_lines)
        for (const QPointF& p : l.points)
            extend(p.x(), p.y());
    for (const Bar& b : m_bars) {
        extend(b.x0, 0);
        extend(b.x1, b.y);
    }
    for (const Band& b : m_bands)
        for (const BandPoint& p : b.points) {
            extend(p.x, p.low);
            extend(p.x, p.high);
        }
    for (const DotSeries& d : m_dots)
        for (const Dot& p : d.dots)
            extend(p.x, p.y);
    for (const Marker& m : m_markers)
        extend(m.x, std::isfinite(yMin) ? yMin : 0);
    if (!std::isfinite(xMin)) {
        xMin = 0;
        xMax = 1;
        yMin = 0;
        yMax = 1;
    }
    if (yMin >= 0)
        yMin = 0;

    Frame f;
    f.x = AxisScale::nice(m_xRange ? m_xRange->first : xMin, m_xRange ? m_xRange->second : xMax, 8);
    f.y = AxisScale::nice(m_yRange ? m_yRange->first : yMin, m_yRange ? m_yRange->second : yMax, 6);
    if (!m_yRange && yMax > f.y.max - f.y.step * 0.02) {
        // Headroom: the highest point does not touch the frame.
        f.y.max += f.y.step;
        f.y.ticks.push_back(f.y.max);
    }
    if (m_xRange) {
        f.x.min = m_xRange->first;
        f.x.max = m_xRange->second;
        std::erase_if(f.x.ticks, [&](double t) { return t < f.x.min - 1e-9 || t > f.x.max + 1e-9; });
    }
    if (m_yRange) {
        f.y.min = m_yRange->first;
        f.y.max = m_yRange->second;
        std::erase_if(f.y.ticks, [&](double t) { return t < f.y.min - 1e-9 || t > f.y.max + 1e-9; });
    }
    // Category x axis: one tick per category, labels thinned out so they do not overlap.
    std::vector<QString> xTickLabels;
    if (!m_xCategories.isEmpty()) {
        const qsizetype count = m_xCategories.size();
        f.x.min = -0.5;
        f.x.max = double(count) - 0.5;
        f.x.step = 1;
        f.x.ticks.clear();
        qsizetype widest = 1;
        for (const QString& c : m_xCategories)
            widest = std::max(widest, c.size());
        const double slot = (f.px1 - f.px0) / double(count);
        const int every = std::max(1, int(std::ceil((6.6 * double(widest) + 10) / slot)));
        for (qsizetype i = 0; i < count; ++i) {
            f.x.ticks.push_back(double(i));
            xTickLabels.push_back(i % every == 0 ? xmlEscape(m_xCategories[i]) : QString());
        }
    } else if (!m_xTicks.empty()) {
        // Given ticks inside the range; a label that would overlap the last one shown is left out.
        f.x.ticks.clear();
        double lastRight = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < m_xTicks.size(); ++i) {
            const double t = m_xTicks[i];
            if (!std::isfinite(t) || t < f.x.min - 1e-9 || t > f.x.max + 1e-9)
                continue;
            const QString label = i < std::size_t(m_xTickLabels.size()) ? m_xTickLabels[qsizetype(i)] : f.x.label(t);
            const double half = 3.3 * double(label.size()), x = f.toX(t);
            f.x.ticks.push_back(t);
            xTickLabels.push_back(x - half >= lastRight + 6 ? xmlEscape(label) : QString());
            if (!xTickLabels.back().isEmpty())
                lastRight = x + half;
        }
    } else {
        for (double t : f.x.ticks)
            xTickLabels.push_back(f.x.label(t));
    }

    // Legend entries, wrapped onto more rows (the plot moves down) when asked to and one row overflows.
    std::vector<LegendEntry> legend;
    for (const Line& l : m_lines)
        if (!l.name.isEmpty())
            legend.push_back({l.name, l.color});
    legend.insert(legend.end(), m_extraLegend.begin(), m_extraLegend.end());
    std::vector<std::pair<double, int>> legendAt;  // x, row
    {
        double x = f.px0;
        int row = 0;
        for (const LegendEntry& e : legend) {
            if (m_legendWraps && x > f.px0 && x + 20 + 7.2 * e.name.size() > kWidth - 8) {
                ++row;
                x = f.px0;
            }
            legendAt.emplace_back(x, row);
            x += 20 + 7.2 * e.name.size() + 22;
        }
        if (!legendAt.empty())
            f.py1 += 18.0 * legendAt.back().second;
    }
    const QString clipId = QStringLiteral("plot-")
        + QString::fromLatin1(QCryptographicHash::hash(m_title.toUtf8() + m_xLabel.toUtf8(), QCryptographicHash::Sha1).toHex().left(10));

    QString s;
    s.reserve(64 * 1024);
    s += QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s += QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" %3 role=\"img\">\n")
             .arg(kWidth).arg(kHeight).arg(kFont);
    s += QStringLiteral("<title>%1</title>\n").arg(xmlEscape(m_title));
    s += QStringLiteral("<defs><clipPath id=\"%1\"><rect x=\"%2\" y=\"%3\" width=\"%4\" height=\"%5\"/></clipPath></defs>\n")
             .arg(clipId, n(f.px0), n(f.py1 - 1), n(f.px1 - f.px0), n(f.py0 - f.py1 + 2));
    s += QStringLiteral("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");

    // Header: title, subtitle, legend.
    s += QStringLiteral("<text x=\"%1\" y=\"28\" font-size=\"18\" font-weight=\"bold\" fill=\"%2\">%3</text>\n")
             .arg(n(kLeft - 56), kInk, xmlEscape(m_title));
    if (!m_subtitle.isEmpty())
        s += QStringLiteral("<text x=\"%1\" y=\"48\" font-size=\"12.5\" fill=\"%2\">%3</text>\n").arg(n(kLeft - 56), kMuted, xmlEscape(m_subtitle));
    s += QStringLiteral("<g class=\"legend\" font-size=\"12.5\" fill=\"%1\">\n").arg(kInk);
    for (std::size_t i = 0; i < legend.size(); ++i) {
        const LegendEntry& e = legend[i];
        const double lx = legendAt[i].first, row = 18.0 * legendAt[i].second;
        s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"14\" height=\"4\" rx=\"1\" fill=\"%3\"/>").arg(n(lx), n(61 + row), xmlEscape(e.color));
        s += QStringLiteral("<text x=\"%1\" y=\"%2\">%3</text>\n").arg(n(lx + 20), n(67 + row), xmlEscape(e.name));
    }
    s += QStringLiteral("</g>\n");

    // Grid and ticks.
    s += QStringLiteral("<g class=\"grid\" stroke=\"%1\" stroke-width=\"1\">\n").arg(kGrid);
    for (double t : f.y.ticks)
        s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\"/>\n").arg(n(f.px0), n(f.toY(t)), n(f.px1));
    for (double t : f.x.ticks)
        s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/>\n").arg(n(f.toX(t)), n(f.py1), n(f.py0));
    s += QStringLiteral("</g>\n");
    s += QStringLiteral("<g class=\"ticks\" font-size=\"12\" fill=\"%1\">\n").arg(kMuted);
    for (double t : f.y.ticks)
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\">%3</text>\n").arg(n(f.px0 - 8), n(f.toY(t) + 4), f.y.label(t));
    for (std::size_t i = 0; i < f.x.ticks.size(); ++i)
        if (!xTickLabels[i].isEmpty())
            s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>\n").arg(n(f.toX(f.x.ticks[i])), n(f.py0 + 18), xTickLabels[i]);
    s += QStringLiteral("</g>\n");

    // Data, clipped to the plot area.
    s += QStringLiteral("<g clip-path=\"url(#%1)\">\n").arg(clipId);
    for (const Band& b : m_bands) {
        if (b.points.empty())
            continue;
        s += QStringLiteral("<g class=\"band\" data-name=\"%1\">").arg(xmlEscape(b.name));
        if (b.points.size() == 1) {
            const BandPoint& p = b.points.front();
            const double top = f.toY(std::max(p.low, p.high)), bottom = f.toY(std::min(p.low, p.high));
            s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"10\" height=\"%3\" fill=\"%4\" fill-opacity=\"%5\"/>")
                     .arg(n(f.toX(p.x) - 5), n(top), n(std::max(1.0, bottom - top)), xmlEscape(b.color), QString::number(b.opacity));
        } else {
            std::vector<QPointF> outline;
            outline.reserve(b.points.size() * 2);
            for (const BandPoint& p : b.points)
                outline.emplace_back(f.toX(p.x), f.toY(p.low));
            for (auto it = b.points.rbegin(); it != b.points.rend(); ++it)
                outline.emplace_back(f.toX(it->x), f.toY(it->high));
            s += QStringLiteral("<path d=\"%1 Z\" fill=\"%2\" fill-opacity=\"%3\" stroke=\"none\"/>")
                     .arg(pathData(outline), xmlEscape(b.color), QString::number(b.opacity));
        }
        s += QStringLiteral("</g>\n");
    }
    if (!m_bars.empty()) {
        s += QStringLiteral("<g class=\"series\" data-name=\"%1\">\n").arg(xmlEscape(m_barsName));
        for (const Bar& b : m_bars) {
            const double x0 = f.toX(b.x0), x1 = f.toX(b.x1), y = f.toY(b.y), base = f.toY(std::max(f.y.min, 0.0));
            const double w = std::max(0.6, x1 - x0);
            s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"%5\">")
                     .arg(n(x0), n(std::min(y, base)), QString::number(w, 'f', 2), n(std::abs(base - y)), xmlEscape(b.color));
            if (!b.tooltip.isEmpty())
                s += QStringLiteral("<title>%1</title>").arg(xmlEscape(b.tooltip));
            s += QStringLiteral("</rect>\n");
        }
        s += QStringLiteral("</g>\n");
    }
    for (const Line& l : m_lines) {
        std::vector<QPointF> px;
        px.reserve(l.points.size() * (l.step ? 2 : 1));
        for (std::size_t i = 0; i < l.points.size(); ++i) {
            const QPointF& p = l.points[i];
            if (l.step && i > 0)
                px.emplace_back(f.toX(p.x()), f.toY(l.points[i - 1].y()));
            px.emplace_back(f.toX(p.x()), f.toY(p.y()));
        }
        s += QStringLiteral("<g class=\"series\" data-name=\"%1\">\n").arg(xmlEscape(l.name));
        if (l.fill && px.size() >= 2) {
            std::vector<QPointF> area = px;
            area.emplace_back(px.back().x(), f.toY(std::max(f.y.min, 0.0)));
            area.emplace_back(px.front().x(), f.toY(std::max(f.y.min, 0.0)));
            s += QStringLiteral("<path d=\"%1 Z\" fill=\"%2\" fill-opacity=\"0.12\" stroke=\"none\"/>\n").arg(pathData(area), xmlEscape(l.color));
        }
        if (!px.empty())
            s += QStringLiteral("<path d=\"%1\" fill=\"none\" stroke=\"%2\" stroke-width=\"2.2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n")
                     .arg(pathData(px), xmlEscape(l.color));
        s += QStringLiteral("</g>\n");
    }
    s += QStringLiteral("</g>\n");

    // Dots on top of the lines, not clipped (a dot on the frame stays whole).
    for (const DotSeries& d : m_dots) {
        s += QStringLiteral("<g class=\"points\" data-name=\"%1\" fill=\"%2\" stroke=\"#ffffff\" stroke-width=\"1.2\">\n")
                 .arg(xmlEscape(d.name), xmlEscape(d.color));
        for (const Dot& p : d.dots) {
            const double x = f.toX(p.x), y = f.toY(p.y);
            if (x < f.px0 - 0.5 || x > f.px1 + 0.5 || y < f.py1 - 0.5 || y > f.py0 + 0.5)
                continue;
            s += QStringLiteral("<circle class=\"point\" cx=\"%1\" cy=\"%2\" r=\"3.6\"").arg(n(x), n(y));
            for (const auto& [key, value] : p.data)
                s += QStringLiteral(" data-%1=\"%2\"").arg(xmlEscape(key), xmlEscape(value));
            s += p.tooltip.isEmpty() ? QStringLiteral("/>\n") : QStringLiteral("><title>%1</title></circle>\n").arg(xmlEscape(p.tooltip));
        }
        s += QStringLiteral("</g>\n");
    }

    // Markers (labels stacked so close markers stay readable).
    for (std::size_t i = 0; i < m_markers.size(); ++i) {
        const Marker& m = m_markers[i];
        const double x = f.toX(m.x);
        if (x < f.px0 - 0.5 || x > f.px1 + 0.5)
            continue;
        const bool right = x > (f.px0 + f.px1) * 0.75;
        s += QStringLiteral("<g class=\"marker\"><line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"%4\" stroke-width=\"1.4\" stroke-dasharray=\"5 4\"/>")
                 .arg(n(x), n(f.py1), n(f.py0), xmlEscape(m.color));
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"12\" font-weight=\"bold\" fill=\"%3\" text-anchor=\"%4\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\">%5</text></g>\n")
                 .arg(n(right ? x - 5 : x + 5), n(f.py1 + 16 + 16 * double(i)), xmlEscape(m.color),
                      right ? QStringLiteral("end") : QStringLiteral("start"), xmlEscape(m.label));
    }
    if (!hasData())
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"16\" fill=\"%3\" text-anchor=\"middle\">%4</text>\n")
                 .arg(n((f.px0 + f.px1) / 2), n((f.py0 + f.py1) / 2), kMuted, xmlEscape(m_emptyText));

    // Axes and their labels.
    s += QStringLiteral("<g class=\"axes\" stroke=\"%1\" stroke-width=\"1.2\">").arg(kInk);
    s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\"/>").arg(n(f.px0), n(f.py0), n(f.px1));
    s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/>").arg(n(f.px0), n(f.py0), n(f.py1));
    for (double t : f.x.ticks)
        s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\"/>").arg(n(f.toX(t)), n(f.py0), n(f.py0 + 5));
    for (double t : f.y.ticks)
        s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\"/>").arg(n(f.px0 - 5), n(f.toY(t)), n(f.px0));
    s += QStringLiteral("</g>\n");
    s += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"13\" fill=\"%3\" text-anchor=\"middle\">%4</text>\n")
             .arg(n((f.px0 + f.px1) / 2), n(kHeight - 14), kInk, xmlEscape(m_xLabel));
    s += QStringLiteral("<text transform=\"translate(20 %1) rotate(-90)\" font-size=\"13\" fill=\"%2\" text-anchor=\"middle\">%3</text>\n")
             .arg(n((f.py0 + f.py1) / 2), kInk, xmlEscape(m_yLabel));
    s += QStringLiteral("</svg>\n");
    return s;
}

} // namespace otalab::sim
