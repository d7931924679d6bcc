// SPDX-License-Identifier: Apache-2.0
// The Rollout panel's model and view: live snapshots and a finished RunResult's rollout
// give the right counts, group markers, abort marker and header lines.
#include "gui_test_support.h"

#include "rollout/rolloutcomparerows.h"
#include "rollout/rolloutview.h"
#include "rollout/rolloutviewmodel.h"

#include <QLabel>
#include <QLineSeries>
#include <QTableWidget>
#include <QSignalSpy>
#include <QToolButton>
#include <QValueAxis>

using namespace otalab;
using namespace otalab::app;
using sim::rollout::ExecutionState;

namespace {

sim::RolloutSample sampleAt(double t, int queued, int inProgress, int succeeded, int failed, int canceled, double rate, const char* group)
{
    sim::RolloutSample s;
    s.timeS = t;
    s.executions[std::size_t(ExecutionState::Queued)] = queued;
    s.executions[std::size_t(ExecutionState::InProgress)] = inProgress;
    s.executions[std::size_t(ExecutionState::Succeeded)] = succeeded;
    s.executions[std::size_t(ExecutionState::Failed)] = failed;
    s.executions[std::size_t(ExecutionState::Canceled)] = canceled;
    s.notified = 120 - queued;
    s.ratePerMinute = rate;
    s.group = QString::fromUtf8(group);
    return s;
}

// 120 things, two waves, an abort at 2 h 14 min: 7 of 120 executed failed.
sim::RolloutResult abortedRollout()
{
    sim::RolloutResult r;
    r.policy = QStringLiteral("aws-jobs");
    r.jobStatus = QStringLiteral("CANCELED");
    r.targets = {QStringLiteral("things")};
    r.abortedAtS = 2 * 3600 + 14 * 60;
    r.abortReason = QStringLiteral("FAILED 5.8 % of 120 executed \u2265 5 % (min 100 executed): CANCEL");
    r.samples = {sampleAt(0, 120, 0, 0, 0, 0, 10, "wave 1"), sampleAt(3600, 60, 20, 38, 2, 0, 10, "wave 1"),
                 sampleAt(7200, 10, 10, 95, 5, 0, 20, "wave 2"), sampleAt(9000, 0, 0, 103, 7, 10, 0, "wave 2")};
    r.groups = {{QStringLiteral("wave 1"), 60, 0.0, 3000.0, 58, 2, {}}, {QStringLiteral("wave 2"), 60, 5400.0, 9000.0, 45, 5, {}}};
    return r;
}

} // namespace

TEST(GuiRolloutView, FinishedResultGivesCountsGroupsAndAbortMarker)
{
    RolloutViewModel model;
    model.reset(QStringLiteral("aws-jobs"));
    model.setResult(abortedRollout(), 9000);
    ASSERT_TRUE(model.hasRollout());
    EXPECT_EQ(model.counts()[std::size_t(ExecutionState::Succeeded)], 103);
    EXPECT_EQ(model.counts()[std::size_t(ExecutionState::Failed)], 7);
    EXPECT_EQ(model.counts()[std::size_t(ExecutionState::Canceled)], 10);
    EXPECT_EQ(model.devices(), 120);
    EXPECT_EQ(model.jobStatus(), QStringLiteral("CANCELED"));
    // 9000 s → the axis is in minutes; the abort marker sits at 134 min with its reason.
    EXPECT_EQ(model.timeUnit().unit, QStringLiteral("min"));
    ASSERT_TRUE(model.abortMarker().has_value());
    EXPECT_DOUBLE_EQ(model.abortMarker()->x, 134.0);
    EXPECT_EQ(model.abortLine(), QStringLiteral("abort tripped at 2 h 14 min: FAILED 5.8 % of 120 executed \u2265 5 % (min 100 executed): CANCEL"));
    EXPECT_EQ(model.abortMarker()->label, model.abortLine());
    // The groups' own start times, not the sample where the name first shows.
    ASSERT_EQ(model.groupMarkers().size(), 2u);
    EXPECT_EQ(model.groupMarkers()[1].label, QStringLiteral("wave 2"));
    EXPECT_DOUBLE_EQ(model.groupMarkers()[1].x, 90.0);
    EXPECT_TRUE(model.stateShown(ExecutionState::Canceled));
    EXPECT_FALSE(model.stateShown(ExecutionState::TimedOut));
    EXPECT_EQ(model.executions(ExecutionState::Failed).points().size(), 4);
    EXPECT_DOUBLE_EQ(model.executions(ExecutionState::Failed).points().last().y(), 7);
    EXPECT_GT(model.rateAxisMax(), 20) << "headroom: the rate's plateau is not the plot's top border";
    EXPECT_LE(model.rateAxisMax(), 30);
    EXPECT_TRUE(model.header().startsWith(QStringLiteral("AWS IoT Jobs \u00b7 job CANCELED \u00b7 wave 2")));
}

TEST(GuiRolloutView, LiveSnapshotsAppendOnlyNewSamplesAndShowTheAbortOnceTripped)
{
    RolloutViewModel model;
    model.reset(QStringLiteral("hawkbit"));
    const sim::RolloutResult full = abortedRollout();
    LabSnapshot snap;
    snap.hasRollout = true;
    snap.timeS = 3600;
    snap.jobStatus = QStringLiteral("IN_PROGRESS");
    snap.ratePerMinute = 10;
    snap.rolloutGroup = QStringLiteral("wave 1");
    snap.rolloutSamples = {full.samples[0], full.samples[1]};
    snap.executions = full.samples[1].executions;
    ASSERT_TRUE(model.update(snap));
    EXPECT_FALSE(model.abortMarker().has_value());
    EXPECT_TRUE(model.abortLine().isEmpty());
    EXPECT_EQ(model.counts()[std::size_t(ExecutionState::InProgress)], 20);
    EXPECT_FALSE(model.update(snap)) << "the same snapshot changes nothing";
    const std::uint64_t revision = model.revision();

    snap.timeS = 9000;
    snap.jobStatus = QStringLiteral("PAUSED");
    snap.rolloutGroup = QStringLiteral("wave 2");
    snap.rolloutSamples = full.samples;
    snap.executions = full.samples.back().executions;
    snap.abortedAtS = 8040;
    snap.abortReason = QStringLiteral("error threshold 10 % passed");
    ASSERT_TRUE(model.update(snap));
    EXPECT_NE(model.revision(), revision);
    EXPECT_EQ(model.executions(ExecutionState::Succeeded).samplesAppended(), 4);
    EXPECT_EQ(model.groupMarkers().size(), 2u);
    EXPECT_EQ(model.abortLine(), QStringLiteral("paused at 2 h 14 min: error threshold 10 % passed"));
    EXPECT_TRUE(model.header().startsWith(QStringLiteral("hawkBit groups \u00b7 job PAUSED \u00b7 wave 2")));

    // A snapshot of a new run (fewer samples) starts over.
    snap.rolloutSamples = {full.samples[0]};
    snap.abortedAtS.reset();
    snap.abortReason.clear();
    ASSERT_TRUE(model.update(snap));
    EXPECT_EQ(model.executions(ExecutionState::Queued).samplesAppended(), 1);
    EXPECT_FALSE(model.abortMarker().has_value());
}

TEST(GuiRolloutView, ViewShowsTableCountsHeaderAndAbortMarker)
{
    otalab::testing::ensureApp();
    RolloutViewModel model;
    model.reset(QStringLiteral("aws-jobs"));
    model.setResult(abortedRollout(), 9000);
    RolloutView view;
    view.resize(900, 500);
    view.apply(model);
    EXPECT_EQ(view.table()->item(int(ExecutionState::Failed), 0)->text(), QStringLiteral("FAILED"));
    EXPECT_EQ(view.table()->item(int(ExecutionState::Failed), 1)->text(), QStringLiteral("7"));
    EXPECT_EQ(view.table()->item(int(ExecutionState::Succeeded), 1)->text(), QStringLiteral("103"));
    EXPECT_TRUE(view.header()->text().contains(QStringLiteral("job CANCELED")));
    EXPECT_FALSE(view.abortLabel()->isHidden());
    EXPECT_TRUE(view.abortLabel()->text().startsWith(QStringLiteral("abort tripped at 2 h 14 min")));
    ASSERT_TRUE(view.abortSeries()->isVisible());
    ASSERT_EQ(view.abortSeries()->count(), 2);
    EXPECT_DOUBLE_EQ(view.abortSeries()->at(0).x(), 134.0);
    EXPECT_EQ(view.groupMarkerCount(), 2);

    // Without a rollout: a plain note, no abort line.
    RolloutViewModel none;
    none.reset();
    view.apply(none);
    EXPECT_FALSE(none.hasRollout());
    EXPECT_TRUE(view.abortLabel()->isHidden());
    EXPECT_FALSE(view.abortSeries()->isVisible());
    EXPECT_TRUE(view.header()->text().contains(QStringLiteral("no rollout section")));
}

// jobs-bad-image's story: 10,000 things, 106 SUCCEEDED and 11 FAILED when the abort
// cancels the other 9,883 — the outcomes must not be flat lines under the fleet's scale.
TEST(GuiRolloutView, OutcomesScaleDrawsTheSmallCountsAsStepsAndAllStatesTheFleet)
{
    otalab::testing::ensureApp();
    sim::RolloutResult r;
    r.policy = QStringLiteral("aws-jobs");
    r.jobStatus = QStringLiteral("CANCELED");
    r.abortedAtS = 191;
    r.samples = {sampleAt(60, 9950, 12, 21, 2, 0, 50, "wave 1"), sampleAt(120, 9900, 12, 52, 6, 0, 50, "wave 1"),
                 sampleAt(180, 9870, 14, 85, 9, 0, 50, "wave 1"), sampleAt(240, 0, 0, 106, 11, 9883, 0, "wave 1")};
    RolloutViewModel model;
    model.reset(QStringLiteral("aws-jobs"));
    model.setResult(r, 251);
    EXPECT_EQ(model.peak(ExecutionState::Succeeded), 106);
    EXPECT_EQ(model.peak(ExecutionState::Queued), 9950);

    RolloutView view;
    view.resize(900, 500);
    view.apply(model);
    ASSERT_EQ(view.scale(), RolloutChartScale::Outcomes) << "Outcomes is the default";
    EXPECT_TRUE(view.scaleButton(RolloutChartScale::Outcomes)->isChecked());
    EXPECT_FALSE(view.executionSeries(ExecutionState::Queued)->isVisible());
    EXPECT_FALSE(view.executionSeries(ExecutionState::Canceled)->isVisible());
    EXPECT_TRUE(view.executionSeries(ExecutionState::Succeeded)->isVisible());
    EXPECT_TRUE(view.executionSeries(ExecutionState::Failed)->isVisible());
    EXPECT_GE(view.executionsAxis()->max(), 106);
    EXPECT_LE(view.executionsAxis()->max(), 200) << "the outcomes' own scale";
    EXPECT_NE(view.table()->item(int(ExecutionState::Canceled), 1)->foreground(), view.table()->item(int(ExecutionState::Failed), 1)->foreground())
        << "the rows of the states not drawn are greyed";
    // Steps: FAILED 2 → 6 → 9 → 11 holds between samples (a vertical at each sample, no slope).
    const QList<QPointF> failed = view.executionSeries(ExecutionState::Failed)->points();
    const QList<QPointF> steps{{1, 2}, {2, 2}, {2, 6}, {3, 6}, {3, 9}, {4, 9}, {4, 11}};
    EXPECT_EQ(failed, steps);
    EXPECT_DOUBLE_EQ(view.abortSeries()->at(1).y(), view.executionsAxis()->max()) << "the abort marker spans the plot";

    // Failures: FAILED alone (TIMED_OUT and REJECTED never held a thing), on its own scale.
    QSignalSpy scaleChanges(&view, &RolloutView::scaleChanged);
    view.scaleButton(RolloutChartScale::Failures)->click();
    ASSERT_EQ(scaleChanges.count(), 1);
    ASSERT_EQ(view.scale(), RolloutChartScale::Failures);
    view.apply(model);  // same revision: the scale change alone redraws
    EXPECT_FALSE(view.executionSeries(ExecutionState::Succeeded)->isVisible());
    EXPECT_TRUE(view.executionSeries(ExecutionState::Failed)->isVisible());
    EXPECT_GE(view.executionsAxis()->max(), 11);
    EXPECT_LE(view.executionsAxis()->max(), 20);

    // All states: the fleet's scale, QUEUED and CANCELED drawn.
    view.setScale(RolloutChartScale::AllStates);
    EXPECT_TRUE(view.scaleButton(RolloutChartScale::AllStates)->isChecked());
    EXPECT_FALSE(view.scaleButton(RolloutChartScale::Failures)->isChecked());
    view.apply(model);
    EXPECT_TRUE(view.executionSeries(ExecutionState::Queued)->isVisible());
    EXPECT_TRUE(view.executionSeries(ExecutionState::Canceled)->isVisible());
    EXPECT_GE(view.executionsAxis()->max(), 9950);
    EXPECT_EQ(view.table()->item(int(ExecutionState::Canceled), 1)->foreground(), view.table()->item(int(ExecutionState::Failed), 1)->foreground());

    EXPECT_TRUE(view.findChild<QLabel*>(QStringLiteral("rolloutKey"))->text().contains(QStringLiteral("rate")));
    if (const QByteArray shot = qgetenv("OTALAB_SCREENSHOT_DIR"); !shot.isEmpty()) {  // pictures for people, not checked
        view.show();
        for (const auto& [scale, name] : {std::pair{RolloutChartScale::Outcomes, "outcomes"}, std::pair{RolloutChartScale::Failures, "failures"},
                                          std::pair{RolloutChartScale::AllStates, "all-states"}}) {
            view.setScale(scale);
            view.apply(model);
            view.grab().save(QString::fromLocal8Bit(shot) + QStringLiteral("/gui_rollout_view_%1.png").arg(QLatin1String(name)));
        }
        view.setScale(RolloutChartScale::AllStates);
    }

    // A hawkBit job has no rate: no rate line in the key.
    for (sim::RolloutSample& sample : r.samples)
        sample.ratePerMinute = 0;
    r.policy = QStringLiteral("hawkbit");
    model.setResult(r, 251);
    view.apply(model);
    EXPECT_FALSE(view.findChild<QLabel*>(QStringLiteral("rolloutKey"))->text().contains(QStringLiteral("rate"))) << view.findChild<QLabel*>(QStringLiteral("rolloutKey"))->text().toStdString();
}

TEST(GuiRolloutView, CompareRowsGiveJobStatusAbortMomentAndEndCounts)
{
    sim::RunResult a, b, none;
    a.rollout = abortedRollout();
    b.rollout = abortedRollout();
    b.rollout->jobStatus = QStringLiteral("COMPLETED");
    b.rollout->abortedAtS.reset();
    b.rollout->samples.back().executions[std::size_t(ExecutionState::Succeeded)] = 113;
    b.rollout->samples.back().executions[std::size_t(ExecutionState::Canceled)] = 0;
    std::vector<CompareRow> rows;
    appendRolloutRows(rows, none, none);
    EXPECT_TRUE(rows.empty()) << "no rollout in either run: no rows";
    appendRolloutRows(rows, a, b);
    ASSERT_GE(rows.size(), 4u);
    EXPECT_TRUE(rows[0].heading);
    const auto row = [&](const QString& figure) {
        for (const CompareRow& r : rows)
            if (r.figure == figure)
                return r;
        ADD_FAILURE() << "no row " << figure.toStdString();
        return CompareRow{};
    };
    EXPECT_EQ(row(QStringLiteral("job status")).a, QStringLiteral("CANCELED"));
    EXPECT_EQ(row(QStringLiteral("job status")).b, QStringLiteral("COMPLETED"));
    EXPECT_TRUE(row(QStringLiteral("job status")).differs);
    EXPECT_EQ(row(QStringLiteral("abort moment")).a, QStringLiteral("2 h 14 min"));
    EXPECT_EQ(row(QStringLiteral("abort moment")).b, QStringLiteral("\u2014"));
    EXPECT_TRUE(row(QStringLiteral("abort moment")).tipA.startsWith(QStringLiteral("FAILED 5.8 %")));
    EXPECT_EQ(row(QStringLiteral("executions SUCCEEDED at the end")).difference, QStringLiteral("+10"));
    EXPECT_EQ(row(QStringLiteral("executions CANCELED at the end")).difference, QStringLiteral("-10"));
    EXPECT_EQ(row(QStringLiteral("executions FAILED at the end")).difference, QStringLiteral("same"));
}
