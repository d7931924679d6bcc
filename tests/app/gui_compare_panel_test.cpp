// SPDX-License-Identifier: Apache-2.0
// ComparePanel: message with fewer than two runs, table and overlaid CDFs with two real runs.
#include "compare/comparepanel.h"
#include "gui_test_support.h"
#include "lab/labselection.h"
#include "lab/labsession.h"

#include "sim/zigbee/rollout.h"
#include "sim/scenario/scenarioloader.h"

#include <QChart>
#include <QFile>
#include <QJsonDocument>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>

namespace otalab::app {
namespace {

// The starter scenario with `blockBytes` per image block (client maxDataSize and server cap).
LabRunRecord starterRun(int blockBytes)
{
    const QString path = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json");
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly));
    QJsonObject scenario = QJsonDocument::fromJson(file.readAll()).object();
    QJsonObject client = scenario.value(QStringLiteral("client")).toObject();
    client.insert(QStringLiteral("maxDataSize"), blockBytes);
    scenario.insert(QStringLiteral("client"), client);
    QJsonObject server = scenario.value(QStringLiteral("server")).toObject();
    server.insert(QStringLiteral("maxBlockDataSize"), blockBytes);
    scenario.insert(QStringLiteral("server"), server);
    auto config = sim::loadScenarioFile(path);
    EXPECT_TRUE(config.has_value());
    if (!config)
        return {};
    config->client.maxDataSize = std::uint8_t(blockBytes);
    config->server.maxBlockDataSize = std::uint8_t(blockBytes);
    auto result = sim::runRollout(*config);
    EXPECT_TRUE(result.has_value());
    return LabRunRecord{QStringLiteral("starter seed 1, %1-byte blocks").arg(blockBytes), result ? *result : sim::RunResult{}, scenario};
}

QString cell(QTableWidget* table, const QString& figure, int column)
{
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == figure)
            return table->item(r, column)->text();
    return QStringLiteral("<no row %1>").arg(figure);
}

TEST(GuiComparePanel, AsksForTwoRuns)
{
    testing::ensureApp();
    LabSession session;
    LabSelection selection;
    ComparePanel panel(session, selection);
    panel.resize(900, 500);
    panel.show();
    EXPECT_TRUE(panel.messageLabel()->isVisible());
    EXPECT_TRUE(panel.messageLabel()->text().startsWith(QStringLiteral("Finish two runs — e.g. change the block size")));
    EXPECT_FALSE(panel.clearButton()->isEnabled());
    EXPECT_EQ(panel.table()->rowCount(), 0);
}

TEST(GuiComparePanel, ShowsTwoRealRunsSideBySide)
{
    testing::ensureApp();
    LabSession session;
    LabSelection selection;
    ComparePanel panel(session, selection);
    panel.resize(1200, 560);
    const LabRunRecord a = starterRun(50);
    const LabRunRecord b = starterRun(32);
    const LabRunRecord c = starterRun(40);
    panel.setRuns({c, a, b});
    panel.show();
    EXPECT_FALSE(panel.messageLabel()->isVisible());
    EXPECT_EQ(panel.firstBox()->count(), 3);
    EXPECT_EQ(panel.firstBox()->currentIndex(), 1);
    EXPECT_EQ(panel.secondBox()->currentIndex(), 2);
    QTableWidget* table = panel.table();
    // devices, upgraded, failed (none: no reasons under it), p50/p90/p95/p100, energy,
    // charge, battery, share, requests, retries, end time, wall time, fingerprint.
    ASSERT_EQ(table->rowCount(), 16);
    EXPECT_TRUE(cell(table, QStringLiteral("p95 completion"), 1).endsWith(QStringLiteral("min")));
    EXPECT_TRUE(cell(table, QStringLiteral("mean update charge"), 1).endsWith(QStringLiteral(" mAh")));
    EXPECT_EQ(cell(table, QStringLiteral("battery"), 1), a.result.batteryName);
    EXPECT_FALSE(cell(table, QStringLiteral("max share of ") + a.result.batteryName, 1).startsWith(QStringLiteral("<no row")));
    EXPECT_EQ(cell(table, QStringLiteral("upgraded"), 1), QStringLiteral("5"));
    EXPECT_EQ(cell(table, QStringLiteral("upgraded"), 2), QStringLiteral("5"));
    std::uint64_t requestsA = 0, requestsB = 0;
    for (const auto& d : a.result.devices)
        requestsA += d.requests;
    for (const auto& d : b.result.devices)
        requestsB += d.requests;
    EXPECT_GT(requestsB, requestsA) << "smaller blocks need more requests";
    EXPECT_EQ(cell(table, QStringLiteral("block requests"), 1), QString::number(requestsA));
    EXPECT_EQ(cell(table, QStringLiteral("block requests"), 2), QString::number(requestsB));
    EXPECT_TRUE(cell(table, QStringLiteral("block requests"), 3).startsWith(QStringLiteral("+%1").arg(requestsB - requestsA)));
    EXPECT_TRUE(cell(table, QStringLiteral("p50 completion"), 1).endsWith(QStringLiteral("min")));
    EXPECT_EQ(cell(table, QStringLiteral("trace fingerprint"), 3), QStringLiteral("different"));
    EXPECT_TRUE(table->horizontalHeaderItem(1)->toolTip().contains(QStringLiteral("50-byte")));

    const auto series = panel.chart()->series();
    ASSERT_EQ(series.size(), 2);
    auto* lineA = qobject_cast<QLineSeries*>(series[0]);
    auto* lineB = qobject_cast<QLineSeries*>(series[1]);
    EXPECT_DOUBLE_EQ(lineA->at(lineA->count() - 1).y(), 100.0);
    EXPECT_DOUBLE_EQ(lineB->at(lineB->count() - 1).y(), 100.0);
    EXPECT_TRUE(lineA->name().contains(QStringLiteral("50-byte")));
    EXPECT_TRUE(lineB->name().contains(QStringLiteral("32-byte")));

    // Picking the first run as A compares the 40-byte run with the 32-byte one.
    panel.firstBox()->setCurrentIndex(0);
    EXPECT_EQ(panel.controller().first(), 0);
    EXPECT_TRUE(table->horizontalHeaderItem(1)->toolTip().contains(QStringLiteral("40-byte")));

    const QString dir = qEnvironmentVariable("OTALAB_SHOTS");
    if (!dir.isEmpty()) {
        panel.firstBox()->setCurrentIndex(1);
        QApplication::processEvents();
        EXPECT_TRUE(panel.grab().save(dir + QStringLiteral("/compare-starter.png")));
    }

    // What differs between the runs: the block size, by its path in the scenario file.
    panel.firstBox()->setCurrentIndex(1);
    EXPECT_EQ(panel.differenceLabel()->text(),
              QStringLiteral("2 scenario parameters differ: client.maxDataSize 50 → 32; server.maxBlockDataSize 50 → 32"));
    ASSERT_EQ(panel.parameterTable()->rowCount(), 2);
    EXPECT_EQ(panel.parameterTable()->item(0, 0)->text(), QStringLiteral("client.maxDataSize"));
    EXPECT_EQ(panel.parameterTable()->item(0, 1)->text(), QStringLiteral("50"));
    EXPECT_EQ(panel.parameterTable()->item(0, 2)->text(), QStringLiteral("32"));

    panel.setRuns({a});
    EXPECT_TRUE(panel.messageLabel()->isVisible());
    EXPECT_TRUE(panel.messageLabel()->text().contains(QStringLiteral("1 kept")));
    EXPECT_TRUE(panel.clearButton()->isEnabled());
}

TEST(GuiComparePanel, ChartGoesAboveTheTablesWhenNarrow)
{
    testing::ensureApp();
    LabSession session;
    LabSelection selection;
    ComparePanel panel(session, selection);
    panel.resize(1200, 500);
    panel.show();
    QApplication::processEvents();
    EXPECT_EQ(panel.splitter()->orientation(), Qt::Horizontal);
    panel.resize(640, 560);
    QApplication::processEvents();
    EXPECT_EQ(panel.splitter()->orientation(), Qt::Vertical);
}

} // namespace
} // namespace otalab::app
