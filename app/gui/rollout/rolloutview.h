// SPDX-License-Identifier: Apache-2.0
// RolloutView: the Rollout panel's widgets — header line, abort line, the executions chart
// (Qt Charts) and the read-only executions table — drawn from a RolloutViewModel.
#pragma once

#include "rollout/rolloutviewmodel.h"

#include <QWidget>

#include <array>
#include <cstdint>
#include <vector>

class QChart;
class QChartView;
class QGraphicsSimpleTextItem;
class QLabel;
class QLineSeries;
class QTableWidget;
class QToolButton;
class QValueAxis;

namespace otalab::app {

// Which states the chart draws; the executions axis is scaled to the largest peak among
// them. Outcomes (the default): IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED
// (executionStateIsOutcome) — the 106 SUCCEEDED and 11 FAILED of 10,000 things stay
// readable. Failures: FAILED, TIMED_OUT, REJECTED alone (8 FAILED beside 992 SUCCEEDED).
// AllStates: every state that held a thing, on the fleet's scale.
enum class RolloutChartScale { Outcomes, Failures, AllStates };
// Whether `scale` draws `state` (a state that never held a thing is left out anyway).
bool rolloutChartDraws(RolloutChartScale scale, sim::rollout::ExecutionState state);

// GUI thread. apply() touches Qt Charts only when the model's revision changed; each
// series is set with one QXYSeries::replace() of its bounded (≤ kMaxPoints) point list,
// axis ranges only when their value changes (each change re-lays out the chart), and the
// chart is laid out before apply() returns (see ChartsView for why). States that never
// held a device are left out of the chart and its legend (the table lists all eight).
// Group boundaries are grey dashed verticals labelled at the top of the plot (at most
// kMaxGroupLabels labelled), the abort moment a red vertical labelled "abort"/"paused";
// the full reason is the abort line above the chart. The table of the eight states (with
// their colours) and a key under it stand for the legend. Counts hold between samples, so
// every line (states and rate) is drawn as steps: each sample's point is preceded by one at
// its x with the previous y (≤ 2 × kMaxPoints points per series). The "Outcomes | Failures
// | All states" buttons above the table switch the scale (RolloutChartScale); the table's
// rows of the states left out are greyed.
class RolloutView final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxGroupLabels = 6;

    explicit RolloutView(QWidget* parent = nullptr);
    ~RolloutView() override;

    void apply(const RolloutViewModel& model);

    RolloutChartScale scale() const { return m_scale; }
    // As the buttons do: emits scaleChanged() when it changes; the owner re-applies its
    // model (apply() redraws on a scale change even when the model's revision is the same).
    void setScale(RolloutChartScale scale);

    QChart* chart() const { return m_chart; }
    QLabel* header() const { return m_header; }
    QLabel* abortLabel() const { return m_abortLabel; }
    QTableWidget* table() const { return m_table; }
    // The red abort vertical (two points) and the group verticals, for tests.
    QLineSeries* abortSeries() const { return m_abortLine; }
    // The executions line of `state` (step points) and the executions axis, for tests.
    QLineSeries* executionSeries(sim::rollout::ExecutionState state) const { return m_lines[std::size_t(state)]; }
    QValueAxis* executionsAxis() const { return m_y; }
    QToolButton* scaleButton(RolloutChartScale scale) const { return m_scaleButtons[std::size_t(scale)]; }
    int groupMarkerCount() const { return int(m_groupLines.size()); }

Q_SIGNALS:
    void scaleChanged(otalab::app::RolloutChartScale scale);

private:
    void placeLabels();
    void setMarkers(const RolloutViewModel& model);
    void greyTableRows();

    QLabel* m_header = nullptr;
    QLabel* m_abortLabel = nullptr;
    QChart* m_chart = nullptr;
    QChartView* m_chartView = nullptr;
    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    QValueAxis* m_rateAxis = nullptr;
    std::array<QLineSeries*, sim::rollout::kExecutionStateCount> m_lines{};
    QLineSeries* m_rateLine = nullptr;
    QLineSeries* m_abortLine = nullptr;
    std::vector<QLineSeries*> m_groupLines;
    std::vector<QGraphicsSimpleTextItem*> m_groupLabels;
    QGraphicsSimpleTextItem* m_abortText = nullptr;
    std::vector<RolloutMarker> m_groupMarkers;
    std::optional<RolloutMarker> m_abortMarker;
    QTableWidget* m_table = nullptr;
    QLabel* m_key = nullptr;  // rate, group and abort line styles
    std::array<QToolButton*, 3> m_scaleButtons{};  // index = RolloutChartScale
    RolloutChartScale m_scale = RolloutChartScale::Outcomes;
    std::optional<RolloutChartScale> m_appliedScale;
    std::optional<bool> m_appliedRateShown;
    std::uint64_t m_revision = ~std::uint64_t(0);
    double m_appliedTimeMax = -1, m_appliedDevicesMax = -1, m_appliedRateMax = -1;
    QString m_appliedUnit;
};

} // namespace otalab::app
