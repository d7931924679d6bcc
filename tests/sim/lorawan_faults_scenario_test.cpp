// SPDX-License-Identifier: Apache-2.0
// The bundled attacks-lorawan / faults-lorawan scenarios through FleetRun: every attack rejected,
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

TEST(LorawanFaultsScenario, AttacksAreAllRejectedWithTheDevicesReasons)
{
    const Ran r = runOf(bundledConfig("attacks-lorawan.json"));
    EXPECT_EQ(r.result.attacks.size(), 10u);
    expectEveryAttackStagedAndRefused(r.result);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 181);
    EXPECT_EQ(r.result.count(DeviceOutcome::Refused), 8);
    for (const DeviceResult& d : r.result.devices)
        if (d.outcome != DeviceOutcome::Upgraded)
            EXPECT_EQ(d.versionAfter, QStringLiteral("1.0.0")) << d.name.toStdString();
}

TEST(LorawanFaultsScenario, FaultsAllRecoverOnAValidImage)
{
    const Ran r = runOf(bundledConfig("faults-lorawan.json"));
    EXPECT_EQ(r.result.faults.size(), 12u);
    expectEveryFaultFiredAndRecovered(r.result);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 287);
    EXPECT_EQ(r.result.count(DeviceOutcome::Failed), 13);
}

TEST(LorawanFaultsScenario, SameSeedSameFingerprintAndNoFaultsNoChange)
{
    const ScenarioConfig c = bundledConfig("faults-lorawan.json");
    EXPECT_EQ(runOf(c).fingerprint, runOf(c).fingerprint);
    // Without its faults the fleet runs exactly as one never armed (the hooks cost nothing).
    ScenarioConfig plain = c;
    plain.faults = {};
    const Ran a = runOf(plain);
    EXPECT_EQ(a.result.count(DeviceOutcome::Upgraded), 300);   // as the description's "without faults"
    EXPECT_TRUE(a.result.faults.empty());
    EXPECT_NE(a.fingerprint, runOf(c).fingerprint);
}

} // namespace
} // namespace otalab::sim
