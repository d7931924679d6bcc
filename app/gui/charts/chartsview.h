// SPDX-License-Identifier: Apache-2.0
// ChartsView: the four lab charts (Qt Charts) drawn from a ChartsController.
#pragma once

#include "charts/energychartmodel.h"

#include <QWidget>

#include <array>
#include <cstdint>

class QBarSet;
class QCategoryAxis;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QStackedBarSeries;
class QTabWidget;
class QValueAxis;

namespace otalab::app {

class ChartsController;
class DecimatedSeries;

// GUI thread. One chart per tab (each gets the whole panel, so titles, axis titles and
// tick labels stay whole at 1366 × 768); long wording goes to a wrapped note above the
// chart or a tooltip. The energy chart names every k-th device when the names do not fit
// (k follows the plot width), and a bar's tooltip names its device.
// apply() touches only the charts whose controller revision changed, and
// sets each line series with one QXYSeries::replace() of its bounded point list (one
// geometry update per series, not one per appended point).
// Titles, label formats and axis ranges are set only when their value changes: each
// change re-lays out the QChart, the costly part of an update. A chart that changed is
// laid out before apply() returns (QChart otherwise shows new texts only after a posted
// layout pass, and a paint or grab in between mixes old and new titles and ticks).
class ChartsView final : public QWidget {
    Q_OBJECT
public:
    explicit ChartsView(QWidget* parent = nullptr);
    ~ChartsView() override;

    void apply(const ChartsController& controller);

    QChart* progressChart() const { return m_progress; }
    QChart* cdfChart() const { return m_cdf; }
    QChart* energyChart() const { return m_energy; }
    QChart* utilisationChart() const { return m_util; }
    QComboBox* energyMetricBox() const { return m_metricBox; }
    QTabWidget* tabs() const { return m_tabs; }   // pages in the order progress, cdf, energy, utilisation
    QLabel* cdfNote() const { return m_cdfNote; } // "3 of 5 upgraded · p50 … · p90 … · max …"

Q_SIGNALS:
    void energyMetricChanged(otalab::app::EnergyMetric metric);

private:
    struct Applied {
        int generation = -1;
        std::int64_t samples = -1;
    };
    // The last (max, tick count) given to a nice-numbers axis: unchanged input, no re-layout.
    struct AxisInput {
        double max = -1;
        int ticks = -1;
    };
    static void setNiceRange(QValueAxis* axis, double max, int tickCount, AxisInput& applied);
    static void setTimeRange(QValueAxis* axis, double max, const QString& unit, AxisInput& applied);
    static void applySeries(QLineSeries* series, const DecimatedSeries& data, Applied& applied);
    void applyEnergy(const EnergyChartModel& model);
    // Names every k-th bar, upright or turned, so no label is elided at the current plot width.
    void layOutEnergyLabels();
    QString energyToolTip(int index, const QBarSet* set) const;

    struct EnergyLabels {
        QStringList names;
        int every = 1;   // name bars 0, every, 2 × every, …
        int angle = 0;
        bool operator==(const EnergyLabels&) const = default;
    };

    QChart* m_progress = nullptr;
    QChart* m_cdf = nullptr;
    QChart* m_energy = nullptr;
    QChart* m_util = nullptr;
    std::array<QLineSeries*, 3> m_lines{};
    std::array<Applied, 3> m_linesApplied{};
    QLineSeries* m_utilLine = nullptr;
    Applied m_utilApplied;
    QLineSeries* m_cdfLine = nullptr;
    QValueAxis* m_progressX = nullptr;
    QValueAxis* m_progressY = nullptr;
    QValueAxis* m_utilX = nullptr;
    QValueAxis* m_utilY = nullptr;
    QValueAxis* m_cdfX = nullptr;
    QValueAxis* m_cdfY = nullptr;
    QStackedBarSeries* m_bars = nullptr;
    QCategoryAxis* m_energyX = nullptr;
    QValueAxis* m_energyY = nullptr;
    QComboBox* m_metricBox = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_cdfNote = nullptr;
    EnergyLabels m_energyLabels{{}, 0, 0};  // nothing laid out yet
    AxisInput m_progressXApplied, m_progressYApplied, m_utilXApplied, m_utilYApplied, m_cdfXApplied, m_energyYApplied;
    EnergyChartModel m_energyShape;
    std::uint64_t m_seriesRevision = ~std::uint64_t(0);
    std::uint64_t m_cdfRevision = ~std::uint64_t(0);
    std::uint64_t m_energyRevision = ~std::uint64_t(0);
};

} // namespace otalab::app
