// SPDX-License-Identifier: Apache-2.0
#include "rollout/rolloutview.h"

#include <QChart>
#include <QCoreApplication>
#include <QChartView>
#include <QGraphicsLayout>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QPixmap>
#include <QTableWidget>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace otalab::app {

namespace {

using sim::rollout::ExecutionState;
using sim::rollout::kExecutionStateCount;

const QColor kGroupColor(0x7a, 0x7a, 0x7a);
const QColor kAbortColor(0xd1, 0x2f, 0x2f);

QValueAxis* makeAxis(const QString& title, const char* format)
{
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(QString::fromLatin1(format));
    axis->setRange(0, 1);
    return axis;
}

QLineSeries* makeLine(QChart* chart, const QString& name, QPen pen, QValueAxis* x, QValueAxis* y)
{
    auto* series = new QLineSeries;
    series->setName(name);
    series->setPen(pen);
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    return series;
}

// The nice-numbers range for (max, ticks), set only when it changes (a change re-lays out the chart).
void setNice(QValueAxis* axis, double max, int ticks, double& applied)
{
    if (applied == max)
        return;
    applied = max;
    axis->setTickCount(ticks);
    axis->setRange(0, max);
    axis->applyNiceNumbers();
}

// Counts hold between samples: each point is preceded by one at its x with the previous
// y (only where y changes), so a line is a staircase and not a slope across an abort.
QList<QPointF> stepPoints(const QList<QPointF>& points)
{
    QList<QPointF> steps;
    steps.reserve(points.size() * 2);
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (i > 0 && points[i].y() != points[i - 1].y())
            steps.append(QPointF(points[i].x(), points[i - 1].y()));
        steps.append(points[i]);
    }
    return steps;
}

// The key under the table; the rate line only for a job that has a rate.
QString keyText(bool rate)
{
    const QString lines = QCoreApplication::translate("RolloutView", "<span style='color:%1'>&#x2506;</span> group / wave start<br>"
                                                                     "<span style='color:%2'>&#x2502;</span> abort or pause")
                              .arg(kGroupColor.name(), kAbortColor.name());
    if (!rate)
        return lines;
    return QCoreApplication::translate("RolloutView", "<span style='color:%1'>- - -</span> rate /min, right axis<br>").arg(rolloutRateColor().name())
           + lines;
}

QToolButton* makeScaleButton(const QString& text, const QString& tip)
{
    auto* button = new QToolButton;
    button->setText(text);
    button->setToolTip(tip);
    button->setCheckable(true);
    button->setAutoExclusive(true);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return button;
}

} // namespace

bool rolloutChartDraws(RolloutChartScale scale, ExecutionState state)
{
    switch (scale) {
    case RolloutChartScale::Outcomes: return executionStateIsOutcome(state);
    case RolloutChartScale::Failures: return executionStateIsFailure(state);
    case RolloutChartScale::AllStates: return true;
    }
    return true;
}

namespace {

QLabel* makeNote()
{
    auto* label = new QLabel;
    label->setWordWrap(true);
    label->setContentsMargins(8, 4, 8, 0);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

RolloutView::RolloutView(QWidget* parent) : QWidget(parent)
{
    m_header = makeNote();
    m_header->setObjectName(QStringLiteral("rolloutHeader"));
    m_abortLabel = makeNote();
    m_abortLabel->setObjectName(QStringLiteral("rolloutAbort"));
    m_abortLabel->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(kAbortColor.name()));
    m_abortLabel->hide();

    m_chart = new QChart;
    m_chart->setTitle(tr("Job executions"));
    // The table beside the chart is its legend (a swatch per state): at 600 px the eight
    // states, the rate and the markers would not fit in a Qt Charts legend uncut.
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_x = makeAxis(tr("virtual time (s)"), "%.4g");
    m_y = makeAxis(tr("executions"), "%d");
    m_rateAxis = makeAxis(tr("notifications / min"), "%.4g");
    m_rateAxis->setGridLineVisible(false);  // its ticks rarely meet the executions axis's: one grid, the left one
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_chart->addAxis(m_rateAxis, Qt::AlignRight);
    for (int i = 0; i < kExecutionStateCount; ++i) {
        const auto state = ExecutionState(i);
        QPen pen(executionStateColor(state));
        pen.setWidthF(state == ExecutionState::Succeeded || state == ExecutionState::Failed ? 2.5 : 2);
        m_lines[std::size_t(i)] = makeLine(m_chart, sim::rollout::executionStateWords(state), pen, m_x, m_y);
        m_lines[std::size_t(i)]->setVisible(state == ExecutionState::Queued);
    }
    QPen ratePen(rolloutRateColor());
    ratePen.setWidthF(1.5);
    ratePen.setStyle(Qt::DashLine);
    m_rateLine = makeLine(m_chart, tr("rate /min"), ratePen, m_x, m_rateAxis);
    QPen abortPen(kAbortColor);
    abortPen.setWidthF(2);
    m_abortLine = makeLine(m_chart, tr("abort"), abortPen, m_x, m_y);
    m_abortLine->setVisible(false);
    m_abortText = new QGraphicsSimpleTextItem(m_chart);
    m_abortText->setBrush(kAbortColor);
    m_abortText->hide();
    connect(m_chart, &QChart::plotAreaChanged, this, [this] { placeLabels(); });

    m_chartView = new QChartView(m_chart);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumSize(320, 220);

    m_table = new QTableWidget(kExecutionStateCount, 2);
    m_table->setObjectName(QStringLiteral("rolloutExecutionsTable"));
    m_table->setHorizontalHeaderLabels({tr("Execution state"), tr("Things")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->setToolTip(tr("Executions per AWS IoT Jobs state now (after the run: at its end); never notified things count as QUEUED"));
    for (int i = 0; i < kExecutionStateCount; ++i) {
        const auto state = ExecutionState(i);
        QPixmap swatch(12, 12);
        swatch.fill(executionStateColor(state));
        auto* name = new QTableWidgetItem(QIcon(swatch), sim::rollout::executionStateName(state));
        name->setToolTip(sim::rollout::executionStateWords(state));
        m_table->setItem(i, 0, name);
        auto* count = new QTableWidgetItem(QStringLiteral("0"));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(i, 1, count);
    }
    m_table->resizeColumnsToContents();
    m_table->resizeRowsToContents();
    int tableWidth = m_table->frameWidth() * 2 + 8;
    for (int c = 0; c < 2; ++c)
        tableWidth += m_table->columnWidth(c);
    m_table->setFixedWidth(std::max(tableWidth + 40, 200));
    int tableHeight = m_table->frameWidth() * 2 + m_table->horizontalHeader()->sizeHint().height();
    for (int r = 0; r < kExecutionStateCount; ++r)
        tableHeight += m_table->rowHeight(r);
    m_table->setFixedHeight(tableHeight);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_key = new QLabel(keyText(true));
    m_key->setObjectName(QStringLiteral("rolloutKey"));
    m_key->setWordWrap(true);
    m_key->setFixedWidth(m_table->width());

    m_scaleButtons = {
        makeScaleButton(tr("Outcomes"), tr("IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT and REJECTED on their own scale "
                                           "(QUEUED, REMOVED and CANCELED count the fleet and would flatten them)")),
        makeScaleButton(tr("Failures"), tr("FAILED, TIMED_OUT and REJECTED alone, on their own scale")),
        makeScaleButton(tr("All states"), tr("Every state that held a thing, on the fleet's scale"))};
    auto* scaleRow = new QHBoxLayout;
    scaleRow->setSpacing(0);
    const char* names[] = {"rolloutOutcomesScale", "rolloutFailuresScale", "rolloutAllStatesScale"};
    for (std::size_t i = 0; i < m_scaleButtons.size(); ++i) {
        QToolButton* button = m_scaleButtons[i];
        button->setObjectName(QLatin1String(names[i]));
        connect(button, &QToolButton::toggled, this, [this, i](bool on) {
            if (on)
                setScale(RolloutChartScale(i));
        });
        scaleRow->addWidget(button);
    }
    m_scaleButtons[std::size_t(m_scale)]->setChecked(true);
    greyTableRows();

    auto* side = new QVBoxLayout;
    side->addLayout(scaleRow);
    side->addWidget(m_table);
    side->addWidget(m_key);
    side->addStretch(1);
    auto* body = new QHBoxLayout;
    body->setContentsMargins(0, 0, 4, 0);
    body->addWidget(m_chartView, 1);
    body->addLayout(side);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_header);
    layout->addWidget(m_abortLabel);
    layout->addLayout(body, 1);
}

RolloutView::~RolloutView() = default;

void RolloutView::setScale(RolloutChartScale scale)
{
    if (scale == m_scale)
        return;
    m_scale = scale;
    {
        const QSignalBlocker block(m_scaleButtons[std::size_t(scale)]);
        m_scaleButtons[std::size_t(scale)]->setChecked(true);  // auto-exclusive: the others uncheck
    }
    greyTableRows();
    Q_EMIT scaleChanged(scale);
}

void RolloutView::greyTableRows()
{
    const QBrush text = palette().brush(QPalette::Text);
    const QBrush grey = palette().brush(QPalette::Disabled, QPalette::Text);
    for (int i = 0; i < kExecutionStateCount; ++i) {
        const auto state = ExecutionState(i);
        const bool left = !rolloutChartDraws(m_scale, state);
        for (int c = 0; c < 2; ++c)
            m_table->item(i, c)->setForeground(left ? grey : text);
        m_table->item(i, 0)->setToolTip(left ? tr("%1 — not drawn at this scale (choose All states)").arg(sim::rollout::executionStateWords(state))
                                             : sim::rollout::executionStateWords(state));
    }
}

void RolloutView::apply(const RolloutViewModel& model)
{
    if (model.revision() == m_revision && m_appliedScale == m_scale)
        return;
    m_revision = model.revision();
    if (m_appliedScale != m_scale) {
        m_appliedScale = m_scale;
        m_y->setTitleText(m_scale == RolloutChartScale::Outcomes   ? tr("executions (outcomes)")
                          : m_scale == RolloutChartScale::Failures ? tr("executions (failures)")
                                                                   : tr("executions"));
    }
    int yMax = 1;
    m_header->setText(model.header());
    const QString abort = model.abortLine();
    m_abortLabel->setText(abort);
    m_abortLabel->setVisible(!abort.isEmpty());

    for (int i = 0; i < kExecutionStateCount; ++i) {
        const auto state = ExecutionState(i);
        QLineSeries* line = m_lines[std::size_t(i)];
        // Each scale's first state always (QUEUED, IN_PROGRESS, FAILED: never an empty chart),
        // the others once they held a thing.
        const ExecutionState first = m_scale == RolloutChartScale::Outcomes   ? ExecutionState::InProgress
                                     : m_scale == RolloutChartScale::Failures ? ExecutionState::Failed
                                                                              : ExecutionState::Queued;
        const bool shown = rolloutChartDraws(m_scale, state) && (model.stateShown(state) || state == first);
        if (shown)
            yMax = std::max(yMax, model.peak(state));
        if (line->isVisible() != shown)
            line->setVisible(shown);
        if (shown)
            line->replace(stepPoints(model.executions(state).points()));  // one geometry update per series
        m_table->item(i, 1)->setText(QLocale().toString(model.counts()[std::size_t(i)]));
    }
    m_rateLine->replace(stepPoints(model.rate().points()));
    if (m_appliedRateShown != model.rateShown()) {  // policies without a rate: no empty second axis
        m_appliedRateShown = model.rateShown();
        m_rateAxis->setVisible(model.rateShown());
        m_rateLine->setVisible(model.rateShown());
        m_key->setText(keyText(model.rateShown()));
    }
    const QString unit = model.timeUnit().unit;
    if (unit != m_appliedUnit) {
        m_appliedUnit = unit;
        m_x->setTitleText(tr("virtual time (%1)").arg(unit));
    }
    setNice(m_x, model.timeAxisMax(), 6, m_appliedTimeMax);
    if (m_scale == RolloutChartScale::AllStates)
        yMax = std::max(yMax, int(model.devicesAxisMax()));  // the fleet's scale, as the table's total
    setNice(m_y, yMax, std::min(6, yMax + 1), m_appliedDevicesMax);
    setNice(m_rateAxis, model.rateAxisMax(), 6, m_appliedRateMax);
    setMarkers(model);
    if (QGraphicsLayout* layout = m_chart->layout())
        layout->activate();
    placeLabels();
}

void RolloutView::setMarkers(const RolloutViewModel& model)
{
    const double top = m_y->max();
    {
        m_groupMarkers = model.groupMarkers();
        while (m_groupLines.size() < m_groupMarkers.size()) {
            QPen pen(kGroupColor);
            pen.setStyle(Qt::DashLine);
            pen.setWidthF(1);
            QLineSeries* line = makeLine(m_chart, tr("group"), pen, m_x, m_y);
            m_groupLines.push_back(line);
            auto* text = new QGraphicsSimpleTextItem(m_chart);
            text->setBrush(kGroupColor.darker(130));
            m_groupLabels.push_back(text);
        }
        for (std::size_t i = 0; i < m_groupLines.size(); ++i) {
            const bool used = i < m_groupMarkers.size();
            m_groupLines[i]->setVisible(used);
            if (used) {
                const double x = m_groupMarkers[i].x;
                m_groupLines[i]->replace({QPointF(x, 0), QPointF(x, top)});
                m_groupLabels[i]->setText(int(i) < kMaxGroupLabels ? m_groupMarkers[i].label : QString());
            }
            m_groupLabels[i]->setVisible(used && int(i) < kMaxGroupLabels);  // placeLabels() may hide it
        }
    }
    m_abortMarker = model.abortMarker();
    m_abortLine->setVisible(m_abortMarker.has_value());
    m_abortText->setVisible(m_abortMarker.has_value());
    if (m_abortMarker) {
        m_abortLine->replace({QPointF(m_abortMarker->x, 0), QPointF(m_abortMarker->x, top)});
        m_abortText->setText(model.jobStatus() == QLatin1String("PAUSED") ? tr("paused") : tr("abort"));
    }
}

void RolloutView::placeLabels()
{
    const QRectF plot = m_chart->plotArea();
    if (plot.isEmpty())
        return;
    // Each label beside its line, in the first of two rows where it does not overlap the
    // previous label; a label that fits in neither row is left out (the line stays).
    double rowEnd[2] = {-1e9, -1e9};
    for (std::size_t i = 0; i < m_groupLabels.size() && i < m_groupMarkers.size(); ++i) {
        QGraphicsSimpleTextItem* label = m_groupLabels[i];
        if (int(i) >= kMaxGroupLabels || label->text().isEmpty()) {
            label->hide();
            continue;
        }
        const QPointF at = m_chart->mapToPosition(QPointF(m_groupMarkers[i].x, m_y->max()), m_groupLines[i]);
        const QRectF box = label->boundingRect();
        const double x = std::min(at.x() + 3, plot.right() - box.width());
        int row = 0;
        while (row < 2 && x < rowEnd[row] + 4)
            ++row;
        label->setVisible(row < 2);
        if (row == 2)
            continue;
        rowEnd[row] = x + box.width();
        label->setPos(x, plot.top() + 2 + double(row) * box.height());
    }
    if (m_abortMarker) {
        const QPointF at = m_chart->mapToPosition(QPointF(m_abortMarker->x, 0), m_abortLine);
        const double width = m_abortText->boundingRect().width();
        const double x = at.x() + 3 + width > plot.right() ? at.x() - 3 - width : at.x() + 3;
        m_abortText->setPos(x, plot.top() + plot.height() * 0.45);
    }
}

} // namespace otalab::app
