// SPDX-License-Identifier: Apache-2.0
// Shared scaffolding of the bundled-scenario fault / attack tests (every family): load a
// scenario from resources/scenarios, build and run it through FleetRun, and the checks every
// family makes on its result (every fault fired and recovered, no attack accepted, the same
// seed giving the same trace fingerprint). Load / build failures are reported as test
// failures (EXPECT) and give an empty config / nullptr / fingerprint 0.
#pragma once

#include "sim/fleet/fleetrun.h"
#include "sim/report/runresult.h"
#include "sim/scenario/scenarioloader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace otalab::sim::scenariotest {

// resources/scenarios/<file>
inline QString bundledScenarioPath(const char* file)
{
    return QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(file);
}

// The bundled scenario `file`, loaded; an empty config (and a failure) when it does not load.
inline ScenarioConfig bundledConfig(const char* file)
{
    auto c = loadScenarioConfigFile(bundledScenarioPath(file));
    EXPECT_TRUE(c.has_value()) << (c ? std::string() : c.error().toString().toStdString());
    return c ? *c : ScenarioConfig{};
}

// `config` built into a FleetRun (not run yet); nullptr (and a failure) when it does not build.
inline std::unique_ptr<FleetRun> buildRun(const ScenarioConfig& config)
{
    auto run = FleetRun::build(config);
    EXPECT_TRUE(run.has_value()) << (run ? std::string() : run.error().toString().toStdString());
    return run ? std::move(*run) : nullptr;
}

// The bundled scenario `file` built into a FleetRun (not run yet); nullptr (and a failure)
// when it does not load or build.
inline std::unique_ptr<FleetRun> buildBundled(const char* file)
{
    auto config = loadScenarioConfigFile(bundledScenarioPath(file));
    EXPECT_TRUE(config.has_value()) << (config ? std::string() : config.error().toString().toStdString());
    return config ? buildRun(*config) : nullptr;
}

// A finished run: its result and trace fingerprint.
struct Ran {
    RunResult result;
    std::uint64_t fingerprint = 0;
};

// `config` run to its end; an empty Ran (and a failure) when it does not build.
inline Ran runOf(const ScenarioConfig& config)
{
    auto run = buildRun(config);
    if (!run)
        return {};
    run->run();
    return {run->result(), run->traceFingerprint()};
}

// The trace fingerprint of the bundled scenario `file` run to its end (or to untilS, in
// simulated seconds); 0 (and a failure) when it does not build.
inline std::uint64_t fingerprintOf(const char* file, std::optional<double> untilS = std::nullopt)
{
    auto run = buildBundled(file);
    if (!run)
        return 0;
    if (untilS)
        run->runUntil(*untilS);
    else
        run->run();
    return run->traceFingerprint();
}

// Every fault row of `r` fired (atS set) and recovered.
inline void expectEveryFaultFiredAndRecovered(const RunResult& r)
{
    for (const FaultResult& f : r.faults) {
        SCOPED_TRACE((f.id + QLatin1Char(' ') + f.target).toStdString());
        EXPECT_TRUE(f.atS.has_value()) << f.notFiredReason.toStdString();
        EXPECT_TRUE(f.recovered) << f.outcome.toStdString();
    }
}

// No attack of `r` accepted (accepted: 0), and every one was staged (atS set) and refused with a reason.
inline void expectEveryAttackStagedAndRefused(const RunResult& r)
{
    EXPECT_EQ(r.attacksAccepted(), 0);
    for (const AttackResult& a : r.attacks) {
        SCOPED_TRACE((a.id + QLatin1Char(' ') + a.target).toStdString());
        EXPECT_TRUE(a.atS.has_value());
        EXPECT_FALSE(a.reason.isEmpty());
    }
}

} // namespace otalab::sim::scenariotest
