// SPDX-License-Identifier: Apache-2.0
// One Zigbee fleet (the starter: coordinator + router 0x0001 + 5 ZEDs) run whole through
// FleetRun with a scenario "faults" / "attacks" section (the zigbee_faults_* tests).
#pragma once

#include "sim/fleet/fleetrun.h"
#include "sim/zigbee/zigbeefleet.h"
#include "zigbee_ota_test_support.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace otalab::test::zigbeefaults {

struct ZigbeeFaultRun {
    ZigbeeFaultRun(const sim::RolloutConfig& rollout, sim::faults::FaultsConfig faults)
    {
        sim::ScenarioConfig s = sim::ScenarioConfig::fromRollout(rollout);
        s.faults = std::move(faults);
        auto run = sim::FleetRun::build(s);
        if (run)
            m_run = std::move(*run);
        else
            buildError = run.error().toString();
    }
    bool run()
    {
        EXPECT_TRUE(m_run) << buildError.toStdString();
        if (!m_run)
            return false;
        m_run->run();
        result = m_run->result();
        return true;
    }
    const sim::ZigbeeFleet& fleet() const { return static_cast<const sim::ZigbeeFleet&>(*m_run->fleets().front()); }
    const sim::DeviceResult& device(std::size_t i) const { return result.devices.at(i); }
    std::uint64_t fingerprint() const { return m_run->traceFingerprint(); }

    std::unique_ptr<sim::FleetRun> m_run;
    sim::RunResult result;
    QString buildError;
};

// 8 KiB image, 64-byte blocks (128 block writes), 3 download attempts.
inline sim::RolloutConfig smallZigbee(std::uint64_t seed = 1)
{
    sim::RolloutConfig c = sim::test::starterConfig(8 * 1024, seed);
    c.client.maxAttempts = 3;
    return c;
}

inline sim::faults::FaultSpec fault(sim::faults::FaultKind kind, std::vector<int> devices = {}, double forS = 0)
{
    sim::faults::FaultSpec f;
    f.kind = kind;
    f.select.devices = std::move(devices);
    f.forS = forS;
    return f;
}

} // namespace otalab::test::zigbeefaults
