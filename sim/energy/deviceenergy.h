// SPDX-License-Identifier: Apache-2.0
// DeviceEnergy: one device's radio and CPU power state machines.
#pragma once

#include "sim/energy/devicepreset.h"
#include "sim/energy/powerstatemachine.h"

namespace otalab::sim {

class Simulator;

// Energy accounting of one device: the radio (driven by its Mac) and the CPU (driven
// by the device model: Active while handling a frame, FlashErase/FlashWrite while the
// flash model works, Sleep otherwise). Both start asleep at `start`. Every state
// change closes an interval, which is reported to the simulator's observers as an
// EnergySample and a StateChange (machine = EnergyComponent). Simulation thread only.
class DeviceEnergy {
public:
    DeviceEnergy(NodeId node, const DevicePreset& preset, SimTime start = SimTime::zero());

    void setRadioState(Simulator& sim, RadioState state);
    void setCpuState(Simulator& sim, CpuState state);
    // Radio states visited and left again without setRadioState() (a closed-form idle
    // poll); see PowerStateMachine::chargeVisit. No StateChange is reported for them.
    void chargeRadioVisit(std::span<const PowerStateMachine::StateDuration> visit) { m_radio.chargeVisit(visit); }
    // Integrates both components up to sim.now() (before reading totals).
    void flush(Simulator& sim);

    RadioState radioState() const { return static_cast<RadioState>(m_radio.state()); }
    CpuState cpuState() const { return static_cast<CpuState>(m_cpu.state()); }
    const PowerStateMachine& radio() const { return m_radio; }
    const PowerStateMachine& cpu() const { return m_cpu; }
    double energyJoules() const { return m_radio.energyJoules() + m_cpu.energyJoules(); }
    // Energy up to `now` without flushing (no records: safe to read mid-run, e.g. for a GUI).
    double energyJoulesAt(SimTime now) const { return m_radio.energyJoulesAt(now) + m_cpu.energyJoulesAt(now); }
    double chargeMilliampHours() const { return m_radio.chargeMilliampHours() + m_cpu.chargeMilliampHours(); }
    NodeId node() const { return m_node; }

private:
    NodeId m_node;
    PowerStateMachine m_radio;
    PowerStateMachine m_cpu;
};

} // namespace otalab::sim
