// SPDX-License-Identifier: Apache-2.0
// The scenario form edits a LoRaWAN fleet ($defs.lorawanFleet) field by field: the edits
// reach the JSON text in place and the loaded scenario; keys that take a keyword or a
// value (redundancyPercent, groupDeletion, forgedFragments) switch through their Choice;
// class B shows the ping-slot periodicity; every schema key has a field or is JSON-only.
#include "app/gui/scenario/scenariodocument.h"
#include "app/gui/scenario/scenariofieldinput.h"
#include "app/gui/scenario/scenariofieldspec.h"
#include "app/gui/scenario/scenarioform.h"
#include "app/gui/scenario/scenariojsoneditor.h"
#include "app/gui/scenario/scenariopanel.h"
#include "gui_test_support.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QScrollArea>
#include <QSignalSpy>
#include <functional>
#include <QSpinBox>
#include <QTest>

using otalab::app::ScenarioDocument;
using otalab::app::ScenarioFieldInput;
using otalab::app::ScenarioPanel;
using otalab::sim::LorawanCampaignConfig;

namespace {

const QString kFleet = QStringLiteral("$.fleets[0].");

struct Fixture {
    ScenarioDocument doc;
    std::unique_ptr<ScenarioPanel> panel;

    Fixture()
    {
        otalab::testing::ensureApp();
        if (!doc.open(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/lorawan-demo.json")))
            ADD_FAILURE() << "cannot open lorawan-demo.json";
        panel = std::make_unique<ScenarioPanel>(doc);
        panel->resize(1366, 768);
        panel->show();
        if (!QTest::qWaitForWindowExposed(panel.get()))
            ADD_FAILURE() << "panel not exposed";
    }
    otalab::app::ScenarioForm* form() const { return panel->form(); }
    ScenarioFieldInput* input(const QString& key) const
    {
        return qobject_cast<ScenarioFieldInput*>(form()->fieldWidget(kFleet + key));
    }
    bool shown(const QString& key) const
    {
        const ScenarioFieldInput* i = input(key);
        return i && i->isVisibleTo(panel.get());
    }
    QJsonObject fleet0() const
    {
        return QJsonDocument::fromJson(doc.text().toUtf8()).object().value(QStringLiteral("fleets")).toArray().at(0).toObject();
    }
    QJsonValue at(const QString& object, const QString& key) const { return fleet0().value(object).toObject().value(key); }
    const otalab::sim::LorawanFleetConfig* lorawan0() const
    {
        if (!doc.scenario() || doc.scenario()->fleets.empty())
            return nullptr;
        return std::get_if<otalab::sim::LorawanFleetConfig>(&doc.scenario()->fleets[0].family);
    }
    // What a user's choice in a combo box does.
    void choose(const QString& key, const QString& value) const
    {
        auto* box = qobject_cast<QComboBox*>(input(key)->input());
        ASSERT_NE(box, nullptr) << key.toStdString();
        const int index = box->findData(value);
        ASSERT_GE(index, 0) << value.toStdString();
        box->setCurrentIndex(index);
        Q_EMIT box->activated(index);
    }
};

std::string errorOf(const ScenarioDocument& doc) { return doc.error() ? doc.error()->message.toStdString() : "no new scenario"; }

// Waits for the document to reload after an edit made by `edit`.
::testing::AssertionResult reloads(Fixture& f, const std::function<void()>& edit)
{
    QSignalSpy configs(&f.doc, &ScenarioDocument::configChanged);
    edit();
    if (!configs.wait(10'000))
        return ::testing::AssertionFailure() << "no reload: " << errorOf(f.doc) << "\n" << f.doc.text().toStdString();
    if (f.doc.error())
        return ::testing::AssertionFailure() << errorOf(f.doc);
    return ::testing::AssertionSuccess();
}

// Key paths of a schema object, relative to it ("campaign.redundancyPercent").
void walk(const QJsonObject& node, const QString& prefix, QStringList& out)
{
    const QJsonObject properties = node.value(QLatin1String("properties")).toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().toObject().contains(QLatin1String("properties")))
            walk(it.value().toObject(), key, out);
        else
            out << key;
    }
}

} // namespace

TEST(GuiScenarioLorawanForm, RedundancySessionClassAndDeviceCountReachTheTextAndTheScenario)
{
    Fixture f;
    ASSERT_TRUE(f.doc.scenario().has_value()) << errorOf(f.doc);
    ASSERT_TRUE(f.form()->showsFleets());
    EXPECT_TRUE(f.form()->findChildren<QLabel*>(QStringLiteral("fleetJsonOnlyNote")).isEmpty());

    auto* redundancy = qobject_cast<QDoubleSpinBox*>(f.input(QStringLiteral("campaign.redundancyPercent"))->input());
    auto* count = qobject_cast<QSpinBox*>(f.input(QStringLiteral("devices.count"))->input());
    ASSERT_TRUE(redundancy && count);
    EXPECT_DOUBLE_EQ(redundancy->value(), 10);  // shown from the file
    EXPECT_EQ(count->value(), 1000);
    EXPECT_FALSE(f.shown(QStringLiteral("campaign.pingSlotPeriodicity")));  // class C
    const QString before = f.doc.text();

    ASSERT_TRUE(reloads(f, [&] {
        redundancy->setValue(30);
        count->setValue(500);
    }));
    EXPECT_DOUBLE_EQ(f.at(QStringLiteral("campaign"), QStringLiteral("redundancyPercent")).toDouble(), 30);
    EXPECT_EQ(f.at(QStringLiteral("devices"), QStringLiteral("count")).toInt(), 500);
    // Only those values changed, in place: the rest is as typed.
    EXPECT_TRUE(f.doc.text().contains(QLatin1String("\"redundancyPercent\": 30, \"fecVersion\": 2")));
    EXPECT_TRUE(f.doc.text().contains(QLatin1String("\"devices\": { \"count\": 500, \"areaRadiusM\": 2000")));
    EXPECT_EQ(f.doc.text().size(), before.size() - 1);
    EXPECT_EQ(f.panel->editor()->toPlainText(), f.doc.text());
    ASSERT_NE(f.lorawan0(), nullptr);
    EXPECT_EQ(f.lorawan0()->campaign.redundancyPercent, std::optional<double>(30));
    EXPECT_EQ(f.lorawan0()->devices.count, 500);

    // Class B: the ping-slot periodicity appears, and its edit reaches the scenario.
    ASSERT_TRUE(reloads(f, [&] { f.choose(QStringLiteral("campaign.sessionClass"), QStringLiteral("B")); }));
    EXPECT_EQ(f.at(QStringLiteral("campaign"), QStringLiteral("sessionClass")).toString(), QStringLiteral("B"));
    EXPECT_EQ(f.lorawan0()->campaign.sessionClass, LorawanCampaignConfig::SessionClass::B);
    ASSERT_TRUE(f.shown(QStringLiteral("campaign.pingSlotPeriodicity")));
    auto* ping = qobject_cast<QSpinBox*>(f.input(QStringLiteral("campaign.pingSlotPeriodicity"))->input());
    ASSERT_NE(ping, nullptr);
    ASSERT_TRUE(reloads(f, [&] { ping->setValue(3); }));
    EXPECT_EQ(f.at(QStringLiteral("campaign"), QStringLiteral("pingSlotPeriodicity")).toInt(), 3);
    EXPECT_EQ(f.lorawan0()->campaign.pingSlotPeriodicity, 3);
    // Back to class C: the periodicity goes (hidden, and no stray key in the text).
    ASSERT_TRUE(reloads(f, [&] { f.choose(QStringLiteral("campaign.sessionClass"), QStringLiteral("C")); }));
    EXPECT_FALSE(f.shown(QStringLiteral("campaign.pingSlotPeriodicity")));
    EXPECT_FALSE(f.fleet0().value(QStringLiteral("campaign")).toObject().contains(QStringLiteral("pingSlotPeriodicity")));
    EXPECT_EQ(f.lorawan0()->campaign.sessionClass, LorawanCampaignConfig::SessionClass::C);

    const QByteArray shot = qgetenv("OTALAB_SCREENSHOT_DIR");  // for people: the Campaign section in class B
    if (!shot.isEmpty()) {
        ASSERT_TRUE(reloads(f, [&] { f.choose(QStringLiteral("campaign.sessionClass"), QStringLiteral("B")); }));
        if (auto* scroll = f.form()->findChild<QScrollArea*>())
            scroll->ensureWidgetVisible(f.input(QStringLiteral("campaign.startAtS")), 10, 10);
        QCoreApplication::processEvents();
        f.panel->grab().save(QString::fromLocal8Bit(shot) + QStringLiteral("/scenario-lorawan-campaign.png"));
    }
}

TEST(GuiScenarioLorawanForm, KeywordOrValueKeysSwitchThroughTheirChoice)
{
    Fixture f;
    ASSERT_TRUE(f.form()->showsFleets()) << errorOf(f.doc);
    const QString redundancyForm = QStringLiteral("campaign.redundancyPercent#form");
    EXPECT_TRUE(f.shown(QStringLiteral("campaign.redundancyPercent")));

    ASSERT_TRUE(reloads(f, [&] { f.choose(redundancyForm, QStringLiteral("adaptive")); }));
    EXPECT_EQ(f.at(QStringLiteral("campaign"), QStringLiteral("redundancyPercent")).toString(), QStringLiteral("adaptive"));
    EXPECT_EQ(f.lorawan0()->campaign.redundancyPercent, std::nullopt);
    EXPECT_FALSE(f.shown(QStringLiteral("campaign.redundancyPercent")));
    ASSERT_TRUE(reloads(f, [&] { f.choose(redundancyForm, QStringLiteral("percent")); }));
    EXPECT_DOUBLE_EQ(f.at(QStringLiteral("campaign"), QStringLiteral("redundancyPercent")).toDouble(), 10);  // the default shown
    EXPECT_EQ(f.lorawan0()->campaign.redundancyPercent, std::optional<double>(10));

    // "afterSession" → {"afterQueueS": 60}: the real server's early group deletion.
    EXPECT_FALSE(f.shown(QStringLiteral("campaign.groupDeletion.afterQueueS")));
    ASSERT_TRUE(reloads(f, [&] { f.choose(QStringLiteral("campaign.groupDeletion#form"), QStringLiteral("afterQueueS")); }));
    EXPECT_EQ(f.at(QStringLiteral("campaign"), QStringLiteral("groupDeletion")).toObject(),
              (QJsonObject{{QStringLiteral("afterQueueS"), 60}}));
    EXPECT_EQ(f.lorawan0()->campaign.groupDeleteAfterQueueS, std::optional<double>(60));
    auto* afterQueue = qobject_cast<QDoubleSpinBox*>(f.input(QStringLiteral("campaign.groupDeletion.afterQueueS"))->input());
    ASSERT_TRUE(afterQueue && f.shown(QStringLiteral("campaign.groupDeletion.afterQueueS")));
    ASSERT_TRUE(reloads(f, [&] { afterQueue->setValue(120); }));
    EXPECT_EQ(f.lorawan0()->campaign.groupDeleteAfterQueueS, std::optional<double>(120));

    // Fragment size "auto" → bytes; the uplink data rate "auto" → a fixed DR.
    ASSERT_TRUE(reloads(f, [&] { f.choose(QStringLiteral("campaign.fragmentSize#form"), QStringLiteral("bytes")); }));
    EXPECT_EQ(f.lorawan0()->campaign.fragmentSize, std::optional<int>(239));
    ASSERT_TRUE(reloads(f, [&] { f.choose(QStringLiteral("devices.dataRate#form"), QStringLiteral("fixed")); }));
    EXPECT_EQ(f.lorawan0()->devices.dataRate, std::optional<int>(5));
    ASSERT_TRUE(reloads(f, [&] { f.choose(QStringLiteral("devices.dataRate#form"), QStringLiteral("auto")); }));
    EXPECT_EQ(f.at(QStringLiteral("devices"), QStringLiteral("dataRate")).toString(), QStringLiteral("auto"));
    EXPECT_EQ(f.lorawan0()->devices.dataRate, std::nullopt);

    // Forged fragments: absent → an object with count and first counter → absent again.
    ASSERT_TRUE(reloads(f, [&] { f.choose(QStringLiteral("faults.forgedFragments#form"), QStringLiteral("inject")); }));
    ASSERT_TRUE(f.lorawan0()->faults.forgedFragments.has_value());
    EXPECT_EQ(f.lorawan0()->faults.forgedFragments->count, 1);
    auto* forged = qobject_cast<QSpinBox*>(f.input(QStringLiteral("faults.forgedFragments.count"))->input());
    ASSERT_NE(forged, nullptr);
    ASSERT_TRUE(reloads(f, [&] { forged->setValue(4); }));
    EXPECT_EQ(f.lorawan0()->faults.forgedFragments->count, 4);
    ASSERT_TRUE(reloads(f, [&] { f.choose(QStringLiteral("faults.forgedFragments#form"), QStringLiteral("none")); }));
    EXPECT_FALSE(f.lorawan0()->faults.forgedFragments.has_value());
    EXPECT_FALSE(f.fleet0().value(QStringLiteral("faults")).toObject().contains(QStringLiteral("forgedFragments")));
}

TEST(GuiScenarioLorawanForm, EveryKeyOfALorawanFleetHasAFormFieldOrIsJsonOnly)
{
    QFile schemaFile(QStringLiteral(OTALAB_RESOURCES_DIR "/scenario.schema.json"));
    ASSERT_TRUE(schemaFile.open(QIODevice::ReadOnly));
    const QJsonObject schema = QJsonDocument::fromJson(schemaFile.readAll()).object();
    const QJsonObject fleet = schema.value(QStringLiteral("$defs")).toObject().value(QStringLiteral("lorawanFleet")).toObject();
    QStringList keys;
    walk(fleet, QString(), keys);
    ASSERT_GT(keys.size(), 50);

    Fixture f;
    ASSERT_TRUE(f.form()->showsFleets()) << errorOf(f.doc);
    const QStringList jsonOnly = otalab::app::scenariofields::lorawanJsonOnly();
    QStringList missing;
    for (const QString& key : std::as_const(keys)) {
        if (key == QLatin1String("family") || jsonOnly.contains(key))  // "family" makes it a LoRaWAN fleet
            continue;
        if (!f.form()->fieldWidget(kFleet + key))
            missing << key;
    }
    EXPECT_TRUE(missing.isEmpty()) << missing.join(QStringLiteral(", ")).toStdString();
    // The JSON-only keys are schema keys, and the fleet's box says to edit them in the text.
    for (const QString& key : jsonOnly)
        EXPECT_TRUE(keys.contains(key)) << key.toStdString();
    const auto notes = f.form()->findChildren<QLabel*>(QStringLiteral("fleetJsonOnlyKeysNote"));
    ASSERT_EQ(notes.size(), 1);
    EXPECT_TRUE(notes[0]->text().contains(QLatin1String("gateways.positions")));
    EXPECT_TRUE(notes[0]->text().contains(QLatin1String("JSON")));
}

TEST(GuiScenarioLorawanForm, FormsOfKeywordKeysAreShownFromTheObjectAndWrittenAsTheKey)
{
    using namespace otalab::app;
    const QList<ScenarioFieldSpec> specs = scenariofields::lorawanCampaign();
    const QJsonObject adaptive = scenariofields::showForms(QJsonObject{{QStringLiteral("redundancyPercent"), QStringLiteral("adaptive")}}, specs);
    EXPECT_EQ(adaptive.value(QStringLiteral("redundancyPercent#form")).toString(), QStringLiteral("adaptive"));
    EXPECT_FALSE(adaptive.contains(QStringLiteral("redundancyPercent")));  // the number shows its default
    const QJsonObject percent = scenariofields::showForms(QJsonObject{{QStringLiteral("redundancyPercent"), 25}}, specs);
    EXPECT_EQ(percent.value(QStringLiteral("redundancyPercent#form")).toString(), QStringLiteral("percent"));
    EXPECT_EQ(percent.value(QStringLiteral("redundancyPercent")).toDouble(), 25);
    const QJsonObject queue = scenariofields::showForms(
        QJsonObject{{QStringLiteral("groupDeletion"), QJsonObject{{QStringLiteral("afterQueueS"), 5}}}}, specs);
    EXPECT_EQ(queue.value(QStringLiteral("groupDeletion#form")).toString(), QStringLiteral("afterQueueS"));
    EXPECT_FALSE(scenariofields::showForms({}, specs).contains(QStringLiteral("groupDeletion#form")));  // the default

    const QString c = QStringLiteral("$.fleets[0].campaign.");
    const QList<JsonEdit> keyword = scenariofields::writeForms(
        {JsonEdit{c + QStringLiteral("groupDeletion#form"), QJsonValue(QStringLiteral("afterSession"))},
         JsonEdit{c + QStringLiteral("groupDeletion.afterQueueS"), std::nullopt}});
    ASSERT_EQ(keyword.size(), 1);
    EXPECT_EQ(keyword[0].path, c + QStringLiteral("groupDeletion"));
    EXPECT_EQ(keyword[0].value, std::optional<QJsonValue>(QStringLiteral("afterSession")));
    const QList<JsonEdit> value = scenariofields::writeForms(
        {JsonEdit{c + QStringLiteral("startAtS"), QJsonValue(1)},
         JsonEdit{c + QStringLiteral("groupDeletion#form"), QJsonValue(QStringLiteral("afterQueueS"))},
         JsonEdit{c + QStringLiteral("groupDeletion.afterQueueS"), QJsonValue(60)}});
    ASSERT_EQ(value.size(), 2);
    EXPECT_EQ(value[0].path, c + QStringLiteral("startAtS"));
    EXPECT_EQ(value[1].path, c + QStringLiteral("groupDeletion"));
    EXPECT_EQ(value[1].value, std::optional<QJsonValue>(QJsonObject{{QStringLiteral("afterQueueS"), 60}}));
    const QList<JsonEdit> none = scenariofields::writeForms({JsonEdit{QStringLiteral("$.f#form"), QJsonValue(QStringLiteral("none"))}});
    ASSERT_EQ(none.size(), 1);
    EXPECT_EQ(none[0].path, QStringLiteral("$.f"));
    EXPECT_EQ(none[0].value, std::nullopt);
}
