// SPDX-License-Identifier: Apache-2.0
// ObserverList attachment management.
#include "sim/kernel/observerlist.h"

#include <algorithm>

namespace otalab::sim {

void ObserverList::add(SimObserver* observer)
{
    if (observer && std::find(m_observers.begin(), m_observers.end(), observer) == m_observers.end())
        m_observers.push_back(observer);
    m_leadTrace = dynamic_cast<TraceWriter*>(m_observers.empty() ? nullptr : m_observers.front());
}

void ObserverList::remove(SimObserver* observer)
{
    std::erase(m_observers, observer);
    m_leadTrace = dynamic_cast<TraceWriter*>(m_observers.empty() ? nullptr : m_observers.front());
}

} // namespace otalab::sim
