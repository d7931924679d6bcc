// SPDX-License-Identifier: Apache-2.0
// Helpers for the ocf fleet tests: small fleets and a run of them.
#pragma once

#include "single_fleet_run_support.h"

#include "sim/ocf/ocffleet.h"

namespace otalab::test::ocffleet {

using namespace otalab::sim;

// `thread` Thread SEDs and `wifi` Wi-Fi stations, a 32 KiB image, the client at t = 10 s,
// updatetime one hour after t = 0 (startsAt 2026-12-08T01:00:00Z, updatetime 02:00:00Z), no losses.
inline OcfFleetConfig smallFleet(int thread = 6, int wifi = 4)
{
    OcfFleetConfig c;
    c.devices.clear();
    if (thread > 0) {
        OcfDeviceGroupConfig g;
        g.count = thread;
        g.link = QStringLiteral("thread");
        g.frameLossPercent = 0.0;
        g.devicesPerGateway = 4;
        c.devices.push_back(g);
    }
    if (wifi > 0) {
        OcfDeviceGroupConfig g;
        g.count = wifi;
        g.link = QStringLiteral("wifi");
        g.lossPercent = 0.0;
        c.devices.push_back(g);
    }
    c.image.sizeBytes = 32 * 1024;
    c.schedule.startsAt = QStringLiteral("2026-12-08T01:00:00Z");
    c.schedule.updateTime = QStringLiteral("2026-12-08T02:00:00Z");
    c.client.startAtS = 10;
    return c;
}

class OcfRun : public SingleFleetRun<OcfFleet> {
public:
    explicit OcfRun(const OcfFleetConfig& fleet, std::uint64_t seed = 1, double untilS = 86'400.0)
        : SingleFleetRun(fleet, {QStringLiteral("ocf-test"), QStringLiteral("homes"), 10}, seed, untilS)
    {
    }
};

} // namespace otalab::test::ocffleet
