// SPDX-License-Identifier: Apache-2.0
// The scenario's "network" section (sim/scenario/networkreader.cpp): every key of
// NwkModelConfig read from its JSON name, refused with its JSON path when wrong, coherent with
// "device.nwkSecurityOverheadBytes", written back by scenarioToJson (round trip) and listed
// among a run's changed parameters.
#include "sim/fleet/scenarioconfig.h"
#include "sim/scenario/scenarioloader.h"
#include "sim/scenario/scenariowriter.h"
#include "sim/scenario/sectionreaders.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace otalab::sim;

namespace {

otalab::Result<RolloutConfig> load(const char* json) { return loadScenario(QByteArray(json), QString()); }

// Field by field: NwkModelConfig has no operator== (a shared contract header).
void expectSameNetwork(const NwkModelConfig& a, const NwkModelConfig& b)
{
    EXPECT_EQ(a.aps.ack, b.aps.ack);
    EXPECT_EQ(a.aps.maxRetries, b.aps.maxRetries);
    EXPECT_EQ(a.aps.ackWaitMs, b.aps.ackWaitMs);
    EXPECT_EQ(a.aps.sleepyAckWaitExtraMs, b.aps.sleepyAckWaitExtraMs);
    EXPECT_EQ(a.aps.duplicateTableSize, b.aps.duplicateTableSize);
    EXPECT_EQ(a.aps.duplicateTimeoutMs, b.aps.duplicateTimeoutMs);
    EXPECT_EQ(a.security.mode, b.security.mode);
    EXPECT_EQ(a.security.networkKey, b.security.networkKey);
    EXPECT_EQ(a.security.keySequence, b.security.keySequence);
    EXPECT_EQ(a.security.apsEncryption, b.security.apsEncryption);
    EXPECT_EQ(a.security.linkKey, b.security.linkKey);
    EXPECT_EQ(a.routing.mode, b.routing.mode);
    EXPECT_EQ(a.routing.manyToOne, b.routing.manyToOne);
    EXPECT_EQ(a.routing.concentratorIntervalS, b.routing.concentratorIntervalS);
    EXPECT_EQ(a.routing.routeDiscoveryTimeoutMs, b.routing.routeDiscoveryTimeoutMs);
    EXPECT_EQ(a.rejoin.enabled, b.rejoin.enabled);
    EXPECT_EQ(a.rejoin.pollFailuresBeforeRejoin, b.rejoin.pollFailuresBeforeRejoin);
    EXPECT_EQ(a.rejoin.attemptsMax, b.rejoin.attemptsMax);
    EXPECT_EQ(a.rejoin.retryDelayMs, b.rejoin.retryDelayMs);
    EXPECT_EQ(a.addressFiltering, b.addressFiltering);
    EXPECT_EQ(a.idlePolls, b.idlePolls);
}

// Every key away from its default.
constexpr char kEveryKey[] = R"({"network": {
    "aps": {"ack": true, "maxRetries": 5, "ackWaitMs": 1600, "sleepyAckWaitExtraMs": 7680,
            "duplicateTableSize": 5, "duplicateTimeoutMs": 3000},
    "security": {"mode": "real", "networkKey": "00112233445566778899aabbccddeeff", "keySequence": 7,
                 "apsEncryption": true, "linkKey": "0F:0E:0D:0C:0B:0A:09:08:07:06:05:04:03:02:01:00"},
    "routing": {"mode": "mesh", "manyToOne": true, "concentratorIntervalS": 10, "routeDiscoveryTimeoutMs": 10000},
    "rejoin": {"enabled": true, "pollFailures": 3, "attemptsMax": 255, "retryDelayMs": 2500},
    "addressFiltering": true,
    "idlePolls": "closedForm"}})";

} // namespace

TEST(ScenarioNetworkReader, AbsentSectionKeepsThePreIssue15Model)
{
    const auto r = load("{}");
    ASSERT_TRUE(r) << r.error().toString().toStdString();
    expectSameNetwork(r->network, NwkModelConfig{});
    EXPECT_EQ(r->device.nwkSecurityOverheadBytes, 18);
    // An empty section (and empty sub-sections) too.
    const auto empty = load(R"({"network": {"aps": {}, "security": {}, "routing": {}, "rejoin": {}}})");
    ASSERT_TRUE(empty) << empty.error().toString().toStdString();
    expectSameNetwork(empty->network, NwkModelConfig{});
}

TEST(ScenarioNetworkReader, ReadsEveryKeyByItsJsonName)
{
    const auto r = load(kEveryKey);
    ASSERT_TRUE(r) << r.error().toString().toStdString();
    const NwkModelConfig& n = r->network;
    EXPECT_TRUE(n.aps.ack);
    EXPECT_EQ(n.aps.maxRetries, 5);
    EXPECT_EQ(n.aps.ackWaitMs, 1600);
    EXPECT_EQ(n.aps.sleepyAckWaitExtraMs, 7680);
    EXPECT_EQ(n.aps.duplicateTableSize, 5u);
    EXPECT_EQ(n.aps.duplicateTimeoutMs, 3000);
    EXPECT_EQ(n.security.mode, NwkSecuritySettings::Mode::Real);
    const std::array<std::uint8_t, 16> network{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                               0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
    EXPECT_EQ(n.security.networkKey, network);
    EXPECT_EQ(n.security.keySequence, 7);
    EXPECT_TRUE(n.security.apsEncryption);
    const std::array<std::uint8_t, 16> link{15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
    EXPECT_EQ(n.security.linkKey, link);
    EXPECT_EQ(n.routing.mode, MeshRoutingSettings::Mode::Mesh);
    EXPECT_TRUE(n.routing.manyToOne);
    EXPECT_EQ(n.routing.concentratorIntervalS, 10);
    EXPECT_EQ(n.routing.routeDiscoveryTimeoutMs, 10000);
    EXPECT_TRUE(n.rejoin.enabled);
    EXPECT_EQ(n.rejoin.pollFailuresBeforeRejoin, 3);
    EXPECT_EQ(n.rejoin.attemptsMax, 255);
    EXPECT_EQ(n.rejoin.retryDelayMs, 2500);
    EXPECT_TRUE(n.addressFiltering);
    EXPECT_EQ(n.idlePolls, NwkModelConfig::IdlePolls::ClosedForm);
    EXPECT_EQ(r->device.nwkSecurityOverheadBytes, 18);  // "real": the aux header and MIC
}

TEST(ScenarioNetworkReader, KeysAreSixteenOctetsInOneOfThreeSpellings)
{
    const std::array<std::uint8_t, 16> expected{0x01, 0x03, 0x05, 0x07, 0x09, 0x0B, 0x0D, 0x0F,
                                                0x00, 0x02, 0x04, 0x06, 0x08, 0x0A, 0x0C, 0x0D};
    for (const char* text : {"01030507090B0D0F00020406080A0C0D", "01030507090b0d0f00020406080a0c0d",
                             "01:03:05:07:09:0B:0D:0F:00:02:04:06:08:0A:0C:0D", "01 03 05 07 09 0b 0d 0f 00 02 04 06 08 0a 0c 0d"}) {
        const auto key = parseAesKey(QLatin1String(text));
        ASSERT_TRUE(key) << text;
        EXPECT_EQ(*key, expected) << text;
    }
    EXPECT_EQ(aesKeyText(expected), QStringLiteral("01030507090B0D0F00020406080A0C0D"));
    for (const char* text : {"", "01030507090B0D0F00020406080A0C", "01030507090B0D0F00020406080A0C0D00",
                             "01030507090B0D0F00020406080A0C0G", "01:03:05:07:09:0B:0D:0F:00:02:04:06:08:0A:0C 0D",
                             "01-03-05-07-09-0B-0D-0F-00-02-04-06-08-0A-0C-0D", " 01030507090B0D0F00020406080A0C0D",
                             "0103:0507:090B:0D0F:0002:0406:080A:0C0D", "ZigBeeAlliance09"}) {
        QString why;
        EXPECT_FALSE(parseAesKey(QLatin1String(text), &why)) << text;
        EXPECT_FALSE(why.isEmpty()) << text;
    }
    const auto r = load(R"({"network": {"security": {"linkKey": "5A:69:67:42:65:65:41:6C:6C:69:61:6E:63:65:30"}}})");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, QStringLiteral("$.network.security.linkKey"));
    EXPECT_TRUE(r.error().message.contains(QLatin1String("32 hex digits"))) << r.error().message.toStdString();
    EXPECT_TRUE(r.error().message.contains(QLatin1String("44 characters"))) << r.error().message.toStdString();
}

TEST(ScenarioNetworkReader, RefusesWrongValuesAndUnknownKeysAtTheirPath)
{
    struct Case {
        const char* json;
        const char* field;
    };
    const Case cases[] = {
        {R"({"network": 1})", "$.network"},
        {R"({"network": {"aps": []}})", "$.network.aps"},
        {R"({"network": {"apsAck": true}})", "$.network.apsAck"},
        {R"({"network": {"aps": {"ack": 1}}})", "$.network.aps.ack"},
        {R"({"network": {"aps": {"maxRetries": 256}}})", "$.network.aps.maxRetries"},
        {R"({"network": {"aps": {"maxRetries": 1.5}}})", "$.network.aps.maxRetries"},
        {R"({"network": {"aps": {"ackWaitMs": -1}}})", "$.network.aps.ackWaitMs"},
        {R"({"network": {"aps": {"sleepyAckWaitExtraMs": 1e13}}})", "$.network.aps.sleepyAckWaitExtraMs"},
        {R"({"network": {"aps": {"duplicateTableSize": 1025}}})", "$.network.aps.duplicateTableSize"},
        {R"({"network": {"aps": {"duplicateTimeoutMs": "3000"}}})", "$.network.aps.duplicateTimeoutMs"},
        {R"({"network": {"aps": {"retries": 3}}})", "$.network.aps.retries"},
        {R"({"network": {"security": {"mode": "Real"}}})", "$.network.security.mode"},
        {R"({"network": {"security": {"networkKey": 7}}})", "$.network.security.networkKey"},
        {R"({"network": {"security": {"networkKey": "0102"}}})", "$.network.security.networkKey"},
        {R"({"network": {"security": {"keySequence": 256}}})", "$.network.security.keySequence"},
        {R"({"network": {"security": {"apsEncryption": true}}})", "$.network.security.apsEncryption"},
        {R"({"network": {"security": {"mode": "none", "apsEncryption": true}}})", "$.network.security.apsEncryption"},
        {R"({"network": {"security": {"key": "01030507090B0D0F00020406080A0C0D"}}})", "$.network.security.key"},
        {R"({"network": {"routing": {"mode": "aodv"}}})", "$.network.routing.mode"},
        {R"({"network": {"routing": {"manyToOne": true}}})", "$.network.routing.manyToOne"},
        {R"({"network": {"routing": {"concentratorIntervalS": 0}}})", "$.network.routing.concentratorIntervalS"},
        {R"({"network": {"routing": {"routeDiscoveryTimeoutMs": -5}}})", "$.network.routing.routeDiscoveryTimeoutMs"},
        {R"({"network": {"rejoin": {"enabled": "yes"}}})", "$.network.rejoin.enabled"},
        {R"({"network": {"rejoin": {"pollFailures": 300}}})", "$.network.rejoin.pollFailures"},
        {R"({"network": {"rejoin": {"pollFailuresBeforeRejoin": 3}}})", "$.network.rejoin.pollFailuresBeforeRejoin"},
        {R"({"network": {"rejoin": {"attemptsMax": 256}}})", "$.network.rejoin.attemptsMax"},
        {R"({"network": {"rejoin": {"retryDelayMs": -1}}})", "$.network.rejoin.retryDelayMs"},
        {R"({"network": {"addressFiltering": null}})", "$.network.addressFiltering"},
        {R"({"network": {"idlePolls": "closed-form"}})", "$.network.idlePolls"},
    };
    for (const Case& c : cases) {
        const auto r = load(c.json);
        ASSERT_FALSE(r) << c.json;
        EXPECT_EQ(r.error().field.toStdString(), std::string(c.field)) << c.json << " → " << r.error().toString().toStdString();
        EXPECT_FALSE(r.error().message.isEmpty()) << c.json;
    }
    const auto mode = load(R"({"network": {"security": {"mode": "Real"}}})");
    EXPECT_EQ(mode.error().message, QStringLiteral("expected one of \"none\", \"modelled\", \"real\", got \"Real\""));
}

TEST(ScenarioNetworkReader, SecurityModeAndDeviceOverheadAreCoherent)
{
    // "none": no octets; absent device key → 0, explicit 0 fine, explicit 18 refused naming both paths.
    const auto none = load(R"({"network": {"security": {"mode": "none"}}})");
    ASSERT_TRUE(none) << none.error().toString().toStdString();
    EXPECT_EQ(none->device.nwkSecurityOverheadBytes, 0);
    ASSERT_TRUE(load(R"({"device": {"nwkSecurityOverheadBytes": 0}, "network": {"security": {"mode": "none"}}})"));
    const auto clash = load(R"({"device": {"nwkSecurityOverheadBytes": 18}, "network": {"security": {"mode": "none"}}})");
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().field, QStringLiteral("$.network.security.mode"));
    EXPECT_TRUE(clash.error().message.contains(QLatin1String("$.device.nwkSecurityOverheadBytes is 18"))) << clash.error().message.toStdString();

    // "modelled" charges what the device key says, 0 or 18 (the scenarios before issue 15).
    const auto modelled0 = load(R"({"device": {"nwkSecurityOverheadBytes": 0}, "network": {"security": {"mode": "modelled"}}})");
    ASSERT_TRUE(modelled0);
    EXPECT_EQ(modelled0->device.nwkSecurityOverheadBytes, 0);
    const auto legacy = load(R"({"device": {"nwkSecurityOverheadBytes": 0}})");
    ASSERT_TRUE(legacy);
    EXPECT_EQ(legacy->network.security.mode, NwkSecuritySettings::Mode::Modelled);
    EXPECT_EQ(legacy->device.nwkSecurityOverheadBytes, 0);

    // "real": 18 real octets; explicit 0 refused.
    const auto real = load(R"({"device": {"nwkSecurityOverheadBytes": 18}, "network": {"security": {"mode": "real"}}})");
    ASSERT_TRUE(real);
    EXPECT_EQ(real->device.nwkSecurityOverheadBytes, 18);
    const auto real0 = load(R"({"network": {"security": {"mode": "real"}}, "device": {"nwkSecurityOverheadBytes": 0}})");
    ASSERT_FALSE(real0);
    EXPECT_EQ(real0.error().field, QStringLiteral("$.network.security.mode"));
    EXPECT_TRUE(real0.error().message.contains(QLatin1String("$.device.nwkSecurityOverheadBytes is 0"))) << real0.error().message.toStdString();

    // In a "fleets" file both paths are the fleet's.
    const auto fleet = loadScenarioConfig(QByteArray(R"({"fleets": [{"family": "zigbee", "name": "z",
        "device": {"nwkSecurityOverheadBytes": 18}, "network": {"security": {"mode": "none"}}}]})"), QString());
    ASSERT_FALSE(fleet);
    EXPECT_EQ(fleet.error().field, QStringLiteral("$.fleets[0].network.security.mode"));
    EXPECT_TRUE(fleet.error().message.contains(QLatin1String("$.fleets[0].device.nwkSecurityOverheadBytes"))) << fleet.error().message.toStdString();
}

TEST(ScenarioNetworkReader, WriterRoundTrips)
{
    // read(write(c)) == c for the defaults, for every key changed, and for "none".
    RolloutConfig none;
    none.network.security.mode = NwkSecuritySettings::Mode::None;
    none.device.nwkSecurityOverheadBytes = 0;
    const auto everyKey = load(kEveryKey);
    ASSERT_TRUE(everyKey);
    for (const RolloutConfig& c : std::vector<RolloutConfig>{RolloutConfig{}, *everyKey, none}) {
        const QJsonObject json = scenarioToJson(c);
        ASSERT_TRUE(json.value(QStringLiteral("network")).isObject());
        const auto reloaded = loadScenario(QJsonDocument(json).toJson(), QString());
        ASSERT_TRUE(reloaded) << reloaded.error().toString().toStdString();
        expectSameNetwork(reloaded->network, c.network);
        EXPECT_EQ(reloaded->device.nwkSecurityOverheadBytes, c.device.nwkSecurityOverheadBytes);
        EXPECT_EQ(scenarioToJson(*reloaded), json);
    }
    const QJsonObject security = scenarioToJson(*everyKey).value(QStringLiteral("network")).toObject().value(QStringLiteral("security")).toObject();
    EXPECT_EQ(security.value(QStringLiteral("networkKey")).toString(), QStringLiteral("00112233445566778899AABBCCDDEEFF"));
    EXPECT_EQ(security.value(QStringLiteral("mode")).toString(), QStringLiteral("real"));
}

TEST(ScenarioNetworkReader, ChangedNetworkKeysAreListedAmongTheRunsParameters)
{
    const auto scenario = loadScenarioConfig(QByteArray(R"({"network": {"aps": {"ack": true}, "routing": {"mode": "mesh"}}})"), QString());
    ASSERT_TRUE(scenario) << scenario.error().toString().toStdString();
    QStringList network;
    for (const ResultAttribute& a : scenario->changes)
        if (a.name.startsWith(QLatin1String("network.")))
            network << a.name + QLatin1Char('=') + a.value;
    EXPECT_EQ(network, (QStringList{QStringLiteral("network.aps.ack=true"), QStringLiteral("network.routing.mode=mesh")}));

    const auto fleets = loadScenarioConfig(QByteArray(R"({"fleets": [{"family": "zigbee", "name": "z",
        "network": {"idlePolls": "closedForm"}}]})"), QString());
    ASSERT_TRUE(fleets) << fleets.error().toString().toStdString();
    QStringList fleetNetwork;
    for (const ResultAttribute& a : fleets->changes)
        if (a.name.contains(QLatin1String("network.")))
            fleetNetwork << a.name + QLatin1Char('=') + a.value;
    EXPECT_EQ(fleetNetwork, QStringList{QStringLiteral("fleets[0].network.idlePolls=closedForm")});
    ASSERT_NE(fleets->singleZigbee(), nullptr);
    EXPECT_EQ(fleets->singleZigbee()->network.idlePolls, NwkModelConfig::IdlePolls::ClosedForm);
}
