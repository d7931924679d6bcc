// SPDX-License-Identifier: Apache-2.0
// Sweep plots (sweepplots.h): the line plot with its p5–p95 band, the heat map, sweep.html;
// SvgHeatMap and the SvgChart band/dots/categories additions. Plans and summaries are built
// by hand with campus-like figures (blockSize 32..64 × pollIntervalMs 2000..8000, p95 in hours).
#include "sim/report/svgchart.h"
#include "sim/report/svgheatmap.h"
#include "sim/sweep/sweepplots.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>

namespace otalab::sim {
namespace {

SweepAxis axis(const QString& path, const QList<QJsonValue>& values)
{
    SweepAxis a;
    a.path = path;
    a.values = values;
    return a;
}

SweepPlan campusPlan(int axes = 2, int seeds = 10)
{
    SweepPlan plan;
    plan.scenario = QJsonObject{{QStringLiteral("name"), QStringLiteral("campus")}};
    plan.scenarioPath = QStringLiteral("resources/scenarios/campus.json");
    plan.baseDir = QStringLiteral("/tmp");
    if (axes >= 1)
        plan.axes << axis(QStringLiteral("$.server.maxBlockDataSize"), {32, 48, 64});
    if (axes >= 2)
        plan.axes << axis(QStringLiteral("$.device.pollIntervalMs"), {2000, 4000, 6000, 8000});
    if (axes >= 3)
        plan.axes << axis(QStringLiteral("$.server.maxConcurrentDownloads"), {10, 30});
    for (int s = 0; s < seeds; ++s)
        plan.seeds.push_back(std::uint64_t(1000 + s));
    return plan;
}

SweepStats spread(double mean, double relative)
{
    SweepStats s;
    s.n = 10;
    s.mean = mean;
    s.p5 = mean * (1 - relative);
    s.p50 = mean * (1 - relative * 0.1);
    s.p95 = mean * (1 + relative * 1.2);
    s.min = s.p5 * 0.98;
    s.max = s.p95 * 1.01;
    s.ciLow = mean * (1 - relative * 0.3);
    s.ciHigh = mean * (1 + relative * 0.3);
    return s;
}

// Campus-like figures: larger blocks and shorter polls finish sooner; energy grows with polls.
std::vector<SweepPointSummary> campusSummary(const SweepPlan& plan, const std::function<bool(std::size_t)>& skip = {})
{
    std::vector<SweepPointSummary> out;
    for (std::size_t p = 0; p < plan.pointCount(); ++p) {
        if (skip && skip(p))
            continue;
        SweepPointSummary s;
        s.pointIndex = int(p);
        s.point = plan.point(int(p));
        s.runs = int(plan.seeds.size());
        const double block = s.point.value(0).toDouble(64);
        const double poll = s.point.size() > 1 ? s.point[1].toDouble() : 4000;
        const double slots = s.point.size() > 2 ? s.point[2].toDouble() : 30;
        const double p95 = 3600 * (2.5 + 0.6 * poll / 1000 * 64 / block) * std::sqrt(30 / slots);
        s.stats[std::size_t(SweepMetric::Devices)] = SweepStats{10, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
        s.stats[std::size_t(SweepMetric::P95S)] = spread(p95, 0.08);
        s.stats[std::size_t(SweepMetric::P50S)] = spread(p95 * 0.55, 0.06);
        s.stats[std::size_t(SweepMetric::EndS)] = spread(p95 * 1.3, 0.1);
        s.stats[std::size_t(SweepMetric::UpgradedPct)] = spread(100 - poll / 4000 * block / 64, 0.004);
        s.stats[std::size_t(SweepMetric::UpdateEnergyJMean)] = spread(0.25 + 0.03 * poll / 1000 + 4 / block, 0.05);
        out.push_back(s);
    }
    return out;
}

void expectWellFormed(const QString& xml)
{
    QXmlStreamReader reader(xml);
    while (!reader.atEnd())
        reader.readNext();
    EXPECT_FALSE(reader.hasError()) << reader.errorString().toStdString() << " at line " << reader.lineNumber();
}

struct Element {
    QString name;
    QXmlStreamAttributes attributes;
    QString text;  // direct text of <text>/<title>
    QString attr(const char* n) const { return attributes.value(QLatin1String(n)).toString(); }
};

// Every element of the document with its attributes; classes of the enclosing <g>s too.
std::vector<Element> elementsOf(const QString& xml)
{
    std::vector<Element> out;
    QXmlStreamReader reader(xml);
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement()) {
            out.push_back({reader.name().toString(), reader.attributes(), {}});
            if (reader.name() == QLatin1String("text") || reader.name() == QLatin1String("title"))
                out.back().text = reader.readElementText(QXmlStreamReader::IncludeChildElements);
        }
    }
    return out;
}

std::vector<Element> withClass(const std::vector<Element>& all, const QString& cls)
{
    std::vector<Element> out;
    for (const Element& e : all)
        if (e.attr("class") == cls)
            out.push_back(e);
    return out;
}

bool hasText(const std::vector<Element>& all, const QString& text)
{
    return std::any_of(all.begin(), all.end(), [&](const Element& e) { return e.name == QLatin1String("text") && e.text == text; });
}

std::vector<QPointF> pathPoints(const QString& d)
{
    std::vector<QPointF> out;
    static const QRegularExpression number(QStringLiteral("-?[0-9.]+"));
    std::vector<double> v;
    for (auto it = number.globalMatch(d); it.hasNext();)
        v.push_back(it.next().captured().toDouble());
    for (std::size_t i = 0; i + 1 < v.size(); i += 2)
        out.emplace_back(v[i], v[i + 1]);
    return out;
}

TEST(SweepPlots, LinePlotOneAxisHasMeanBandAndPointsWithData)
{
    const SweepPlan plan = campusPlan(1);
    const auto summary = campusSummary(plan);
    const QString svg = sweepLinePlotSvg(plan, summary, 0, SweepMetric::P95S);
    expectWellFormed(svg);
    const auto all = elementsOf(svg);
    const auto dots = withClass(all, QStringLiteral("point"));
    ASSERT_EQ(dots.size(), 3u);
    for (const Element& d : dots) {
        const double p5 = d.attr("data-p5").toDouble(), mean = d.attr("data-mean").toDouble(), p95 = d.attr("data-p95").toDouble();
        EXPECT_LE(p5, mean);
        EXPECT_LE(mean, p95);
        EXPECT_EQ(d.attr("data-n"), QStringLiteral("10"));
    }
    EXPECT_EQ(dots[0].attr("data-x"), QStringLiteral("32"));
    EXPECT_EQ(dots[2].attr("data-point"), QStringLiteral("2"));
    EXPECT_DOUBLE_EQ(dots[1].attr("data-mean").toDouble(), summary[1].stats[std::size_t(SweepMetric::P95S)]->mean);
    EXPECT_EQ(withClass(all, QStringLiteral("band")).size(), 1u);
    EXPECT_EQ(withClass(all, QStringLiteral("series")).size(), 1u);
    EXPECT_TRUE(hasText(all, QStringLiteral("mean of 10 seeds")));
    EXPECT_TRUE(hasText(all, QStringLiteral("p5–p95 across seeds")));
    EXPECT_TRUE(hasText(all, QStringLiteral("Completion p95 (h)")));  // 3.3..9.9 h: hours
    EXPECT_TRUE(hasText(all, QStringLiteral("maxBlockDataSize")));
}

// The band is a polygon from p5 (forwards) to p95 (backwards); the mean line lies inside it
// at every x (pixels grow downwards: p95 is above, a smaller y).
TEST(SweepPlots, BandEnclosesTheMeanLine)
{
    const SweepPlan plan = campusPlan(2);
    const QString svg = sweepLinePlotSvg(plan, campusSummary(plan), 1, SweepMetric::P95S);
    QXmlStreamReader reader(svg);
    std::vector<QString> bandPaths, linePaths;
    QString group;
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartElement())
            continue;
        if (reader.name() == QLatin1String("g"))
            group = reader.attributes().value(QLatin1String("class")).toString();
        if (reader.name() == QLatin1String("path") && group == QLatin1String("band"))
            bandPaths.push_back(reader.attributes().value(QLatin1String("d")).toString());
        if (reader.name() == QLatin1String("path") && group == QLatin1String("series"))
            linePaths.push_back(reader.attributes().value(QLatin1String("d")).toString());
    }
    ASSERT_EQ(bandPaths.size(), 3u);  // one per maxBlockDataSize
    ASSERT_EQ(linePaths.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto band = pathPoints(bandPaths[i]);
        const auto line = pathPoints(linePaths[i]);
        ASSERT_EQ(line.size(), 4u);
        ASSERT_EQ(band.size(), 8u);
        for (std::size_t k = 0; k < line.size(); ++k) {
            const QPointF low = band[k], high = band[band.size() - 1 - k];
            EXPECT_DOUBLE_EQ(low.x(), line[k].x());
            EXPECT_DOUBLE_EQ(high.x(), line[k].x());
            EXPECT_GE(low.y(), line[k].y()) << "p5 below the mean";
            EXPECT_LE(high.y(), line[k].y()) << "p95 above the mean";
            EXPECT_GT(low.y(), high.y());
        }
    }
}

TEST(SweepPlots, OneLinePerValueOfTheOtherAxisNamedByIt)
{
    const SweepPlan plan = campusPlan(2);
    const auto all = elementsOf(sweepLinePlotSvg(plan, campusSummary(plan), 0, SweepMetric::UpdateEnergyJMean));
    const auto series = withClass(all, QStringLiteral("series"));
    ASSERT_EQ(series.size(), 4u);
    EXPECT_EQ(series[0].attr("data-name"), QStringLiteral("pollIntervalMs = 2000"));
    EXPECT_EQ(series[3].attr("data-name"), QStringLiteral("pollIntervalMs = 8000"));
    EXPECT_TRUE(hasText(all, QStringLiteral("pollIntervalMs = 6000")));  // legend
    EXPECT_EQ(withClass(all, QStringLiteral("point")).size(), 12u);
    EXPECT_TRUE(hasText(all, QStringLiteral("Update energy per device (mean) (J)")));
}

TEST(SweepPlots, AtMostEightLinesAndANote)
{
    SweepPlan plan = campusPlan(1);
    plan.axes << axis(QStringLiteral("$.seedOffset"), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    const auto all = elementsOf(sweepLinePlotSvg(plan, campusSummary(plan), 0, SweepMetric::P95S));
    EXPECT_EQ(withClass(all, QStringLiteral("series")).size(), 8u);
    EXPECT_EQ(withClass(all, QStringLiteral("point")).size(), 24u);
    EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const Element& e) { return e.text.contains(QStringLiteral("first 8 of 12 lines shown")); }));
}

TEST(SweepPlots, NonNumericAxisIsCategories)
{
    SweepPlan plan = campusPlan(0);
    plan.axes << axis(QStringLiteral("$.channel.loss.kind"), {QStringLiteral("bernoulli"), QStringLiteral("gilbert-elliott"), QStringLiteral("none")});
    const auto summary = campusSummary(plan);
    const auto all = elementsOf(sweepLinePlotSvg(plan, summary, 0, SweepMetric::P95S));
    EXPECT_TRUE(hasText(all, QStringLiteral("gilbert-elliott")));
    EXPECT_TRUE(hasText(all, QStringLiteral("none")));
    const auto dots = withClass(all, QStringLiteral("point"));
    ASSERT_EQ(dots.size(), 3u);
    EXPECT_EQ(dots[1].attr("data-x"), QStringLiteral("gilbert-elliott"));
    // Evenly spaced: the middle category is in the middle of the plot frame (80..772).
    EXPECT_NEAR(dots[1].attr("cx").toDouble(), (80 + 772) / 2.0, 0.1);
    EXPECT_NEAR(dots[1].attr("cx").toDouble() - dots[0].attr("cx").toDouble(), dots[2].attr("cx").toDouble() - dots[1].attr("cx").toDouble(), 0.2);
}

TEST(SweepPlots, MissingValueBreaksTheLineAndEmptyDataSaysSo)
{
    const SweepPlan plan = campusPlan(1);
    const auto summary = campusSummary(plan, [](std::size_t p) { return p == 1; });
    const auto all = elementsOf(sweepLinePlotSvg(plan, summary, 0, SweepMetric::P95S));
    EXPECT_EQ(withClass(all, QStringLiteral("point")).size(), 2u);
    EXPECT_EQ(withClass(all, QStringLiteral("band")).size(), 2u);  // two single-point pieces

    const QString empty = sweepLinePlotSvg(plan, {}, 0, SweepMetric::P95S);
    expectWellFormed(empty);
    EXPECT_TRUE(hasText(elementsOf(empty), QStringLiteral("no finished run has a p95_s value")));
    EXPECT_TRUE(withClass(elementsOf(empty), QStringLiteral("point")).empty());
}

TEST(SweepPlots, HeatMapHasOneCellPerPoint)
{
    const SweepPlan plan = campusPlan(2);
    const auto summary = campusSummary(plan, [](std::size_t p) { return p == 5; });
    const QString svg = sweepHeatMapSvg(plan, summary, 0, 1, SweepMetric::P95S);
    expectWellFormed(svg);
    const auto all = elementsOf(svg);
    const auto cells = withClass(all, QStringLiteral("cell"));
    ASSERT_EQ(cells.size(), plan.pointCount());
    std::map<int, Element> byPoint;
    for (const Element& c : cells)
        byPoint[c.attr("data-point").toInt()] = c;
    ASSERT_EQ(byPoint.size(), 12u);
    for (const SweepPointSummary& s : summary) {
        const Element& c = byPoint.at(s.pointIndex);
        EXPECT_NEAR(c.attr("data-value").toDouble(), s.stats[std::size_t(SweepMetric::P95S)]->mean / 3600, 1e-9);  // hours
        EXPECT_EQ(c.attr("data-runs"), QStringLiteral("10"));
    }
    // Point 5 = maxBlockDataSize 48 (column 1), pollIntervalMs 4000 (row 1): no run.
    EXPECT_EQ(byPoint.at(5).attr("data-value"), QString());
    EXPECT_EQ(byPoint.at(5).attr("data-column"), QStringLiteral("1"));
    EXPECT_EQ(byPoint.at(5).attr("data-row"), QStringLiteral("1"));
    EXPECT_TRUE(hasText(all, QStringLiteral("no run")));
    EXPECT_TRUE(hasText(all, QStringLiteral("maxBlockDataSize")));
    EXPECT_TRUE(hasText(all, QStringLiteral("pollIntervalMs")));
    EXPECT_TRUE(hasText(all, QStringLiteral("8000")));
    EXPECT_TRUE(hasText(all, QStringLiteral("mean completion p95 (h)")));
    EXPECT_FALSE(withClass(all, QStringLiteral("scale")).empty());
    // The slowest corner (32 bytes, 8000 ms) written in its cell: 2.5 + 4.8 × 2 = 12.1 h.
    EXPECT_TRUE(hasText(all, QStringLiteral("12.1")));
}

TEST(SweepPlots, HeatMapOfThreeAxesFixesTheThirdAtItsFirstValue)
{
    const SweepPlan plan = campusPlan(3);
    const auto all = elementsOf(sweepHeatMapSvg(plan, campusSummary(plan), 0, 1, SweepMetric::P95S));
    EXPECT_EQ(withClass(all, QStringLiteral("cell")).size(), 12u);
    EXPECT_TRUE(std::any_of(all.begin(), all.end(),
                            [](const Element& e) { return e.text.contains(QStringLiteral("at maxConcurrentDownloads = 10 (first value)")); }));
    for (const Element& c : withClass(all, QStringLiteral("cell")))
        EXPECT_EQ(c.attr("data-point").toInt() % 2, 0) << "maxConcurrentDownloads = 10 is the even points";
}

TEST(SweepPlots, HeatMapWithoutValuesOrAxesSaysSo)
{
    const SweepPlan plan = campusPlan(2);
    const QString empty = sweepHeatMapSvg(plan, {}, 0, 1, SweepMetric::P95S);
    expectWellFormed(empty);
    const auto all = elementsOf(empty);
    EXPECT_EQ(withClass(all, QStringLiteral("cell")).size(), 12u);
    EXPECT_TRUE(hasText(all, QStringLiteral("no finished run has a p95_s value")));
    EXPECT_TRUE(withClass(all, QStringLiteral("scale")).empty());
    const QString one = sweepHeatMapSvg(campusPlan(1), {}, 0, 1, SweepMetric::P95S);
    expectWellFormed(one);
    EXPECT_TRUE(one.contains(QStringLiteral("a heat map needs two different axes")));
}

TEST(SvgHeatMap, TextContrastsWithTheCell)
{
    EXPECT_EQ(SvgHeatMap::colorAt(0), QStringLiteral("#440154"));
    EXPECT_EQ(SvgHeatMap::colorAt(1), QStringLiteral("#fde725"));
    EXPECT_EQ(SvgHeatMap::colorAt(7), QStringLiteral("#fde725"));
    EXPECT_EQ(SvgHeatMap::textColorOn(SvgHeatMap::colorAt(0)), QStringLiteral("#ffffff"));
    EXPECT_EQ(SvgHeatMap::textColorOn(SvgHeatMap::colorAt(0.2)), QStringLiteral("#ffffff"));
    EXPECT_EQ(SvgHeatMap::textColorOn(SvgHeatMap::colorAt(0.9)), QStringLiteral("#262626"));
    EXPECT_EQ(SvgHeatMap::textColorOn(SvgHeatMap::colorAt(1)), QStringLiteral("#262626"));

    SvgHeatMap map(QStringLiteral("t"), QStringLiteral("x"), QStringLiteral("y"), {QStringLiteral("a"), QStringLiteral("b")},
                   {QStringLiteral("r")});
    map.addCell({0, 0, 1.0, QStringLiteral("1.0"), {}, {}});
    map.addCell({1, 0, 2.0, QStringLiteral("2.0"), {}, {}});
    map.addCell({2, 0, 3.0, QStringLiteral("out"), {}, {}});  // outside the grid: ignored
    const auto all = elementsOf(map.toSvg());
    const auto cells = withClass(all, QStringLiteral("cell"));
    ASSERT_EQ(cells.size(), 2u);
    std::vector<QString> texts;
    for (const Element& e : all) {
        if (e.name == QLatin1String("text") && e.attr("text-anchor") == QLatin1String("middle")
            && (e.text == QLatin1String("1.0") || e.text == QLatin1String("2.0")))
            texts.push_back(e.attr("fill"));
    }
    ASSERT_EQ(texts.size(), 2u);
    EXPECT_EQ(texts[0], QStringLiteral("#ffffff"));  // lowest value: dark purple
    EXPECT_EQ(texts[1], QStringLiteral("#262626"));  // highest: yellow
}

TEST(SweepPlots, WritesEveryPlotAndASelfContainedPage)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const SweepPlan plan = campusPlan(2);
    const auto summary = campusSummary(plan);
    SweepTable table;
    for (int i = 0; i < int(plan.runCount()); ++i) {
        if (i == 77 || i == 78)
            continue;  // missing
        SweepRunResult r;
        r.run = plan.run(i);
        r.ok = i != 31;
        if (!r.ok)
            r.error = QStringLiteral("$.server.maxBlockDataSize: must be <= 82 <&>");
        table.runs.push_back(r);
    }
    table.missing = {77, 78};
    const auto written = writeSweepPlots(plan, table, summary, dir.path());
    ASSERT_TRUE(written) << written.error().message.toStdString();
    // 4 metrics × 2 axes + 4 heat maps + sweep.html.
    ASSERT_EQ(written->size(), 13);
    EXPECT_TRUE(written->contains(dir.filePath(QStringLiteral("sweep-p95_s-vs-pollIntervalMs.svg"))));
    EXPECT_TRUE(written->contains(dir.filePath(QStringLiteral("sweep-upgraded_pct-vs-maxBlockDataSize.svg"))));
    EXPECT_TRUE(written->contains(dir.filePath(QStringLiteral("sweep-update_energy_j_mean-heatmap.svg"))));
    EXPECT_TRUE(written->contains(dir.filePath(QStringLiteral("sweep.html"))));

    QFile page(dir.filePath(QStringLiteral("sweep.html")));
    ASSERT_TRUE(page.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(page.readAll());
    EXPECT_EQ(html.count(QStringLiteral("<svg")), 12);
    for (const QString& path : *written) {
        if (!path.endsWith(QLatin1String(".svg")))
            continue;
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        const QString svg = QString::fromUtf8(f.readAll());
        expectWellFormed(svg);
        // The plot inline: its body from the first element after <svg ...> on.
        const qsizetype body = svg.indexOf(QLatin1String("<title>"));
        ASSERT_GT(body, 0);
        EXPECT_TRUE(html.contains(svg.mid(body))) << path.toStdString();
    }
    EXPECT_FALSE(html.contains(QStringLiteral("http"), Qt::CaseInsensitive));
    EXPECT_FALSE(html.contains(QStringLiteral("src="), Qt::CaseInsensitive));
    EXPECT_FALSE(html.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
    EXPECT_FALSE(html.contains(QStringLiteral("<link"), Qt::CaseInsensitive));
    EXPECT_TRUE(html.contains(QStringLiteral("<title>campus sweep")));
    EXPECT_TRUE(html.contains(QStringLiteral("<h1>campus sweep</h1>")));
    EXPECT_TRUE(html.contains(QStringLiteral("2000, 4000, 6000, 8000")));
    EXPECT_TRUE(html.contains(QStringLiteral("10 seeds: 1000 … 1009")));
    EXPECT_TRUE(html.contains(QStringLiteral("120 planned: 118 done (117 ok, 1 failed), 2 missing")));
    // The failed run: index 31 = point 3 (maxBlockDataSize 32, pollIntervalMs 8000), seed 1001.
    EXPECT_TRUE(html.contains(QStringLiteral("<h2>Failed runs (1)</h2>")));
    EXPECT_TRUE(html.contains(QStringLiteral("<td class=\"num\">31</td><td class=\"num\">1001</td><td>maxBlockDataSize = 32, pollIntervalMs = 8000</td>"
                                             "<td>$.server.maxBlockDataSize: must be &lt;= 82 &lt;&amp;&gt;</td>")));
    // Summary: a row per point with mean and p5–p95; the constant device count said once.
    EXPECT_TRUE(html.contains(QStringLiteral("The same in every finished run: devices 1000.")));
    EXPECT_EQ(html.count(QStringLiteral("<tr><td>")), 12);  // a row per point
    EXPECT_TRUE(html.contains(QStringLiteral("<th>p95_s (h)</th>")));
}

TEST(SweepPlots, DefaultMetrics)
{
    EXPECT_EQ(defaultSweepPlotMetrics(), (QList<SweepMetric>{SweepMetric::UpgradedPct, SweepMetric::P95S, SweepMetric::UpdateEnergyJMean,
                                                             SweepMetric::EndS}));
}

TEST(SvgChartAdditions, PlainChartsHaveNoBandsDotsOrSecondLegendRow)
{
    SvgChart chart(QStringLiteral("t"), QStringLiteral("x"), QStringLiteral("y"));
    chart.addLine({QStringLiteral("a"), QStringLiteral("#000000"), {{0, 0}, {1, 1}}});
    const QString svg = chart.toSvg();
    EXPECT_FALSE(svg.contains(QStringLiteral("class=\"band\"")));
    EXPECT_FALSE(svg.contains(QStringLiteral("class=\"points\"")));
    EXPECT_TRUE(svg.contains(QStringLiteral("<rect x=\"80\" y=\"61\" width=\"14\" height=\"4\" rx=\"1\" fill=\"#000000\"/><text x=\"100\" y=\"67\">a</text>")));

    // Many long legend entries wrap onto a second row when asked to and the plot moves down 18 units.
    SvgChart wide(QStringLiteral("t"), QStringLiteral("x"), QStringLiteral("y"));
    wide.setLegendWraps(true);
    for (int i = 0; i < 6; ++i)
        wide.addLine({QStringLiteral("pollIntervalMs = %1, maxConcurrentDownloads = 30").arg(i), QStringLiteral("#000000"), {{0, 0}, {1, 1}}});
    const auto all = elementsOf(wide.toSvg());
    double maxLegendX = 0;
    for (const Element& e : all)
        if (e.name == QLatin1String("text") && e.text.startsWith(QLatin1String("pollIntervalMs")))
            maxLegendX = std::max(maxLegendX, e.attr("x").toDouble() + 7.2 * e.text.size());
    EXPECT_LE(maxLegendX, 800);
    EXPECT_TRUE(wide.toSvg().contains(QStringLiteral("y=\"85\">pollIntervalMs")));
    wide.setLegendWraps(false);  // the default: one row, as before
    EXPECT_FALSE(wide.toSvg().contains(QStringLiteral("y=\"85\">pollIntervalMs")));
    EXPECT_TRUE(wide.toSvg().contains(QStringLiteral("<rect x=\"80\" y=\"79\" width=\"692\" height=\"312\"/></clipPath>")));
}

} // namespace
} // namespace otalab::sim
