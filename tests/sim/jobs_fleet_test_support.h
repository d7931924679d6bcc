// SPDX-License-Identifier: Apache-2.0
// Helpers for the jobs fleet tests: small fleets and a run of them.
#pragma once

#include "single_fleet_run_support.h"

#include "sim/jobs/jobsfleet.h"

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

class JobsRun : public SingleFleetRun<JobsFleet> {
public:
    explicit JobsRun(const JobsFleetConfig& fleet, std::uint64_t seed = 3, double untilS = 86'400.0)
        : SingleFleetRun(fleet, {QStringLiteral("jobs-test"), QStringLiteral("things"), 10}, seed, untilS)
    {
    }
};

} // namespace otalab::test::jobsfleet
