// SPDX-License-Identifier: Apache-2.0
// ScenarioPanel: edit a scenario — the common parameters as a form, the rest as raw JSON.
#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QToolBar;

namespace otalab::app {

class ScenarioController;
class ScenarioDocument;
class ScenarioForm;
class ScenarioJsonEditor;

// Form on the left, JSON text on the right, both views of `document` kept in step by
// controller(). Errors show at the field (red frame + tooltip + message under the form)
// and in the text (line marked, message in the status line; click it to jump there).
//
// Putting a scenario into the lab, two ways (MainWindow picks, or offers both):
//  - document.configChanged(): fired for every valid, changed scenario (debounced
//    typing, form edits, open) — for "apply live" while the lab is idle;
//  - applyRequested(): the "Load into lab" action (only enabled while the text is
//    valid) — for an explicit reload. Then read document.config() / document.baseDir().
// The document outlives the panel (MainWindow owns both). GUI thread only.
class ScenarioPanel final : public QWidget {
    Q_OBJECT
public:
    explicit ScenarioPanel(ScenarioDocument& document, QWidget* parent = nullptr);

    ScenarioDocument& document() const { return m_document; }
    ScenarioController* controller() const { return m_controller; }
    ScenarioForm* form() const { return m_form; }
    ScenarioJsonEditor* editor() const { return m_editor; }
    QLabel* statusLabel() const { return m_status; }

    // For MainWindow's File menu (the panel's toolbar shows the same actions).
    // Open has no shortcut (Ctrl+O opens images); Save is Ctrl+S, Save As Ctrl+Shift+S,
    // Load into lab Ctrl+Return.
    QAction* openAction() const { return m_openAction; }
    QAction* saveAction() const { return m_saveAction; }
    QAction* saveAsAction() const { return m_saveAsAction; }
    QAction* loadIntoLabAction() const { return m_applyAction; }

Q_SIGNALS:
    void applyRequested();

private:
    void updateHeader();
    void updateStatus();

    ScenarioDocument& m_document;
    ScenarioForm* m_form = nullptr;
    ScenarioJsonEditor* m_editor = nullptr;
    ScenarioController* m_controller = nullptr;
    QToolBar* m_toolBar = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_status = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_applyAction = nullptr;
};

} // namespace otalab::app
