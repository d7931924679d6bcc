// SPDX-License-Identifier: Apache-2.0
// CompareController with two hand-built RunResults.
#include "compare/comparecontroller.h"

#include <gtest/gtest.h>

namespace otalab::app {
namespace {

sim::DeviceResult device(std::uint32_t node, sim::DeviceOutcome outcome, std::optional<double> finishS, double updateJ,
                         double share, std::uint64_t requests, std::uint64_t retries)
{
    sim::DeviceResult d;
    d.node = node;
    d.name = QStringLiteral("0x%1").arg(node, 4, 16, QLatin1Char('0'));
    d.outcome = outcome;
    d.startS = 0;
    d.finishS = finishS;
    d.updateEnergyJ = updateJ;
    d.batteryShare = share;
    d.requests = requests;
    d.retries = retries;
    return d;
}

// A: block size 64 — 3 of 4 upgraded (60, 120, 180 s), one failed.
// B: block size 40 — all 4 upgraded (30, 60, 90, 120 s), more requests.
std::vector<LabRunRecord> twoRuns()
{
    using O = sim::DeviceOutcome;
    sim::RunResult a;
    a.scenarioName = QStringLiteral("starter");
    a.seed = 1;
    a.endTimeS = 200;
    a.wallSeconds = 0.5;
    a.traceFingerprint = 0x1111;
    a.batteryName = QStringLiteral("CR2032");
    a.devices = {device(1, O::Upgraded, 60, 1.0, 0.001, 100, 2), device(2, O::Upgraded, 120, 2.0, 0.002, 100, 3),
                 device(3, O::Upgraded, 180, 3.0, 0.004, 100, 0), device(4, O::Failed, std::nullopt, 2.0, 0.003, 50, 10)};
    sim::RunResult b = a;
    b.endTimeS = 120;
    b.wallSeconds = 1.0;
    b.traceFingerprint = 0x2222;
    b.devices = {device(1, O::Upgraded, 30, 1.0, 0.001, 160, 0), device(2, O::Upgraded, 60, 1.0, 0.001, 160, 0),
                 device(3, O::Upgraded, 90, 1.0, 0.001, 160, 0), device(4, O::Upgraded, 120, 1.0, 0.002, 160, 1)};
    return {LabRunRecord{QStringLiteral("starter seed 1 #1"), a}, LabRunRecord{QStringLiteral("starter seed 1 #2"), b}};
}

const CompareRow& row(const std::vector<CompareRow>& rows, const char* figure)
{
    for (const CompareRow& r : rows)
        if (r.figure == QLatin1String(figure))
            return r;
    static CompareRow none;
    ADD_FAILURE() << "no row " << figure;
    return none;
}

TEST(GuiCompareController, FewerThanTwoRunsExplainsWhatToDo)
{
    CompareController c;
    c.setRuns({});
    EXPECT_FALSE(c.canCompare());
    EXPECT_TRUE(c.message().startsWith(QStringLiteral("Finish two runs — e.g. change the block size and run again — to compare them")));
    EXPECT_TRUE(c.rows().empty());
    auto runs = twoRuns();
    runs.pop_back();
    c.setRuns(runs);
    EXPECT_FALSE(c.canCompare());
    EXPECT_TRUE(c.message().contains(QStringLiteral("1 kept")));
}

TEST(GuiCompareController, KeyFiguresAndDifferences)
{
    CompareController c;
    c.setRuns(twoRuns());
    ASSERT_TRUE(c.canCompare());
    EXPECT_EQ(c.first(), 0);
    EXPECT_EQ(c.second(), 1);
    EXPECT_TRUE(c.message().isEmpty());
    const auto rows = c.rows();
    // devices, upgraded, failed + its reason, p50/p90/p95/p100, energy, charge, battery,
    // share, requests, retries, end time, wall time, fingerprint.
    ASSERT_EQ(rows.size(), 17u);

    EXPECT_EQ(row(rows, "devices").a, QStringLiteral("4"));
    EXPECT_EQ(row(rows, "devices").difference, QStringLiteral("same"));
    EXPECT_FALSE(row(rows, "devices").differs);
    EXPECT_EQ(row(rows, "upgraded").a, QStringLiteral("3"));
    EXPECT_EQ(row(rows, "upgraded").b, QStringLiteral("4"));
    EXPECT_EQ(row(rows, "upgraded").difference, QStringLiteral("+1 (+33.3 %)"));
    EXPECT_EQ(row(rows, "failed").difference, QStringLiteral("−1 (−100 %)"));
    // Nearest rank: A {60,120,180} p50 = 120 s; B {30,60,90,120} p50 = 60 s.
    EXPECT_EQ(row(rows, "p50 completion").a, QStringLiteral("120.0 s"));
    EXPECT_EQ(row(rows, "p50 completion").b, QStringLiteral("60.0 s"));
    EXPECT_EQ(row(rows, "p50 completion").difference, QStringLiteral("−60.0 s (−50 %)"));
    EXPECT_EQ(row(rows, "p90 completion").a, QStringLiteral("3.0 min"));
    EXPECT_EQ(row(rows, "p100 completion").b, QStringLiteral("120.0 s"));
    EXPECT_EQ(row(rows, "mean update energy").a, QStringLiteral("2 J"));
    EXPECT_EQ(row(rows, "mean update energy").b, QStringLiteral("1 J"));
    EXPECT_EQ(row(rows, "mean update energy").difference, QStringLiteral("−1 J (−50 %)"));
    EXPECT_EQ(row(rows, "max share of CR2032").a, QStringLiteral("0.4 %"));
    EXPECT_EQ(row(rows, "max share of CR2032").b, QStringLiteral("0.2 %"));
    EXPECT_EQ(row(rows, "max share of CR2032").difference, QStringLiteral("−0.2 pp (−50 %)"));
    EXPECT_EQ(row(rows, "no reason given").a, QStringLiteral("1"));
    EXPECT_TRUE(row(rows, "no reason given").detail);
    EXPECT_EQ(row(rows, "block requests").a, QStringLiteral("350"));
    EXPECT_EQ(row(rows, "block requests").b, QStringLiteral("640"));
    EXPECT_EQ(row(rows, "retries").difference, QStringLiteral("−14 (−93.3 %)"));
    EXPECT_EQ(row(rows, "virtual end time").a, QStringLiteral("3.3 min"));
    EXPECT_EQ(row(rows, "wall time").difference, QStringLiteral("+0.5 s (+100 %)"));
    EXPECT_EQ(row(rows, "trace fingerprint").a, QStringLiteral("0x0000000000001111"));
    EXPECT_EQ(row(rows, "trace fingerprint").difference, QStringLiteral("different"));
    EXPECT_TRUE(row(rows, "trace fingerprint").differs);
}

TEST(GuiCompareController, CdfsShareOneAxis)
{
    CompareController c;
    c.setRuns(twoRuns());
    EXPECT_EQ(c.cdfUnit().unit, QStringLiteral("s"));
    EXPECT_DOUBLE_EQ(c.upgradedPercent(0), 75.0);
    EXPECT_DOUBLE_EQ(c.upgradedPercent(1), 100.0);
    const QList<QPointF>& a = c.cdfPoints(0);
    const QList<QPointF>& b = c.cdfPoints(1);
    EXPECT_EQ(a.front(), QPointF(0, 0));
    EXPECT_DOUBLE_EQ(a.back().y(), 75.0);
    EXPECT_DOUBLE_EQ(b.back().y(), 100.0);
    EXPECT_DOUBLE_EQ(a.back().x(), c.cdfAxisMax()) << "plateau continued to the edge";
    EXPECT_GE(c.cdfAxisMax(), 180.0);
    for (const auto* curve : {&a, &b})
        for (qsizetype i = 1; i < curve->size(); ++i) {
            EXPECT_GE((*curve)[i].x(), (*curve)[i - 1].x());
            EXPECT_GE((*curve)[i].y(), (*curve)[i - 1].y());
        }

    // Swap and clamp.
    c.select(1, 7);
    EXPECT_EQ(c.first(), 1);
    EXPECT_EQ(c.second(), 1);
    EXPECT_EQ(row(c.rows(), "upgraded").difference, QStringLiteral("same"));
    EXPECT_EQ(row(c.rows(), "trace fingerprint").difference, QStringLiteral("identical"));
    // Defaults to the last two of three.
    auto runs = twoRuns();
    runs.push_back(runs.front());
    c.setRuns(runs);
    EXPECT_EQ(c.first(), 1);
    EXPECT_EQ(c.second(), 2);
}

} // namespace
} // namespace otalab::app
