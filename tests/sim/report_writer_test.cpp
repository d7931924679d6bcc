// SPDX-License-Identifier: Apache-2.0
#include "report_test_support.h"
#include "sim/report/axisscale.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/reportcsv.h"
#include "sim/report/reporthtml.h"
#include "sim/report/reportjson.h"
#include "sim/report/reportplots.h"
#include "sim/report/reportwriter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

using namespace otalab::sim;

namespace {

// Well-formed XML check; returns the data-name of every <g class="series">.
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

QStringList csvLines(const QByteArray& csv)
{
    QStringList lines = QString::fromUtf8(csv).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

TEST(ReportSummary, PercentilesCountsAndEnergy)
{
    const FleetSummary s = summarizeRun(reporttest::sampleRunResult());
    EXPECT_EQ(s.devices, 10);
    EXPECT_EQ(s.count(DeviceOutcome::Upgraded), 8);
    EXPECT_EQ(s.count(DeviceOutcome::Failed), 1);
    EXPECT_EQ(s.count(DeviceOutcome::Unfinished), 1);
    // Nearest rank over 8 finish times 100..800 s.
    EXPECT_DOUBLE_EQ(*s.p50, 400);
    EXPECT_DOUBLE_EQ(*s.p90, 800);
    EXPECT_DOUBLE_EQ(*s.p95, 800);
    EXPECT_DOUBLE_EQ(*s.max, 800);
    EXPECT_NEAR(s.updateEnergyJ.mean, 0.55, 1e-12);
    EXPECT_NEAR(s.updateEnergyJ.max, 1.0, 1e-12);
    EXPECT_EQ(s.batteryCapacityMah.value_or(0), 225);
    EXPECT_NEAR(s.updateChargeMah.max, 1.0 / (3.6 * 3.0), 1e-12);
}

TEST(ReportSummary, EmptyRunHasNoPercentiles)
{
    const FleetSummary s = summarizeRun(RunResult{});
    EXPECT_EQ(s.devices, 0);
    EXPECT_FALSE(s.p50);
    EXPECT_EQ(s.updateEnergyJ.max, 0);
}

TEST(ReportJson, ParsesAndCarriesFigures)
{
    const QByteArray bytes = QJsonDocument(reportToJson(reporttest::sampleRunResult())).toJson();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    ASSERT_EQ(error.error, QJsonParseError::NoError) << error.errorString().toStdString();
    const QJsonObject o = doc.object();
    EXPECT_EQ(o[QStringLiteral("seed")].toInt(), 42);
    EXPECT_EQ(o[QStringLiteral("fingerprint")].toString(), QStringLiteral("0123456789abcdef"));
    const QJsonObject fleet = o[QStringLiteral("fleet")].toObject();
    EXPECT_EQ(fleet[QStringLiteral("outcomes")].toObject()[QStringLiteral("upgraded")].toInt(), 8);
    EXPECT_EQ(fleet[QStringLiteral("outcomes")].toObject()[QStringLiteral("failed")].toInt(), 1);
    const QJsonObject completion = fleet[QStringLiteral("completionS")].toObject();
    EXPECT_EQ(completion[QStringLiteral("p50")].toDouble(), 400);
    EXPECT_EQ(completion[QStringLiteral("p90")].toDouble(), 800);
    EXPECT_EQ(completion[QStringLiteral("p99")].toDouble(), 800);
    const QJsonObject energy = fleet[QStringLiteral("energy")].toObject();
    EXPECT_NEAR(energy[QStringLiteral("updateJ")].toObject()[QStringLiteral("mean")].toDouble(), 0.55, 1e-12);
    EXPECT_GT(energy[QStringLiteral("updateMah")].toObject()[QStringLiteral("max")].toDouble(), 0.09);
    const QJsonArray devices = o[QStringLiteral("devices")].toArray();
    ASSERT_EQ(devices.size(), 10);
    EXPECT_EQ(devices[0].toObject()[QStringLiteral("name")].toString(), QStringLiteral("0x0002"));
    EXPECT_TRUE(devices[9].toObject()[QStringLiteral("finishS")].isNull());
    EXPECT_EQ(devices[8].toObject()[QStringLiteral("outcome")].toString(), QStringLiteral("failed"));
}

TEST(ReportJson, HugeSeedIsAString)
{
    RunResult r;
    r.seed = ~std::uint64_t(0);
    EXPECT_EQ(reportToJson(r)[QStringLiteral("seed")].toString(), QStringLiteral("18446744073709551615"));
    EXPECT_TRUE(reportToJson(r)[QStringLiteral("fleet")].toObject()[QStringLiteral("completionS")].toObject()[QStringLiteral("p50")].isNull());
}

TEST(ReportCsv, Escaping)
{
    EXPECT_EQ(csvField(QStringLiteral("plain")), QStringLiteral("plain"));
    EXPECT_EQ(csvField(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
    EXPECT_EQ(csvField(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
    EXPECT_EQ(csvField(QStringLiteral("two\nlines")), QStringLiteral("\"two\nlines\""));
    EXPECT_EQ(csvField(QString()), QString());
}

TEST(ReportCsv, DeviceRows)
{
    const QStringList lines = csvLines(devicesCsv(reporttest::sampleRunResult()));
    ASSERT_EQ(lines.size(), 11);
    EXPECT_EQ(lines[0], QStringLiteral("node,name,fleet,family,role,parent,hops,outcome,start_s,finish_s,failed_at_s,bytes,requests,retries,"
                                       "energy_j,update_energy_j,battery_share,version_before,version_after,failure_reason"));
    EXPECT_TRUE(lines[1].startsWith(QStringLiteral("2,0x0002,,,end-device,0x0001,2,upgraded,10,100,,65536,1310,0,0.2,0.1,")))
        << lines[1].toStdString();
    EXPECT_TRUE(lines[1].endsWith(QStringLiteral(",0x00000001,0x00000002,"))) << lines[1].toStdString();
    EXPECT_TRUE(lines[9].endsWith(QStringLiteral(",\"timeout, after 10 tries: \"\"no response\"\"\""))) << lines[9].toStdString();
    EXPECT_TRUE(lines[10].contains(QStringLiteral(",unfinished,100,,,1000,"))) << lines[10].toStdString();
    for (const QString& line : lines.mid(1, 8))
        EXPECT_EQ(line.count(QLatin1Char(',')), 19) << line.toStdString();
}

TEST(ReportCsv, ProgressRows)
{
    const QStringList lines = csvLines(progressCsv(reporttest::sampleRunResult()));
    ASSERT_EQ(lines.size(), 12);
    EXPECT_EQ(lines[0], QStringLiteral("time_s,upgraded,downloading,failed,waiting,finishing,refused,rolled_back,channel_utilisation"));
    EXPECT_EQ(lines[1], QStringLiteral("0,0,2,0,0,0,0,0,0.05"));
    EXPECT_EQ(lines[11], QStringLiteral("1000,8,1,1,0,0,0,0,0.05"));
}

TEST(ReportPlots, WellFormedWithExpectedSeries)
{
    const RunResult r = reporttest::sampleRunResult();
    QString error;
    EXPECT_EQ(seriesOf(completionCdfSvg(r), &error), QStringList{QStringLiteral("upgraded")}) << error.toStdString();
    EXPECT_EQ(seriesOf(progressSvg(r), &error),
              (QStringList{QStringLiteral("upgraded"), QStringLiteral("downloading"), QStringLiteral("failed")})) << error.toStdString();
    EXPECT_EQ(seriesOf(energySvg(r), &error), QStringList{QStringLiteral("devices")}) << error.toStdString();
    // The scenario name is escaped, the markers and units are there.
    const QString cdf = completionCdfSvg(r);
    EXPECT_TRUE(cdf.contains(QStringLiteral("unit &lt;test&gt; &amp; &quot;quotes&quot;")));
    EXPECT_TRUE(cdf.contains(QStringLiteral("p50 6.7 min")));
    EXPECT_TRUE(cdf.contains(QStringLiteral("virtual time since start (min)")));
    EXPECT_TRUE(energySvg(r).contains(QStringLiteral("update energy (J)")));
}

TEST(ReportPlots, LargeFleetUsesHistogramAndEmptyRunsRender)
{
    RunResult big = reporttest::sampleRunResult();
    for (int i = 0; i < 1000; ++i) {
        DeviceResult d = big.devices[std::size_t(i % 8)];
        d.updateEnergyJ = 1.0 + i * 0.01;
        big.devices.push_back(d);
    }
    QString error;
    EXPECT_EQ(seriesOf(energySvg(big), &error), QStringList{QStringLiteral("histogram")}) << error.toStdString();
    const RunResult empty;
    for (const QString& svg : {completionCdfSvg(empty), progressSvg(empty), energySvg(empty)}) {
        EXPECT_EQ(seriesOf(svg, &error), QStringList{}) << error.toStdString();
        EXPECT_TRUE(svg.contains(QStringLiteral("no ")));
    }
}

TEST(ReportAxis, NiceTicks)
{
    const AxisScale s = AxisScale::nice(0, 87);
    EXPECT_EQ(s.min, 0);
    EXPECT_EQ(s.max, 100);
    EXPECT_EQ(s.step, 20);
    EXPECT_EQ(s.ticks.size(), 6u);
    EXPECT_EQ(AxisScale::nice(0, 0.37).label(0.1), QStringLiteral("0.1"));
    EXPECT_EQ(TimeUnit::forMaximum(100).unit, QStringLiteral("s"));
    EXPECT_EQ(TimeUnit::forMaximum(3000).unit, QStringLiteral("min"));
    EXPECT_EQ(TimeUnit::forMaximum(86400).unit, QStringLiteral("h"));
}

TEST(ReportWriter, WritesEveryFile)
{
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QString out = tmp.filePath(QStringLiteral("nested/report"));
    const auto written = writeReport(reporttest::sampleRunResult(), out);
    ASSERT_TRUE(written) << written.error().toString().toStdString();
    EXPECT_EQ(written->size(), 7);
    for (const char* name : {"report.json", "devices.csv", "progress.csv", "completion-cdf.svg", "progress.svg", "energy.svg", "report.html"}) {
        QFile f(QDir(out).filePath(QLatin1String(name)));
        ASSERT_TRUE(f.open(QIODevice::ReadOnly)) << name;
        EXPECT_GT(f.size(), 100) << name;
    }
    QFile html(QDir(out).filePath(QStringLiteral("report.html")));
    ASSERT_TRUE(html.open(QIODevice::ReadOnly));
    const QString page = QString::fromUtf8(html.readAll());
    EXPECT_EQ(page.count(QStringLiteral("<svg ")), 3);
    EXPECT_FALSE(page.contains(QStringLiteral("<?xml")));
    EXPECT_TRUE(page.contains(QStringLiteral("timeout, after 10 tries: &quot;no response&quot;")));
    EXPECT_TRUE(page.contains(QStringLiteral("Devices that did not upgrade (2)")));
    EXPECT_FALSE(page.contains(QStringLiteral("<script")));
}

TEST(ReportWriter, UnwritableFolderIsAnError)
{
    QTemporaryDir tmp;
    QFile blocker(tmp.filePath(QStringLiteral("file")));
    ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const auto written = writeReport(reporttest::sampleRunResult(), tmp.filePath(QStringLiteral("file/sub")));
    EXPECT_FALSE(written);
}
