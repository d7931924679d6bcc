// SPDX-License-Identifier: Apache-2.0
#include "sim/energy/deviceenergy.h"

#include "sim/kernel/simulator.h"

namespace otalab::sim {

namespace {

std::array<double, PowerStateMachine::kMaxStates> widen(const auto& currents)
{
    std::array<double, PowerStateMachine::kMaxStates> out{};
    for (std::size_t i = 0; i < currents.size() && i < out.size(); ++i)
        out[i] = currents[i];
    return out;
}

} // namespace

DeviceEnergy::DeviceEnergy(NodeId node, const DevicePreset& preset, SimTime start)
    : m_node(node)
    , m_radio(node, EnergyComponent::Radio, preset.supplyVoltageV, widen(preset.radioCurrentsA()),
              static_cast<std::uint16_t>(RadioState::Sleep), start)
    , m_cpu(node, EnergyComponent::Cpu, preset.supplyVoltageV, widen(preset.cpuCurrentsA()),
            static_cast<std::uint16_t>(CpuState::Sleep), start)
{
}

void DeviceEnergy::setRadioState(Simulator& sim, RadioState state)
{
    const auto from = m_radio.state();
    const auto to = static_cast<std::uint16_t>(state);
    m_radio.setState(sim.now(), to, &sim.observers());
    if (from != to)
        sim.observers().notifyStateChange(
            {sim.now(), m_node, static_cast<std::uint16_t>(EnergyComponent::Radio), from, to});
}

void DeviceEnergy::setCpuState(Simulator& sim, CpuState state)
{
    const auto from = m_cpu.state();
    const auto to = static_cast<std::uint16_t>(state);
    m_cpu.setState(sim.now(), to, &sim.observers());
    if (from != to)
        sim.observers().notifyStateChange(
            {sim.now(), m_node, static_cast<std::uint16_t>(EnergyComponent::Cpu), from, to});
}

void DeviceEnergy::flush(Simulator& sim)
{
    m_radio.flush(sim.now(), &sim.observers());
    m_cpu.flush(sim.now(), &sim.observers());
}

} // namespace otalab::sim
