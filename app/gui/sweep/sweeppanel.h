// SPDX-License-Identifier: Apache-2.0
// SweepPanel: an opened sweep folder — its status, the plot and the table of runs or points.
#pragma once

#include "sweep/sweepcontroller.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace otalab::app {

class SweepPlotView;
class SweepTableModel;

// GUI thread. Shows its controller()'s folder: a title line (folder, scenario, axes ×
// seeds), the status line ("60 runs: 58 done, 2 failed, 0 missing"), combo boxes for the
// metric, the plot (metric against one axis, or heat map over two) and the table (one
// row per run, or per parameter point), the plot above the sortable table. A run is
// asked for (runRequested(index, DIR/runs/NNNNNN), then controller()->requestRun()) by
// activating a table row (double click or Enter; a point row: its first ok seed),
// "Open in Compare" on the selected row, or a click on a plot point or heat-map cell
// (that point's first ok seed). Until a sweep is open it says how to make one.
class SweepPanel final : public QWidget {
    Q_OBJECT
public:
    explicit SweepPanel(QWidget* parent = nullptr);
    ~SweepPanel() override;

    SweepController* controller() const { return m_controller; }
    SweepTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    SweepPlotView* plot() const { return m_plot; }
    QComboBox* metricBox() const { return m_metric; }
    QComboBox* axisBox() const { return m_axis; }
    QComboBox* secondAxisBox() const { return m_secondAxis; }
    QComboBox* plotKindBox() const { return m_plotKind; }
    QComboBox* tableModeBox() const { return m_tableMode; }
    QLabel* statusLabel() const { return m_status; }
    QLabel* titleLabel() const { return m_title; }
    QPushButton* compareButton() const { return m_compare; }

    // Asks for run `index` (what a click does): runRequested, then the controller reads it.
    void requestRun(int index);
    // The run of a table row as shown (after sorting), -1 for none.
    int runOfViewRow(int viewRow) const;

Q_SIGNALS:
    void runRequested(int index, const QString& runDir);

private:
    void showFolder();
    void syncBoxes();
    void metricChosen();
    void axesChosen();

    SweepController* m_controller = nullptr;
    SweepTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_placeholder = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_reload = nullptr;
    QPushButton* m_compare = nullptr;
    QComboBox* m_metric = nullptr;
    QComboBox* m_plotKind = nullptr;
    QComboBox* m_axis = nullptr;
    QLabel* m_secondAxisLabel = nullptr;
    QComboBox* m_secondAxis = nullptr;
    QComboBox* m_tableMode = nullptr;
    QSplitter* m_splitter = nullptr;
    SweepPlotView* m_plot = nullptr;
    QTableView* m_table = nullptr;
    bool m_syncing = false;
};

} // namespace otalab::app
