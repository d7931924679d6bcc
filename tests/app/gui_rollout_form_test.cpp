// SPDX-License-Identifier: Apache-2.0
// The scenario form's Rollout section and jobs fleet fields: a rollout section round-trips
// (load → edit a field → save → the file has it), a bad value is flagged at its input,
// another policy drops the keys it refuses, and a jobs fleet's fields reach the text.
#include "app/gui/rollout/rolloutform.h"
#include "app/gui/scenario/scenariodocument.h"
#include "app/gui/scenario/scenariofieldinput.h"
#include "app/gui/scenario/scenarioform.h"
#include "app/gui/scenario/scenariolisteditor.h"
#include "app/gui/scenario/scenariopanel.h"
#include "gui_test_support.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using otalab::app::ScenarioDocument;
using otalab::app::ScenarioFieldInput;
using otalab::app::ScenarioPanel;

namespace {

struct Fixture {
    QTemporaryDir dir;
    QString path;
    ScenarioDocument doc;
    std::unique_ptr<ScenarioPanel> panel;

    explicit Fixture(const char* scenario = "jobs-rollout.json")
    {
        otalab::testing::ensureApp();
        path = dir.filePath(QLatin1String(scenario));
        if (!QFile::copy(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/") + QLatin1String(scenario), path))
            ADD_FAILURE() << "cannot copy " << scenario;
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        if (!doc.open(path))
            ADD_FAILURE() << "cannot open " << scenario;
        panel = std::make_unique<ScenarioPanel>(doc);
        panel->resize(1366, 768);
        panel->show();
        if (!QTest::qWaitForWindowExposed(panel.get()))
            ADD_FAILURE() << "panel not exposed";
    }
    otalab::app::ScenarioForm* form() const { return panel->form(); }
    ScenarioFieldInput* input(const QString& path) const { return qobject_cast<ScenarioFieldInput*>(form()->fieldWidget(path)); }
    QJsonObject saved() const
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }
    QJsonObject text() const { return QJsonDocument::fromJson(doc.text().toUtf8()).object(); }
    // The Rollout section on screen: the fleets form's, or the one-Zigbee-fleet groups' (both exist).
    otalab::app::RolloutForm* shownRolloutForm() const
    {
        for (auto* form : panel->form()->findChildren<otalab::app::RolloutForm*>())
            if (form->isVisibleTo(panel.get()))
                return form;
        return nullptr;
    }
};

std::string errorOf(const ScenarioDocument& doc) { return doc.error() ? doc.error()->toString().toStdString() : std::string(); }

// Runs `edit` and waits for the document to validate the new text: a new valid scenario
// (configChanged) or a new error (validationChanged); generous bound, no sleep.
::testing::AssertionResult validated(Fixture& f, const std::function<void()>& edit)
{
    QSignalSpy configs(&f.doc, &ScenarioDocument::configChanged);
    QSignalSpy validations(&f.doc, &ScenarioDocument::validationChanged);
    const QString before = f.doc.text();
    edit();
    if (f.doc.text() == before)
        return ::testing::AssertionFailure() << "the edit did not change the text";
    QElapsedTimer waited;
    waited.start();
    while (configs.isEmpty() && validations.isEmpty() && waited.elapsed() < 10'000)
        configs.wait(100);  // returns at the signal; validationChanged is checked every pass
    if (configs.isEmpty() && validations.isEmpty())
        return ::testing::AssertionFailure() << "no validation";
    return ::testing::AssertionSuccess();
}

const QString kAbort0 = QStringLiteral("$.rollout.abortConfig.criteriaList[0]");

} // namespace

TEST(GuiRolloutForm, RolloutSectionRoundTripsThroughTheFormAndTheSavedFile)
{
    Fixture f;
    ASSERT_TRUE(f.doc.scenario().has_value()) << errorOf(f.doc);
    ASSERT_TRUE(f.form()->showsFleets());
    auto* rollout = f.shownRolloutForm();
    ASSERT_NE(rollout, nullptr);
    EXPECT_TRUE(rollout->hasRollout());

    // Shown from the file.
    ScenarioFieldInput* threshold = f.input(kAbort0 + QStringLiteral(".thresholdPercentage"));
    ASSERT_NE(threshold, nullptr) << f.form()->fieldPaths().join(u' ').toStdString();
    auto* thresholdSpin = qobject_cast<QDoubleSpinBox*>(threshold->input());
    ASSERT_NE(thresholdSpin, nullptr);
    EXPECT_DOUBLE_EQ(thresholdSpin->value(), 5);
    auto* base = qobject_cast<QSpinBox*>(f.input(QStringLiteral("$.rollout.jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute"))->input());
    ASSERT_NE(base, nullptr);
    EXPECT_EQ(base->value(), 50);
    EXPECT_TRUE(base->isVisibleTo(f.panel.get()));
    EXPECT_EQ(rollout->listEditor(QStringLiteral("$.rollout.abortConfig.criteriaList"))->count(), 1);

    // Edit → the text and the loaded scenario have it → save → the file has it.
    ASSERT_TRUE(validated(f, [&] { thresholdSpin->setValue(8); }));
    ASSERT_FALSE(f.doc.error()) << errorOf(f.doc);
    ASSERT_TRUE(f.doc.scenario() && f.doc.scenario()->rollout);
    EXPECT_DOUBLE_EQ(f.doc.scenario()->rollout->abort.at(0).thresholdPercentage, 8);
    ASSERT_TRUE(validated(f, [&] { base->setValue(80); }));
    ASSERT_TRUE(f.doc.save()) << "save";
    const QJsonObject saved = f.saved().value(QStringLiteral("rollout")).toObject();
    EXPECT_DOUBLE_EQ(saved.value(QStringLiteral("abortConfig")).toObject().value(QStringLiteral("criteriaList")).toArray().at(0)
                         .toObject().value(QStringLiteral("thresholdPercentage")).toDouble(), 8);
    EXPECT_EQ(saved.value(QStringLiteral("jobExecutionsRolloutConfig")).toObject().value(QStringLiteral("exponentialRate")).toObject()
                  .value(QStringLiteral("baseRatePerMinute")).toInt(), 80);
    EXPECT_EQ(saved.value(QStringLiteral("jobId")).toString(), QStringLiteral("AFR_OTA-fw-2-0-0"));  // the rest as it was

    // Adding an abort criterion from the form: the reader takes it.
    auto* abortList = rollout->listEditor(QStringLiteral("$.rollout.abortConfig.criteriaList"));
    ASSERT_TRUE(validated(f, [&] { QTest::mouseClick(abortList->addButton(), Qt::LeftButton); }));
    ASSERT_FALSE(f.doc.error()) << errorOf(f.doc);
    EXPECT_EQ(f.doc.scenario()->rollout->abort.size(), 2u);
    EXPECT_EQ(abortList->count(), 2);
    if (const QByteArray shot = qgetenv("OTALAB_SCREENSHOT_DIR"); !shot.isEmpty()) {  // a picture for people, not checked
        f.form()->focusField(QStringLiteral("$.rollout.jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute"));
        f.panel->grab().save(QString::fromLocal8Bit(shot) + QStringLiteral("/scenario-rollout-form.png"));
    }
}

TEST(GuiRolloutForm, AnOutOfRangeValueIsFlaggedAtItsInput)
{
    Fixture f;
    auto* threshold = qobject_cast<QDoubleSpinBox*>(f.input(kAbort0 + QStringLiteral(".thresholdPercentage"))->input());
    ASSERT_NE(threshold, nullptr);
    // 0 % is below the service's range (0 < t ≤ 100): the reader's error names the key.
    ASSERT_TRUE(validated(f, [&] { threshold->setValue(0); }));
    ASSERT_TRUE(f.doc.error().has_value());
    EXPECT_EQ(f.doc.error()->field, kAbort0 + QStringLiteral(".thresholdPercentage"));
    EXPECT_EQ(f.form()->flaggedPath(), kAbort0 + QStringLiteral(".thresholdPercentage"));
    EXPECT_TRUE(f.form()->fieldWidget(f.form()->flaggedPath())->property("scenarioError").toBool());
    EXPECT_TRUE(f.form()->errorText().contains(QStringLiteral("thresholdPercentage"))) << f.form()->errorText().toStdString();
}

TEST(GuiRolloutForm, AnotherPolicyDropsTheKeysItRefusesAndShowsItsOwnLists)
{
    Fixture f;
    auto* rollout = f.shownRolloutForm();
    auto* policy = qobject_cast<QComboBox*>(f.input(QStringLiteral("$.rollout.policy"))->input());
    ASSERT_NE(policy, nullptr);
    const int hawkbit = policy->findData(QStringLiteral("hawkbit"));
    ASSERT_GE(hawkbit, 0);
    ASSERT_TRUE(validated(f, [&] {
        policy->setCurrentIndex(hawkbit);
        Q_EMIT policy->activated(hawkbit);
    }));
    ASSERT_FALSE(f.doc.error()) << errorOf(f.doc);
    const QJsonObject section = f.text().value(QStringLiteral("rollout")).toObject();
    EXPECT_EQ(section.value(QStringLiteral("policy")).toString(), QStringLiteral("hawkbit"));
    EXPECT_FALSE(section.contains(QStringLiteral("abortConfig")));
    EXPECT_FALSE(section.contains(QStringLiteral("jobExecutionsRolloutConfig")));
    EXPECT_TRUE(section.contains(QStringLiteral("timeoutConfig")));  // every policy has it
    // hawkBit needs a group: the first one comes with the policy.
    ASSERT_EQ(f.doc.scenario()->rollout->groups.size(), 1u);
    EXPECT_EQ(f.doc.scenario()->rollout->groups[0].name, QStringLiteral("group 1"));
    auto* groups = rollout->listEditor(QStringLiteral("$.rollout.groups"));
    ASSERT_NE(groups, nullptr);
    EXPECT_TRUE(groups->isVisibleTo(f.panel.get()) || groups->parentWidget()->isVisibleTo(f.panel.get()));
    ASSERT_TRUE(validated(f, [&] { QTest::mouseClick(groups->addButton(), Qt::LeftButton); }));
    ASSERT_FALSE(f.doc.error()) << errorOf(f.doc);
    ASSERT_EQ(f.doc.scenario()->rollout->groups.size(), 2u);
    EXPECT_EQ(f.doc.scenario()->rollout->groups[1].name, QStringLiteral("group 2"));
    EXPECT_FALSE(rollout->listEditor(QStringLiteral("$.rollout.abortConfig.criteriaList"))->isVisibleTo(f.panel.get()));
}

TEST(GuiRolloutForm, JobsFleetFieldsReachTheTextAndAPresetChangeDropsTheOtherLinkKindsKeys)
{
    Fixture f;
    auto* share = qobject_cast<QDoubleSpinBox*>(f.input(QStringLiteral("$.fleets[0].faults.badImage.share"))->input());
    ASSERT_NE(share, nullptr) << f.form()->fieldPaths().join(u' ').toStdString();
    EXPECT_DOUBLE_EQ(share->value(), 0.03);
    ASSERT_TRUE(validated(f, [&] { share->setValue(0.08); }));
    ASSERT_FALSE(f.doc.error()) << errorOf(f.doc);
    EXPECT_DOUBLE_EQ(f.text()["fleets"][0]["faults"]["badImage"]["share"].toDouble(), 0.08);

    auto* count = qobject_cast<QSpinBox*>(f.input(QStringLiteral("$.fleets[0].devices[1].count"))->input());
    ASSERT_NE(count, nullptr);
    EXPECT_EQ(count->value(), 3000);
    ASSERT_TRUE(validated(f, [&] { count->setValue(2500); }));
    EXPECT_EQ(f.text()["fleets"][0]["devices"][1]["count"].toInt(), 2500);

    // The LTE-M group in PSM becomes Wi-Fi: "psm" goes (the reader refuses it on Wi-Fi).
    auto* preset = qobject_cast<QComboBox*>(f.input(QStringLiteral("$.fleets[0].devices[1].preset"))->input());
    ASSERT_NE(preset, nullptr);
    const int wifi = preset->findData(QStringLiteral("esp32-wifi"));
    ASSERT_TRUE(validated(f, [&] {
        preset->setCurrentIndex(wifi);
        Q_EMIT preset->activated(wifi);
    }));
    ASSERT_FALSE(f.doc.error()) << errorOf(f.doc);
    EXPECT_FALSE(f.text()["fleets"][0]["devices"][1].toObject().contains(QStringLiteral("psm")));
}
