// SPDX-License-Identifier: Apache-2.0
// A scenario of one fleet, built and run whole through FleetRun, for the family fleet tests
// (jobs_fleet_test_support.h, lorawan_fleet_test_support.h).
#pragma once

#include "sim/fleet/fleetrun.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace otalab::test {

// What names and paces the scenario around the fleet.
struct SingleFleetScenario {
    QString scenarioName;         // "jobs-test"
    QString fleetName;            // "things"
    double sampleIntervalS = 10;  // virtual seconds between fleet samples
};

// The scenario holds `fleet` alone, stops at untilS or when every device is final. A
// fleet that does not build fails the test (EXPECT) and leaves run() false.
template <typename FleetType>
class SingleFleetRun {
public:
    template <typename FleetConfigType>
    SingleFleetRun(const FleetConfigType& fleet, const SingleFleetScenario& scenario, std::uint64_t seed, double untilS)
    {
        sim::ScenarioConfig s;
        s.name = scenario.scenarioName;
        s.seed = seed;
        s.stop.untilS = untilS;
        s.stop.whenAllFinished = true;
        s.sampleIntervalS = scenario.sampleIntervalS;
        s.fleets.push_back(sim::FleetConfig{scenario.fleetName, fleet});
        auto run = sim::FleetRun::build(s);
        EXPECT_TRUE(run.has_value()) << (run ? std::string() : run.error().toString().toStdString());
        if (run)
            m_run = std::move(*run);
    }

    bool run()
    {
        if (!m_run)
            return false;
        m_run->run();
        m_result = m_run->result();
        return true;
    }
    bool runUntil(double s) { return m_run && m_run->runUntil(s); }
    const sim::RunResult& result() const { return m_result; }
    sim::FleetRun& fleetRun() { return *m_run; }
    const FleetType& fleet() const { return static_cast<const FleetType&>(*m_run->fleets().front()); }
    int count(sim::DeviceOutcome o) const { return m_result.count(o); }
    std::uint64_t fingerprint() const { return m_run->traceFingerprint(); }

protected:
    std::unique_ptr<sim::FleetRun> m_run;
    sim::RunResult m_result;
};

} // namespace otalab::test
