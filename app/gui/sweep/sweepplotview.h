// SPDX-License-Identifier: Apache-2.0
// SweepPlotView: a sweep's metric against one parameter (mean line, p5–p95 band across
// seeds), or its heat map over two parameters.
#pragma once

#include "sweep/sweepcontroller.h"

#include <QWidget>

#include <memory>
#include <vector>

class QAreaSeries;
class QChart;
class QChartView;
class QLineSeries;
class QStackedWidget;

namespace otalab::app {

class SweepHeatMap;

// GUI thread. Kind Line: Qt Charts, `axis` on x (numbers on a value axis, anything else
// as evenly spaced categories), the metric's mean across seeds as a line with markers
// and its p5–p95 band as a QAreaSeries under it, one line + band per combination of the
// other axes' values (at most kMaxLines; the title says how many were left out). Kind
// HeatMap: SweepHeatMap over `axis` × `secondAxis`. A click on a line, band or cell
// emits pointClicked(pointIndex) for the point nearest the click.
class SweepPlotView final : public QWidget {
    Q_OBJECT
public:
    enum class Kind { Line, HeatMap };
    static constexpr int kMaxLines = 8;

    explicit SweepPlotView(QWidget* parent = nullptr);

    void setFolder(std::shared_ptr<const SweepFolder> folder);
    void setMetric(sim::SweepMetric metric);
    void setAxis(int axis);
    void setSecondAxis(int axis);
    void setKind(Kind kind);
    // All four at once (one rebuild).
    void setPlot(Kind kind, int axis, int secondAxis, sim::SweepMetric metric);
    Kind kind() const { return m_kind; }
    sim::SweepMetric metric() const { return m_metric; }
    int axis() const { return m_axis; }
    int secondAxis() const { return m_secondAxis; }

    QChart* chart() const { return m_chart; }
    QChartView* chartView() const { return m_view; }
    SweepHeatMap* heatMap() const { return m_heatMap; }
    // The line plot's lines and bands, one per combination of the other axes, in order.
    struct Line {
        QString label;                // "redundancyPercent=20" ("" with one axis)
        QLineSeries* mean = nullptr;
        QAreaSeries* band = nullptr;  // upper = p95, lower = p5
        std::vector<int> points;      // point index of each x, in the series' order
    };
    const std::vector<Line>& lines() const { return m_lines; }
    // The point on `line` whose x is nearest `x` (-1 for an empty line).
    int pointNear(int line, double x) const;

Q_SIGNALS:
    void pointClicked(int pointIndex);

private:
    void rebuild();
    void rebuildLines();

    std::shared_ptr<const SweepFolder> m_folder;
    sim::SweepMetric m_metric = sim::SweepMetric::P95S;
    int m_axis = 0;
    int m_secondAxis = 1;
    Kind m_kind = Kind::Line;
    QStackedWidget* m_stack = nullptr;
    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    SweepHeatMap* m_heatMap = nullptr;
    std::vector<Line> m_lines;
};

} // namespace otalab::app
