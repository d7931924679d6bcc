// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/broadcasttable.h"

#include <algorithm>

namespace otalab::sim {

BroadcastTable::BroadcastTable(std::size_t capacity)
    : m_entries(std::max<std::size_t>(1, capacity))
{
}

bool BroadcastTable::checkAndInsert(std::uint16_t src, std::uint8_t sequence)
{
    for (const Entry& e : m_entries) {
        if (e.valid && e.src == src && e.sequence == sequence)
            return true;
    }
    m_entries[m_next] = Entry{src, sequence, true};
    m_next = (m_next + 1) % m_entries.size();
    return false;
}

} // namespace otalab::sim
