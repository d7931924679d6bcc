// SPDX-License-Identifier: Apache-2.0
// SvgChart: a standalone SVG line/bar chart written as text (no Qt Charts, no widgets).
#pragma once

#include <QPointF>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace otalab::sim {

// One plot with a title, a subtitle, labelled axes with ticks and grid lines, a legend,
// line series (straight or step), bars and labelled vertical markers. Data are in axis
// units; ranges default to "nice" ranges around the data (y from 0 when all y >= 0).
// toSvg() returns a complete, well-formed SVG 1.1 document (UTF-8, no external
// references), 800 × 450 user units, that browsers, Inkscape and rsvg render alike.
// Every series is a <g> with class "series" and data-name = its name, so tests and
// scripts can find it. Value type; not thread-safe.
class SvgChart {
public:
    struct Line {
        QString name;
        QString color;          // CSS colour, e.g. "#4e79a7"
        std::vector<QPointF> points;
        bool step = false;      // horizontal then vertical segments (a CDF)
        bool fill = false;      // fill the area under the line (translucent)
    };
    struct Bar {
        double x0 = 0;
        double x1 = 0;
        double y = 0;
        QString color;
        QString tooltip;        // <title> of the bar
    };
    struct Marker {
        double x = 0;
        QString label;
        QString color;
    };

    SvgChart(QString title, QString xLabel, QString yLabel);

    void setSubtitle(const QString& subtitle) { m_subtitle = subtitle; }
    void setXRange(double min, double max) { m_xRange = {min, max}; }
    void setYRange(double min, double max) { m_yRange = {min, max}; }
    void setEmptyText(const QString& text) { m_emptyText = text; }  // shown when there is no data

    void addLine(Line line) { m_lines.push_back(std::move(line)); }
    // Bars of one series named `seriesName`; a legend entry too when `legendColor` is set.
    void addBars(std::vector<Bar> bars, const QString& seriesName, const QString& legendColor = {});
    void addLegendEntry(const QString& name, const QString& color) { m_extraLegend.push_back({name, color}); }
    void addMarker(Marker marker) { m_markers.push_back(std::move(marker)); }

    QString toSvg() const;

    static constexpr int kWidth = 800;
    static constexpr int kHeight = 450;

    // A band between `low` and `high` at each x (e.g. p5–p95 across seeds): a translucent
    // polygon under every line, in a <g class="band" data-name=name>; a band of one point is
    // a short vertical bar. Points in ascending x. No legend entry (addLegendEntry).
    struct BandPoint {
        double x = 0;
        double low = 0;
        double high = 0;
    };
    struct Band {
        QString name;
        QString color;
        std::vector<BandPoint> points;
        double opacity = 0.16;
    };
    void addBand(Band band) { m_bands.push_back(std::move(band)); }

    // Data points as dots on top of the lines: a <g class="points" data-name=seriesName> of
    // <circle class="point"> each with its data-* attributes (names without the "data-"
    // prefix) and a tooltip.
    struct Dot {
        double x = 0;
        double y = 0;
        QString tooltip;
        std::vector<std::pair<QString, QString>> data;
    };
    void addDots(std::vector<Dot> dots, const QString& seriesName, const QString& color);

    // A category x axis: ticks at 0, 1, ..., n-1 labelled `labels` (x from -0.5 to n-0.5);
    // data x are category indices. Labels that would overlap are thinned out.
    void setXCategories(QStringList labels) { m_xCategories = std::move(labels); }
    // Numeric x ticks at `ticks` labelled `labels` (same size) instead of the nice ticks, e.g.
    // a sweep's parameter values; labels that would overlap their left neighbour are left out.
    void setXTicks(std::vector<double> ticks, QStringList labels)
    {
        m_xTicks = std::move(ticks);
        m_xTickLabels = std::move(labels);
    }
    // Legend entries that would run past the right edge start a new row and the plot moves
    // down a row's height (off by default: one row, as wide as it gets).
    void setLegendWraps(bool wraps) { m_legendWraps = wraps; }

private:
    struct LegendEntry {
        QString name;
        QString color;
    };
    bool hasData() const;

    QString m_title;
    QString m_subtitle;
    QString m_xLabel;
    QString m_yLabel;
    QString m_emptyText = QStringLiteral("no data");
    std::optional<std::pair<double, double>> m_xRange;
    std::optional<std::pair<double, double>> m_yRange;
    std::vector<Line> m_lines;
    std::vector<Bar> m_bars;
    QString m_barsName;
    std::vector<LegendEntry> m_extraLegend;
    std::vector<Marker> m_markers;
    struct DotSeries {
        QString name;
        QString color;
        std::vector<Dot> dots;
    };
    std::vector<Band> m_bands;
    std::vector<DotSeries> m_dots;
    QStringList m_xCategories;
    std::vector<double> m_xTicks;
    QStringList m_xTickLabels;
    bool m_legendWraps = false;
};

// Escapes &, <, >, " and ' for SVG/HTML text and attribute values.
QString xmlEscape(const QString& text);

} // namespace otalab::sim
