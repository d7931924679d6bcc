// SPDX-License-Identifier: Apache-2.0
// The bundled SMP fleet scenarios load, and a scaled-down copy of each runs to its end.
#include "smp_fleet_test_support.h"

#include "sim/scenario/scenarioloader.h"

using namespace otalab::sim;
using namespace otalab::test::smpfleet;

namespace {

SmpFleetConfig bundled(const char* file)
{
    auto config = loadScenarioConfigFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(file));
    EXPECT_TRUE(config) << (config ? std::string() : config.error().toString().toStdString());
    if (!config || config->fleets.size() != 1 || !std::holds_alternative<SmpFleetConfig>(config->fleets[0].family)) {
        ADD_FAILURE() << file << ": expected one smp fleet";
        return {};
    }
    return std::get<SmpFleetConfig>(config->fleets[0].family);
}

} // namespace

TEST(SmpFleetScenario, BleGatewayScenarioIsTheIssuesFleet)
{
    const SmpFleetConfig c = bundled("smp-ble-gateway.json");
    EXPECT_EQ(c.link, SmpFleetConfig::Link::Ble);
    EXPECT_EQ(c.boards.count, 200);
    EXPECT_EQ(c.ble.gatewayConnections, 6);
    EXPECT_EQ(c.image.sizeBytes, 256u * 1024u);
    EXPECT_GT(c.boards.unhealthyShare, 0.0);
}

TEST(SmpFleetScenario, UdpScenarioIsAThousandBoardsWithLoss)
{
    const SmpFleetConfig c = bundled("smp-udp-fleet.json");
    EXPECT_EQ(c.link, SmpFleetConfig::Link::Udp);
    EXPECT_EQ(c.boards.count, 1000);
    EXPECT_GT(c.udp.datagramLoss, 0.0);
}

TEST(SmpFleetScenario, AScaledDownBleGatewayFleetEndsWithEveryBoardFinal)
{
    SmpFleetConfig c = bundled("smp-ble-gateway.json");
    c.boards.count = 12;
    c.boards.unhealthyShare = 0.25;
    FleetBench bench(c, 2002);
    ASSERT_TRUE(bench.run());
    EXPECT_EQ(bench.count(DeviceOutcome::Upgraded) + bench.count(DeviceOutcome::RolledBack), 12);
    EXPECT_LE(bench.smp().host().maxActiveBoards(), 6);
}
