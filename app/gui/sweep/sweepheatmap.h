// SPDX-License-Identifier: Apache-2.0
// SweepHeatMap: a metric's mean over two axes of a sweep, one painted cell per point.
#pragma once

#include "sweep/sweepcontroller.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

namespace otalab::app {

// GUI thread. Columns are the values of `xAxis`, rows those of `yAxis` (first value at
// the bottom); other axes stay at their first value (said in the title). Each cell is
// coloured on one scale from the lowest to the highest mean (legend on the right) and
// shows its value; a point without a value says "no run". A click on a cell emits
// pointClicked(pointIndex).
class SweepHeatMap final : public QWidget {
    Q_OBJECT
public:
    explicit SweepHeatMap(QWidget* parent = nullptr);

    void setData(std::shared_ptr<const SweepFolder> folder, int xAxis, int yAxis, sim::SweepMetric metric);

    int columns() const { return m_columns; }
    int rows() const { return m_rows; }
    // Point index of the cell (column, row from the bottom); its mean, nullopt for "no run".
    int pointOfCell(int column, int row) const;
    std::optional<double> valueOfCell(int column, int row) const;
    QRect cellRect(int column, int row) const;
    int pointAt(const QPoint& position) const;  // -1 outside the cells
    QString title() const { return m_title; }

    QSize minimumSizeHint() const override { return {320, 220}; }

Q_SIGNALS:
    void pointClicked(int pointIndex);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QRect plotRect() const;
    QColor colourOf(double value) const;

    std::shared_ptr<const SweepFolder> m_folder;
    sim::SweepMetric m_metric = sim::SweepMetric::P95S;
    int m_xAxis = 0, m_yAxis = 1;
    int m_columns = 0, m_rows = 0;
    std::vector<int> m_points;                   // row-major from the bottom row: [row * columns + column]
    std::vector<std::optional<double>> m_values; // same layout
    double m_min = 0, m_max = 0;
    QString m_title;
};

} // namespace otalab::app
