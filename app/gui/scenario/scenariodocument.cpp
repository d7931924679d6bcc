// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariodocument.h"

#include "scenario/jsonsourcemap.h"
#include "scenario/scenariolocator.h"
#include "sim/scenario/scenarioloader.h"
#include "sim/scenario/scenariowriter.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QSaveFile>
#include <QStandardPaths>

namespace otalab::app {

namespace {

constexpr qint64 kMaxScenarioBytes = 64 * 1024 * 1024;  // same bound as sim::loadScenario

ScenarioDocument::SaveChoice askToSaveDefault(QWidget* parent, const QString& name)
{
    const auto answer = QMessageBox::warning(
        parent, QObject::tr("Unsaved scenario"),
        QObject::tr("The scenario \u201c%1\u201d has unsaved changes.\nSave them before continuing?").arg(name),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return ScenarioDocument::SaveChoice::Save;
    if (answer == QMessageBox::Discard)
        return ScenarioDocument::SaveChoice::Discard;
    return ScenarioDocument::SaveChoice::Cancel;
}

QString chooseSavePathDefault(QWidget* parent, const QString& suggested)
{
    return QFileDialog::getSaveFileName(parent, QObject::tr("Save scenario"), suggested,
                                        QObject::tr("Scenarios (*.json);;All files (*)"));
}

void showErrorDefault(QWidget* parent, const QString& message)
{
    QMessageBox::critical(parent, QObject::tr("Cannot save scenario"), message);
}

bool sameError(const std::optional<Error>& a, const std::optional<Error>& b)
{
    if (a.has_value() != b.has_value())
        return false;
    return !a || (a->message == b->message && a->field == b->field && a->offset == b->offset);
}

bool sameLocation(const std::optional<ScenarioErrorLocation>& a, const std::optional<ScenarioErrorLocation>& b)
{
    if (a.has_value() != b.has_value())
        return false;
    return !a || (a->position == b->position && a->length == b->length);
}

} // namespace

ScenarioErrorLocation locateScenarioError(const QString& text, const Error& error)
{
    int start = 0;
    int end = 1;
    if (error.offset >= 0) {  // syntax error: the offending character
        start = utf8OffsetToIndex(text, error.offset);
        if (start >= text.size())
            start = std::max(0, int(text.size()) - 1);
        end = start + 1;
    } else if (const auto span = JsonSourceMap::build(text).locate(error.field.isEmpty() ? QStringLiteral("$") : error.field)) {
        start = span->start();  // the member's key (or the element's value)
        end = span->valueEnd;
    }
    ScenarioErrorLocation loc;
    loc.position = start;
    const qsizetype lineEnd = text.indexOf(u'\n', start);
    if (lineEnd >= 0)
        end = std::min(end, int(lineEnd));
    loc.length = std::max(1, end - start);
    const TextPosition tp = textPositionOf(text, start);
    loc.line = tp.line;
    loc.column = tp.column;
    return loc;
}

ScenarioDocument::ScenarioDocument(QObject* parent) : QObject(parent)
{
    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(kValidationDelayMs);
    connect(&m_validateTimer, &QTimer::timeout, this, &ScenarioDocument::validate);
}

ScenarioDocument::~ScenarioDocument() = default;

void ScenarioDocument::setPrompts(Prompts prompts) { m_prompts = std::move(prompts); }

Result<void> ScenarioDocument::open(const QString& path) { return openFile(path, false); }

Result<void> ScenarioDocument::openFile(const QString& path, bool bundled)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error{tr("cannot read scenario %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()),
                          QStringLiteral("$"), -1});
    if (file.size() > kMaxScenarioBytes)
        return fail(Error{tr("scenario %1 has %2 bytes; expected at most %3").arg(path).arg(file.size()).arg(kMaxScenarioBytes),
                          QStringLiteral("$"), -1});
    // Line ends are normalised to "\n" (what the text editor works with).
    QString text = QString::fromUtf8(file.readAll());
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    const bool wasDirty = isDirty();
    m_savedText = text;
    m_path = QFileInfo(path).absoluteFilePath();
    m_bundled = bundled;  // set before the signals, so listeners see isBundled()
    m_config.reset();  // config() belongs to this file from now on
    m_scenario.reset();
    m_canonical.clear();
    m_text = text;
    Q_EMIT textChanged();
    if (wasDirty)
        Q_EMIT dirtyChanged(false);
    Q_EMIT fileChanged(m_path);
    m_validateTimer.stop();
    validate();
    return {};
}

Result<void> ScenarioDocument::openBundledDefault()
{
    const QString path = bundledScenarioPath(QStringLiteral("starter.json"));
    if (path.isEmpty())
        return fail(Error{tr("the bundled starter scenario was not found (looked in $OTALAB_SCENARIO_DIR, "
                             "<executable>/../share/otalab/scenarios and resources/scenarios)"),
                          QStringLiteral("$"), -1});
    return openFile(path, true);
}

Result<void> ScenarioDocument::writeTo(const QString& path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(Error{tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()), QStringLiteral("$"), -1});
    const QByteArray bytes = m_text.toUtf8();
    if (file.write(bytes) != bytes.size() || !file.commit())
        return fail(Error{tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()), QStringLiteral("$"), -1});
    return {};
}

Result<void> ScenarioDocument::save()
{
    if (needsSaveAs())
        return fail(Error{m_bundled ? tr("the bundled scenario is read-only; use Save As to keep your changes in a file of your own")
                                    : tr("the scenario has no file yet; use Save As"),
                          QStringLiteral("$"), -1});
    return saveAs(m_path);
}

Result<void> ScenarioDocument::saveAs(const QString& path)
{
    if (path.isEmpty())
        return fail(Error{tr("no file name given"), QStringLiteral("$"), -1});
    if (auto written = writeTo(path); !written)
        return written;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const bool folderChanged = QFileInfo(absolute).absolutePath() != baseDir();
    const bool fileChangedNow = absolute != m_path || m_bundled;
    const bool wasDirty = isDirty();
    m_savedText = m_text;
    m_path = absolute;
    m_bundled = false;
    if (wasDirty)
        Q_EMIT dirtyChanged(false);
    if (fileChangedNow)
        Q_EMIT fileChanged(m_path);
    if (folderChanged) {  // relative image paths now resolve elsewhere; the name may default to the new base name
        m_validateTimer.stop();
        validate();
    }
    return {};
}

QString ScenarioDocument::suggestedSavePath() const
{
    const QString fileName = QFileInfo(m_path).fileName().isEmpty() ? displayName() + QStringLiteral(".json")
                                                                      : QFileInfo(m_path).fileName();
    if (!m_path.isEmpty() && !m_bundled)
        return m_path;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(fileName);
}

bool ScenarioDocument::maybeSave(QWidget* parent)
{
    if (!isDirty())
        return true;
    const auto ask = m_prompts.askToSave ? m_prompts.askToSave : askToSaveDefault;
    switch (ask(parent, displayName())) {
    case SaveChoice::Discard:
        return true;
    case SaveChoice::Cancel:
        return false;
    case SaveChoice::Save:
        break;
    }
    QString path = m_path;
    if (needsSaveAs()) {
        const auto choose = m_prompts.chooseSavePath ? m_prompts.chooseSavePath : chooseSavePathDefault;
        path = choose(parent, suggestedSavePath());
        if (path.isEmpty())
            return false;
    }
    if (auto saved = saveAs(path); !saved) {
        const auto show = m_prompts.showError ? m_prompts.showError : showErrorDefault;
        show(parent, saved.error().message);
        return false;
    }
    return true;
}

void ScenarioDocument::replaceText(const QString& text)
{
    const bool wasDirty = isDirty();
    m_text = text;
    Q_EMIT textChanged();
    if (wasDirty != isDirty())
        Q_EMIT dirtyChanged(isDirty());
    m_validateTimer.start();
}

void ScenarioDocument::setText(const QString& text)
{
    if (text == m_text)
        return;
    replaceText(text);
}

Result<void> ScenarioDocument::applyEdits(const QList<JsonEdit>& edits)
{
    auto patched = applyJsonEdits(m_text, edits);
    if (!patched)
        return fail(patched.error());
    setText(*patched);
    return {};
}

void ScenarioDocument::validateNow()
{
    if (!m_validateTimer.isActive())
        return;
    m_validateTimer.stop();
    validate();
}

void ScenarioDocument::validate()
{
    const QByteArray utf8 = m_text.toUtf8();
    auto loaded = sim::loadScenarioConfig(utf8, baseDir());
    std::optional<Error> error;
    std::optional<ScenarioErrorLocation> location;
    if (loaded) {
        if (!QJsonDocument::fromJson(utf8).object().contains(QLatin1String("name"))) {
            loaded->name = m_path.isEmpty() ? tr("untitled") : QFileInfo(m_path).completeBaseName();
            if (sim::RolloutConfig* zigbee = loaded->singleZigbee())
                zigbee->name = loaded->name;
        }
        loaded->file = m_path.isEmpty() ? QString() : QFileInfo(m_path).absoluteFilePath();
    } else {
        error = loaded.error();
        location = locateScenarioError(m_text, *error);
    }
    const bool outcomeChanged = !m_validatedOnce || !sameError(error, m_error) || !sameLocation(location, m_errorLocation);
    m_validatedOnce = true;
    m_error = error;
    m_errorLocation = location;
    bool configDiffers = false;
    if (loaded) {
        const QByteArray canonical = QJsonDocument::fromJson(utf8).toJson(QJsonDocument::Compact) + loaded->file.toUtf8();
        configDiffers = !m_scenario || canonical != m_canonical;
        if (configDiffers) {
            m_canonical = canonical;
            m_scenario = std::move(*loaded);
            if (const sim::RolloutConfig* zigbee = m_scenario->singleZigbee())
                m_config = *zigbee;
            else
                m_config.reset();
        }
    }
    if (outcomeChanged)
        Q_EMIT validationChanged(m_error);
    if (configDiffers)
        Q_EMIT configChanged();
}

QString ScenarioDocument::displayName() const
{
    if (m_scenario && !m_scenario->name.isEmpty())
        return m_scenario->name;
    if (!m_path.isEmpty())
        return QFileInfo(m_path).completeBaseName();
    return tr("untitled");
}

QString ScenarioDocument::baseDir() const
{
    return m_path.isEmpty() ? QDir::currentPath() : QFileInfo(m_path).absolutePath();
}

} // namespace otalab::app
