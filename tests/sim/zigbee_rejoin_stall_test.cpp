// SPDX-License-Identifier: Apache-2.0
// Regression: rejoin combined with APS ACKs and closed-form idle polls stalled devices for
// good. On a busy cell (door-sensors' stack: aps.ack, security "real", idlePolls
// "closedForm") a ZED misses three fast polls in a row although its parent is alive, starts
// a move, and (1) the lost parent was never a candidate, (2) a candidate that had already
// adopted the ZED in an earlier move held OTA/APS frames for it ahead of the rejoin
// response, and the ZED failed the candidate when the first held frame was not the
// response, and (3) a poll that found the channel busy counted as a missed poll (EmberZNet
// counts only polls not ACKed). Three failed moves and the ZED gave up, orphaned, its OTA
// client timing out every 30 s until the time limit (door-sensors + rejoin: 57 of 800
// unfinished).
#include "faults_scenario_support.h"
#include "zigbee_faults_test_support.h"

#include "sim/zigbee/zigbeefleet.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeenode.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <cstdio>

using namespace otalab;
using namespace otalab::test::zigbeefaults;

namespace {

struct Outcome {
    int upgraded = 0;
    int notUpgraded = 0;
};

Outcome endDevices(const sim::RunResult& r)
{
    Outcome o;
    for (const sim::DeviceResult& d : r.devices) {
        if (d.role != QStringLiteral("end-device"))
            continue;
        (d.outcome == sim::DeviceOutcome::Upgraded ? o.upgraded : o.notUpgraded) += 1;
    }
    return o;
}

} // namespace

// A router dies mid-download; its children rejoin with the real stack on (APS ACKs,
// security "real", closed-form idle polls): every child finishes.
TEST(ZigbeeRejoinStall, RouterDiesChildrenRejoinWithApsAckAndClosedFormPolls)
{
    sim::RolloutConfig c = smallZigbee(7);
    c.topology = sim::GeneratedTopology{.routers = 2, .branching = 2, .zedsPerRouter = 5};
    c.channel.hearingRangeM = 20.0;
    c.network.rejoin.enabled = true;
    c.network.aps.ack = true;
    c.network.security.mode = sim::NwkSecuritySettings::Mode::Real;
    c.network.idlePolls = sim::NwkModelConfig::IdlePolls::ClosedForm;
    sim::faults::FaultSpec f = fault(sim::faults::FaultKind::GatewayOutage);
    f.target = QStringLiteral("0x0001");
    f.when.atS = 90.0;
    f.permanent = true;
    sim::faults::FaultsConfig faults;
    faults.faults.push_back(f);
    ZigbeeFaultRun run(c, faults);
    ASSERT_TRUE(run.run());
    const Outcome o = endDevices(run.result);
    EXPECT_EQ(o.upgraded, 10);
    EXPECT_EQ(o.notUpgraded, 0);
    sim::ZigbeeNetwork& net = const_cast<sim::ZigbeeFleet&>(run.fleet()).network();
    int rejoined = 0;
    for (std::size_t i = 0; i < net.size(); ++i) {
        const sim::ZigbeeNode& n = net.node(static_cast<sim::NodeId>(i));
        if (n.role() == sim::NodeRole::EndDevice && n.stats().rejoins > 0) {
            ++rejoined;
            EXPECT_NE(n.parent(), 0x0001);
        }
    }
    EXPECT_GE(rejoined, 5);
}

// The stall itself: door-sensors (the real stack) cut to 10 routers / 200 ZEDs and a 32 KiB
// image, with rejoin on. No router fails; busy cells make ZEDs miss polls and move. Before
// the fix 24 of 200 stayed unfinished (orphaned after three failed moves); after it a few
// still give up: in a saturated cell every candidate (their own parent included) failed three
// moves in a row (not ACKed, or no response), and a ZED that gives up stays orphaned
// (EMBER_AF_REJOIN_ATTEMPTS_MAX, README "Rejoin after parent loss"). How many is a model
// outcome, not a bug: with NWK-secured rejoin commands (18 octets longer on the air) seeds
// 1..6 of this set-up leave 9, 4, 7, 6, 11 and 9 of 200 unfinished (`otalab-cli run --seed N`);
// unsecured commands left 4. The bound sits above that spread and well below the stall's 24;
// the stall itself is the last check: nobody is unfinished without having given up.
TEST(ZigbeeRejoinStall, BusyCellMovesDoNotOrphanDevices)
{
    using namespace otalab::sim::scenariotest;
    QFile file(bundledScenarioPath("door-sensors.json"));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    QJsonObject s = QJsonDocument::fromJson(file.readAll()).object();
    QJsonObject topology = s.value(QStringLiteral("topology")).toObject();
    QJsonObject generate = topology.value(QStringLiteral("generate")).toObject();
    generate.insert(QStringLiteral("routers"), 10);
    topology.insert(QStringLiteral("generate"), generate);
    s.insert(QStringLiteral("topology"), topology);
    QJsonArray images = s.value(QStringLiteral("images")).toArray();
    QJsonObject image = images.at(0).toObject();
    QJsonObject imageGen = image.value(QStringLiteral("generate")).toObject();
    imageGen.insert(QStringLiteral("size"), 32768);
    image.insert(QStringLiteral("generate"), imageGen);
    images.replace(0, image);
    s.insert(QStringLiteral("images"), images);
    QJsonObject server = s.value(QStringLiteral("server")).toObject();
    server.insert(QStringLiteral("busyRetryDelayMs"), 60000);
    s.insert(QStringLiteral("server"), server);
    QJsonObject stop = s.value(QStringLiteral("stop")).toObject();
    stop.insert(QStringLiteral("until"), 40000);
    s.insert(QStringLiteral("stop"), stop);
    QJsonObject network = s.value(QStringLiteral("network")).toObject();
    network.insert(QStringLiteral("rejoin"), QJsonObject{{QStringLiteral("enabled"), true}});
    s.insert(QStringLiteral("network"), network);
    s.remove(QStringLiteral("$schema"));
    auto config = sim::loadScenarioConfig(QJsonDocument(s).toJson(), QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios"));
    ASSERT_TRUE(config) << config.error().toString().toStdString();
    auto run = buildRun(*config);
    ASSERT_TRUE(run);
    run->run();
    const sim::RunResult r = run->result();
    const Outcome o = endDevices(r);
    auto& net = static_cast<sim::ZigbeeFleet&>(*run->fleets().front()).network();
    int losses = 0, rejoins = 0, gaveUp = 0;
    for (std::size_t i = 0; i < net.size(); ++i) {
        const sim::ZigbeeNode& n = net.node(static_cast<sim::NodeId>(i));
        losses += int(n.stats().parentLosses);
        rejoins += int(n.stats().rejoins);
        gaveUp += n.rejoinState().phase() == sim::ZedRejoin::Phase::GaveUp ? 1 : 0;
    }
    std::printf("[figures] upgraded %d, not upgraded %d, parent losses %d, rejoins %d, gave up %d\n", o.upgraded,
                o.notUpgraded, losses, rejoins, gaveUp);
    EXPECT_GT(losses, 0); // the cells are busy enough to move devices
    EXPECT_GE(o.upgraded, 186);
    EXPECT_LE(o.notUpgraded, 14);
    EXPECT_EQ(gaveUp, o.notUpgraded); // whoever did not finish is an orphan, nobody else stalls
}
