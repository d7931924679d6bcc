// SPDX-License-Identifier: Apache-2.0
#include "sweep/sweeppanel.h"

#include "sweep/sweepplotview.h"
#include "sweep/sweeptablemodel.h"

#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>

namespace otalab::app {

SweepPanel::SweepPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("sweepPanel"));
    m_controller = new SweepController(this);
    m_model = new SweepTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SweepTableModel::kSortRole);

    m_placeholder = new QLabel(tr("<p><b>No sweep open.</b></p>"
                                  "<p>A sweep is many runs of one scenario over a grid of parameters and seeds. Make one with<br>"
                                  "<code>otalab-cli sweep SCENARIO --vary server.blockSize=32,64,128 --seeds 10 --out DIR</code><br>"
                                  "then File ▸ Open sweep… (or <code>otalab --sweep DIR</code>).</p>"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_title = new QLabel;
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("sweepStatus"));
    m_reload = new QPushButton(tr("Reload"));
    m_reload->setToolTip(tr("Read the folder again (runs finished since it was opened)"));
    m_compare = new QPushButton(tr("Open in Compare"));
    m_compare->setToolTip(tr("Keep the selected run for Compare runs (double click a row, or click a plot point)"));

    m_metric = new QComboBox;
    for (int m = 0; m < sim::kSweepMetricCount; ++m)
        m_metric->addItem(sweepMetricTitle(sim::SweepMetric(m)), m);
    m_metric->setCurrentIndex(int(sim::SweepMetric::P95S));
    m_metric->setMaxVisibleItems(sim::kSweepMetricCount);
    m_plotKind = new QComboBox;
    m_plotKind->addItem(tr("against a parameter"), int(SweepPlotView::Kind::Line));
    m_plotKind->addItem(tr("heat map"), int(SweepPlotView::Kind::HeatMap));
    m_axis = new QComboBox;
    m_secondAxis = new QComboBox;
    m_secondAxisLabel = new QLabel(tr("and"));
    m_tableMode = new QComboBox;
    m_tableMode->addItem(tr("one row per run"), int(SweepTableModel::Mode::Runs));
    m_tableMode->addItem(tr("one row per point (across seeds)"), int(SweepTableModel::Mode::Points));

    auto* head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_status);
    head->addWidget(m_reload);
    head->addWidget(m_compare);
    auto* choices = new QHBoxLayout;
    choices->addWidget(new QLabel(tr("Metric")));
    choices->addWidget(m_metric);
    choices->addSpacing(12);
    choices->addWidget(new QLabel(tr("Plot")));
    choices->addWidget(m_plotKind);
    choices->addWidget(m_axis);
    choices->addWidget(m_secondAxisLabel);
    choices->addWidget(m_secondAxis);
    choices->addStretch(1);
    choices->addWidget(new QLabel(tr("Table")));
    choices->addWidget(m_tableMode);

    m_plot = new SweepPlotView;
    m_table = new QTableView;
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);  // plan order until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setMinimumHeight(120);

    m_splitter = new QSplitter(Qt::Vertical);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_plot);
    m_splitter->addWidget(m_table);
    m_splitter->setStretchFactor(0, 5);
    m_splitter->setStretchFactor(1, 4);
    m_splitter->setSizes({560, 440});  // proportions: the table keeps ~8 rows at 1366×768

    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(head);
    contentLayout->addLayout(choices);
    contentLayout->addWidget(m_splitter, 1);

    m_pages = new QStackedWidget;
    m_pages->addWidget(m_placeholder);
    m_pages->addWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);

    connect(m_controller, &SweepController::opened, this, &SweepPanel::showFolder);
    connect(m_controller, &SweepController::loadingChanged, this, [this](bool loading) {
        m_reload->setEnabled(!loading);
        if (loading)
            m_status->setText(tr("Reading the sweep…"));
        else if (m_controller->folder())
            m_status->setText(m_controller->folder()->statusText());
    });
    connect(m_reload, &QPushButton::clicked, m_controller, &SweepController::reload);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &SweepPanel::metricChosen);
    for (QComboBox* box : {m_plotKind, m_axis, m_secondAxis})
        connect(box, &QComboBox::currentIndexChanged, this, &SweepPanel::axesChosen);
    connect(m_tableMode, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setMode(SweepTableModel::Mode(m_tableMode->currentData().toInt()));
        m_table->resizeColumnsToContents();
    });
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        if (const int run = runOfViewRow(index.row()); run >= 0)
            requestRun(run);
    });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (const int run = current.isValid() ? runOfViewRow(current.row()) : -1; run >= 0)
            requestRun(run);
    });
    connect(m_plot, &SweepPlotView::pointClicked, this, [this](int point) {
        if (!m_controller->folder())
            return;
        if (const int run = m_controller->folder()->firstRunOfPoint(point); run >= 0)
            requestRun(run);
    });
    syncBoxes();
}

SweepPanel::~SweepPanel() = default;

int SweepPanel::runOfViewRow(int viewRow) const
{
    const QModelIndex source = m_proxy->mapToSource(m_proxy->index(viewRow, 0));
    return source.isValid() ? m_model->runOfRow(source.row()) : -1;
}

void SweepPanel::requestRun(int index)
{
    const auto& folder = m_controller->folder();
    if (!folder || index < 0 || index >= folder->runCount())
        return;
    Q_EMIT runRequested(index, sim::sweepRunDir(folder->dir, index));
    m_controller->requestRun(index);
}

void SweepPanel::showFolder()
{
    const auto& folder = m_controller->folder();
    if (!folder)
        return;
    m_pages->setCurrentIndex(1);
    const auto& plan = folder->plan;
    QStringList axes;
    for (const sim::SweepAxis& a : plan.axes)
        axes.append(QStringLiteral("%1 (%2)").arg(a.label()).arg(a.values.size()));
    const QString scenario = plan.scenario.value(QStringLiteral("name")).toString();
    m_title->setText(tr("<b>%1</b> — %2: %3%4 seeds")
                         .arg(QDir::toNativeSeparators(folder->dir).toHtmlEscaped(),
                              (scenario.isEmpty() ? QFileInfo(plan.scenarioPath).fileName() : scenario).toHtmlEscaped(),
                              axes.isEmpty() ? QString() : axes.join(QStringLiteral(" × ")).toHtmlEscaped() + QStringLiteral(" × "))
                         .arg(plan.seeds.size()));
    m_title->setToolTip(QStringLiteral("%1\n%2").arg(QDir::toNativeSeparators(folder->dir), plan.scenarioPath));
    m_status->setText(folder->statusText());
    m_model->setFolder(folder);
    syncBoxes();
    m_plot->setFolder(folder);  // keeps its axes when they still exist
    axesChosen();
    m_table->resizeColumnsToContents();
}

void SweepPanel::syncBoxes()
{
    m_syncing = true;
    const auto& folder = m_controller->folder();
    const int axes = folder ? int(folder->plan.axes.size()) : 0;
    for (QComboBox* box : {m_axis, m_secondAxis}) {
        const QSignalBlocker block(box);
        const int previous = box->currentIndex();
        box->clear();
        for (int a = 0; a < axes; ++a)
            box->addItem(folder->plan.axes[a].label(), a);
        box->setCurrentIndex(std::clamp(previous, 0, axes - 1));
    }
    if (axes > 1 && m_secondAxis->currentIndex() == m_axis->currentIndex()) {
        const QSignalBlocker block(m_secondAxis);
        m_secondAxis->setCurrentIndex(m_axis->currentIndex() == 0 ? 1 : 0);
    }
    {
        const QSignalBlocker block(m_plotKind);
        if (axes < 2)
            m_plotKind->setCurrentIndex(0);
        m_plotKind->setEnabled(axes >= 2);
    }
    const bool heat = m_plotKind->currentIndex() == 1;
    m_secondAxis->setVisible(heat);
    m_secondAxisLabel->setVisible(heat);
    m_axis->setEnabled(axes > 0);
    m_syncing = false;
    const auto metric = sim::SweepMetric(m_metric->currentData().toInt());
    m_model->setFocusMetric(metric);
}

void SweepPanel::metricChosen()
{
    const auto metric = sim::SweepMetric(m_metric->currentData().toInt());
    m_model->setFocusMetric(metric);
    m_plot->setMetric(metric);
    if (m_model->mode() == SweepTableModel::Mode::Points)
        m_table->resizeColumnsToContents();  // the statistics columns got new titles
}

void SweepPanel::axesChosen()
{
    if (m_syncing)
        return;
    if (m_controller->folder() && m_controller->folder()->plan.axes.size() > 1
        && m_secondAxis->currentIndex() == m_axis->currentIndex()) {
        // x and y must differ: move the other box.
        QComboBox* changed = sender() == m_secondAxis ? m_secondAxis : m_axis;
        QComboBox* other = changed == m_axis ? m_secondAxis : m_axis;
        const QSignalBlocker block(other);
        other->setCurrentIndex(changed->currentIndex() == 0 ? 1 : 0);
    }
    const bool heat = m_plotKind->currentIndex() == 1;
    m_secondAxis->setVisible(heat);
    m_secondAxisLabel->setVisible(heat);
    m_plot->setPlot(SweepPlotView::Kind(m_plotKind->currentData().toInt()), std::max(0, m_axis->currentIndex()),
                    std::max(0, m_secondAxis->currentIndex()), sim::SweepMetric(m_metric->currentData().toInt()));
}

} // namespace otalab::app
