// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariocontroller.h"

#include "scenario/scenariodocument.h"
#include "scenario/scenarioform.h"
#include "scenario/scenariojsoneditor.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>

namespace otalab::app {

QString scenarioSummary(const sim::RolloutConfig& c)
{
    QString fleet;
    if (const auto* g = std::get_if<sim::GeneratedTopology>(&c.topology)) {
        const qint64 zeds = qint64(g->routers) * g->zedsPerRouter + g->zedsOnCoordinator;
        fleet = QObject::tr("%1 nodes (%2 routers, %3 end devices)").arg(1 + g->routers + zeds).arg(g->routers).arg(zeds);
    } else {
        fleet = QObject::tr("%1 nodes").arg(std::get<sim::TopologySpec>(c.topology).nodes.size());
    }
    QString image;
    if (!c.images.empty())
        image = c.images.front().path.isEmpty() ? QObject::tr("%1 KiB image").arg(c.images.front().sizeBytes / 1024.0, 0, 'f', 1)
                                                : QFileInfo(c.images.front().path).fileName();
    return QObject::tr("%1 \u00b7 %2 \u00b7 %3-byte blocks \u00b7 seed %4")
        .arg(fleet, image).arg(c.server.maxBlockDataSize).arg(c.seed);
}

ScenarioController::ScenarioController(ScenarioDocument& document, ScenarioForm& form, ScenarioJsonEditor& editor, QObject* parent)
    : QObject(parent), m_document(document), m_form(form), m_editor(editor)
{
    connect(&m_editor, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_updatingEditor)
            m_document.setText(m_editor.toPlainText());
    });
    connect(&m_document, &ScenarioDocument::textChanged, this, &ScenarioController::syncEditorFromDocument);
    connect(&m_form, &ScenarioForm::edited, this, [this](const QList<JsonEdit>& edits) {
        if (auto applied = m_document.applyEdits(edits); !applied)
            m_form.showNote(applied.error().message);
    });
    connect(&m_document, &ScenarioDocument::validationChanged, this, &ScenarioController::showValidation);
    connect(&m_document, &ScenarioDocument::configChanged, this, &ScenarioController::showConfig);
    connect(&m_document, &ScenarioDocument::fileChanged, this, [this] {
        m_shownFile = m_document.filePath();  // saved under a new name: same text, keep the undo history
        m_form.setBaseDir(m_document.baseDir());
    });

    m_form.setBaseDir(m_document.baseDir());
    syncEditorFromDocument();
    showConfig();
    showValidation();
}

void ScenarioController::syncEditorFromDocument()
{
    if (m_editor.toPlainText() == m_document.text())
        return;
    m_updatingEditor = true;
    if (m_editor.document()->isEmpty() || m_shownFile != m_document.filePath()) {
        m_editor.setPlainText(m_document.text());  // another file: its own undo history
        m_shownFile = m_document.filePath();
    } else {
        m_editor.replaceTextKeepingView(m_document.text());
    }
    m_updatingEditor = false;
}

void ScenarioController::showConfig()
{
    // configChanged comes right after a validation, so text() is the scenario just loaded.
    const QJsonObject json = m_document.scenario() ? QJsonDocument::fromJson(m_document.text().toUtf8()).object() : QJsonObject();
    if (const auto& config = m_document.config()) {
        m_form.setConfig(*config, m_document.scenario() ? m_document.scenario()->description : QString(), json);  // json: its "rollout"
    } else if (m_document.scenario()) {
        if (json.contains(QLatin1String("fleets")))
            m_form.setFleetsScenario(json);
    }
    showValidation();
}

void ScenarioController::showValidation()
{
    const auto& error = m_document.error();
    m_form.setFieldError(error);
    m_form.setLocked(error && error->offset >= 0, tr("Fix the JSON syntax error to edit with the form."));
    m_editor.setErrorLocation(m_document.errorLocation());
    if (error) {
        const auto location = m_document.errorLocation();
        const QString where = location ? tr("Line %1, column %2").arg(location->line).arg(location->column) : QString();
        m_status = error->offset >= 0 ? tr("%1: %2").arg(where, error->message)
                                      : tr("%1: %2 \u2014 %3").arg(where, error->field, error->message);
        m_ok = false;
    } else if (const auto& config = m_document.config()) {
        m_status = tr("Valid scenario: %1").arg(scenarioSummary(*config));
        m_ok = true;
    } else if (const auto& scenario = m_document.scenario()) {
        QStringList fleets;
        for (const auto& fleet : scenario->fleets)
            fleets << tr("%1 (%2)").arg(fleet.name, fleet.familyId());
        m_status = tr("Valid scenario: %1 — fleets %2 (the form edits the top level, the rollout, SMP, LoRaWAN and AWS IoT jobs fleets; other fleets in the JSON)")
                       .arg(scenario->name, fleets.join(QStringLiteral(", ")));
        m_ok = true;
    } else {
        m_status = tr("No scenario loaded");
        m_ok = false;
    }
    Q_EMIT statusChanged();
}

bool ScenarioController::canApply() const { return !m_document.error() && m_document.scenario().has_value(); }

bool ScenarioController::openPath(const QString& path, QWidget* parent)
{
    if (auto opened = m_document.open(path); !opened) {
        QMessageBox::critical(parent, tr("Cannot open scenario"), opened.error().message);
        return false;
    }
    return true;
}

bool ScenarioController::openFile(QWidget* parent)
{
    if (!m_document.maybeSave(parent))
        return false;
    const QString start = m_document.isBundled() || m_document.filePath().isEmpty() ? QString() : m_document.baseDir();
    const QString path = QFileDialog::getOpenFileName(parent, tr("Open scenario"), start, tr("Scenarios (*.json);;All files (*)"));
    return !path.isEmpty() && openPath(path, parent);
}

bool ScenarioController::openBundledDefault(QWidget* parent)
{
    if (!m_document.maybeSave(parent))
        return false;
    if (auto opened = m_document.openBundledDefault(); !opened) {
        QMessageBox::critical(parent, tr("Cannot open scenario"), opened.error().message);
        return false;
    }
    return true;
}

bool ScenarioController::save(QWidget* parent)
{
    if (m_document.needsSaveAs())
        return saveAs(parent);
    if (auto saved = m_document.save(); !saved) {
        QMessageBox::critical(parent, tr("Cannot save scenario"), saved.error().message);
        return false;
    }
    return true;
}

bool ScenarioController::saveAs(QWidget* parent)
{
    const QString suggested = m_document.needsSaveAs() ? m_document.displayName() + QStringLiteral(".json") : m_document.filePath();
    const QString path = QFileDialog::getSaveFileName(parent, tr("Save scenario as"), suggested, tr("Scenarios (*.json);;All files (*)"));
    if (path.isEmpty())
        return false;
    if (auto saved = m_document.saveAs(path); !saved) {
        QMessageBox::critical(parent, tr("Cannot save scenario"), saved.error().message);
        return false;
    }
    return true;
}

} // namespace otalab::app
