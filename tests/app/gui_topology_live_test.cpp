// SPDX-License-Identifier: Apache-2.0
// Topology view and device inspector wired to a real LabSession running a generated fleet.
#include "gui_test_support.h"
#include "inspector/deviceinspectorpanel.h"
#include "lab/labselection.h"
#include "lab/labsession.h"
#include "sim/scenario/scenarioloader.h"
#include "topology/topologycontroller.h"
#include "topology/topologypanel.h"
#include "topology/topologyview.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QTest>

using otalab::app::DeviceInspectorPanel;
using otalab::app::LabNodeState;
using otalab::app::LabSelection;
using otalab::app::LabSession;
using otalab::app::TopologyPanel;

TEST(GuiTopologyLive, PanelsFollowARunningSession)
{
    otalab::testing::ensureApp();
    const QString starter = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json");
    auto config = otalab::sim::loadScenarioFile(starter);
    ASSERT_TRUE(config.has_value()) << config.error().toString().toStdString();
    config->name = QStringLiteral("generated 40 x 8");
    config->topology = otalab::sim::GeneratedTopology{.routers = 40, .branching = 3, .zedsPerRouter = 8};

    LabSession session;
    LabSelection selection;
    QWidget window;
    auto* topology = new TopologyPanel(session, selection, &window);
    auto* inspector = new DeviceInspectorPanel(session, selection, &window);
    auto* layout = new QHBoxLayout(&window);
    layout->addWidget(topology, 3);
    layout->addWidget(inspector, 2);
    window.resize(1400, 860);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));

    session.load(*config, QFileInfo(starter).absolutePath());
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Ready; }, 30'000));
    ASSERT_EQ(topology->controller().nodeCount(), 361u);
    session.setSpeed(LabSession::kAsFastAsPossible);
    session.runTo(1'200.0);
    ASSERT_TRUE(QTest::qWaitFor([&] { return session.state() == LabSession::RunState::Paused; }, 120'000));
    // The coalescing timers apply the last snapshot: wait until every marker shows it.
    const auto showsLatest = [&] {
        for (std::size_t i = 0; i < session.latest().nodes.size(); ++i)
            if (topology->controller().displayedState(otalab::sim::NodeId(i)) != session.latest().nodes[i].state)
                return false;
        return true;
    };
    ASSERT_TRUE(QTest::qWaitFor(showsLatest, 60'000));

    // The view shows exactly the session's latest states.
    const auto& latest = session.latest();
    ASSERT_EQ(latest.nodes.size(), 361u);
    int downloading = 0;
    for (std::size_t i = 0; i < latest.nodes.size(); ++i) {
        ASSERT_EQ(topology->controller().displayedState(otalab::sim::NodeId(i)), latest.nodes[i].state) << i;
        downloading += latest.nodes[i].state == LabNodeState::Downloading;
    }
    EXPECT_EQ(topology->controller().countIn(LabNodeState::Downloading), downloading);

    // Pick the device with the most bytes so far and inspect it via search.
    std::size_t busiest = 1;
    for (std::size_t i = 1; i < latest.nodes.size(); ++i)
        if (latest.nodes[i].bytesReceived > latest.nodes[busiest].bytesReceived)
            busiest = i;
    const QString address = session.topology().nodes[busiest].name;
    ASSERT_TRUE(topology->find(address).has_value());
    EXPECT_EQ(selection.current(), otalab::sim::NodeId(busiest));
    EXPECT_FALSE(inspector->showsPlaceholder());
    EXPECT_TRUE(inspector->model().value(QStringLiteral("Image received"))
                    .startsWith(QLocale().toString(qulonglong(latest.nodes[busiest].bytesReceived))))
        << inspector->model().value(QStringLiteral("Image received")).toStdString();
    EXPECT_FALSE(inspector->model().transitions.empty());
    topology->view()->fitAll();
    QApplication::processEvents();
    EXPECT_TRUE(window.grab().save(QStringLiteral("/tmp/topology-live.png")));
    std::printf("[ live ] t = %.0f s: %d downloading, %d upgraded, inspected node %zu (%u bytes)\n", latest.timeS,
                downloading, topology->controller().countIn(LabNodeState::Upgraded), busiest,
                latest.nodes[busiest].bytesReceived);
}
