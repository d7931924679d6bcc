// SPDX-License-Identifier: Apache-2.0
// SweepTableModel: a sweep folder as a table — one row per run, or one per parameter point.
#pragma once

#include "sweep/sweepcontroller.h"

#include <QAbstractTableModel>

#include <memory>

namespace otalab::app {

// "p95 (s)", "upgraded (%)", "update energy mean (J)", "devices": a metric's column title.
QString sweepMetricTitle(sim::SweepMetric metric);
// A metric value as the table shows it: counts whole, others to 4 significant digits.
QString sweepMetricText(sim::SweepMetric metric, double value);

// GUI thread. Mode Runs: one row per run of the plan (missing ones too), columns
//   run | <axis label>… | seed | status ("ok", "failed: <error>", "missing") | <metric>…
// Mode Points: one row per parameter point, columns
//   <axis label>… | runs | failed | <focus metric> mean, p5, p50, p95, 95 % CI | <metric> mean…
// (the focus metric's statistics across seeds, then every metric's mean).
// Qt::DisplayRole is text; kSortRole the number (or text) to sort by; tool tips give
// the error or the full statistics.
class SweepTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Mode { Runs, Points };
    static constexpr int kSortRole = Qt::UserRole + 1;

    explicit SweepTableModel(QObject* parent = nullptr);

    void setFolder(std::shared_ptr<const SweepFolder> folder);
    const std::shared_ptr<const SweepFolder>& folder() const { return m_folder; }
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    void setFocusMetric(sim::SweepMetric metric);
    sim::SweepMetric focusMetric() const { return m_focus; }

    // The run a row stands for: the run (Runs), the point's first ok run (Points); -1 if none.
    int runOfRow(int row) const;
    // The column of `metric` (Runs: its value; Points: its mean), -1 without a folder.
    int metricColumn(sim::SweepMetric metric) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int axisCount() const;
    QVariant runData(int row, int column, int role) const;
    QVariant pointData(int row, int column, int role) const;

    std::shared_ptr<const SweepFolder> m_folder;
    Mode m_mode = Mode::Runs;
    sim::SweepMetric m_focus = sim::SweepMetric::P95S;
};

} // namespace otalab::app
