// SPDX-License-Identifier: Apache-2.0
// The LoRaWAN fleet reader: defaults, every section, and errors that name the field.
#include "sim/fleet/fleetrun.h"
#include "sim/scenario/lorawanfleetreader.h"
#include "sim/scenario/scenarioloader.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace otalab::sim;

namespace {

otalab::Result<LorawanFleetConfig> readFleet(const char* json)
{
    return readLorawanFleet(QJsonDocument::fromJson(QByteArray(json)).object(), QStringLiteral("$.fleets[0]"));
}

std::string fieldOf(const char* json)
{
    const auto c = readFleet(json);
    return c ? std::string("(no error)") : c.error().field.toStdString();
}

} // namespace

TEST(LorawanFleetReader, EmptyObjectGivesTheDefaults)
{
    const auto c = readFleet("{}");
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(c->region, LorawanRegion::EU868);
    EXPECT_EQ(c->devices.count, 1000);
    EXPECT_FALSE(c->devices.dataRate);
    EXPECT_EQ(c->campaign.fecVersion, 2);
    EXPECT_FALSE(c->campaign.fragmentSize);
    EXPECT_FALSE(c->campaign.groupDeleteAfterQueueS);
}

TEST(LorawanFleetReader, ReadsEverySection)
{
    const auto c = readFleet(R"({"name": "x", "family": "lorawan", "region": "US915",
        "gateways": {"placement": "explicit", "positions": [{"x": 1, "y": 2}, {"x": -3, "y": 4}], "txPowerDbm": 20, "rx2DataRate": 8},
        "devices": {"count": 7, "dataRate": 2, "preset": "SX1262", "mcu": "STM32WL55", "battery": "", "flashBytes": 4096},
        "radio": {"pathLossExponent": 2.5, "extraLossPercent": 5, "burstFrames": 4},
        "image": {"sizeBytes": 2048, "version": "2.0.0", "format": "signed"},
        "campaign": {"sessionClass": "B", "multicastDataRate": 10, "pingSlotPeriodicity": 3, "fragmentSize": 100,
                     "redundancyPercent": "adaptive", "fecVersion": 1, "groupDeletion": {"afterQueueS": 60}, "clockSync": false},
        "faults": {"gatewayDown": [{"gateway": 1, "atS": 10, "forS": 20}], "forgedFragments": {"count": 2, "atFragment": 5}}})");
    ASSERT_TRUE(c) << c.error().toString().toStdString();
    EXPECT_EQ(c->region, LorawanRegion::US915);
    ASSERT_EQ(c->gateways.positions.size(), 2u);
    EXPECT_EQ(c->gateways.positions[1].xM, -3.0);
    EXPECT_EQ(c->devices.dataRate, 2);
    EXPECT_TRUE(c->devices.battery.isEmpty());
    EXPECT_EQ(c->image.format, LorawanImageConfig::Format::Signed);
    EXPECT_EQ(c->campaign.sessionClass, LorawanCampaignConfig::SessionClass::B);
    EXPECT_EQ(c->campaign.fragmentSize, 100);
    EXPECT_FALSE(c->campaign.redundancyPercent);
    EXPECT_EQ(c->campaign.groupDeleteAfterQueueS, 60.0);
    ASSERT_EQ(c->faults.gatewayDown.size(), 1u);
    EXPECT_EQ(c->faults.forgedFragments->atFragment, 5);
}

TEST(LorawanFleetReader, ErrorsNameTheField)
{
    EXPECT_EQ(fieldOf(R"({"region": "EU433"})"), "$.fleets[0].region");
    EXPECT_EQ(fieldOf(R"({"devices": {"count": 0}})"), "$.fleets[0].devices.count");
    EXPECT_EQ(fieldOf(R"({"devices": {"colour": "red"}})"), "$.fleets[0].devices.colour");
    EXPECT_EQ(fieldOf(R"({"devices": {"dataRate": "fast"}})"), "$.fleets[0].devices.dataRate");
    EXPECT_EQ(fieldOf(R"({"devices": {"deviceClass": "C"}})"), "$.fleets[0].devices.deviceClass");
    EXPECT_EQ(fieldOf(R"({"campaign": {"redundancyPercent": "lots"}})"), "$.fleets[0].campaign.redundancyPercent");
    EXPECT_EQ(fieldOf(R"({"campaign": {"fecVersion": 3}})"), "$.fleets[0].campaign.fecVersion");
    EXPECT_EQ(fieldOf(R"({"campaign": {"groupDeletion": {"afterQueue": 60}}})"), "$.fleets[0].campaign.groupDeletion");
    EXPECT_EQ(fieldOf(R"({"gateways": {"placement": "explicit"}})"), "$.fleets[0].gateways.positions");
    EXPECT_EQ(fieldOf(R"({"gateways": {"positions": [{"x": 1, "y": 2}]}})"), "$.fleets[0].gateways.positions");
    EXPECT_EQ(fieldOf(R"({"faults": {"gatewayDown": [{"gateway": 0, "at": 5}]}})"), "$.fleets[0].faults.gatewayDown[0].at");
    const auto c = readFleet(R"({"campaign": {"redundancyPercent": "lots"}})");
    ASSERT_FALSE(c);
    EXPECT_TRUE(c.error().message.contains(QStringLiteral("\"adaptive\""))) << c.error().message.toStdString();
}

TEST(LorawanFleetReader, TheLoaderBuildsALorawanFleetAndTheBuilderChecksWhatNeedsTheRegion)
{
    const auto s = loadScenarioConfig(R"({"fleets": [{"family": "lorawan", "campaign": {"multicastDataRate": 9}}]})", QString());
    ASSERT_TRUE(s) << s.error().toString().toStdString();
    ASSERT_EQ(s->fleets.size(), 1u);
    EXPECT_EQ(s->fleets[0].familyId(), QStringLiteral("lorawan"));
    const auto run = FleetRun::build(*s);
    ASSERT_FALSE(run);
    EXPECT_EQ(run.error().field, QStringLiteral("fleets[0].campaign.multicastDataRate"));
    EXPECT_TRUE(run.error().message.contains(QStringLiteral("DR9"))) << run.error().message.toStdString();
    const auto bad = loadScenarioConfig(R"({"fleets": [{"family": "lorawan", "devices": {"count": -1}}]})", QString());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, QStringLiteral("$.fleets[0].devices.count"));
}
