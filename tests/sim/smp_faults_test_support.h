// SPDX-License-Identifier: Apache-2.0
// One SMP fleet run whole through FleetRun with a scenario "faults" / "attacks" section
// (the smp_faults_* tests).
#pragma once

#include "sim/fleet/fleetrun.h"
#include "sim/smp/smpfleet.h"
#include "smp_fleet_test_support.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace otalab::test::smpfaults {

struct SmpFaultRun {
    SmpFaultRun(const sim::SmpFleetConfig& fleet, sim::faults::FaultsConfig faults, std::uint64_t seed = 3, double untilS = 4 * 3600)
    {
        sim::ScenarioConfig s;
        s.name = QStringLiteral("smp-faults-test");
        s.seed = seed;
        s.stop.untilS = untilS;
        s.stop.whenAllFinished = true;
        s.fleets.push_back(sim::FleetConfig{QStringLiteral("boards"), fleet});
        s.faults = std::move(faults);
        auto run = sim::FleetRun::build(s);
        EXPECT_TRUE(run.has_value()) << (run ? std::string() : run.error().toString().toStdString());
        if (run)
            m_run = std::move(*run);
        else
            buildError = run.error().toString();
    }
    bool run()
    {
        if (!m_run)
            return false;
        m_run->run();
        result = m_run->result();
        return true;
    }
    const sim::SmpFleet& fleet() const { return static_cast<const sim::SmpFleet&>(*m_run->fleets().front()); }
    const sim::DeviceResult& device(std::size_t i) const { return result.devices.at(i); }

    std::unique_ptr<sim::FleetRun> m_run;
    sim::RunResult result;
    QString buildError;
};

inline sim::faults::FaultSpec powerLoss(std::vector<int> devices, double forS = 10)
{
    sim::faults::FaultSpec f;
    f.kind = sim::faults::FaultKind::PowerLoss;
    f.select.devices = std::move(devices);
    f.forS = forS;
    return f;
}

inline sim::faults::AttackSpec attack(sim::faults::AttackKind kind, std::vector<int> devices)
{
    sim::faults::AttackSpec a;
    a.kind = kind;
    a.select.devices = std::move(devices);
    return a;
}

} // namespace otalab::test::smpfaults
