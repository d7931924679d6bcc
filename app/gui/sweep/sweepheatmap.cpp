// SPDX-License-Identifier: Apache-2.0
#include "sweep/sweepheatmap.h"

#include "sweep/sweeptablemodel.h"

#include <QMouseEvent>
#include <QPainter>

#include <array>
#include <cmath>

namespace otalab::app {

namespace {

// Viridis at five stops: dark blue (low) to yellow (high); legible with black or white text.
constexpr std::array<QRgb, 5> kScale = {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725};

constexpr int kLegendWidth = 70;
constexpr int kMarginLeft = 78, kMarginBottom = 46, kMarginTop = 30, kMarginRight = 12;

} // namespace

SweepHeatMap::SweepHeatMap(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(false);
    setCursor(Qt::PointingHandCursor);
}

void SweepHeatMap::setData(std::shared_ptr<const SweepFolder> folder, int xAxis, int yAxis, sim::SweepMetric metric)
{
    m_folder = std::move(folder);
    m_metric = metric;
    m_xAxis = xAxis;
    m_yAxis = yAxis;
    m_columns = m_rows = 0;
    m_points.clear();
    m_values.clear();
    m_title.clear();
    const int axes = m_folder ? int(m_folder->plan.axes.size()) : 0;
    if (axes < 2 || xAxis < 0 || yAxis < 0 || xAxis >= axes || yAxis >= axes || xAxis == yAxis) {
        update();
        return;
    }
    const auto& plan = m_folder->plan;
    m_columns = int(plan.axes[xAxis].values.size());
    m_rows = int(plan.axes[yAxis].values.size());
    m_points.assign(std::size_t(m_columns * m_rows), -1);
    m_values.assign(m_points.size(), std::nullopt);
    // Point index = Σ valueIndex[k] · stride[k], the first axis varying slowest.
    std::vector<int> stride(std::size_t(axes), 1);
    for (int k = axes - 2; k >= 0; --k)
        stride[std::size_t(k)] = stride[std::size_t(k + 1)] * int(plan.axes[k + 1].values.size());
    bool any = false;
    for (int r = 0; r < m_rows; ++r) {
        for (int c = 0; c < m_columns; ++c) {
            const int point = c * stride[std::size_t(xAxis)] + r * stride[std::size_t(yAxis)];  // others at index 0
            const std::size_t cell = std::size_t(r * m_columns + c);
            m_points[cell] = point;
            if (point < int(m_folder->summary.size())) {
                const auto& s = m_folder->summary[std::size_t(point)].stats[std::size_t(metric)];
                if (s) {
                    m_values[cell] = s->mean;
                    m_min = any ? std::min(m_min, s->mean) : s->mean;
                    m_max = any ? std::max(m_max, s->mean) : s->mean;
                    any = true;
                }
            }
        }
    }
    QStringList others;
    for (int k = 0; k < axes; ++k)
        if (k != xAxis && k != yAxis)
            others.append(QStringLiteral("%1=%2").arg(plan.axes[k].label(), sim::SweepAxis::valueText(plan.axes[k].values.constFirst())));
    m_title = tr("%1, mean over seeds: %2 × %3").arg(sweepMetricTitle(metric), plan.axes[xAxis].label(), plan.axes[yAxis].label());
    if (!others.isEmpty())
        m_title += tr(" (%1)").arg(others.join(QStringLiteral(", ")));
    update();
}

int SweepHeatMap::pointOfCell(int column, int row) const
{
    if (column < 0 || row < 0 || column >= m_columns || row >= m_rows)
        return -1;
    return m_points[std::size_t(row * m_columns + column)];
}

std::optional<double> SweepHeatMap::valueOfCell(int column, int row) const
{
    if (column < 0 || row < 0 || column >= m_columns || row >= m_rows)
        return std::nullopt;
    return m_values[std::size_t(row * m_columns + column)];
}

QRect SweepHeatMap::plotRect() const
{
    return QRect(kMarginLeft, kMarginTop, std::max(10, width() - kMarginLeft - kMarginRight - kLegendWidth),
                 std::max(10, height() - kMarginTop - kMarginBottom));
}

QRect SweepHeatMap::cellRect(int column, int row) const
{
    if (m_columns == 0 || m_rows == 0)
        return {};
    const QRect plot = plotRect();
    const double w = double(plot.width()) / m_columns, h = double(plot.height()) / m_rows;
    const int top = int(std::lround(plot.bottom() + 1 - (row + 1) * h));
    const int left = int(std::lround(plot.left() + column * w));
    return QRect(QPoint(left, top), QPoint(int(std::lround(plot.left() + (column + 1) * w)) - 1, int(std::lround(plot.bottom() + 1 - row * h)) - 1));
}

int SweepHeatMap::pointAt(const QPoint& position) const
{
    for (int r = 0; r < m_rows; ++r)
        for (int c = 0; c < m_columns; ++c)
            if (cellRect(c, r).contains(position))
                return pointOfCell(c, r);
    return -1;
}

QColor SweepHeatMap::colourOf(double value) const
{
    const double t = m_max > m_min ? std::clamp((value - m_min) / (m_max - m_min), 0.0, 1.0) : 0.5;
    const double scaled = t * (kScale.size() - 1);
    const int i = std::min(int(scaled), int(kScale.size()) - 2);
    const double f = scaled - i;
    const QColor a(kScale[std::size_t(i)]), b(kScale[std::size_t(i + 1)]);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f), float(a.greenF() + (b.greenF() - a.greenF()) * f),
                            float(a.blueF() + (b.blueF() - a.blueF()) * f));
}

void SweepHeatMap::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    p.setRenderHint(QPainter::Antialiasing, false);
    if (m_columns == 0 || m_rows == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("A heat map needs a sweep over two or more parameters."));
        return;
    }
    const auto& plan = m_folder->plan;
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(8, 4, width() - 16, kMarginTop - 6), Qt::AlignLeft | Qt::AlignVCenter, m_title);
    p.setFont(font());
    const QFontMetrics fm(font());
    for (int r = 0; r < m_rows; ++r) {
        for (int c = 0; c < m_columns; ++c) {
            const QRect cell = cellRect(c, r);
            const std::optional<double> v = valueOfCell(c, r);
            if (v) {
                const QColor fill = colourOf(*v);
                p.fillRect(cell, fill);
                p.setPen(fill.lightnessF() > 0.55 ? Qt::black : Qt::white);
                const QString text = sweepMetricText(m_metric, *v);
                if (fm.horizontalAdvance(text) < cell.width() - 2 && fm.height() < cell.height())
                    p.drawText(cell, Qt::AlignCenter, text);
            } else {
                p.fillRect(cell, palette().color(QPalette::AlternateBase));
                p.setPen(palette().color(QPalette::PlaceholderText));
                if (fm.horizontalAdvance(tr("no run")) < cell.width() - 2)
                    p.drawText(cell, Qt::AlignCenter, tr("no run"));
            }
            p.setPen(palette().color(QPalette::Base));
            p.drawRect(cell);
        }
    }
    // Axis values and names.
    const QRect plot = plotRect();
    p.setPen(palette().color(QPalette::Text));
    for (int c = 0; c < m_columns; ++c) {
        const QRect cell = cellRect(c, 0);
        const QString text = fm.elidedText(sim::SweepAxis::valueText(plan.axes[m_xAxis].values[c]), Qt::ElideRight, cell.width());
        p.drawText(QRect(cell.left(), plot.bottom() + 3, cell.width(), fm.height()), Qt::AlignHCenter | Qt::AlignTop, text);
    }
    for (int r = 0; r < m_rows; ++r) {
        const QRect cell = cellRect(0, r);
        const QString text = fm.elidedText(sim::SweepAxis::valueText(plan.axes[m_yAxis].values[r]), Qt::ElideLeft, kMarginLeft - 22);
        p.drawText(QRect(4, cell.top(), kMarginLeft - 8, cell.height()), Qt::AlignRight | Qt::AlignVCenter, text);
    }
    p.drawText(QRect(plot.left(), plot.bottom() + 4 + fm.height(), plot.width(), fm.height() + 4), Qt::AlignHCenter,
               plan.axes[m_xAxis].label());
    p.save();
    p.translate(12, plot.center().y());
    p.rotate(-90);
    p.drawText(QRect(-plot.height() / 2, -fm.height() + 4, plot.height(), fm.height() + 2), Qt::AlignHCenter, plan.axes[m_yAxis].label());
    p.restore();
    // Colour scale: high at the top.
    const QRect bar(plot.right() + 14, plot.top(), 14, plot.height());
    for (int y = 0; y < bar.height(); ++y) {
        const double t = 1.0 - double(y) / std::max(1, bar.height() - 1);
        p.setPen(colourOf(m_min + t * (m_max - m_min)));
        p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(bar.right() + 4, bar.top() - 2, kLegendWidth - 20, fm.height()), Qt::AlignLeft, sweepMetricText(m_metric, m_max));
    p.drawText(QRect(bar.right() + 4, bar.bottom() - fm.height() + 2, kLegendWidth - 20, fm.height()), Qt::AlignLeft,
               sweepMetricText(m_metric, m_min));
}

void SweepHeatMap::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const int point = pointAt(event->position().toPoint());
    if (point >= 0)
        Q_EMIT pointClicked(point);
}

} // namespace otalab::app
