// SPDX-License-Identifier: Apache-2.0
// The bundled faults-smp and attacks-smp scenarios: every fault fires and every board
// recovers (cut uploads, cut swaps resumed, the host crash), every attack is refused by
// MCUboot (accepted: 0; the wrongKey file for want of a signature by the boards' key), and
// a faults run is repeatable.
#include "faults_scenario_support.h"

#include <gtest/gtest.h>

namespace {

using namespace otalab::sim;
using namespace otalab::sim::scenariotest;

TEST(SmpFaultScenarios, FaultsSmpFiresEveryFaultAndEveryBoardUpgrades)
{
    const RunResult r = runBundled("faults-smp.json").result;
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 200);
    ASSERT_EQ(r.faults.size(), 11u);
    expectEveryFaultFiredAndRecovered(r);
    int swapCuts = 0;
    for (const FaultResult& f : r.faults) {
        if (f.id == QLatin1String("cut-swap")) {
            ++swapCuts;
            EXPECT_TRUE(f.detail.contains(QStringLiteral("during MCUboot's test swap"))) << f.detail.toStdString();
            EXPECT_TRUE(f.effect.contains(QStringLiteral("resumed and finished the swap"))) << f.effect.toStdString();
        }
    }
    EXPECT_EQ(swapCuts, 4);
}

TEST(SmpFaultScenarios, FaultsSmpRunsTheSameTwice)
{
    EXPECT_EQ(fingerprintOf("faults-smp.json"), fingerprintOf("faults-smp.json"));
}

TEST(SmpFaultScenarios, AttacksSmpAcceptsNothingAndTheRestUpgrades)
{
    const RunResult r = runBundled("attacks-smp.json").result;
    ASSERT_EQ(r.attacks.size(), 8u);
    EXPECT_EQ(r.attacksAccepted(), 0);
    int wrongKey = 0;
    for (const AttackResult& a : r.attacks) {
        EXPECT_TRUE(a.reason.startsWith(QStringLiteral("MCUboot: "))) << a.reason.toStdString();
        if (a.id == QLatin1String("wrong-key")) {
            ++wrongKey;
            EXPECT_TRUE(a.reason.contains(QStringLiteral("no signature by a trusted key"))) << a.reason.toStdString();
        }
    }
    EXPECT_EQ(wrongKey, 2);
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 92);
    EXPECT_EQ(r.count(DeviceOutcome::RolledBack), 8);
}

} // namespace
