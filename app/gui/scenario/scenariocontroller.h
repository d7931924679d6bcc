// SPDX-License-Identifier: Apache-2.0
// ScenarioController: keeps the form, the JSON text and the ScenarioDocument in step; file actions.
#pragma once

#include "sim/zigbee/rolloutconfig.h"

#include <QObject>
#include <QString>

class QWidget;

namespace otalab::app {

class ScenarioDocument;
class ScenarioForm;
class ScenarioJsonEditor;

// Data flow (GUI thread only):
//  - editor typing → document.setText (verbatim) → debounced validation;
//  - form edit → document.applyEdits (patched in place) → editor shows the change;
//  - validation → form.setFieldError + editor.setErrorLocation + status(); a new valid
//    config → form.setConfig. A bad edit leaves document.config() alone.
//  - a JSON syntax error locks the form (its edits could not be placed) until fixed.
class ScenarioController final : public QObject {
    Q_OBJECT
public:
    ScenarioController(ScenarioDocument& document, ScenarioForm& form, ScenarioJsonEditor& editor, QObject* parent = nullptr);

    // One line for the status bar under the editor; ok() false while the text has an error.
    const QString& status() const { return m_status; }
    bool ok() const { return m_ok; }
    // "Load into lab" makes sense: the current text is a valid scenario.
    bool canApply() const;

    // File actions with their dialogs (parent for the dialogs). Each first asks
    // document.maybeSave() where unsaved changes would be lost; errors are shown in a
    // message box. Return true when done.
    bool openFile(QWidget* parent);
    bool openPath(const QString& path, QWidget* parent);
    bool openBundledDefault(QWidget* parent);
    bool save(QWidget* parent);  // Save As when the document has no file of its own
    bool saveAs(QWidget* parent);

Q_SIGNALS:
    void statusChanged();

private:
    void syncEditorFromDocument();
    void showValidation();
    void showConfig();

    ScenarioDocument& m_document;
    ScenarioForm& m_form;
    ScenarioJsonEditor& m_editor;
    bool m_updatingEditor = false;
    QString m_shownFile;  // the file whose text the editor holds
    QString m_status;
    bool m_ok = false;
};

// "7 nodes (1 router, 5 end devices) · 128 KiB image · 50-byte blocks · seed 1".
QString scenarioSummary(const sim::RolloutConfig& config);

} // namespace otalab::app
