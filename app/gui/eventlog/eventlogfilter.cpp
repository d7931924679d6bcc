// SPDX-License-Identifier: Apache-2.0
#include "eventlog/eventlogfilter.h"

#include "eventlog/eventlogformat.h"

namespace otalab::app {
namespace {

constexpr std::uint16_t kFirstOtaMachine = 16;   // kOtaStatusMachine; 17 = kOtaPhaseMachine

} // namespace

bool EventLogFilter::isActive() const
{
    return !text.trimmed().isEmpty() || node != sim::kNoNode || !frames || !stateChanges || fates != 0xFF;
}

EventLogMatcher::EventLogMatcher(const EventLogFilter& filter, std::span<const QString> addresses)
    : m_filter(filter)
{
    const QString q = filter.text.trimmed();
    m_hasText = !q.isEmpty();
    if (!m_hasText)
        return;
    const auto has = [&q](const QString& s) { return s.contains(q, Qt::CaseInsensitive); };
    m_nodeText.resize(addresses.size());
    for (std::size_t i = 0; i < addresses.size(); ++i)
        m_nodeText[i] = has(formatLogNode(sim::NodeId(i), addresses));
    m_broadcastText = has(formatLogNode(sim::kBroadcastNode, addresses));
    m_noNodeText = false;
    m_kindText = {has(logKindName(LabLogRow::Kind::Frame)), has(logKindName(LabLogRow::Kind::StateChange))};
    for (int c = 0; c < 255; ++c)
        m_commandText[std::size_t(c)] = has(otaCommandTitle(std::uint8_t(c)));
    for (int t = 0; t < 8; ++t) {
        m_macTypeText[std::size_t(t)] = has(macFrameTypeName(std::uint8_t(t)));
        m_fateText[std::size_t(t)] = t < 5 && has(frameFateName(std::uint8_t(t)));
    }
    for (int m = 0; m < 32; ++m)
        m_machineText[std::size_t(m)] = has(stateMachineName(std::uint16_t(m)));
    for (int m = 0; m < 2; ++m) {
        for (int v = 0; v < 16; ++v)
            m_valueText[std::size_t(m)][std::size_t(v)] = has(stateValueName(std::uint16_t(kFirstOtaMachine + m), std::uint16_t(v)));
    }
}

bool EventLogMatcher::nodeText(sim::NodeId node) const
{
    if (node < m_nodeText.size())
        return m_nodeText[node];
    if (node == sim::kBroadcastNode)
        return m_broadcastText;
    return m_noNodeText;
}

bool EventLogMatcher::textMatches(const LabLogRow& row) const
{
    if (nodeText(row.src) || nodeText(row.dst))
        return true;
    if (row.kind == LabLogRow::Kind::Frame) {
        return m_kindText[0] || (row.zclCommand != 0xFF && m_commandText[row.zclCommand])
               || (row.macType < 8 && m_macTypeText[row.macType]) || (row.fate < 8 && m_fateText[row.fate]);
    }
    if (m_kindText[1] || (row.machine < m_machineText.size() && m_machineText[row.machine]))
        return true;
    if (row.machine >= kFirstOtaMachine && row.machine < kFirstOtaMachine + 2) {
        const auto& values = m_valueText[row.machine - kFirstOtaMachine];
        return (row.from < 16 && values[row.from]) || (row.to < 16 && values[row.to]);
    }
    return false;
}

bool EventLogMatcher::matches(const LabLogRow& row) const
{
    if (row.kind == LabLogRow::Kind::Frame) {
        if (!m_filter.frames || row.fate >= 8 || !(m_filter.fates & (1u << row.fate)))
            return false;
    } else if (!m_filter.stateChanges) {
        return false;
    }
    if (m_filter.node != sim::kNoNode && row.src != m_filter.node && row.dst != m_filter.node)
        return false;
    return !m_hasText || textMatches(row);
}

} // namespace otalab::app
