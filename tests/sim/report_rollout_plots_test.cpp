// SPDX-License-Identifier: Apache-2.0
// rollout-executions.svg: two panels (the outcomes on their own scale, the notification with
// its rate on a right axis), step lines, the abort as a point on the lines at its exact x.
#include "sim/fleet/rollout/executionstate.h"
#include "sim/report/reportplots.h"
#include "sim/report/rolloutplots.h"

#include <QPointF>
#include <QRegularExpression>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace otalab::sim {
namespace {

using rollout::ExecutionState;

// SvgChart's plot frame (svgchart.cpp): x from 80 to 772, y from 390 (0) up to 80.
constexpr double kX0 = 80, kX1 = 772;

RolloutSample sampleAt(double t, std::array<int, 8> executions, int notified, double rate)
{
    RolloutSample s;
    s.timeS = t;
    s.executions = executions;
    s.notified = notified;
    s.ratePerMinute = rate;
    s.group = QStringLiteral("wave 1");
    return s;
}

// jobs-bad-image's figures: 10,000 devices at 50/min, sampled each minute; FAILED ≥ 5 % trips
// at 192 s (3.2 min), between the 180 s and 240 s samples; the queue is canceled there.
RunResult badImageRun()
{
    RunResult result;
    result.scenarioName = QStringLiteral("jobs-bad-image");
    result.endTimeS = 251.3;
    RolloutResult r;
    r.policy = QStringLiteral("aws-jobs");
    r.jobStatus = QStringLiteral("CANCELED");
    r.abortedAtS = 192;
    r.abortReason = QStringLiteral("FAILED 9.0 % of 100 executed ≥ 5 % (min 100 executed): CANCEL");
    //                queued  in-prog succ failed to rej rem canceled
    r.executionsAtAbort = {9883, 17, 91, 9, 0, 0, 0, 0};
    r.samples = {sampleAt(60, {9965, 12, 21, 2, 0, 0, 0, 0}, 50, 50), sampleAt(120, {9930, 12, 52, 6, 0, 0, 0, 0}, 100, 50),
                 sampleAt(180, {9892, 14, 85, 9, 0, 0, 0, 0}, 150, 50), sampleAt(240, {0, 1, 105, 11, 0, 0, 0, 9883}, 160, 0),
                 sampleAt(251.3, {0, 0, 106, 11, 0, 0, 0, 9883}, 160, 0)};
    r.groups = {RolloutGroupResult{QStringLiteral("wave 1"), 10000, 0.0, 251.3, 106, 11, {}}};
    result.rollout = r;
    return result;
}

// The same story on 30 devices: the queue is on the notified count's scale.
RunResult smallRun()
{
    RunResult result = badImageRun();
    RolloutResult& r = *result.rollout;
    r.executionsAtAbort = {12, 6, 10, 2, 0, 0, 0, 0};
    r.samples = {sampleAt(60, {25, 4, 1, 0, 0, 0, 0, 0}, 10, 10), sampleAt(120, {19, 5, 5, 1, 0, 0, 0, 0}, 20, 10),
                 sampleAt(180, {13, 6, 9, 2, 0, 0, 0, 0}, 28, 10), sampleAt(240, {0, 2, 13, 3, 0, 0, 0, 12}, 30, 0)};
    return result;
}

QString panel(const QString& svg, const QString& name)
{
    const qsizetype start = svg.indexOf(QStringLiteral("data-panel=\"%1\"").arg(name));
    if (start < 0)
        return {};
    const qsizetype next = svg.indexOf(QStringLiteral("data-panel="), start + 1);
    return svg.mid(start, next < 0 ? -1 : next - start);
}

// The vertices of a series' stroke (its last <path d="…">), in user units.
std::vector<QPointF> seriesPath(const QString& panelSvg, const QString& name)
{
    const qsizetype at = panelSvg.indexOf(QStringLiteral("data-name=\"%1\"").arg(name));
    if (at < 0)
        return {};
    const QString group = panelSvg.mid(at, panelSvg.indexOf(QStringLiteral("</g>"), at) - at);
    const qsizetype d = group.lastIndexOf(QStringLiteral("<path d=\""));
    const QString data = group.mid(d + 9, group.indexOf(QLatin1Char('"'), d + 9) - d - 9);
    std::vector<QPointF> points;
    static const QRegularExpression vertex(QStringLiteral("[ML]\\s*(-?[0-9.]+) (-?[0-9.]+)"));
    for (auto it = vertex.globalMatch(data); it.hasNext();) {
        const auto m = it.next();
        points.emplace_back(m.captured(1).toDouble(), m.captured(2).toDouble());
    }
    return points;
}

// x of the marker drawn in `color`.
std::optional<double> markerX(const QString& panelSvg, const QString& color)
{
    static const QRegularExpression marker(QStringLiteral("<g class=\"marker\"><line x1=\"([0-9.]+)\"[^>]*stroke=\"([^\"]+)\""));
    for (auto it = marker.globalMatch(panelSvg); it.hasNext();) {
        const auto m = it.next();
        if (m.captured(2) == color)
            return m.captured(1).toDouble();
    }
    return std::nullopt;
}

// The left axis' tick labels (text-anchor end at x = 72).
std::vector<double> leftTicks(const QString& panelSvg)
{
    std::vector<double> ticks;
    static const QRegularExpression tick(QStringLiteral("<text x=\"72\" y=\"[0-9.]+\" text-anchor=\"end\">([0-9.]+)</text>"));
    for (auto it = tick.globalMatch(panelSvg); it.hasNext();)
        ticks.push_back(it.next().captured(1).toDouble());
    return ticks;
}

bool wellFormed(const QString& svg)
{
    QXmlStreamReader xml(svg);
    while (!xml.atEnd())
        xml.readNext();
    return !xml.hasError();
}

TEST(RolloutPlots, TwoPanelsInOneDocument)
{
    const QString svg = rolloutExecutionsSvg(badImageRun());
    ASSERT_TRUE(wellFormed(svg));
    EXPECT_TRUE(svg.contains(QStringLiteral("width=\"800\" height=\"900\" viewBox=\"0 0 800 900\"")));
    const QString working = panel(svg, QStringLiteral("working"));
    const QString notification = panel(svg, QStringLiteral("notification"));
    ASSERT_FALSE(working.isEmpty());
    ASSERT_FALSE(notification.isEmpty());
    EXPECT_TRUE(working.contains(QStringLiteral(">Devices working on the job — jobs-bad-image<")));
    EXPECT_TRUE(notification.contains(QStringLiteral(">Notification — jobs-bad-image<")));
    EXPECT_TRUE(notification.contains(QStringLiteral("transform=\"translate(0 450)\"")));
    for (const char* name : {"in progress", "succeeded", "failed"})
        EXPECT_FALSE(seriesPath(working, QString::fromLatin1(name)).empty()) << name;
    EXPECT_FALSE(working.contains(QStringLiteral("data-name=\"queued\"")));
    EXPECT_FALSE(seriesPath(notification, QStringLiteral("notified so far")).empty());
    EXPECT_FALSE(seriesPath(notification, QStringLiteral("notification rate")).empty());
    // The figures the reader opens the chart for, in words.
    EXPECT_TRUE(working.contains(QStringLiteral("by the abort at 3.2 min: 17 in progress, 91 succeeded, 9 failed")));
    EXPECT_TRUE(working.contains(QStringLiteral("at the end: 106 succeeded, 11 failed")));
    EXPECT_TRUE(notification.contains(QStringLiteral("160 of 10000 devices notified")));
}

TEST(RolloutPlots, SmallCountsHaveTheirOwnScale)
{
    const QString svg = rolloutExecutionsSvg(badImageRun());
    const std::vector<double> working = leftTicks(panel(svg, QStringLiteral("working")));
    ASSERT_FALSE(working.empty());
    const double top = *std::max_element(working.begin(), working.end());
    EXPECT_LT(top, 1000);   // 106 succeeded and 11 failed are readable
    EXPECT_GE(top, 106);
    // The 10,000 queued and 9,883 canceled do not flatten the 160 notified either: named in the legend.
    const QString notification = panel(svg, QStringLiteral("notification"));
    const std::vector<double> ticks = leftTicks(notification);
    ASSERT_FALSE(ticks.empty());
    EXPECT_LT(*std::max_element(ticks.begin(), ticks.end()), 1000);
    EXPECT_FALSE(notification.contains(QStringLiteral("data-name=\"canceled\"")));
    EXPECT_TRUE(notification.contains(QStringLiteral(">canceled 9883 (off scale)<")));
    EXPECT_TRUE(notification.contains(QStringLiteral(">queued 10000 (off scale)<")));
}

TEST(RolloutPlots, AbortMarkerAndPointsAtTheAbortMoment)
{
    const QString svg = rolloutExecutionsSvg(badImageRun());
    const QString working = panel(svg, QStringLiteral("working"));
    // 192 s = 3.2 min on a 0..5 min axis.
    const double want = kX0 + 3.2 / 5.0 * (kX1 - kX0);
    const auto x = markerX(working, plotcolors::failed);
    ASSERT_TRUE(x);
    EXPECT_NEAR(*x, want, 0.06);
    EXPECT_TRUE(working.contains(QStringLiteral(">abort 3.2 min<")));
    EXPECT_TRUE(markerX(panel(svg, QStringLiteral("notification")), plotcolors::failed));
    // A dot per outcome line at the abort, and a line that changed since 180 s has a vertex there
    // (failed held 9: its straight run has no vertex in the middle).
    static const QRegularExpression dot(QStringLiteral("<circle cx=\"([0-9.]+)\""));
    int dots = 0;
    for (auto it = dot.globalMatch(working); it.hasNext(); ++dots)
        EXPECT_NEAR(it.next().captured(1).toDouble(), want, 0.06);
    EXPECT_EQ(dots, 3);
    for (const char* name : {"in progress", "succeeded"}) {
        const auto path = seriesPath(working, QString::fromLatin1(name));
        EXPECT_TRUE(std::any_of(path.begin(), path.end(), [&](const QPointF& p) { return std::abs(p.x() - want) < 0.06; })) << name;
    }
}

TEST(RolloutPlots, StepLinesHoldUntilTheNextSample)
{
    const QString svg = rolloutExecutionsSvg(smallRun());
    for (const QString& name : {QStringLiteral("working"), QStringLiteral("notification")}) {
        const QString p = panel(svg, name);
        static const QRegularExpression series(QStringLiteral("data-name=\"([^\"]+)\""));
        for (auto it = series.globalMatch(p); it.hasNext();) {
            const QString line = it.next().captured(1);
            const auto path = seriesPath(p, line);
            for (std::size_t i = 1; i < path.size(); ++i)
                EXPECT_TRUE(path[i].x() == path[i - 1].x() || path[i].y() == path[i - 1].y())
                    << line.toStdString() << " has a sloped segment at vertex " << i;
        }
    }
}

TEST(RolloutPlots, CancelJumpsAtTheAbortNotAtTheNextSample)
{
    const QString notification = panel(rolloutExecutionsSvg(smallRun()), QStringLiteral("notification"));
    const double abortX = kX0 + 3.2 / 5.0 * (kX1 - kX0);
    // Queued and canceled are on this scale (30 devices): their jump is a vertical segment at the abort.
    for (const char* name : {"queued", "canceled"}) {
        const auto path = seriesPath(notification, QString::fromLatin1(name));
        ASSERT_GE(path.size(), 2u) << name;
        bool vertical = false;
        for (std::size_t i = 1; i < path.size(); ++i)
            vertical = vertical || (std::abs(path[i].x() - abortX) < 0.06 && path[i].x() == path[i - 1].x() && path[i].y() != path[i - 1].y());
        EXPECT_TRUE(vertical) << name;
    }
    // The rate falls to 0 (y = 390) at the abort too.
    const auto rate = seriesPath(notification, QStringLiteral("notification rate"));
    EXPECT_TRUE(std::any_of(rate.begin(), rate.end(), [&](const QPointF& p) { return std::abs(p.x() - abortX) < 0.06 && p.y() == 390; }));
}

TEST(RolloutPlots, RateAxisReadsPerMinute)
{
    const QString notification = panel(rolloutExecutionsSvg(badImageRun()), QStringLiteral("notification"));
    ASSERT_TRUE(notification.contains(QStringLiteral("class=\"rate-axis\"")));
    EXPECT_TRUE(notification.contains(QStringLiteral(">per min<")));
    // Left ticks 0, 50, …, 200 devices; the rate axis reads 0, 20, …, 80 per minute on the same grid
    // lines, so the 50 / min line sits at 125 on the left scale.
    static const QRegularExpression label(QStringLiteral("<text x=\"778\" y=\"[0-9.]+\">([0-9.k]+)</text>"));
    QStringList labels;
    for (auto it = label.globalMatch(notification); it.hasNext();)
        labels << it.next().captured(1);
    EXPECT_EQ(labels, (QStringList{QStringLiteral("0"), QStringLiteral("20"), QStringLiteral("40"), QStringLiteral("60"), QStringLiteral("80")}));
    const auto rate = seriesPath(notification, QStringLiteral("notification rate"));
    ASSERT_FALSE(rate.empty());
    EXPECT_NEAR(rate.front().y(), 390 - 125.0 / 200 * 310, 0.06);
}

TEST(RolloutPlots, NoRolloutNoChart)
{
    EXPECT_TRUE(rolloutExecutionsSvg(RunResult{}).isEmpty());
    RunResult empty = badImageRun();
    empty.rollout->samples.clear();
    const QString svg = rolloutExecutionsSvg(empty);
    EXPECT_TRUE(wellFormed(svg));
    EXPECT_TRUE(svg.contains(QStringLiteral("no rollout samples")));
}

} // namespace
} // namespace otalab::sim
