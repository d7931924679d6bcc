// SPDX-License-Identifier: Apache-2.0
// Inspector on a LoRaWAN fleet: the fragment bar (counts, colours at given pixels, O(width)
// columns), the watched device's piece map reaching the panel, and a server node's machine.
#include "gui_lorawan_test_data.h"
#include "gui_test_support.h"
#include "inspector/blockbar.h"
#include "inspector/deviceinspectorcontroller.h"
#include "inspector/deviceinspectorpanel.h"
#include "inspector/piecebar.h"
#include "inspector/piececounts.h"
#include "inspector/statemachinediagram.h"
#include "lab/labselection.h"
#include "lab/labsession.h"

#include <QComboBox>
#include <QImage>
#include <QLocale>
#include <QTest>

using otalab::app::DeviceInspectorController;
using otalab::app::DeviceInspectorPanel;
using otalab::app::LabSelection;
using otalab::app::LabSession;
using otalab::app::LabSnapshot;
using otalab::app::LabTopology;
using otalab::app::LabWatchedNode;
using otalab::app::PieceBar;
using otalab::sim::NodeId;
using otalab::sim::PieceMap;

namespace {

// `received`, then `lost`, then `recovered` pieces, the rest not sent yet.
PieceMap pieceMap(int total, int received, int lost, int recovered)
{
    PieceMap m;
    m.unit = QStringLiteral("fragment");
    m.total = total;
    m.state.assign(std::size_t(total), PieceMap::Missing);
    int i = 0;
    for (int k = 0; k < received; ++k)
        m.state[std::size_t(i++)] = PieceMap::Received;
    for (int k = 0; k < lost; ++k)
        m.state[std::size_t(i++)] = PieceMap::Lost;
    for (int k = 0; k < recovered; ++k)
        m.state[std::size_t(i++)] = PieceMap::Recovered;
    return m;
}

QImage grabImage(QWidget& w)
{
    QImage image(w.size(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    w.render(&image);
    return image;
}

bool sameColour(QColor a, QColor b)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <= 6;
}

// The server (node 0) reports machine 40 in state 2 with two attribute rows; device
// `device` reports machine 41 and a piece map.
std::shared_ptr<LabWatchedNode> watchedServer()
{
    auto w = std::make_shared<LabWatchedNode>();
    w->node = 0;
    w->campaignDevice = false;
    w->status.machineStates = {{40, 2}};
    w->status.attributes = {{QStringLiteral("Session"), QStringLiteral("class C, DR5, 869.525 MHz")},
                            {QStringLiteral("Fragments sent"), QStringLiteral("812 of 1,509")}};
    for (std::uint16_t to : {1, 2}) {  // the steps it took: group setup → fragmentation setup → multicast session
        otalab::app::LabLogRow row;
        row.kind = otalab::app::LabLogRow::Kind::StateChange;
        row.timeNs = std::int64_t(to) * 1'000'000'000;
        row.machine = 40;
        row.src = 0;
        row.from = std::uint16_t(to - 1);
        row.to = to;
        w->recent.push_back(row);
    }
    return w;
}

std::shared_ptr<LabWatchedNode> watchedDevice(NodeId node, const PieceMap& pieces)
{
    auto w = std::make_shared<LabWatchedNode>();
    w->node = node;
    w->status.phase = otalab::sim::FleetPhase::Downloading;
    w->status.machineStates = {{41, 1}};
    w->status.pieces = pieces;
    return w;
}

LabSnapshot snapshotWith(const LabTopology& t, std::shared_ptr<LabWatchedNode> watched)
{
    LabSnapshot s;
    s.timeS = 600;
    s.nodes.resize(t.nodes.size());
    for (std::size_t i = 0; i < t.nodes.size(); ++i)
        if (t.nodes[i].hasClient)
            s.nodes[i].state = otalab::app::LabNodeState::Downloading;
    s.watched = std::move(watched);
    return s;
}

} // namespace

TEST(GuiLorawanPieceBar, CountsInWordsAndTheLegend)
{
    otalab::testing::ensureApp();
    const QLocale locale;
    // The example: 1,312 of 1,371 received, 59 lost of which 52 recovered by FEC.
    const PieceMap m = pieceMap(1'371, 1'312, 7, 52);
    const otalab::app::PieceCounts c = otalab::app::countPieces(m);
    EXPECT_EQ(c.received, 1'312);
    EXPECT_EQ(c.lost, 7);
    EXPECT_EQ(c.recovered, 52);
    EXPECT_EQ(c.missing, 0);
    EXPECT_EQ(otalab::app::describePieces(m),
              QStringLiteral("%1 of %2 fragments received, 59 lost, 52 recovered by FEC")
                  .arg(locale.toString(1'312), locale.toString(1'371)));
    PieceBar bar;
    bar.setPieces(m);
    EXPECT_EQ(bar.summary(), otalab::app::describePieces(m));
    EXPECT_EQ(bar.toolTip(), bar.summary());
    EXPECT_EQ(bar.legendEntries(),
              (QStringList{QStringLiteral("%1 received").arg(locale.toString(1'312)), QStringLiteral("52 recovered by FEC"),
                           QStringLiteral("7 lost (not recovered)"), QStringLiteral("0 not sent yet")}));
    // Still to come, a short state vector (the rest counts as not sent) and odd values.
    PieceMap partial = pieceMap(100, 40, 5, 0);
    partial.state.resize(60);
    partial.state[59] = 9;  // no such state: counted as not sent
    EXPECT_EQ(otalab::app::describePieces(partial), QStringLiteral("40 of 100 fragments received, 5 lost, 0 recovered by FEC, 55 not sent yet"));
    EXPECT_TRUE(otalab::app::describePieces(PieceMap{}).isEmpty());
}

TEST(GuiLorawanPieceBar, FourColoursAtTheirPixels)
{
    otalab::testing::ensureApp();
    PieceBar bar;
    bar.resize(404, bar.heightForWidth(404));
    // 100 pieces of 4 px: 0–49 received, 50–59 lost, 60–69 recovered, 70–99 not sent yet.
    bar.setPieces(pieceMap(100, 50, 10, 10));
    const QImage img = grabImage(bar);
    const QRectF inner = bar.barRect().adjusted(1.5, 1.5, -1, -1);
    const double cell = inner.width() / 100;
    ASSERT_GE(cell, 3.0);
    const int y = int(inner.center().y());
    const auto at = [&](int piece) { return img.pixelColor(int(inner.left() + (piece + 0.4) * cell), y); };
    for (int piece : {0, 25, 49})
        EXPECT_TRUE(sameColour(at(piece), PieceBar::colorOf(PieceMap::Received))) << piece;
    for (int piece : {50, 59})
        EXPECT_TRUE(sameColour(at(piece), PieceBar::colorOf(PieceMap::Lost))) << piece;
    for (int piece : {60, 69})
        EXPECT_TRUE(sameColour(at(piece), PieceBar::colorOf(PieceMap::Recovered))) << piece;
    for (int piece : {70, 99})
        EXPECT_TRUE(sameColour(at(piece), PieceBar::colorOf(PieceMap::Missing))) << piece;
    // Four distinct colours.
    for (int a = 0; a < 4; ++a)
        for (int b = a + 1; b < 4; ++b)
            EXPECT_FALSE(sameColour(PieceBar::colorOf(std::uint8_t(a)), PieceBar::colorOf(std::uint8_t(b)))) << a << b;
    // The legend sits under the bar: its first swatch has the received colour.
    bool swatch = false;
    for (int y = int(bar.barRect().bottom()) + 2; y < img.height() && !swatch; ++y)
        for (int x = 0; x < 12 && !swatch; ++x)
            swatch = sameColour(img.pixelColor(x, y), PieceBar::colorOf(PieceMap::Received));
    EXPECT_TRUE(swatch);
}

TEST(GuiLorawanPieceBar, ThousandsOfPiecesShareColumns)
{
    otalab::testing::ensureApp();
    PieceBar bar;
    bar.resize(300, bar.heightForWidth(300));
    // 6,000 pieces (20 per pixel column): the first half received, the second half lost but
    // every fourth of those recovered: a column there is 3/4 red over 1/4 amber... stacked
    // received, recovered, lost, not sent from the top.
    PieceMap m = pieceMap(6'000, 3'000, 3'000, 0);
    for (int i = 3'000; i < 6'000; i += 4)
        m.state[std::size_t(i)] = PieceMap::Recovered;
    bar.setPieces(m);
    const QImage img = grabImage(bar);
    const QRectF inner = bar.barRect().adjusted(1.5, 1.5, -1, -1);
    const int left = int(inner.left() + inner.width() / 4), right = int(inner.left() + inner.width() * 3 / 4);
    EXPECT_TRUE(sameColour(img.pixelColor(left, int(inner.center().y())), PieceBar::colorOf(PieceMap::Received)));
    EXPECT_TRUE(sameColour(img.pixelColor(right, int(inner.top() + inner.height() * 0.1)), PieceBar::colorOf(PieceMap::Recovered)));
    EXPECT_TRUE(sameColour(img.pixelColor(right, int(inner.top() + inner.height() * 0.8)), PieceBar::colorOf(PieceMap::Lost)));
}

TEST(GuiLorawanInspector, WatchedDeviceShowsItsFragmentsInsteadOfBlocks)
{
    otalab::testing::ensureApp();
    const LabTopology t = otalab::testing::makeLoraFleet(40, 2, 2'000, 3'000);
    const NodeId device = 10;
    const PieceMap pieces = pieceMap(1'371, 1'312, 7, 52);

    // The controller takes the watched device's piece map (and names only its machines).
    DeviceInspectorController c;
    c.setTopology(t);
    c.setSnapshot(snapshotWith(t, watchedDevice(device, pieces)));
    c.setNode(device);
    EXPECT_EQ(c.model().pieces.total, 1'371);
    EXPECT_EQ(c.model().pieces.state, pieces.state);
    EXPECT_EQ(c.model().value(QStringLiteral("Fragments")), otalab::app::describePieces(pieces));
    EXPECT_TRUE(c.model().value(QStringLiteral("Blocks")).isEmpty());
    ASSERT_EQ(c.model().machines.size(), 2u);  // the campaign phase, then the device's machine (not the server's)
    EXPECT_EQ(c.model().machines[1].name, QStringLiteral("FUOTA device"));
    EXPECT_EQ(c.model().machineState[1], 1);

    // The panel shows the piece bar instead of the block bar.
    LabSession session;
    LabSelection selection;
    DeviceInspectorPanel panel(session, selection);
    panel.resize(560, 900);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    panel.controller().setTopology(t);
    panel.controller().setSnapshot(snapshotWith(t, watchedDevice(device, pieces)));
    selection.setCurrent(device);
    EXPECT_TRUE(panel.pieceBar()->isVisible());
    EXPECT_FALSE(panel.blockBar()->isVisible());
    EXPECT_EQ(panel.pieceBar()->pieces().total, 1'371);
    EXPECT_EQ(panel.pieceBar()->summary(), otalab::app::describePieces(pieces));

    // A device whose family tells no pieces keeps the block bar.
    panel.controller().setSnapshot(snapshotWith(t, watchedDevice(device, PieceMap{})));
    panel.refresh();
    EXPECT_FALSE(panel.pieceBar()->isVisible());
    EXPECT_TRUE(panel.blockBar()->isVisible());
}

TEST(GuiLorawanInspector, ServerNodeShowsItsSessionMachine)
{
    otalab::testing::ensureApp();
    const LabTopology t = otalab::testing::makeLoraFleet(40, 2, 2'000, 3'000);
    DeviceInspectorController c;
    c.setTopology(t);
    c.setSnapshot(snapshotWith(t, watchedServer()));
    c.setNode(0);
    const auto& m = c.model();
    EXPECT_FALSE(m.hasClient);
    EXPECT_TRUE(m.showsMachines);
    ASSERT_EQ(m.machines.size(), 1u);  // only the machine it runs: no campaign phase, no device machine
    EXPECT_EQ(m.machines[0].name, QStringLiteral("FUOTA server"));
    EXPECT_EQ(m.machineState[0], 2);
    EXPECT_EQ(m.value(QStringLiteral("Session")), QStringLiteral("class C, DR5, 869.525 MHz"));
    EXPECT_EQ(m.value(QStringLiteral("Fragments sent")), QStringLiteral("812 of 1,509"));
    EXPECT_TRUE(m.pieces.empty());

    // Without a status from its family a server stays a node with no part in the campaign.
    c.setSnapshot(snapshotWith(t, nullptr));
    EXPECT_FALSE(c.model().showsMachines);
    EXPECT_FALSE(c.model().value(QStringLiteral("OTA role")).isEmpty());

    LabSession session;
    LabSelection selection;
    DeviceInspectorPanel panel(session, selection);
    panel.resize(560, 900);
    panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
    panel.controller().setTopology(t);
    panel.controller().setSnapshot(snapshotWith(t, watchedServer()));
    selection.setCurrent(0);
    EXPECT_EQ(panel.titleText(), QStringLiteral("network server · server"));
    EXPECT_TRUE(panel.diagram()->isVisible());
    EXPECT_EQ(panel.diagram()->machine().name, QStringLiteral("FUOTA server"));
    EXPECT_EQ(panel.diagram()->currentState(), 2);
    EXPECT_TRUE(panel.diagram()->isTaken(0, 1));  // from its own rows, not from the campaign history
    EXPECT_TRUE(panel.diagram()->isTaken(1, 2));
    EXPECT_FALSE(panel.diagram()->isTaken(2, 3));
    EXPECT_FALSE(panel.machineChooser()->isVisible());  // one machine: nothing to choose
    EXPECT_FALSE(panel.pieceBar()->isVisible());
    EXPECT_FALSE(panel.blockBar()->isVisible());
    QApplication::processEvents();
    EXPECT_TRUE(panel.grab().save(QStringLiteral("/tmp/lorawan-inspector-server.png")));
}

TEST(GuiLorawanInspector, ALongMachineWrapsOntoTwoBandsInANarrowDock)
{
    otalab::testing::ensureApp();
    // Ten steps in a line, as the FUOTA server's.
    otalab::sim::MachineDescription chain;
    chain.id = 40;
    chain.name = QStringLiteral("FUOTA server");
    for (int i = 0; i < 10; ++i) {
        chain.states << QStringLiteral("fragmentation session step %1").arg(i);
        chain.phaseOfState.push_back(otalab::sim::FleetPhase::Waiting);
        chain.transitions.push_back({i == 0 ? otalab::sim::MachineTransition::kMachineStart : i - 1, i});
    }
    otalab::app::StateMachineDiagram diagram;
    diagram.setMachine(chain);
    diagram.setState(6, true);
    EXPECT_EQ(diagram.bandsAt(1'400), 1);
    EXPECT_EQ(diagram.bandsAt(660), 2);
    EXPECT_GT(diagram.heightForWidth(660), diagram.heightForWidth(1'400));
    diagram.resize(660, diagram.heightForWidth(660));
    const QImage img = grabImage(diagram);
    // Step 6 (the current one, filled) sits in the second band, below step 0's row.
    const QColor current = otalab::app::labNodeStateColor(otalab::sim::FleetPhase::Waiting);
    int currentRows = 0;
    for (int y = diagram.height() / 2; y < diagram.height(); ++y)
        for (int x = 0; x < diagram.width(); x += 3)
            if (sameColour(img.pixelColor(x, y), current)) {
                ++currentRows;
                break;
            }
    EXPECT_GT(currentRows, 10);  // the filled box of step 6 is in the lower half
    EXPECT_TRUE(img.save(QStringLiteral("/tmp/lorawan-diagram-bands.png")));
}
