// SPDX-License-Identifier: Apache-2.0
#include "radio_test_support.h"

#include "sim/energy/deviceenergy.h"
#include "sim/energy/powerstatemachine.h"
#include "sim/kernel/observerlist.h"
#include "sim/radio/radiochannel.h"

#include <gtest/gtest.h>

#include <vector>

using namespace otalab::sim;
using namespace otalab::sim::test;

namespace {

class EnergyLog final : public SimObserver {
public:
    void onEnergy(const EnergySample& s) override { samples.push_back(s); }
    void onStateChange(const StateChange& c) override { changes.push_back(c); }
    double joules(std::uint16_t component) const
    {
        double sum = 0.0;
        for (const EnergySample& s : samples)
            sum += s.component == component ? s.joules : 0.0;
        return sum;
    }
    std::vector<EnergySample> samples;
    std::vector<StateChange> changes;
};

constexpr auto kSleep = static_cast<std::uint16_t>(RadioState::Sleep);
constexpr auto kIdle = static_cast<std::uint16_t>(RadioState::Idle);
constexpr auto kRx = static_cast<std::uint16_t>(RadioState::Rx);
constexpr auto kTx = static_cast<std::uint16_t>(RadioState::Tx);

} // namespace

TEST(EnergyPowerStateMachine, IntegratesKnownSequence)
{
    // 3 V; sleep 2 µA, idle 5 mA, RX 6 mA, TX 8 mA.
    // sleep 1 s → 6e-6 J; idle 10 ms → 1.5e-4 J; TX 4.256 ms → 1.02144e-4 J;
    // RX 352 µs → 6.336e-6 J; sleep 0.5 s → 3e-6 J. Total 2.6748e-4 J.
    ObserverList observers;
    EnergyLog log;
    observers.add(&log);
    PowerStateMachine m(4, EnergyComponent::Radio, 3.0, {2e-6, 5e-3, 6e-3, 8e-3}, kSleep, SimTime::zero());
    SimTime t = SimTime::fromSecondsInt(1);
    m.setState(t, kIdle, &observers);
    t += SimTime::fromMillis(10);
    m.setState(t, kTx, &observers);
    t += SimTime::fromMicros(4256);
    m.setState(t, kRx, &observers);
    t += SimTime::fromMicros(352);
    m.setState(t, kSleep, &observers);
    t += SimTime::fromMillis(500);
    m.flush(t, &observers);

    EXPECT_NEAR(m.energyJoules(), 2.6748e-4, 1e-12);
    EXPECT_NEAR(m.energyJoulesIn(kTx), 1.02144e-4, 1e-13);
    EXPECT_NEAR(m.energyJoulesIn(kSleep), 9e-6, 1e-15);
    EXPECT_NEAR(m.chargeCoulombs(), 2.6748e-4 / 3.0, 1e-12);
    EXPECT_NEAR(m.chargeMilliampHours(), 2.6748e-4 / 3.0 / 3.6, 1e-12);
    EXPECT_EQ(m.timeIn(kTx), SimTime::fromMicros(4256));
    EXPECT_EQ(m.timeIn(kSleep), SimTime::fromMillis(1500));

    ASSERT_EQ(log.samples.size(), 5u);
    EXPECT_EQ(log.samples[2].state, kTx);
    EXPECT_EQ(log.samples[2].duration, SimTime::fromMicros(4256));
    EXPECT_EQ(log.samples[2].node, 4u);
    EXPECT_NEAR(log.joules(static_cast<std::uint16_t>(EnergyComponent::Radio)), m.energyJoules(), 1e-15);
}

TEST(EnergyPowerStateMachine, ZeroLengthIntervalsAreNotReported)
{
    ObserverList observers;
    EnergyLog log;
    observers.add(&log);
    PowerStateMachine m(0, EnergyComponent::Cpu, 3.0, {1e-6, 1e-3, 2e-3, 3e-3}, 0, SimTime::zero());
    m.setState(SimTime::zero(), 1, &observers);
    m.setState(SimTime::zero(), 2, &observers);
    EXPECT_TRUE(log.samples.empty());
    m.flush(SimTime::fromMillis(2), &observers);
    ASSERT_EQ(log.samples.size(), 1u);
    EXPECT_NEAR(log.samples[0].joules, 2e-3 * 3.0 * 2e-3, 1e-15);
}

TEST(EnergyDevice, CpuSequenceWithPreset)
{
    // CPU: active 2 ms, flash erase 20 ms, flash write 5 ms, then sleep 1 s.
    DevicePreset p;
    p.supplyVoltageV = 3.0;
    p.cpu = {1e-6, 3e-3, 4e-3, 5e-3};
    Simulator sim;
    EnergyLog log;
    sim.addObserver(&log);
    DeviceEnergy device(9, p);
    struct Step final : EventHandler {
        DeviceEnergy& d;
        explicit Step(DeviceEnergy& dev) : d(dev) {}
        void handleEvent(Simulator& s, const Event& e) override { d.setCpuState(s, static_cast<CpuState>(e.data.arg0)); }
    } step(device);
    sim.schedule(SimTime::zero(), step, {9, 0, static_cast<std::uint64_t>(CpuState::Active), 0});
    sim.schedule(SimTime::fromMillis(2), step, {9, 0, static_cast<std::uint64_t>(CpuState::FlashErase), 0});
    sim.schedule(SimTime::fromMillis(22), step, {9, 0, static_cast<std::uint64_t>(CpuState::FlashWrite), 0});
    sim.schedule(SimTime::fromMillis(27), step, {9, 0, static_cast<std::uint64_t>(CpuState::Sleep), 0});
    sim.runUntil(SimTime::fromMillis(1027));
    device.flush(sim);
    // 3 V × (3 mA·2 ms + 4 mA·20 ms + 5 mA·5 ms + 1 µA·1 s) = 3 × 1.12e-4 C = 3.36e-4 J
    EXPECT_NEAR(device.cpu().energyJoules(), 3.36e-4, 1e-12);
    EXPECT_NEAR(device.energyJoules(), 3.36e-4, 1e-12); // radio asleep at 0 A
    EXPECT_EQ(device.cpuState(), CpuState::Sleep);
    EXPECT_EQ(log.changes.size(), 4u);
    EXPECT_NEAR(log.joules(static_cast<std::uint16_t>(EnergyComponent::Cpu)), 3.36e-4, 1e-12);
}

TEST(EnergyDevice, MacDrivesRadioStates)
{
    // A sends 20 payload bytes with an ACK (Immediate access): A transmits 1184 µs
    // and receives the 352 µs ACK; B receives 1184 µs and transmits 352 µs.
    Simulator sim;
    RadioChannel channel{RadioChannel::Config{}};
    Mac a(sim, channel, 0, 0x0000, immediateConfig());
    Mac b(sim, channel, 1, 0x0001);
    const DevicePreset preset = DevicePreset::nrf52840();
    DeviceEnergy ea(0, preset), eb(1, preset);
    a.setEnergy(&ea);
    b.setEnergy(&eb);
    ASSERT_TRUE(a.send(payloadOf(20), 0x0001, true));
    sim.run();
    ea.flush(sim);
    eb.flush(sim);
    const auto tx = static_cast<std::uint16_t>(RadioState::Tx);
    const auto rx = static_cast<std::uint16_t>(RadioState::Rx);
    const auto idle = static_cast<std::uint16_t>(RadioState::Idle);
    EXPECT_EQ(ea.radio().timeIn(tx), SimTime::fromMicros(1184));
    EXPECT_EQ(ea.radio().timeIn(rx), SimTime::fromMicros(352));
    EXPECT_EQ(ea.radio().timeIn(idle), SimTime::fromMicros(192)); // waiting for the ACK
    EXPECT_EQ(eb.radio().timeIn(rx), SimTime::fromMicros(1184));
    EXPECT_EQ(eb.radio().timeIn(tx), SimTime::fromMicros(352));
    const double expectedA = 3.0 * (6.40e-3 * 1184e-6 + 6.53e-3 * (352e-6 + 192e-6));
    EXPECT_NEAR(ea.radio().energyJoules(), expectedA, 1e-12);
}
