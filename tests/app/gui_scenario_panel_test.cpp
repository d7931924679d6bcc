// SPDX-License-Identifier: Apache-2.0
// ScenarioPanel: form ↔ JSON text in step, errors shown at the field and on the line, Load into lab.
#include "app/gui/scenario/scenariocontroller.h"
#include "app/gui/scenario/scenariodocument.h"
#include "app/gui/scenario/scenarioform.h"
#include "app/gui/scenario/scenariojsoneditor.h"
#include "app/gui/scenario/scenariopanel.h"
#include "gui_test_support.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using otalab::app::ScenarioDocument;
using otalab::app::ScenarioPanel;

namespace {

QString starterPath() { return QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"); }

int lineContaining(const QString& text, const QString& needle)
{
    const qsizetype at = text.indexOf(needle);
    return at < 0 ? -1 : int(text.left(at).count(u'\n')) + 1;
}

struct Fixture {
    ScenarioDocument doc;
    std::unique_ptr<ScenarioPanel> panel;

    Fixture()
    {
        otalab::testing::ensureApp();
        if (!doc.open(starterPath()))
            ADD_FAILURE() << "cannot open the starter";
        panel = std::make_unique<ScenarioPanel>(doc);
        panel->resize(1280, 820);
        panel->show();
        if (!QTest::qWaitForWindowExposed(panel.get()))
            ADD_FAILURE() << "panel not exposed";
    }
    QSpinBox* blockSize() const
    {
        return qobject_cast<QSpinBox*>(panel->form()->fieldWidget(QStringLiteral("$.server.maxBlockDataSize")));
    }
    // Types `text` into the editor as a user would (replacing everything), then validates.
    void editJson(const QString& text)
    {
        panel->editor()->selectAll();
        panel->editor()->insertPlainText(text);
        doc.validateNow();
    }
    void screenshot(const char* name) const
    {
        const QString dir = qEnvironmentVariable("OTALAB_SCREENSHOT_DIR");
        const QPixmap shot = panel->grab();
        EXPECT_FALSE(shot.isNull());
        if (!dir.isEmpty())
            shot.save(dir + QLatin1Char('/') + QLatin1String(name));
    }
};

} // namespace

TEST(GuiScenarioPanel, ShowsTheOpenedScenarioInBothViews)
{
    Fixture f;
    EXPECT_EQ(f.panel->editor()->toPlainText(), f.doc.text());
    ASSERT_NE(f.blockSize(), nullptr);
    EXPECT_EQ(f.blockSize()->value(), 50);
    auto* routers = qobject_cast<QSpinBox*>(f.panel->form()->fieldWidget(QStringLiteral("$.topology.generate.routers")));
    ASSERT_NE(routers, nullptr);
    EXPECT_EQ(routers->value(), 1);
    auto* p = qobject_cast<QDoubleSpinBox*>(f.panel->form()->fieldWidget(QStringLiteral("$.channel.loss.p")));
    ASSERT_NE(p, nullptr);
    EXPECT_DOUBLE_EQ(p->value(), 0.01);
    EXPECT_TRUE(f.panel->controller()->ok());
    EXPECT_TRUE(f.panel->loadIntoLabAction()->isEnabled());
    EXPECT_TRUE(f.panel->statusLabel()->text().contains(QStringLiteral("7 nodes")));
    EXPECT_TRUE(f.panel->form()->errorText().isEmpty());
    f.screenshot("scenario-valid.png");
}

TEST(GuiScenarioPanel, FormEditUpdatesTheJsonTextAndTheConfig)
{
    Fixture f;
    QSignalSpy config(&f.doc, &ScenarioDocument::configChanged);
    const QString before = f.doc.text();
    f.blockSize()->setValue(40);
    EXPECT_TRUE(f.doc.isDirty());
    QString expected = before;
    expected.replace(QStringLiteral("\"maxBlockDataSize\": 50"), QStringLiteral("\"maxBlockDataSize\": 40"));
    EXPECT_EQ(f.panel->editor()->toPlainText(), expected);  // only the value changed
    ASSERT_TRUE(config.wait(30'000));                         // the debounced validation
    EXPECT_EQ(f.doc.config()->server.maxBlockDataSize, 40);
    // The edit is one undo step of the editor.
    f.panel->editor()->undo();
    EXPECT_EQ(f.panel->editor()->toPlainText(), before);
    EXPECT_FALSE(f.doc.isDirty());
}

TEST(GuiScenarioPanel, JsonEditUpdatesTheForm)
{
    Fixture f;
    QString text = f.doc.text();
    text.replace(QStringLiteral("\"blockResponseDelayMs\": 250"), QStringLiteral("\"blockResponseDelayMs\": 500"));
    text.replace(QStringLiteral("\"routers\": 1,"), QStringLiteral("\"routers\": 3,"));
    f.editJson(text);
    auto* delay = qobject_cast<QSpinBox*>(f.panel->form()->fieldWidget(QStringLiteral("$.server.blockResponseDelayMs")));
    auto* routers = qobject_cast<QSpinBox*>(f.panel->form()->fieldWidget(QStringLiteral("$.topology.generate.routers")));
    EXPECT_EQ(delay->value(), 500);
    EXPECT_EQ(routers->value(), 3);
    EXPECT_EQ(f.doc.text(), text);  // the form did not rewrite the text
}

TEST(GuiScenarioPanel, LossModelChangeWritesAFreshModel)
{
    Fixture f;
    auto* kind = qobject_cast<QComboBox*>(f.panel->form()->fieldWidget(QStringLiteral("$.channel.loss.kind")));
    ASSERT_NE(kind, nullptr);
    kind->setCurrentIndex(2);
    Q_EMIT kind->activated(2);  // what a user's choice emits
    f.doc.validateNow();
    EXPECT_FALSE(f.doc.error().has_value()) << f.doc.error()->message.toStdString();
    EXPECT_EQ(f.doc.config()->channel.loss.kind, otalab::sim::LossKind::GilbertElliott);
    EXPECT_TRUE(f.doc.text().contains(QStringLiteral("\"loss\": {\"kind\": \"gilbert-elliott\", \"pGoodToBad\": 0.01")))
        << f.doc.text().toStdString();
    EXPECT_FALSE(f.doc.text().contains(QStringLiteral("\"p\":")));
}

TEST(GuiScenarioPanel, SyntaxErrorMarksTheLineAndKeepsTheConfig)
{
    Fixture f;
    QSignalSpy config(&f.doc, &ScenarioDocument::configChanged);
    QString text = f.doc.text();
    text.replace(QStringLiteral("\"pollIntervalMs\": 7500,"), QStringLiteral("\"pollIntervalMs\": 7500,,"));
    f.editJson(text);
    ASSERT_TRUE(f.doc.error().has_value());
    EXPECT_GE(f.doc.error()->offset, 0);
    EXPECT_EQ(f.panel->editor()->errorLine(), lineContaining(text, QStringLiteral(",,")));
    EXPECT_EQ(config.count(), 0);
    EXPECT_EQ(f.doc.config()->device.pollIntervalMs, 7500);
    EXPECT_FALSE(f.panel->controller()->ok());
    EXPECT_TRUE(f.panel->statusLabel()->text().contains(QStringLiteral("Line %1").arg(f.panel->editor()->errorLine())));
    EXPECT_FALSE(f.panel->loadIntoLabAction()->isEnabled());
    EXPECT_FALSE(f.blockSize()->isEnabled());  // the form is locked until the text parses
    // A form edit cannot be placed now; nothing breaks and the text is unchanged.
    f.screenshot("scenario-syntax-error.png");
    // Fixing the text unlocks the form and clears the mark.
    text.replace(QStringLiteral(",,"), QStringLiteral(","));
    f.editJson(text);
    EXPECT_FALSE(f.doc.error().has_value());
    EXPECT_EQ(f.panel->editor()->errorLine(), 0);
    EXPECT_TRUE(f.blockSize()->isEnabled());
}

TEST(GuiScenarioPanel, UnknownKeyIsMarkedOnItsLineAndAtItsGroup)
{
    Fixture f;
    QString text = f.doc.text();
    text.replace(QStringLiteral("\"server\": { \"maxBlockDataSize\": 50, "),
                 QStringLiteral("\"server\": { \"maxBlockDataSize\": 50,\n              \"foo\": 1, "));
    f.editJson(text);
    ASSERT_TRUE(f.doc.error().has_value());
    EXPECT_EQ(f.doc.error()->field, QStringLiteral("$.server.foo"));
    EXPECT_EQ(f.panel->editor()->errorLine(), lineContaining(text, QStringLiteral("\"foo\"")));
    EXPECT_EQ(f.panel->form()->flaggedPath(), QStringLiteral("$.server"));
    EXPECT_TRUE(f.panel->form()->errorText().contains(QStringLiteral("$.server.foo")));
    EXPECT_TRUE(f.panel->statusLabel()->text().contains(QStringLiteral("foo")));
}

TEST(GuiScenarioPanel, FieldErrorFlagsTheSpinBoxUntilFixed)
{
    Fixture f;
    QString text = f.doc.text();
    text.replace(QStringLiteral("\"maxBlockDataSize\": 50"), QStringLiteral("\"maxBlockDataSize\": 0"));
    f.editJson(text);
    ASSERT_TRUE(f.doc.error().has_value());
    EXPECT_EQ(f.panel->form()->flaggedPath(), QStringLiteral("$.server.maxBlockDataSize"));
    EXPECT_TRUE(f.blockSize()->property("scenarioError").toBool());
    EXPECT_TRUE(f.blockSize()->toolTip().contains(f.doc.error()->message.toHtmlEscaped()));
    EXPECT_TRUE(f.panel->form()->errorText().contains(QStringLiteral("$.server.maxBlockDataSize")));
    EXPECT_EQ(f.panel->editor()->errorLine(), lineContaining(text, QStringLiteral("maxBlockDataSize")));
    EXPECT_EQ(f.doc.config()->server.maxBlockDataSize, 50);
    EXPECT_EQ(f.blockSize()->value(), 50);  // the form still shows the last valid scenario
    EXPECT_TRUE(f.blockSize()->isEnabled());
    f.screenshot("scenario-field-error.png");
    // Fixing it in the form clears the flag.
    f.blockSize()->setValue(64);
    f.doc.validateNow();
    EXPECT_FALSE(f.doc.error().has_value());
    EXPECT_TRUE(f.panel->form()->flaggedPath().isEmpty());
    EXPECT_FALSE(f.blockSize()->property("scenarioError").toBool());
    EXPECT_EQ(f.doc.config()->server.maxBlockDataSize, 64);
}

TEST(GuiScenarioPanel, LoadIntoLabRequestsApplyOnlyWhenValid)
{
    Fixture f;
    QSignalSpy apply(f.panel.get(), &ScenarioPanel::applyRequested);
    f.panel->loadIntoLabAction()->trigger();
    EXPECT_EQ(apply.count(), 1);
    f.editJson(QStringLiteral("{ \"seed\": "));
    EXPECT_FALSE(f.panel->loadIntoLabAction()->isEnabled());
    f.panel->loadIntoLabAction()->trigger();
    EXPECT_EQ(apply.count(), 1);
}

TEST(GuiScenarioPanel, HeaderShowsNameAndUnsavedMark)
{
    Fixture f;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("copy.json"));
    ASSERT_TRUE(f.doc.saveAs(path).has_value());
    f.blockSize()->setValue(30);
    EXPECT_TRUE(f.doc.isDirty());
    const auto labels = f.panel->findChildren<QLabel*>();
    bool found = false;
    for (const QLabel* label : labels)
        found = found || (label->text().contains(QStringLiteral("starter")) && label->text().contains(QStringLiteral(" *")));
    EXPECT_TRUE(found);
    ASSERT_TRUE(f.doc.save().has_value());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    EXPECT_EQ(QString::fromUtf8(file.readAll()), f.panel->editor()->toPlainText());
}
