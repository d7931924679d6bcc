// SPDX-License-Identifier: Apache-2.0
// The bundled attacks-jobs / faults-jobs scenarios through FleetRun: every attack rejected,
// every fault recovered, the figures their descriptions quote, same seed same fingerprint,
// and the same fleet without its "faults" / "attacks" sections unchanged by the fault code.
#include "sim/fleet/fleetrun.h"
#include "sim/scenario/scenarioloader.h"

#include <gtest/gtest.h>

#include <memory>

namespace otalab::sim {
namespace {

ScenarioConfig bundled(const char* file)
{
    auto c = loadScenarioConfigFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(file));
    EXPECT_TRUE(c.has_value()) << (c ? std::string() : c.error().toString().toStdString());
    return c ? *c : ScenarioConfig{};
}

struct Ran {
    RunResult result;
    std::uint64_t fingerprint = 0;
};

Ran runOf(const ScenarioConfig& c)
{
    auto run = FleetRun::build(c);
    EXPECT_TRUE(run.has_value()) << (run ? std::string() : run.error().toString().toStdString());
    if (!run)
        return {};
    (*run)->run();
    return {(*run)->result(), (*run)->traceFingerprint()};
}

TEST(JobsFaultsScenario, AttacksAreAllRejectedWithTheAgentsReasons)
{
    const Ran r = runOf(bundled("attacks-jobs.json"));
    EXPECT_EQ(r.result.attacks.size(), 11u);
    EXPECT_EQ(r.result.attacksAccepted(), 0);
    for (const AttackResult& a : r.result.attacks) {
        SCOPED_TRACE(a.id.toStdString());
        EXPECT_TRUE(a.atS.has_value());
        EXPECT_FALSE(a.reason.isEmpty());
    }
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 189);
    EXPECT_EQ(r.result.count(DeviceOutcome::Refused), 7);
    EXPECT_EQ(r.result.count(DeviceOutcome::RolledBack), 4);
    for (const DeviceResult& d : r.result.devices)
        if (d.outcome != DeviceOutcome::Upgraded)
            EXPECT_EQ(d.versionAfter, QStringLiteral("1.0.0")) << d.name.toStdString();
}

TEST(JobsFaultsScenario, FaultsAllRecoverOnAValidImage)
{
    const Ran r = runOf(bundled("faults-jobs.json"));
    EXPECT_EQ(r.result.faults.size(), 36u);
    for (const FaultResult& f : r.result.faults) {
        SCOPED_TRACE((f.id + QLatin1Char(' ') + f.target).toStdString());
        EXPECT_TRUE(f.atS.has_value()) << f.notFiredReason.toStdString();
        EXPECT_TRUE(f.recovered) << f.outcome.toStdString();
    }
    EXPECT_EQ(r.result.count(DeviceOutcome::Upgraded), 297);
    EXPECT_EQ(r.result.count(DeviceOutcome::RolledBack), 3);
}

TEST(JobsFaultsScenario, SameSeedSameFingerprintAndNoFaultsNoChange)
{
    const ScenarioConfig c = bundled("faults-jobs.json");
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
