// SPDX-License-Identifier: Apache-2.0
// The bundled faults-zigbee and attacks-zigbee scenarios: every fault fires and the fleet
// recovers, every attack is refused (accepted: 0), and a faults run is repeatable.
#include "faults_scenario_support.h"

#include <gtest/gtest.h>

namespace {

using namespace otalab::sim;
using namespace otalab::sim::scenariotest;

TEST(ZigbeeFaultScenarios, FaultsZigbeeFiresEveryFaultAndEveryDeviceUpgrades)
{
    const RunResult r = runBundled("faults-zigbee.json").result;
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 40);
    ASSERT_EQ(r.faults.size(), 12u);   // the crash, 10 power cuts, the router
    expectEveryFaultFiredAndRecovered(r);
    for (const FaultResult& f : r.faults) {
        if (f.kind == QLatin1String("powerLoss")) {
            EXPECT_TRUE(f.effect.contains(QStringLiteral("resumed the download from storage"))) << f.effect.toStdString();
        }
    }
}

TEST(ZigbeeFaultScenarios, FaultsZigbeeRunsTheSameTwice)
{
    // To 1200 s: past the crash, the router going dark and the first cuts.
    EXPECT_EQ(fingerprintOf("faults-zigbee.json", 1200), fingerprintOf("faults-zigbee.json", 1200));
}

TEST(ZigbeeFaultScenarios, AttacksZigbeeAcceptsNothing)
{
    const RunResult r = runBundled("attacks-zigbee.json").result;
    ASSERT_EQ(r.attacks.size(), 11u);   // 5 tampered, 2 signed by another key, 2 downgrades, 2 replays
    expectEveryAttackStagedAndRefused(r);
    for (const AttackResult& a : r.attacks) {
        EXPECT_TRUE(a.reason.contains(QStringLiteral("keeps running 0x00000001"))) << a.reason.toStdString();
        if (a.kind == QLatin1String("tamperedImage"))
            EXPECT_TRUE(a.reason.contains(QStringLiteral("INVALID_IMAGE"))) << a.reason.toStdString();
        if (a.kind == QLatin1String("wrongKey"))
            EXPECT_TRUE(a.reason.contains(QStringLiteral("INVALID_IMAGE: signature not verified"))) << a.reason.toStdString();
    }
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 33);
}

} // namespace
