// SPDX-License-Identifier: Apache-2.0
// Compare runs: scenario parameters diffed by JSON path, failure reasons grouped, and
// the key figures built from them (p95, mAh, battery, reasons, what differs).
#include "compare/comparecontroller.h"
#include "compare/failuregroups.h"
#include "compare/scenariodiff.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

namespace otalab::app {
namespace {

QJsonObject json(const char* text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text), &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << text;
    return doc.object();
}

QStringList texts(const std::vector<ParameterDifference>& diffs)
{
    QStringList out;
    for (const ParameterDifference& d : diffs)
        out.append(d.text());
    return out;
}

TEST(GuiScenarioDiff, DiffsLeavesByPath)
{
    const QJsonObject a = json(R"({"name":"campus","seed":1000,"server":{"blockResponseDelayMs":250,"maxConcurrent":30},
                                   "topology":{"generate":{"routers":40,"placement":"grid"}},"stop":{"untilS":172800}})");
    const QJsonObject b = json(R"({"name":"campus","seed":1001,"server":{"blockResponseDelayMs":100,"maxConcurrent":30},
                                   "topology":{"generate":{"routers":40,"placement":"random"}},"stop":{"untilS":172800}})");
    EXPECT_EQ(texts(diffScenarios(a, b)),
              (QStringList{QStringLiteral("seed 1000 → 1001"), QStringLiteral("server.blockResponseDelayMs 250 → 100"),
                           QStringLiteral("topology.generate.placement \"grid\" → \"random\"")}));
    EXPECT_TRUE(diffScenarios(a, a).empty());
}

TEST(GuiScenarioDiff, MissingKeysAreDefaultsAndArraysGoItemByItem)
{
    const QJsonObject a = json(R"({"linkLoss":{"model":"bernoulli","p":0.01},
                                   "routerLoss":[{"router":"0x0001","p":0.2,"windows":[{"startS":0,"endS":60}]}]})");
    const QJsonObject b = json(R"({"linkLoss":{"model":"bernoulli","p":0.01,"seedOffset":3},
                                   "routerLoss":[{"router":"0x0001","p":0.5,"windows":[{"startS":0,"endS":90}]},
                                                 {"router":"0x0002","p":0.1}]})");
    EXPECT_EQ(texts(diffScenarios(a, b)),
              (QStringList{QStringLiteral("linkLoss.seedOffset default → 3"), QStringLiteral("routerLoss[0].p 0.2 → 0.5"),
                           QStringLiteral("routerLoss[0].windows[0].endS 60 → 90"),
                           QStringLiteral("routerLoss[1] absent → {\"p\":0.1,\"router\":\"0x0002\"}")}));
}

TEST(GuiScenarioDiff, LongValuesAreElidedAndTheListIsCapped)
{
    QJsonObject a, b;
    a.insert(QStringLiteral("description"), QString(200, QLatin1Char('x')));
    b.insert(QStringLiteral("description"), QString(200, QLatin1Char('y')));
    for (int i = 0; i < 30; ++i) {
        a.insert(QStringLiteral("k%1").arg(i, 2, 10, QLatin1Char('0')), i);
        b.insert(QStringLiteral("k%1").arg(i, 2, 10, QLatin1Char('0')), i + 1);
    }
    int more = -1;
    const auto diffs = diffScenarios(a, b, 10, &more, 20);
    ASSERT_EQ(diffs.size(), 10u);
    EXPECT_EQ(more, 21);
    EXPECT_EQ(diffs.front().path, QStringLiteral("description"));
    EXPECT_EQ(diffs.front().a, QStringLiteral("\"xxxxxxxxxxxxxxxxxxx…\""));
    EXPECT_EQ(diffs[1].text(), QStringLiteral("k00 0 → 1"));
}

sim::DeviceResult device(sim::DeviceOutcome outcome, const QString& reason = {}, std::optional<double> finishS = {},
                         double updateJ = 0, double share = 0)
{
    sim::DeviceResult d;
    d.outcome = outcome;
    d.failureReason = reason;
    d.finishS = finishS;
    d.updateEnergyJ = updateJ;
    d.batteryShare = share;
    return d;
}

TEST(GuiFailureGroups, ReasonsDifferingOnlyInNumbersShareAGroup)
{
    using O = sim::DeviceOutcome;
    sim::RunResult r;
    r.devices = {device(O::Failed, QStringLiteral("ImageBlockRequest at offset 1234 unanswered after 10 retries")),
                 device(O::Failed, QStringLiteral("ImageBlockRequest at offset 640 unanswered after 10 retries")),
                 device(O::Failed, QStringLiteral("INVALID_IMAGE: image integrity code mismatch")),
                 device(O::Failed, QStringLiteral("ImageBlockRequest at offset 64 unanswered after 10 retries")),
                 device(O::Failed),
                 device(O::Refused, QStringLiteral("NOT_AUTHORIZED: the server's policy refuses this device")),
                 device(O::Upgraded, {}, 60)};
    const auto failed = groupFailures(r, O::Failed);
    ASSERT_EQ(failed.size(), 3u);
    EXPECT_EQ(failed[0].reason, QStringLiteral("ImageBlockRequest at offset … unanswered after 10 retries"));
    EXPECT_EQ(failed[0].count, 3);
    EXPECT_EQ(failed[1].reason, QStringLiteral("INVALID_IMAGE: image integrity code mismatch"));
    EXPECT_EQ(failed[2].reason, QStringLiteral("no reason given"));
    EXPECT_EQ(failureSummary(failed, QStringLiteral("failed")),
              QStringLiteral("5 failed: 3 × ImageBlockRequest at offset … unanswered after 10 retries, "
                             "1 × INVALID_IMAGE: image integrity code mismatch, 1 × no reason given"));
    EXPECT_EQ(failureSummary(failed, QStringLiteral("failed"), 1),
              QStringLiteral("5 failed: 3 × ImageBlockRequest at offset … unanswered after 10 retries, 2 × other reasons"));
    EXPECT_EQ(groupFailures(r, O::Refused).size(), 1u);
    EXPECT_EQ(failureSummary({}, QStringLiteral("failed")), QStringLiteral("0 failed"));
}

const CompareRow* find(const std::vector<CompareRow>& rows, const QString& figure)
{
    for (const CompareRow& r : rows)
        if (r.figure == figure)
            return &r;
    return nullptr;
}

// Two runs of one scenario that differ in the block response delay.
std::vector<LabRunRecord> delayRuns()
{
    using O = sim::DeviceOutcome;
    sim::RunResult a;
    a.batteryName = QStringLiteral("CR2032 (225 mAh)");
    // 20 upgraded at 10..200 s: p50 100, p90 180, p95 190, p100 200 (nearest rank).
    for (int i = 1; i <= 20; ++i)
        a.devices.push_back(device(O::Upgraded, {}, 10.0 * i, 0.54, 0.54 / 2430.0));
    sim::RunResult b = a;
    b.devices.pop_back();
    b.devices.push_back(device(O::Failed, QStringLiteral("ImageBlockRequest at offset 64 unanswered after 10 retries"), {}, 1.08,
                               1.08 / 2430.0));
    a.devices.push_back(device(O::Failed, QStringLiteral("ImageBlockRequest at offset 128 unanswered after 10 retries")));
    a.devices.push_back(device(O::Failed, QStringLiteral("INVALID_IMAGE: header names 1/2/3, expected 4/5/6")));
    const QJsonObject sa = json(R"({"name":"campus","seed":1000,"server":{"blockResponseDelayMs":250},"device":{"battery":"CR2032"}})");
    QJsonObject sb = sa;
    QJsonObject server = sb.value(QStringLiteral("server")).toObject();
    server.insert(QStringLiteral("blockResponseDelayMs"), 100);
    sb.insert(QStringLiteral("server"), server);
    return {LabRunRecord{QStringLiteral("campus #1"), a, sa}, LabRunRecord{QStringLiteral("campus #2"), b, sb}};
}

TEST(GuiCompareController, ShowsP95ChargeBatteryAndFailureReasons)
{
    CompareController c;
    c.setRuns(delayRuns());
    const auto rows = c.rows();
    const CompareRow* p95 = find(rows, QStringLiteral("p95 completion"));
    ASSERT_NE(p95, nullptr);
    EXPECT_EQ(p95->a, QStringLiteral("3.2 min"));  // 190 s
    EXPECT_EQ(p95->b, QStringLiteral("3.2 min"));
    ASSERT_NE(find(rows, QStringLiteral("p50 completion")), nullptr);
    ASSERT_NE(find(rows, QStringLiteral("p90 completion")), nullptr);
    ASSERT_NE(find(rows, QStringLiteral("p100 completion")), nullptr);
    // Percentile rows in order p50, p90, p95, p100.
    std::vector<QString> order;
    for (const CompareRow& r : rows)
        if (r.figure.endsWith(QStringLiteral(" completion")))
            order.push_back(r.figure);
    EXPECT_EQ(order, (std::vector<QString>{QStringLiteral("p50 completion"), QStringLiteral("p90 completion"),
                                           QStringLiteral("p95 completion"), QStringLiteral("p100 completion")}));

    // 0.54 J at 3.0 V (CR2032) = 0.05 mAh; A's mean is 20 × 0.54 / 22 devices.
    const CompareRow* charge = find(rows, QStringLiteral("mean update charge"));
    ASSERT_NE(charge, nullptr);
    EXPECT_EQ(charge->a, QStringLiteral("%1 mAh").arg(20 * 0.54 / 22 / 10.8, 0, 'g', 3));
    EXPECT_EQ(charge->b, QStringLiteral("%1 mAh").arg((19 * 0.54 + 1.08) / 20 / 10.8, 0, 'g', 3));
    EXPECT_TRUE(charge->tipA.contains(QStringLiteral("3 V")));
    const CompareRow* battery = find(rows, QStringLiteral("battery"));
    ASSERT_NE(battery, nullptr);
    EXPECT_EQ(battery->a, QStringLiteral("CR2032 (225 mAh)"));
    EXPECT_EQ(battery->difference, QStringLiteral("same"));
    const CompareRow* share = find(rows, QStringLiteral("max share of CR2032 (225 mAh)"));
    ASSERT_NE(share, nullptr);
    EXPECT_EQ(share->b, QStringLiteral("%1 %").arg(100 * 1.08 / 2430.0, 0, 'g', 3));

    const CompareRow* failed = find(rows, QStringLiteral("failed"));
    ASSERT_NE(failed, nullptr);
    EXPECT_EQ(failed->a, QStringLiteral("2"));
    EXPECT_EQ(failed->b, QStringLiteral("1"));
    EXPECT_EQ(failed->tipA, QStringLiteral("2 failed: 1 × INVALID_IMAGE: header names 1/2/3, expected 4/5/6, "
                                           "1 × ImageBlockRequest at offset 128 unanswered after 10 retries"));
    // One indented row per reason, numbers that vary between devices shown as "…".
    const CompareRow* unanswered = find(rows, QStringLiteral("ImageBlockRequest at offset 128 unanswered after 10 retries"));
    const CompareRow* unansweredB = find(rows, QStringLiteral("ImageBlockRequest at offset 64 unanswered after 10 retries"));
    ASSERT_NE(unanswered, nullptr);
    ASSERT_NE(unansweredB, nullptr);
    EXPECT_TRUE(unanswered->detail);
    EXPECT_EQ(unanswered->a, QStringLiteral("1"));
    EXPECT_EQ(unanswered->b, QStringLiteral("0"));
    const CompareRow* invalid = find(rows, QStringLiteral("INVALID_IMAGE: header names 1/2/3, expected 4/5/6"));
    ASSERT_NE(invalid, nullptr);
    EXPECT_EQ(invalid->difference, QStringLiteral("−1 (−100 %)"));
    EXPECT_EQ(find(rows, QStringLiteral("refused")), nullptr) << "no refused row when neither run refused any";
}

TEST(GuiCompareController, SaysWhichScenarioParametersDiffer)
{
    CompareController c;
    auto runs = delayRuns();
    c.setRuns(runs);
    ASSERT_EQ(c.parameterDifferences().size(), 1u);
    EXPECT_EQ(c.parameterDifferences().front().text(), QStringLiteral("server.blockResponseDelayMs 250 → 100"));
    EXPECT_EQ(c.differenceSummary(), QStringLiteral("1 scenario parameter differs: server.blockResponseDelayMs 250 → 100"));

    c.select(0, 0);
    EXPECT_TRUE(c.parameterDifferences().empty());
    EXPECT_EQ(c.differenceSummary(), QStringLiteral("Run A and run B are the same run."));

    runs[1].scenario = runs[0].scenario;
    c.setRuns(runs);
    EXPECT_TRUE(c.differenceSummary().startsWith(QStringLiteral("Same scenario and seed")));
    runs[0].scenario = {};
    c.setRuns(runs);
    EXPECT_TRUE(c.differenceSummary().contains(QStringLiteral("run A was not kept")));
}

TEST(GuiCompareController, CustomBatteryVoltageComesFromTheScenario)
{
    auto runs = delayRuns();
    // 2xAA is 3.0 V by name; the scenario says 1.5 V: twice the charge for the same energy.
    QJsonObject deviceJson;
    deviceJson.insert(QStringLiteral("batteryVoltageV"), 1.5);
    runs[1].scenario.insert(QStringLiteral("device"), deviceJson);
    runs[1].result = runs[0].result;
    CompareController c;
    c.setRuns(runs);
    const CompareRow* charge = find(c.rows(), QStringLiteral("mean update charge"));
    ASSERT_NE(charge, nullptr);
    EXPECT_EQ(charge->b, QStringLiteral("%1 mAh").arg(2 * 20 * 0.54 / 22 / 10.8, 0, 'g', 3));
    EXPECT_TRUE(charge->tipB.contains(QStringLiteral("1.5 V")));
}

} // namespace
} // namespace otalab::app
