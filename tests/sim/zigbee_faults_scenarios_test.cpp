// SPDX-License-Identifier: Apache-2.0
// The bundled faults-zigbee and attacks-zigbee scenarios: every fault fires and the fleet
// recovers, every attack is refused (accepted: 0), and a faults run is repeatable.
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

TEST(ZigbeeFaultScenarios, FaultsZigbeeFiresEveryFaultAndEveryDeviceUpgrades)
{
    auto run = bundled("faults-zigbee.json");
    ASSERT_TRUE(run);
    run->run();
    const RunResult r = run->result();
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 40);
    ASSERT_EQ(r.faults.size(), 12u);   // the crash, 10 power cuts, the router
    for (const FaultResult& f : r.faults) {
        EXPECT_TRUE(f.atS.has_value()) << f.id.toStdString() << ": " << f.notFiredReason.toStdString();
        EXPECT_TRUE(f.recovered) << f.id.toStdString();
        if (f.kind == QLatin1String("powerLoss")) {
            EXPECT_TRUE(f.effect.contains(QStringLiteral("resumed the download from storage"))) << f.effect.toStdString();
        }
    }
}

TEST(ZigbeeFaultScenarios, FaultsZigbeeRunsTheSameTwice)
{
    auto a = bundled("faults-zigbee.json");
    auto b = bundled("faults-zigbee.json");
    ASSERT_TRUE(a && b);
    a->runUntil(1200);   // past the crash, the router going dark and the first cuts
    b->runUntil(1200);
    EXPECT_EQ(a->traceFingerprint(), b->traceFingerprint());
}

TEST(ZigbeeFaultScenarios, AttacksZigbeeAcceptsNothing)
{
    auto run = bundled("attacks-zigbee.json");
    ASSERT_TRUE(run);
    run->run();
    const RunResult r = run->result();
    ASSERT_EQ(r.attacks.size(), 9u);   // 5 tampered, 2 downgrades, 2 replays
    EXPECT_EQ(r.attacksAccepted(), 0);
    for (const AttackResult& a : r.attacks) {
        EXPECT_TRUE(a.atS.has_value()) << a.target.toStdString();
        EXPECT_TRUE(a.reason.contains(QStringLiteral("keeps running 0x00000001"))) << a.reason.toStdString();
        if (a.kind == QLatin1String("tamperedImage"))
            EXPECT_TRUE(a.reason.contains(QStringLiteral("INVALID_IMAGE"))) << a.reason.toStdString();
    }
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 35);
}

} // namespace
