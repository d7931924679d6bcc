// SPDX-License-Identifier: Apache-2.0
#include "timeline/timelinecontroller.h"

#include "lab/labselection.h"

#include <algorithm>
#include <cmath>

namespace otalab::app {

TimelineController::TimelineController(LabSelection& selection, QObject* parent)
    : QObject(parent), m_selection(selection)
{
}

void TimelineController::setTopology(const LabTopology& topology)
{
    m_labels.clear();
    m_labels.reserve(topology.nodes.size());
    for (const LabNodeInfo& info : topology.nodes) {
        QString text = info.name;
        if (!info.role.isEmpty())
            text += QLatin1Char(' ') + info.role;
        m_labels.push_back({std::move(text), info.hasClient});
    }
    m_live.clear();
    m_nowS = 0;
    rebuildRows();
    Q_EMIT dataChanged();
}

void TimelineController::setHistory(const LabHistory* history)
{
    m_history = history;
    rebuildRows();
    Q_EMIT dataChanged();
}

void TimelineController::update(const LabSnapshot& snapshot)
{
    m_live.resize(snapshot.nodes.size());
    for (std::size_t i = 0; i < snapshot.nodes.size(); ++i)
        m_live[i] = {snapshot.nodes[i].state, snapshot.nodes[i].stateSinceS};
    setNow(snapshot.timeS);
}

void TimelineController::setNow(double timeS)
{
    m_nowS = std::isfinite(timeS) ? std::max(0.0, timeS) : 0.0;
    if (rowsDependOnData() || m_rowOf.size() != nodeCount())
        rebuildRows();
    Q_EMIT dataChanged();
}

void TimelineController::setSortOrder(SortOrder order)
{
    if (order == m_sort)
        return;
    m_sort = order;
    rebuildRows();
}

void TimelineController::setRowFilter(RowFilter filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    rebuildRows();
}

void TimelineController::setHideNonClients(bool hide)
{
    if (hide == m_hideNonClients)
        return;
    m_hideNonClients = hide;
    rebuildRows();
}

void TimelineController::setStuckThresholdS(double seconds)
{
    if (!(seconds > 0) || seconds == m_stuckThresholdS)
        return;
    m_stuckThresholdS = seconds;
    if (m_filter == RowFilter::Problems)
        rebuildRows();
}

bool TimelineController::rowsDependOnData() const
{
    return m_sort == SortOrder::CompletionTime || m_filter == RowFilter::Problems;
}

std::size_t TimelineController::nodeCount() const
{
    if (!m_labels.empty())
        return m_labels.size();
    return m_history ? m_history->nodeCount() : 0;
}

sim::NodeId TimelineController::nodeAt(int row) const
{
    return row >= 0 && std::size_t(row) < m_rows.size() ? m_rows[std::size_t(row)] : sim::kNoNode;
}

int TimelineController::rowOf(sim::NodeId node) const
{
    return node < m_rowOf.size() ? m_rowOf[node] : -1;
}

QString TimelineController::rowLabel(int row) const
{
    const sim::NodeId node = nodeAt(row);
    if (node == sim::kNoNode)
        return {};
    if (node < m_labels.size())
        return m_labels[node].text;
    return QStringLiteral("#%1").arg(node);
}

std::span<const LabTransition> TimelineController::transitionsAt(int row) const
{
    const sim::NodeId node = nodeAt(row);
    if (!m_history || node == sim::kNoNode || node >= m_history->nodeCount())
        return {};
    return m_history->transitionsOf(node);
}

LabNodeState TimelineController::stateAt(int row, double timeS) const
{
    const auto tr = transitionsAt(row);
    if (tr.empty() || timeS > m_nowS)
        return LabNodeState::Idle;
    const auto it = std::upper_bound(tr.begin(), tr.end(), timeS,
                                     [](double t, const LabTransition& x) { return t < x.timeS; });
    return it == tr.begin() ? LabNodeState::Idle : std::prev(it)->state;
}

double TimelineController::completionTimeS(sim::NodeId node) const
{
    if (m_history && node < m_history->nodeCount()) {
        for (const LabTransition& t : m_history->transitionsOf(node)) {
            if (t.state == LabNodeState::Upgraded)
                return t.timeS;
        }
    }
    return std::numeric_limits<double>::infinity();
}

LabNodeState TimelineController::currentState(sim::NodeId node, double* sinceS) const
{
    if (node < m_live.size()) {
        *sinceS = m_live[node].sinceS;
        return m_live[node].state;
    }
    *sinceS = 0;
    if (!m_history || node >= m_history->nodeCount())
        return LabNodeState::Idle;
    const auto& tr = m_history->transitionsOf(node);
    const auto it = std::upper_bound(tr.begin(), tr.end(), m_nowS,
                                     [](double t, const LabTransition& x) { return t < x.timeS; });
    if (it == tr.begin())
        return LabNodeState::Idle;
    *sinceS = std::prev(it)->timeS;
    return std::prev(it)->state;
}

bool TimelineController::isStuck(sim::NodeId node) const
{
    double since = 0;
    const LabNodeState s = currentState(node, &since);
    return (s == LabNodeState::Waiting || s == LabNodeState::Downloading) && m_nowS - since > m_stuckThresholdS;
}

int TimelineController::currentRow() const
{
    return rowOf(m_selection.current());
}

std::optional<double> TimelineController::focusTimeS() const
{
    return m_selection.focusTimeS();
}

void TimelineController::activate(int row, std::optional<double> timeS)
{
    const sim::NodeId node = nodeAt(row);
    if (node == sim::kNoNode)
        return;
    m_selection.setCurrent(node);
    if (timeS)
        m_selection.setFocusTime(std::clamp(*timeS, 0.0, std::max(m_nowS, *timeS)));
}

void TimelineController::rebuildRows()
{
    const std::size_t n = nodeCount();
    std::vector<sim::NodeId> rows;
    rows.reserve(n);
    for (sim::NodeId node = 0; node < n; ++node) {
        if (m_hideNonClients && node < m_labels.size() && !m_labels[node].hasClient)
            continue;
        if (m_filter == RowFilter::Problems) {
            double since = 0;
            const LabNodeState s = currentState(node, &since);
            if (s != LabNodeState::Failed && s != LabNodeState::Refused && !isStuck(node))
                continue;
        }
        rows.push_back(node);
    }
    if (m_sort == SortOrder::CompletionTime) {
        std::vector<double> key(n);
        for (sim::NodeId node : rows)
            key[node] = completionTimeS(node);
        std::stable_sort(rows.begin(), rows.end(), [&](sim::NodeId a, sim::NodeId b) { return key[a] < key[b]; });
    }
    if (rows == m_rows && m_rowOf.size() == n)
        return;
    m_rows = std::move(rows);
    m_rowOf.assign(n, -1);
    for (std::size_t r = 0; r < m_rows.size(); ++r)
        m_rowOf[m_rows[r]] = int(r);
    Q_EMIT rowsChanged();
}

} // namespace otalab::app
