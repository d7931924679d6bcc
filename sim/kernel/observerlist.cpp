// SPDX-License-Identifier: Apache-2.0
// ObserverList attachment management.
#include "sim/kernel/observerlist.h"

#include <algorithm>

namespace otalab::sim {

void ObserverList::add(SimObserver* observer)
{
    if (observer && std::find(m_observers.begin(), m_observers.end(), observer) == m_observers.end())
        m_observers.push_back(observer);
}

void ObserverList::remove(SimObserver* observer)
{
    std::erase(m_observers, observer);
}

} // namespace otalab::sim
