// SPDX-License-Identifier: Apache-2.0
#include "sim/energy/powerstatemachine.h"

#include "sim/kernel/observerlist.h"

#include <cassert>

namespace otalab::sim {

PowerStateMachine::PowerStateMachine(NodeId node, EnergyComponent component, double supplyVoltageV,
                                     const std::array<double, kMaxStates>& currentsA,
                                     std::uint16_t initial, SimTime start)
    : m_currentA(currentsA)
    , m_voltageV(supplyVoltageV)
    , m_since(start)
    , m_node(node)
    , m_component(component)
    , m_state(initial < kMaxStates ? initial : 0)
{
}

void PowerStateMachine::setState(SimTime now, std::uint16_t state, const ObserverList* observers)
{
    integrate(now, observers);
    if (state < kMaxStates)
        m_state = state;
}

void PowerStateMachine::flush(SimTime now, const ObserverList* observers)
{
    integrate(now, observers);
}

void PowerStateMachine::integrate(SimTime now, const ObserverList* observers)
{
    assert(now >= m_since);
    if (now <= m_since)
        return;
    const SimTime duration = now - m_since;
    const double seconds = duration.toSeconds();
    const double coulombs = m_currentA[m_state] * seconds;
    const double joules = coulombs * m_voltageV;
    m_chargeC += coulombs;
    m_energyJ += joules;
    m_energyIn[m_state] += joules;
    m_timeIn[m_state] += duration;
    m_since = now;
    if (observers && !observers->empty())
        observers->notifyEnergy(EnergySample{now, duration, m_node,
                                             static_cast<std::uint16_t>(m_component), m_state, joules});
}

} // namespace otalab::sim
