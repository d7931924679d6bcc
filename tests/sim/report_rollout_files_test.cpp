// SPDX-License-Identifier: Apache-2.0
// The report of a run under a rollout policy: rollout.csv, rollout-executions.svg, the
// Rollout section of report.html with the abort line, devices.csv execution columns,
// report.json's "rollout" object and its reader, the CLI / markdown summaries — and a run
// without a rollout keeps its files as they were.
#include "fleetrun_rollout_test_support.h"
#include "report_test_support.h"

#include "sim/report/reportcsv.h"
#include "sim/report/reporthtml.h"
#include "sim/report/reportjson.h"
#include "sim/report/reportwriter.h"
#include "sim/report/rolloutcsv.h"
#include "sim/report/rolloutjson.h"
#include "sim/report/rolloutplots.h"
#include "sim/report/rolloutsummary.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

namespace otalab::sim {
namespace {

using namespace rollouttest;

// 30 devices at 1/s, devices 3 (failed) and 11 (rolled back) trip a 15 % FAILED abort at
// 21.5 s: by then devices 0..20 had started, 2 had failed or rolled back.
RunResult abortedRun()
{
    FakeRun run;
    FakeProgram p = uniformProgram(30, 0, Attempt{0.5, 10, FleetPhase::Upgraded});
    p.attempts[3][0].outcome = FleetPhase::Failed;
    p.attempts[11][0].outcome = FleetPhase::RolledBack;
    run.programs = {p};
    ScenarioConfig c = baseScenario(3600, 5);
    rollout::RolloutPolicyConfig policy;
    policy.order = QStringLiteral("index");
    policy.rollout.maximumPerMinute = 60;
    policy.abort.push_back({rollout::FailureType::Failed, QStringLiteral("CANCEL"), 15, 10});
    c.rollout = policy;
    auto built = run.build(c);
    EXPECT_TRUE(built);
    (*built)->run();
    return (*built)->result();
}

// hawkBit: a 10 % canary that must fully succeed, then the rest.
RunResult hawkbitRun()
{
    FakeRun run;
    run.programs = {uniformProgram(20, 0, Attempt{1, 30, FleetPhase::Upgraded})};
    ScenarioConfig c = baseScenario(3600, 10);
    rollout::RolloutPolicyConfig policy;
    policy.kind = rollout::PolicyKind::Hawkbit;
    policy.order = QStringLiteral("index");
    policy.groups = {{QStringLiteral("canary"), 10, 100, std::nullopt}, {QStringLiteral("everyone"), 100, 50, std::nullopt}};
    c.rollout = policy;
    auto built = run.build(c);
    EXPECT_TRUE(built) << (built ? std::string() : built.error().toString().toStdString());
    (*built)->run();
    return (*built)->result();
}

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool wellFormed(const QString& xml)
{
    QXmlStreamReader reader(xml);
    while (!reader.atEnd())
        reader.readNext();
    return !reader.hasError();
}

TEST(ReportRollout, FilesOfAnAbortedRollout)
{
    const RunResult r = abortedRun();
    ASSERT_TRUE(r.rollout && r.rollout->abortedAtS);
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const auto written = writeReport(r, dir.path());
    ASSERT_TRUE(written) << written.error().toString().toStdString();
    QStringList names;
    for (const QString& path : *written)
        names << QFileInfo(path).fileName();
    EXPECT_TRUE(names.contains(QStringLiteral("rollout.csv")));
    EXPECT_TRUE(names.contains(QStringLiteral("rollout-executions.svg")));
    EXPECT_EQ(names.last(), QStringLiteral("report.html"));

    const QString html = readText(dir.filePath(QStringLiteral("report.html")));
    EXPECT_TRUE(html.contains(QStringLiteral("<h2>Rollout</h2>")));
    EXPECT_TRUE(html.contains(QStringLiteral("21 devices had started, 2 had failed or rolled back"))) << "abort line missing";
    EXPECT_TRUE(html.contains(QStringLiteral("Job executions per state over time")));
    EXPECT_TRUE(html.contains(QStringLiteral("at 21.5 s")));

    const QString svg = readText(dir.filePath(QStringLiteral("rollout-executions.svg")));
    EXPECT_TRUE(wellFormed(svg));
    EXPECT_TRUE(svg.contains(QStringLiteral("data-name=\"succeeded\"")));
    EXPECT_TRUE(svg.contains(QStringLiteral("data-name=\"canceled\"")));
    EXPECT_TRUE(svg.contains(QStringLiteral("data-name=\"notification rate\"")));
    EXPECT_TRUE(svg.contains(QStringLiteral("abort 21.5 s")));

    const QStringList csv = readText(dir.filePath(QStringLiteral("rollout.csv"))).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    EXPECT_EQ(csv.first(), QStringLiteral("time_s,queued,in_progress,succeeded,failed,timed_out,rejected,removed,canceled,notified,"
                                          "rate_per_minute,group"));
    EXPECT_EQ(std::size_t(csv.size()), r.rollout->samples.size() + 1);
    EXPECT_TRUE(csv[1].startsWith(QStringLiteral("5,"))) << csv[1].toStdString();

    const QStringList devices = readText(dir.filePath(QStringLiteral("devices.csv"))).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    EXPECT_TRUE(devices.first().endsWith(QStringLiteral("failure_reason,execution,execution_number"))) << devices.first().toStdString();
    EXPECT_TRUE(devices[1].endsWith(QStringLiteral(",SUCCEEDED,1"))) << devices[1].toStdString();
    // Never notified: canceled under execution number 0.
    EXPECT_TRUE(devices[30].endsWith(QStringLiteral(",CANCELED,0"))) << devices[30].toStdString();
}

TEST(ReportRollout, SummariesNameTheAbort)
{
    const RunResult r = abortedRun();
    const auto s = summarizeRollout(r);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->targeted, 30);
    EXPECT_EQ(s->startedByAbort, 21);
    EXPECT_EQ(s->failedByAbort, 2);
    EXPECT_EQ(s->started, 21);
    EXPECT_EQ(s->failedOrRolledBack, 2);
    const QStringList lines = rolloutSummaryLines(r);
    ASSERT_EQ(lines.size(), 2);
    EXPECT_TRUE(lines[0].startsWith(QStringLiteral("rollout: aws-jobs job CANCELED over a (30 devices): "))) << lines[0].toStdString();
    EXPECT_TRUE(lines[1].startsWith(QStringLiteral("abort at 21.5 s: "))) << lines[1].toStdString();
    EXPECT_TRUE(lines[1].endsWith(QStringLiteral("; by the abort, 21 devices had started, 2 had failed or rolled back")));
    const QString md = rolloutMarkdown(r);
    EXPECT_TRUE(md.startsWith(QStringLiteral("## Rollout\n")));
    EXPECT_TRUE(md.contains(QStringLiteral("- By the abort, 21 devices had started, 2 had failed or rolled back\n")));
    EXPECT_TRUE(md.contains(QStringLiteral("- Executions at the abort: queued 9 · in progress 9 · succeeded 10 · failed 2\n")))
        << md.toStdString();
}

TEST(ReportRollout, GroupsTable)
{
    const RunResult r = hawkbitRun();
    ASSERT_TRUE(r.rollout);
    ASSERT_EQ(r.rollout->groups.size(), 2u);
    EXPECT_EQ(r.rollout->jobStatus, QStringLiteral("COMPLETED"));
    const QString html = reportHtml(r);
    EXPECT_TRUE(html.contains(QStringLiteral("<tr><td>canary</td><td class=\"num\">2</td>"))) << "groups table";
    EXPECT_TRUE(html.contains(QStringLiteral("<tr><td>everyone</td><td class=\"num\">18</td>")));
    const QString svg = rolloutExecutionsSvg(r);
    EXPECT_TRUE(wellFormed(svg));
    EXPECT_TRUE(svg.contains(QStringLiteral(">canary<")));
    EXPECT_TRUE(svg.contains(QStringLiteral(">everyone<")));
    EXPECT_TRUE(rolloutMarkdown(r).contains(QStringLiteral("| canary | 2 | ")));
    EXPECT_EQ(rolloutSummaryLines(r).size(), 1);  // no abort line
}

TEST(ReportRollout, JsonRoundTrip)
{
    const RunResult r = hawkbitRun();
    const RunResult a = abortedRun();
    for (const RunResult* run : {&r, &a}) {
        const QJsonObject report = reportToJson(*run);
        ASSERT_TRUE(report.contains(QStringLiteral("rollout")));
        // Through text, as a reader of report.json sees it.
        const QJsonObject object =
            QJsonDocument::fromJson(QJsonDocument(report).toJson()).object().value(QStringLiteral("rollout")).toObject();
        const auto back = rolloutFromJson(object);
        ASSERT_TRUE(back) << back.error().toString().toStdString();
        const RolloutResult& want = *run->rollout;
        EXPECT_EQ(back->policy, want.policy);
        EXPECT_EQ(back->jobStatus, want.jobStatus);
        EXPECT_EQ(back->targets, want.targets);
        EXPECT_EQ(back->abortedAtS, want.abortedAtS);
        EXPECT_EQ(back->abortReason, want.abortReason);
        EXPECT_EQ(back->executionsAtAbort, want.executionsAtAbort);
        ASSERT_EQ(back->rows.size(), want.rows.size());
        for (std::size_t i = 0; i < want.rows.size(); ++i) {
            EXPECT_EQ(back->rows[i].name, want.rows[i].name);
            EXPECT_EQ(back->rows[i].value, want.rows[i].value);
        }
        ASSERT_EQ(back->groups.size(), want.groups.size());
        for (std::size_t i = 0; i < want.groups.size(); ++i) {
            EXPECT_EQ(back->groups[i].name, want.groups[i].name);
            EXPECT_EQ(back->groups[i].devices, want.groups[i].devices);
            EXPECT_EQ(back->groups[i].startS, want.groups[i].startS);
            EXPECT_EQ(back->groups[i].endS, want.groups[i].endS);
            EXPECT_EQ(back->groups[i].succeeded, want.groups[i].succeeded);
            EXPECT_EQ(back->groups[i].failed, want.groups[i].failed);
            EXPECT_EQ(back->groups[i].endReason, want.groups[i].endReason);
        }
        ASSERT_EQ(back->samples.size(), want.samples.size());
        for (std::size_t i = 0; i < want.samples.size(); ++i) {
            EXPECT_EQ(back->samples[i].timeS, want.samples[i].timeS);
            EXPECT_EQ(back->samples[i].executions, want.samples[i].executions);
            EXPECT_EQ(back->samples[i].notified, want.samples[i].notified);
            EXPECT_EQ(back->samples[i].ratePerMinute, want.samples[i].ratePerMinute);
            EXPECT_EQ(back->samples[i].group, want.samples[i].group);
        }
        // Devices carry their executions.
        const QJsonObject first = report.value(QStringLiteral("devices")).toArray().first().toObject();
        EXPECT_EQ(first.value(QStringLiteral("executionNumber")).toInt(), 1);
    }
    const QJsonObject byAbort = rolloutToJson(a).value(QStringLiteral("byAbort")).toObject();
    EXPECT_EQ(byAbort.value(QStringLiteral("started")).toInt(), 21);
    EXPECT_EQ(byAbort.value(QStringLiteral("failedOrRolledBack")).toInt(), 2);
}

TEST(ReportRollout, JsonReaderNamesTheWrongMember)
{
    QJsonObject o = rolloutToJson(abortedRun());
    QJsonArray samples = o.value(QStringLiteral("samples")).toArray();
    QJsonObject third = samples[2].toObject();
    QJsonArray seven = third.value(QStringLiteral("executions")).toArray();
    seven.removeLast();
    third.insert(QStringLiteral("executions"), seven);
    samples[2] = third;
    o.insert(QStringLiteral("samples"), samples);
    auto e = rolloutFromJson(o);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().field, QStringLiteral("rollout.samples[2].executions"));
    EXPECT_TRUE(e.error().message.contains(QStringLiteral("8 integers")));

    o = rolloutToJson(abortedRun());
    o.insert(QStringLiteral("abortedAtS"), QStringLiteral("soon"));
    e = rolloutFromJson(o);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().toString(), QStringLiteral("rollout.abortedAtS: expected a number or null"));
}

TEST(ReportRollout, RunWithoutRolloutKeepsItsFiles)
{
    const RunResult r = reporttest::sampleRunResult();
    QTemporaryDir dir;
    const auto written = writeReport(r, dir.path());
    ASSERT_TRUE(written);
    for (const QString& path : *written)
        EXPECT_FALSE(QFileInfo(path).fileName().startsWith(QStringLiteral("rollout"))) << path.toStdString();
    EXPECT_FALSE(reportHtml(r).contains(QStringLiteral("Rollout</h2>")));
    EXPECT_FALSE(reportToJson(r).contains(QStringLiteral("rollout")));
    EXPECT_FALSE(reportToJson(r).value(QStringLiteral("devices")).toArray().first().toObject().contains(QStringLiteral("execution")));
    EXPECT_TRUE(QString::fromUtf8(devicesCsv(r)).section(QLatin1Char('\n'), 0, 0).endsWith(QStringLiteral("failure_reason")));
    EXPECT_TRUE(rolloutCsv(r).isEmpty());
    EXPECT_TRUE(rolloutExecutionsSvg(r).isEmpty());
    EXPECT_TRUE(rolloutSummaryLines(r).isEmpty());
    EXPECT_TRUE(rolloutMarkdown(r).isEmpty());
}

} // namespace
} // namespace otalab::sim
