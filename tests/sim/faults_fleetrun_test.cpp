// SPDX-License-Identifier: Apache-2.0
// FleetRun with a "faults" / "attacks" section over fake fleets: orders armed before
// start(), timed ones injected at their time in plan order (behind the family's own
// events of that moment), refusals before anything runs, and the RunResult rows with the
// recovered rule. Without a section nothing changes (a bundled scenario's pinned fingerprint).
#include "faults_test_support.h"

#include "sim/scenario/faultsreader.h"
#include "sim/scenario/scenarioloader.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

namespace {

using namespace otalab;
using namespace otalab::sim;
using namespace otalab::sim::faultstest;

faults::FaultsConfig section(const char* faultsJson, const char* attacksJson = "[]")
{
    auto c = readScenarioFaults(QJsonDocument::fromJson(faultsJson).array(), QJsonDocument::fromJson(attacksJson).array());
    EXPECT_TRUE(c) << (c ? "" : c.error().toString().toStdString());
    return c.value_or(faults::FaultsConfig{});
}

TEST(FaultsFleetRun, ArmsBeforeStartAndInjectsAtTheTimeInOrder)
{
    FakeFaultRun fake;
    FakeFaultProgram p = uniformFaultProgram(4, 100);
    p.ownEventAtS = 50;
    fake.programs = {p};
    ScenarioConfig c = faultScenario();
    c.faults = section(R"([{"id": "late", "kind": "powerLoss", "devices": [3], "atS": 70},
                           {"id": "crash", "kind": "serverCrash", "atS": 50},
                           {"id": "early", "kind": "powerLoss", "devices": [1, 0], "atS": 50},
                           {"id": "cond", "kind": "powerLoss", "devices": [2], "atFlashWrite": 4}])",
                       R"([{"attack": "wrongKey", "devices": [2], "atS": 50}, {"attack": "replay", "devices": [1]}])");
    auto run = fake.build(c);
    ASSERT_TRUE(run) << run.error().toString().toStdString();
    ASSERT_NE((*run)->faultLog(), nullptr);
    FakeFaultFleet& f = *fake.fleets[0];
    // Armed: every order, before start().
    ASSERT_GE(f.calls.size(), 8u);
    for (std::size_t i = 0; i < 7; ++i)
        EXPECT_TRUE(f.calls[i].what == 'F' || f.calls[i].what == 'A') << i;
    EXPECT_EQ(f.calls[7].what, 's');
    EXPECT_EQ(f.armedFaults.size(), 5u);
    EXPECT_EQ(f.armedAttacks.size(), 2u);
    (*run)->run();
    std::vector<HookCall> injected;
    for (const HookCall& h : f.calls)
        if (h.what == 'f' || h.what == 'a' || h.what == 'o')
            injected.push_back(h);
    // At 50 s: the family's own event first, then crash, early (devices 0, 1), the attack; at 70 s: late.
    ASSERT_EQ(injected.size(), 6u);
    const std::string order = {injected[0].what, injected[1].what, injected[2].what, injected[3].what, injected[4].what, injected[5].what};
    EXPECT_EQ(order, "offfaf");
    EXPECT_EQ(injected[0].atS, 50);
    EXPECT_FALSE(injected[1].device);                   // the crash (scenario order)
    EXPECT_EQ(injected[2].device, std::size_t(0));
    EXPECT_EQ(injected[3].device, std::size_t(1));
    EXPECT_EQ(injected[4].device, std::size_t(2));      // the attack
    EXPECT_EQ(injected[4].atS, 50);
    EXPECT_EQ(injected[5].atS, 70);
    EXPECT_EQ(injected[5].device, std::size_t(3));

    const RunResult r = (*run)->result();
    ASSERT_EQ(r.faults.size(), 5u);
    EXPECT_EQ(r.faults[0].id, "late");
    EXPECT_EQ(r.faults[0].kind, "powerLoss");
    EXPECT_EQ(r.faults[0].fleet, "a");
    EXPECT_EQ(r.faults[0].target, "dev-3");
    EXPECT_EQ(r.faults[0].atS, 70);
    EXPECT_EQ(r.faults[0].detail, "powerLoss for 10 s");
    EXPECT_EQ(r.faults[0].effect, "noted");
    EXPECT_EQ(r.faults[0].outcome, "upgraded 2.0.0");
    EXPECT_TRUE(r.faults[0].recovered);
    EXPECT_EQ(r.faults[1].target, "server");
    EXPECT_TRUE(r.faults[1].recovered);              // no device of the fleet unfinished
    EXPECT_EQ(r.faults[4].id, "cond");               // its flash write was the family's to watch: never fired here
    EXPECT_FALSE(r.faults[4].atS);
    EXPECT_FALSE(r.faults[4].recovered);
    EXPECT_EQ(r.faults[4].notFiredReason, "not reached: the run stopped at 100.0 s");
    ASSERT_EQ(r.attacks.size(), 2u);
    EXPECT_EQ(r.attacks[0].kind, "wrongKey");
    EXPECT_EQ(r.attacks[0].target, "dev-2");
    EXPECT_EQ(r.attacks[0].atS, 50);
    EXPECT_FALSE(r.attacks[0].accepted);
    EXPECT_EQ(r.attacks[0].reason, "signature does not verify");
    EXPECT_FALSE(r.attacks[1].atS);                  // "when offered": the fake family never offers
    EXPECT_EQ(r.attacksAccepted(), 0);
}

TEST(FaultsFleetRun, RecoveredRuleFromTheDeviceEnd)
{
    FakeFaultRun fake;
    FakeFaultProgram p = uniformFaultProgram(5, 100);
    p.devices[1].end = FleetPhase::Failed;
    p.devices[2].end = FleetPhase::RolledBack;
    p.devices[3].end = FleetPhase::Idle;    // never ends: Unfinished
    p.devices[4].end = FleetPhase::Refused;
    fake.programs = {p};
    ScenarioConfig c = faultScenario(500);
    c.faults = section(R"([{"kind": "powerLoss", "atS": 20}, {"kind": "gatewayOutage", "target": "gw-1", "atS": 30}])");
    auto run = fake.build(c);
    ASSERT_TRUE(run);
    (*run)->run();
    const RunResult r = (*run)->result();
    ASSERT_EQ(r.faults.size(), 6u);
    EXPECT_TRUE(r.faults[0].recovered);
    EXPECT_EQ(r.faults[1].outcome, "failed: timed out (runs 1.0.0)");
    EXPECT_TRUE(r.faults[1].recovered);
    EXPECT_EQ(r.faults[2].outcome, "rolled back: self-test failed (runs 1.0.0)");
    EXPECT_TRUE(r.faults[2].recovered);
    EXPECT_EQ(r.faults[3].outcome, "unfinished (runs 1.0.0)");
    EXPECT_FALSE(r.faults[3].recovered);
    EXPECT_EQ(r.faults[4].outcome, "refused: bad signature (runs 1.0.0)");
    EXPECT_TRUE(r.faults[4].recovered);
    EXPECT_EQ(r.faults[5].target, "gw-1");
    EXPECT_TRUE(r.faults[5].outcome.isEmpty());
    EXPECT_FALSE(r.faults[5].recovered);    // a device of its fleet ends unfinished
}

TEST(FaultsFleetRun, FamilyVerdictWinsAndAttacksAcceptedAreCounted)
{
    FakeFaultRun fake;
    FakeFaultProgram p = uniformFaultProgram(3, 10);
    p.verdict = false;
    p.acceptAttacks = true;
    fake.programs = {p};
    ScenarioConfig c = faultScenario();
    c.faults = section(R"([{"kind": "powerLoss", "devices": [0], "atS": 5}])", R"([{"attack": "downgrade", "atS": 2}])");
    auto run = fake.build(c);
    ASSERT_TRUE(run);
    (*run)->run();
    const RunResult r = (*run)->result();
    ASSERT_EQ(r.faults.size(), 1u);
    EXPECT_EQ(r.faults[0].outcome, "upgraded 2.0.0");
    EXPECT_FALSE(r.faults[0].recovered);     // the family said so
    EXPECT_EQ(r.attacksAccepted(), 3);
    EXPECT_EQ(r.attacks[2].reason, "stored as valid");
}

TEST(FaultsFleetRun, RefusedBeforeAnythingRuns)
{
    FakeFaultRun fake;
    FakeFaultProgram p = uniformFaultProgram(3);
    p.family = QStringLiteral("smp");
    p.support.kinds = {faults::FaultKind::PowerLoss};
    fake.programs = {p};
    ScenarioConfig c = faultScenario();
    c.faults = section(R"([{"id": "dark", "kind": "gatewayOutage", "atS": 5}])");
    auto run = fake.build(c);
    ASSERT_FALSE(run);
    EXPECT_EQ(run.error().field, "$.faults[0].kind");
    EXPECT_EQ(run.error().message, "fault \"dark\": the smp family (fleet \"a\") cannot inject gatewayOutage; it can inject powerLoss");
    EXPECT_TRUE(fake.fleets[0]->calls.empty());   // neither armed nor started

    FakeFaultProgram q = uniformFaultProgram(3);
    q.armError = QStringLiteral("no flash model to cut");
    fake.programs = {q};
    c.faults = section(R"([{"id": "cut", "kind": "powerLoss", "atS": 5}])");
    auto refused = fake.build(c);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "$.faults[0]");
    EXPECT_EQ(refused.error().message, "fault \"cut\" (powerLoss): no flash model to cut");
}

TEST(FaultsFleetRun, SameSeedSameStory)
{
    const auto story = [](std::uint64_t seed) {
        FakeFaultRun fake;
        fake.programs = {uniformFaultProgram(50, 100)};
        ScenarioConfig c = faultScenario();
        c.seed = seed;
        c.faults = section(R"([{"kind": "powerLoss", "count": 5, "betweenS": [10, 90]}])");
        auto run = fake.build(c);
        EXPECT_TRUE(run);
        (*run)->run();
        const RunResult r = (*run)->result();
        QStringList rows;
        for (const FaultResult& f : r.faults)
            rows << QStringLiteral("%1@%2").arg(f.target).arg(f.atS.value_or(-1), 0, 'f', 6);
        return std::make_pair(rows.join(QLatin1Char(' ')), r.traceFingerprint);
    };
    EXPECT_EQ(story(3), story(3));
    EXPECT_NE(story(3).first, story(4).first);
}

TEST(FaultsFleetRun, NoSectionNoChange)
{
    FakeFaultRun fake;
    fake.programs = {uniformFaultProgram(3)};
    auto run = fake.build(faultScenario());
    ASSERT_TRUE(run);
    EXPECT_EQ((*run)->faultLog(), nullptr);
    (*run)->run();
    EXPECT_TRUE((*run)->result().faults.empty());

    // A bundled scenario keeps its pinned fingerprint (tests/sim/scenario_fingerprint_test.cpp),
    // and an empty "faults": [] changes nothing either.
    auto config = loadScenarioConfigFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"));
    ASSERT_TRUE(config);
    auto plain = FleetRun::build(*config);
    ASSERT_TRUE(plain);
    (*plain)->runUntil(600);
    EXPECT_EQ((*plain)->traceFingerprint(), 0x7528740e64a5beeeull);
    EXPECT_EQ((*plain)->faultLog(), nullptr);
}

} // namespace
