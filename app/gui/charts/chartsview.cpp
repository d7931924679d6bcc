// SPDX-License-Identifier: Apache-2.0
#include "charts/chartsview.h"

#include "charts/chartscontroller.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGraphicsLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>
#include <QVBoxLayout>

namespace otalab::app {

namespace {

QChart* makeChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

QValueAxis* makeValueAxis(const QString& title, const char* format)
{
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(QString::fromLatin1(format));
    axis->setRange(0, 1);
    return axis;
}

QLineSeries* makeLine(QChart* chart, const QString& name, const QColor& color, QValueAxis* x, QValueAxis* y)
{
    auto* series = new QLineSeries;
    series->setName(name);
    QPen pen(color);
    pen.setWidthF(2);
    series->setPen(pen);
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    return series;
}

QChartView* makeView(QChart* chart)
{
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(320, 220);
    return view;
}

// Setters that leave the chart alone when nothing changes: every change of a title,
// label format or range makes QChart lay itself out again (text measuring, axis
// geometry), which costs milliseconds per chart on the GUI thread.
void setTitle(QChart* chart, const QString& title)
{
    if (chart->title() != title)
        chart->setTitle(title);
}

void setAxisTitle(QAbstractAxis* axis, const QString& title)
{
    if (axis->titleText() != title)
        axis->setTitleText(title);
}

// QChart puts a new title, axis title or tick labels on screen only in its layout pass,
// which it posts to the event loop: anything painted or grabbed before that pass shows
// the new texts at the old geometry mixed with the old texts (the ghost titles and ticks
// seen after a resize or another scenario), and the pass then moves items the view has
// already painted. Lay the chart out at once instead, so every paint sees one set.
void layOutNow(QChart* chart)
{
    if (QGraphicsLayout* legend = chart->legend()->layout())
        legend->activate();  // markers of new bar sets or series
    if (QGraphicsLayout* layout = chart->layout())
        layout->activate();
}

} // namespace

void ChartsView::setNiceRange(QValueAxis* axis, double max, int tickCount, AxisInput& applied)
{
    if (applied.max == max && applied.ticks == tickCount)
        return;  // applyNiceNumbers() would give the same range again
    applied.max = max;
    applied.ticks = tickCount;
    axis->setTickCount(tickCount);
    axis->setRange(0, max);
    axis->applyNiceNumbers();
}

void ChartsView::setTimeRange(QValueAxis* axis, double max, const QString& unit, AxisInput& applied)
{
    setNiceRange(axis, max, 6, applied);
    setAxisTitle(axis, QStringLiteral("virtual time (%1)").arg(unit));
}

ChartsView::ChartsView(QWidget* parent) : QWidget(parent)
{
    // Fleet progress
    m_progress = makeChart(QStringLiteral("Fleet progress"));
    m_progressX = makeValueAxis(QStringLiteral("virtual time (s)"), "%.4g");
    m_progressY = makeValueAxis(QStringLiteral("devices"), "%d");
    m_progress->addAxis(m_progressX, Qt::AlignBottom);
    m_progress->addAxis(m_progressY, Qt::AlignLeft);
    m_lines[0] = makeLine(m_progress, QStringLiteral("upgraded"), labNodeStateColor(LabNodeState::Upgraded), m_progressX, m_progressY);
    m_lines[1] = makeLine(m_progress, QStringLiteral("downloading"), labNodeStateColor(LabNodeState::Downloading), m_progressX, m_progressY);
    m_lines[2] = makeLine(m_progress, QStringLiteral("failed"), labNodeStateColor(LabNodeState::Failed), m_progressX, m_progressY);

    // Completion-time CDF
    m_cdf = makeChart(QStringLiteral("Completion time"));
    m_cdfX = makeValueAxis(QStringLiteral("virtual time (s)"), "%.4g");
    m_cdfY = makeValueAxis(QStringLiteral("devices upgraded (%)"), "%d");
    m_cdfY->setRange(0, 100);
    m_cdfY->setTickCount(6);
    m_cdf->addAxis(m_cdfX, Qt::AlignBottom);
    m_cdf->addAxis(m_cdfY, Qt::AlignLeft);
    m_cdfLine = makeLine(m_cdf, QStringLiteral("upgraded (cumulative)"), labNodeStateColor(LabNodeState::Upgraded), m_cdfX, m_cdfY);
    m_cdf->legend()->hide();

    // Energy per device
    m_energy = makeChart(QStringLiteral("Energy per device"));
    m_bars = new QStackedBarSeries;
    m_bars->setBarWidth(0.9);
    m_energy->addSeries(m_bars);
    m_energyX = new QBarCategoryAxis;
    m_energyY = makeValueAxis(QStringLiteral("update energy (J)"), "%.3g");
    m_energy->addAxis(m_energyX, Qt::AlignBottom);
    m_energy->addAxis(m_energyY, Qt::AlignLeft);
    m_bars->attachAxis(m_energyX);
    m_bars->attachAxis(m_energyY);

    // Channel utilisation
    m_util = makeChart(QStringLiteral("Channel utilisation (all transmitters summed)"));
    m_utilX = makeValueAxis(QStringLiteral("virtual time (s)"), "%.4g");
    m_utilY = makeValueAxis(QStringLiteral("air time (% of sample interval)"), "%.3g");
    m_util->addAxis(m_utilX, Qt::AlignBottom);
    m_util->addAxis(m_utilY, Qt::AlignLeft);
    m_utilLine = makeLine(m_util, QStringLiteral("channel busy"), QColor(0x6a, 0x4c, 0x93), m_utilX, m_utilY);
    m_util->legend()->hide();

    m_metricBox = new QComboBox;
    m_metricBox->addItem(QStringLiteral("Update energy (since download start)"), int(EnergyMetric::Update));
    m_metricBox->addItem(QStringLiteral("Energy since start of run"), int(EnergyMetric::Total));
    connect(m_metricBox, &QComboBox::currentIndexChanged, this,
            [this](int) { Q_EMIT energyMetricChanged(EnergyMetric(m_metricBox->currentData().toInt())); });

    auto* energyBox = new QWidget;
    auto* energyLayout = new QVBoxLayout(energyBox);
    energyLayout->setContentsMargins(0, 0, 0, 0);
    auto* metricRow = new QHBoxLayout;
    metricRow->setContentsMargins(8, 4, 0, 0);
    metricRow->addWidget(new QLabel(QStringLiteral("Show:")));
    metricRow->addWidget(m_metricBox);
    metricRow->addStretch();
    energyLayout->addLayout(metricRow);
    energyLayout->addWidget(makeView(m_energy), 1);

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(makeView(m_progress), 0, 0);
    grid->addWidget(makeView(m_cdf), 0, 1);
    grid->addWidget(energyBox, 1, 0);
    grid->addWidget(makeView(m_util), 1, 1);
}

ChartsView::~ChartsView() = default;

void ChartsView::applySeries(QLineSeries* series, const DecimatedSeries& data, Applied& applied)
{
    if (data.generation() == applied.generation && data.samplesAppended() == applied.samples)
        return;  // nothing new
    // One replace() for the whole (bounded, ≤ capacity) list: QXYSeries::append(list)
    // adds point by point and every pointAdded recomputes the whole line's geometry.
    series->replace(data.points());
    applied.generation = data.generation();
    applied.samples = data.samplesAppended();
}

void ChartsView::apply(const ChartsController& c)
{
    const bool seriesChanged = c.seriesRevision() != m_seriesRevision;
    const bool cdfChanged = c.cdfRevision() != m_cdfRevision;
    const bool energyChanged = c.energyRevision() != m_energyRevision;
    if (seriesChanged) {
        m_seriesRevision = c.seriesRevision();
        for (int i = 0; i < ChartsController::kLineCount; ++i)
            applySeries(m_lines[std::size_t(i)], c.progress(ChartsController::Line(i)), m_linesApplied[std::size_t(i)]);
        applySeries(m_utilLine, c.utilisation(), m_utilApplied);
        setTimeRange(m_progressX, c.timeAxisMax(), c.timeUnit().unit, m_progressXApplied);
        setTimeRange(m_utilX, c.timeAxisMax(), c.timeUnit().unit, m_utilXApplied);
        setNiceRange(m_progressY, c.progressAxisMax(), std::min(6, int(c.progressAxisMax()) + 1), m_progressYApplied);
        setNiceRange(m_utilY, c.utilisationAxisMax(), 6, m_utilYApplied);
        setTitle(m_progress, c.clients() > 0 ? QStringLiteral("Fleet progress (%1 OTA clients)").arg(c.clients())
                                             : QStringLiteral("Fleet progress"));
    }
    if (cdfChanged) {
        m_cdfRevision = c.cdfRevision();
        m_cdfLine->replace(c.cdfPoints());
        setTimeRange(m_cdfX, c.cdfAxisMax(), c.cdfUnit().unit, m_cdfXApplied);
        setTitle(m_cdf, c.cdfSummary().isEmpty() ? QStringLiteral("Completion time")
                                                 : QStringLiteral("Completion time — %1").arg(c.cdfSummary()));
    }
    if (energyChanged) {
        m_energyRevision = c.energyRevision();
        applyEnergy(c.energy());
    }
    if (seriesChanged) {
        layOutNow(m_progress);
        layOutNow(m_util);
    }
    if (cdfChanged)
        layOutNow(m_cdf);
    if (energyChanged)
        layOutNow(m_energy);
}

void ChartsView::applyEnergy(const EnergyChartModel& model)
{
    if (!model.sameShape(m_energyShape) || m_bars->count() != int(model.states.size())) {
        m_bars->clear();
        for (std::size_t s = 0; s < model.states.size(); ++s) {
            auto* set = new QBarSet(labNodeStateName(model.states[s]));
            set->setColor(labNodeStateColor(model.states[s]));
            set->setBorderColor(labNodeStateColor(model.states[s]).darker(130));
            set->append(model.values[s]);
            m_bars->append(set);
        }
        m_energyX->clear();
        m_energyX->append(model.categories);
        const bool crowded = model.categories.size() > 12;
        m_energyX->setLabelsAngle(crowded ? -90 : 0);
        m_energyX->setLabelsVisible(model.categories.size() <= 40);
    } else {
        const QList<QBarSet*> sets = m_bars->barSets();
        for (std::size_t s = 0; s < model.states.size(); ++s)
            for (qsizetype i = 0; i < model.values[s].size(); ++i)
                if (sets[qsizetype(s)]->at(i) != model.values[s][i])
                    sets[qsizetype(s)]->replace(i, model.values[s][i]);
    }
    m_energyShape = model;
    setAxisTitle(m_energyX, model.xTitle);
    setAxisTitle(m_energyY, model.yTitle);
    const QString format = model.histogram ? QStringLiteral("%d") : QStringLiteral("%.3g");
    if (m_energyY->labelFormat() != format)
        m_energyY->setLabelFormat(format);
    setNiceRange(m_energyY, model.yMax, model.histogram ? std::min(6, int(model.yMax) + 1) : 6, m_energyYApplied);
    setTitle(m_energy, model.devices > 0 ? QStringLiteral("Energy per device (%1 OTA clients)").arg(model.devices)
                                         : QStringLiteral("Energy per device"));
    if (m_energy->legend()->isVisible() != !model.states.empty())
        m_energy->legend()->setVisible(!model.states.empty());
}

} // namespace otalab::app
