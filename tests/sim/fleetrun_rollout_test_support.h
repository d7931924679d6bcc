// SPDX-License-Identifier: Apache-2.0
// A test-only Fleet for the FleetRun rollout tests: devices that do nothing until
// released, then start after a programmed delay, run for a programmed time and end in a
// programmed phase — one program per attempt, so a retry can end differently. It records
// every holdForRollout / releaseDevices / stopDevices call. It also proves the Fleet
// rollout contract from the family's side: a held device never starts unreleased, a
// stopped device never starts (a running one ends Failed), a retried device leaves its
// final phase for Waiting.
#pragma once

#include "sim/fleet/families.h"
#include "sim/fleet/fleetrun.h"
#include "sim/kernel/simulator.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <vector>

namespace otalab::sim::rollouttest {

// One attempt of one device: starts (Waiting → Downloading) startDelayS after its release,
// ends in `outcome` runS later.
struct Attempt {
    double startDelayS = 1;
    double runS = 10;
    FleetPhase outcome = FleetPhase::Upgraded;
};

// A fleet's program: attempts[d] for device d (the last attempt repeats on further retries).
struct FakeProgram {
    QString family = QStringLiteral("fake");
    Fleet::RolloutSupport support{true, true, true, QStringLiteral("fake devices start when released")};
    std::vector<std::vector<Attempt>> attempts;
};

// `n` devices, one attempt each: every `failEvery`-th device (1-based; 0: none) fails.
inline FakeProgram uniformProgram(int n, int failEvery = 0, Attempt ok = {}, FleetPhase bad = FleetPhase::Failed)
{
    FakeProgram p;
    for (int d = 0; d < n; ++d) {
        Attempt a = ok;
        if (failEvery > 0 && (d + 1) % failEvery == 0)
            a.outcome = bad;
        p.attempts.push_back({a});
    }
    return p;
}

class FakeFleet final : public Fleet, private EventHandler {
public:
    FakeFleet(FakeProgram program, const FleetBuildContext& ctx)
        : m_program(std::move(program)), m_sim(ctx.sim), m_listener(ctx.listener)
    {
        const std::size_t n = m_program.attempts.size();
        m_devices.resize(n);
        for (std::size_t d = 0; d < n; ++d)
            m_nodes.push_back(FleetNodeInfo{NodeId(ctx.firstNode + d), QStringLiteral("dev-%1").arg(d), QStringLiteral("device"),
                                            kNoNode, double(d), 0, true, {}});
    }

    QString family() const override { return m_program.family; }
    const std::vector<FleetNodeInfo>& nodes() const override { return m_nodes; }
    std::size_t deviceCount() const override { return m_devices.size(); }
    NodeId deviceNode(std::size_t device) const override { return m_nodes[device].node; }
    FleetPhase phase(std::size_t device) const override { return m_devices[device].phase; }
    DeviceStatus status(std::size_t device) const override
    {
        DeviceStatus s;
        s.phase = m_devices[device].phase;
        return s;
    }
    std::vector<MachineDescription> machines() const override { return {}; }
    FleetFacts facts() const override { return {}; }

    void start() override
    {
        ++starts;
        if (!held)
            for (std::size_t d = 0; d < m_devices.size(); ++d)
                release(d);
    }
    void appendResults(std::vector<DeviceResult>& out) const override
    {
        for (std::size_t d = 0; d < m_devices.size(); ++d) {
            const Device& dev = m_devices[d];
            DeviceResult r;
            r.node = m_nodes[d].node;
            r.name = m_nodes[d].name;
            r.fleet = name();
            r.family = family();
            r.role = m_nodes[d].role;
            r.startS = dev.startS;
            switch (dev.phase) {
            case FleetPhase::Upgraded:
                r.outcome = DeviceOutcome::Upgraded;
                r.finishS = dev.endS;
                break;
            case FleetPhase::Failed:
            case FleetPhase::Refused:
            case FleetPhase::RolledBack:
                r.outcome = dev.phase == FleetPhase::Failed    ? DeviceOutcome::Failed
                            : dev.phase == FleetPhase::Refused ? DeviceOutcome::Refused
                                                               : DeviceOutcome::RolledBack;
                r.failedAtS = dev.endS;
                r.failureReason = dev.stopped ? QStringLiteral("stopped by the rollout") : QStringLiteral("programmed");
                break;
            default:
                r.outcome = dev.startS ? DeviceOutcome::Unfinished : DeviceOutcome::NotStarted;
            }
            out.push_back(r);
        }
    }

    RolloutSupport rolloutSupport() const override { return m_program.support; }
    void holdForRollout() override
    {
        EXPECT_EQ(starts, 0) << "holdForRollout after start()";
        held = true;
    }
    void releaseDevices(const std::vector<std::size_t>& devices) override
    {
        releases.push_back(devices);
        calls.emplace_back('R', devices);
        for (std::size_t d : devices)
            release(d);
    }
    void stopDevices(const std::vector<std::size_t>& devices) override
    {
        stops.push_back(devices);
        calls.emplace_back('S', devices);
        for (std::size_t d : devices) {
            Device& dev = m_devices[d];
            ++dev.generation;  // its pending start / end never fire
            dev.stopped = true;
            if (isActivePhase(dev.phase))
                setPhase(d, FleetPhase::Failed);
        }
    }

    // Records.
    bool held = false;
    int starts = 0;
    std::vector<std::vector<std::size_t>> releases;  // one entry per releaseDevices call
    std::vector<std::vector<std::size_t>> stops;     // one entry per stopDevices call
    std::vector<std::pair<char, std::vector<std::size_t>>> calls;  // 'R' release / 'S' stop, in call order
    int attemptsOf(std::size_t device) const { return m_devices[device].attempts; }
    std::optional<double> startedAtS(std::size_t device) const { return m_devices[device].startS; }

private:
    enum Kind : std::uint32_t { kStart = 1, kEnd = 2 };
    struct Device {
        FleetPhase phase = FleetPhase::Waiting;
        std::uint64_t generation = 0;
        int attempts = 0;
        bool stopped = false;
        std::optional<double> startS, endS;
    };

    const Attempt& attempt(std::size_t d) const
    {
        const auto& list = m_program.attempts[d];
        return list[std::min<std::size_t>(std::size_t(std::max(0, m_devices[d].attempts - 1)), list.size() - 1)];
    }
    void release(std::size_t d)
    {
        Device& dev = m_devices[d];
        if (isActivePhase(dev.phase))
            return;  // already working on it
        dev.stopped = false;
        ++dev.generation;
        ++dev.attempts;
        if (isFinalPhase(dev.phase))
            setPhase(d, FleetPhase::Waiting);  // a retry
        m_sim.scheduleAfter(SimTime::fromSeconds(attempt(d).startDelayS), *this,
                            EventData{m_nodes[d].node, kStart, d, dev.generation});
    }
    void setPhase(std::size_t d, FleetPhase to)
    {
        Device& dev = m_devices[d];
        const FleetPhase from = dev.phase;
        if (from == to)
            return;
        dev.phase = to;
        if (isFinalPhase(to))
            dev.endS = m_sim.now().toSeconds();
        if (m_listener)
            m_listener->onDevicePhase(*this, d, from, to);
    }
    void handleEvent(Simulator& sim, const Event& event) override
    {
        const std::size_t d = std::size_t(event.data.arg0);
        Device& dev = m_devices[d];
        if (event.data.arg1 != dev.generation)
            return;
        if (event.data.kind == kStart) {
            if (!dev.startS)
                dev.startS = sim.now().toSeconds();
            setPhase(d, FleetPhase::Downloading);
            sim.scheduleAfter(SimTime::fromSeconds(attempt(d).runS), *this, EventData{m_nodes[d].node, kEnd, d, dev.generation});
        } else {
            setPhase(d, attempt(d).outcome);
        }
    }

    FakeProgram m_program;
    Simulator& m_sim;
    FleetListener* m_listener;
    std::vector<FleetNodeInfo> m_nodes;
    std::vector<Device> m_devices;
};

// Builds a FleetRun whose fleets are FakeFleets, one per program (named "a", "b", … unless
// names are given), with the real rollout engine unless `engine` is set.
struct FakeRun {
    std::vector<FakeProgram> programs;
    std::vector<FakeFleet*> fleets;  // owned by the run

    Result<std::unique_ptr<FleetRun>> build(ScenarioConfig config, RolloutEngineFactory engine = {})
    {
        if (config.fleets.empty())
            for (std::size_t k = 0; k < programs.size(); ++k) {
                FleetConfig f;
                f.name = QString(QChar(u'a' + char16_t(k)));
                f.family = SmpFleetConfig{};
                config.fleets.push_back(f);
            }
        fleets.clear();
        std::size_t next = 0;
        FleetRunFactories factories;
        factories.engine = std::move(engine);
        factories.fleet = [this, &next](const FleetConfig&, const FleetBuildContext& ctx) -> Result<std::unique_ptr<Fleet>> {
            auto fleet = std::make_unique<FakeFleet>(programs.at(next++), ctx);
            fleets.push_back(fleet.get());
            return std::unique_ptr<Fleet>(std::move(fleet));
        };
        return FleetRun::build(config, {}, factories);
    }
};

// A scenario that stops when all finished (or at `untilS`), sampled every `sampleS`.
inline ScenarioConfig baseScenario(double untilS = 24 * 3600.0, double sampleS = 10)
{
    ScenarioConfig c;
    c.name = QStringLiteral("rollout-unit");
    c.seed = 7;
    c.stop.untilS = untilS;
    c.stop.whenAllFinished = true;
    c.sampleIntervalS = sampleS;
    return c;
}

} // namespace otalab::sim::rollouttest
