// SPDX-License-Identifier: Apache-2.0
// An ocf fleet under a rollout policy: the OCF client configures only released devices.
#include "ocf_fleet_test_support.h"

#include "sim/fleet/fleetrun.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace otalab::sim;
using namespace otalab::test::ocffleet;
using otalab::sim::rollout::RolloutPolicyConfig;

TEST(OcfRollout, RateGatesTheClient)
{
    ScenarioConfig s;
    s.name = QStringLiteral("ocf-rollout-test");
    s.seed = 5;
    s.stop.untilS = 86'400;
    s.stop.whenAllFinished = true;
    s.fleets.push_back(FleetConfig{QStringLiteral("homes"), smallFleet(12, 0)});
    RolloutPolicyConfig p;
    p.order = QStringLiteral("index");
    p.rollout.maximumPerMinute = 6;   // one device every 10 s
    s.rollout = p;
    auto run = FleetRun::build(s);
    ASSERT_TRUE(run.has_value()) << run.error().toString().toStdString();
    (*run)->run();
    const RunResult r = (*run)->result();
    const auto& fleet = static_cast<const OcfFleet&>(*(*run)->fleets().front());
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 12);
    std::vector<double> started;
    for (std::size_t i = 0; i < fleet.deviceCount(); ++i)
        started.push_back(fleet.device(i).startedAt.toSeconds());
    std::sort(started.begin(), started.end());
    EXPECT_GE(started.back() - started.front(), 100.0);   // 12 devices at 6/min
    for (std::size_t i = 0; i < fleet.deviceCount(); ++i)
        EXPECT_GE(fleet.device(i).upgradingAt.toSeconds(), 3599.0);   // all still apply at updatetime
    ASSERT_TRUE(r.rollout.has_value());
    EXPECT_EQ(r.rollout->jobStatus, QStringLiteral("COMPLETED"));
}
