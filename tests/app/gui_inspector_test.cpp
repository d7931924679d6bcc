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
    auto add = [&](const char* role, int parent, double x, double y, bool client) {
        otalab::app::LabNodeInfo n;
        n.node = NodeId(t.nodes.size());
        n.shortAddress = std::uint16_t(t.nodes.size() == 0 ? 0 : 0x4000 + t.nodes.size());
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
    n.upgradeStatus = 1;
    n.bytesReceived = 5'000;  // 100 blocks of 50 bytes
    n.fileVersion = 0x00000001;
    n.blockRequests = 130;
    n.retries = 7;
    n.energyJ = 1.5;
    n.updateEnergyJ = 0.0421;
    n.stateSinceS = 700;
    auto& u = s.nodes[151];
    u.state = S::Upgraded;
    u.fileVersion = 0x00000002;
    u.bytesReceived = t.imageBytes;
    s.nodes[152].state = S::Failed;
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
    d.transitions.push_back(LabTransition{600, 151, S::WaitingToUpgrade});
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
    EXPECT_EQ(m.value(QStringLiteral("Short address")), QStringLiteral("0x4096"));
    EXPECT_EQ(m.value(QStringLiteral("Role")), QStringLiteral("end device"));
    EXPECT_EQ(m.value(QStringLiteral("Parent")), QStringLiteral("0x4032 (node 50, router)"));
    EXPECT_EQ(m.value(QStringLiteral("0x0002 CurrentFileVersion")), QStringLiteral("0x00000001"));
    EXPECT_EQ(m.value(QStringLiteral("0x0006 ImageUpgradeStatus")), QStringLiteral("0x01 DownloadInProgress"));
    EXPECT_EQ(m.value(QStringLiteral("Block requests")), QStringLiteral("130"));
    EXPECT_EQ(m.value(QStringLiteral("Retries")), QStringLiteral("7"));
    EXPECT_EQ(m.value(QStringLiteral("Energy so far")), QStringLiteral("1.5 J"));
    EXPECT_EQ(m.value(QStringLiteral("Update energy")), QStringLiteral("42.1 mJ"));
    EXPECT_TRUE(m.value(QStringLiteral("Time in state")).startsWith(QStringLiteral("5.0 min")))
        << m.value(QStringLiteral("Time in state")).toStdString();
    EXPECT_EQ(m.blocksTotal, 247);      // ceil(12,345 / 50)
    EXPECT_EQ(m.blocksReceived, 100);
    EXPECT_TRUE(m.value(QStringLiteral("Image received")).contains(QStringLiteral("(40.5 %)")));
    ASSERT_EQ(m.transitions.size(), 4u);
    EXPECT_EQ(m.transitions[0].from, S::NoClient);
    EXPECT_EQ(m.transitions[0].to, S::Waiting);
    EXPECT_DOUBLE_EQ(m.transitions[2].timeS, 400);
    EXPECT_EQ(m.transitions[2].from, S::Downloading);
    EXPECT_EQ(m.transitions[2].to, S::Waiting);

    c.setFocusTime(500.0);
    EXPECT_EQ(c.model().focusState, std::optional<S>(S::Waiting));
    c.setFocusTime(std::nullopt);
    EXPECT_FALSE(c.model().focusState.has_value());

    // The coordinator has no client; an unknown node gets an explanation.
    c.setNode(0);
    EXPECT_EQ(c.model().value(QStringLiteral("Parent")), QStringLiteral("— (network root)"));
    EXPECT_TRUE(c.model().value(QStringLiteral("0x0006 ImageUpgradeStatus")).isEmpty());
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
    EXPECT_EQ(panel.diagram()->currentState(), S::Upgraded);
    EXPECT_TRUE(panel.diagram()->isTaken(S::Downloading, S::WaitingToUpgrade));
    EXPECT_TRUE(panel.diagram()->isTaken(S::WaitingToUpgrade, S::Upgraded));
    EXPECT_FALSE(panel.diagram()->isTaken(S::Downloading, S::Waiting));
    EXPECT_EQ(panel.blockBar()->received(), panel.blockBar()->total());
    ASSERT_EQ(panel.transitionList()->topLevelItemCount(), 4);
    EXPECT_EQ(panel.transitionList()->topLevelItem(3)->text(1),
              QStringLiteral("%1 \u2192 %2").arg(otalab::app::labNodeStateName(S::WaitingToUpgrade),
                                                   otalab::app::labNodeStateName(S::Upgraded)));
    EXPECT_TRUE(panel.transitionList()->topLevelItem(2)->text(0).startsWith(QStringLiteral("600")));

    selection.setNodes({150, 151, 152});
    EXPECT_EQ(panel.diagram()->currentState(), S::Downloading);
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
    const auto& edges = StateMachineDiagram::possibleEdges();
    for (const StateMachineDiagram::Edge e : {StateMachineDiagram::Edge{S::Waiting, S::Downloading},
                                              {S::Downloading, S::WaitingToUpgrade},
                                              {S::WaitingToUpgrade, S::Upgraded},
                                              {S::Downloading, S::Waiting},
                                              {S::Downloading, S::Failed},
                                              {S::Waiting, S::Failed},
                                              {S::Waiting, S::Refused}})
        EXPECT_NE(std::find(edges.begin(), edges.end(), e), edges.end());
    // The block bar clamps odd input.
    otalab::app::BlockBar bar;
    bar.setBlocks(500, 247, S::Downloading);
    EXPECT_EQ(bar.received(), 247);
    bar.setBlocks(-3, -1, S::Waiting);
    EXPECT_EQ(bar.total(), 0);
    EXPECT_EQ(bar.received(), 0);
}
