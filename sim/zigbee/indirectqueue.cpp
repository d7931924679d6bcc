// SPDX-License-Identifier: Apache-2.0
#include "sim/zigbee/indirectqueue.h"

#include <algorithm>

namespace otalab::sim {

IndirectQueue::IndirectQueue(std::size_t capacity)
    : m_capacity(capacity)
{
    m_entries.reserve(capacity);
}

bool IndirectQueue::push(const Held& held)
{
    if (m_entries.size() >= m_capacity)
        return false;
    m_entries.push_back(held);
    return true;
}

bool IndirectQueue::hasFor(std::uint16_t child) const
{
    return std::any_of(m_entries.begin(), m_entries.end(), [child](const Held& h) { return h.child == child; });
}

std::size_t IndirectQueue::countFor(std::uint16_t child) const
{
    return static_cast<std::size_t>(
        std::count_if(m_entries.begin(), m_entries.end(), [child](const Held& h) { return h.child == child; }));
}

std::optional<IndirectQueue::Held> IndirectQueue::takeFor(std::uint16_t child)
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [child](const Held& h) { return h.child == child; });
    if (it == m_entries.end())
        return std::nullopt;
    Held held = *it;
    m_entries.erase(it);
    return held;
}

bool IndirectQueue::restore(const Held& held)
{
    if (m_entries.size() >= m_capacity)
        return false;
    const auto at = std::upper_bound(m_entries.begin(), m_entries.end(), held.expiresAt,
                                     [](SimTime t, const Held& h) { return t < h.expiresAt; });
    m_entries.insert(at, held);
    return true;
}

std::optional<IndirectQueue::Held> IndirectQueue::popExpired(SimTime now)
{
    if (m_entries.empty() || m_entries.front().expiresAt > now)
        return std::nullopt;
    Held held = m_entries.front();
    m_entries.erase(m_entries.begin());
    return held;
}

std::optional<SimTime> IndirectQueue::nextExpiry() const
{
    if (m_entries.empty())
        return std::nullopt;
    return m_entries.front().expiresAt;
}

} // namespace otalab::sim
