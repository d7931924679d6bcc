// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/scenarioloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace otalab::sim;

namespace {

QString fixture(const char* relative)
{
    return QStringLiteral(OTALAB_TEST_DATA_DIR "/scenarios/") + QLatin1String(relative);
}

QString bundled(const char* name)
{
    return QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(name);
}

otalab::Result<RolloutConfig> load(const char* json)
{
    return loadScenario(QByteArray(json), QStringLiteral("/nonexistent"));
}

const GeneratedTopology& generated(const RolloutConfig& c)
{
    return std::get<GeneratedTopology>(c.topology);
}

} // namespace

TEST(ScenarioBundled, StarterLoads)
{
    const auto c = loadScenarioFile(bundled("starter.json"));
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(c->name, QStringLiteral("starter"));
    EXPECT_EQ(generated(*c).routers, 1u);
    EXPECT_EQ(generated(*c).zedsPerRouter, 5u);
    EXPECT_EQ(c->device.pollIntervalMs, 7500);
    EXPECT_EQ(c->server.maxBlockDataSize, 50);
    EXPECT_EQ(c->server.blockResponseDelayMs, 250);
    ASSERT_EQ(c->images.size(), 1u);
    EXPECT_TRUE(c->images[0].path.isEmpty());
    EXPECT_GE(c->images[0].sizeBytes, 64u * 1024);
    EXPECT_LE(c->images[0].sizeBytes, 280u * 1024);
}

TEST(ScenarioBundled, CampusAndCityHaveTheirSizes)
{
    const auto campus = loadScenarioFile(bundled("campus.json"));
    ASSERT_TRUE(campus) << campus.error().toString().toStdString();
    EXPECT_EQ(generated(*campus).routers * generated(*campus).zedsPerRouter, 1000u);
    const auto city = loadScenarioFile(bundled("city.json"));
    ASSERT_TRUE(city) << city.error().toString().toStdString();
    EXPECT_EQ(generated(*city).routers * generated(*city).zedsPerRouter, 10000u);
}

TEST(ScenarioBundled, StallReproTargetsRouter1A2B)
{
    const auto c = loadScenarioFile(bundled("stall-repro.json"));
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(c->seed, 0x5EED1A2Bu);
    ASSERT_EQ(c->channel.routerOverrides.size(), 1u);
    const RouterLossOverride& o = c->channel.routerOverrides[0];
    EXPECT_EQ(o.router, 0x1A2B);
    EXPECT_EQ(o.fromS, 1200.0);
    EXPECT_FALSE(o.toS);
    EXPECT_EQ(o.loss.kind, LossKind::GilbertElliott);
    const auto& spec = std::get<TopologySpec>(c->topology);
    ASSERT_TRUE(spec.validate());
    EXPECT_EQ(spec.nodes[2].shortAddress, 0x1A2B);
    EXPECT_EQ(spec.nodes[9].parent, 2);  // 0x5A01 hangs off 0x1A2B
}

TEST(ScenarioBundled, EveryBundledScenarioLoadsAndMatchesTheSchema)
{
    QFile schemaFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenario.schema.json"));
    ASSERT_TRUE(schemaFile.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonDocument schema = QJsonDocument::fromJson(schemaFile.readAll(), &error);
    ASSERT_EQ(error.error, QJsonParseError::NoError) << error.errorString().toStdString();
    EXPECT_EQ(schema.object()[QStringLiteral("$schema")].toString(), QStringLiteral("https://json-schema.org/draft/2020-12/schema"));
    const QJsonObject properties = schema.object()[QStringLiteral("properties")].toObject();
    ASSERT_FALSE(properties.isEmpty());

    const QDir dir(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    EXPECT_GE(files.size(), 4);
    for (const QString& name : files) {
        const auto c = loadScenarioConfigFile(dir.filePath(name));
        EXPECT_TRUE(c) << name.toStdString() << ": " << (c ? "" : c.error().toString().toStdString());
        QFile f(dir.filePath(name));
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        const QJsonObject scenario = QJsonDocument::fromJson(f.readAll()).object();
        for (const QString& key : scenario.keys()) {
            EXPECT_TRUE(properties.contains(key)) << name.toStdString() << ": top-level key " << key.toStdString() << " not in the schema";
            if (properties.contains(key) && scenario[key].isObject() && properties[key].toObject().contains(QStringLiteral("properties"))) {
                const QJsonObject sub = properties[key].toObject()[QStringLiteral("properties")].toObject();
                for (const QString& inner : scenario[key].toObject().keys())
                    EXPECT_TRUE(sub.contains(inner)) << name.toStdString() << ": " << key.toStdString() << "." << inner.toStdString();
            }
        }
    }
}

TEST(ScenarioLoader, EmptyObjectGivesTheDefaults)
{
    const auto c = load("{}");
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    const RolloutConfig defaults;
    EXPECT_EQ(c->name, defaults.name);
    EXPECT_EQ(c->seed, defaults.seed);
    EXPECT_EQ(generated(*c).routers, 1u);
    EXPECT_EQ(generated(*c).branching, 1u);
    EXPECT_EQ(c->images.size(), 1u);
    EXPECT_EQ(c->stop.untilS, defaults.stop.untilS);
    EXPECT_EQ(c->server.blockResponseDelayMs, 250);
}

TEST(ScenarioLoader, GoodExplicitFixture)
{
    const auto c = loadScenarioFile(fixture("good/explicit.json"));
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(c->seed, ~std::uint64_t(0));
    const auto& spec = std::get<TopologySpec>(c->topology);
    ASSERT_EQ(spec.nodes.size(), 3u);
    EXPECT_EQ(spec.nodes[1].parent, 2);  // parents may be listed after their children
    EXPECT_EQ(spec.nodes[1].x, 1.5);
    EXPECT_EQ(c->channel.loss.kind, LossKind::Distance);
    EXPECT_EQ(c->channel.loss.exponent, 2.5);
    ASSERT_EQ(c->channel.cuts.size(), 1u);
    EXPECT_EQ(c->channel.cuts[0].toS, 120.5);
    EXPECT_EQ(c->device.preset, QStringLiteral("nRF52840"));
    EXPECT_EQ(c->device.battery, QStringLiteral("2xAA"));
    ASSERT_EQ(c->images.size(), 1u);
    EXPECT_EQ(c->images[0].path, QFileInfo(fixture("good/fixture.ota")).absoluteFilePath());
    EXPECT_EQ(c->images[0].corruptOffsets, (std::vector<std::uint32_t>{100, 0x200}));
    EXPECT_EQ(c->server.notify, ServerConfig::Notify::Unicast);
    EXPECT_EQ(c->server.defaultPolicy.upgradeTime, DevicePolicyConfig::UpgradeTime::Wait);
    ASSERT_EQ(c->server.devicePolicies.size(), 1u);
    EXPECT_FALSE(c->server.devicePolicies[0].authorized);
    EXPECT_EQ(c->server.devicePolicies[0].upgradeTime, DevicePolicyConfig::UpgradeTime::Wait);  // inherited
    ASSERT_EQ(c->clientOverrides.size(), 1u);
    EXPECT_EQ(c->clientOverrides[0].enabled, std::optional<bool>(false));
    EXPECT_FALSE(c->stop.whenAllFinished);
    EXPECT_EQ(c->sampleIntervalS, 5.0);
}

TEST(ScenarioLoader, NameDefaultsToTheFileName)
{
    const auto c = loadScenarioFile(fixture("good/minimal.json"));
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(c->name, QStringLiteral("minimal"));
}

TEST(ScenarioLoader, RelativeImagePathsResolveAgainstTheScenarioFolder)
{
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    QDir(tmp.path()).mkpath(QStringLiteral("images"));
    QFile image(tmp.filePath(QStringLiteral("images/fw.ota")));
    ASSERT_TRUE(image.open(QIODevice::WriteOnly));
    image.write("x");
    image.close();
    QFile scenario(tmp.filePath(QStringLiteral("s.json")));
    ASSERT_TRUE(scenario.open(QIODevice::WriteOnly));
    scenario.write(R"({"images": [{"path": "images/fw.ota"}]})");
    scenario.close();
    const auto c = loadScenarioFile(scenario.fileName());
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(c->images[0].path, QFileInfo(image.fileName()).absoluteFilePath());
    // The same text from another folder does not find it.
    EXPECT_EQ(loadScenario(R"({"images": [{"path": "images/fw.ota"}]})", QDir::tempPath()).error().field, QStringLiteral("$.images[0].path"));
}

TEST(ScenarioLoader, MissingFileIsAnError)
{
    const auto c = loadScenarioFile(fixture("no-such-scenario.json"));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().field, QStringLiteral("$"));
    EXPECT_TRUE(c.error().message.contains(QStringLiteral("no-such-scenario.json")));
}

struct BadCase {
    const char* file;
    const char* field;
    const char* messagePart;
};

class ScenarioBadFixture : public ::testing::TestWithParam<BadCase> {};

TEST_P(ScenarioBadFixture, ReportsTheJsonPath)
{
    const BadCase& bad = GetParam();
    const auto c = loadScenarioFile(fixture("bad/") + QLatin1String(bad.file));
    ASSERT_FALSE(c) << bad.file << " loaded";
    EXPECT_EQ(c.error().field.toStdString(), std::string(bad.field)) << c.error().toString().toStdString();
    EXPECT_TRUE(c.error().message.contains(QLatin1String(bad.messagePart)))
        << bad.file << ": " << c.error().message.toStdString();
}

INSTANTIATE_TEST_SUITE_P(
    All, ScenarioBadFixture,
    ::testing::Values(
        BadCase{"unknown-key.json", "$.topology.generate.zedsPerRoutr", "unknown key"},
        BadCase{"unknown-top-level-key.json", "$.seeed", "expected one of"},
        BadCase{"wrong-type.json", "$.device.pollIntervalMs", "expected an integer"},
        BadCase{"negative-count.json", "$.topology.generate.routers", "expected an integer in [0, 65527]"},
        BadCase{"missing-image.json", "$.images[1].path", "does not exist"},
        BadCase{"parent-cycle.json", "$.topology.nodes[1].parent", "never reaches the coordinator"},
        BadCase{"zed-as-parent.json", "$.topology.nodes[3].parent", "end device"},
        BadCase{"duplicate-address.json", "$.topology.nodes[2].short", "duplicate short address 0x0010"},
        BadCase{"missing-parent.json", "$.topology.nodes[2].parent", "no node has short address 0x0042"},
        BadCase{"bad-loss-model.json", "$.channel.loss.kind", "\"gilbert-elliott\""},
        BadCase{"probability-above-one.json", "$.channel.loss.p", "[0, 1]"},
        BadCase{"loss-key-of-other-kind.json", "$.channel.loss.p", "unknown key"},
        BadCase{"empty-topology.json", "$.topology", "empty topology"},
        BadCase{"coordinator-only.json", "$.topology.generate", "only the coordinator"},
        BadCase{"override-on-end-device.json", "$.channel.routerOverrides[0].router", "is an end device"},
        BadCase{"cut-ends-before-start.json", "$.channel.cuts[0].to", "expected \"to\" > \"from\""},
        BadCase{"bad-short-address.json", "$.clientOverrides[0].device", "0x1A2B"},
        BadCase{"empty-images.json", "$.images", "at least one image"},
        BadCase{"syntax-error.json", "$", "not valid JSON"},
        BadCase{"top-level-array.json", "$", "JSON object"},
        BadCase{"bad-preset-current.json", "$.device.preset.radio.txA", ""},
        BadCase{"too-many-nodes.json", "$.topology.generate", "16-bit address space"},
        BadCase{"second-coordinator.json", "$.topology.nodes[1].role", "exactly one"},
        BadCase{"zero-poll-interval.json", "$.device.pollIntervalMs", "[1, "}),
    [](const ::testing::TestParamInfo<BadCase>& info) {
        std::string name = info.param.file;
        name = name.substr(0, name.find('.'));
        for (char& ch : name)
            if (ch == '-')
                ch = '_';
        return name;
    });

TEST(ScenarioBadFixture, EveryFixtureIsCovered)
{
    const QDir dir(fixture("bad"));
    EXPECT_EQ(dir.entryList({QStringLiteral("*.json")}, QDir::Files).size(), 24);
}

TEST(ScenarioLoader, SyntaxErrorCarriesTheOffset)
{
    const auto c = load("{\"name\": \"x\",, }");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().field, QStringLiteral("$"));
    EXPECT_GE(c.error().offset, 12);
}

TEST(ScenarioLoader, RangesAndTypes)
{
    struct Case {
        const char* json;
        const char* field;
    };
    const Case cases[] = {
        {R"({"seed": -1})", "$.seed"},
        {R"({"seed": 1.5})", "$.seed"},
        {R"({"seed": "0x1FFFFFFFFFFFFFFFF"})", "$.seed"},
        {R"({"name": ""})", "$.name"},
        {R"({"topology": {"generate": {"placement": "hex"}}})", "$.topology.generate.placement"},
        {R"({"topology": {"generate": {"branching": 0}}})", "$.topology.generate.branching"},
        {R"({"topology": {"generate": {}, "nodes": []}})", "$.topology"},
        {R"({"topology": {"nodes": [{"short": 0, "role": "coordinator"}]}})", "$.topology.nodes"},
        {R"({"topology": {"nodes": [{"short": 0, "role": "router"}, {"short": 1, "role": "router", "parent": 0}]}})", "$.topology.nodes[0].role"},
        {R"({"topology": {"nodes": [{"short": 0, "role": "coordinator"}, {"short": 1, "role": "router"}]}})", "$.topology.nodes[1].parent"},
        {R"({"topology": {"nodes": [{"short": 0, "role": "coordinator"}, {"short": "0xFFFF", "role": "router", "parent": 0}]}})", "$.topology.nodes[1].short"},
        {R"({"topology": {"nodes": [{"short": 0, "role": "coordinator"}, 7]}})", "$.topology.nodes[1]"},
        {R"({"channel": {"loss": {"kind": "gilbert-elliott", "pGoodToBad": 0, "pBadToGood": 0}}})", "$.channel.loss.pBadToGood"},
        {R"({"channel": {"loss": {"kind": "distance", "exponent": 0}}})", "$.channel.loss.exponent"},
        {R"({"channel": {"loss": {"p": 0.1}}})", "$.channel.loss.kind"},
        {R"({"channel": {"channel": 27}})", "$.channel.channel"},
        {R"({"channel": {"cuts": [{"a": 0, "b": 99, "from": 0, "to": 1}]}})", "$.channel.cuts[0].b"},
        {R"({"channel": {"cuts": [{"a": 0, "b": 1, "from": 0}]}})", "$.channel.cuts[0].to"},
        {R"({"channel": {"routerOverrides": [{"router": 1, "from": 10, "to": 5, "loss": {"kind": "none"}}]}})", "$.channel.routerOverrides[0].to"},
        {R"({"device": {"preset": "ESP32"}})", "$.device.preset"},
        {R"({"device": {"battery": "AAA"}})", "$.device.battery"},
        {R"({"device": {"nwkSecurityOverheadBytes": 5}})", "$.device.nwkSecurityOverheadBytes"},
        {R"({"images": [{"path": "a", "generate": {}}]})", "$.images[0]"},
        {R"({"images": [{"generate": {"size": 0}}]})", "$.images[0].generate.size"},
        {R"({"images": [{"corruptOffsets": [-1]}]})", "$.images[0].corruptOffsets[0]"},
        {R"({"images": "fw.ota"})", "$.images"},
        {R"({"server": {"maxBlockDataSize": 256}})", "$.server.maxBlockDataSize"},
        {R"({"server": {"notify": "multicast"}})", "$.server.notify"},
        {R"({"server": {"defaultPolicy": {"device": 1}}})", "$.server.defaultPolicy.device"},
        {R"({"server": {"defaultPolicy": {"releaseAtS": 5}}})", "$.server.defaultPolicy.releaseAtS"},
        {R"({"server": {"devicePolicies": [{"authorized": false}]}})", "$.server.devicePolicies[0].device"},
        {R"({"server": {"devicePolicies": [{"device": 4000}]}})", "$.server.devicePolicies[0].device"},
        {R"({"client": {"maxRetries": 1001}})", "$.client.maxRetries"},
        {R"({"client": {"includeRouters": "yes"}})", "$.client.includeRouters"},
        {R"({"clientOverrides": [{"device": 0}]})", "$.clientOverrides[0].device"},
        {R"({"stop": {"until": 0}})", "$.stop.until"},
        {R"({"stop": {"until": 1e300}})", "$.stop.until"},
        {R"({"sampleIntervalS": 0})", "$.sampleIntervalS"},
    };
    for (const Case& c : cases) {
        const auto r = load(c.json);
        ASSERT_FALSE(r) << c.json;
        EXPECT_EQ(r.error().field.toStdString(), std::string(c.field)) << c.json << " → " << r.error().toString().toStdString();
        EXPECT_FALSE(r.error().message.isEmpty());
    }
}

TEST(ScenarioLoader, HexAndDecimalAddressesAgree)
{
    const auto a = load(R"({"clientOverrides": [{"device": "0x0003", "maxDataSize": 40}]})");
    const auto b = load(R"({"clientOverrides": [{"device": 3, "maxDataSize": 40}]})");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->clientOverrides[0].device, 3);
    EXPECT_EQ(b->clientOverrides[0].device, 3);
    EXPECT_EQ(a->clientOverrides[0].maxDataSize, std::optional<std::uint8_t>(40));
}
