// SPDX-License-Identifier: Apache-2.0
#include "sim/report/svgheatmap.h"

#include "sim/report/axisscale.h"
#include "sim/report/svgchart.h"
#include "sim/report/svgstyle.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace otalab::sim {

namespace {

using namespace svgstyle;

// Layout in SVG user units (the grid's left edge depends on the row labels).
constexpr double kTop = 70;
constexpr double kBottom = 60;
constexpr double kScaleSpace = 118;   // right of the grid: the colour bar, its ticks and label
constexpr double kCharWidth = 6.6;    // average width of a 12-unit character

// matplotlib's viridis at t = 0, 0.1, ..., 1.
constexpr std::array<std::array<int, 3>, 11> kViridis{{{0x44, 0x01, 0x54},
                                                       {0x48, 0x24, 0x75},
                                                       {0x41, 0x44, 0x87},
                                                       {0x35, 0x5f, 0x8d},
                                                       {0x2a, 0x78, 0x8e},
                                                       {0x21, 0x91, 0x8c},
                                                       {0x22, 0xa8, 0x84},
                                                       {0x44, 0xbf, 0x70},
                                                       {0x7a, 0xd1, 0x51},
                                                       {0xbd, 0xdf, 0x26},
                                                       {0xfd, 0xe7, 0x25}}};

double linear(int channel)
{
    const double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QString& hex)
{
    if (hex.size() != 7 || !hex.startsWith(QLatin1Char('#')))
        return 1.0;
    bool ok = false;
    const uint rgb = hex.mid(1).toUInt(&ok, 16);
    if (!ok)
        return 1.0;
    return 0.2126 * linear(int((rgb >> 16) & 0xff)) + 0.7152 * linear(int((rgb >> 8) & 0xff)) + 0.0722 * linear(int(rgb & 0xff));
}

// Every `every`-th label of `count` slots of `slot` units each so that labels do not overlap.
int labelStride(const QStringList& labels, double slot, double perChar, double gap)
{
    qsizetype widest = 1;
    for (const QString& l : labels)
        widest = std::max(widest, l.size());
    return std::max(1, int(std::ceil((perChar * double(widest) + gap) / std::max(slot, 1e-9))));
}

} // namespace

SvgHeatMap::SvgHeatMap(QString title, QString xLabel, QString yLabel, QStringList columns, QStringList rows)
    : m_title(std::move(title)), m_xLabel(std::move(xLabel)), m_yLabel(std::move(yLabel)), m_columns(std::move(columns)),
      m_rows(std::move(rows))
{
}

QString SvgHeatMap::colorAt(double t)
{
    if (!std::isfinite(t))
        t = 0;
    t = std::clamp(t, 0.0, 1.0) * double(kViridis.size() - 1);
    const std::size_t i = std::min(kViridis.size() - 2, std::size_t(t));
    const double f = t - double(i);
    QString out = QStringLiteral("#");
    for (int c = 0; c < 3; ++c) {
        const int v = int(std::lround(kViridis[i][std::size_t(c)] * (1 - f) + kViridis[i + 1][std::size_t(c)] * f));
        out += QStringLiteral("%1").arg(v, 2, 16, QLatin1Char('0'));
    }
    return out;
}

QString SvgHeatMap::textColorOn(const QString& background)
{
    const double l = luminance(background);
    const double onWhite = 1.05 / (l + 0.05);
    const double onInk = (l + 0.05) / (luminance(kInk) + 0.05);
    return onWhite > onInk ? QStringLiteral("#ffffff") : kInk;
}

QString SvgHeatMap::toSvg() const
{
    const int columns = int(std::max<qsizetype>(1, m_columns.size()));
    const int rows = int(std::max<qsizetype>(1, m_rows.size()));
    qsizetype widestRow = 1;
    for (const QString& r : m_rows)
        widestRow = std::max(widestRow, r.size());
    const double gx0 = std::max(80.0, 44 + kCharWidth * double(widestRow) + 10);
    const double gx1 = kWidth - kScaleSpace;
    const double gy0 = kHeight - kBottom;
    const double gy1 = kTop;
    const double cw = (gx1 - gx0) / columns;
    const double ch = (gy0 - gy1) / rows;

    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const Cell& c : m_cells)
        if (c.value && std::isfinite(*c.value)) {
            lo = std::min(lo, *c.value);
            hi = std::max(hi, *c.value);
        }
    const bool hasValues = std::isfinite(lo);
    auto scaleT = [&](double v) { return hi > lo ? (v - lo) / (hi - lo) : 0.5; };

    QString s;
    s.reserve(32 * 1024);
    s += QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s += QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" %3 role=\"img\">\n")
             .arg(kWidth).arg(kHeight).arg(kFont);
    s += QStringLiteral("<title>%1</title>\n").arg(xmlEscape(m_title));
    s += QStringLiteral("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    s += QStringLiteral("<text x=\"24\" y=\"28\" font-size=\"18\" font-weight=\"bold\" fill=\"%1\">%2</text>\n").arg(kInk, xmlEscape(m_title));
    if (!m_subtitle.isEmpty())
        s += QStringLiteral("<text x=\"24\" y=\"48\" font-size=\"12.5\" fill=\"%1\">%2</text>\n").arg(kMuted, xmlEscape(m_subtitle));

    // Cells.
    s += QStringLiteral("<g class=\"cells\">\n");
    for (const Cell& c : m_cells) {
        if (c.column < 0 || c.column >= m_columns.size() || c.row < 0 || c.row >= m_rows.size())
            continue;
        const double x = gx0 + cw * c.column, y = gy0 - ch * (c.row + 1);
        const bool valued = c.value && std::isfinite(*c.value);
        const QString fill = valued ? colorAt(scaleT(*c.value)) : QStringLiteral("#f2f2f2");
        s += QStringLiteral("<g class=\"cell\" data-column=\"%1\" data-row=\"%2\" data-value=\"%3\"")
                 .arg(c.column).arg(c.row).arg(valued ? QString::number(*c.value, 'g', 17) : QString());
        for (const auto& [key, value] : c.data)
            s += QStringLiteral(" data-%1=\"%2\"").arg(xmlEscape(key), xmlEscape(value));
        s += QStringLiteral(">");
        if (!c.tooltip.isEmpty())
            s += QStringLiteral("<title>%1</title>").arg(xmlEscape(c.tooltip));
        s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"%5\"%6/>")
                 .arg(n(x + 0.5), n(y + 0.5), n(std::max(0.5, cw - 1)), n(std::max(0.5, ch - 1)), fill,
                      valued ? QString() : QStringLiteral(" stroke=\"#d4d4d4\" stroke-dasharray=\"3 3\""));
        // The text at the largest size from 14 down to 9 that fits the cell; none if none fits.
        const double chars = std::max<qsizetype>(1, c.text.size());
        double size = std::min({14.0, (cw - 6) / (0.6 * chars), ch - 4});
        if (!c.text.isEmpty() && size >= 9) {
            size = std::floor(size * 2) / 2;
            s += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"%3\" text-anchor=\"middle\" fill=\"%4\">%5</text>")
                     .arg(n(x + cw / 2), n(y + ch / 2 + size * 0.35), n(size), valued ? textColorOn(fill) : kMuted, xmlEscape(c.text));
        }
        s += QStringLiteral("</g>\n");
    }
    s += QStringLiteral("</g>\n");
    if (!hasValues)
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"16\" fill=\"%3\" text-anchor=\"middle\">%4</text>\n")
                 .arg(n((gx0 + gx1) / 2), n((gy0 + gy1) / 2), kMuted, xmlEscape(m_emptyText));

    // Column and row labels, thinned out where they would overlap.
    s += QStringLiteral("<g class=\"ticks\" font-size=\"12\" fill=\"%1\">\n").arg(kMuted);
    const int columnEvery = labelStride(m_columns, cw, kCharWidth, 8);
    for (qsizetype i = 0; i < m_columns.size(); i += columnEvery)
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>\n")
                 .arg(n(gx0 + cw * (double(i) + 0.5)), n(gy0 + 18), xmlEscape(m_columns[i]));
    const int rowEvery = std::max(1, int(std::ceil(14 / ch)));
    for (qsizetype i = 0; i < m_rows.size(); i += rowEvery)
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\">%3</text>\n")
                 .arg(n(gx0 - 8), n(gy0 - ch * (double(i) + 0.5) + 4), xmlEscape(m_rows[i]));
    s += QStringLiteral("</g>\n");
    s += QStringLiteral("<g class=\"axes\" stroke=\"%1\" stroke-width=\"1.2\"><line x1=\"%2\" y1=\"%3\" x2=\"%4\" y2=\"%3\"/>"
                        "<line x1=\"%2\" y1=\"%3\" x2=\"%2\" y2=\"%5\"/></g>\n")
             .arg(kInk, n(gx0), n(gy0), n(gx1), n(gy1));
    s += QStringLiteral("<text x=\"%1\" y=\"%2\" font-size=\"13\" fill=\"%3\" text-anchor=\"middle\">%4</text>\n")
             .arg(n((gx0 + gx1) / 2), n(kHeight - 14), kInk, xmlEscape(m_xLabel));
    s += QStringLiteral("<text transform=\"translate(20 %1) rotate(-90)\" font-size=\"13\" fill=\"%2\" text-anchor=\"middle\">%3</text>\n")
             .arg(n((gy0 + gy1) / 2), kInk, xmlEscape(m_yLabel));

    // Colour scale: a bar of 64 steps from the lowest value (bottom) to the highest (top).
    if (hasValues) {
        const double bx = gx1 + 22, bw = 14;
        s += QStringLiteral("<g class=\"scale\">\n");
        constexpr int kSteps = 64;
        const double stepH = (gy0 - gy1) / kSteps;
        for (int i = 0; i < kSteps; ++i)
            s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"%5\"/>\n")
                     .arg(n(bx), n(gy0 - stepH * (i + 1)), n(bw), n(stepH + 0.6), colorAt((i + 0.5) / kSteps));
        s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"none\" stroke=\"%5\"/>\n")
                 .arg(n(bx), n(gy1), n(bw), n(gy0 - gy1), kGrid);
        std::vector<double> ticks;
        AxisScale scale;
        if (hi > lo) {
            scale = AxisScale::nice(lo, hi, 5);
            for (double t : scale.ticks)
                if (t >= lo - (hi - lo) * 1e-9 && t <= hi + (hi - lo) * 1e-9)
                    ticks.push_back(t);
        } else {
            scale = AxisScale::nice(lo, lo + std::max(std::abs(lo), 1.0) * 0.01, 5);
            ticks.push_back(lo);
        }
        auto tickY = [&](double v) { return hi > lo ? gy0 - (v - lo) / (hi - lo) * (gy0 - gy1) : (gy0 + gy1) / 2; };
        s += QStringLiteral("<g font-size=\"12\" fill=\"%1\">\n").arg(kMuted);
        for (double t : ticks) {
            const double y = tickY(t);
            s += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"%4\" stroke-width=\"1.2\"/>")
                     .arg(n(bx + bw), n(y), n(bx + bw + 4), kInk);
            const QString label = hi > lo ? scale.label(t) : QString::number(t, 'g', 4);
            s += QStringLiteral("<text x=\"%1\" y=\"%2\">%3</text>\n").arg(n(bx + bw + 7), n(y + 4), label);
        }
        s += QStringLiteral("</g>\n");
        if (!m_scaleLabel.isEmpty())
            s += QStringLiteral("<text transform=\"translate(%1 %2) rotate(-90)\" font-size=\"13\" fill=\"%3\" text-anchor=\"middle\">%4</text>\n")
                     .arg(n(kWidth - 10), n((gy0 + gy1) / 2), kInk, xmlEscape(m_scaleLabel));
        s += QStringLiteral("</g>\n");
    }
    s += QStringLiteral("</svg>\n");
    return s;
}

} // namespace otalab::sim
