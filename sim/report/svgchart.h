// SPDX-License-Identifier: Apache-2.0
// SvgChart: a standalone SVG line/bar chart written as text (no Qt Charts, no widgets).
#pragma once

#include <QPointF>
#include <QString>

#include <optional>
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
};

// Escapes &, <, >, " and ' for SVG/HTML text and attribute values.
QString xmlEscape(const QString& text);

} // namespace otalab::sim
