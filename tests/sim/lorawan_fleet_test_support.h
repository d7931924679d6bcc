// SPDX-License-Identifier: Apache-2.0
// Helpers for the LoRaWAN fleet tests: a small, fast fleet and a run of it.
#pragma once

#include "single_fleet_run_support.h"

#include "sim/lorawan/lorawanfleet.h"

#include <algorithm>

namespace otalab::test::lorawanfleet {

using namespace otalab::sim;

// 40 devices within 800 m of one gateway, an uplink every 2 min, an 8 KiB image in
// 35 fragments at DR5 on 869.525 MHz (10 %), class C, FEC v2, 20 % redundancy.
inline LorawanFleetConfig smallFleet()
{
    LorawanFleetConfig c;
    c.devices.count = 40;
    c.devices.areaRadiusM = 800;
    c.devices.uplinkIntervalS = 120;
    c.devices.jitterS = 10;
    c.gateways.rx2DataRate = 3;
    c.image.sizeBytes = 8 * 1024;
    c.campaign.redundancyPercent = 20;
    c.campaign.unicastRetries = 6;
    c.campaign.timeoutMarginS = 20;
    c.campaign.startAtS = 10;
    return c;
}

class LorawanRun : public SingleFleetRun<LorawanFleet> {
public:
    LorawanRun(const LorawanFleetConfig& fleet, std::uint64_t seed = 12, double untilS = 3 * 86'400.0)
        : SingleFleetRun(fleet, {QStringLiteral("lorawan-test"), QStringLiteral("sensors"), 60}, seed, untilS)
    {
    }

    QString figure(const QString& name) const
    {
        for (const NamedValue& v : fleet().fleetFigures())
            if (v.name == name)
                return v.value;
        return {};
    }
    int reasonsContaining(const QString& text) const
    {
        return int(std::count_if(m_result.devices.begin(), m_result.devices.end(),
                                 [&](const DeviceResult& d) { return d.failureReason.contains(text); }));
    }
};

} // namespace otalab::test::lorawanfleet
