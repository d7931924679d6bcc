// SPDX-License-Identifier: Apache-2.0
#include "sweep/sweepplotview.h"

#include "sweep/sweepheatmap.h"
#include "sweep/sweeptablemodel.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QLegendMarker>
#include <QLineSeries>
#include <QStackedWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <array>
#include <cmath>
#include <limits>

namespace otalab::app {

namespace {

// Tableau 10: distinct lines for up to kMaxLines combinations.
constexpr std::array<QRgb, 8> kLineColours = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7};

// 1, 2 or 5 × 10^k, at least `raw`.
double niceStep(double raw)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / magnitude;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
}

bool allNumbers(const QList<QJsonValue>& values)
{
    return std::all_of(values.begin(), values.end(), [](const QJsonValue& v) { return v.isDouble(); });
}

} // namespace

SweepPlotView::SweepPlotView(QWidget* parent) : QWidget(parent)
{
    m_view = new QChartView(new QChart);
    m_chart = m_view->chart();
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(320, 220);
    m_heatMap = new SweepHeatMap;
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_heatMap);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    connect(m_heatMap, &SweepHeatMap::pointClicked, this, &SweepPlotView::pointClicked);
    rebuild();
}

void SweepPlotView::setFolder(std::shared_ptr<const SweepFolder> folder)
{
    m_folder = std::move(folder);
    const int axes = m_folder ? int(m_folder->plan.axes.size()) : 0;
    m_axis = std::clamp(m_axis, 0, std::max(0, axes - 1));
    if (m_secondAxis == m_axis || m_secondAxis >= axes)
        m_secondAxis = axes > 1 ? (m_axis == 0 ? 1 : 0) : 0;
    rebuild();
}

void SweepPlotView::setMetric(sim::SweepMetric metric)
{
    m_metric = metric;
    rebuild();
}

void SweepPlotView::setAxis(int axis)
{
    m_axis = axis;
    rebuild();
}

void SweepPlotView::setSecondAxis(int axis)
{
    m_secondAxis = axis;
    rebuild();
}

void SweepPlotView::setKind(Kind kind)
{
    m_kind = kind;
    rebuild();
}

void SweepPlotView::setPlot(Kind kind, int axis, int secondAxis, sim::SweepMetric metric)
{
    m_kind = kind;
    m_axis = axis;
    m_secondAxis = secondAxis;
    m_metric = metric;
    rebuild();
}

void SweepPlotView::rebuild()
{
    m_stack->setCurrentIndex(m_kind == Kind::Line ? 0 : 1);
    if (m_kind == Kind::HeatMap)
        m_heatMap->setData(m_folder, m_axis, m_secondAxis, m_metric);
    rebuildLines();
}

int SweepPlotView::pointNear(int line, double x) const
{
    if (line < 0 || line >= int(m_lines.size()))
        return -1;
    const Line& l = m_lines[std::size_t(line)];
    const QList<QPointF> points = l.mean->points();
    int best = -1;
    double distance = std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; i < points.size() && i < qsizetype(l.points.size()); ++i) {
        if (std::abs(points[i].x() - x) < distance) {
            distance = std::abs(points[i].x() - x);
            best = l.points[std::size_t(i)];
        }
    }
    return best;
}

void SweepPlotView::rebuildLines()
{
    // A new chart each time: axes removed from a shown chart leave their items on screen
    // until the event loop runs (and a value axis may become a category axis).
    QChart* old = m_chart;
    m_chart = new QChart;
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_view->setChart(m_chart);
    delete old;
    m_lines.clear();
    if (!m_folder || m_axis < 0)
        return;
    const sim::SweepPlan& plan = m_folder->plan;
    const int axes = int(plan.axes.size());
    if (axes == 0) {
        m_chart->setTitle(tr("A seeds-only sweep: no parameter to plot against (see the table)."));
        return;
    }
    if (m_axis >= axes)
        return;
    const sim::SweepAxis& xAxis = plan.axes[m_axis];
    const bool numeric = allNumbers(xAxis.values);

    // Group the points by the values of the other axes, in point order.
    struct Group {
        QString label;
        QList<QJsonValue> key;
        std::vector<std::pair<double, const sim::SweepPointSummary*>> points;
    };
    std::vector<Group> groups;
    std::vector<QList<QJsonValue>> dropped;  // combinations beyond kMaxLines
    for (const sim::SweepPointSummary& p : m_folder->summary) {
        QList<QJsonValue> key;
        QStringList words;
        for (int k = 0; k < axes; ++k) {
            if (k == m_axis)
                continue;
            key.append(p.point[k]);
            words.append(QStringLiteral("%1=%2").arg(plan.axes[k].label(), sim::SweepAxis::valueText(p.point[k])));
        }
        auto it = std::find_if(groups.begin(), groups.end(), [&key](const Group& g) { return g.key == key; });
        if (it == groups.end()) {
            if (int(groups.size()) >= kMaxLines) {
                if (std::find(dropped.begin(), dropped.end(), key) == dropped.end())
                    dropped.push_back(key);
                continue;
            }
            it = groups.insert(groups.end(), Group{words.join(QStringLiteral(", ")), key, {}});
        }
        const double x = numeric ? p.point[m_axis].toDouble() : double(xAxis.values.indexOf(p.point[m_axis]));
        it->points.emplace_back(x, &p);
    }

    auto* xValue = numeric ? new QValueAxis : nullptr;
    auto* xCategory = numeric ? nullptr : new QCategoryAxis;
    QAbstractAxis* x = numeric ? static_cast<QAbstractAxis*>(xValue) : xCategory;
    x->setTitleText(xAxis.label());
    auto* y = new QValueAxis;
    y->setTitleText(sweepMetricTitle(m_metric));
    y->setLabelFormat(QStringLiteral("%.4g"));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    double xMin = std::numeric_limits<double>::infinity(), xMax = -xMin, yMin = xMin, yMax = -xMin;
    const bool legend = groups.size() > 1;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        Group& group = groups[g];
        std::stable_sort(group.points.begin(), group.points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        Line line;
        line.label = group.label;
        line.mean = new QLineSeries;
        auto* upper = new QLineSeries;
        auto* lower = new QLineSeries;
        for (const auto& [px, p] : group.points) {
            const auto& s = p->stats[std::size_t(m_metric)];
            if (!s)
                continue;  // no run of this point has a value: a gap, not a zero
            line.mean->append(px, s->mean);
            upper->append(px, s->p95);
            lower->append(px, s->p5);
            line.points.push_back(p->pointIndex);
            xMin = std::min(xMin, px);
            xMax = std::max(xMax, px);
            yMin = std::min(yMin, s->p5);
            yMax = std::max(yMax, s->p95);
        }
        const QColor colour(kLineColours[g % kLineColours.size()]);
        line.band = new QAreaSeries(upper, lower);
        QColor fill = colour;
        fill.setAlphaF(0.22f);
        line.band->setBrush(fill);
        line.band->setPen(Qt::NoPen);
        line.band->setName(tr("p5–p95 %1").arg(group.label));
        QPen pen(colour);
        pen.setWidthF(2.2);
        line.mean->setPen(pen);
        line.mean->setPointsVisible(true);
        line.mean->setName(legend ? group.label : tr("mean over %1 seeds").arg(plan.seeds.size()));
        m_chart->addSeries(line.band);
        m_chart->addSeries(line.mean);
        for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(line.band), static_cast<QAbstractSeries*>(line.mean)}) {
            s->attachAxis(x);
            s->attachAxis(y);
        }
        for (QLegendMarker* marker : m_chart->legend()->markers(line.band))
            marker->setVisible(false);
        const int index = int(m_lines.size());
        connect(line.mean, &QLineSeries::clicked, this, [this, index](const QPointF& at) {
            if (const int point = pointNear(index, at.x()); point >= 0)
                Q_EMIT pointClicked(point);
        });
        connect(line.band, &QAreaSeries::clicked, this, [this, index](const QPointF& at) {
            if (const int point = pointNear(index, at.x()); point >= 0)
                Q_EMIT pointClicked(point);
        });
        m_lines.push_back(std::move(line));
    }
    m_chart->legend()->setVisible(true);
    if (!std::isfinite(xMin)) {
        m_chart->setTitle(tr("%1: no run has a value yet").arg(sweepMetricTitle(m_metric)));
        return;
    }
    if (numeric) {
        const double pad = xMax > xMin ? (xMax - xMin) * 0.03 : 1;
        xValue->setRange(xMin - pad, xMax + pad);
        // Ticks on round values (0, 250, 500 …, not 73, 311.5 …) without widening the range.
        const double step = niceStep(xMax > xMin ? (xMax - xMin) / 6 : 1);
        xValue->setTickType(QValueAxis::TicksDynamic);
        xValue->setTickAnchor(std::floor(xMin / step) * step);
        xValue->setTickInterval(step);
        xValue->setLabelFormat(QStringLiteral("%.4g"));
    } else {
        xCategory->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        for (qsizetype i = 0; i < xAxis.values.size(); ++i)
            xCategory->append(sim::SweepAxis::valueText(xAxis.values[i]), double(i));
        xCategory->setRange(-0.5, double(xAxis.values.size()) - 0.5);
    }
    const double span = yMax - yMin;
    const double pad = span > 0 ? span * 0.06 : std::max(1.0, std::abs(yMax) * 0.05);
    y->setRange(yMin >= 0 && yMin - pad < 0 ? 0 : yMin - pad, yMax + pad);
    y->applyNiceNumbers();
    QString title = tr("%1 vs %2: mean, band p5–p95 over %3 seeds").arg(sweepMetricTitle(m_metric), xAxis.label()).arg(plan.seeds.size());
    if (!dropped.empty())
        title += tr(" (first %1 lines of %2 shown)").arg(kMaxLines).arg(kMaxLines + int(dropped.size()));
    m_chart->setTitle(title);
}

} // namespace otalab::app
