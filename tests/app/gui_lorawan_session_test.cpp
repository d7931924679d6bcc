// SPDX-License-Identifier: Apache-2.0
// The lab on the bundled LoRaWAN demo: what the worker hands the GUI is what the fleet
// tells — gateways' coverage rings, a watched device's status with its piece map, the
// FUOTA server's status (Fleet::nodeStatus) — and the recorder keeps a server's rows.
#include "gui_test_support.h"
#include "lab/labrecorder.h"
#include "lab/labsession.h"
#include "sim/fleet/fleetrun.h"
#include "sim/scenario/scenarioloader.h"

#include <QFileInfo>
#include <QTest>

using otalab::app::LabNodeState;
using otalab::app::LabSession;
using otalab::sim::NodeId;

namespace {

const QString kDemo = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/lorawan-demo.json");
constexpr double kWatchAtS = 30'000;  // dev-00010 is receiving fragments of the multicast session

NodeId nodeWithRole(const otalab::app::LabTopology& t, const QString& role)
{
    for (const auto& n : t.nodes)
        if (n.role == role)
            return n.node;
    return otalab::sim::kNoNode;
}

} // namespace

TEST(GuiLorawanSession, RecorderKeepsTheRowsOfADescribedServer)
{
    // Nodes 0, 1: campaign devices; node 2: a server its family describes; node 3: a gateway it does not.
    otalab::app::LabRecorder recorder({LabNodeState::Waiting, LabNodeState::Waiting, LabNodeState::Idle, LabNodeState::Idle},
                                      {40, 41}, {2});
    for (NodeId node : {NodeId(1), NodeId(2), NodeId(3)}) {
        otalab::sim::StateChange change;
        change.node = node;
        change.machine = node == 2 ? 40 : 41;
        change.from = 0;
        change.to = 1;
        recorder.onStateChange(change);
    }
    EXPECT_EQ(recorder.recent(1).size(), 1u);
    ASSERT_EQ(recorder.recent(2).size(), 1u);
    EXPECT_EQ(recorder.recent(2)[0].machine, 40);
    EXPECT_TRUE(recorder.recent(3).empty());
    EXPECT_TRUE(recorder.recent(0).empty());
}

TEST(GuiLorawanSession, TheLabCarriesWhatTheFleetTells)
{
    otalab::testing::ensureApp();
    auto config = otalab::sim::loadScenarioConfigFile(kDemo);
    ASSERT_TRUE(config.has_value()) << config.error().toString().toStdString();
    const QString baseDir = QFileInfo(kDemo).absolutePath();

    // The same scenario run directly to the same virtual time.
    auto direct = otalab::sim::FleetRun::build(*config, baseDir);
    ASSERT_TRUE(direct.has_value()) << direct.error().toString().toStdString();
    (*direct)->runUntil(kWatchAtS);
    const otalab::sim::Fleet& fleet = *(*direct)->fleets().front();

    LabSession session;
    session.load(*config, baseDir);
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Ready; }, 60'000));
    const auto& topology = session.topology();
    // Coverage: each node's rings as the fleet placed them.
    for (const otalab::sim::FleetNodeInfo& n : fleet.nodes()) {
        ASSERT_LT(n.node, topology.nodes.size());
        const auto& rings = topology.nodes[n.node].ranges;
        ASSERT_EQ(rings.size(), n.ranges.size()) << n.name.toStdString();
        for (std::size_t k = 0; k < rings.size(); ++k) {
            EXPECT_EQ(rings[k].radiusM, n.ranges[k].radiusM);
            EXPECT_EQ(rings[k].label, n.ranges[k].label);
        }
    }
    const NodeId server = nodeWithRole(topology, QStringLiteral("server"));
    ASSERT_NE(server, otalab::sim::kNoNode);
    const NodeId device = 9;  // dev-00010
    ASSERT_TRUE(topology.nodes[device].hasClient);

    // A watched device: its status at that time, piece map included.
    session.watchNode(device);
    session.runTo(kWatchAtS);
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Paused && session.commandAnswered(); }, 60'000));
    ASSERT_DOUBLE_EQ(session.latest().timeS, kWatchAtS);
    const auto [devFleet, index] = (*direct)->deviceAt(device);
    ASSERT_NE(devFleet, nullptr);
    const otalab::sim::DeviceStatus want = devFleet->status(index);
    ASSERT_TRUE(session.latest().watched);
    const auto& got = session.latest().watched->status;
    EXPECT_TRUE(session.latest().watched->campaignDevice);
    EXPECT_EQ(got.phase, want.phase);
    EXPECT_EQ(got.machineStates, want.machineStates);
    EXPECT_EQ(got.pieces.unit, want.pieces.unit);
    EXPECT_EQ(got.pieces.total, want.pieces.total);
    EXPECT_EQ(got.pieces.state, want.pieces.state);
    if (want.pieces.empty())
        std::printf("[ note ] the lorawan fleet tells no PieceMap yet (DeviceStatus::pieces empty)\n");

    // The server: watched when its family describes it (Fleet::nodeStatus), else nothing.
    session.watchNode(server);
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.commandAnswered() && (!session.latest().watched || session.latest().watched->node == server); }, 60'000));
    const std::optional<otalab::sim::DeviceStatus> serverStatus = fleet.nodeStatus(server);
    ASSERT_EQ(bool(session.latest().watched), serverStatus.has_value());
    if (serverStatus) {
        EXPECT_FALSE(session.latest().watched->campaignDevice);
        EXPECT_EQ(session.latest().watched->status.machineStates, serverStatus->machineStates);
        // Its last rows hold its own machine's steps (the diagram's taken edges come from them).
        const auto& recent = session.latest().watched->recent;
        EXPECT_TRUE(std::any_of(recent.begin(), recent.end(), [&](const otalab::app::LabLogRow& row) {
            return row.kind == otalab::app::LabLogRow::Kind::StateChange && row.src == server;
        }));
    } else {
        std::printf("[ note ] the lorawan fleet does not describe its server yet (Fleet::nodeStatus)\n");
    }
}
