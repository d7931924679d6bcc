// SPDX-License-Identifier: Apache-2.0
// The scenario form's "Zigbee network stack" group edits the "network" section
// (sim/scenario/networkreader.cpp): a user's choices land in the JSON text and the loaded
// config, and a key the loader refuses is flagged at its input.
#include "app/gui/scenario/scenariodocument.h"
#include "app/gui/scenario/scenariofieldinput.h"
#include "app/gui/scenario/scenarioform.h"
#include "app/gui/scenario/scenariopanel.h"
#include "gui_test_support.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using otalab::app::ScenarioDocument;
using otalab::app::ScenarioFieldInput;
using otalab::app::ScenarioPanel;

namespace {

struct Fixture {
    ScenarioDocument doc;
    std::unique_ptr<ScenarioPanel> panel;

    Fixture()
    {
        otalab::testing::ensureApp();
        if (!doc.open(QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json")))
            ADD_FAILURE() << "cannot open the starter";
        panel = std::make_unique<ScenarioPanel>(doc);
        panel->resize(1366, 768);
        panel->show();
        if (!QTest::qWaitForWindowExposed(panel.get()))
            ADD_FAILURE() << "panel not exposed";
    }
    ScenarioFieldInput* input(const char* path) const
    {
        return qobject_cast<ScenarioFieldInput*>(panel->form()->fieldWidget(QLatin1String(path)));
    }
    QJsonObject network() const
    {
        return QJsonDocument::fromJson(doc.text().toUtf8()).object().value(QStringLiteral("network")).toObject();
    }
};

void choose(ScenarioFieldInput* field, const char* value)
{
    auto* box = qobject_cast<QComboBox*>(field->input());
    ASSERT_NE(box, nullptr);
    const int i = box->findData(QLatin1String(value));
    ASSERT_GE(i, 0) << value;
    box->setCurrentIndex(i);
    Q_EMIT box->activated(i);  // what a user's choice emits
}

void type(ScenarioFieldInput* field, const QString& text)
{
    auto* edit = qobject_cast<QLineEdit*>(field->input());
    ASSERT_NE(edit, nullptr);
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
}

} // namespace

TEST(GuiScenarioNetworkForm, ShowsTheDefaultsAndWritesTheUsersChoicesIntoTheNetworkSection)
{
    Fixture f;
    ASSERT_FALSE(f.doc.error());
    ASSERT_FALSE(f.doc.text().contains(QLatin1String("\"network\"")));  // the starter has no section
    ScenarioFieldInput* mode = f.input("$.network.security.mode");
    ScenarioFieldInput* key = f.input("$.network.security.networkKey");
    ScenarioFieldInput* routing = f.input("$.network.routing.mode");
    ScenarioFieldInput* ack = f.input("$.network.aps.ack");
    ASSERT_TRUE(mode && key && routing && ack);
    EXPECT_EQ(qobject_cast<QComboBox*>(mode->input())->currentData().toString(), QStringLiteral("modelled"));
    EXPECT_EQ(qobject_cast<QLineEdit*>(key->input())->text(), QStringLiteral("01030507090B0D0F00020406080A0C0D"));

    QSignalSpy configs(&f.doc, &ScenarioDocument::configChanged);
    choose(routing, "mesh");
    qobject_cast<QCheckBox*>(ack->input())->click();
    type(key, QStringLiteral("00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff"));
    ASSERT_TRUE(configs.wait(10'000) && !f.doc.error()) << (f.doc.error() ? f.doc.error()->message.toStdString() : "no new config");
    f.doc.validateNow();
    ASSERT_FALSE(f.doc.error()) << f.doc.error()->message.toStdString();
    const auto& n = f.doc.config()->network;
    EXPECT_EQ(n.routing.mode, otalab::sim::MeshRoutingSettings::Mode::Mesh);
    EXPECT_TRUE(n.aps.ack);
    EXPECT_EQ(n.security.networkKey[0], 0x00);
    EXPECT_EQ(n.security.networkKey[15], 0xFF);
    const QJsonObject network = f.network();
    EXPECT_EQ(network.value(QStringLiteral("routing")).toObject().value(QStringLiteral("mode")).toString(), QStringLiteral("mesh"));
    EXPECT_TRUE(network.value(QStringLiteral("aps")).toObject().value(QStringLiteral("ack")).toBool());
}

TEST(GuiScenarioNetworkForm, AKeyTheLoaderRefusesIsFlaggedAtItsInput)
{
    Fixture f;
    QSignalSpy validations(&f.doc, &ScenarioDocument::validationChanged);
    type(f.input("$.network.security.linkKey"), QStringLiteral("ZigBeeAlliance09"));
    ASSERT_TRUE(validations.wait(10'000));
    f.doc.validateNow();
    ASSERT_TRUE(f.doc.error().has_value());
    EXPECT_EQ(f.doc.error()->field, QStringLiteral("$.network.security.linkKey"));
    EXPECT_EQ(f.panel->form()->flaggedPath(), QStringLiteral("$.network.security.linkKey"));
    EXPECT_TRUE(f.panel->form()->errorText().contains(QLatin1String("32 hex digits"))) << f.panel->form()->errorText().toStdString();

    // "none" beside the starter's implied 18 octets is coherent (the key is absent), 18 written is not.
    type(f.input("$.network.security.linkKey"), QStringLiteral("5A6967426565416C6C69616E63653039"));
    choose(f.input("$.network.security.mode"), "none");
    f.doc.validateNow();
    ASSERT_FALSE(f.doc.error()) << f.doc.error()->message.toStdString();
    EXPECT_EQ(f.doc.config()->device.nwkSecurityOverheadBytes, 0);
}
