// SPDX-License-Identifier: Apache-2.0
// ScenarioDocument: one scenario file being edited — its text, file, dirty flag and last valid config.
#pragma once

#include "core/common/error.h"
#include "scenario/jsontextpatch.h"
#include "sim/fleet/scenarioconfig.h"
#include "sim/zigbee/rolloutconfig.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>

class QWidget;

namespace otalab::app {

// Where the current validation error sits in text(): QString indices, 1-based line/column.
struct ScenarioErrorLocation {
    int position = 0;  // first character to mark (the key of a path error, the offending character of a syntax error)
    int length = 1;    // characters to mark (≥ 1, never past the end of that line)
    int line = 1;
    int column = 1;
};

// The text is the truth: the raw editor sets it verbatim (setText), the form patches it in
// place (applyEdits), and save() writes exactly it (UTF-8). Every change is validated with
// sim::loadScenario(text, baseDir()) after kValidationDelayMs (debounced; validateNow()
// flushes). config() only ever holds the last text that validated, so a bad edit never
// replaces it. GUI thread only.
class ScenarioDocument final : public QObject {
    Q_OBJECT
public:
    static constexpr int kValidationDelayMs = 300;

    enum class SaveChoice { Save, Discard, Cancel };
    // The user dialogs of maybeSave(), replaceable for tests (empty members use the
    // defaults: QMessageBox / QFileDialog).
    struct Prompts {
        std::function<SaveChoice(QWidget* parent, const QString& displayName)> askToSave;
        std::function<QString(QWidget* parent, const QString& suggestedPath)> chooseSavePath;  // "" = cancelled
        std::function<void(QWidget* parent, const QString& message)> showError;
    };

    explicit ScenarioDocument(QObject* parent = nullptr);
    ~ScenarioDocument() override;

    // Reads `path` (the text is kept even when it does not validate, so it can be fixed);
    // validates at once. Error (field "$") when the file cannot be read; the document is
    // then unchanged. Clears the dirty flag; emits fileChanged.
    Result<void> open(const QString& path);
    // Opens the bundled starter scenario (scenariolocator.h). It is read-only: filePath()
    // is its location (and baseDir() its folder) but needsSaveAs() is true.
    Result<void> openBundledDefault();
    // Writes text() to filePath() atomically (QSaveFile). Error when needsSaveAs() or
    // the write fails; the document then stays dirty.
    Result<void> save();
    // Writes text() to `path`; on success the document is that file (fileChanged,
    // baseDir() changes → revalidated). On failure nothing changes and the error says why.
    Result<void> saveAs(const QString& path);
    // Before closing / opening another file: true = OK to proceed. Not dirty → true
    // without asking; otherwise asks Save / Discard / Cancel (Save may ask for a file
    // name and reports a failed write, then returns false).
    bool maybeSave(QWidget* parent);
    void setPrompts(Prompts prompts);

    const QString& text() const { return m_text; }
    // The raw editor's text (verbatim). Marks dirty at once; validation is debounced.
    void setText(const QString& text);
    // The form's edits, patched into text() in place (jsontextpatch.h). Error (nothing
    // changed) when the text has a syntax error or the path cannot be placed.
    Result<void> applyEdits(const QList<JsonEdit>& edits);
    // Runs a pending validation now (no-op when none is pending).
    void validateNow();
    bool validationPending() const { return m_validateTimer.isActive(); }

    bool isDirty() const { return m_text != m_savedText; }
    const QString& filePath() const { return m_path; }   // empty when never saved
    bool isBundled() const { return m_bundled; }
    bool needsSaveAs() const { return m_path.isEmpty() || m_bundled; }
    // The scenario's "name", else the file's base name, else "untitled".
    QString displayName() const;
    // Folder for relative image paths: the file's folder (the working directory when untitled).
    QString baseDir() const;

    // The last valid scenario (nullopt until some text validated).
    // The one-Zigbee-fleet shape the form edits; empty for scenarios with "fleets".
    const std::optional<sim::RolloutConfig>& config() const { return m_config; }
    // The whole scenario (any families), what the lab runs.
    const std::optional<sim::ScenarioConfig>& scenario() const { return m_scenario; }
    // The current text's error (nullopt = text() is valid or not yet validated).
    const std::optional<Error>& error() const { return m_error; }
    std::optional<ScenarioErrorLocation> errorLocation() const { return m_errorLocation; }
    // text() validated and has no error.
    bool isValid() const { return !validationPending() && !m_error && m_scenario; }

Q_SIGNALS:
    void textChanged();             // text() changed (editor, form or open)
    void dirtyChanged(bool dirty);
    void configChanged();           // config() holds a new, different valid scenario
    void fileChanged(const QString& path);
    // After each validation whose outcome (error or its location) differs from the last.
    void validationChanged(const std::optional<otalab::Error>& error);

private:
    Result<void> openFile(const QString& path, bool bundled);
    void replaceText(const QString& text);
    void validate();
    void setSaved(const QString& path, bool bundled);
    Result<void> writeTo(const QString& path) const;
    QString suggestedSavePath() const;

    QString m_text;
    QString m_savedText;
    QString m_path;
    bool m_bundled = false;
    std::optional<sim::RolloutConfig> m_config;
    std::optional<sim::ScenarioConfig> m_scenario;
    QByteArray m_canonical;   // compact JSON of the validated text (what configChanged compares)
    std::optional<Error> m_error;
    std::optional<ScenarioErrorLocation> m_errorLocation;
    bool m_validatedOnce = false;
    QTimer m_validateTimer;
    Prompts m_prompts;
};

// Locates `error` (from sim::loadScenario on `text`) in `text`: byte offset for syntax
// errors, else the key of the JSON path in Error::field (or of its nearest ancestor).
ScenarioErrorLocation locateScenarioError(const QString& text, const Error& error);

} // namespace otalab::app
