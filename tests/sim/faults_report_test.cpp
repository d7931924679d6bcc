// SPDX-License-Identifier: Apache-2.0
// The "Faults and attacks" parts of the report: HTML section (green "accepted: 0" line, or
// the accepted attacks in red at the top; counts per kind; a row per fault), report.json
// members, faults.csv / attacks.csv beside the others, the CLI summary lines — and a run
// without faults keeps its report unchanged.
#include "report_test_support.h"

#include "sim/report/faultscsv.h"
#include "sim/report/faultshtml.h"
#include "sim/report/faultssummary.h"
#include "sim/report/reporthtml.h"
#include "sim/report/reportjson.h"
#include "sim/report/reportwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace {

using namespace otalab::sim;

RunResult withFaults(bool accepted)
{
    RunResult r = reporttest::sampleRunResult();
    r.faults.push_back(FaultResult{QStringLiteral("cut-1"), QStringLiteral("powerLoss"), QStringLiteral("a"), QStringLiteral("0x0002"), 57.5,
                                   QStringLiteral("power off 10 s at flash write 57 of 300"), QStringLiteral("booted 1.0.0; resumed at block 57"),
                                   QStringLiteral("upgraded 2.0.0"), true, {}});
    r.faults.push_back(FaultResult{QStringLiteral("crash"), QStringLiteral("serverCrash"), QStringLiteral("a"), QStringLiteral("server"), 120.0,
                                   QStringLiteral("server down 30 s"), QStringLiteral("sessions lost, clients resumed"), {}, false, {}});
    r.faults.push_back(FaultResult{QStringLiteral("late"), QStringLiteral("powerLoss"), QStringLiteral("a"), QStringLiteral("0x0003"), std::nullopt,
                                   {}, {}, QStringLiteral("upgraded 2.0.0"), false, QStringLiteral("finished before write 400")});
    for (int i = 0; i < 3; ++i)
        r.attacks.push_back(AttackResult{QStringLiteral("tamper"), QStringLiteral("tamperedImage"), QStringLiteral("a"),
                                         QStringLiteral("0x000%1").arg(i + 2), 30.0 + i, false, QStringLiteral("signature does not verify")});
    r.attacks.push_back(AttackResult{QStringLiteral("old"), QStringLiteral("downgrade"), QStringLiteral("a"), QStringLiteral("0x0004"), 40.0,
                                     accepted, accepted ? QStringLiteral("took 0.9.0 <script>") : QStringLiteral("version 0.9.0 < 1.0.0")});
    return r;
}

QString read(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

TEST(FaultsReport, SummaryCountsAndCliLines)
{
    const RunResult r = withFaults(false);
    const auto s = summarizeFaults(r);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->injected, 3);
    EXPECT_EQ(s->fired, 2);
    EXPECT_EQ(s->recovered, 1);
    EXPECT_EQ(s->tried, 4);
    EXPECT_EQ(s->rejected, 4);
    EXPECT_EQ(s->accepted, 0);
    EXPECT_EQ(s->attackedDevices, 3);
    ASSERT_EQ(s->faultKinds.size(), 2u);
    EXPECT_EQ(s->faultKinds[0].kind, "powerLoss");
    EXPECT_EQ(s->faultKinds[0].orders, 2);
    EXPECT_EQ(faultsSummaryLines(r), (QStringList{QStringLiteral("faults: 3 injected, 2 fired, 1 recovered"),
                                                  QStringLiteral("attacks: 4 tried, 4 rejected, accepted: 0")}));
    EXPECT_EQ(faultsSummaryLines(withFaults(true)).last(), "attacks: 4 tried, 3 rejected, accepted: 1");
    EXPECT_TRUE(faultsSummaryLines(reporttest::sampleRunResult()).isEmpty());
}

TEST(FaultsReport, HtmlSectionGreenWhenNothingAccepted)
{
    const QString h = faultsHtml(withFaults(false));
    EXPECT_TRUE(h.startsWith("<h2>Faults and attacks</h2>"));
    EXPECT_TRUE(h.contains("attacks: 4 tried on 3 devices — accepted: 0"));
    EXPECT_FALSE(h.contains("accepted — devices took"));
    EXPECT_TRUE(h.contains("<td>cut-1</td><td>powerLoss</td><td>a / 0x0002</td>"));
    EXPECT_TRUE(h.contains("power off 10 s at flash write 57 of 300"));
    EXPECT_TRUE(h.contains("finished before write 400"));   // the never-fired row says why
    EXPECT_TRUE(h.contains("✓"));
    EXPECT_TRUE(h.contains("✗"));
    EXPECT_TRUE(h.contains("<th>fault</th><th>injected</th><th>fired</th><th>recovered</th>"));
    EXPECT_TRUE(reportHtml(withFaults(false)).contains("<h2>Faults and attacks</h2>"));
    EXPECT_FALSE(reportHtml(reporttest::sampleRunResult()).contains("Faults and attacks"));
}

TEST(FaultsReport, AcceptedAttacksInRedAtTheTop)
{
    const QString h = faultsHtml(withFaults(true));
    const qsizetype red = h.indexOf("1 attack(s) accepted");
    ASSERT_GT(red, 0);
    EXPECT_LT(red, h.indexOf("<th>fault</th>"));
    EXPECT_TRUE(h.contains("took 0.9.0 &lt;script&gt;"));   // escaped
    EXPECT_FALSE(h.contains("accepted: 0"));
}

TEST(FaultsReport, JsonAndCsvFilesBesideTheOthers)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const auto written = writeReport(withFaults(true), dir.path());
    ASSERT_TRUE(written) << written.error().toString().toStdString();
    QStringList names;
    for (const QString& f : *written)
        names << QFileInfo(f).fileName();
    EXPECT_TRUE(names.contains("faults.csv"));
    EXPECT_TRUE(names.contains("attacks.csv"));
    EXPECT_EQ(names.last(), "report.html");
    const QString faults = read(dir.filePath("faults.csv"));
    EXPECT_TRUE(faults.startsWith("id,kind,fleet,target,at_s,detail,effect,outcome,recovered,not_fired_reason\n"));
    EXPECT_TRUE(faults.contains("cut-1,powerLoss,a,0x0002,57.5,power off 10 s at flash write 57 of 300,booted 1.0.0; resumed at block 57,upgraded 2.0.0,1,\n"));
    EXPECT_TRUE(faults.contains("late,powerLoss,a,0x0003,,,,upgraded 2.0.0,0,finished before write 400\n"));
    const QString attacks = read(dir.filePath("attacks.csv"));
    EXPECT_TRUE(attacks.contains("old,downgrade,a,0x0004,40,1,took 0.9.0 <script>\n"));
    EXPECT_EQ(attacks.count('\n'), 5);

    const QJsonObject j = reportToJson(withFaults(true));
    ASSERT_EQ(j.value("faults").toArray().size(), 3);
    EXPECT_TRUE(j.value("faults").toArray().at(2).toObject().value("atS").isNull());
    EXPECT_EQ(j.value("attacks").toArray().at(3).toObject().value("accepted").toBool(), true);
    const QJsonObject counts = j.value("faultCounts").toObject();
    EXPECT_EQ(counts.value("accepted").toInt(), 1);
    EXPECT_EQ(counts.value("recovered").toInt(), 1);
    EXPECT_EQ(counts.value("attackKinds").toArray().size(), 2);

    // Without faults: no files, no members.
    QTemporaryDir plain;
    const auto none = writeReport(reporttest::sampleRunResult(), plain.path());
    ASSERT_TRUE(none);
    EXPECT_FALSE(QFile::exists(plain.filePath("faults.csv")));
    EXPECT_FALSE(QFile::exists(plain.filePath("attacks.csv")));
    EXPECT_FALSE(reportToJson(reporttest::sampleRunResult()).contains("faults"));
}

} // namespace
