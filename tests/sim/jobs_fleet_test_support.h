// SPDX-License-Identifier: Apache-2.0
// Helpers for the jobs fleet tests: small fleets and a run of them.
#pragma once

#include "sim/fleet/fleetrun.h"
#include "sim/jobs/jobsfleet.h"

#include <gtest/gtest.h>

#include <memory>

namespace otalab::test::jobsfleet {

using namespace otalab::sim;

// `wifi` ESP32s and `ltem` nRF9160s on LTE-M, a 64 KiB image (16 blocks of 4 KiB), the job
// at t = 10 s, no losses.
inline JobsFleetConfig smallFleet(int wifi = 6, int ltem = 4)
{
    JobsFleetConfig c;
    c.devices.clear();
    if (wifi > 0) {
        JobsDeviceGroupConfig g;
        g.count = wifi;
        g.preset = QStringLiteral("esp32-wifi");
        g.lossPercent = 0.0;
        c.devices.push_back(g);
    }
    if (ltem > 0) {
        JobsDeviceGroupConfig g;
        g.count = ltem;
        g.preset = QStringLiteral("nrf9160-ltem");
        g.lossPercent = 0.0;
        c.devices.push_back(g);
    }
    c.image.sizeBytes = 64 * 1024;
    c.broker.startAtS = 10;
    return c;
}

class JobsRun {
public:
    explicit JobsRun(const JobsFleetConfig& fleet, std::uint64_t seed = 3, double untilS = 86'400.0)
    {
        ScenarioConfig s;
        s.name = QStringLiteral("jobs-test");
        s.seed = seed;
        s.stop.untilS = untilS;
        s.stop.whenAllFinished = true;
        s.sampleIntervalS = 10;
        s.fleets.push_back(FleetConfig{QStringLiteral("things"), fleet});
        auto run = FleetRun::build(s);
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
    const RunResult& result() const { return m_result; }
    FleetRun& fleetRun() { return *m_run; }
    const JobsFleet& fleet() const { return static_cast<const JobsFleet&>(*m_run->fleets().front()); }
    int count(DeviceOutcome o) const { return m_result.count(o); }
    std::uint64_t fingerprint() const { return m_run->traceFingerprint(); }

private:
    std::unique_ptr<FleetRun> m_run;
    RunResult m_result;
};

} // namespace otalab::test::jobsfleet
