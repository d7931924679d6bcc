// SPDX-License-Identifier: Apache-2.0
// The bundled attacks-jobs / faults-jobs scenarios through FleetRun: every attack rejected,
// every fault recovered, the figures their descriptions quote, same seed same fingerprint,
// and the same fleet without its "faults" / "attacks" sections unchanged by the fault code.
#include "faults_scenario_support.h"

#include <gtest/gtest.h>

namespace otalab::sim {
namespace {

using scenariotest::bundledConfig;
using scenariotest::expectEveryAttackStagedAndRefused;
using scenariotest::expectEveryFaultFiredAndRecovered;
using scenariotest::Ran;
using scenariotest::runOf;

TEST(JobsFaultsScenario, AttacksAreAllRejectedWithTheAgentsReasons)
{
    const Ran r = runOf(bundledConfig("attacks-jobs.json"));
    EXPECT_EQ(r.result.attacks.size(), 11u);
    expectEveryAttackStagedAndRefused(r.result);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 189);
    EXPECT_EQ(r.result.count(DeviceOutcome::Refused), 7);
    EXPECT_EQ(r.result.count(DeviceOutcome::RolledBack), 4);
    for (const DeviceResult& d : r.result.devices)
        if (d.outcome != DeviceOutcome::Upgraded)
            EXPECT_EQ(d.versionAfter, QStringLiteral("1.0.0")) << d.name.toStdString();
}

TEST(JobsFaultsScenario, FaultsAllRecoverOnAValidImage)
{
    const Ran r = runOf(bundledConfig("faults-jobs.json"));
    EXPECT_EQ(r.result.faults.size(), 36u);
    expectEveryFaultFiredAndRecovered(r.result);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 297);
    EXPECT_EQ(r.result.count(DeviceOutcome::RolledBack), 3);
}

TEST(JobsFaultsScenario, SameSeedSameFingerprintAndNoFaultsNoChange)
{
    const ScenarioConfig c = bundledConfig("faults-jobs.json");
    EXPECT_EQ(runOf(c).fingerprint, runOf(c).fingerprint);
    // Without its faults the fleet runs exactly as one never armed (the hooks cost nothing).
    ScenarioConfig plain = c;
    plain.faults = {};
    const Ran a = runOf(plain);
    EXPECT_EQ(a.result.count(DeviceOutcome::Upgraded), 300);
    EXPECT_TRUE(a.result.faults.empty());
    EXPECT_NE(a.fingerprint, runOf(c).fingerprint);
}

} // namespace
} // namespace otalab::sim
