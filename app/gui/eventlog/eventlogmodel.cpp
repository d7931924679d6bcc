// SPDX-License-Identifier: Apache-2.0
#include "eventlog/eventlogmodel.h"

#include "eventlog/eventlogformat.h"
#include "guistyle.h"
#include "sim/kernel/observerrecords.h"

#include <QColor>
#include <QFontDatabase>

#include <algorithm>
#include <cmath>
#include <limits>

namespace otalab::app {

EventLogModel::EventLogModel(QObject* parent)
    : QAbstractTableModel(parent), m_fixedFont(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
}

void EventLogModel::setHistory(const LabHistory* history)
{
    m_history = history;
    rebuild();
}

void EventLogModel::setAddresses(std::vector<QString> addresses)
{
    m_addresses = std::move(addresses);
    if (filtered())
        rebuild();  // text matches depend on the addresses
    else if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, SourceColumn), index(rowCount() - 1, DestinationColumn));
}

void EventLogModel::setFilter(const EventLogFilter& filter)
{
    if (filter == m_filter && filter.isActive() == filtered())
        return;
    m_filter = filter;
    rebuild();
}

void EventLogModel::rebuild()
{
    beginResetModel();
    if (m_filter.isActive())
        m_matcher.emplace(m_filter, m_addresses);
    else
        m_matcher.reset();
    m_matches.clear();
    m_first = m_history ? m_history->firstLogRow() : 0;
    m_end = m_history ? m_history->endLogRow() : 0;
    if (m_matcher) {
        for (std::size_t i = m_first; i < m_end; ++i) {
            if (m_matcher->matches(m_history->logRow(i)))
                m_matches.push_back(i);
        }
    }
    endResetModel();
}

void EventLogModel::sync()
{
    if (!m_history)
        return;
    const std::size_t hFirst = m_history->firstLogRow(), hEnd = m_history->endLogRow();
    if (hFirst < m_first || hEnd < m_end) {  // the history was reset (a new run)
        rebuild();
        return;
    }
    // Evicted at the front.
    if (hFirst > m_first) {
        std::size_t cut = 0;
        if (filtered())
            cut = std::size_t(std::lower_bound(m_matches.begin(), m_matches.end(), hFirst) - m_matches.begin());
        else
            cut = std::min(hFirst, m_end) - m_first;
        if (cut > 0) {
            beginRemoveRows({}, 0, int(cut - 1));
            if (filtered())
                m_matches.erase(m_matches.begin(), m_matches.begin() + std::ptrdiff_t(cut));
            else
                m_first += cut;
            endRemoveRows();
        }
        m_first = hFirst;
        m_end = std::max(m_end, hFirst);
        if (cut > 0)
            Q_EMIT frontRowsEvicted(int(cut));
    }
    // Appended.
    if (hEnd == m_end)
        return;
    const int count = rowCount();
    if (!filtered()) {
        beginInsertRows({}, count, count + int(hEnd - m_end) - 1);
        m_end = hEnd;
        endInsertRows();
        return;
    }
    std::vector<std::size_t> fresh;  // one buffer per sync, not per row
    for (std::size_t i = m_end; i < hEnd; ++i) {
        if (m_matcher->matches(m_history->logRow(i)))
            fresh.push_back(i);
    }
    m_end = hEnd;
    if (fresh.empty())
        return;
    beginInsertRows({}, count, count + int(fresh.size()) - 1);
    m_matches.insert(m_matches.end(), fresh.begin(), fresh.end());
    endInsertRows();
}

std::optional<std::size_t> EventLogModel::absoluteRow(int row) const
{
    if (row < 0 || row >= rowCount())
        return std::nullopt;
    return filtered() ? m_matches[std::size_t(row)] : m_first + std::size_t(row);
}

int EventLogModel::rowOfAbsolute(std::size_t index) const
{
    if (!filtered())
        return index >= m_first && index < m_end ? int(index - m_first) : -1;
    const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), index);
    return it != m_matches.end() && *it == index ? int(it - m_matches.begin()) : -1;
}

const LabLogRow* EventLogModel::logRowAt(int row) const
{
    const auto abs = absoluteRow(row);
    if (!abs || !m_history || *abs < m_history->firstLogRow() || *abs >= m_history->endLogRow())
        return nullptr;
    return &m_history->logRow(*abs);
}

int EventLogModel::firstRowAtOrAfter(double timeS) const
{
    const double ns = timeS * 1e9;
    const std::int64_t target = !std::isfinite(ns) ? (ns > 0 ? std::numeric_limits<std::int64_t>::max() : 0)
                                : ns >= 9.2e18  ? std::numeric_limits<std::int64_t>::max()
                                : ns <= -9.2e18 ? std::numeric_limits<std::int64_t>::min()
                                                : std::int64_t(std::ceil(ns - 0.5));
    int lo = 0, hi = rowCount();
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        const LabLogRow* r = logRowAt(mid);
        if (r && r->timeNs < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

std::size_t EventLogModel::historyRows() const
{
    return m_history ? m_history->endLogRow() - m_history->firstLogRow() : 0;
}

int EventLogModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    const std::size_t n = filtered() ? m_matches.size() : m_end - m_first;
    return int(std::min<std::size_t>(n, std::numeric_limits<int>::max()));
}

int EventLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex& index, int role) const
{
    const LabLogRow* row = index.isValid() ? logRowAt(index.row()) : nullptr;
    if (!row)
        return {};
    const bool frame = row->kind == LabLogRow::Kind::Frame;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return formatLogTime(row->timeNs);
        case KindColumn: return logKindName(row->kind);
        case SourceColumn: return formatLogNode(row->src, m_addresses);
        case DestinationColumn: return frame ? formatLogNode(row->dst, m_addresses) : QString();
        case WhatColumn: return logRowWhat(*row);
        }
        return {};
    case Qt::ToolTipRole:
        return tr("Row %1 at %2 s\n%3").arg(*absoluteRow(index.row())).arg(double(row->timeNs) / 1e9, 0, 'f', 9).arg(logRowWhat(*row));
    case Qt::FontRole:
        if (index.column() == TimeColumn || index.column() == SourceColumn || index.column() == DestinationColumn)
            return m_fixedFont;
        return {};
    case Qt::ForegroundRole:
        if (frame && (row->fate == std::uint8_t(sim::FrameFate::Lost) || row->fate == std::uint8_t(sim::FrameFate::Collided)))
            return errorColor();
        if (frame && row->fate == std::uint8_t(sim::FrameFate::Missed))
            return warningColor();
        if (!frame)
            return QColor(0x1f, 0x4e, 0x8c);
        return {};
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Kind");
    case SourceColumn: return tr("Source");
    case DestinationColumn: return tr("Destination");
    case WhatColumn: return tr("What");
    }
    return {};
}

} // namespace otalab::app
