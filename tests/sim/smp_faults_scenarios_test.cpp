// SPDX-License-Identifier: Apache-2.0
// The bundled faults-smp and attacks-smp scenarios: every fault fires and every board
// recovers (cut uploads, cut swaps resumed, the host crash), every attack is refused by
// MCUboot (accepted: 0), and a faults run is repeatable.
#include "sim/fleet/fleetrun.h"
#include "sim/scenario/scenarioloader.h"

#include <gtest/gtest.h>

namespace {

using namespace otalab::sim;

std::unique_ptr<FleetRun> bundled(const char* file)
{
    auto config = loadScenarioConfigFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(file));
    EXPECT_TRUE(config.has_value()) << (config ? "" : qPrintable(config.error().toString()));
    if (!config)
        return nullptr;
    auto run = FleetRun::build(*config);
    EXPECT_TRUE(run.has_value()) << (run ? "" : qPrintable(run.error().toString()));
    return run ? std::move(*run) : nullptr;
}

TEST(SmpFaultScenarios, FaultsSmpFiresEveryFaultAndEveryBoardUpgrades)
{
    auto run = bundled("faults-smp.json");
    ASSERT_TRUE(run);
    run->run();
    const RunResult r = run->result();
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 200);
    ASSERT_EQ(r.faults.size(), 11u);
    int swapCuts = 0;
    for (const FaultResult& f : r.faults) {
        EXPECT_TRUE(f.atS.has_value()) << f.id.toStdString() << ": " << f.notFiredReason.toStdString();
        EXPECT_TRUE(f.recovered) << f.id.toStdString();
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
    auto a = bundled("faults-smp.json");
    auto b = bundled("faults-smp.json");
    ASSERT_TRUE(a && b);
    a->run();
    b->run();
    EXPECT_EQ(a->traceFingerprint(), b->traceFingerprint());
}

TEST(SmpFaultScenarios, AttacksSmpAcceptsNothingAndTheRestUpgrades)
{
    auto run = bundled("attacks-smp.json");
    ASSERT_TRUE(run);
    run->run();
    const RunResult r = run->result();
    ASSERT_EQ(r.attacks.size(), 6u);
    EXPECT_EQ(r.attacksAccepted(), 0);
    for (const AttackResult& a : r.attacks)
        EXPECT_TRUE(a.reason.startsWith(QStringLiteral("MCUboot: "))) << a.reason.toStdString();
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 94);
    EXPECT_EQ(r.count(DeviceOutcome::RolledBack), 6);
}

} // namespace
