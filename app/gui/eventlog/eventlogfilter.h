// SPDX-License-Identifier: Apache-2.0
// EventLogFilter: which log rows the event log shows, compiled into table look-ups so
// millions of rows are tested without building a string per row.
#pragma once

#include "lab/labtypes.h"

#include <QString>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace otalab::app {

struct EventLogFilter {
    // Case-insensitive substring of a row's source/destination address ("0x1a2b"),
    // kind, command name, MAC frame type, fate, or state machine / state names.
    QString text;
    sim::NodeId node = sim::kNoNode;   // only rows whose source or destination is this node
    bool frames = true;
    bool stateChanges = true;
    std::uint8_t fates = 0xFF;         // frames: bit (1 << sim::FrameFate) per fate shown

    // False when every row passes (the model then maps rows to the history directly).
    bool isActive() const;
    friend bool operator==(const EventLogFilter&, const EventLogFilter&) = default;
};

// A filter prepared for one topology. Construction is O(nodes + 256); matches() is a
// handful of table look-ups and allocates nothing.
class EventLogMatcher {
public:
    EventLogMatcher(const EventLogFilter& filter, std::span<const QString> addresses);
    bool matches(const LabLogRow& row) const;

private:
    bool nodeText(sim::NodeId node) const;
    bool textMatches(const LabLogRow& row) const;

    EventLogFilter m_filter;
    bool m_hasText = false;
    std::vector<bool> m_nodeText;          // address of node i contains the text
    bool m_broadcastText = false, m_noNodeText = false;
    std::array<bool, 2> m_kindText{};
    std::array<bool, 256> m_commandText{};
    std::array<bool, 8> m_macTypeText{};
    std::array<bool, 8> m_fateText{};
    // State changes: machine name, and state value names of the OTA machines (16, 17).
    std::array<bool, 32> m_machineText{};
    std::array<std::array<bool, 16>, 2> m_valueText{};
};

} // namespace otalab::app
