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

void PowerStateMachine::chargeVisit(std::span<const StateDuration> visit)
{
    for (const StateDuration& step : visit) {
        if (step.state >= kMaxStates || step.duration <= SimTime::zero())
            continue;
        m_visitIn[step.state] += step.duration;
        m_visitTotal += step.duration;
        m_visitJoules += m_currentA[step.state] * step.duration.toSeconds() * m_voltageV;
    }
}

void PowerStateMachine::integrate(SimTime now, const ObserverList* observers)
{
    assert(now >= m_since);
    if (now < m_since || (now == m_since && m_visitTotal == SimTime::zero()))
        return;
    const SimTime elapsed = now - m_since;
    if (m_visitTotal == SimTime::zero()) {
        charge(now, m_state, elapsed, observers);
    } else {
        charge(now, m_state, elapsed > m_visitTotal ? elapsed - m_visitTotal : SimTime::zero(), observers);
        for (std::uint16_t s = 0; s < kMaxStates; ++s) {
            charge(now, s, m_visitIn[s], observers);
            m_visitIn[s] = SimTime::zero();
        }
        m_visitTotal = SimTime::zero();
        m_visitJoules = 0.0;
    }
    m_since = now;
}

void PowerStateMachine::charge(SimTime now, std::uint16_t state, SimTime duration, const ObserverList* observers)
{
    if (duration <= SimTime::zero())
        return;
    const double seconds = duration.toSeconds();
    const double coulombs = m_currentA[state] * seconds;
    const double joules = coulombs * m_voltageV;
    m_chargeC += coulombs;
    m_energyJ += joules;
    m_energyIn[state] += joules;
    m_timeIn[state] += duration;
    if (observers && !observers->empty())
        observers->notifyEnergy(EnergySample{now, duration, m_node, static_cast<std::uint16_t>(m_component), state, joules});
}

} // namespace otalab::sim
