// SPDX-License-Identifier: Apache-2.0
// The ocf fleet reader: defaults, a round trip, and errors that name the field.
#include "sim/scenario/ocffleetreader.h"
#include "sim/scenario/scenarioloader.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace otalab::sim;

namespace {

QJsonObject json(const char* text) { return QJsonDocument::fromJson(QByteArray(text)).object(); }

std::string fieldOfError(const char* text)
{
    const auto c = readOcfFleet(json(text), QStringLiteral("$.fleets[0]"));
    return c ? std::string("no error") : c.error().field.toStdString();
}

} // namespace

TEST(OcfReader, EmptyObjectGivesTheDefaults)
{
    const auto c = readOcfFleet(QJsonObject{}, QStringLiteral("$.fleets[0]"));
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(*c, OcfFleetConfig{});
    EXPECT_EQ(c->devices.front().link, QStringLiteral("thread"));
}

TEST(OcfReader, RoundTrip)
{
    const auto c = readOcfFleet(json(R"({"devices": [{"count": 3, "link": "thread", "hops": 2, "frameLossPercent": 1},
                                                     {"count": 2, "link": "wifi", "latencyMs": 30, "name": "w"}],
                                         "image": {"sizeBytes": 4096, "blockSize": 256},
                                         "schedule": {"updateTime": "now", "clockSpreadS": 5},
                                         "client": {"validateFirst": false, "concurrent": 3}, "userDataBytes": 10})"),
                                QStringLiteral("$"));
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(c->devices[1].latencyMs, 30.0);
    EXPECT_FALSE(c->client.validateFirst);
    const auto back = readOcfFleet(ocfFleetToJson(*c), QStringLiteral("$"));
    ASSERT_TRUE(back) << back.error().toString().toStdString();
    EXPECT_EQ(*back, *c);
}

TEST(OcfReader, ErrorsNameTheField)
{
    EXPECT_EQ(fieldOfError(R"({"devices": [{"count": 0}]})"), "$.fleets[0].devices[0].count");
    EXPECT_EQ(fieldOfError(R"({"devices": [{"link": "zigbee"}]})"), "$.fleets[0].devices[0].link");
    EXPECT_EQ(fieldOfError(R"({"devices": [{"link": "wifi", "hops": 2}]})"), "$.fleets[0].devices[0].hops");
    EXPECT_EQ(fieldOfError(R"({"devices": [{"link": "thread", "latencyMs": 2}]})"), "$.fleets[0].devices[0].latencyMs");
    EXPECT_EQ(fieldOfError(R"({"devices": [{"pollPeriodMs": 50, "fastPollMs": 100}]})"), "$.fleets[0].devices[0].fastPollMs");
    EXPECT_EQ(fieldOfError(R"({"devices": []})"), "$.fleets[0].devices");
    EXPECT_EQ(fieldOfError(R"({"image": {"blockSize": 100}})"), "$.fleets[0].image.blockSize");
    EXPECT_EQ(fieldOfError(R"({"image": {"blockSize": 2048}})"), "$.fleets[0].image.blockSize");
    EXPECT_EQ(fieldOfError(R"({"schedule": {"updateTime": "tomorrow"}})"), "$.fleets[0].schedule.updateTime");
    EXPECT_EQ(fieldOfError(R"({"schedule": {"startsAt": "2026-13-01T00:00:00Z"}})"), "$.fleets[0].schedule.startsAt");
    EXPECT_EQ(fieldOfError(R"({"client": {"concurrent": 0}})"), "$.fleets[0].client.concurrent");
    EXPECT_EQ(fieldOfError(R"({"server": {"blocksPerS": 0}})"), "$.fleets[0].server.blocksPerS");
    EXPECT_EQ(fieldOfError(R"({"bogus": 1})"), "$.fleets[0].bogus");
}

TEST(OcfReader, Rfc3339)
{
    EXPECT_EQ(parseRfc3339Ms(QStringLiteral("1970-01-01T00:00:01Z")), 1000);
    EXPECT_EQ(parseRfc3339Ms(QStringLiteral("1970-01-01T01:00:00+01:00")), 0);
    EXPECT_EQ(parseRfc3339Ms(QStringLiteral("1970-01-01T00:00:00.250123Z")), 250);
    EXPECT_FALSE(parseRfc3339Ms(QStringLiteral("1970-01-01 00:00:00Z")));
    EXPECT_FALSE(parseRfc3339Ms(QStringLiteral("now")));
}

TEST(OcfReader, ScenarioWithAnOcfFleetLoads)
{
    const auto c = loadScenarioConfig(R"({"fleets": [{"name": "homes", "family": "ocf", "devices": [{"count": 2}]}]})", QString());
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    ASSERT_EQ(c->fleets.size(), 1u);
    EXPECT_EQ(c->fleets[0].familyId(), QStringLiteral("ocf"));
    const auto bad = loadScenarioConfig(R"({"fleets": [{"family": "ocf", "image": {"version": 2}}]})", QString());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, QStringLiteral("$.fleets[0].image.version"));
}
