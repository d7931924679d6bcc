// SPDX-License-Identifier: Apache-2.0
// The report of a LoRaWAN FUOTA campaign: device attributes as devices.csv columns, the
// campaign on a timeline (lanes, the group outliving the fragments or not), each gateway's
// airtime as shares of its duty-cycle budget, and the two SVG charts.
#include "report_test_support.h"
#include "sim/fleet/fleetrun.h"
#include "sim/report/fleetplots.h"
#include "sim/report/reportcsv.h"
#include "sim/report/reporthtml.h"
#include "sim/report/reportjson.h"
#include "sim/report/reportwriter.h"
#include "sim/scenario/scenarioloader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using namespace otalab::sim;

namespace {

QStringList csvLines(const QByteArray& csv)
{
    QStringList lines = QString::fromUtf8(csv).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

// RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes).
QStringList csvCells(const QString& line)
{
    QStringList cells{QString()};
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted && c == QLatin1Char('"') && i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
            cells.last() += c;
            ++i;
        } else if (c == QLatin1Char('"')) {
            quoted = !quoted;
        } else if (c == QLatin1Char(',') && !quoted) {
            cells << QString();
        } else {
            cells.last() += c;
        }
    }
    return cells;
}

// Well-formed XML check; the data-name of every <g class="series">, or "<invalid>".
QStringList seriesOf(const QString& svg, QString* error = nullptr)
{
    QStringList names;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("g")
            && xml.attributes().value(QLatin1String("class")) == QLatin1String("series"))
            names << xml.attributes().value(QLatin1String("data-name")).toString();
    }
    if (xml.hasError() && error)
        *error = xml.errorString() + QStringLiteral(" at line %1").arg(xml.lineNumber());
    return xml.hasError() ? QStringList{QStringLiteral("<invalid>")} : names;
}

// The bundled demo (1,000 devices, one gateway), whole, with an optional change.
RunResult runDemo(std::optional<double> groupDeleteAfterQueueS = std::nullopt)
{
    auto config = loadScenarioConfigFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/lorawan-demo.json"));
    EXPECT_TRUE(config.has_value()) << (config ? "" : qPrintable(config.error().toString()));
    if (!config)
        return {};
    std::get<LorawanFleetConfig>(config->fleets[0].family).campaign.groupDeleteAfterQueueS = groupDeleteAfterQueueS;
    auto run = FleetRun::build(*config);
    EXPECT_TRUE(run.has_value());
    if (!run)
        return {};
    (*run)->run();
    return (*run)->result();
}

const RunResult& demo()
{
    static const RunResult r = runDemo();
    return r;
}

const RunResult& demoGroupDeletedAfter60s()
{
    static const RunResult r = runDemo(60.0);
    return r;
}

std::vector<TimelineSpan> lane(const FleetFiguresResult& f, const QString& name)
{
    std::vector<TimelineSpan> out;
    std::copy_if(f.timeline.begin(), f.timeline.end(), std::back_inserter(out), [&](const TimelineSpan& t) { return t.lane == name; });
    return out;
}

// Latest end of any span on a "Fragments …" lane (frames sent, and frames still queued).
double lastFragmentEnd(const FleetFiguresResult& f)
{
    double end = 0;
    for (const TimelineSpan& t : f.timeline)
        if (t.lane.startsWith(QLatin1String("Fragments ")))
            end = std::max(end, t.endS);
    return end;
}

double sum(const BudgetBar& b)
{
    return std::accumulate(b.parts.begin(), b.parts.end(), 0.0, [](double s, const auto& p) { return s + p.second; });
}

QString row(const FleetFiguresResult& f, const QString& name)
{
    for (const ResultAttribute& a : f.rows)
        if (a.name == name)
            return a.value;
    return {};
}

} // namespace

TEST(ReportLorawan, CsvColumnNames)
{
    EXPECT_EQ(csvColumnName(QStringLiteral("Fragments received")), QStringLiteral("fragments_received"));
    EXPECT_EQ(csvColumnName(QStringLiteral("Time downloading s")), QStringLiteral("time_downloading_s"));
    EXPECT_EQ(csvColumnName(QStringLiteral("Energy mAh")), QStringLiteral("energy_mah"));
    EXPECT_EQ(csvColumnName(QStringLiteral("Upload throughput kB/s")), QStringLiteral("upload_throughput_kb_s"));
    EXPECT_EQ(csvColumnName(QStringLiteral("  (RSSI) dBm ")), QStringLiteral("rssi_dbm"));
    EXPECT_EQ(csvColumnName(QStringLiteral("--")), QStringLiteral("attribute"));
}

TEST(ReportLorawan, CsvAttributeColumnsUnionInOrderEmptyCellsAndQuoting)
{
    RunResult r = reporttest::sampleRunResult();
    r.devices[0].attributes = {{QStringLiteral("Fragments received"), QStringLiteral("287")},
                               {QStringLiteral("Energy mAh"), QStringLiteral("35.3")}};
    // Lacks "Fragments received", adds a column; a value with a comma and quotes.
    r.devices[1].attributes = {{QStringLiteral("Energy mAh"), QStringLiteral("2")},
                               {QStringLiteral("Note"), QStringLiteral("said \"hi\", twice")}};
    // A name that maps onto a fixed column, and two names onto one column.
    r.devices[2].attributes = {{QStringLiteral("Retries"), QStringLiteral("9")}, {QStringLiteral("Energy (mAh)"), QStringLiteral("3")}};
    const QStringList lines = csvLines(devicesCsv(r));
    ASSERT_EQ(lines.size(), 11);
    EXPECT_EQ(lines[0], QStringLiteral("node,name,fleet,family,role,parent,hops,outcome,start_s,finish_s,failed_at_s,bytes,requests,retries,"
                                       "energy_j,update_energy_j,battery_share,version_before,version_after,failure_reason,"
                                       "fragments_received,energy_mah,note,retries_2,energy_mah_2"));
    EXPECT_TRUE(lines[1].endsWith(QStringLiteral(",0x00000002,,287,35.3,,,"))) << lines[1].toStdString();
    EXPECT_TRUE(lines[2].endsWith(QStringLiteral(",0x00000002,,,2,\"said \"\"hi\"\", twice\",,"))) << lines[2].toStdString();
    EXPECT_TRUE(lines[3].endsWith(QStringLiteral(",,,,9,3"))) << lines[3].toStdString();
    // A device without attributes: every attribute cell empty, the row as wide as the header.
    EXPECT_TRUE(lines[4].endsWith(QStringLiteral(",0x00000002,,,,,,"))) << lines[4].toStdString();
    EXPECT_TRUE(lines[9].endsWith(QStringLiteral(",\"timeout, after 10 tries: \"\"no response\"\"\",,,,,"))) << lines[9].toStdString();
}

TEST(ReportLorawan, DemoCsvHasTheDeviceFigures)
{
    const RunResult& r = demo();
    ASSERT_EQ(r.devices.size(), 1000u);
    const QStringList lines = csvLines(devicesCsv(r));
    ASSERT_EQ(lines.size(), 1001);
    const QStringList header = lines[0].split(QLatin1Char(','));
    for (const char* column : {"fragments_received", "fragments_lost", "fragments_needed", "time_waiting_s", "time_downloading_s",
                               "time_verifying_s", "energy_mah", "best_gateway", "rssi_dbm"})
        EXPECT_TRUE(header.contains(QLatin1String(column))) << column;
    const qsizetype needed = header.indexOf(QStringLiteral("fragments_needed"));
    const qsizetype mah = header.indexOf(QStringLiteral("energy_mah"));
    for (const QString& line : lines.mid(1)) {
        const QStringList cells = csvCells(line);
        ASSERT_EQ(cells.size(), header.size()) << line.toStdString();
        EXPECT_EQ(cells[needed], QStringLiteral("275"));
        EXPECT_GT(cells[mah].toDouble(), 0.0);
    }
}

TEST(ReportLorawan, DemoTimelineHasTheLanesAndTheGroupOutlivesTheFragments)
{
    const RunResult& r = demo();
    ASSERT_EQ(r.fleetFigures.size(), 1u);
    const FleetFiguresResult& f = r.fleetFigures[0];
    QStringList lanes;
    for (const TimelineSpan& t : f.timeline) {
        EXPECT_LE(t.startS, t.endS) << t.lane.toStdString() << " " << t.label.toStdString();
        if (!lanes.contains(t.lane))
            lanes << t.lane;
    }
    EXPECT_EQ(lanes, (QStringList{QStringLiteral("Server"), QStringLiteral("Multicast group"), QStringLiteral("Session window"),
                                  QStringLiteral("Lower bound"), QStringLiteral("Fragments gw-1")}));
    QStringList serverSteps;
    for (const TimelineSpan& t : lane(f, QStringLiteral("Server")))
        serverSteps << t.label;
    EXPECT_EQ(serverSteps, (QStringList{QStringLiteral("unicast setup"), QStringLiteral("wait for session"),
                                        QStringLiteral("session: fragments"), QStringLiteral("status + repair setup"),
                                        QStringLiteral("repair session"), QStringLiteral("clock sync"), QStringLiteral("MIC checks")}));
    // The group lives from the first setup step until the last repair frame is out.
    const auto group = lane(f, QStringLiteral("Multicast group"));
    ASSERT_EQ(group.size(), 1u);
    EXPECT_EQ(group[0].label, QStringLiteral("multicast group"));
    EXPECT_NEAR(group[0].startS, 60.0, 1e-9);
    EXPECT_GE(group[0].endS, lastFragmentEnd(f));
    const auto fragments = lane(f, QStringLiteral("Fragments gw-1"));
    ASSERT_EQ(fragments.size(), 2u);
    EXPECT_EQ(fragments[0].label, QStringLiteral("fragments"));
    EXPECT_EQ(fragments[1].label, QStringLiteral("repair"));
    // The lower bound starts with the session and ends before its last frame (303 frames
    // × 394.5 ms / 1 % = 11,953 s; the session took 12,121 s).
    const auto bound = lane(f, QStringLiteral("Lower bound"));
    ASSERT_EQ(bound.size(), 1u);
    EXPECT_DOUBLE_EQ(bound[0].startS, fragments[0].startS);
    EXPECT_NEAR(bound[0].endS - bound[0].startS, 11'953.2, 1.0);
    EXPECT_GT(fragments[0].endS, bound[0].endS);
    EXPECT_NEAR(fragments[0].endS - fragments[0].startS, 12'120.5, 1.0);
    // The class C windows (TimeOut 15: 32,768 s, drawn up to the run's end) cover the
    // session's and the repair's frames.
    const auto windows = lane(f, QStringLiteral("Session window"));
    ASSERT_EQ(windows.size(), 2u);
    EXPECT_EQ(windows[0].label, QStringLiteral("class C session window"));
    EXPECT_DOUBLE_EQ(windows[0].startS, fragments[0].startS);
    EXPECT_DOUBLE_EQ(windows[0].endS, std::min(r.endTimeS, windows[0].startS + 32'768.0));
    EXPECT_GE(windows[0].endS, fragments[0].endS);
    EXPECT_EQ(windows[1].label, QStringLiteral("repair window"));
    EXPECT_GE(windows[1].endS, fragments[1].endS);
}

TEST(ReportLorawan, GroupDeletedSixtySecondsAfterQueueingEndsBeforeTheFragments)
{
    const RunResult& r = demoGroupDeletedAfter60s();
    ASSERT_EQ(r.fleetFigures.size(), 1u);
    const FleetFiguresResult& f = r.fleetFigures[0];
    const auto group = lane(f, QStringLiteral("Multicast group"));
    ASSERT_EQ(group.size(), 1u);
    const auto fragments = lane(f, QStringLiteral("Fragments gw-1"));
    ASSERT_EQ(fragments.size(), 2u);
    // Sent: a couple of frames; queued, never sent: the rest, ~3.3 h past the group's end.
    EXPECT_EQ(fragments[1].label, QStringLiteral("queued, never sent (group deleted)"));
    EXPECT_DOUBLE_EQ(fragments[1].startS, group[0].endS);
    EXPECT_NEAR(group[0].endS - fragments[0].startS, 60.0, 1e-6);
    EXPECT_LT(group[0].endS, lastFragmentEnd(f));
    EXPECT_GT(lastFragmentEnd(f) - group[0].endS, 3 * 3600.0);
    EXPECT_EQ(r.count(DeviceOutcome::Upgraded), 0);
}

TEST(ReportLorawan, BudgetsSumAtMostOneAndMatchTheFleetRows)
{
    for (const RunResult* r : {&demo(), &demoGroupDeletedAfter60s()}) {
        ASSERT_EQ(r->fleetFigures.size(), 1u);
        const FleetFiguresResult& f = r->fleetFigures[0];
        // One gateway in two sub-bands: 868.1 MHz (multicast and RX1, 1 %), 869.525 MHz (RX2, 10 %).
        ASSERT_EQ(f.budgets.size(), 2u);
        EXPECT_EQ(f.budgets[0].name, QStringLiteral("gw-1 · 868.1 MHz band (1 %)"));
        EXPECT_EQ(f.budgets[1].name, QStringLiteral("gw-1 · 869.525 MHz band (10 %)"));
        for (const BudgetBar& b : f.budgets) {
            ASSERT_EQ(b.parts.size(), 2u);
            EXPECT_EQ(b.parts[0].first, QStringLiteral("multicast"));
            EXPECT_EQ(b.parts[1].first, QStringLiteral("unicast"));
            for (const auto& [name, share] : b.parts)
                EXPECT_GE(share, 0.0) << name.toStdString();
            EXPECT_LE(sum(b), 1.0) << b.name.toStdString();
            EXPECT_GT(sum(b), 0.0) << b.name.toStdString();
        }
        EXPECT_EQ(f.budgets[1].parts[0].second, 0.0);   // no multicast on RX2's band
        // The row: "… 63.0 % of the 1 % budget since the campaign began" for the multicast band.
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("([0-9.]+) % of the 1 % budget")).match(row(f, QStringLiteral("gw-1 airtime")));
        ASSERT_TRUE(m.hasMatch()) << row(f, QStringLiteral("gw-1 airtime")).toStdString();
        EXPECT_NEAR(sum(f.budgets[0]) * 100.0, m.captured(1).toDouble(), 0.05);
        const QRegularExpressionMatch mc =
            QRegularExpression(QStringLiteral("multicast ([0-9.]+) s")).match(row(f, QStringLiteral("gw-1 airtime")));
        ASSERT_TRUE(mc.hasMatch());
        const double campaignS = r->endTimeS - 60.0;
        EXPECT_NEAR(f.budgets[0].parts[0].second * campaignS * 0.01, mc.captured(1).toDouble(), 0.05);
    }
    // Measured: the demo's gateway spends 23 % of the 1 % budget on multicast and 40 % on
    // RX1 downlinks; RX2 takes 24 % of the 10 % band.
    const FleetFiguresResult& f = demo().fleetFigures[0];
    EXPECT_NEAR(f.budgets[0].parts[0].second, 0.232, 0.005);
    EXPECT_NEAR(f.budgets[0].parts[1].second, 0.398, 0.005);
    EXPECT_NEAR(f.budgets[1].parts[1].second, 0.244, 0.005);
}

TEST(ReportLorawan, ChartsAreWellFormedAndCarryTheSeries)
{
    const RunResult& r = demo();
    const FleetFiguresResult& f = r.fleetFigures[0];
    QString error;
    const QString timeline = campaignTimelineSvg(r, f);
    EXPECT_EQ(seriesOf(timeline, &error),
              (QStringList{QStringLiteral("unicast setup"), QStringLiteral("wait for session"), QStringLiteral("session: fragments"),
                           QStringLiteral("status + repair setup"), QStringLiteral("repair session"), QStringLiteral("clock sync"),
                           QStringLiteral("MIC checks"), QStringLiteral("multicast group"), QStringLiteral("class C session window"),
                           QStringLiteral("repair window"), QStringLiteral("airtime / duty cycle"),
                           QStringLiteral("fragments"), QStringLiteral("repair")}))
        << error.toStdString();
    EXPECT_TRUE(timeline.contains(QStringLiteral("virtual time (h)")));
    EXPECT_TRUE(timeline.contains(QStringLiteral("last device final 15.64 h")));
    for (const char* lane : {">Server<", ">Multicast group<", ">Session window<", ">Lower bound<", ">Fragments gw-1<"})
        EXPECT_TRUE(timeline.contains(QLatin1String(lane))) << lane;
    const QString budget = transmitBudgetSvg(f);
    EXPECT_EQ(seriesOf(budget, &error), (QStringList{QStringLiteral("multicast"), QStringLiteral("unicast")})) << error.toStdString();
    EXPECT_TRUE(budget.contains(QStringLiteral("gw-1 · 868.1 MHz band (1 %)")));
    // The total after each stacked bar.
    EXPECT_TRUE(budget.contains(QStringLiteral(">%1 %<").arg(sum(f.budgets[0]) * 100.0, 0, 'f', 1))) << budget.toStdString();
    // The deleted-group run draws the queued frames as their own series.
    EXPECT_TRUE(seriesOf(campaignTimelineSvg(demoGroupDeletedAfter60s(), demoGroupDeletedAfter60s().fleetFigures[0]), &error)
                    .contains(QStringLiteral("queued, never sent (group deleted)")))
        << error.toStdString();
}

TEST(ReportLorawan, ManyBudgetBarsShowTheBusiestAndCountTheRest)
{
    FleetFiguresResult f;
    f.fleet = QStringLiteral("national");
    for (int g = 0; g < 30; ++g)
        f.budgets.push_back({QStringLiteral("gw-%1").arg(g + 1), {{QStringLiteral("multicast"), 0.01 * g}, {QStringLiteral("unicast"), 0.1}}});
    const QString svg = transmitBudgetSvg(f);
    QString error;
    EXPECT_EQ(seriesOf(svg, &error), (QStringList{QStringLiteral("multicast"), QStringLiteral("unicast")})) << error.toStdString();
    EXPECT_TRUE(svg.contains(QStringLiteral("the 20 busiest of 30 shown, 10 more"))) << svg.toStdString();
    EXPECT_TRUE(svg.contains(QStringLiteral(">gw-30<")));
    EXPECT_FALSE(svg.contains(QStringLiteral(">gw-10<")));   // 0.19: the 11th least busy
    EXPECT_TRUE(svg.contains(QStringLiteral(">gw-11<")));
}

TEST(ReportLorawan, JsonHtmlAndFilesOnlyForAFleetWithTimelineOrBudgets)
{
    const RunResult& r = demo();
    const QJsonObject figures = reportToJson(r)[QStringLiteral("fleetFigures")].toArray()[0].toObject();
    const QJsonArray timeline = figures[QStringLiteral("timeline")].toArray();
    ASSERT_EQ(timeline.size(), qsizetype(r.fleetFigures[0].timeline.size()));
    EXPECT_EQ(timeline[0].toObject()[QStringLiteral("lane")].toString(), QStringLiteral("Server"));
    EXPECT_NEAR(timeline[0].toObject()[QStringLiteral("startS")].toDouble(), 60.0, 1e-9);
    const QJsonArray budgets = figures[QStringLiteral("budgets")].toArray();
    ASSERT_EQ(budgets.size(), 2);
    const QJsonArray parts = budgets[0].toObject()[QStringLiteral("parts")].toArray();
    EXPECT_EQ(parts[0].toObject()[QStringLiteral("name")].toString(), QStringLiteral("multicast"));
    EXPECT_DOUBLE_EQ(parts[0].toObject()[QStringLiteral("share")].toDouble(), r.fleetFigures[0].budgets[0].parts[0].second);
    const QString html = reportHtml(r);
    EXPECT_TRUE(html.contains(QStringLiteral("Campaign timeline — fleet sensors")));
    EXPECT_TRUE(html.contains(QStringLiteral("Airtime against the duty-cycle budget — fleet sensors")));

    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const auto written = writeReport(r, tmp.path());
    ASSERT_TRUE(written) << written.error().toString().toStdString();
    EXPECT_EQ(written->size(), 9);
    for (const char* name : {"campaign-timeline.svg", "gateway-airtime.svg"}) {
        QFile file(QDir(tmp.path()).filePath(QLatin1String(name)));
        ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << name;
        QString error;
        EXPECT_NE(seriesOf(QString::fromUtf8(file.readAll()), &error), QStringList{QStringLiteral("<invalid>")}) << name << error.toStdString();
    }

    // A fleet without them: no keys, no charts, no files.
    const RunResult plain = reporttest::sampleRunResult();
    RunResult withRows = plain;
    withRows.fleetFigures.push_back({QStringLiteral("f"), QStringLiteral("x"), {{QStringLiteral("a"), QStringLiteral("b")}}, {}, {}});
    const QJsonObject o = reportToJson(withRows)[QStringLiteral("fleetFigures")].toArray()[0].toObject();
    EXPECT_FALSE(o.contains(QStringLiteral("timeline")));
    EXPECT_FALSE(o.contains(QStringLiteral("budgets")));
    EXPECT_FALSE(reportHtml(withRows).contains(QStringLiteral("Campaign timeline")));
    std::vector<std::pair<QString, QByteArray>> files;
    appendFleetCharts(withRows, files);
    EXPECT_TRUE(files.empty());
}
