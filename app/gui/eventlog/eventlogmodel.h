// SPDX-License-Identifier: Apache-2.0
// EventLogModel: a lazy table over LabHistory's log rows (millions), filtered by index.
#pragma once

#include "eventlog/eventlogfilter.h"
#include "lab/labhistory.h"

#include <QAbstractTableModel>
#include <QFont>

#include <deque>
#include <optional>
#include <vector>

namespace otalab::app {

// Rows are LabHistory log rows [firstLogRow, endLogRow) in order; with an active filter,
// only matching ones, kept as a deque of absolute indices (8 bytes per match, no strings).
// Cell text is formatted in data() for the rows a view asks for, never stored.
//
// sync() catches up with the history after LabHistory::append(): rows evicted at the
// front are removed (beginRemoveRows over that front range only) and new rows are
// tested and inserted (beginInsertRows over the new range only). A history that shrank
// (reset for a new run) resets the model. GUI thread only; the history must outlive
// the model or be replaced with setHistory(nullptr) first.
class EventLogModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, KindColumn, SourceColumn, DestinationColumn, WhatColumn, ColumnCount };

    explicit EventLogModel(QObject* parent = nullptr);

    void setHistory(const LabHistory* history);
    // Node names for the Source/Destination columns (index == NodeId).
    void setAddresses(std::vector<QString> addresses);
    // Re-tests every row in the history (one pass, no allocation per row) and resets.
    void setFilter(const EventLogFilter& filter);
    const EventLogFilter& filter() const { return m_filter; }
    void sync();

    // Absolute history index of model row `row`, nullopt when out of range.
    std::optional<std::size_t> absoluteRow(int row) const;
    // Model row of absolute history index `index`; -1 when filtered out or evicted.
    int rowOfAbsolute(std::size_t index) const;
    // The first model row whose time is ≥ timeS (rowCount() when none). Assumes rows in
    // time order (the recorder appends them as events execute).
    int firstRowAtOrAfter(double timeS) const;
    // The log row shown at `row`, nullptr when out of range or already evicted.
    const LabLogRow* logRowAt(int row) const;
    // Rows in the history (shown or not).
    std::size_t historyRows() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // `count` rows were removed at the front by eviction (views keep their place with it).
    void frontRowsEvicted(int count);

private:
    bool filtered() const { return m_matcher.has_value(); }
    void rebuild();

    const LabHistory* m_history = nullptr;
    std::vector<QString> m_addresses;
    EventLogFilter m_filter;
    std::optional<EventLogMatcher> m_matcher;   // set when the filter is active
    // The history rows [m_first, m_end) are known: unfiltered, the model shows exactly
    // them; filtered, they were tested and the matching ones are in m_matches (ascending).
    std::size_t m_first = 0, m_end = 0;
    std::deque<std::size_t> m_matches;
    QFont m_fixedFont;
};

} // namespace otalab::app
