// SPDX-License-Identifier: Apache-2.0
#include "charts/chartsview.h"

#include "charts/chartscontroller.h"

#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QTabWidget>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

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

// A line of explanation above a chart: the long wording its title and axis titles leave
// out, wrapped to the panel's width.
QLabel* makeNote(const QString& text = {})
{
    auto* note = new QLabel(text);
    note->setWordWrap(true);
    note->setContentsMargins(8, 4, 8, 0);
    note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return note;
}

// One tab page: an optional row above (note, controls) and the chart view below.
QWidget* makePage(QChartView* view, QWidget* above = nullptr)
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    if (above)
        layout->addWidget(above);
    layout->addWidget(view, 1);
    return page;
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
    m_cdfNote = makeNote();
    m_cdfNote->setToolTip(QStringLiteral("Share of the devices in the campaign running the new image by each virtual time; "
                                         "percentiles by nearest rank over the upgraded devices."));

    // Energy per device
    m_energy = makeChart(QStringLiteral("Energy per device"));
    m_bars = new QStackedBarSeries;
    m_bars->setBarWidth(0.9);
    m_energy->addSeries(m_bars);
    // A value axis with labelled positions (bar i at x = i) rather than a bar category
    // axis: only every k-th device is named when the names do not fit (see layOutEnergyLabels).
    m_energyX = new QCategoryAxis;
    m_energyX->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_energyX->setGridLineVisible(false);
    m_energyX->setRange(-0.5, 0.5);
    m_energyY = makeValueAxis(QStringLiteral("update energy (J)"), "%.3g");
    m_energy->addAxis(m_energyX, Qt::AlignBottom);
    m_energy->addAxis(m_energyY, Qt::AlignLeft);
    m_bars->attachAxis(m_energyX);
    m_bars->attachAxis(m_energyY);
    connect(m_bars, &QStackedBarSeries::hovered, this, [this](bool status, int index, QBarSet* set) {
        if (!status || !set) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(QCursor::pos(), energyToolTip(index, set));
    });
    connect(m_energy, &QChart::plotAreaChanged, this, [this] { layOutEnergyLabels(); });

    // Channel utilisation
    m_util = makeChart(QStringLiteral("Channel utilisation"));
    m_utilX = makeValueAxis(QStringLiteral("virtual time (s)"), "%.4g");
    m_utilY = makeValueAxis(QStringLiteral("air time (%)"), "%.3g");
    m_util->addAxis(m_utilX, Qt::AlignBottom);
    m_util->addAxis(m_utilY, Qt::AlignLeft);
    m_utilLine = makeLine(m_util, QStringLiteral("channel busy"), QColor(0x6a, 0x4c, 0x93), m_utilX, m_utilY);
    m_util->legend()->hide();

    m_metricBox = new QComboBox;
    m_metricBox->addItem(QStringLiteral("Update energy (since download start)"), int(EnergyMetric::Update));
    m_metricBox->addItem(QStringLiteral("Energy since start of run"), int(EnergyMetric::Total));
    connect(m_metricBox, &QComboBox::currentIndexChanged, this,
            [this](int) { Q_EMIT energyMetricChanged(EnergyMetric(m_metricBox->currentData().toInt())); });

    auto* metricRow = new QWidget;
    auto* metricLayout = new QHBoxLayout(metricRow);
    metricLayout->setContentsMargins(8, 4, 0, 0);
    metricLayout->addWidget(new QLabel(QStringLiteral("Show:")));
    metricLayout->addWidget(m_metricBox);
    auto* energyHint = new QLabel(QStringLiteral("Point at a bar for the device's name and value."));
    energyHint->setWordWrap(true);
    metricLayout->addWidget(energyHint, 1);

    // One chart per tab: each gets the whole panel, so every title and tick label is
    // whole at 1366 × 768 (a 2 × 2 grid left each chart ~320 px and cut its texts).
    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(makePage(makeView(m_progress)), QStringLiteral("Progress"));
    m_tabs->setTabToolTip(0, QStringLiteral("Devices upgraded, downloading and failed over virtual time"));
    m_tabs->addTab(makePage(makeView(m_cdf), m_cdfNote), QStringLiteral("Completion"));
    m_tabs->setTabToolTip(1, QStringLiteral("Completion-time distribution (CDF) of the devices in the campaign"));
    m_tabs->addTab(makePage(makeView(m_energy), metricRow), QStringLiteral("Energy"));
    m_tabs->setTabToolTip(2, QStringLiteral("Energy per device, sorted; a histogram for large fleets"));
    m_tabs->addTab(makePage(makeView(m_util), makeNote(QStringLiteral(
                       "Air time of all transmitters summed, in % of each sample interval "
                       "(above 100 % when links far apart transmit at the same time)."))),
                   QStringLiteral("Channel"));
    m_tabs->setTabToolTip(3, QStringLiteral("Channel utilisation over virtual time"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
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
        setTitle(m_progress, c.clients() > 0 ? QStringLiteral("Fleet progress (%1 devices)").arg(c.clients())
                                             : QStringLiteral("Fleet progress"));
    }
    if (cdfChanged) {
        m_cdfRevision = c.cdfRevision();
        m_cdfLine->replace(c.cdfPoints());
        setTimeRange(m_cdfX, c.cdfAxisMax(), c.cdfUnit().unit, m_cdfXApplied);
        // The summary (counts, p50/p90/max) is a wrapped note above the chart: as a title
        // it needs ~600 px and QChart elides it.
        m_cdfNote->setText(c.cdfSummary());
        m_cdfNote->setVisible(!c.cdfSummary().isEmpty());
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
    const bool reshaped = !model.sameShape(m_energyShape) || m_bars->count() != int(model.states.size());
    if (reshaped) {
        m_bars->clear();
        for (std::size_t s = 0; s < model.states.size(); ++s) {
            auto* set = new QBarSet(labNodeStateName(model.states[s]));
            set->setColor(labNodeStateColor(model.states[s]));
            set->setBorderColor(labNodeStateColor(model.states[s]).darker(130));
            set->append(model.values[s]);
            m_bars->append(set);
        }
        m_energyX->setRange(-0.5, std::max(0.5, double(model.categories.size()) - 0.5));
    } else {
        const QList<QBarSet*> sets = m_bars->barSets();
        for (std::size_t s = 0; s < model.states.size(); ++s)
            for (qsizetype i = 0; i < model.values[s].size(); ++i)
                if (sets[qsizetype(s)]->at(i) != model.values[s][i])
                    sets[qsizetype(s)]->replace(i, model.values[s][i]);
    }
    m_energyShape = model;
    if (reshaped)
        layOutEnergyLabels();
    setAxisTitle(m_energyX, model.xTitle);
    setAxisTitle(m_energyY, model.yTitle);
    const QString format = model.histogram ? QStringLiteral("%d") : QStringLiteral("%.3g");
    if (m_energyY->labelFormat() != format)
        m_energyY->setLabelFormat(format);
    setNiceRange(m_energyY, model.yMax, model.histogram ? std::min(6, int(model.yMax) + 1) : 6, m_energyYApplied);
    if (m_energy->legend()->isVisible() != !model.states.empty())
        m_energy->legend()->setVisible(!model.states.empty());
}

void ChartsView::layOutEnergyLabels()
{
    const QStringList& names = m_energyShape.categories;
    const auto n = names.size();
    const qreal plotWidth = m_energy->plotArea().width();
    EnergyLabels want;
    want.names = names;
    if (n > 0 && plotWidth > 0) {
        // Qt Charts gives each label (its bounding box after rotation) the axis width
        // divided by the number of labels, less padding, and elides what is wider.
        const QFontMetricsF metrics(m_energyX->labelsFont());
        qreal widest = 0;
        for (const QString& name : names)
            widest = std::max(widest, metrics.horizontalAdvance(name));
        constexpr qreal kPadding = 12;  // 2 × the axis label padding, and some air
        const qreal slot = plotWidth / qreal(n + 1);
        if (widest + kPadding <= slot) {
            want.angle = 0;
            want.every = 1;
        } else {
            // Upright names read best; turn them only when fewer than a third would show.
            const int uprightEvery = int(std::ceil((widest + kPadding) / slot));
            const int turnedEvery = int(std::ceil((metrics.height() + kPadding) / slot));
            const bool upright = uprightEvery <= 3 || uprightEvery <= turnedEvery;
            want.angle = upright ? 0 : -90;
            want.every = std::max(1, upright ? uprightEvery : turnedEvery);
        }
    }
    if (want == m_energyLabels)
        return;
    m_energyLabels = want;
    for (const QString& label : m_energyX->categoriesLabels())
        m_energyX->remove(label);
    m_energyX->setStartValue(-0.5);
    for (qsizetype i = 0; i < n; i += want.every)
        m_energyX->append(names[i], qreal(i));
    if (m_energyX->labelsAngle() != want.angle)
        m_energyX->setLabelsAngle(want.angle);
}

QString ChartsView::energyToolTip(int index, const QBarSet* set) const
{
    const EnergyChartModel& m = m_energyShape;
    if (index < 0 || index >= m.categories.size())
        return {};
    if (m.histogram)
        return QStringLiteral("%1 %2: %3 devices %4").arg(m.categories[index], m.unit).arg(set->at(index)).arg(set->label().toLower());
    return QStringLiteral("%1 · %2 %3 · %4").arg(m.categories[index]).arg(set->at(index), 0, 'g', 3).arg(m.unit, set->label().toLower());
}

} // namespace otalab::app
