// SPDX-License-Identifier: Apache-2.0
// Lab map of a LoRaWAN fleet: gateways as named triangles with SF7…SF12 coverage rings,
// devices without spokes to their gateway, the legend's coverage entry, ring culling, and
// the cost of a repaint at Fit with 100,000 devices.
#include "gui_lorawan_test_data.h"
#include "gui_test_support.h"
#include "lab/labselection.h"
#include "lab/labsession.h"
#include "topology/topologycontroller.h"
#include "topology/topologyitem.h"
#include "topology/topologylegend.h"
#include "topology/topologypanel.h"
#include "topology/topologyscene.h"
#include "topology/topologyview.h"

#include <QGraphicsView>
#include <QImage>
#include <QPainter>
#include <QTest>

#include <cstdio>
#include <ctime>

using otalab::app::LabSelection;
using otalab::app::LabSession;
using otalab::app::LabSnapshot;
using otalab::app::LabTopology;
using otalab::app::TopologyController;
using otalab::app::TopologyItem;
using otalab::app::TopologyNodeKind;
using otalab::app::TopologyPanel;
using otalab::sim::NodeId;

namespace {

constexpr double kUnits = TopologyController::kSceneUnitsPerMetre;

// Renders `sceneRect` of `scene` into an image of `size` pixels (white background first).
QImage render(QGraphicsScene& scene, const QRectF& sceneRect, QSize size)
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    scene.render(&p, QRectF(QPointF(0, 0), size), sceneRect);
    return image;
}

int colourDistance(QColor a, QColor b)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

} // namespace

TEST(GuiLorawanTopology, GatewaysHaveRingsShapesAndNoSpokes)
{
    otalab::testing::ensureApp();
    // One gateway at the centre, SF12 reaching 3 km; 300 devices in a 2 km disc.
    const LabTopology fleet = otalab::testing::makeLoraFleet(300, 1, 2'000, 3'000);
    TopologyController c;
    c.setTopology(fleet);
    EXPECT_EQ(c.kind(0), TopologyNodeKind::Coordinator);  // the server: a square
    EXPECT_EQ(c.kind(1), TopologyNodeKind::Gateway);
    EXPECT_EQ(c.kind(2), TopologyNodeKind::EndDevice);
    EXPECT_EQ(c.ringNodes(), (std::vector<NodeId>{1}));
    EXPECT_EQ(c.landmarkNodes(), (std::vector<NodeId>{0, 1}));
    // The rings' box: the SF12 disc around the gateway.
    const QRectF sf12(-3'000 * kUnits, -3'000 * kUnits, 6'000 * kUnits, 6'000 * kUnits);
    EXPECT_NEAR(c.coverageBounds().left(), sf12.left(), 1e-6);
    EXPECT_NEAR(c.coverageBounds().width(), sf12.width(), 1e-6);
    // No spoke from the gateway to its 300 devices; the gateway's backhaul to the server stays.
    EXPECT_EQ(c.links().size(), 1u);
    EXPECT_EQ(c.coverageLegend(), QStringLiteral("coverage (SF7\u2026SF12)"));

    otalab::app::TopologyLegend legend(c);
    const QStringList shapes = legend.shapeEntries();
    EXPECT_EQ(shapes, (QStringList{QStringLiteral("server"), QStringLiteral("gateway"), QStringLiteral("device"),
                                   QStringLiteral("coverage (SF7\u2026SF12)")}));

    // The item (one for everything) covers the rings, so Fit shows whole coverage.
    otalab::app::TopologyScene scene(c);
    EXPECT_EQ(scene.items().size(), 1);
    EXPECT_TRUE(scene.item()->boundingRect().contains(sf12));

    // Drawn: 6 rings; inside SF7 the tint is darker than between SF11 and SF12, both
    // differ from outside every ring (white).
    const QRectF view = sf12.adjusted(-500 * kUnits, -500 * kUnits, 500 * kUnits, 500 * kUnits);
    const QImage img = render(scene, view, QSize(700, 700));
    EXPECT_EQ(scene.item()->lastPaint().rings, 6);
    EXPECT_GE(scene.item()->lastPaint().ringLabels, 3);  // labels that fit (the inner ones may collide with devices' space)
    EXPECT_EQ(scene.item()->lastPaint().landmarkLabels, 2);
    const auto pixelAt = [&](double xM, double yM) {
        const QPointF scenePoint(xM * kUnits, -yM * kUnits);
        const QPointF px = (scenePoint - view.topLeft()) * (700.0 / view.width());
        return img.pixelColor(int(px.x()), int(px.y()));
    };
    const QColor outside = pixelAt(-3'300, -3'300);         // beyond SF12 (a corner of the view)
    const QColor sf12Band = pixelAt(-2'500, -1'000);        // 2.69 km: between the SF11 and SF12 rings, no device there
    const QColor background = scene.backgroundBrush().color();
    EXPECT_LE(colourDistance(outside, background), 3) << outside.name().toStdString();
    EXPECT_GT(colourDistance(sf12Band, background), 8) << sf12Band.name().toStdString();
    EXPECT_LT(sf12Band.red(), background.red());             // a slate tint: red drops most
    EXPECT_TRUE(img.save(QStringLiteral("/tmp/lorawan-rings.png")));

    // Culling: a view that no ring reaches (a corner of the SF12 disc's box) draws none, and
    // a view deep inside the SF7 disc (its rim outside) tints it without drawing the rim.
    // (A view, not scene.render(): only a view passes the exposed rectangle to the item.)
    QGraphicsView small(&scene);
    small.setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    small.setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    small.resize(120, 120);
    small.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&small));
    QImage frame(small.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    small.fitInView(QRectF(-2'950 * kUnits, -2'950 * kUnits, 100 * kUnits, 100 * kUnits), Qt::KeepAspectRatio);
    small.viewport()->render(&frame);
    EXPECT_EQ(scene.item()->lastPaint().rings, 0);
    small.fitInView(QRectF(-50 * kUnits, 100 * kUnits, 100 * kUnits, 100 * kUnits), Qt::KeepAspectRatio);
    small.viewport()->render(&frame);
    EXPECT_EQ(scene.item()->lastPaint().rings, 6);
    EXPECT_EQ(scene.item()->lastPaint().ringLabels, 0);
}

TEST(GuiLorawanTopology, NodesWithoutRangesDrawNoRings)
{
    otalab::testing::ensureApp();
    LabTopology fleet = otalab::testing::makeLoraFleet(50, 2, 2'000, 3'000);
    for (auto& n : fleet.nodes)
        n.ranges.clear();
    TopologyController c;
    c.setTopology(fleet);
    EXPECT_TRUE(c.ringNodes().empty());
    EXPECT_TRUE(c.coverageBounds().isNull());
    EXPECT_TRUE(c.coverageLegend().isEmpty());
    EXPECT_EQ(c.links().size(), 52u);  // without rings a gateway's devices hang from it by a line
    otalab::app::TopologyScene scene(c);
    render(scene, scene.item()->boundingRect(), QSize(300, 300));
    EXPECT_EQ(scene.item()->lastPaint().rings, 0);
    otalab::app::TopologyLegend legend(c);
    EXPECT_FALSE(legend.shapeEntries().join(QLatin1Char(' ')).contains(QStringLiteral("coverage")));
}

TEST(GuiLorawanTopology, HundredThousandDevicesRepaintAtFit)
{
    otalab::testing::ensureApp();
    LabSession session;
    LabSelection selection;
    TopologyPanel panel(session, selection);
    panel.resize(1000, 750);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    // 100,000 devices in a 15 km disc, 8 gateways with SF12 reaching 9 km.
    const LabTopology fleet = otalab::testing::makeLoraFleet(100'000, 8, 15'000, 9'000);
    LabSnapshot s;
    s.nodes.resize(fleet.nodes.size());
    for (std::size_t i = 0; i < s.nodes.size(); ++i)
        if (fleet.nodes[i].hasClient)
            s.nodes[i].state = otalab::app::LabNodeState((i % 3) + 1);

    double last = threadCpuMs();
    auto lap = [&] {
        const double now = threadCpuMs();
        const double ms = now - last;
        last = now;
        return ms;
    };
    panel.controller().setTopology(fleet);
    const double buildMs = lap();
    panel.controller().update(s, false);
    panel.view()->fitAll();
    QImage frame(panel.view()->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    panel.view()->viewport()->render(&frame);
    const double firstMs = lap();
    constexpr int kRepaints = 5;
    for (int i = 0; i < kRepaints; ++i)
        panel.view()->viewport()->render(&frame);
    const double fitMs = lap() / kRepaints;
    const TopologyItem::PaintStats atFit = panel.scene()->item()->lastPaint();
    EXPECT_TRUE(panel.grab().save(QStringLiteral("/tmp/lorawan-100k-fit.png")));
    panel.view()->centreOnNode(5'000);
    panel.view()->zoomBy(4);
    panel.view()->viewport()->render(&frame);  // sprites and glyphs for this zoom made here
    lap();
    panel.view()->viewport()->render(&frame);
    const double zoomedMs = lap();
    std::printf("[ perf ] 100,009 nodes (8 gateways x 6 rings), GUI-thread CPU: setTopology %.1f ms, first paint %.1f ms, "
                "repaint at Fit %.1f ms (%zu markers, %d rings, %d ring labels), repaint zoomed in %.1f ms\n",
                buildMs, firstMs, fitMs, atFit.nodes, atFit.rings, atFit.ringLabels, zoomedMs);
    // The same fleet without coverage rings (nor spokes to the gateways): what the rings
    // and their labels cost at Fit.
    LabTopology bare = fleet;
    for (auto& n : bare.nodes) {
        n.ranges.clear();
        if (n.hasClient)
            n.parent = -1;
    }
    panel.controller().setTopology(bare);
    panel.controller().update(s, false);
    panel.view()->fitAll();
    panel.view()->viewport()->render(&frame);
    lap();
    for (int i = 0; i < kRepaints; ++i)
        panel.view()->viewport()->render(&frame);
    std::printf("[ perf ] the same without rings: repaint at Fit %.1f ms\n", lap() / kRepaints);
    panel.controller().setTopology(fleet);
    panel.controller().update(s, false);
    panel.view()->fitAll();
    // A national network: 100 gateways (more than can be named or rimmed).
    const LabTopology national = otalab::testing::makeLoraFleet(100'000, 100, 12'000, 4'000);
    panel.controller().setTopology(national);
    panel.controller().update(s, false);
    panel.view()->fitAll();
    panel.view()->viewport()->render(&frame);
    lap();
    for (int i = 0; i < kRepaints; ++i)
        panel.view()->viewport()->render(&frame);
    const TopologyItem::PaintStats nationalFit = panel.scene()->item()->lastPaint();
    std::printf("[ perf ] 100,101 nodes (100 gateways x 6 rings): repaint at Fit %.1f ms (%d rings, %d ring labels, %d names)\n",
                lap() / kRepaints, nationalFit.rings, nationalFit.ringLabels, nationalFit.landmarkLabels);
    EXPECT_EQ(nationalFit.rings, 600);
    EXPECT_LE(nationalFit.ringLabels, 6);        // one gateway's rings are named
    EXPECT_EQ(nationalFit.landmarkLabels, 1);    // the server; 100 gateways are too many to name
    EXPECT_TRUE(panel.grab().save(QStringLiteral("/tmp/lorawan-national-fit.png")));
    panel.controller().setTopology(fleet);
    panel.controller().update(s, false);
    panel.view()->fitAll();
    // Figures for a glance, not asserted (a loaded machine would fail a bound at random).
    EXPECT_EQ(atFit.rings, 8 * 6);
    EXPECT_EQ(atFit.landmarkLabels, 9);
    EXPECT_EQ(atFit.nodes, fleet.nodes.size());
    EXPECT_EQ(panel.scene()->items().size(), 1);
    EXPECT_TRUE(panel.grab().save(QStringLiteral("/tmp/lorawan-100k-zoomed.png")));
}

TEST(GuiLorawanTopology, AHubsSpokesAreNotDrawnAndDoNotSetTheMarkerSize)
{
    otalab::testing::ensureApp();
    // 1,000 devices around one gateway that tells no coverage: the devices hang from it.
    LabTopology fleet = otalab::testing::makeLoraFleet(1'000, 1, 2'000, 3'000);
    for (auto& n : fleet.nodes)
        n.ranges.clear();
    TopologyController c;
    c.setTopology(fleet);
    EXPECT_EQ(c.links().size(), 1u);  // only the gateway's backhaul: 1,000 > kMaxDrawnChildren spokes are left out
    // The marker size follows the devices' mean spacing (≈ 112 m), not the spokes' (≈ 1.4 km).
    EXPECT_LT(c.typicalSpacing(), 200 * kUnits);
    EXPECT_GT(c.typicalSpacing(), 50 * kUnits);
}

TEST(GuiLorawanTopology, AFittedViewStaysFittedWhenResized)
{
    otalab::testing::ensureApp();
    LabSession session;
    LabSelection selection;
    TopologyPanel panel(session, selection);
    panel.resize(400, 300);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    panel.controller().setTopology(otalab::testing::makeLoraFleet(500, 2, 2'000, 3'000));
    panel.view()->fitAll();
    const double small = panel.view()->zoom();
    EXPECT_TRUE(panel.view()->isFitted());
    // The dock grows (the window is laid out after the topology arrived): still everything, larger.
    panel.resize(1000, 800);
    QApplication::processEvents();
    EXPECT_TRUE(panel.view()->isFitted());
    EXPECT_GT(panel.view()->zoom(), small * 1.8);
    const QRectF visible = panel.view()->mapToScene(panel.view()->viewport()->rect()).boundingRect();
    EXPECT_TRUE(visible.adjusted(-1, -1, 1, 1).contains(panel.scene()->item()->boundingRect()));
    // Once the user zooms, a resize keeps the zoom.
    panel.view()->zoomBy(2);
    EXPECT_FALSE(panel.view()->isFitted());
    const double zoomed = panel.view()->zoom();
    panel.resize(700, 600);
    QApplication::processEvents();
    EXPECT_DOUBLE_EQ(panel.view()->zoom(), zoomed);
}
