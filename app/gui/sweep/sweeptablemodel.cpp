// SPDX-License-Identifier: Apache-2.0
#include "sweep/sweeptablemodel.h"

#include <QBrush>
#include <QColor>

#include <cmath>

namespace otalab::app {

namespace {

constexpr int kFocusColumns = 5;  // mean, p5, p50, p95, CI

bool isCount(sim::SweepMetric m)
{
    using M = sim::SweepMetric;
    switch (m) {
    case M::Devices: case M::Upgraded: case M::Failed: case M::Refused: case M::RolledBack:
    case M::Unfinished: case M::NotStarted: case M::Events:
        return true;
    default:
        return false;
    }
}

QVariant sortValue(const std::optional<double>& v)
{
    return v ? QVariant(*v) : QVariant(-std::numeric_limits<double>::infinity());
}

} // namespace

QString sweepMetricTitle(sim::SweepMetric metric)
{
    QStringList words = sim::sweepMetricName(metric).split(QLatin1Char('_'));
    words.removeIf([](const QString& w) { return w == QLatin1String("s") || w == QLatin1String("j") || w == QLatin1String("pct"); });
    const QString unit = sim::sweepMetricUnit(metric);
    const QString name = words.join(QLatin1Char(' '));
    return unit.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, unit);
}

QString sweepMetricText(sim::SweepMetric metric, double value)
{
    if (isCount(metric) && value == std::trunc(value))
        return QString::number(value, 'f', 0);
    if (std::abs(value) >= 1e4)
        return QString::number(value, 'f', 0);
    return QString::number(value, 'g', 4);
}

SweepTableModel::SweepTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void SweepTableModel::setFolder(std::shared_ptr<const SweepFolder> folder)
{
    beginResetModel();
    m_folder = std::move(folder);
    endResetModel();
}

void SweepTableModel::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    beginResetModel();
    m_mode = mode;
    endResetModel();
}

void SweepTableModel::setFocusMetric(sim::SweepMetric metric)
{
    if (metric == m_focus)
        return;
    m_focus = metric;
    if (m_mode == Mode::Points && m_folder) {
        const int first = axisCount() + 2;
        Q_EMIT headerDataChanged(Qt::Horizontal, first, first + kFocusColumns - 1);
        Q_EMIT dataChanged(index(0, first), index(rowCount() - 1, first + kFocusColumns - 1));
    }
}

int SweepTableModel::axisCount() const
{
    return m_folder ? int(m_folder->plan.axes.size()) : 0;
}

int SweepTableModel::runOfRow(int row) const
{
    if (!m_folder || row < 0 || row >= rowCount())
        return -1;
    return m_mode == Mode::Runs ? row : m_folder->firstRunOfPoint(row);
}

int SweepTableModel::metricColumn(sim::SweepMetric metric) const
{
    if (!m_folder)
        return -1;
    return m_mode == Mode::Runs ? axisCount() + 3 + int(metric) : axisCount() + 2 + kFocusColumns + int(metric);
}

int SweepTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_folder)
        return 0;
    return m_mode == Mode::Runs ? m_folder->runCount() : int(m_folder->summary.size());
}

int SweepTableModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_folder)
        return 0;
    return m_mode == Mode::Runs ? axisCount() + 3 + sim::kSweepMetricCount : axisCount() + 2 + kFocusColumns + sim::kSweepMetricCount;
}

QVariant SweepTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || !m_folder || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    const int axes = axisCount();
    if (role == Qt::ToolTipRole && section >= 0 && section < axes + (m_mode == Mode::Runs ? 1 : 0) && section >= (m_mode == Mode::Runs ? 1 : 0))
        return m_folder->plan.axes[section - (m_mode == Mode::Runs ? 1 : 0)].path;
    if (role != Qt::DisplayRole)
        return {};
    if (m_mode == Mode::Runs) {
        if (section == 0)
            return tr("run");
        if (section <= axes)
            return m_folder->plan.axes[section - 1].label();
        if (section == axes + 1)
            return tr("seed");
        if (section == axes + 2)
            return tr("status");
        return sweepMetricTitle(sim::SweepMetric(section - axes - 3));
    }
    if (section < axes)
        return m_folder->plan.axes[section].label();
    if (section == axes)
        return tr("runs");
    if (section == axes + 1)
        return tr("failed");
    const int focus = section - axes - 2;
    if (focus < kFocusColumns) {
        static const char* const kStat[kFocusColumns] = {"mean", "p5", "p50", "p95", "95 % CI"};
        return QStringLiteral("%1 %2").arg(sweepMetricTitle(m_focus), QString::fromLatin1(kStat[focus]));
    }
    return tr("%1 mean").arg(sweepMetricTitle(sim::SweepMetric(focus - kFocusColumns)));
}

QVariant SweepTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_folder || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    return m_mode == Mode::Runs ? runData(index.row(), index.column(), role) : pointData(index.row(), index.column(), role);
}

QVariant SweepTableModel::runData(int row, int column, int role) const
{
    const int axes = axisCount();
    const sim::SweepRunSpec spec = m_folder->plan.run(row);
    const sim::SweepRunResult* result = m_folder->result(row);
    if (role == Qt::TextAlignmentRole)
        return column == axes + 2 ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (column == 0)
        return role == Qt::DisplayRole || role == kSortRole ? QVariant(row) : QVariant();
    if (column <= axes) {
        const QJsonValue& v = spec.point[column - 1];
        if (role == Qt::DisplayRole)
            return sim::SweepAxis::valueText(v);
        if (role == kSortRole)
            return v.isDouble() ? QVariant(v.toDouble()) : QVariant(sim::SweepAxis::valueText(v));
        return {};
    }
    if (column == axes + 1)
        return role == Qt::DisplayRole || role == kSortRole ? QVariant(QString::number(spec.seed)) : QVariant();
    if (column == axes + 2) {
        const QString status = !result ? tr("missing") : result->ok ? tr("ok") : tr("failed: %1").arg(result->error);
        if (role == Qt::DisplayRole || role == kSortRole)
            return status;
        if (role == Qt::ToolTipRole && result)
            return result->ok ? result->stopReason : result->error;
        if (role == Qt::ForegroundRole && (!result || !result->ok))
            return QBrush(!result ? QColor(0x80, 0x80, 0x80) : QColor(0xb0, 0x20, 0x20));
        return {};
    }
    const auto metric = sim::SweepMetric(column - axes - 3);
    const std::optional<double> v = result ? result->metric(metric) : std::nullopt;
    if (role == Qt::DisplayRole)
        return v ? sweepMetricText(metric, *v) : QString();
    if (role == kSortRole)
        return sortValue(v);
    return {};
}

QVariant SweepTableModel::pointData(int row, int column, int role) const
{
    const int axes = axisCount();
    const sim::SweepPointSummary& p = m_folder->summary[std::size_t(row)];
    if (role == Qt::TextAlignmentRole)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (column < axes) {
        const QJsonValue& v = p.point[column];
        if (role == Qt::DisplayRole)
            return sim::SweepAxis::valueText(v);
        if (role == kSortRole)
            return v.isDouble() ? QVariant(v.toDouble()) : QVariant(sim::SweepAxis::valueText(v));
        return {};
    }
    if (column == axes || column == axes + 1) {
        const int n = column == axes ? p.runs : p.failedRuns;
        if (role == Qt::DisplayRole || role == kSortRole)
            return n;
        if (role == Qt::ForegroundRole && column == axes + 1 && n > 0)
            return QBrush(QColor(0xb0, 0x20, 0x20));
        return {};
    }
    const int focus = column - axes - 2;
    const sim::SweepMetric metric = focus < kFocusColumns ? m_focus : sim::SweepMetric(focus - kFocusColumns);
    const std::optional<sim::SweepStats>& s = p.stats[std::size_t(metric)];
    if (role == Qt::ToolTipRole && s)
        return tr("%1 over %2 seeds: mean %3 (95 % CI %4 – %5), p5 %6, p50 %7, p95 %8, min %9, max %10")
            .arg(sweepMetricTitle(metric))
            .arg(s->n)
            .arg(sweepMetricText(metric, s->mean), sweepMetricText(metric, s->ciLow), sweepMetricText(metric, s->ciHigh),
                 sweepMetricText(metric, s->p5), sweepMetricText(metric, s->p50), sweepMetricText(metric, s->p95),
                 sweepMetricText(metric, s->min), sweepMetricText(metric, s->max));
    if (role != Qt::DisplayRole && role != kSortRole)
        return {};
    if (!s)
        return role == kSortRole ? sortValue(std::nullopt) : QVariant(QString());
    double value = s->mean;
    switch (focus) {
    case 1: value = s->p5; break;
    case 2: value = s->p50; break;
    case 3: value = s->p95; break;
    case 4:
        if (role == Qt::DisplayRole)
            return QStringLiteral("%1 – %2").arg(sweepMetricText(metric, s->ciLow), sweepMetricText(metric, s->ciHigh));
        value = s->ciHigh - s->ciLow;
        break;
    default: break;
    }
    return role == kSortRole ? QVariant(value) : QVariant(sweepMetricText(metric, value));
}

} // namespace otalab::app
