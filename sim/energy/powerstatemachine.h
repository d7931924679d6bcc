// SPDX-License-Identifier: Apache-2.0
// PowerStateMachine: integrates one component's current over its states in virtual time.
#pragma once

#include "sim/energy/energycomponent.h"
#include "sim/kernel/nodeid.h"
#include "sim/kernel/simtime.h"

#include <array>
#include <cstdint>
#include <span>

namespace otalab::sim {

class ObserverList;

// A component (radio or CPU) of one device with up to kMaxStates states, each drawing
// a constant current (A) from a supply of constant voltage (V). setState() closes the
// interval spent in the previous state: charge += I·t (coulombs), energy += I·V·t
// (joules), and reports it as one EnergySample (time = now, duration = interval,
// state = the state that was left) when an observer list is given. Zero-length
// intervals are integrated (as zero) but not reported.
//
// Plain value type (no allocation), simulation thread only. Times must not go
// backwards (asserted; a backwards time integrates nothing).
class PowerStateMachine {
public:
    static constexpr std::size_t kMaxStates = 4;
    // One step of a visit (chargeVisit): `duration` spent in `state`.
    struct StateDuration {
        std::uint16_t state = 0;
        SimTime duration;
    };

    PowerStateMachine() = default;
    // `currentsA[s]` is the current drawn in state s (A); states >= stateCount are
    // invalid. Starts in `initial` at `start`.
    PowerStateMachine(NodeId node, EnergyComponent component, double supplyVoltageV,
                      const std::array<double, kMaxStates>& currentsA, std::uint16_t initial,
                      SimTime start);

    // Enters `state` at `now` (no-op apart from integration when unchanged).
    // Reports the closed interval to `observers` if non-null.
    void setState(SimTime now, std::uint16_t state, const ObserverList* observers = nullptr);
    // Integrates up to `now` without changing state (end of a run, before reading
    // totals). Reports the interval like setState().
    void flush(SimTime now, const ObserverList* observers = nullptr);
    // A visit to other states made and left again without setState() calls, inside the
    // current state's open interval (a closed-form idle poll: sim/zigbee/idlepollcost.h).
    // Its time and energy are charged exactly as the setState() calls would have
    // (totals, timeIn, energyIn) at the next setState()/flush(), which reports the
    // interval as EnergySamples all timed at that instant: first the current state with
    // the visits' time taken out, then one sample per visited state (duration = its total
    // time in the visits since the last report). No StateChange. If the interval is
    // shorter than the visits (a visit overlapping the next state change), the current
    // state is charged nothing and the visits in full.
    void chargeVisit(std::span<const StateDuration> visit);

    std::uint16_t state() const { return m_state; }
    SimTime stateSince() const { return m_since; }
    // Totals integrated up to the last setState()/flush().
    double chargeCoulombs() const { return m_chargeC; }
    double energyJoules() const { return m_energyJ; }
    // Energy up to `now` (>= stateSince()) without integrating: reading it reports nothing
    // to observers, so it cannot change a run's trace.
    double energyJoulesAt(SimTime now) const
    {
        const SimTime elapsed = now > m_since ? now - m_since : SimTime::zero();
        const double open = elapsed > m_visitTotal ? (elapsed - m_visitTotal).toSeconds() : 0.0;
        return m_energyJ + m_currentA[m_state] * open * m_voltageV + m_visitJoules;
    }
    double chargeMilliampHours() const { return m_chargeC / 3.6; }
    SimTime timeIn(std::uint16_t state) const { return state < kMaxStates ? m_timeIn[state] : SimTime{}; }
    double energyJoulesIn(std::uint16_t state) const { return state < kMaxStates ? m_energyIn[state] : 0.0; }
    double currentA(std::uint16_t state) const { return state < kMaxStates ? m_currentA[state] : 0.0; }
    double supplyVoltageV() const { return m_voltageV; }

private:
    void integrate(SimTime now, const ObserverList* observers);
    void charge(SimTime now, std::uint16_t state, SimTime duration, const ObserverList* observers);

    std::array<double, kMaxStates> m_currentA{};
    std::array<double, kMaxStates> m_energyIn{};
    std::array<SimTime, kMaxStates> m_timeIn{};
    double m_voltageV = 0.0;
    double m_chargeC = 0.0;
    double m_energyJ = 0.0;
    SimTime m_since;
    NodeId m_node = kNoNode;
    EnergyComponent m_component = EnergyComponent::Radio;
    std::uint16_t m_state = 0;
    // Visits charged by chargeVisit() and not yet integrated.
    std::array<SimTime, kMaxStates> m_visitIn{};
    SimTime m_visitTotal;
    double m_visitJoules = 0.0; // their energy (for energyJoulesAt only)
};

} // namespace otalab::sim
