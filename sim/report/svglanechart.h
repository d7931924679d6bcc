// SPDX-License-Identifier: Apache-2.0
// SvgLaneChart: horizontal bars on named lanes (a Gantt chart, stacked bars per item) as standalone SVG.
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace otalab::sim {

// The companion of SvgChart for categorical rows: a title, a subtitle, a legend, one lane
// per distinct Bar::lane (top to bottom in order of first appearance), a numeric x axis
// with ticks and grid lines, and labelled vertical markers. Bars of one lane that overlap
// in x are stacked on rows of their own within the lane (first fit, in insertion order);
// bars that touch end to end share a row (stacked bars of one item). Every series is a
// <g class="series" data-name="…"> holding its bars, so tests and scripts can find it.
// toSvg() returns a complete, well-formed SVG 1.1 document (UTF-8, no external
// references), kWidth user units wide and height() high (taller with more rows).
// Value type; not thread-safe.
class SvgLaneChart {
public:
    struct Bar {
        QString lane;
        double x0 = 0;
        double x1 = 0;
        QString series;          // the <g class="series"> it belongs to
        QString color;           // CSS colour
        QString label;           // inside the bar when it fits, else beside it; may be empty
        QString tooltip;         // <title> of the bar
        bool labelAfter = false; // always right of the bar (a stacked bar's total)
    };
    struct Marker {
        double x = 0;
        QString label;
        QString color;
    };

    SvgLaneChart(QString title, QString xLabel);

    void setSubtitle(const QString& subtitle) { m_subtitle = subtitle; }
    void setXRange(double min, double max) { m_xRange = {min, max}; }
    void setEmptyText(const QString& text) { m_emptyText = text; }  // shown when there is no bar

    void addBar(Bar bar) { m_bars.push_back(std::move(bar)); }
    void addLegendEntry(const QString& name, const QString& color) { m_legend.push_back({name, color}); }
    void addMarker(Marker marker) { m_markers.push_back(std::move(marker)); }

    QStringList lanes() const;   // in drawing order
    int height() const;
    QString toSvg() const;

    static constexpr int kWidth = 800;

private:
    struct LegendEntry {
        QString name;
        QString color;
    };
    struct Layout;
    Layout layout() const;

    QString m_title;
    QString m_subtitle;
    QString m_xLabel;
    QString m_emptyText = QStringLiteral("no data");
    std::optional<std::pair<double, double>> m_xRange;
    std::vector<Bar> m_bars;
    std::vector<LegendEntry> m_legend;
    std::vector<Marker> m_markers;
};

} // namespace otalab::sim
