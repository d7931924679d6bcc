// SPDX-License-Identifier: Apache-2.0
// faults::planFaults: specs resolved onto fleets — seeded, deterministic draws that do not
// move when another spec is added; selections, moments and default durations; what a
// family cannot do refused with its name and what it can do; FaultLog entries.
#include "sim/fleet/faults/faultplanner.h"
#include "sim/scenario/faultsreader.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace otalab;
using namespace otalab::sim;
using namespace otalab::sim::faults;

Fleet::FaultSupport everything()
{
    Fleet::FaultSupport s;
    for (int k = 0; k < kFaultKindCount; ++k)
        s.kinds.push_back(FaultKind(k));
    for (int k = 0; k < kAttackKindCount; ++k)
        s.attacks.push_back(AttackKind(k));
    s.atFlashWrite = s.atProgress = true;
    return s;
}

PlannerFleet fleet(QString name, std::size_t devices, Fleet::FaultSupport support = everything(), QString family = QStringLiteral("fake"))
{
    return PlannerFleet{std::move(name), std::move(family), devices, {QStringLiteral("server"), QStringLiteral("gw-1"), QStringLiteral("gw-2")},
                        std::move(support)};
}

FaultsConfig config(const char* faults, const char* attacks = "[]")
{
    auto c = readScenarioFaults(QJsonDocument::fromJson(faults).array(), QJsonDocument::fromJson(attacks).array());
    EXPECT_TRUE(c) << (c ? "" : c.error().toString().toStdString());
    return c.value_or(FaultsConfig{});
}

struct Planned {
    Result<std::vector<FleetFaultOrders>> plan;
    FaultLog log;
};

std::unique_ptr<Planned> plan(const FaultsConfig& c, const std::vector<PlannerFleet>& fleets, std::uint64_t seed = 7)
{
    auto p = std::make_unique<Planned>();
    p->plan = planFaults(c, fleets, seed, p->log);
    return p;
}

std::vector<std::size_t> devicesOf(const std::vector<FaultOrder>& orders, int spec)
{
    std::vector<std::size_t> out;
    for (const FaultOrder& o : orders)
        if (o.spec == spec && o.device)
            out.push_back(*o.device);
    return out;
}

TEST(FaultsPlanner, DrawsAreSeededAndIndependentPerSpec)
{
    const std::vector<PlannerFleet> fleets{fleet("a", 1000)};
    const FaultsConfig one = config(R"([{"kind": "powerLoss", "count": 20, "betweenS": [30, 300]}])");
    const auto p1 = plan(one, fleets);
    const auto p2 = plan(one, fleets);
    ASSERT_TRUE(p1->plan && p2->plan);
    const auto& f1 = (*p1->plan)[0].faults;
    ASSERT_EQ(f1.size(), 20u);
    const auto devices = devicesOf(f1, 0);
    EXPECT_TRUE(std::is_sorted(devices.begin(), devices.end()));
    EXPECT_EQ(std::set<std::size_t>(devices.begin(), devices.end()).size(), 20u);   // without replacement
    std::set<double> moments;
    for (std::size_t i = 0; i < f1.size(); ++i) {
        EXPECT_EQ(f1[i].device, (*p2->plan)[0].faults[i].device);
        EXPECT_EQ(f1[i].atS, (*p2->plan)[0].faults[i].atS);
        ASSERT_TRUE(f1[i].atS);
        EXPECT_GE(*f1[i].atS, 30);
        EXPECT_LE(*f1[i].atS, 300);
        moments.insert(*f1[i].atS);
        EXPECT_EQ(f1[i].forS, 10);   // powerLoss default
    }
    EXPECT_EQ(moments.size(), 20u);  // betweenS drawn per device

    // Another seed draws other devices.
    const auto other = plan(one, fleets, 8);
    EXPECT_NE(devicesOf((*other->plan)[0].faults, 0), devices);

    // Adding a spec (fault or attack) after it changes none of its draws.
    const FaultsConfig two = config(R"([{"kind": "powerLoss", "count": 20, "betweenS": [30, 300]},
                                        {"kind": "linkOutage", "share": 0.5, "betweenS": [0, 10]}])",
                                    R"([{"attack": "replay", "count": 3}])");
    const auto p3 = plan(two, fleets);
    ASSERT_TRUE(p3->plan);
    EXPECT_EQ(devicesOf((*p3->plan)[0].faults, 0), devices);
    for (std::size_t i = 0; i < 20; ++i)
        EXPECT_EQ((*p3->plan)[0].faults[i].atS, f1[i].atS);
    EXPECT_EQ(devicesOf((*p3->plan)[0].faults, 1).size(), 500u);
    EXPECT_EQ((*p3->plan)[0].attacks.size(), 3u);
}

TEST(FaultsPlanner, SelectionsMomentsAndDefaults)
{
    const std::vector<PlannerFleet> fleets{fleet("a", 10), fleet("b", 4)};
    const auto p = plan(config(R"([
        {"kind": "powerLoss", "fleet": "a", "devices": [7, 2], "atFlashWrite": 57},
        {"kind": "powerLoss", "fleet": "a", "share": 0.25, "atProgress": 0.5, "forS": 3},
        {"kind": "serverCrash", "fleet": "b", "atS": 120},
        {"kind": "gatewayOutage", "fleet": "b", "target": "gw-2", "betweenS": [5, 5]},
        {"kind": "linkOutage", "fleet": "b"},
        {"kind": "linkOutage", "fleet": "b", "devices": [1]},
        {"kind": "clockJump", "fleet": "a", "devices": [0], "jumpS": -60},
        {"kind": "badImage", "fleet": "b", "share": 0.5, "variant": "doesNotBoot"}])",
                               R"([{"attack": "wrongKey", "fleet": "b"}, {"attack": "replay", "fleet": "a", "devices": [4], "atS": 9}])"),
                        fleets);
    ASSERT_TRUE(p->plan) << p->plan.error().toString().toStdString();
    const auto& a = (*p->plan)[0];
    const auto& b = (*p->plan)[1];
    // a: devices 2, 7 at write 57; round(0.25 × 10) = 3 devices at 50 %; the clock jump at the start.
    EXPECT_EQ(devicesOf(a.faults, 0), (std::vector<std::size_t>{2, 7}));
    EXPECT_EQ(a.faults[0].atFlashWrite, 57);
    EXPECT_FALSE(a.faults[0].atS);
    EXPECT_EQ(devicesOf(a.faults, 1).size(), 3u);
    EXPECT_EQ(a.faults[2].atProgress, 0.5);
    EXPECT_EQ(a.faults[2].forS, 3);
    EXPECT_EQ(a.faults.back().kind, FaultKind::ClockJump);
    EXPECT_EQ(a.faults.back().jumpS, -60);
    EXPECT_EQ(a.faults.back().atS, 0.0);   // no moment: the start
    // b: one order per node fault and for the whole-fleet outage; badImage carries its variant and no moment.
    ASSERT_EQ(b.faults.size(), 1u + 1u + 1u + 1u + 2u);
    EXPECT_FALSE(b.faults[0].device);
    EXPECT_EQ(b.faults[0].atS, 120);
    EXPECT_EQ(b.faults[0].forS, 30);      // serverCrash default
    EXPECT_EQ(b.faults[1].target, "gw-2");
    EXPECT_EQ(b.faults[1].atS, 5);
    EXPECT_EQ(b.faults[1].forS, 600);     // outage default
    EXPECT_FALSE(b.faults[2].device);     // linkOutage of every device: one order
    EXPECT_EQ(b.faults[2].atS, 0.0);
    EXPECT_EQ(b.faults[3].device, std::size_t(1));
    EXPECT_EQ(b.faults[4].variant, BadImageVariant::DoesNotBoot);
    EXPECT_FALSE(b.faults[4].atS);
    // Attacks: every device of b when the image is offered; device 4 of a at 9 s.
    ASSERT_EQ(b.attacks.size(), 4u);
    EXPECT_FALSE(b.attacks[0].atS);
    ASSERT_EQ(a.attacks.size(), 1u);
    EXPECT_EQ(a.attacks[0].device, 4u);
    EXPECT_EQ(a.attacks[0].atS, 9);
    // The log: one entry per order, in scenario order, ids = entries, fleet names.
    ASSERT_EQ(p->log.faults().size(), a.faults.size() + b.faults.size());
    ASSERT_EQ(p->log.attacks().size(), 5u);
    EXPECT_EQ(p->log.faults()[0].fleet, "a");
    EXPECT_EQ(p->log.faults()[0].order.device, std::size_t(2));
    for (const FaultOrder& o : b.faults)
        EXPECT_EQ(p->log.faults().at(std::size_t(o.id)).fleet, "b");
    EXPECT_EQ(p->log.attacks().at(std::size_t(a.attacks[0].id)).order.device, 4u);
}

TEST(FaultsPlanner, ScenarioMistakesFoundAtBuild)
{
    const std::vector<PlannerFleet> two{fleet("a", 10), fleet("b", 4)};
    const auto errorOf = [&](const char* faults, const char* attacks = "[]") {
        const auto p = plan(config(faults, attacks), two);
        return p->plan ? std::string("no error") : (p->plan.error().field + QStringLiteral(": ") + p->plan.error().message).toStdString();
    };
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "fleet": "c"}])"), "$.faults[0].fleet: no fleet \"c\"; the fleets are \"a\", \"b\"");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss"}])"), "$.faults[0].fleet: the scenario has 2 fleets: name one of \"a\", \"b\"");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "fleet": "b", "devices": [1, 4]}])"),
              "$.faults[0].devices[1]: device 4 is outside fleet \"b\" (devices 0..3)");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "fleet": "b", "count": 5}])"), "$.faults[0].count: count 5 is more than fleet \"b\"'s 4 devices");
    EXPECT_EQ(errorOf(R"([{"kind": "gatewayOutage", "fleet": "a", "target": "gw-9"}])"),
              "$.faults[0].target: fault \"faults[0]\": fleet \"a\" has no node \"gw-9\"; its nodes are \"server\", \"gw-1\", \"gw-2\"");
    EXPECT_EQ(errorOf("[]", R"([{"attack": "replay", "fleet": "z"}])"), "$.attacks[0].fleet: no fleet \"z\"; the fleets are \"a\", \"b\"");
    // A log is written only for a whole plan.
    FaultLog log;
    EXPECT_FALSE(planFaults(config(R"([{"kind": "powerLoss", "fleet": "a"}, {"kind": "powerLoss", "fleet": "c"}])"), two, 1, log));
    EXPECT_TRUE(log.faults().empty());
}

TEST(FaultsPlanner, RefusalQuotesTheFamilysWhyNot)
{
    Fleet::FaultSupport smp;
    smp.kinds = {FaultKind::PowerLoss};
    smp.whyNot = {{FaultKind::ClockJump, QStringLiteral("MCUboot reads no clock")}};
    smp.whyNotAttack = {{AttackKind::WrongKey, QStringLiteral("no keys")}};
    const std::vector<PlannerFleet> fleets{fleet("boards", 8, smp, QStringLiteral("smp"))};
    const auto p1 = plan(config(R"([{"kind": "clockJump", "jumpS": 5}])", "[]"), fleets);
    ASSERT_FALSE(p1->plan);
    EXPECT_EQ(p1->plan.error().message,
              "fault \"faults[0]\": the smp family (fleet \"boards\") cannot inject clockJump (MCUboot reads no clock); it can inject powerLoss");
    const auto p2 = plan(config("[]", R"([{"attack": "wrongKey"}])"), fleets);
    ASSERT_FALSE(p2->plan);
    EXPECT_EQ(p2->plan.error().message,
              "attack \"attacks[0]\": the smp family (fleet \"boards\") cannot stage wrongKey (no keys); it can stage no attack at all");
}

TEST(FaultsPlanner, UnsupportedKindRefusedWithTheFamilysReason)
{
    Fleet::FaultSupport smp;
    smp.kinds = {FaultKind::PowerLoss, FaultKind::LinkOutage};
    smp.attacks = {AttackKind::TamperedImage};
    const std::vector<PlannerFleet> fleets{fleet("boards", 8, smp, QStringLiteral("smp"))};
    const auto errorOf = [&](const char* faults, const char* attacks = "[]") {
        const auto p = plan(config(faults, attacks), fleets);
        return p->plan ? std::string("no error") : (p->plan.error().field + QStringLiteral(": ") + p->plan.error().message).toStdString();
    };
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss"}, {"id": "jump", "kind": "clockJump", "jumpS": 5}])"),
              "$.faults[1].kind: fault \"jump\": the smp family (fleet \"boards\") cannot inject clockJump; it can inject powerLoss, linkOutage");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "atFlashWrite": 3}])"),
              "$.faults[0].atFlashWrite: fault \"faults[0]\": the smp family (fleet \"boards\") cannot fire a fault at a flash write; use atS, betweenS");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "atProgress": 0.3}])"),
              "$.faults[0].atProgress: fault \"faults[0]\": the smp family (fleet \"boards\") cannot fire a fault at a share of the image; use atS, betweenS");
    EXPECT_EQ(errorOf("[]", R"([{"attack": "forgedFragment"}])"),
              "$.attacks[0].attack: attack \"attacks[0]\": the smp family (fleet \"boards\") cannot stage forgedFragment; it can stage tamperedImage");
    const std::vector<PlannerFleet> none{fleet("x", 2, Fleet::FaultSupport{})};
    const auto p = plan(config(R"([{"kind": "powerLoss"}])"), none);
    ASSERT_FALSE(p->plan);
    EXPECT_EQ(p->plan.error().message, "fault \"faults[0]\": the fake family (fleet \"x\") cannot inject powerLoss; it can inject no fault at all");
}

TEST(FaultsPlanner, OutcomeTextAndRecoveredRule)
{
    DeviceResult d;
    d.versionBefore = QStringLiteral("1.0.0");
    d.versionAfter = QStringLiteral("2.0.0");
    d.outcome = DeviceOutcome::Upgraded;
    EXPECT_EQ(faultOutcomeText(d), "upgraded 2.0.0");
    EXPECT_TRUE(deviceRecovered(d));
    d.outcome = DeviceOutcome::Failed;
    d.versionAfter = QStringLiteral("1.0.0");
    d.failureReason = QStringLiteral("timed out");
    EXPECT_EQ(faultOutcomeText(d), "failed: timed out (runs 1.0.0)");
    EXPECT_TRUE(deviceRecovered(d));     // a valid old image
    d.outcome = DeviceOutcome::RolledBack;
    EXPECT_EQ(faultOutcomeText(d), "rolled back: timed out (runs 1.0.0)");
    EXPECT_TRUE(deviceRecovered(d));
    d.versionAfter = QStringLiteral("0.9.0");   // runs something else than before: not the old image
    EXPECT_FALSE(deviceRecovered(d));
    d.versionAfter.clear();
    d.outcome = DeviceOutcome::Unfinished;
    d.failureReason.clear();
    EXPECT_EQ(faultOutcomeText(d), "unfinished (runs 1.0.0)");
    EXPECT_FALSE(deviceRecovered(d));   // off, bricked or still going: never recovered
    d.outcome = DeviceOutcome::NotStarted;
    EXPECT_TRUE(deviceRecovered(d));
}

} // namespace
