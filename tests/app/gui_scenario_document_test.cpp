// SPDX-License-Identifier: Apache-2.0
// ScenarioDocument: open, validate (errors located in the text), dirty, save, maybeSave.
#include "app/gui/scenario/scenariodocument.h"
#include "app/gui/scenario/scenariolocator.h"
#include "gui_test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>

using otalab::app::ScenarioDocument;

namespace {

QString starterPath() { return QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json"); }

QString readText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The starter copied into `dir`, so tests may save over it.
QString copyOfStarter(const QTemporaryDir& dir)
{
    const QString path = dir.filePath(QStringLiteral("mine.json"));
    QFile::copy(starterPath(), path);
    QFile(path).setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    return path;
}

int lineContaining(const QString& text, const QString& needle)
{
    const qsizetype at = text.indexOf(needle);
    return at < 0 ? -1 : int(text.left(at).count(u'\n')) + 1;
}

} // namespace

TEST(GuiScenarioDocument, OpenStarterIsCleanAndValid)
{
    otalab::testing::ensureApp();
    ScenarioDocument doc;
    QSignalSpy config(&doc, &ScenarioDocument::configChanged);
    QSignalSpy file(&doc, &ScenarioDocument::fileChanged);
    ASSERT_TRUE(doc.open(starterPath()).has_value());
    EXPECT_FALSE(doc.isDirty());
    ASSERT_TRUE(doc.config().has_value());
    EXPECT_FALSE(doc.error().has_value());
    EXPECT_TRUE(doc.isValid());
    EXPECT_EQ(doc.config()->server.maxBlockDataSize, 50);
    EXPECT_EQ(doc.config()->images.front().sizeBytes, 131072u);
    EXPECT_EQ(doc.displayName(), QStringLiteral("starter"));
    EXPECT_EQ(doc.text(), readText(starterPath()));
    EXPECT_EQ(config.count(), 1);
    EXPECT_EQ(file.count(), 1);
    EXPECT_TRUE(doc.filePath().endsWith(QStringLiteral("scenarios/starter.json")));
}

TEST(GuiScenarioDocument, BundledDefaultIsFoundAndReadOnly)
{
    otalab::testing::ensureApp();
    EXPECT_FALSE(otalab::app::bundledScenarioPath().isEmpty());
    EXPECT_GE(otalab::app::bundledScenarios().size(), 4);
    ScenarioDocument doc;
    bool bundledWhenSignalled = false;
    QObject::connect(&doc, &ScenarioDocument::fileChanged, [&] { bundledWhenSignalled = doc.isBundled(); });
    ASSERT_TRUE(doc.openBundledDefault().has_value());
    EXPECT_TRUE(doc.isBundled());
    EXPECT_TRUE(bundledWhenSignalled);
    EXPECT_TRUE(doc.needsSaveAs());
    EXPECT_TRUE(doc.config().has_value());
    doc.setText(doc.text() + QStringLiteral(" "));
    const auto saved = doc.save();
    ASSERT_FALSE(saved.has_value());
    EXPECT_TRUE(saved.error().message.contains(QStringLiteral("Save As")));
    EXPECT_TRUE(doc.isDirty());
}

TEST(GuiScenarioDocument, ValidationIsDebouncedAndConfigChangedOnlyForNewValidScenarios)
{
    otalab::testing::ensureApp();
    ScenarioDocument doc;
    ASSERT_TRUE(doc.open(starterPath()).has_value());
    QSignalSpy config(&doc, &ScenarioDocument::configChanged);
    QSignalSpy dirty(&doc, &ScenarioDocument::dirtyChanged);

    QString text = doc.text();
    text.replace(QStringLiteral("\"maxBlockDataSize\": 50"), QStringLiteral("\"maxBlockDataSize\": 40"));
    doc.setText(text);
    EXPECT_TRUE(doc.isDirty());
    ASSERT_EQ(dirty.count(), 1);
    EXPECT_TRUE(dirty.at(0).at(0).toBool());
    EXPECT_TRUE(doc.validationPending());
    EXPECT_EQ(doc.config()->server.maxBlockDataSize, 50);  // not yet
    ASSERT_TRUE(config.wait(30'000));
    EXPECT_EQ(doc.config()->server.maxBlockDataSize, 40);

    // Formatting only: same scenario, no configChanged.
    doc.setText(text + QStringLiteral("\n\n"));
    doc.validateNow();
    EXPECT_EQ(config.count(), 1);
    // Back to the saved text: clean again.
    doc.setText(readText(starterPath()));
    EXPECT_FALSE(doc.isDirty());
    EXPECT_EQ(dirty.count(), 2);
}

TEST(GuiScenarioDocument, SyntaxErrorKeepsTheLastValidConfigAndIsLocated)
{
    otalab::testing::ensureApp();
    ScenarioDocument doc;
    ASSERT_TRUE(doc.open(starterPath()).has_value());
    QSignalSpy validation(&doc, &ScenarioDocument::validationChanged);
    QSignalSpy config(&doc, &ScenarioDocument::configChanged);
    QString text = doc.text();
    // Drop the comma after the server object: the parser stops at "client".
    text.replace(QStringLiteral("\"blockResponseDelayMs\": 250 },"), QStringLiteral("\"blockResponseDelayMs\": 250 }"));
    doc.setText(text);
    doc.validateNow();
    ASSERT_EQ(validation.count(), 1);
    const auto error = validation.at(0).at(0).value<std::optional<otalab::Error>>();
    ASSERT_TRUE(error.has_value());
    EXPECT_GE(error->offset, 0);
    EXPECT_EQ(error->field, QStringLiteral("$"));
    EXPECT_EQ(config.count(), 0);
    ASSERT_TRUE(doc.config().has_value());
    EXPECT_EQ(doc.config()->server.maxBlockDataSize, 50);
    EXPECT_FALSE(doc.isValid());
    const auto location = doc.errorLocation();
    ASSERT_TRUE(location.has_value());
    const int serverLine = lineContaining(text, QStringLiteral("\"server\""));
    EXPECT_TRUE(location->line == serverLine || location->line == serverLine + 1) << location->line << " vs " << serverLine;
}

TEST(GuiScenarioDocument, UnknownKeyNamesItsPathAndLine)
{
    otalab::testing::ensureApp();
    ScenarioDocument doc;
    ASSERT_TRUE(doc.open(starterPath()).has_value());
    QString text = doc.text();
    text.replace(QStringLiteral("\"server\": { \"maxBlockDataSize\": 50, "),
                 QStringLiteral("\"server\": { \"maxBlockDataSize\": 50,\n              \"foo\": 1, "));
    doc.setText(text);
    doc.validateNow();
    ASSERT_TRUE(doc.error().has_value());
    EXPECT_EQ(doc.error()->field, QStringLiteral("$.server.foo"));
    EXPECT_TRUE(doc.error()->message.contains(QStringLiteral("foo")));
    ASSERT_TRUE(doc.errorLocation().has_value());
    EXPECT_EQ(doc.errorLocation()->line, lineContaining(text, QStringLiteral("\"foo\"")));
    EXPECT_EQ(text.mid(doc.errorLocation()->position, 5), QStringLiteral("\"foo\""));
    EXPECT_EQ(doc.config()->server.maxBlockDataSize, 50);
}

TEST(GuiScenarioDocument, OutOfRangeValueIsLocatedAtItsKey)
{
    otalab::testing::ensureApp();
    ScenarioDocument doc;
    ASSERT_TRUE(doc.open(starterPath()).has_value());
    QString text = doc.text();
    text.replace(QStringLiteral("\"maxBlockDataSize\": 50"), QStringLiteral("\"maxBlockDataSize\": 0"));
    doc.setText(text);
    doc.validateNow();
    ASSERT_TRUE(doc.error().has_value());
    EXPECT_EQ(doc.error()->field, QStringLiteral("$.server.maxBlockDataSize"));
    EXPECT_EQ(doc.errorLocation()->line, lineContaining(text, QStringLiteral("maxBlockDataSize")));
    EXPECT_EQ(doc.config()->server.maxBlockDataSize, 50);
}

TEST(GuiScenarioDocument, FormEditsPatchTheTextInPlace)
{
    otalab::testing::ensureApp();
    ScenarioDocument doc;
    ASSERT_TRUE(doc.open(starterPath()).has_value());
    const QString before = doc.text();
    ASSERT_TRUE(doc.applyEdits({{QStringLiteral("$.server.maxBlockDataSize"), 64}}).has_value());
    QString expected = before;
    expected.replace(QStringLiteral("\"maxBlockDataSize\": 50"), QStringLiteral("\"maxBlockDataSize\": 64"));
    EXPECT_EQ(doc.text(), expected);  // the description, comments of layout and key order survive
    doc.validateNow();
    EXPECT_EQ(doc.config()->server.maxBlockDataSize, 64);
}

TEST(GuiScenarioDocument, SaveWritesTheTextAndClearsDirty)
{
    otalab::testing::ensureApp();
    QTemporaryDir dir;
    ScenarioDocument doc;
    ASSERT_TRUE(doc.open(copyOfStarter(dir)).has_value());
    QString text = doc.text();
    text.replace(QStringLiteral("\"seed\": 1"), QStringLiteral("\"seed\": 99"));
    doc.setText(text);
    ASSERT_TRUE(doc.isDirty());
    QSignalSpy dirty(&doc, &ScenarioDocument::dirtyChanged);
    ASSERT_TRUE(doc.save().has_value());
    EXPECT_FALSE(doc.isDirty());
    ASSERT_EQ(dirty.count(), 1);
    EXPECT_FALSE(dirty.at(0).at(0).toBool());
    EXPECT_EQ(readText(doc.filePath()), text);
}

TEST(GuiScenarioDocument, SaveAsToAnUnwritablePathFailsClearlyAndStaysDirty)
{
    otalab::testing::ensureApp();
    QTemporaryDir dir;
    ScenarioDocument doc;
    const QString path = copyOfStarter(dir);
    ASSERT_TRUE(doc.open(path).has_value());
    doc.setText(doc.text() + QStringLiteral("\n"));
    const QString bad = dir.filePath(QStringLiteral("no/such/folder/x.json"));
    const auto saved = doc.saveAs(bad);
    ASSERT_FALSE(saved.has_value());
    EXPECT_TRUE(saved.error().message.contains(QStringLiteral("x.json"))) << saved.error().message.toStdString();
    EXPECT_TRUE(saved.error().message.startsWith(QStringLiteral("cannot write")));
    EXPECT_TRUE(doc.isDirty());
    EXPECT_EQ(doc.filePath(), path);
}

TEST(GuiScenarioDocument, MaybeSaveWithoutChangesDoesNotAsk)
{
    otalab::testing::ensureApp();
    ScenarioDocument doc;
    ASSERT_TRUE(doc.open(starterPath()).has_value());
    int asked = 0;
    doc.setPrompts({[&](QWidget*, const QString&) {
                        ++asked;
                        return ScenarioDocument::SaveChoice::Cancel;
                    },
                    {}, {}});
    EXPECT_TRUE(doc.maybeSave(nullptr));
    EXPECT_EQ(asked, 0);
}

TEST(GuiScenarioDocument, MaybeSaveFollowsTheDecision)
{
    otalab::testing::ensureApp();
    QTemporaryDir dir;
    ScenarioDocument doc;
    ASSERT_TRUE(doc.open(copyOfStarter(dir)).has_value());
    auto choice = ScenarioDocument::SaveChoice::Cancel;
    QString askedName;
    QStringList errors;
    doc.setPrompts({[&](QWidget*, const QString& name) {
                        askedName = name;
                        return choice;
                    },
                    [&](QWidget*, const QString&) { return dir.filePath(QStringLiteral("chosen.json")); },
                    [&](QWidget*, const QString& message) { errors << message; }});
    const QString edited = doc.text() + QStringLiteral(" ");
    doc.setText(edited);

    EXPECT_FALSE(doc.maybeSave(nullptr));  // Cancel
    EXPECT_EQ(askedName, QStringLiteral("starter"));
    EXPECT_TRUE(doc.isDirty());
    choice = ScenarioDocument::SaveChoice::Discard;
    EXPECT_TRUE(doc.maybeSave(nullptr));
    EXPECT_TRUE(doc.isDirty());  // discarding is the caller's business (it closes or opens another file)
    choice = ScenarioDocument::SaveChoice::Save;
    EXPECT_TRUE(doc.maybeSave(nullptr));
    EXPECT_FALSE(doc.isDirty());
    EXPECT_EQ(readText(doc.filePath()), edited);
    EXPECT_TRUE(errors.isEmpty());

    // The bundled (read-only) scenario asks where to save.
    ScenarioDocument bundled;
    bundled.setPrompts({[](QWidget*, const QString&) { return ScenarioDocument::SaveChoice::Save; },
                        [&](QWidget*, const QString&) { return dir.filePath(QStringLiteral("chosen.json")); }, {}});
    ASSERT_TRUE(bundled.openBundledDefault().has_value());
    bundled.setText(bundled.text() + QStringLiteral("\n"));
    EXPECT_TRUE(bundled.maybeSave(nullptr));
    EXPECT_EQ(bundled.filePath(), dir.filePath(QStringLiteral("chosen.json")));
    EXPECT_FALSE(bundled.isBundled());

    // A failed write is reported and stops the caller.
    bundled.setPrompts({[](QWidget*, const QString&) { return ScenarioDocument::SaveChoice::Save; }, {},
                        [&](QWidget*, const QString& message) { errors << message; }});
    bundled.setText(bundled.text() + QStringLiteral("\n"));
    QFile::remove(bundled.filePath());
    QDir(dir.path()).mkdir(QStringLiteral("chosen.json"));  // a folder where the file was: the write fails
    EXPECT_FALSE(bundled.maybeSave(nullptr));
    EXPECT_EQ(errors.size(), 1);
    EXPECT_TRUE(bundled.isDirty());
}

TEST(GuiScenarioDocument, UnreadableFileLeavesTheDocumentAlone)
{
    otalab::testing::ensureApp();
    ScenarioDocument doc;
    ASSERT_TRUE(doc.open(starterPath()).has_value());
    const auto opened = doc.open(QStringLiteral("/nonexistent/scenario.json"));
    ASSERT_FALSE(opened.has_value());
    EXPECT_TRUE(opened.error().message.contains(QStringLiteral("scenario.json")));
    EXPECT_EQ(doc.filePath(), QFileInfo(starterPath()).absoluteFilePath());
    EXPECT_TRUE(doc.config().has_value());
}
