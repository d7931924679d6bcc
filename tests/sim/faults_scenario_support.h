// SPDX-License-Identifier: Apache-2.0
// Shared scaffolding of the fault / attack tests (every family): load a bundled scenario
// from resources/scenarios, build and run it through FleetRun, and the checks every family
// makes on its result (every fault fired and recovered, no attack accepted, the same seed
// giving the same trace fingerprint). Load / build failures are reported as test failures
// (EXPECT) and give an empty config / nullptr / fingerprint 0. FaultedRunOf drives the Fleet
// fault hooks directly on a single-fleet test run.
#pragma once

#include "single_fleet_run_support.h"

#include "sim/fleet/faults/faultlog.h"
#include "sim/fleet/fleetrun.h"
#include "sim/report/runresult.h"
#include "sim/scenario/scenarioloader.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

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

// `run` run to its end; an empty Ran when it is null (its build failure already reported).
inline Ran ranToTheEnd(std::unique_ptr<FleetRun> run)
{
    if (!run)
        return {};
    run->run();
    return {run->result(), run->traceFingerprint()};
}

// `config` run to its end; an empty Ran (and a failure) when it does not build.
inline Ran runOf(const ScenarioConfig& config)
{
    return ranToTheEnd(buildRun(config));
}

// The bundled scenario `file` run to its end; an empty Ran (and a failure) when it does not load or build.
inline Ran runBundled(const char* file)
{
    return ranToTheEnd(buildBundled(file));
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

// The bundled attacks scenario `file` run to its end: `attacks` rows, every one staged and
// refused (accepted: 0), and every device it did not upgrade still on `versionBefore`.
inline Ran expectAttacksScenarioRefused(const char* file, std::size_t attacks, const QString& versionBefore)
{
    Ran r = runBundled(file);
    EXPECT_EQ(r.result.attacks.size(), attacks);
    expectEveryAttackStagedAndRefused(r.result);
    for (const DeviceResult& d : r.result.devices)
        if (d.outcome != DeviceOutcome::Upgraded)
            EXPECT_EQ(d.versionAfter, versionBefore) << d.name.toStdString();
    return r;
}

// The bundled faults scenario `file` run to its end: `faults` rows, every one fired and recovered.
inline Ran expectFaultsScenarioRecovered(const char* file, std::size_t faults)
{
    Ran r = runBundled(file);
    EXPECT_EQ(r.result.faults.size(), faults);
    expectEveryFaultFiredAndRecovered(r.result);
    return r;
}

// The bundled faults scenario `file`: the same seed gives the same fingerprint, and the same
// fleet without its "faults" section runs as one never armed (`upgradedWithoutFaults`
// upgraded, no fault rows, another fingerprint).
inline void expectRepeatableAndUnarmedWithoutFaults(const char* file, int upgradedWithoutFaults)
{
    const ScenarioConfig c = bundledConfig(file);
    EXPECT_EQ(runOf(c).fingerprint, runOf(c).fingerprint);
    ScenarioConfig plain = c;
    plain.faults = {};
    const Ran a = runOf(plain);
    EXPECT_EQ(a.result.count(DeviceOutcome::Upgraded), upgradedWithoutFaults);
    EXPECT_TRUE(a.result.faults.empty());
    EXPECT_NE(a.fingerprint, runOf(c).fingerprint);
}

// A single-fleet test run (a test::SingleFleetRun subclass such as JobsRun or LorawanRun,
// constructed from (fleet config, seed)) whose built fleet has `log` as its FaultLog, with
// fault / attack orders entered in that log (as the scenario loader would, under the fleet
// name `fleetName`) for calling the Fleet hooks (armFault / injectFault / armAttack /
// injectAttack) directly.
template <typename Run>
class FaultedRunOf : public Run {
public:
    template <typename FleetConfigType>
    FaultedRunOf(const FleetConfigType& fleet, std::uint64_t seed, QString fleetName)
        : Run(fleet, seed), m_fleetName(std::move(fleetName))
    {
        fleetMut().setFaultLog(&log);
    }
    Fleet& fleetMut() { return *this->m_run->fleets().front(); }
    // A fault order on `device` (all devices when empty) lasting forS seconds, entered in the log.
    faults::FaultOrder fault(faults::FaultKind kind, std::optional<std::size_t> device, double forS = 10)
    {
        faults::FaultOrder o;
        o.kind = kind;
        o.device = device;
        o.forS = forS;
        faults::FaultEntry e;
        e.order = o;
        e.fleet = m_fleetName;
        o.id = log.addFault(e);
        return o;
    }
    // An attack order on `device`, entered in the log.
    faults::AttackOrder attack(faults::AttackKind kind, std::size_t device)
    {
        faults::AttackOrder o;
        o.kind = kind;
        o.device = device;
        faults::AttackEntry e;
        e.order = o;
        e.fleet = m_fleetName;
        o.id = log.addAttack(e);
        return o;
    }
    faults::FaultLog log;

private:
    QString m_fleetName;
};

// A mix of faults and an attack for the same-faults-same-fingerprint tests: a power cut armed
// at 50 % progress on cutDevice, `attack` armed on attackedDevice, a server crash injected
// at crashAtS (simulated seconds) for crashForS.
struct MixedFaults {
    std::size_t cutDevice = 0;
    faults::AttackKind attack{};
    std::size_t attackedDevice = 0;
    double crashAtS = 0;
    double crashForS = 0;
};

// `run` (a FaultedRunOf) with `mix` armed / injected, run to its end; a fatal failure if a hook refuses.
template <typename FaultedRun>
void runWithMixedFaults(FaultedRun& run, const MixedFaults& mix)
{
    faults::FaultOrder cut = run.fault(faults::FaultKind::PowerLoss, mix.cutDevice);
    cut.atProgress = 0.5;
    ASSERT_TRUE(run.fleetMut().armFault(cut));
    ASSERT_TRUE(run.fleetMut().armAttack(run.attack(mix.attack, mix.attackedDevice)));
    run.runUntil(mix.crashAtS);
    run.fleetMut().injectFault(run.fault(faults::FaultKind::ServerCrash, std::nullopt, mix.crashForS));
    ASSERT_TRUE(run.run());
}

} // namespace otalab::sim::scenariotest
