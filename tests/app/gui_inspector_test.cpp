// SPDX-License-Identifier: Apache-2.0
// Device inspector: values of the selected node, OTA attributes, block bar, transitions and the state diagram.
#include "gui_test_support.h"
#include "inspector/blockbar.h"
#include "inspector/deviceinspectorcontroller.h"
#include "inspector/deviceinspectorpanel.h"
#include "inspector/statemachinediagram.h"
#include "lab/labhistory.h"
#include "lab/labselection.h"
#include "lab/labsession.h"
#include "sim/report/fleetsummary.h"
#include "sim/scenario/scenarioloader.h"

#include <QFileInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using otalab::app::DeviceInspectorController;
using otalab::app::DeviceInspectorPanel;
using otalab::app::LabHistory;
using otalab::app::LabHistoryDelta;
using otalab::app::LabNodeState;
using otalab::app::LabSelection;
using otalab::app::LabSession;
using otalab::app::LabSnapshot;
using otalab::app::LabTopology;
using otalab::app::LabTransition;
using otalab::app::StateMachineDiagram;
using otalab::sim::NodeId;
using S = LabNodeState;

namespace {

// Coordinator 0, routers 1..100 (parent: (k-1)/3), end devices after them: 10,100 nodes.
LabTopology makeTopology(std::size_t endDevices = 10'000)
{
    LabTopology t;
    t.imageBytes = 12'345;
    otalab::app::LabFleetInfo fleet;
    fleet.name = QStringLiteral("sensors");
    fleet.family = QStringLiteral("zigbee");
    otalab::sim::MachineDescription status;
    status.id = 16;  // sim::kOtaStatusMachine
    status.name = QStringLiteral("ImageUpgradeStatus");
    status.states = {QStringLiteral("Normal"), QStringLiteral("Download in progress"), QStringLiteral("Download complete")};
    status.phaseOfState = {S::Waiting, S::Downloading, S::Verifying};
    status.transitions = {{-1, 0}, {0, 1}, {1, 0}, {1, 2}};
    fleet.machines.push_back(status);
    t.fleets.push_back(fleet);
    auto add = [&](const char* role, int parent, double x, double y, bool client) {
        otalab::app::LabNodeInfo n;
        n.node = NodeId(t.nodes.size());
        n.name = QStringLiteral("0x%1").arg(t.nodes.size() == 0 ? 0 : 0x4000 + t.nodes.size(), 4, 16, QLatin1Char('0'));
        n.fleet = 0;
        n.role = QString::fromLatin1(role);
        n.parent = parent;
        n.xM = x;
        n.yM = y;
        n.hasClient = client;
        t.nodes.push_back(n);
    };
    add("coordinator", -1, 0, 0, false);
    for (int r = 1; r <= 100; ++r)
        add("router", (r - 1) / 3, r % 10 * 10.0, r / 10 * 10.0, true);
    for (std::size_t e = 0; e < endDevices; ++e)
        add("end device", int(1 + e % 100), double(e % 100), double(e / 100) + 0.5, true);
    return t;
}

// Node 150 mid-download of its second attempt; node 151 upgraded; node 152 failed.
LabSnapshot makeSnapshot(const LabTopology& t)
{
    LabSnapshot s;
    s.timeS = 1'000;
    s.nodes.resize(t.nodes.size());
    for (std::size_t i = 1; i < t.nodes.size(); ++i)
        s.nodes[i].state = S::Waiting;
    auto& n = s.nodes[150];
    n.state = S::Downloading;
    n.bytesReceived = 5'000;  // 100 blocks of 50 bytes
    n.bytesTotal = t.imageBytes;
    n.requests = 130;
    n.retries = 7;
    n.energyJ = 1.5;
    n.updateEnergyJ = 0.0421;
    n.stateSinceS = 700;
    auto& u = s.nodes[151];
    u.state = S::Upgraded;
    u.bytesReceived = t.imageBytes;
    s.nodes[152].state = S::Failed;
    // Node 150 is the watched one: the family's attributes, machine states and last rows.
    auto w = std::make_shared<otalab::app::LabWatchedNode>();
    w->node = 150;
    w->status.phase = S::Downloading;
    w->status.version = QStringLiteral("0x00000001");
    w->status.machineStates = {{16, 1}};
    w->status.attributes = {{QStringLiteral("Short address"), QStringLiteral("0x4096")},
                            {QStringLiteral("File version"), QStringLiteral("0x00000001")},
                            {QStringLiteral("ImageUpgradeStatus"), QStringLiteral("Download in progress")}};
    auto stateRow = [](double timeS, std::uint16_t from, std::uint16_t to) {
        otalab::app::LabLogRow row;
        row.timeNs = std::int64_t(timeS * 1e9);
        row.kind = otalab::app::LabLogRow::Kind::StateChange;
        row.src = 150;
        row.machine = 16;
        row.from = from;
        row.to = to;
        return row;
    };
    w->recent = {stateRow(130, 0, 1), stateRow(400, 1, 0), stateRow(700, 0, 1)};
    s.watched = std::move(w);
    return s;
}

LabHistory makeHistory(std::size_t nodes)
{
    LabHistory h;
    h.reset(nodes);
    LabHistoryDelta d;
    for (std::size_t i = 1; i < nodes; ++i)
        d.transitions.push_back(LabTransition{0, NodeId(i), S::Waiting});
    d.transitions.push_back(LabTransition{130, 150, S::Downloading});
    d.transitions.push_back(LabTransition{400, 150, S::Waiting});
    d.transitions.push_back(LabTransition{700, 150, S::Downloading});
    d.transitions.push_back(LabTransition{90, 151, S::Downloading});
    d.transitions.push_back(LabTransition{600, 151, S::WaitingToApply});
    d.transitions.push_back(LabTransition{605, 151, S::Upgraded});
    h.append(std::move(d));
    return h;
}

} // namespace

TEST(GuiInspectorController, ShowsTheValuesOfTheSelectedNode)
{
    otalab::testing::ensureApp();
    const LabTopology t = makeTopology();
    const LabHistory h = makeHistory(t.nodes.size());
    DeviceInspectorController c;
    EXPECT_FALSE(c.model().hasNode);
    c.setTopology(t);
    c.setSnapshot(makeSnapshot(t));
    c.setHistory(&h);
    c.setBlockBytes(50);
    EXPECT_FALSE(c.model().hasNode);
    EXPECT_TRUE(c.model().placeholder.contains(QStringLiteral("Click a device in the topology or timeline")));

    c.setNode(150);
    const auto& m = c.model();
    ASSERT_TRUE(m.hasNode);
    EXPECT_EQ(m.state, S::Downloading);
    EXPECT_EQ(m.value(QStringLiteral("Name")), QStringLiteral("0x4096"));
    EXPECT_EQ(m.value(QStringLiteral("Fleet")), QStringLiteral("sensors (zigbee)"));
    EXPECT_EQ(m.value(QStringLiteral("Role")), QStringLiteral("end device"));
    EXPECT_EQ(m.value(QStringLiteral("Parent")), QStringLiteral("0x4032 (node 50, router)"));
    // Family attributes come from the watched node's DeviceStatus.
    EXPECT_EQ(m.value(QStringLiteral("Short address")), QStringLiteral("0x4096"));
    EXPECT_EQ(m.value(QStringLiteral("File version")), QStringLiteral("0x00000001"));
    EXPECT_EQ(m.value(QStringLiteral("ImageUpgradeStatus")), QStringLiteral("Download in progress"));
    EXPECT_EQ(m.value(QStringLiteral("Running version")), QStringLiteral("0x00000001"));
    EXPECT_EQ(m.value(QStringLiteral("Campaign phase")), otalab::app::labNodeStateName(S::Downloading));
    EXPECT_TRUE(m.failureReason.isEmpty());
    EXPECT_FALSE(m.failedAtS.has_value());
    EXPECT_EQ(m.value(QStringLiteral("Requests")), QStringLiteral("130"));
    EXPECT_EQ(m.value(QStringLiteral("Retries")), QStringLiteral("7"));
    EXPECT_EQ(m.value(QStringLiteral("Energy so far")), QStringLiteral("1.5 J"));
    EXPECT_EQ(m.value(QStringLiteral("Update energy")), QStringLiteral("42.1 mJ"));
    EXPECT_TRUE(m.value(QStringLiteral("Time in state")).startsWith(QStringLiteral("5.0 min")))
        << m.value(QStringLiteral("Time in state")).toStdString();
    EXPECT_EQ(m.blocksTotal, 247);      // ceil(12,345 / 50)
    EXPECT_EQ(m.blocksReceived, 100);
    EXPECT_TRUE(m.value(QStringLiteral("Image received")).contains(QStringLiteral("(40.5 %)")));
    ASSERT_EQ(m.transitions.size(), 4u);
    EXPECT_EQ(m.transitions[0].from, S::Idle);
    EXPECT_EQ(m.transitions[0].to, S::Waiting);
    EXPECT_DOUBLE_EQ(m.transitions[2].timeS, 400);
    EXPECT_EQ(m.transitions[2].from, S::Downloading);
    EXPECT_EQ(m.transitions[2].to, S::Waiting);
    // Machines: the campaign phase first, then the fleet's own, with its state and edges.
    ASSERT_EQ(m.machines.size(), 2u);
    EXPECT_EQ(m.machines[0].name, StateMachineDiagram::campaignMachine().name);
    EXPECT_EQ(m.machineState[0], int(S::Downloading));
    EXPECT_EQ(m.machines[1].name, QStringLiteral("ImageUpgradeStatus"));
    ASSERT_EQ(m.machineState.size(), 2u);
    EXPECT_EQ(m.machineState[1], 1);
    ASSERT_EQ(m.machineTaken.size(), 2u);
    EXPECT_EQ(m.machineTaken[1].size(), 2u);  // 0 → 1 (twice) and 1 → 0
    EXPECT_EQ(m.recent.size(), 3u);

    // Another node is not the watched one: no family attributes, the campaign phase only.
    c.setNode(151);
    EXPECT_TRUE(c.model().value(QStringLiteral("ImageUpgradeStatus")).isEmpty());
    EXPECT_EQ(c.model().value(QStringLiteral("Campaign phase")), otalab::app::labNodeStateName(S::Upgraded));
    EXPECT_TRUE(c.model().recent.empty());
    c.setNode(150);

    c.setFocusTime(500.0);
    EXPECT_EQ(c.model().focusState, std::optional<S>(S::Waiting));
    c.setFocusTime(std::nullopt);
    EXPECT_FALSE(c.model().focusState.has_value());

    // The coordinator has no client; an unknown node gets an explanation.
    c.setNode(0);
    EXPECT_EQ(c.model().value(QStringLiteral("Parent")), QStringLiteral("— (network root)"));
    EXPECT_TRUE(c.model().value(QStringLiteral("ImageUpgradeStatus")).isEmpty());
    EXPECT_FALSE(c.model().value(QStringLiteral("OTA role")).isEmpty());
    c.setNode(99'999);
    EXPECT_FALSE(c.model().hasNode);
    EXPECT_TRUE(c.model().placeholder.contains(QStringLiteral("99999")));
}

TEST(GuiInspectorPanel, FollowsTheSelectionAndDrawsTheTakenTransitions)
{
    otalab::testing::ensureApp();
    LabSession session;
    LabSelection selection;
    DeviceInspectorPanel panel(session, selection);
    panel.resize(560, 900);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    EXPECT_TRUE(panel.showsPlaceholder());
    EXPECT_TRUE(panel.placeholderText().contains(QStringLiteral("topology or timeline")));

    const LabTopology t = makeTopology();
    const LabHistory h = makeHistory(t.nodes.size());
    panel.controller().setTopology(t);
    panel.controller().setSnapshot(makeSnapshot(t));
    panel.controller().setHistory(&h);
    panel.controller().setBlockBytes(50);

    selection.setCurrent(151);
    EXPECT_FALSE(panel.showsPlaceholder());
    EXPECT_EQ(panel.titleText(), QStringLiteral("0x4097 · end device"));
    EXPECT_EQ(panel.diagram()->currentState(), int(S::Upgraded));
    EXPECT_TRUE(panel.diagram()->isTaken(S::Downloading, S::WaitingToApply));
    EXPECT_TRUE(panel.diagram()->isTaken(S::WaitingToApply, S::Upgraded));
    EXPECT_FALSE(panel.diagram()->isTaken(S::Downloading, S::Waiting));
    EXPECT_EQ(panel.blockBar()->received(), panel.blockBar()->total());
    ASSERT_EQ(panel.transitionList()->topLevelItemCount(), 4);
    EXPECT_EQ(panel.transitionList()->topLevelItem(3)->text(1),
              QStringLiteral("%1 \u2192 %2").arg(otalab::app::labNodeStateName(S::WaitingToApply),
                                                   otalab::app::labNodeStateName(S::Upgraded)));
    EXPECT_TRUE(panel.transitionList()->topLevelItem(2)->text(0).startsWith(QStringLiteral("600")));

    selection.setNodes({150, 151, 152});
    EXPECT_EQ(panel.diagram()->currentState(), int(S::Downloading));
    EXPECT_TRUE(panel.diagram()->isTaken(S::Downloading, S::Waiting));
    EXPECT_EQ(panel.blockBar()->received(), 100);
    EXPECT_EQ(panel.blockBar()->total(), 247);
    EXPECT_EQ(panel.transitionList()->topLevelItemCount(), 4);
    selection.setFocusTime(450.0);
    EXPECT_EQ(panel.model().focusState, std::optional<S>(S::Waiting));
    QApplication::processEvents();
    EXPECT_TRUE(panel.grab().save(QStringLiteral("/tmp/inspector-panel.png")));

    selection.setCurrent(0);
    EXPECT_FALSE(panel.showsPlaceholder());
    QApplication::processEvents();
    EXPECT_TRUE(panel.grab().save(QStringLiteral("/tmp/inspector-panel-coordinator.png")));

    selection.clear();
    EXPECT_TRUE(panel.showsPlaceholder());
    EXPECT_TRUE(panel.grab().save(QStringLiteral("/tmp/inspector-panel-empty.png")));
}

TEST(GuiInspectorDiagram, ListsTheSpecifiedTransitions)
{
    otalab::testing::ensureApp();
    const auto& machine = StateMachineDiagram::campaignMachine();
    ASSERT_EQ(machine.states.size(), otalab::app::kLabNodeStateCount);
    for (int i = 0; i < otalab::app::kLabNodeStateCount; ++i) {
        EXPECT_EQ(machine.states[i], otalab::app::labNodeStateName(S(i)));  // state index == FleetPhase value
        EXPECT_EQ(machine.phaseOfState[std::size_t(i)], S(i));
    }
    const auto has = [&](int from, S to) {
        return std::any_of(machine.transitions.begin(), machine.transitions.end(),
                           [&](const auto& t) { return t.from == from && t.to == int(to); });
    };
    EXPECT_TRUE(has(-1, S::Waiting));  // start
    for (const auto& [from, to] : std::initializer_list<std::pair<S, S>>{{S::Waiting, S::Downloading},
                                                                         {S::Downloading, S::Verifying},
                                                                         {S::Verifying, S::WaitingToApply},
                                                                         {S::WaitingToApply, S::Upgraded},
                                                                         {S::Downloading, S::Waiting},
                                                                         {S::Downloading, S::Failed},
                                                                         {S::Waiting, S::Failed},
                                                                         {S::Waiting, S::Refused}})
        EXPECT_TRUE(has(int(from), to)) << int(from) << " -> " << int(to);
    // Any machine draws; taken edges are looked up by state index.
    StateMachineDiagram diagram;
    otalab::sim::MachineDescription push;
    push.id = 40;
    push.name = QStringLiteral("Push");
    push.states = {QStringLiteral("Uploading"), QStringLiteral("Testing"), QStringLiteral("Confirmed")};
    push.phaseOfState = {S::Downloading, S::Applying, S::Upgraded};
    push.transitions = {{-1, 0}, {0, 1}, {1, 2}, {1, 0}};
    diagram.setMachine(push);
    diagram.setState(1, true);
    diagram.setTakenEdges({{-1, 0}, {0, 1}});
    EXPECT_EQ(diagram.currentState(), 1);
    EXPECT_TRUE(diagram.isTaken(0, 1));
    EXPECT_FALSE(diagram.isTaken(1, 2));
    diagram.resize(diagram.sizeHint());
    EXPECT_FALSE(diagram.grab().isNull());
    // The block bar clamps odd input.
    otalab::app::BlockBar bar;
    bar.setBlocks(500, 247, S::Downloading);
    EXPECT_EQ(bar.received(), 247);
    bar.setBlocks(-3, -1, S::Waiting);
    EXPECT_EQ(bar.total(), 0);
    EXPECT_EQ(bar.received(), 0);
}

TEST(GuiInspectorPanel, ShowsWhyAndWhenAWatchedDeviceFailedAndItsLastRows)
{
    otalab::testing::ensureApp();
    const QString starterFile = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json");
    auto config = otalab::sim::loadScenarioFile(starterFile);
    ASSERT_TRUE(config.has_value()) << config.error().toString().toStdString();
    // A corrupt firmware byte: the integrity check fails after the download, one attempt only.
    config->images.front().sizeBytes = 8 * 1024;
    config->images.front().corruptOffsets = {56 + 6 + 1000};
    config->client.maxAttempts = 1;

    LabSession session;
    LabSelection selection;
    DeviceInspectorPanel panel(session, selection);
    panel.resize(560, 900);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));

    QSignalSpy topologyChanged(&session, &LabSession::topologyChanged);
    session.load(*config, QFileInfo(starterFile).absolutePath());
    ASSERT_TRUE(topologyChanged.wait(30'000));
    ASSERT_EQ(session.state(), LabSession::RunState::Ready);
    QSignalSpy finished(&session, &LabSession::runFinished);
    session.run();
    ASSERT_TRUE(finished.count() > 0 || finished.wait(120'000));
    ASSERT_EQ(session.state(), LabSession::RunState::Finished);
    EXPECT_EQ(session.latest().failed, session.latest().clients);

    // The first client, and its result from the finished run.
    NodeId failed = otalab::sim::kNoNode;
    for (const auto& info : session.topology().nodes)
        if (info.hasClient) {
            failed = info.node;
            break;
        }
    ASSERT_NE(failed, otalab::sim::kNoNode);
    EXPECT_EQ(session.latest().nodes[failed].state, S::Failed);
    ASSERT_EQ(session.keptRuns().size(), 1u);
    const otalab::sim::DeviceResult* result = nullptr;
    for (const auto& d : session.keptRuns()[0].result.devices)
        if (d.node == failed)
            result = &d;
    ASSERT_NE(result, nullptr);
    ASSERT_TRUE(result->failedAtS.has_value());

    // Selecting it watches it: the worker answers with a snapshot that carries its detail.
    QSignalSpy published(&session, &LabSession::snapshotPublished);
    selection.setCurrent(failed);
    ASSERT_TRUE(published.count() > 0 || published.wait(30'000));
    ASSERT_TRUE(session.latest().watched);
    EXPECT_EQ(session.latest().watched->node, failed);
    // The panel coalesces snapshots (≤ ~30 Hz): wait for the model to carry the detail.
    ASSERT_TRUE(QTest::qWaitFor([&] { return !panel.model().failureReason.isEmpty(); }, 10'000));

    const auto& m = panel.model();
    EXPECT_EQ(m.state, S::Failed);
    EXPECT_TRUE(m.failureReason.contains(QStringLiteral("INVALID_IMAGE"))) << m.failureReason.toStdString();
    EXPECT_EQ(m.failureReason, result->failureReason);
    ASSERT_TRUE(m.failedAtS.has_value());
    EXPECT_DOUBLE_EQ(*m.failedAtS, *result->failedAtS);
    EXPECT_FALSE(m.recent.empty());
    EXPECT_FALSE(m.value(QStringLiteral("ImageUpgradeStatus")).isEmpty());  // family attributes shown

    QApplication::processEvents();
    ASSERT_NE(panel.failureLabel(), nullptr);
    EXPECT_TRUE(panel.failureLabel()->isVisible());
    const QString text = panel.failureLabel()->text();
    EXPECT_TRUE(text.contains(otalab::app::labNodeStateName(S::Failed))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("INVALID_IMAGE"))) << text.toStdString();
    EXPECT_TRUE(text.contains(otalab::sim::formatDuration(*result->failedAtS))) << text.toStdString();
    ASSERT_NE(panel.recentList(), nullptr);
    EXPECT_FALSE(panel.recentList()->toPlainText().trimmed().isEmpty());
    EXPECT_EQ(panel.recentList()->toPlainText().split(QLatin1Char('\n')).size(), qsizetype(m.recent.size()));
    EXPECT_TRUE(panel.grab().save(QStringLiteral("/tmp/inspector-panel-failed.png")));
}
