// SPDX-License-Identifier: Apache-2.0
// The bundled attacks-lorawan / faults-lorawan scenarios through FleetRun: every attack rejected,
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

TEST(LorawanFaultsScenario, AttacksAreAllRejectedWithTheDevicesReasons)
{
    const Ran r = expectAttacksScenarioRefused("attacks-lorawan.json", 10, QStringLiteral("1.0.0"));
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 181);
    EXPECT_EQ(r.result.count(DeviceOutcome::Refused), 8);
}

TEST(LorawanFaultsScenario, FaultsAllRecoverOnAValidImage)
{
    const Ran r = expectFaultsScenarioRecovered("faults-lorawan.json", 12);
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 287);
    EXPECT_EQ(r.result.count(DeviceOutcome::Failed), 13);
}

TEST(LorawanFaultsScenario, SameSeedSameFingerprintAndNoFaultsNoChange)
{
    // Without its faults the fleet runs exactly as one never armed (the hooks cost nothing):
    // all 300 upgraded, as the description's "without faults".
    expectRepeatableAndUnarmedWithoutFaults("faults-lorawan.json", 300);
}

} // namespace
} // namespace otalab::sim
