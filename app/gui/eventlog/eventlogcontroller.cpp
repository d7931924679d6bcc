// SPDX-License-Identifier: Apache-2.0
#include "eventlog/eventlogcontroller.h"

#include "eventlog/eventlogformat.h"
#include "eventlog/eventlogmodel.h"
#include "lab/labhistory.h"
#include "lab/labselection.h"

namespace otalab::app {

EventLogController::EventLogController(LabSelection& selection, QObject* parent)
    : QObject(parent), m_selection(selection), m_model(new EventLogModel(this))
{
    connect(&m_selection, &LabSelection::selectionChanged, this, &EventLogController::onSelectionChanged);
    connect(&m_selection, &LabSelection::focusTimeChanged, this, &EventLogController::onFocusTimeChanged);
}

void EventLogController::setTopology(const LabTopology& topology)
{
    std::vector<QString> addresses;
    addresses.reserve(topology.nodes.size());
    for (const LabNodeInfo& info : topology.nodes)
        addresses.push_back(info.name);
    m_activeAbs.reset();
    setLogMachines(topology);  // before the model rebuilds its text matches
    m_model->setAddresses(std::move(addresses));
}

void EventLogController::setHistory(const LabHistory* history)
{
    m_activeAbs.reset();
    m_model->setHistory(history);
}

void EventLogController::sync()
{
    m_model->sync();
    if (m_follow && m_model->rowCount() > 0)
        Q_EMIT scrollRequested(m_model->rowCount() - 1);
}

void EventLogController::setText(const QString& text)
{
    if (text == m_filter.text)
        return;
    m_filter.text = text;
    applyFilter();
}

void EventLogController::setShowFrames(bool show)
{
    m_filter.frames = show;
    applyFilter();
}

void EventLogController::setShowStateChanges(bool show)
{
    m_filter.stateChanges = show;
    applyFilter();
}

void EventLogController::setFateShown(std::uint8_t fate, bool shown)
{
    if (fate >= 8)
        return;
    if (shown)
        m_filter.fates |= std::uint8_t(1u << fate);
    else
        m_filter.fates &= std::uint8_t(~(1u << fate));
    applyFilter();
}

void EventLogController::setSelectedNodeOnly(bool on)
{
    if (on == m_selectedOnly)
        return;
    m_selectedOnly = on;
    applyFilter();
}

void EventLogController::applyFilter()
{
    EventLogFilter effective = m_filter;
    effective.node = m_selectedOnly ? m_selection.current() : sim::kNoNode;
    if (effective == m_model->filter())
        return;
    m_model->setFilter(effective);
    Q_EMIT filterChanged();
}

void EventLogController::setFollow(bool follow)
{
    if (follow == m_follow)
        return;
    m_follow = follow;
    Q_EMIT followChanged(m_follow);
    if (m_follow && m_model->rowCount() > 0)
        Q_EMIT scrollRequested(m_model->rowCount() - 1);
}

void EventLogController::activateRow(int row)
{
    const LabLogRow* r = m_model->logRowAt(row);
    if (!r)
        return;
    m_activeAbs = m_model->absoluteRow(row);
    setFollow(false);  // the user is looking at this row: keep it in view
    const sim::NodeId node = r->src != sim::kNoNode ? r->src : r->dst;
    m_activating = true;
    if (node != sim::kNoNode && node != sim::kBroadcastNode)
        m_selection.setCurrent(node);
    m_selection.setFocusTime(double(r->timeNs) / 1e9);
    m_activating = false;
}

void EventLogController::onSelectionChanged()
{
    if (m_selectedOnly)
        applyFilter();
}

void EventLogController::onFocusTimeChanged()
{
    if (m_activating)
        return;
    const auto t = m_selection.focusTimeS();
    if (!t)
        return;
    setFollow(false);
    const int row = m_model->firstRowAtOrAfter(*t);
    if (m_model->rowCount() > 0)
        Q_EMIT scrollRequested(std::min(row, m_model->rowCount() - 1));
}

} // namespace otalab::app
