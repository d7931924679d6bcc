// SPDX-License-Identifier: Apache-2.0
// The bundled attacks-jobs / faults-jobs scenarios through FleetRun: every attack rejected,
// every fault recovered, the figures their descriptions quote, same seed same fingerprint,
// and the same fleet without its "faults" / "attacks" sections unchanged by the fault code.
#include "faults_scenario_support.h"

#include <gtest/gtest.h>

namespace otalab::sim {
namespace {

using scenariotest::expectAttacksScenarioRefused;
using scenariotest::expectFaultsScenarioRecovered;
using scenariotest::expectRepeatableAndUnarmedWithoutFaults;
using scenariotest::Ran;

TEST(JobsFaultsScenario, AttacksAreAllRejectedWithTheAgentsReasons)
{
    const Ran r = expectAttacksScenarioRefused("attacks-jobs.json", 11, QStringLiteral("1.0.0"));
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 189);
    EXPECT_EQ(r.result.count(DeviceOutcome::Refused), 7);
    EXPECT_EQ(r.result.count(DeviceOutcome::RolledBack), 4);
}

TEST(JobsFaultsScenario, FaultsAllRecoverOnAValidImage)
{
    const Ran r = expectFaultsScenarioRecovered("faults-jobs.json", 36);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 297);
    EXPECT_EQ(r.result.count(DeviceOutcome::RolledBack), 3);
}

TEST(JobsFaultsScenario, SameSeedSameFingerprintAndNoFaultsNoChange)
{
    // Without its faults the fleet runs exactly as one never armed (the hooks cost nothing):
    // all 300 upgraded.
    expectRepeatableAndUnarmedWithoutFaults("faults-jobs.json", 300);
}

} // namespace
} // namespace otalab::sim
