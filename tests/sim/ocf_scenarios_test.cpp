// SPDX-License-Identifier: Apache-2.0
// The bundled ocf scenarios: story 8 (ocf-scheduled.json) whole — 500 upgraded, the 20
// power cuts mid-upgrade all recovered, user data kept; attacks-ocf.json whole — accepted 0;
// ocf-homes.json's first 15 s (the client's first POSTs, the first downloads); each with its pinned trace fingerprint.
#include "faults_scenario_support.h"
#include "sim/ocf/ocffleet.h"

#include <gtest/gtest.h>

using namespace otalab::sim;

using otalab::sim::scenariotest::buildBundled;

TEST(OcfScenarios, ScheduledStory8)
{
    auto run = buildBundled("ocf-scheduled.json");
    ASSERT_TRUE(run);
    run->run();
    const RunResult r = run->result();
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 500);
    ASSERT_EQ(r.faults.size(), 20u);
    for (const FaultResult& f : r.faults) {
        EXPECT_TRUE(f.recovered) << f.target.toStdString() << ": " << f.effect.toStdString();
        EXPECT_TRUE(f.detail.contains(QStringLiteral("upgrading"))) << f.detail.toStdString();
        EXPECT_TRUE(f.effect.contains(QStringLiteral("user data kept"))) << f.effect.toStdString();
    }
    const auto& fleet = static_cast<const OcfFleet&>(*run->fleets().front());
    for (std::size_t i = 0; i < fleet.deviceCount(); ++i)
        EXPECT_TRUE(fleet.device(i).userDataKept);
    EXPECT_EQ(run->traceFingerprint(), 0x74e350b997360c28ull) << std::hex << run->traceFingerprint();
}

TEST(OcfScenarios, AttacksAcceptedZero)
{
    auto run = buildBundled("attacks-ocf.json");
    ASSERT_TRUE(run);
    run->run();
    const RunResult r = run->result();
    ASSERT_EQ(r.attacks.size(), 15u);
    for (const AttackResult& a : r.attacks) {
        EXPECT_FALSE(a.accepted) << a.target.toStdString();
        EXPECT_FALSE(a.reason.isEmpty()) << a.target.toStdString();
    }
    EXPECT_EQ(r.count(DeviceOutcome::Refused), 12);
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 88);
    EXPECT_EQ(run->traceFingerprint(), 0xf1b81ba00623f405ull) << std::hex << run->traceFingerprint();
}

TEST(OcfScenarios, HomesFirstSeconds)
{
    auto run = buildBundled("ocf-homes.json");
    ASSERT_TRUE(run);
    run->runUntil(15.0);
    EXPECT_GT(run->simulator().eventsExecuted(), 1'000u);
    EXPECT_EQ(run->traceFingerprint(), 0xe789c7d1d96fa6e8ull) << std::hex << run->traceFingerprint();
}
