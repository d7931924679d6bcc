// SPDX-License-Identifier: Apache-2.0
// Topology view: controller states/counts, spatial selection, search, painting and speed at 10,000+ nodes.
#include "gui_test_support.h"
#include "lab/labselection.h"
#include "lab/labsession.h"
#include "sim/zigbee/topologygenerator.h"
#include "topology/topologycontroller.h"
#include "topology/topologyitem.h"
#include "topology/topologylegend.h"
#include "topology/topologypanel.h"
#include "topology/topologyscene.h"
#include "topology/topologyview.h"

#include <QElapsedTimer>
#include <QImage>
#include <QLineEdit>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>

using otalab::app::LabNodeState;
using otalab::app::LabSelection;
using otalab::app::LabSession;
using otalab::app::LabSnapshot;
using otalab::app::LabTopology;
using otalab::app::TopologyController;
using otalab::app::TopologyNodeKind;
using otalab::app::TopologyPanel;
using otalab::sim::NodeId;

namespace {

// A generated tree as the session would describe it (grid placement, 10 m spacing).
LabTopology makeFleet(std::uint32_t routers, std::uint32_t zedsPerRouter, std::uint32_t branching = 3)
{
    otalab::sim::GeneratedTopology gen;
    gen.routers = routers;
    gen.zedsPerRouter = zedsPerRouter;
    gen.branching = branching;
    auto spec = gen.generate();
    EXPECT_TRUE(spec.has_value());
    LabTopology t;
    t.scenarioName = QStringLiteral("generated");
    t.imageBytes = 150'000;
    for (std::size_t i = 0; spec && i < spec->nodes.size(); ++i) {
        const auto& n = spec->nodes[i];
        otalab::app::LabNodeInfo info;
        info.node = NodeId(i);
        info.name = QStringLiteral("0x%1").arg(n.shortAddress, 4, 16, QLatin1Char('0'));
        info.role = n.role == otalab::sim::NodeRole::Coordinator ? QStringLiteral("coordinator")
                    : n.role == otalab::sim::NodeRole::Router    ? QStringLiteral("router")
                                                                 : QStringLiteral("end device");
        info.parent = n.parent;
        info.xM = n.x;
        info.yM = n.y;
        info.hasClient = i != 0;
        t.nodes.push_back(info);
    }
    return t;
}

std::uint32_t mix(std::uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

// A rollout wave from the coordinator outwards: nodes near the root are upgraded,
// a ring is downloading, the rest waits; 2 % failed, 2 % refused.
LabSnapshot midRollout(const LabTopology& t, double timeS)
{
    LabSnapshot s;
    s.timeS = timeS;
    s.untilS = 86'400;
    s.nodes.resize(t.nodes.size());
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
        auto& n = s.nodes[i];
        const auto& info = t.nodes[i];
        if (!info.hasClient)
            continue;
        const double u = (mix(std::uint32_t(i)) % 10'000) / 10'000.0;
        const double dist = std::hypot(info.xM, info.yM);
        const double start = dist * 8 + u * 400;
        const double elapsed = timeS - start;
        n.bytesTotal = t.imageBytes;
        n.energyJ = 0.002 * timeS;
        if (u < 0.02) {
            n.state = LabNodeState::Failed;
        } else if (u < 0.04) {
            n.state = LabNodeState::Refused;
        } else if (elapsed < 0) {
            n.state = LabNodeState::Waiting;
        } else if (elapsed < 1'500) {
            n.state = LabNodeState::Downloading;
            n.bytesReceived = std::uint32_t(t.imageBytes * elapsed / 1'500);
            n.requests = n.bytesReceived / 50 + 3;
            n.retries = 3;
            n.stateSinceS = start;
        } else if (elapsed < 1'600) {
            n.state = LabNodeState::WaitingToApply;
            n.bytesReceived = t.imageBytes;
        } else {
            n.state = LabNodeState::Upgraded;
            n.bytesReceived = t.imageBytes;
        }
        s.clients++;
        s.upgraded += n.state == LabNodeState::Upgraded;
        s.downloading += n.state == LabNodeState::Downloading;
    }
    return s;
}

// States cycling through all seven values, so every bucket is exercised.
LabSnapshot cyclingSnapshot(std::size_t nodes, int shift)
{
    LabSnapshot s;
    s.nodes.resize(nodes);
    for (std::size_t i = 0; i < nodes; ++i)
        s.nodes[i].state = LabNodeState((i + std::size_t(shift)) % otalab::app::kLabNodeStateCount);
    return s;
}

// Renders `sceneRect` of the panel's scene into an image of `size` pixels.
QImage renderScene(QGraphicsScene& scene, const QRectF& sceneRect, QSize size)
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    scene.render(&p, QRectF(QPointF(0, 0), size), sceneRect);
    return image;
}

} // namespace

TEST(GuiTopologyController, ColoursAndCountsFollowTheSnapshot)
{
    otalab::testing::ensureApp();
    const LabTopology fleet = makeFleet(400, 25);  // 10,401 nodes
    ASSERT_EQ(fleet.nodes.size(), 10'401u);
    TopologyController c;
    c.setTopology(fleet);
    EXPECT_EQ(c.nodeCount(), 10'401u);
    EXPECT_EQ(c.kind(0), TopologyNodeKind::Coordinator);
    EXPECT_EQ(c.kind(1), TopologyNodeKind::Router);
    EXPECT_EQ(c.kind(10'400), TopologyNodeKind::EndDevice);
    // Before any snapshot: clients wait, the coordinator has no client.
    EXPECT_EQ(c.countIn(LabNodeState::Waiting), 10'400);
    EXPECT_EQ(c.countIn(LabNodeState::Idle), 1);

    QSignalSpy changed(&c, &TopologyController::statesChanged);
    const LabSnapshot s = cyclingSnapshot(fleet.nodes.size(), 3);
    c.update(s, false);
    EXPECT_EQ(changed.count(), 1);
    std::array<int, otalab::app::kLabNodeStateCount> expected{};
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
        ASSERT_EQ(c.displayedState(NodeId(i)), s.nodes[i].state) << "node " << i;
        ++expected[std::size_t(s.nodes[i].state)];
    }
    for (int k = 0; k < otalab::app::kLabNodeStateCount; ++k)
        EXPECT_EQ(c.countIn(LabNodeState(k)), expected[std::size_t(k)]) << "state " << k;
    // The same snapshot again changes nothing and asks for no repaint.
    c.update(s, false);
    EXPECT_EQ(changed.count(), 1);

    // The legend reads the same counts.
    otalab::app::TopologyLegend legend(c);
    EXPECT_TRUE(legend.entries().contains(QStringLiteral("%1 %2")
                                              .arg(otalab::app::labNodeStateName(LabNodeState::Upgraded))
                                              .arg(QLocale().toString(expected[std::size_t(LabNodeState::Upgraded)]))));

    // Out-of-range ids and a short snapshot do not crash; missing entries keep their state.
    EXPECT_EQ(c.displayedState(otalab::sim::kNoNode), LabNodeState::Idle);
    LabSnapshot shortOne = cyclingSnapshot(10, 0);
    c.update(shortOne, false);
    EXPECT_EQ(c.displayedState(0), LabNodeState::Idle);
    EXPECT_EQ(c.displayedState(5000), s.nodes[5000].state);
}

TEST(GuiTopologyController, NodesArePaintedInTheirStateColour)
{
    otalab::testing::ensureApp();
    const LabTopology fleet = makeFleet(40, 10);
    TopologyController c;
    c.setTopology(fleet);
    c.update(cyclingSnapshot(fleet.nodes.size(), 0), false);
    otalab::app::TopologyScene scene(c);
    // Zoomed on single nodes (8 px per scene unit): the pixel at a marker's centre has its state colour.
    for (NodeId id : {NodeId(0), NodeId(1), NodeId(2), NodeId(45), NodeId(120), NodeId(300), NodeId(440)}) {
        const QPointF centre = c.scenePos(id);
        const QImage img = renderScene(scene, QRectF(centre - QPointF(10, 10), QSizeF(20, 20)), QSize(160, 160));
        const QColor got = img.pixelColor(80, 80);
        const QColor want = otalab::app::labNodeStateColor(c.displayedState(id));
        EXPECT_LE(std::abs(got.red() - want.red()) + std::abs(got.green() - want.green()) + std::abs(got.blue() - want.blue()), 12)
            << "node " << id << " got " << got.name().toStdString() << " want " << want.name().toStdString();
    }
}

TEST(GuiTopologyController, RectangleSelectsExactlyTheNodesInside)
{
    otalab::testing::ensureApp();
    const LabTopology fleet = makeFleet(400, 25);
    TopologyController c;
    c.setTopology(fleet);
    const QRectF b = c.sceneBounds();
    ASSERT_FALSE(b.isEmpty());
    for (const QRectF rect : {QRectF(b.center(), QSizeF(b.width() / 5, b.height() / 7)),
                              QRectF(b.left() - 5, b.top() - 5, b.width() / 3, b.height() / 2),
                              QRectF(b.center().x() + 3, b.center().y() - 40, -120, 90),  // dragged right to left
                              b.adjusted(-1, -1, 1, 1)}) {
        std::vector<NodeId> want;
        const QRectF r = rect.normalized();
        for (std::size_t i = 0; i < c.nodeCount(); ++i) {
            const QPointF p = c.scenePos(NodeId(i));
            if (p.x() >= r.left() && p.x() <= r.right() && p.y() >= r.top() && p.y() <= r.bottom())
                want.push_back(NodeId(i));
        }
        EXPECT_EQ(c.nodesInRect(rect), want);
    }
    EXPECT_EQ(c.nodesInRect(b.adjusted(-1, -1, 1, 1)).size(), c.nodeCount());
    EXPECT_TRUE(c.nodesInRect(QRectF(b.right() + 100, b.bottom() + 100, 50, 50)).empty());

    // Hit test: exactly on a node finds it; far away finds nothing.
    EXPECT_EQ(c.nodeAt(c.scenePos(4321), 1.0), std::optional<NodeId>(4321));
    EXPECT_EQ(c.nodeAt(QPointF(b.right() + 1000, b.bottom() + 1000), 5.0), std::nullopt);
}

TEST(GuiTopologyController, SearchAcceptsHexAddressesAndIndices)
{
    otalab::testing::ensureApp();
    LabTopology fleet = makeFleet(40, 10);
    // Make addresses differ from indices so both interpretations are checked.
    for (auto& n : fleet.nodes)
        n.name = QStringLiteral("0x%1").arg(n.node == 0 ? 0 : 0x1000 + n.node, 4, 16, QLatin1Char('0'));
    TopologyController c;
    c.setTopology(fleet);
    EXPECT_EQ(c.findByAddress(QStringLiteral("0x1100")), std::optional<NodeId>(0x100));
    EXPECT_EQ(c.findByAddress(QStringLiteral("1100")), std::optional<NodeId>(0x100));
    EXPECT_EQ(c.findByAddress(QStringLiteral(" 0X10fF ")), std::optional<NodeId>(0xff));
    EXPECT_EQ(c.findByAddress(QStringLiteral("0x0000")), std::optional<NodeId>(0));
    EXPECT_EQ(c.findByAddress(QStringLiteral("#17")), std::optional<NodeId>(17));
    EXPECT_EQ(c.findByAddress(QStringLiteral("17")), std::optional<NodeId>(17));  // no address 0x17: index
    EXPECT_EQ(c.findByAddress(QStringLiteral("0x17")), std::nullopt);            // explicit hex: no fallback
    EXPECT_EQ(c.findByAddress(QStringLiteral("#99999")), std::nullopt);
    EXPECT_EQ(c.findByAddress(QStringLiteral("zz")), std::nullopt);
    EXPECT_EQ(c.findByAddress(QString()), std::nullopt);
    EXPECT_TRUE(c.describe(0x100).startsWith(QStringLiteral("0x1100 ")));
}

TEST(GuiTopologyController, HalosMarkNodesThatReceivedBytesOnlyWhenAnimating)
{
    otalab::testing::ensureApp();
    const LabTopology fleet = makeFleet(10, 5);
    TopologyController c;
    c.setTopology(fleet);
    LabSnapshot s = midRollout(fleet, 0);
    c.update(s, true);
    EXPECT_TRUE(c.activeNodes().empty());
    s.nodes[3].bytesReceived += 50;
    s.nodes[7].bytesReceived += 50;
    c.update(s, true);
    EXPECT_EQ(c.activeNodes(), (std::vector<NodeId>{3, 7}));
    c.clearActivity();
    EXPECT_TRUE(c.activeNodes().empty());
    s.nodes[9].bytesReceived += 50;
    c.update(s, false);  // "as fast as possible": no animation
    EXPECT_TRUE(c.activeNodes().empty());
}

TEST(GuiTopologyController, EmptyTopologyIsHarmless)
{
    otalab::testing::ensureApp();
    TopologyController c;
    c.setTopology(LabTopology{});
    c.update(cyclingSnapshot(50, 0), true);
    c.setSelectedNodes({1, 2, 3});
    EXPECT_EQ(c.nodeCount(), 0u);
    EXPECT_TRUE(c.nodesInRect(QRectF(-1e6, -1e6, 2e6, 2e6)).empty());
    EXPECT_EQ(c.findByAddress(QStringLiteral("0x0001")), std::nullopt);
    EXPECT_TRUE(c.selectedNodes().empty());
    otalab::app::TopologyScene scene(c);
    const QImage img = renderScene(scene, QRectF(-10, -10, 20, 20), QSize(20, 20));
    EXPECT_FALSE(img.isNull());
}

TEST(GuiTopologyPanel, RubberBandClickAndSearchDriveTheSelection)
{
    otalab::testing::ensureApp();
    LabSession session;
    LabSelection selection;
    TopologyPanel panel(session, selection);
    panel.resize(900, 700);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    const LabTopology fleet = makeFleet(400, 25);
    panel.controller().setTopology(fleet);
    panel.controller().update(midRollout(fleet, 3'000), false);
    auto* view = panel.view();
    view->fitAll();
    QApplication::processEvents();

    // Rubber band over the middle of the viewport.
    const QPoint from(view->viewport()->width() / 3, view->viewport()->height() / 3);
    const QPoint to(view->viewport()->width() / 2, view->viewport()->height() / 2);
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
    QTest::mouseMove(view->viewport(), (from + to) / 2);
    QTest::mouseMove(view->viewport(), to);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
    const QRectF sceneRect = view->mapToScene(QRect(from, to)).boundingRect();
    const std::vector<NodeId> inside = panel.controller().nodesInRect(sceneRect);
    ASSERT_GT(inside.size(), 100u);
    EXPECT_EQ(selection.nodes(), inside);
    EXPECT_EQ(panel.controller().selectedNodes(), inside);

    // Click on a node selects it as current.
    const NodeId target = 5'000;
    view->centreOnNode(target);
    QApplication::processEvents();
    const QPoint at = view->mapFromScene(panel.controller().scenePos(target));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    EXPECT_EQ(selection.current(), target);
    EXPECT_EQ(selection.nodes().size(), 1u);

    // Search: found → selected and centred; not found → a message saying what to type.
    panel.searchBox()->setText(QStringLiteral("0x%1").arg(7'777, 4, 16, QLatin1Char('0')));
    QTest::keyClick(panel.searchBox(), Qt::Key_Return);
    EXPECT_EQ(selection.current(), NodeId(7'777));
    const QPointF centre = view->mapToScene(view->viewport()->rect().center());
    EXPECT_LT(QLineF(centre, panel.controller().scenePos(7'777)).length(), 2 * panel.controller().typicalSpacing());
    EXPECT_FALSE(panel.find(QStringLiteral("0xfff0")).has_value());
    EXPECT_TRUE(panel.message().contains(QStringLiteral("No device with address"))) << panel.message().toStdString();
    EXPECT_EQ(selection.current(), NodeId(7'777));  // a failed search keeps the selection

    // A selection made elsewhere is highlighted and centred.
    view->fitAll();
    selection.setNodes({1'234, 42});
    EXPECT_EQ(panel.controller().selectedNodes(), (std::vector<NodeId>{1'234, 42}));
    const QPointF centre2 = view->mapToScene(view->viewport()->rect().center());
    EXPECT_LT(QLineF(centre2, panel.controller().scenePos(1'234)).length(), 2 * panel.controller().typicalSpacing());

    // Zoom keys change the scale; fit returns to the overview.
    view->setFocus();
    const double before = view->zoom();
    QTest::keyClick(view, Qt::Key_Plus);
    EXPECT_GT(view->zoom(), before);
    QTest::keyClick(view, Qt::Key_0);
    QTest::keyClick(view, Qt::Key_Minus);
    EXPECT_LT(view->zoom(), before);
}

TEST(GuiTopologyPanel, TenThousandNodesBuildAndUpdateQuickly)
{
    otalab::testing::ensureApp();
    LabSession session;
    LabSelection selection;
    TopologyPanel panel(session, selection);
    panel.resize(1000, 750);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    const LabTopology fleet = makeFleet(400, 25);
    const LabSnapshot s1 = midRollout(fleet, 2'000), s2 = midRollout(fleet, 2'100);

    // Thread CPU time, not wall time: the figures stay meaningful on a loaded machine.
    auto cpuMs = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
    };
    double last = cpuMs();
    auto lap = [&] {
        const double now = cpuMs();
        const double ms = now - last;
        last = now;
        return ms;
    };
    panel.controller().setTopology(fleet);
    const double buildMs = lap();
    panel.controller().update(s1, true);
    const double updateMs = lap();
    panel.view()->fitAll();
    QImage frame(panel.view()->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    panel.view()->viewport()->render(&frame);
    const double firstPaintMs = lap();
    panel.view()->viewport()->render(&frame);
    const double paintFitMs = lap();
    panel.controller().update(s2, true);
    panel.view()->viewport()->render(&frame);
    const double updatePaintMs = lap();
    panel.view()->centreOnNode(5'000);
    panel.view()->zoomBy(4);
    panel.view()->viewport()->render(&frame);
    const double paintZoomedMs = lap();
    std::printf("[ perf ] 10,401 nodes, GUI-thread CPU: setTopology %.1f ms, update %.1f ms, first paint %.1f ms, paint (fit) %.1f ms, "
                "update+paint %.1f ms, paint (zoomed) %.1f ms\n",
                buildMs, updateMs, firstPaintMs, paintFitMs, updatePaintMs, paintZoomedMs);
    // The figures are for a glance; timing is measured by tests/bench (bench_gui_stall), not
    // asserted here (a loaded CI machine would fail a bound at random).
    EXPECT_EQ(panel.scene()->items().size(), 1);  // one item for all nodes
}

TEST(GuiTopologyPanel, ScreenshotOfAThousandNodeRolloutMidWay)
{
    otalab::testing::ensureApp();
    LabSession session;
    LabSelection selection;
    TopologyPanel panel(session, selection);
    panel.resize(1000, 760);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    const LabTopology fleet = makeFleet(90, 10);  // 991 nodes
    LabSnapshot s = midRollout(fleet, 2'600);
    panel.controller().setTopology(fleet);
    panel.controller().update(s, false);
    for (auto& n : s.nodes)
        if (n.state == LabNodeState::Downloading)
            n.bytesReceived += 64;
    panel.controller().update(s, true);
    panel.view()->fitAll();
    selection.setNodes({57, 58, 59});
    panel.view()->fitAll();
    QApplication::processEvents();
    const QString path = QStringLiteral("/tmp/topology-panel.png");
    EXPECT_TRUE(panel.grab().save(path));
    panel.view()->centreOnNode(57);
    panel.view()->zoomBy(3);
    QApplication::processEvents();
    EXPECT_TRUE(panel.grab().save(QStringLiteral("/tmp/topology-panel-zoomed.png")));
    EXPECT_GT(panel.controller().countIn(LabNodeState::Upgraded), 0);
    EXPECT_GT(panel.controller().countIn(LabNodeState::Downloading), 0);
}
