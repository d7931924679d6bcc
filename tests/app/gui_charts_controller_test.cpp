// SPDX-License-Identifier: Apache-2.0
// ChartsController and its helpers from hand-built LabTopology / LabSnapshot data.
#include "charts/chartscontroller.h"
#include "charts/completioncdf.h"
#include "charts/decimatedseries.h"
#include "charts/energychartmodel.h"

#include <gtest/gtest.h>

namespace otalab::app {
namespace {

// Coordinator + `clients` OTA clients (short address == index).
LabTopology topologyWith(int clients)
{
    LabTopology t;
    t.scenarioName = QStringLiteral("hand-built");
    t.nodes.push_back(LabNodeInfo{0, QStringLiteral("0x0000"), QStringLiteral("coordinator"), 0, -1, 0, 0, false});
    for (int i = 1; i <= clients; ++i)
        t.nodes.push_back(LabNodeInfo{sim::NodeId(i), QStringLiteral("0x%1").arg(i, 4, 16, QLatin1Char('0')), QStringLiteral("end device"), 0, 0, double(i), 0, true});
    return t;
}

LabSnapshot snapshotWith(int clients)
{
    LabSnapshot s;
    s.nodes.resize(std::size_t(clients) + 1);
    for (int i = 1; i <= clients; ++i)
        s.nodes[std::size_t(i)].state = LabNodeState::Waiting;
    s.clients = clients;
    s.untilS = 86400;
    return s;
}

// Samples every 10 s: upgraded ramps by one per minute, one download at a time.
void addSamples(LabSnapshot& s, int count)
{
    const std::size_t first = s.samples.size();
    for (std::size_t i = first; i < first + std::size_t(count); ++i) {
        sim::FleetSample f;
        f.timeS = 10.0 * double(i);
        f.upgraded = int(i / 6);
        f.downloading = 1;
        f.failed = i > 100 ? 1 : 0;
        f.channelUtilisation = 0.001 * double(i % 50);
        s.samples.push_back(f);
    }
    s.timeS = s.samples.back().timeS;
    ++s.eventsExecuted;
}

TEST(GuiChartsDecimation, BoundedAndKeepsFirstAndLatest)
{
    DecimatedSeries series(100);
    // A "view" that follows the incremental contract.
    QList<QPointF> view;
    int generation = series.generation(), stable = 0;
    for (int i = 0; i < 10'000; ++i) {
        series.append(QPointF(i, i * 2.0));
        if (series.generation() != generation) {
            view = series.points();
        } else {
            view.resize(stable);
            view.append(series.points().mid(stable));
        }
        generation = series.generation();
        stable = series.stableCount();
        ASSERT_EQ(view, series.points()) << "after sample " << i;
        ASSERT_LE(series.points().size(), 101);
        ASSERT_EQ(series.points().back(), QPointF(i, i * 2.0));
    }
    EXPECT_EQ(series.points().front(), QPointF(0, 0));
    EXPECT_GE(series.points().size(), 50);
    EXPECT_EQ(series.stride(), 128);
    for (qsizetype i = 1; i < series.points().size(); ++i)
        EXPECT_LT(series.points()[i - 1].x(), series.points()[i].x());
}

TEST(GuiChartsController, ProgressFollowsSamplesIncrementally)
{
    ChartsController c;
    c.reset(topologyWith(10));
    LabSnapshot s = snapshotWith(10);
    EXPECT_TRUE(c.update(s));   // first look: empty CDF and energy bars
    EXPECT_FALSE(c.update(s));  // unchanged
    EXPECT_TRUE(c.progress(ChartsController::Line::Upgraded).points().isEmpty());
    addSamples(s, 12);          // 0 .. 110 s
    EXPECT_TRUE(c.update(s));
    using L = ChartsController::Line;
    EXPECT_EQ(c.progress(L::Upgraded).points().size(), 12);
    EXPECT_EQ(c.timeUnit().unit, QStringLiteral("s"));
    EXPECT_EQ(c.progress(L::Upgraded).points().back(), QPointF(110, 1));
    EXPECT_EQ(c.progress(L::Downloading).points().back().y(), 1);
    EXPECT_DOUBLE_EQ(c.utilisation().points().back().y(), 1.1);  // 0.011 → 1.1 %
    EXPECT_DOUBLE_EQ(c.progressAxisMax(), 10);
    EXPECT_GE(c.timeAxisMax(), 110);

    const auto revision = c.seriesRevision();
    EXPECT_FALSE(c.update(s)) << "the same snapshot again changes nothing";
    EXPECT_EQ(c.seriesRevision(), revision);

    addSamples(s, 120);  // up to 1310 s → minutes
    EXPECT_TRUE(c.update(s));
    EXPECT_EQ(c.timeUnit().unit, QStringLiteral("min"));
    EXPECT_EQ(c.progress(L::Upgraded).points().size(), 132);
    EXPECT_DOUBLE_EQ(c.progress(L::Upgraded).points().back().x(), 1310.0 / 60.0);
    EXPECT_EQ(c.progress(L::Upgraded).points().back().y(), 131 / 6);
    EXPECT_EQ(c.progress(L::Failed).points().back().y(), 1);
    EXPECT_DOUBLE_EQ(c.progress(L::Upgraded).points()[1].x(), 10.0 / 60.0) << "old points rescaled";

    addSamples(s, 10'000);  // decimated
    c.update(s);
    EXPECT_EQ(c.timeUnit().unit, QStringLiteral("h"));
    EXPECT_LE(c.progress(L::Upgraded).points().size(), ChartsController::kMaxPoints + 1);
    EXPECT_LE(c.utilisation().points().size(), ChartsController::kMaxPoints + 1);
    EXPECT_DOUBLE_EQ(c.progress(L::Upgraded).points().back().x(), s.samples.back().timeS / 3600.0);
    EXPECT_EQ(c.progress(L::Upgraded).points().back().y(), s.samples.back().upgraded);

    // A new run without reset(): fewer samples → starts over.
    LabSnapshot fresh = snapshotWith(10);
    addSamples(fresh, 3);
    c.update(fresh);
    EXPECT_EQ(c.progress(L::Upgraded).points().size(), 3);
    EXPECT_EQ(c.timeUnit().unit, QStringLiteral("s"));
}

TEST(GuiChartsController, CdfIsMonotoneAndEndsAtTheUpgradedFraction)
{
    ChartsController c;
    c.reset(topologyWith(10));
    LabSnapshot s = snapshotWith(10);
    const double done[] = {900, 300, 1500, 600};
    for (int i = 0; i < 4; ++i) {
        s.nodes[std::size_t(i + 1)].state = LabNodeState::Upgraded;
        s.nodes[std::size_t(i + 1)].stateSinceS = done[i];
    }
    s.nodes[5].state = LabNodeState::Failed;
    s.nodes[5].stateSinceS = 100;  // not a completion
    s.upgraded = 4;
    EXPECT_TRUE(c.update(s));
    const QList<QPointF>& p = c.cdfPoints();
    ASSERT_EQ(p.size(), 9);  // origin + 2 per completion
    EXPECT_EQ(p.front(), QPointF(0, 0));
    for (qsizetype i = 1; i < p.size(); ++i) {
        EXPECT_GE(p[i].x(), p[i - 1].x());
        EXPECT_GE(p[i].y(), p[i - 1].y());
    }
    EXPECT_EQ(c.cdfUnit().unit, QStringLiteral("min"));
    EXPECT_DOUBLE_EQ(p.back().x(), 25.0);  // 1500 s
    EXPECT_DOUBLE_EQ(p.back().y(), 40.0);  // 4 of 10
    EXPECT_DOUBLE_EQ(p[2].y(), 10.0);
    EXPECT_DOUBLE_EQ(p[2].x(), 5.0);       // 300 s first
    EXPECT_DOUBLE_EQ(c.upgradedPercent(), 40.0);
    EXPECT_TRUE(c.cdfSummary().startsWith(QStringLiteral("4 of 10 upgraded · p50 10.0 min")))
        << c.cdfSummary().toStdString();

    const auto revision = c.cdfRevision();
    s.timeS += 5;
    c.update(s);
    EXPECT_EQ(c.cdfRevision(), revision) << "no new completion, no recomputation";
}

TEST(GuiChartsController, CdfOfManyCompletionsIsBounded)
{
    std::vector<double> times;
    for (int i = 0; i < 9'000; ++i)
        times.push_back(double((i * 7919) % 9'000));
    const CdfCurve curve = completionCdf(times, 10'000, 1000);
    EXPECT_LE(curve.points.size(), 2001);
    EXPECT_DOUBLE_EQ(curve.points.back().y(), 90.0);
    EXPECT_DOUBLE_EQ(curve.points.back().x(), 8999.0);
    for (qsizetype i = 1; i < curve.points.size(); ++i) {
        ASSERT_GE(curve.points[i].x(), curve.points[i - 1].x());
        ASSERT_GE(curve.points[i].y(), curve.points[i - 1].y());
    }
    // Odd data: NaN / negative ignored, zero total.
    const CdfCurve odd = completionCdf({std::nan(""), -1.0}, 0);
    EXPECT_EQ(odd.points.size(), 1);
    EXPECT_EQ(odd.finalPercent(), 0.0);
}

TEST(GuiChartsController, EnergyBarsSortedForSmallFleets)
{
    const LabTopology t = topologyWith(4);
    LabSnapshot s = snapshotWith(4);
    const double e[] = {0.5, 0.2, 0.9, 0.1};
    for (int i = 0; i < 4; ++i) {
        s.nodes[std::size_t(i + 1)].updateEnergyJ = e[i];
        s.nodes[std::size_t(i + 1)].energyJ = 10 + e[i];
    }
    s.nodes[3].state = LabNodeState::Upgraded;
    s.nodes[0].updateEnergyJ = 99;  // the coordinator is not a client
    const EnergyChartModel m = buildEnergyChart(t, s, EnergyMetric::Update);
    EXPECT_FALSE(m.histogram);
    EXPECT_EQ(m.devices, 4);
    EXPECT_EQ(m.unit, QStringLiteral("mJ"));
    EXPECT_EQ(m.categories, (QStringList{"0x0004", "0x0002", "0x0001", "0x0003"}));
    ASSERT_EQ(m.states, (std::vector<LabNodeState>{LabNodeState::Waiting, LabNodeState::Upgraded}));
    EXPECT_EQ(m.values[0], (QList<qreal>{100, 200, 500, 0}));
    EXPECT_EQ(m.values[1], (QList<qreal>{0, 0, 0, 900}));
    EXPECT_GE(m.yMax, 900);

    const EnergyChartModel total = buildEnergyChart(t, s, EnergyMetric::Total);
    EXPECT_EQ(total.unit, QStringLiteral("J"));
    EXPECT_DOUBLE_EQ(total.values[1][3], 10.9);
}

TEST(GuiChartsController, EnergyHistogramForTenThousandDevices)
{
    const LabTopology t = topologyWith(10'000);
    LabSnapshot s = snapshotWith(10'000);
    for (int i = 1; i <= 10'000; ++i) {
        s.nodes[std::size_t(i)].updateEnergyJ = 1.0 + 2.0 * double(i % 100) / 100.0;  // 1 .. 2.98 J
        s.nodes[std::size_t(i)].state = i % 10 == 0 ? LabNodeState::Failed : LabNodeState::Upgraded;
    }
    ChartsController c;
    c.reset(t);
    EXPECT_TRUE(c.update(s));
    const EnergyChartModel& m = c.energy();
    EXPECT_TRUE(m.histogram);
    EXPECT_EQ(m.devices, 10'000);
    EXPECT_GE(m.categories.size(), 5);
    EXPECT_LE(m.categories.size(), 20);
    double sum = 0, failed = 0;
    for (std::size_t set = 0; set < m.states.size(); ++set)
        for (qreal v : m.values[set]) {
            sum += v;
            if (m.states[set] == LabNodeState::Failed)
                failed += v;
        }
    EXPECT_EQ(sum, 10'000);
    EXPECT_EQ(failed, 1'000);
    EXPECT_EQ(m.values[0][0], 0) << "no device below 1 J: " << m.categories[0].toStdString();
    EXPECT_EQ(m.yTitle, QStringLiteral("devices"));
}

TEST(GuiChartsController, OddDataDoesNotCrash)
{
    ChartsController c;
    c.reset(LabTopology{});
    LabSnapshot s;
    c.update(s);
    EXPECT_EQ(c.cdfPoints().size(), 1);
    EXPECT_EQ(c.energy().devices, 0);
    // No completion yet: the CDF's time axis follows the run.
    s.timeS = 600;
    c.update(s);
    EXPECT_EQ(c.cdfUnit().unit, QStringLiteral("min"));
    EXPECT_GE(c.cdfAxisMax(), 10.0);
    s.timeS = 4 * 3600;
    c.update(s);
    EXPECT_EQ(c.cdfUnit().unit, QStringLiteral("h"));
    EXPECT_GE(c.cdfAxisMax(), 4.0);
    s.timeS = 0;
    s.nodes.resize(3);
    s.nodes[2].state = LabNodeState::Upgraded;
    s.nodes[2].stateSinceS = std::nan("");
    sim::FleetSample busy;
    busy.timeS = 10;
    busy.channelUtilisation = 4.0;  // summed over transmitters far apart: not clamped to 100 %
    s.samples.push_back(busy);
    busy.timeS = 20;
    busy.channelUtilisation = std::nan("");
    s.samples.push_back(busy);
    c.update(s);  // topology does not match: clients from states
    ASSERT_EQ(c.utilisation().points().size(), 2);
    EXPECT_DOUBLE_EQ(c.utilisation().points()[0].y(), 400.0);
    EXPECT_DOUBLE_EQ(c.utilisation().points()[1].y(), 0.0);
    EXPECT_GE(c.utilisationAxisMax(), 400.0);
    EXPECT_EQ(c.energy().devices, 1);
    EXPECT_DOUBLE_EQ(c.upgradedPercent(), 0);
}

} // namespace
} // namespace otalab::app
