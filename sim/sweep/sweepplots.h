// SPDX-License-Identifier: Apache-2.0
// Sweep plots: a metric against one parameter with a band across seeds, a heat map over two
// parameters, and the self-contained sweep.html page.
#pragma once

#include "core/common/error.h"
#include "sim/sweep/sweepmerge.h"

#include <QString>
#include <QStringList>

namespace otalab::sim {

// Metric against the values of axis `axis` (x): the mean line with the p5–p95 band across
// seeds, one line per value of the other axes when there are two or more (at most 8 lines;
// beyond that the first 8 and a note). Numeric axes on a linear x axis; other values as
// evenly spaced categories. Complete SVG document (SvgChart conventions, 800 × 450).
QString sweepLinePlotSvg(const SweepPlan& plan, const std::vector<SweepPointSummary>& summary, int axis,
                         SweepMetric metric);

// Heat map of the metric's mean over axes `xAxis` × `yAxis` (other axes, if any, at their
// first value, said in the subtitle): one cell per point with its value written in it,
// a colour scale with its legend, empty cells marked "no run". Complete SVG document.
QString sweepHeatMapSvg(const SweepPlan& plan, const std::vector<SweepPointSummary>& summary, int xAxis, int yAxis,
                        SweepMetric metric);

// The metrics plotted by default: UpgradedPct, P95S, UpdateEnergyJMean, EndS.
QList<SweepMetric> defaultSweepPlotMetrics();

// Writes DIR/sweep-<metric>-vs-<axis label>.svg for every axis and default metric, the heat
// maps DIR/sweep-<metric>-heatmap.svg when there are two or more axes (first two), and
// DIR/sweep.html: the sweep's parameters, progress (done/failed/missing), the plots inline,
// the summary table and the failed runs with their parameters and errors; no external
// references. Returns the paths written.
Result<QStringList> writeSweepPlots(const SweepPlan& plan, const SweepTable& table,
                                    const std::vector<SweepPointSummary>& summary, const QString& sweepDir);

} // namespace otalab::sim
