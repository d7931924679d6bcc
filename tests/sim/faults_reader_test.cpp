// SPDX-License-Identifier: Apache-2.0
// The scenario's "faults" / "attacks" sections: every form read, written back unchanged,
// and each mistake reported at its JSON path with what was expected.
#include "sim/scenario/faultsreader.h"
#include "sim/scenario/scenarioloader.h"

#include <QFile>
#include <QJsonDocument>

#include <gtest/gtest.h>

namespace {

using namespace otalab;
using namespace otalab::sim;
using namespace otalab::sim::faults;

QJsonValue json(const char* text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

Result<FaultsConfig> readFaults(const char* faults, const char* attacks = nullptr)
{
    return readScenarioFaults(faults ? json(faults) : QJsonValue(QJsonValue::Undefined),
                              attacks ? json(attacks) : QJsonValue(QJsonValue::Undefined));
}

// The error of reading `faults`, as "field: message".
std::string errorOf(const char* faults, const char* attacks = nullptr)
{
    const auto r = readFaults(faults, attacks);
    return r ? std::string("no error") : (r.error().field + QStringLiteral(": ") + r.error().message).toStdString();
}

const char* kEveryForm = R"([
  {"id": "cut-20", "kind": "powerLoss", "fleet": "ocf", "count": 20, "betweenS": [30, 300], "forS": 5},
  {"kind": "powerLoss", "devices": [3, 17], "atFlashWrite": 57},
  {"kind": "powerLoss", "share": 0.25, "atProgress": 0.5},
  {"id": "crash", "kind": "serverCrash", "atS": 120, "forS": 45},
  {"kind": "gatewayOutage", "target": "gw-2", "atS": 600},
  {"kind": "linkOutage", "atS": 60},
  {"kind": "clockJump", "share": 1, "atS": 10, "jumpS": -3600},
  {"kind": "badImage", "share": 0.1, "variant": "doesNotBoot"}
])";

const char* kAttacks = R"([
  {"id": "tamper", "attack": "tamperedImage", "count": 5},
  {"attack": "wrongKey", "fleet": "ocf", "devices": [0], "atS": 30},
  {"attack": "replay", "share": 0.5, "betweenS": [10, 20]}
])";

TEST(FaultsReader, ReadsEveryFormWithDefaults)
{
    const auto c = readFaults(kEveryForm, kAttacks);
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    ASSERT_EQ(c->faults.size(), 8u);
    const FaultSpec& a = c->faults[0];
    EXPECT_EQ(a.id, "cut-20");
    EXPECT_EQ(a.kind, FaultKind::PowerLoss);
    EXPECT_EQ(a.fleet, "ocf");
    EXPECT_EQ(a.select.count, 20);
    ASSERT_TRUE(a.when.betweenS);
    EXPECT_EQ(*a.when.betweenS, std::make_pair(30.0, 300.0));
    EXPECT_EQ(a.forS, 5);
    EXPECT_EQ(c->faults[1].id, "faults[1]");   // the default id
    EXPECT_EQ(c->faults[1].select.devices, (std::vector<int>{3, 17}));
    EXPECT_EQ(c->faults[1].when.atFlashWrite, 57);
    EXPECT_EQ(c->faults[2].select.share, 0.25);
    EXPECT_EQ(c->faults[2].when.atProgress, 0.5);
    EXPECT_EQ(c->faults[3].kind, FaultKind::ServerCrash);
    EXPECT_EQ(c->faults[4].target, "gw-2");
    EXPECT_TRUE(c->faults[5].select.all());
    EXPECT_EQ(c->faults[6].jumpS, -3600);
    EXPECT_EQ(c->faults[7].variant, BadImageVariant::DoesNotBoot);
    EXPECT_FALSE(c->faults[7].when.any());
    ASSERT_EQ(c->attacks.size(), 3u);
    EXPECT_EQ(c->attacks[0].id, "tamper");
    EXPECT_EQ(c->attacks[1].id, "attacks[1]");
    EXPECT_EQ(c->attacks[1].kind, AttackKind::WrongKey);
    EXPECT_EQ(c->attacks[1].when.atS, 30);
    EXPECT_EQ(c->attacks[2].kind, AttackKind::Replay);
}

TEST(FaultsReader, WriterRoundTrips)
{
    const auto c = readFaults(kEveryForm, kAttacks);
    ASSERT_TRUE(c);
    QJsonObject top;
    insertScenarioFaults(*c, top);
    const auto again = readScenarioFaults(top.value(QStringLiteral("faults")), top.value(QStringLiteral("attacks")));
    ASSERT_TRUE(again) << again.error().toString().toStdString();
    EXPECT_EQ(*again, *c);
    EXPECT_EQ(faultsToJson(*again), faultsToJson(*c));
    QJsonObject none;
    insertScenarioFaults(FaultsConfig{}, none);
    EXPECT_TRUE(none.isEmpty());   // an empty section is not written
}

TEST(FaultsReader, ErrorsNameTheFieldAndWhatWasExpected)
{
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss"}, {"kind": "powerLoss"}, {"kind": "powerLoss", "betweenS": [50, 10]}])"),
              "$.faults[2].betweenS: a must be ≤ b, got [50, 10]");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "betweenS": [1]}])"),
              "$.faults[0].betweenS: expected [a, b]: two numbers of seconds in [0, 1e+09]");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "when": 3}])"),
              "$.faults[0].when: unknown key \"when\"; expected one of: atFlashWrite, atProgress, atS, betweenS, count, devices, "
              "fleet, forS, id, jumpS, kind, permanent, share, target, variant");
    EXPECT_EQ(errorOf(R"([{"kind": "meteor"}])"),
              "$.faults[0].kind: unknown kind the string \"meteor\"; expected one of: powerLoss, serverCrash, linkOutage, "
              "gatewayOutage, clockJump, badImage");
    EXPECT_EQ(errorOf(R"([{"atS": 1}])"), "$.faults[0].kind: missing: expected one of: powerLoss, serverCrash, linkOutage, "
                                          "gatewayOutage, clockJump, badImage");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "atS": 5, "atFlashWrite": 3}])"),
              "$.faults[0].atFlashWrite: \"atS\" and \"atFlashWrite\" both given: a fault has one moment (atS, betweenS, atFlashWrite or atProgress)");
    EXPECT_EQ(errorOf(R"([{"kind": "serverCrash", "atFlashWrite": 3}])"),
              "$.faults[0].atFlashWrite: \"atFlashWrite\" is a device's moment; a serverCrash hits a node: use atS or betweenS");
    EXPECT_EQ(errorOf(R"([{"kind": "gatewayOutage", "count": 3}])"),
              "$.faults[0].count: a gatewayOutage hits a node (\"target\"), not devices: remove \"count\"");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "target": "gw-1"}])"),
              "$.faults[0].target: \"target\" names the node of a serverCrash or gatewayOutage; a powerLoss hits devices (devices, count or share)");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "jumpS": 60}])"), "$.faults[0].jumpS: \"jumpS\" is for clockJump only, not powerLoss");
    EXPECT_EQ(errorOf(R"([{"kind": "clockJump"}])"), "$.faults[0].jumpS: missing: a clockJump needs jumpS (seconds, negative: back)");
    EXPECT_EQ(errorOf(R"([{"kind": "clockJump", "jumpS": 0}])"),
              "$.faults[0].jumpS: expected a non-zero number of seconds in [-1e+09, 1e+09], got the number 0");
    EXPECT_EQ(errorOf(R"([{"kind": "linkOutage", "variant": "doesNotBoot"}])"),
              "$.faults[0].variant: \"variant\" is for badImage only, not linkOutage");
    EXPECT_EQ(errorOf(R"([{"kind": "badImage", "variant": "explodes"}])"),
              "$.faults[0].variant: expected one of \"failsSelfTest\", \"doesNotBoot\", got \"explodes\"");
    EXPECT_EQ(errorOf(R"([{"kind": "badImage", "atS": 3}])"),
              "$.faults[0].atS: a badImage is the image the devices get, it has no moment: remove \"atS\"");
    EXPECT_EQ(errorOf(R"([{"kind": "clockJump", "jumpS": 5, "forS": 3}])"), "$.faults[0].forS: a clockJump has no duration: remove \"forS\"");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "share": 0}])"), "$.faults[0].share: expected a number in (0, 1], got the number 0");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "share": 1.5}])"), "$.faults[0].share: expected a number in (0, 1], got the number 1.5");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "count": 2, "share": 0.5}])"),
              "$.faults[0].share: \"count\" and \"share\" both given: choose devices by one of devices, count or share");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "devices": [1, 1]}])"), "$.faults[0].devices[1]: device 1 listed twice");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "devices": [-1]}])"),
              "$.faults[0].devices[0]: expected a device index (an integer ≥ 0), got the number -1");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "atProgress": 1}])"),
              "$.faults[0].atProgress: expected a share of the image strictly between 0 and 1, got the number 1");
    EXPECT_EQ(errorOf(R"([{"kind": "powerLoss", "atFlashWrite": 0}])"),
              "$.faults[0].atFlashWrite: expected an integer in [1, 1000000000], got the number 0");
    EXPECT_EQ(errorOf(R"([{"id": "x", "kind": "powerLoss"}, {"id": "x", "kind": "linkOutage"}])"),
              "$.faults[1].id: id \"x\" used twice: ids must be unique");
    EXPECT_EQ(errorOf(R"({"kind": "powerLoss"})"), "$.faults: expected an array, got an object");
    EXPECT_EQ(errorOf(R"([3])"), "$.faults[0]: expected an object, got the number 3");
    // Attacks.
    EXPECT_EQ(errorOf(nullptr, R"([{"attack": "nuke"}])"),
              "$.attacks[0].attack: unknown attack the string \"nuke\"; expected one of: tamperedImage, wrongKey, downgrade, "
              "replay, forgedFragment, forgedStreamBlock, unauthorisedClient");
    EXPECT_EQ(errorOf(nullptr, R"([{"attack": "replay", "atFlashWrite": 3}])"),
              "$.attacks[0].atFlashWrite: unknown key \"atFlashWrite\"; expected one of: atS, attack, betweenS, count, devices, fleet, id, share");
    EXPECT_EQ(errorOf(nullptr, R"([{"attack": "replay", "atS": 3, "betweenS": [1, 2]}])"),
              "$.attacks[0].betweenS: \"atS\" and \"betweenS\" both given: a fault has one moment (atS, betweenS, atFlashWrite or atProgress)");
}

TEST(FaultsReader, LoaderReadsTheSectionsOfBothScenarioShapes)
{
    const QByteArray fleets = R"({"name": "x", "fleets": [{"name": "boards", "family": "smp"}],
        "faults": [{"kind": "powerLoss", "count": 2, "atS": 30}], "attacks": [{"attack": "wrongKey"}]})";
    const auto c = loadScenarioConfig(fleets, {});
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    ASSERT_EQ(c->faults.faults.size(), 1u);
    EXPECT_EQ(c->faults.faults[0].select.count, 2);
    ASSERT_EQ(c->faults.attacks.size(), 1u);

    const QByteArray zigbee = R"({"name": "z", "faults": [{"kind": "serverCrash", "atS": 60}]})";
    const auto z = loadScenarioConfig(zigbee, {});
    ASSERT_TRUE(z) << z.error().toString().toStdString();
    ASSERT_EQ(z->faults.faults.size(), 1u);
    EXPECT_EQ(z->faults.faults[0].kind, FaultKind::ServerCrash);

    const auto bad = loadScenarioConfig(R"({"name": "z", "faults": [{"kind": "powerLoss", "share": 2}]})", {});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "$.faults[0].share");
    const auto none = loadScenarioConfig(R"({"name": "x", "fleets": [{"name": "boards", "family": "smp"}]})", {});
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->faults.empty());
}

} // namespace

namespace {

// The examples of sim/fleet/faults/README.md (its two ```json blocks) read as they are.
TEST(FaultsReader, ReadmeExamplesRead)
{
    QFile readme(QStringLiteral(OTALAB_RESOURCES_DIR "/../sim/fleet/faults/README.md"));
    ASSERT_TRUE(readme.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(readme.readAll());
    QStringList blocks;
    for (qsizetype at = text.indexOf(QLatin1String("```json\n")); at >= 0; at = text.indexOf(QLatin1String("```json\n"), at + 1)) {
        const qsizetype start = at + 8;
        blocks << text.mid(start, text.indexOf(QLatin1String("```"), start) - start);
    }
    ASSERT_EQ(blocks.size(), 2);
    const QJsonObject top = QJsonDocument::fromJson(('{' + blocks[0] + ',' + blocks[1] + '}').toUtf8()).object();
    const auto c = readScenarioFaults(top.value(QStringLiteral("faults")), top.value(QStringLiteral("attacks")));
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(c->faults.size(), 8u);
    EXPECT_EQ(c->attacks.size(), 7u);
}

} // namespace
