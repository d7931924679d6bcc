// SPDX-License-Identifier: Apache-2.0
// Compare two LoRaWAN plans (user story 6): the bundled demo as is against 30 %
// redundancy and against a class B session. The comparison shows completion, campaign
// span, p95, mAh per device, the parameter that differs, and the fleet's own figures
// (RunResult::fleetFigures) row by row with both values side by side.
#include "app/gui/compare/comparepanel.h"
#include "app/gui/lab/labselection.h"
#include "app/gui/lab/labsession.h"
#include "app/gui/mainwindow.h"
#include "gui_test_support.h"
#include "sim/fleet/fleetrun.h"
#include "sim/scenario/scenarioloader.h"

#include <QChart>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSettings>
#include <QTableWidget>
#include <QTest>

namespace otalab::app {
namespace {

const QString kDemo = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/lorawan-demo.json");

// The demo with campaign.`key` = `value` (none: as bundled), run to its end.
LabRunRecord demoRun(const QString& label, const QString& key = {}, const QJsonValue& value = {})
{
    QFile file(kDemo);
    EXPECT_TRUE(file.open(QIODevice::ReadOnly));
    QJsonObject scenario = QJsonDocument::fromJson(file.readAll()).object();
    if (!key.isEmpty()) {
        QJsonArray fleets = scenario.value(QStringLiteral("fleets")).toArray();
        QJsonObject fleet = fleets.at(0).toObject();
        QJsonObject campaign = fleet.value(QStringLiteral("campaign")).toObject();
        campaign.insert(key, value);
        fleet.insert(QStringLiteral("campaign"), campaign);
        fleets.replace(0, fleet);
        scenario.insert(QStringLiteral("fleets"), fleets);
    }
    const QString baseDir = QFileInfo(kDemo).absolutePath();
    auto config = sim::loadScenarioConfig(QJsonDocument(scenario).toJson(), baseDir);
    EXPECT_TRUE(config.has_value()) << (config ? std::string() : config.error().toString().toStdString());
    if (!config)
        return {};
    auto result = sim::runScenario(*config, nullptr, {}, baseDir);
    EXPECT_TRUE(result.has_value()) << (result ? std::string() : result.error().toString().toStdString());
    return LabRunRecord{label, result ? *result : sim::RunResult{}, scenario};
}

const LabRunRecord& asBundled()
{
    static const LabRunRecord run = demoRun(QStringLiteral("lorawan-demo"));
    return run;
}

const CompareRow* findRow(const std::vector<CompareRow>& rows, const QString& figure)
{
    for (const CompareRow& r : rows)
        if (r.figure == figure)
            return &r;
    return nullptr;
}

TEST(GuiCompareLorawan, TwoPlansShowCompletionSpanP95ChargeTheParameterAndTheFleetFigures)
{
    const LabRunRecord& a = asBundled();
    const LabRunRecord b = demoRun(QStringLiteral("lorawan-demo, 30 % redundancy"), QStringLiteral("redundancyPercent"), 30);
    ASSERT_FALSE(a.result.fleetFigures.empty());
    CompareController c;
    c.setRuns({a, b});
    ASSERT_TRUE(c.canCompare());

    // The parameter that differs, and only it.
    ASSERT_EQ(c.parameterDifferences().size(), 1u);
    EXPECT_EQ(c.parameterDifferences()[0].path, QStringLiteral("fleets[0].campaign.redundancyPercent"));
    EXPECT_EQ(c.parameterDifferences()[0].a, QStringLiteral("10"));
    EXPECT_EQ(c.parameterDifferences()[0].b, QStringLiteral("30"));
    EXPECT_TRUE(c.differenceSummary().contains(QStringLiteral("fleets[0].campaign.redundancyPercent 10 → 30")));

    const std::vector<CompareRow> rows = c.rows();
    for (const char* figure : {"upgraded", "p95 completion", "mean update charge"}) {
        const CompareRow* r = findRow(rows, QLatin1String(figure));
        ASSERT_NE(r, nullptr) << figure;
        EXPECT_NE(r->a, QStringLiteral("—")) << figure;
        EXPECT_NE(r->b, QStringLiteral("—")) << figure;
    }
    EXPECT_TRUE(findRow(rows, QStringLiteral("mean update charge"))->a.endsWith(QStringLiteral(" mAh")));
    EXPECT_TRUE(findRow(rows, QStringLiteral("p95 completion"))->differs);

    // The fleet's section: heading, completion in %, campaign span, then the family's rows.
    const auto heading = std::find_if(rows.begin(), rows.end(), [](const CompareRow& r) { return r.heading; });
    ASSERT_NE(heading, rows.end());
    EXPECT_EQ(heading->figure, QStringLiteral("fleet “sensors” (lorawan)"));
    const CompareRow* completion = findRow(rows, QStringLiteral("completion"));
    ASSERT_NE(completion, nullptr);
    const double upgradedA = a.result.count(sim::DeviceOutcome::Upgraded), upgradedB = b.result.count(sim::DeviceOutcome::Upgraded);
    EXPECT_EQ(completion->a, QStringLiteral("%1 %").arg(100.0 * upgradedA / double(a.result.devices.size()), 0, 'g', 3));
    EXPECT_EQ(completion->b, QStringLiteral("%1 %").arg(100.0 * upgradedB / double(b.result.devices.size()), 0, 'g', 3));
    const CompareRow* span = findRow(rows, QStringLiteral("campaign span"));
    ASSERT_NE(span, nullptr);
    EXPECT_TRUE(span->a.endsWith(QStringLiteral(" h"))) << span->a.toStdString();  // the demo's campaign takes ~15 h
    EXPECT_TRUE(span->differs);
    // Every family row of either run is there, by name, both values side by side.
    for (const auto* run : {&a, &b})
        for (const sim::ResultAttribute& attribute : run->result.fleetFigures[0].rows)
            EXPECT_NE(findRow(rows, attribute.name), nullptr) << attribute.name.toStdString();
    const CompareRow* fragments = findRow(rows, QStringLiteral("Fragments"));
    ASSERT_NE(fragments, nullptr);
    EXPECT_TRUE(fragments->a.contains(QStringLiteral("+ 28 parity"))) << fragments->a.toStdString();  // ceil(275 × 10 %)
    EXPECT_TRUE(fragments->b.contains(QStringLiteral("+ 83 parity"))) << fragments->b.toStdString();  // ceil(275 × 30 %)
    EXPECT_EQ(fragments->difference, QStringLiteral("different"));
    const CompareRow* session = findRow(rows, QStringLiteral("Session (first frame to last)"));
    ASSERT_NE(session, nullptr);
    EXPECT_TRUE(session->difference.startsWith(QStringLiteral("+"))) << session->difference.toStdString();  // 55 more frames
    // Long values are elided in the cell and whole in its tool tip.
    const CompareRow* devices = findRow(rows, QStringLiteral("Devices"));
    ASSERT_NE(devices, nullptr);
    EXPECT_TRUE(devices->a.endsWith(QStringLiteral("…")));
    EXPECT_TRUE(devices->tipA.endsWith(QStringLiteral("refused (flash)")));
}

TEST(GuiCompareLorawan, FleetFiguresAreMatchedByNameWhateverEachRunHas)
{
    sim::RunResult a, b;
    a.fleetFigures = {{QStringLiteral("meters"), QStringLiteral("lorawan"),
                       {{QStringLiteral("Setup"), QStringLiteral("100 s")}, {QStringLiteral("Repair frames"), QStringLiteral("28")},
                        {QStringLiteral("Mode"), QStringLiteral("class C")}}}};
    b.fleetFigures = {{QStringLiteral("meters"), QStringLiteral("lorawan"),
                       {{QStringLiteral("Setup"), QStringLiteral("160 s")}, {QStringLiteral("Mode"), QStringLiteral("class B")},
                        {QStringLiteral("Beacons"), QStringLiteral("12")}}}};
    sim::DeviceResult d;
    d.fleet = QStringLiteral("meters");
    d.outcome = sim::DeviceOutcome::Upgraded;
    d.startS = 60;
    d.finishS = 3660;
    a.devices = {d, d};
    a.devices[1].outcome = sim::DeviceOutcome::Failed;
    a.devices[1].finishS.reset();
    a.devices[1].failedAtS = 7260;
    b.devices = {d};
    CompareController c;
    c.setRuns({LabRunRecord{QStringLiteral("a"), a, {}}, LabRunRecord{QStringLiteral("b"), b, {}}});
    const std::vector<CompareRow> rows = c.rows();
    const CompareRow* setup = findRow(rows, QStringLiteral("Setup"));
    ASSERT_NE(setup, nullptr);
    EXPECT_EQ(setup->a, QStringLiteral("100.0 s"));
    EXPECT_EQ(setup->difference, QStringLiteral("+60.0 s (+60 %)"));
    const CompareRow* repair = findRow(rows, QStringLiteral("Repair frames"));
    ASSERT_NE(repair, nullptr);
    EXPECT_EQ(repair->b, QStringLiteral("—"));
    EXPECT_EQ(repair->difference, QStringLiteral("—"));
    const CompareRow* beacons = findRow(rows, QStringLiteral("Beacons"));
    ASSERT_NE(beacons, nullptr);
    EXPECT_EQ(beacons->a, QStringLiteral("—"));
    EXPECT_EQ(beacons->b, QStringLiteral("12"));
    EXPECT_EQ(findRow(rows, QStringLiteral("Mode"))->difference, QStringLiteral("different"));
    EXPECT_EQ(findRow(rows, QStringLiteral("completion"))->a, QStringLiteral("50 %"));
    EXPECT_EQ(findRow(rows, QStringLiteral("completion"))->difference, QStringLiteral("+50 pp (+100 %)"));
    EXPECT_EQ(findRow(rows, QStringLiteral("campaign span"))->a, QStringLiteral("120.0 min"));  // 60 s → 7260 s (the failed one)
    EXPECT_EQ(findRow(rows, QStringLiteral("campaign span"))->b, QStringLiteral("60.0 min"));
    // The rows of a run without fleet figures are the neutral ones only.
    c.setRuns({LabRunRecord{QStringLiteral("a"), sim::RunResult{}, {}}, LabRunRecord{QStringLiteral("b"), sim::RunResult{}, {}}});
    for (const CompareRow& r : c.rows())
        EXPECT_FALSE(r.heading);
}

TEST(GuiCompareLorawan, ClassCAgainstClassBInTheLabWindowAtLaptopSize)
{
    testing::ensureApp();
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
    const LabRunRecord classB = demoRun(QStringLiteral("lorawan-demo, class B"), QStringLiteral("sessionClass"), QStringLiteral("B"));
    ASSERT_FALSE(classB.result.fleetFigures.empty());
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(window.openScenario(kDemo, true));
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.session().state() == LabSession::RunState::Ready; }, 30'000));
    ComparePanel* panel = window.comparePanel();
    panel->setRuns({asBundled(), classB});
    ASSERT_TRUE(window.showPanel(QStringLiteral("compare")));
    for (int i = 0; i < 5; ++i) {
        QCoreApplication::processEvents();
        QTest::qWait(20);
    }
    ASSERT_TRUE(panel->isVisible());
    EXPECT_TRUE(panel->differenceLabel()->text().contains(QStringLiteral("fleets[0].campaign.sessionClass \"C\" → \"B\"")))
        << panel->differenceLabel()->text().toStdString();
    // Completion in the legend, the fleet's heading across the table.
    const auto markers = panel->chart()->legend()->markers();
    ASSERT_EQ(markers.size(), 2);
    EXPECT_TRUE(markers[0]->label().endsWith(QStringLiteral("% upgraded)"))) << markers[0]->label().toStdString();
    QTableWidget* table = panel->table();
    int heading = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0) && table->item(r, 0)->text() == QStringLiteral("fleet “sensors” (lorawan)"))
            heading = r;
    ASSERT_GE(heading, 0);
    EXPECT_EQ(table->columnSpan(heading, 0), 4);
    // The figures' columns fit the panel: values are elided, not widened past it.
    int width = 0;
    for (int col = 0; col < table->columnCount(); ++col)
        width += table->columnWidth(col);
    EXPECT_LE(width, table->viewport()->width() + 1);
    const QByteArray shot = qgetenv("OTALAB_SCREENSHOT_DIR");  // for people: the picture of this view
    if (!shot.isEmpty())
    {
        window.grab().save(QString::fromLocal8Bit(shot) + QStringLiteral("/compare-lorawan-1366x768.png"));
        table->scrollToItem(table->item(heading, 0), QAbstractItemView::PositionAtTop);  // the fleet's own figures
        QCoreApplication::processEvents();
        window.grab().save(QString::fromLocal8Bit(shot) + QStringLiteral("/compare-lorawan-fleet-1366x768.png"));
    }
    QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab")).clear();
}

} // namespace
} // namespace otalab::app
