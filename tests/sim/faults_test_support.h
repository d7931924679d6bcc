// SPDX-License-Identifier: Apache-2.0
// A test-only Fleet for the faults/attacks tests: devices that start at 1 s and end at a
// programmed time in a programmed phase, and fault hooks that only record what FleetRun
// asked (arm before start, inject at a time) and write the FaultLog as a family would.
// It also queues, while running, an event of its own at `ownEventAtS`, so a test can see
// that a fault of the same moment (queued earlier, at build) is injected after it.
#pragma once

#include "sim/fleet/families.h"
#include "sim/fleet/fleetrun.h"
#include "sim/kernel/simulator.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

namespace otalab::sim::faultstest {

struct FakeDevice {
    double endS = 10;                              // reaches `end` then
    FleetPhase end = FleetPhase::Upgraded;         // Idle: never ends (Unfinished)
};

struct FakeFaultProgram {
    QString family = QStringLiteral("fake");
    std::vector<FakeDevice> devices;
    Fleet::FaultSupport support;
    bool acceptAttacks = false;                    // injectAttack: accepted (a finding) or rejected
    std::optional<bool> verdict;                   // injectFault writes this recovered verdict when set
    QString armError;                              // armFault fails with it when not empty
    double ownEventAtS = -1;                       // < 0: none
};

// Every fault and attack kind, every condition.
inline Fleet::FaultSupport fullSupport()
{
    Fleet::FaultSupport s;
    for (int k = 0; k < faults::kFaultKindCount; ++k)
        s.kinds.push_back(faults::FaultKind(k));
    for (int k = 0; k < faults::kAttackKindCount; ++k)
        s.attacks.push_back(faults::AttackKind(k));
    s.atFlashWrite = s.atProgress = true;
    s.survives = QStringLiteral("everything (fake)");
    return s;
}

inline FakeFaultProgram uniformFaultProgram(int n, double endS = 10, FleetPhase end = FleetPhase::Upgraded)
{
    FakeFaultProgram p;
    p.devices.assign(std::size_t(n), FakeDevice{endS, end});
    p.support = fullSupport();
    return p;
}

// One record of the hooks, in call order.
struct HookCall {
    char what = 0;            // 'F' armFault, 'A' armAttack, 'f' injectFault, 'a' injectAttack, 'o' own event, 's' start
    double atS = 0;           // virtual time of the call
    int id = -1;              // order id (FaultLog entry)
    std::optional<std::size_t> device;
};

class FakeFaultFleet final : public Fleet, private EventHandler {
public:
    FakeFaultFleet(FakeFaultProgram program, const FleetBuildContext& ctx)
        : m_program(std::move(program)), m_sim(ctx.sim), m_listener(ctx.listener)
    {
        for (std::size_t d = 0; d < m_program.devices.size(); ++d)
            m_nodes.push_back(FleetNodeInfo{NodeId(ctx.firstNode + d), QStringLiteral("dev-%1").arg(d), QStringLiteral("device"),
                                            kNoNode, double(d), 0, true, {}});
        m_nodes.push_back(FleetNodeInfo{NodeId(ctx.firstNode + m_program.devices.size()), QStringLiteral("gw-1"), QStringLiteral("gateway"),
                                        kNoNode, 0, 0, false, {}});
        m_phase.assign(m_program.devices.size(), FleetPhase::Waiting);
    }

    QString family() const override { return m_program.family; }
    const std::vector<FleetNodeInfo>& nodes() const override { return m_nodes; }
    std::size_t deviceCount() const override { return m_phase.size(); }
    NodeId deviceNode(std::size_t device) const override { return m_nodes[device].node; }
    FleetPhase phase(std::size_t device) const override { return m_phase[device]; }
    DeviceStatus status(std::size_t device) const override
    {
        DeviceStatus s;
        s.phase = m_phase[device];
        return s;
    }
    std::vector<MachineDescription> machines() const override { return {}; }
    FleetFacts facts() const override { return {}; }

    void start() override
    {
        calls.push_back({'s', m_sim.now().toSeconds(), -1, std::nullopt});
        for (std::size_t d = 0; d < m_phase.size(); ++d)
            m_sim.schedule(SimTime::fromSeconds(1), *this, EventData{m_nodes[d].node, kStart, d, 0});
        if (m_program.ownEventAtS >= 0)   // queued during the run (at 0 s), after FleetRun queued its fault events
            m_sim.schedule(SimTime::fromSeconds(0), *this, EventData{kNoNode, kOwn, 0, 0});
    }
    void appendResults(std::vector<DeviceResult>& out) const override
    {
        for (std::size_t d = 0; d < m_phase.size(); ++d) {
            DeviceResult r;
            r.node = m_nodes[d].node;
            r.name = m_nodes[d].name;
            r.fleet = name();
            r.family = family();
            r.versionBefore = QStringLiteral("1.0.0");
            r.versionAfter = QStringLiteral("1.0.0");
            switch (m_phase[d]) {
            case FleetPhase::Upgraded:
                r.outcome = DeviceOutcome::Upgraded;
                r.versionAfter = QStringLiteral("2.0.0");
                break;
            case FleetPhase::Failed: r.outcome = DeviceOutcome::Failed; r.failureReason = QStringLiteral("timed out"); break;
            case FleetPhase::Refused: r.outcome = DeviceOutcome::Refused; r.failureReason = QStringLiteral("bad signature"); break;
            case FleetPhase::RolledBack: r.outcome = DeviceOutcome::RolledBack; r.failureReason = QStringLiteral("self-test failed"); break;
            case FleetPhase::Waiting: r.outcome = DeviceOutcome::NotStarted; break;
            default: r.outcome = DeviceOutcome::Unfinished; r.versionAfter.clear(); break;
            }
            out.push_back(r);
        }
    }

    FaultSupport faultSupport() const override { return m_program.support; }
    Result<void> armFault(const faults::FaultOrder& order) override
    {
        EXPECT_NE(faultLog(), nullptr) << "armFault before setFaultLog";
        calls.push_back({'F', m_sim.now().toSeconds(), order.id, order.device});
        armedFaults.push_back(order);
        if (!m_program.armError.isEmpty())
            return fail(m_program.armError);
        return {};
    }
    Result<void> armAttack(const faults::AttackOrder& order) override
    {
        calls.push_back({'A', m_sim.now().toSeconds(), order.id, order.device});
        armedAttacks.push_back(order);
        return {};
    }
    void injectFault(const faults::FaultOrder& order) override
    {
        const double now = m_sim.now().toSeconds();
        calls.push_back({'f', now, order.id, order.device});
        faultLog()->fired(order.id, now, QStringLiteral("%1 for %2 s").arg(faults::faultKindName(order.kind)).arg(order.forS));
        faultLog()->effect(order.id, QStringLiteral("noted"));
        if (m_program.verdict)
            faultLog()->recovered(order.id, *m_program.verdict);
    }
    void injectAttack(const faults::AttackOrder& order) override
    {
        const double now = m_sim.now().toSeconds();
        calls.push_back({'a', now, order.id, order.device});
        faultLog()->attackTried(order.id, now, m_program.acceptAttacks,
                                m_program.acceptAttacks ? QStringLiteral("stored as valid") : QStringLiteral("signature does not verify"));
    }

    std::vector<HookCall> calls;
    std::vector<faults::FaultOrder> armedFaults;
    std::vector<faults::AttackOrder> armedAttacks;

private:
    enum Kind : std::uint32_t { kStart = 1, kEnd = 2, kOwn = 3 };
    void setPhase(std::size_t d, FleetPhase to)
    {
        const FleetPhase from = m_phase[d];
        m_phase[d] = to;
        if (m_listener && from != to)
            m_listener->onDevicePhase(*this, d, from, to);
    }
    void handleEvent(Simulator& sim, const Event& event) override
    {
        const std::size_t d = std::size_t(event.data.arg0);
        if (event.data.kind == kOwn && event.data.arg1 == 0) {
            sim.schedule(SimTime::fromSeconds(m_program.ownEventAtS), *this, EventData{kNoNode, kOwn, 0, 1});
        } else if (event.data.kind == kOwn) {
            calls.push_back({'o', sim.now().toSeconds(), -1, std::nullopt});
        } else if (event.data.kind == kStart) {
            setPhase(d, FleetPhase::Downloading);
            if (m_program.devices[d].end != FleetPhase::Idle)
                sim.schedule(SimTime::fromSeconds(std::max(1.0, m_program.devices[d].endS)), *this, EventData{m_nodes[d].node, kEnd, d, 0});
        } else {
            setPhase(d, m_program.devices[d].end);
        }
    }

    FakeFaultProgram m_program;
    Simulator& m_sim;
    FleetListener* m_listener;
    std::vector<FleetNodeInfo> m_nodes;
    std::vector<FleetPhase> m_phase;
};

// A FleetRun over FakeFaultFleets, one per program (named "a", "b", …).
struct FakeFaultRun {
    std::vector<FakeFaultProgram> programs;
    std::vector<FakeFaultFleet*> fleets;  // owned by the run

    Result<std::unique_ptr<FleetRun>> build(ScenarioConfig config)
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
        factories.fleet = [this, &next](const FleetConfig&, const FleetBuildContext& ctx) -> Result<std::unique_ptr<Fleet>> {
            auto fleet = std::make_unique<FakeFaultFleet>(programs.at(next++), ctx);
            fleets.push_back(fleet.get());
            return std::unique_ptr<Fleet>(std::move(fleet));
        };
        return FleetRun::build(config, {}, factories);
    }
};

inline ScenarioConfig faultScenario(double untilS = 3600, bool whenAllFinished = true)
{
    ScenarioConfig c;
    c.name = QStringLiteral("faults-unit");
    c.seed = 11;
    c.stop.untilS = untilS;
    c.stop.whenAllFinished = whenAllFinished;
    c.sampleIntervalS = 10;
    return c;
}

} // namespace otalab::sim::faultstest
