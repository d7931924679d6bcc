// SPDX-License-Identifier: Apache-2.0
// ChartsPanel wired to a real LabSession: the starter run fills every chart.
#include "charts/chartspanel.h"
#include "charts/chartsview.h"
#include "gui_test_support.h"
#include "lab/labselection.h"
#include "lab/labsession.h"

#include "sim/scenario/scenarioloader.h"

#include <QChart>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QTest>

namespace otalab::app {
namespace {

TEST(GuiChartsPanel, FollowsALiveStarterRun)
{
    testing::ensureApp();
    auto config = sim::loadScenarioFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"));
    ASSERT_TRUE(config.has_value());
    LabSession session;
    LabSelection selection;
    ChartsPanel panel(session, selection);
    panel.resize(1100, 700);
    panel.show();
    session.setSpeed(LabSession::kAsFastAsPossible);
    session.load(*config);
    session.run();
    QElapsedTimer t;
    t.start();
    int updatesWhileRunning = 0;
    std::uint64_t lastRevision = panel.controller().seriesRevision();
    while (session.state() != LabSession::RunState::Finished && t.elapsed() < 60'000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (panel.controller().seriesRevision() != lastRevision) {
            lastRevision = panel.controller().seriesRevision();
            ++updatesWhileRunning;
        }
    }
    ASSERT_EQ(session.state(), LabSession::RunState::Finished);
    // The panel's timer applies the last publish within ~33 ms.
    EXPECT_TRUE(QTest::qWaitFor([&] { return panel.controller().upgradedPercent() == 100.0; }, 30'000));
    EXPECT_GE(updatesWhileRunning, 1);

    const ChartsController& c = panel.controller();
    const auto& samples = session.latest().samples;
    ASSERT_FALSE(samples.empty());
    const DecimatedSeries& upgraded = c.progress(ChartsController::Line::Upgraded);
    EXPECT_EQ(upgraded.samplesAppended(), std::int64_t(samples.size()));
    EXPECT_EQ(upgraded.points().back().y(), samples.back().upgraded);
    EXPECT_DOUBLE_EQ(c.upgradedPercent(), 100.0);
    EXPECT_EQ(c.clients(), 5);
    EXPECT_EQ(c.energy().devices, 5);
    auto* cdf = qobject_cast<QLineSeries*>(panel.view()->cdfChart()->series().front());
    EXPECT_EQ(cdf->count(), 11);
    auto* line = qobject_cast<QLineSeries*>(panel.view()->progressChart()->series().front());
    EXPECT_EQ(line->points(), upgraded.points());

    const QString dir = qEnvironmentVariable("OTALAB_SHOTS");
    if (!dir.isEmpty())
        EXPECT_TRUE(panel.grab().save(dir + QStringLiteral("/charts-panel-starter.png")));

    // restart(): a new topology empties the charts.
    session.restart();
    t.restart();
    while (session.state() != LabSession::RunState::Ready && t.elapsed() < 30'000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    // The charts empty on the new topology's first publication (4 Hz timer): wait for it.
    EXPECT_TRUE(QTest::qWaitFor([&] {
        return panel.controller().progress(ChartsController::Line::Upgraded).points().size() <= 1
               && panel.controller().upgradedPercent() == 0.0;
    }, 60'000));
}

} // namespace
} // namespace otalab::app
