// SPDX-License-Identifier: Apache-2.0
// The scenario form reaches every key of a one-Zigbee-fleet scenario, lists included
// (per-router loss overrides with their time window, link cuts, per-device policies and
// client overrides), and its list edits patch the JSON text in place.
#include "app/gui/scenario/scenariodocument.h"
#include "app/gui/scenario/scenariofieldgroup.h"
#include "app/gui/scenario/scenariofieldinput.h"
#include "app/gui/scenario/scenarioform.h"
#include "app/gui/scenario/scenariojsoneditor.h"
#include "app/gui/scenario/scenariolisteditor.h"
#include "app/gui/scenario/scenariopanel.h"
#include "gui_test_support.h"
#include "sim/energy/devicepreset.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using otalab::app::ScenarioDocument;
using otalab::app::ScenarioFieldInput;
using otalab::app::ScenarioPanel;

namespace {

QString starterPath() { return QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"); }

struct Fixture {
    ScenarioDocument doc;
    std::unique_ptr<ScenarioPanel> panel;

    explicit Fixture(const QString& text = {})
    {
        otalab::testing::ensureApp();
        if (!doc.open(starterPath()))
            ADD_FAILURE() << "cannot open the starter";
        if (!text.isEmpty()) {
            doc.setText(text);
            doc.validateNow();
        }
        panel = std::make_unique<ScenarioPanel>(doc);
        panel->resize(1366, 768);
        panel->show();
        if (!QTest::qWaitForWindowExposed(panel.get()))
            ADD_FAILURE() << "panel not exposed";
    }
    otalab::app::ScenarioForm* form() const { return panel->form(); }
    ScenarioFieldInput* input(const QString& path) const { return qobject_cast<ScenarioFieldInput*>(form()->fieldWidget(path)); }
    // Waits for the debounced validation of the edits made so far to publish a new config.
    bool waitForConfig(QSignalSpy& configs)
    {
        return configs.wait(10'000) && !doc.error();
    }
    QJsonObject json() const { return QJsonDocument::fromJson(doc.text().toUtf8()).object(); }
};

// Types `text` into a line edit and presses Return, as a user would.
void type(QWidget* widget, const QString& text)
{
    auto* edit = qobject_cast<QLineEdit*>(widget);
    ASSERT_NE(edit, nullptr);
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
}

// Every key path a one-Zigbee-fleet scenario accepts, from the schema: "$.channel.cuts[0].a"
// for lists of objects, "$.images[0].corruptOffsets" for lists of numbers.
void walkSchema(const QJsonObject& defs, const QJsonObject& node, const QString& path, QStringList& out, QStringList seen = {})
{
    if (node.contains(QLatin1String("$ref"))) {
        const QString ref = node.value(QLatin1String("$ref")).toString();
        if (ref.startsWith(QLatin1String("#/$defs/"))) {
            const QString name = ref.mid(8);
            if (!seen.contains(name))
                walkSchema(defs, defs.value(name).toObject(), path, out, seen << name);
        }
        return;
    }
    for (const char* combinator : {"oneOf", "anyOf", "allOf"})
        for (const QJsonValue& sub : node.value(QLatin1String(combinator)).toArray())
            walkSchema(defs, sub.toObject(), path, out, seen);
    const QJsonObject properties = node.value(QLatin1String("properties")).toObject();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        walkSchema(defs, it.value().toObject(), path + QLatin1Char('.') + it.key(), out, seen);
    if (properties.isEmpty()) {
        const QJsonObject items = node.value(QLatin1String("items")).toObject();
        const bool objectItems = items.contains(QLatin1String("properties")) || items.contains(QLatin1String("$ref"));
        if (objectItems)
            walkSchema(defs, items, path + QStringLiteral("[0]"), out, seen);
        else if (!out.contains(path))
            out << path;
    }
}

// One "rollout" object per policy, together every key but "targets" (both rate-increase
// criteria are exclusive, so aws-jobs comes twice), one element in every list.
QList<QJsonObject> everyRolloutSection()
{
    const auto exponential = [](const char* criterion) {
        return QJsonObject{{QStringLiteral("baseRatePerMinute"), 10}, {QStringLiteral("incrementFactor"), 2},
                           {QStringLiteral("rateIncreaseCriteria"), QJsonObject{{QLatin1String(criterion), 5}}}};
    };
    const auto awsJobs = [&](const char* criterion) {
        return QJsonObject{
            {QStringLiteral("policy"), QStringLiteral("aws-jobs")},
            {QStringLiteral("jobId"), QStringLiteral("every-key")},
            {QStringLiteral("order"), QStringLiteral("index")},
            {QStringLiteral("jobExecutionsRolloutConfig"),
             QJsonObject{{QStringLiteral("maximumPerMinute"), 100}, {QStringLiteral("exponentialRate"), exponential(criterion)}}},
            {QStringLiteral("abortConfig"), QJsonObject{{QStringLiteral("criteriaList"), QJsonArray{QJsonObject{
                {QStringLiteral("failureType"), QStringLiteral("FAILED")}, {QStringLiteral("action"), QStringLiteral("CANCEL")},
                {QStringLiteral("thresholdPercentage"), 10}, {QStringLiteral("minNumberOfExecutedThings"), 2}}}}}},
            {QStringLiteral("timeoutConfig"), QJsonObject{{QStringLiteral("inProgressTimeoutInMinutes"), 30}}},
            {QStringLiteral("jobExecutionsRetryConfig"), QJsonObject{{QStringLiteral("criteriaList"), QJsonArray{QJsonObject{
                {QStringLiteral("failureType"), QStringLiteral("FAILED")}, {QStringLiteral("numberOfRetries"), 1}}}}}},
            {QStringLiteral("schedulingConfig"), QJsonObject{
                {QStringLiteral("startS"), 0}, {QStringLiteral("endS"), 7200}, {QStringLiteral("endBehavior"), QStringLiteral("STOP_ROLLOUT")},
                {QStringLiteral("maintenanceWindows"), QJsonArray{QJsonObject{
                    {QStringLiteral("startS"), 0}, {QStringLiteral("durationS"), 600}, {QStringLiteral("periodS"), 3600}}}}}}};
    };
    const QJsonObject hawkbit{
        {QStringLiteral("policy"), QStringLiteral("hawkbit")},
        {QStringLiteral("groups"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("all")}, {QStringLiteral("targetPercentage"), 100},
                                                          {QStringLiteral("successThreshold"), 80}, {QStringLiteral("errorThreshold"), 20}}}}};
    const QJsonObject mender{
        {QStringLiteral("policy"), QStringLiteral("mender")},
        {QStringLiteral("maxDevices"), 2},
        {QStringLiteral("phases"), QJsonArray{QJsonObject{{QStringLiteral("batchPercentage"), 100}, {QStringLiteral("startS"), 0}}}}};
    return {awsJobs("numberOfNotifiedThings"), awsJobs("numberOfSucceededThings"), hawkbit, mender};
}

// A valid scenario with one element in every list, explicit nodes and a custom preset.
QString everyListScenario()
{
    QJsonObject preset = otalab::sim::DevicePreset::efr32mg24().toJson();
    preset.insert(QStringLiteral("name"), QStringLiteral("bench board"));
    const QJsonObject scenario{
        {QStringLiteral("name"), QStringLiteral("every list")},
        {QStringLiteral("description"), QStringLiteral("one element in every list")},
        {QStringLiteral("topology"), QJsonObject{{QStringLiteral("nodes"), QJsonArray{
            QJsonObject{{QStringLiteral("short"), QStringLiteral("0x0000")}, {QStringLiteral("role"), QStringLiteral("coordinator")}},
            QJsonObject{{QStringLiteral("short"), QStringLiteral("0x0001")}, {QStringLiteral("role"), QStringLiteral("router")},
                        {QStringLiteral("parent"), QStringLiteral("0x0000")}, {QStringLiteral("x"), 10}},
            QJsonObject{{QStringLiteral("short"), QStringLiteral("0x0002")}, {QStringLiteral("role"), QStringLiteral("end-device")},
                        {QStringLiteral("parent"), QStringLiteral("0x0001")}, {QStringLiteral("x"), 12}}}}}},
        {QStringLiteral("channel"), QJsonObject{
            {QStringLiteral("cuts"), QJsonArray{QJsonObject{{QStringLiteral("a"), QStringLiteral("0x0000")}, {QStringLiteral("b"), QStringLiteral("0x0001")},
                                                            {QStringLiteral("from"), 10}, {QStringLiteral("to"), 20}}}},
            {QStringLiteral("routerOverrides"), QJsonArray{QJsonObject{
                {QStringLiteral("router"), QStringLiteral("0x0001")}, {QStringLiteral("from"), 5}, {QStringLiteral("to"), 50},
                {QStringLiteral("loss"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("bernoulli")}, {QStringLiteral("p"), 0.2}}}}}}}},
        {QStringLiteral("device"), QJsonObject{{QStringLiteral("preset"), preset}}},
        {QStringLiteral("images"), QJsonArray{QJsonObject{{QStringLiteral("generate"), QJsonObject{{QStringLiteral("size"), 1024}}},
                                                          {QStringLiteral("corruptOffsets"), QJsonArray{100}}}}},
        {QStringLiteral("server"), QJsonObject{{QStringLiteral("devicePolicies"), QJsonArray{QJsonObject{
            {QStringLiteral("device"), QStringLiteral("0x0002")}, {QStringLiteral("authorized"), false}}}}}},
        {QStringLiteral("clientOverrides"), QJsonArray{QJsonObject{{QStringLiteral("device"), QStringLiteral("0x0002")},
                                                                   {QStringLiteral("enabled"), false}}}},
    };
    return QString::fromUtf8(QJsonDocument(scenario).toJson());
}

} // namespace

TEST(GuiScenarioFormKeys, AddsARouterLossOverrideWithATimeWindowThroughTheFormOnly)
{
    Fixture f;
    const QString before = f.doc.text();
    auto* overrides = f.form()->listEditor(QStringLiteral("$.channel.routerOverrides"));
    ASSERT_NE(overrides, nullptr);
    EXPECT_EQ(f.form()->fieldWidget(QStringLiteral("$.channel.routerOverrides[0].router")), nullptr);

    QSignalSpy configs(&f.doc, &ScenarioDocument::configChanged);
    overrides->addButton()->click();
    ASSERT_TRUE(f.waitForConfig(configs)) << (f.doc.error() ? f.doc.error()->message.toStdString() : "no new config");
    ASSERT_EQ(f.doc.config()->channel.routerOverrides.size(), 1u);
    // The new element reads in the form's order, not sorted by key.
    EXPECT_TRUE(f.doc.text().contains(
        QLatin1String("\"routerOverrides\": [{\"router\": \"0x0001\", \"from\": 0, \"loss\": {\"kind\": \"bernoulli\", \"p\": 0.1}}]")))
        << f.doc.text().toStdString();

    // Bursty loss on router 0x0001 from minute 20 to minute 30.
    ScenarioFieldInput* router = f.input(QStringLiteral("$.channel.routerOverrides[0].router"));
    ScenarioFieldInput* kind = f.input(QStringLiteral("$.channel.routerOverrides[0].loss.kind"));
    ScenarioFieldInput* from = f.input(QStringLiteral("$.channel.routerOverrides[0].from"));
    ScenarioFieldInput* until = f.input(QStringLiteral("$.channel.routerOverrides[0].to"));
    ASSERT_TRUE(router && kind && from && until);
    EXPECT_EQ(f.form()->fieldWidget(QStringLiteral("$.channel.routerOverrides[0].loss")), kind);
    type(router->input(), QStringLiteral("0x0001"));
    auto* kindBox = qobject_cast<QComboBox*>(kind->input());
    ASSERT_NE(kindBox, nullptr);
    kindBox->setCurrentIndex(kindBox->findData(QStringLiteral("gilbert-elliott")));
    Q_EMIT kindBox->activated(kindBox->currentIndex());  // what a user's choice emits
    auto* goodToBad = f.input(QStringLiteral("$.channel.routerOverrides[0].loss.pGoodToBad"));
    ASSERT_NE(goodToBad, nullptr);
    EXPECT_FALSE(f.input(QStringLiteral("$.channel.routerOverrides[0].loss.p"))->isVisibleTo(f.panel.get()));
    EXPECT_TRUE(goodToBad->isVisibleTo(f.panel.get()));
    qobject_cast<QDoubleSpinBox*>(goodToBad->input())->setValue(0.05);
    qobject_cast<QDoubleSpinBox*>(from->input())->setValue(1200);
    type(until->input(), QStringLiteral("1800"));
    ASSERT_TRUE(f.waitForConfig(configs)) << (f.doc.error() ? f.doc.error()->message.toStdString() : "no new config");

    const QJsonObject expected{
        {QStringLiteral("router"), QStringLiteral("0x0001")}, {QStringLiteral("from"), 1200}, {QStringLiteral("to"), 1800},
        {QStringLiteral("loss"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("gilbert-elliott")}, {QStringLiteral("pGoodToBad"), 0.05},
                                             {QStringLiteral("pBadToGood"), 0.3}, {QStringLiteral("lossGood"), 0}, {QStringLiteral("lossBad"), 1}}}};
    const QJsonArray written = f.json().value(QStringLiteral("channel")).toObject().value(QStringLiteral("routerOverrides")).toArray();
    ASSERT_EQ(written.size(), 1);
    EXPECT_EQ(written[0].toObject(), expected) << f.doc.text().toStdString();
    // Only the channel object changed: everything before it and the top-level loss are as typed.
    const qsizetype channelAt = before.indexOf(QLatin1String("\"channel\""));
    EXPECT_EQ(f.doc.text().left(channelAt), before.left(channelAt));
    EXPECT_TRUE(f.doc.text().contains(QLatin1String("\"loss\": { \"kind\": \"bernoulli\", \"p\": 0.01 }")));
    EXPECT_EQ(f.panel->editor()->toPlainText(), f.doc.text());

    if (const QString dir = qEnvironmentVariable("OTALAB_SCREENSHOT_DIR"); !dir.isEmpty()) {
        ASSERT_TRUE(f.form()->focusField(QStringLiteral("$.channel.routerOverrides[0].loss.kind")));
        QCoreApplication::processEvents();  // the scroll area re-lays out the grown form
        f.panel->grab().save(dir + QStringLiteral("/scenario-router-override-1366x768.png"));
    }

    const auto& loaded = f.doc.config()->channel.routerOverrides;
    ASSERT_EQ(loaded.size(), 1u);
    EXPECT_EQ(loaded[0].router, 0x0001);
    EXPECT_DOUBLE_EQ(loaded[0].fromS, 1200.0);
    ASSERT_TRUE(loaded[0].toS.has_value());
    EXPECT_DOUBLE_EQ(*loaded[0].toS, 1800.0);
    EXPECT_EQ(loaded[0].loss.kind, otalab::sim::LossKind::GilbertElliott);
    EXPECT_DOUBLE_EQ(loaded[0].loss.pGoodToBad, 0.05);

    // Emptying "until" removes the key: the override lasts to the end of the run.
    type(until->input(), QString());
    ASSERT_TRUE(f.waitForConfig(configs));
    EXPECT_FALSE(f.doc.config()->channel.routerOverrides[0].toS.has_value());

    // Remove takes the element out of the text again.
    overrides->item(0)->parentWidget()->findChild<QPushButton*>(QStringLiteral("removeItem"))->click();
    ASSERT_TRUE(f.waitForConfig(configs));
    EXPECT_TRUE(f.doc.config()->channel.routerOverrides.empty());
    EXPECT_EQ(f.form()->fieldWidget(QStringLiteral("$.channel.routerOverrides[0].router")), nullptr);
}

TEST(GuiScenarioFormKeys, AnErrorInAListElementIsFlaggedAtItsInputAndClearedWhenTheElementGoes)
{
    Fixture f;
    QSignalSpy configs(&f.doc, &ScenarioDocument::configChanged);
    QSignalSpy validations(&f.doc, &ScenarioDocument::validationChanged);
    f.form()->listEditor(QStringLiteral("$.channel.routerOverrides"))->addButton()->click();
    ASSERT_TRUE(f.waitForConfig(configs));
    // 0x0002 is an end device of the starter: the loader refuses it as a router.
    type(f.input(QStringLiteral("$.channel.routerOverrides[0].router"))->input(), QStringLiteral("0x0002"));
    ASSERT_TRUE(validations.wait(10'000));
    ASSERT_TRUE(f.doc.error().has_value());
    EXPECT_EQ(f.doc.error()->field, QStringLiteral("$.channel.routerOverrides[0].router"));
    EXPECT_EQ(f.form()->flaggedPath(), QStringLiteral("$.channel.routerOverrides[0].router"));
    EXPECT_TRUE(f.form()->fieldWidget(f.form()->flaggedPath())->property("scenarioError").toBool());
    EXPECT_TRUE(f.form()->errorText().contains(QLatin1String("Router")));

    // Removing the flagged element rebuilds the list; the flag goes with it.
    f.form()->listEditor(QStringLiteral("$.channel.routerOverrides"))->item(0)->parentWidget()
        ->findChild<QPushButton*>(QStringLiteral("removeItem"))->click();
    ASSERT_TRUE(f.waitForConfig(configs));
    EXPECT_TRUE(f.form()->flaggedPath().isEmpty());
    EXPECT_TRUE(f.form()->errorText().isEmpty());
    EXPECT_TRUE(f.doc.config()->channel.routerOverrides.empty());
}

TEST(GuiScenarioFormKeys, EveryListGetsAValidElementFromItsAddButton)
{
    Fixture f;
    QSignalSpy configs(&f.doc, &ScenarioDocument::configChanged);
    for (const char* list : {"$.channel.cuts", "$.server.devicePolicies", "$.clientOverrides", "$.channel.routerOverrides"}) {
        auto* editor = f.form()->listEditor(QLatin1String(list));
        ASSERT_NE(editor, nullptr) << list;
        editor->addButton()->click();
        ASSERT_TRUE(f.waitForConfig(configs)) << list << ": " << (f.doc.error() ? f.doc.error()->message.toStdString() : "no new config");
        EXPECT_EQ(editor->count(), 1) << list;
        EXPECT_NE(f.form()->fieldWidget(QLatin1String(list) + QStringLiteral("[0]")), nullptr) << list;
    }
    if (const QString dir = qEnvironmentVariable("OTALAB_SCREENSHOT_DIR"); !dir.isEmpty()) {
        ASSERT_TRUE(f.form()->focusField(QStringLiteral("$.server.devicePolicies[0].upgradeTime")));
        QCoreApplication::processEvents();
        f.panel->grab().save(dir + QStringLiteral("/scenario-policies-1366x768.png"));
        ASSERT_TRUE(f.form()->focusField(QStringLiteral("$.clientOverrides[0].enabled")));
        QCoreApplication::processEvents();
        f.panel->grab().save(dir + QStringLiteral("/scenario-client-overrides-1366x768.png"));
    }
    const auto& c = *f.doc.config();
    EXPECT_EQ(c.channel.cuts.size(), 1u);
    EXPECT_EQ(c.server.devicePolicies.size(), 1u);
    EXPECT_EQ(c.clientOverrides.size(), 1u);
    EXPECT_EQ(c.channel.routerOverrides.size(), 1u);
}

TEST(GuiScenarioFormKeys, AFurtherImageIsAddedAndSwitchedToAFileThroughTheForm)
{
    Fixture f;
    QSignalSpy configs(&f.doc, &ScenarioDocument::configChanged);
    auto* images = f.form()->listEditor(QStringLiteral("$.images"));
    ASSERT_NE(images, nullptr);
    EXPECT_EQ(images->count(), 0);  // images[0] has its own group
    images->addButton()->click();
    ASSERT_TRUE(f.waitForConfig(configs)) << (f.doc.error() ? f.doc.error()->message.toStdString() : "no new config");
    ASSERT_EQ(f.doc.config()->images.size(), 2u);
    EXPECT_EQ(f.doc.config()->images[1].imageType, 0x0002);
    ScenarioFieldInput* size = f.input(QStringLiteral("$.images[1].generate.size"));
    ASSERT_NE(size, nullptr);
    qobject_cast<QSpinBox*>(size->input())->setValue(4096);
    ASSERT_TRUE(f.waitForConfig(configs));
    EXPECT_EQ(f.doc.config()->images[1].sizeBytes, 4096u);
    // A path replaces "generate" (the loader takes one or the other).
    type(f.input(QStringLiteral("$.images[1].path"))->input(), QStringLiteral("../../tests/data/zigbee/sample.ota"));
    f.doc.validateNow();
    const QJsonObject second = f.json().value(QStringLiteral("images")).toArray().at(1).toObject();
    EXPECT_FALSE(second.contains(QStringLiteral("generate")));
    EXPECT_EQ(second.value(QStringLiteral("path")).toString(), QStringLiteral("../../tests/data/zigbee/sample.ota"));
}

TEST(GuiScenarioFormKeys, ACustomPresetStartsFromTheNamedOneAndItsCurrentsAreEditable)
{
    Fixture f;
    QSignalSpy configs(&f.doc, &ScenarioDocument::configChanged);
    auto* preset = qobject_cast<QComboBox*>(f.form()->fieldWidget(QStringLiteral("$.device.preset")));
    ASSERT_NE(preset, nullptr);
    ScenarioFieldInput* active = f.input(QStringLiteral("$.device.preset.cpu.activeA"));
    ASSERT_NE(active, nullptr);
    EXPECT_FALSE(active->isEnabledTo(f.panel.get()));  // a named preset: its currents are shown, not edited
    const int custom = preset->count() - 1;
    preset->setCurrentIndex(custom);
    Q_EMIT preset->activated(custom);
    ASSERT_TRUE(f.waitForConfig(configs)) << (f.doc.error() ? f.doc.error()->message.toStdString() : "no new config");
    ASSERT_TRUE(f.doc.config()->device.customPreset.has_value());
    EXPECT_EQ(f.doc.config()->device.customPreset->cpu.activeA, otalab::sim::DevicePreset::efr32mg24().cpu.activeA);
    EXPECT_TRUE(active->isEnabledTo(f.panel.get()));
    qobject_cast<QDoubleSpinBox*>(active->input())->setValue(0.0042);
    ASSERT_TRUE(f.waitForConfig(configs));
    EXPECT_DOUBLE_EQ(f.doc.config()->device.customPreset->cpu.activeA, 0.0042);
    EXPECT_EQ(f.doc.config()->device.customPreset->name, QStringLiteral("custom"));
}

TEST(GuiScenarioFormKeys, EverySchemaKeyOfAZigbeeScenarioHasAFormField)
{
    QFile file(QStringLiteral(OTALAB_RESOURCES_DIR "/scenario.schema.json"));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QJsonObject schema = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject defs = schema.value(QStringLiteral("$defs")).toObject();
    QStringList paths, rolloutPaths;
    const QJsonObject top = schema.value(QStringLiteral("properties")).toObject();
    for (auto it = top.begin(); it != top.end(); ++it) {
        // "$schema" is for editors, "fleets" the multi-family form (shown as JSON only);
        // "faults" / "attacks" (sim/fleet/faults) are edited in the JSON text.
        if (it.key() == QLatin1String("$schema") || it.key() == QLatin1String("fleets") || it.key() == QLatin1String("faults")
            || it.key() == QLatin1String("attacks"))
            continue;
        // "rollout": its policy-specific keys are refused with another policy, so they are
        // reached below with one rollout section per policy.
        walkSchema(defs, it.value().toObject(), QStringLiteral("$.") + it.key(), it.key() == QLatin1String("rollout") ? rolloutPaths : paths);
    }
    ASSERT_GT(paths.size(), 120) << "the schema walk found too few keys";
    ASSERT_GT(rolloutPaths.size(), 25) << "the schema walk found too few rollout keys";
    // The Rollout form says so on its face: targets are fleet names, edited in the JSON text.
    rolloutPaths.removeAll(QStringLiteral("$.rollout.targets"));

    Fixture f(everyListScenario());
    ASSERT_FALSE(f.doc.error()) << f.doc.error()->field.toStdString() << ": " << f.doc.error()->message.toStdString();
    QStringList missing;
    for (const QString& path : std::as_const(paths))
        if (!f.form()->fieldWidget(path))
            missing << path;
    EXPECT_TRUE(missing.isEmpty()) << "keys without a form field:\n  " << missing.join(QStringLiteral("\n  ")).toStdString();

    // The same one-Zigbee-fleet scenario with each policy's rollout section (one element
    // in every list): every rollout key has an input under some policy.
    QSet<QString> rolloutFields;
    const QJsonObject base = QJsonDocument::fromJson(everyListScenario().toUtf8()).object();
    for (const QJsonObject& rollout : everyRolloutSection()) {
        QJsonObject scenario = base;
        scenario.insert(QStringLiteral("rollout"), rollout);
        f.doc.setText(QString::fromUtf8(QJsonDocument(scenario).toJson()));
        f.doc.validateNow();
        ASSERT_FALSE(f.doc.error()) << rollout.value(QStringLiteral("policy")).toString().toStdString() << ": "
                                    << f.doc.error()->field.toStdString() << ": " << f.doc.error()->message.toStdString();
        ASSERT_FALSE(f.form()->showsFleets());
        for (const QString& path : f.form()->fieldPaths())
            rolloutFields.insert(path);
    }
    QStringList missingRollout;
    for (const QString& path : std::as_const(rolloutPaths))
        if (!rolloutFields.contains(path))
            missingRollout << path;
    EXPECT_TRUE(missingRollout.isEmpty()) << "rollout keys without a form field:\n  " << missingRollout.join(QStringLiteral("\n  ")).toStdString();
}
