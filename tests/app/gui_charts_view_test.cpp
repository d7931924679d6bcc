// SPDX-License-Identifier: Apache-2.0
// ChartsView fed by a ChartsController: series follow incrementally; screenshots with real runs.
#include "charts/chartscontroller.h"
#include "charts/chartsview.h"
#include "gui_test_support.h"

#include "sim/zigbee/rollout.h"
#include "sim/scenario/scenarioloader.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>

namespace otalab::app {
namespace {

QLineSeries* lineOf(QChart* chart, int index)
{
    return qobject_cast<QLineSeries*>(chart->series().at(index));
}

QString axisTitle(QChart* chart, Qt::Orientation orientation)
{
    const auto axes = chart->axes(orientation);
    return axes.isEmpty() ? QString() : axes.front()->titleText();
}

// Topology + snapshot at virtual time `atS` reconstructed from a finished run, so charts
// can be drawn mid-rollout with real numbers.
struct Reconstructed {
    LabTopology topology;
    LabSnapshot snapshot;
};

Reconstructed reconstruct(const sim::RunResult& r, double atS)
{
    Reconstructed out;
    std::uint32_t maxNode = 0;
    for (const auto& d : r.devices)
        maxNode = std::max(maxNode, d.node);
    out.topology.scenarioName = r.scenarioName;
    out.topology.nodes.resize(maxNode + 1);
    out.snapshot.nodes.resize(maxNode + 1);
    for (std::uint32_t i = 0; i <= maxNode; ++i)
        out.topology.nodes[i].node = i;
    for (const auto& d : r.devices) {
        out.topology.nodes[d.node].hasClient = true;
        out.topology.nodes[d.node].name = d.name;
        LabNodeStatus& s = out.snapshot.nodes[d.node];
        s.energyJ = d.energyJ * std::min(1.0, atS / std::max(1.0, r.endTimeS));
        if (d.finishS && *d.finishS <= atS) {
            s.state = LabNodeState::Upgraded;
            s.stateSinceS = *d.finishS;
            s.updateEnergyJ = d.updateEnergyJ;
        } else if (d.startS && *d.startS <= atS) {
            s.state = d.outcome == sim::DeviceOutcome::Failed ? LabNodeState::Failed : LabNodeState::Downloading;
            const double end = d.finishS.value_or(r.endTimeS);
            s.updateEnergyJ = d.updateEnergyJ * std::clamp((atS - *d.startS) / std::max(1.0, end - *d.startS), 0.0, 1.0);
        } else {
            s.state = LabNodeState::Waiting;
        }
    }
    for (const auto& f : r.progress)
        if (f.timeS <= atS)
            out.snapshot.samples.push_back(f);
    out.snapshot.timeS = atS;
    out.snapshot.eventsExecuted = std::uint64_t(atS);
    out.snapshot.clients = int(r.devices.size());
    for (const auto& n : out.snapshot.nodes) {
        out.snapshot.upgraded += n.state == LabNodeState::Upgraded;
        out.snapshot.downloading += n.state == LabNodeState::Downloading;
    }
    return out;
}

sim::RunResult runScenario(const char* name)
{
    auto config = sim::loadScenarioFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/%1.json").arg(QLatin1String(name)));
    EXPECT_TRUE(config.has_value());
    if (!config)
        return {};
    config->fingerprint = false;
    auto result = sim::runRollout(*config);
    EXPECT_TRUE(result.has_value());
    return result ? *result : sim::RunResult{};
}

TEST(GuiChartsView, SeriesFollowTheController)
{
    testing::ensureApp();
    ChartsController c;
    LabTopology t;
    t.nodes.resize(6);
    for (std::size_t i = 1; i < 6; ++i)
        t.nodes[i].hasClient = true;
    c.reset(t);
    ChartsView view;
    view.resize(1000, 700);

    LabSnapshot s;
    s.nodes.resize(6);
    s.clients = 5;
    for (int i = 0; i < 5'000; ++i) {
        sim::FleetSample f;
        f.timeS = 10.0 * i;
        f.upgraded = std::min(5, i / 500);
        f.downloading = i < 2'500 ? 1 : 0;
        f.channelUtilisation = 0.02;
        s.samples.push_back(f);
        if (i % 97 == 0 || i == 4'999) {  // ~30 Hz publishes with a few samples each
            s.timeS = f.timeS;
            ++s.eventsExecuted;
            c.update(s);
            view.apply(c);
            for (int line = 0; line < 3; ++line)
                ASSERT_EQ(lineOf(view.progressChart(), line)->points(), c.progress(ChartsController::Line(line)).points())
                    << "line " << line << " after sample " << i;
            ASSERT_EQ(lineOf(view.utilisationChart(), 0)->points(), c.utilisation().points());
        }
    }
    QLineSeries* upgraded = lineOf(view.progressChart(), 0);
    EXPECT_LE(upgraded->count(), ChartsController::kMaxPoints + 1);
    EXPECT_EQ(upgraded->at(upgraded->count() - 1), QPointF(49'990.0 / 3600.0, 5));
    EXPECT_EQ(axisTitle(view.progressChart(), Qt::Horizontal), QStringLiteral("virtual time (h)"));
    EXPECT_EQ(axisTitle(view.progressChart(), Qt::Vertical), QStringLiteral("devices"));
    EXPECT_EQ(axisTitle(view.utilisationChart(), Qt::Vertical), QStringLiteral("air time (%)"));
    auto* utilY = qobject_cast<QValueAxis*>(view.utilisationChart()->axes(Qt::Vertical).front());
    EXPECT_GE(utilY->max(), 2.0);
    EXPECT_LE(utilY->max(), 5.0);

    // Energy bars: 5 waiting clients → one set, five categories.
    auto* bars = qobject_cast<QStackedBarSeries*>(view.energyChart()->series().front());
    ASSERT_EQ(bars->count(), 1);
    EXPECT_EQ(bars->barSets().front()->count(), 5);
}

TEST(GuiChartsView, CdfAndEnergyFromAStarterRun)
{
    testing::ensureApp();
    const sim::RunResult r = runScenario("starter");
    ASSERT_EQ(r.count(sim::DeviceOutcome::Upgraded), 5);
    const Reconstructed data = reconstruct(r, r.endTimeS);
    ChartsController c;
    c.reset(data.topology);
    c.update(data.snapshot);
    ChartsView view;
    view.apply(c);
    QLineSeries* cdf = lineOf(view.cdfChart(), 0);
    ASSERT_EQ(cdf->count(), 11);
    EXPECT_DOUBLE_EQ(cdf->at(10).y(), 100.0);
    EXPECT_NEAR(cdf->at(10).x() * c.cdfUnit().divisor, *r.completionPercentile(100), 1e-9);
    EXPECT_EQ(view.cdfChart()->title(), QStringLiteral("Completion time"));
    EXPECT_TRUE(view.cdfNote()->text().startsWith(QStringLiteral("5 of 5 upgraded · p50 "))) << view.cdfNote()->text().toStdString();
    auto* bars = qobject_cast<QStackedBarSeries*>(view.energyChart()->series().front());
    ASSERT_EQ(bars->count(), 1);
    EXPECT_EQ(bars->barSets().front()->label(), labNodeStateName(LabNodeState::Upgraded));
    EXPECT_EQ(view.energyChart()->axes(Qt::Vertical).front()->titleText(), QStringLiteral("update energy (J)"));

    // The metric combo switches to total energy (as ChartsPanel wires it).
    QObject::connect(&view, &ChartsView::energyMetricChanged, [&](EnergyMetric metric) {
        c.setEnergyMetric(metric);
        c.update(data.snapshot);
        view.apply(c);
    });
    view.energyMetricBox()->setCurrentIndex(1);
    EXPECT_EQ(c.energyMetric(), EnergyMetric::Total);
    EXPECT_EQ(view.energyChart()->axes(Qt::Vertical).front()->titleText(), QStringLiteral("energy since start (J)"));
}

// Screenshots for people (OTALAB_SHOTS=folder): campus mid-rollout and finished.
TEST(GuiChartsView, Screenshots)
{
    const QString dir = qEnvironmentVariable("OTALAB_SHOTS");
    if (dir.isEmpty())
        GTEST_SKIP() << "set OTALAB_SHOTS to a folder to write screenshots";
    testing::ensureApp();
    const sim::RunResult r = runScenario("campus");
    for (double share : {0.35, 1.0}) {
        const Reconstructed data = reconstruct(r, r.endTimeS * share);
        ChartsController c;
        c.reset(data.topology);
        c.update(data.snapshot);
        ChartsView view;
        view.resize(1200, 800);
        view.apply(c);
        view.show();
        QApplication::processEvents();
        EXPECT_TRUE(view.grab().save(QStringLiteral("%1/charts-campus-%2.png").arg(dir).arg(int(share * 100))));
    }
    const sim::RunResult starter = runScenario("starter");
    const Reconstructed data = reconstruct(starter, starter.endTimeS * 0.6);
    ChartsController c;
    c.reset(data.topology);
    c.update(data.snapshot);
    ChartsView view;
    view.resize(1200, 800);
    view.apply(c);
    view.show();
    QApplication::processEvents();
    EXPECT_TRUE(view.grab().save(dir + QStringLiteral("/charts-starter-60.png")));
}

} // namespace
} // namespace otalab::app
