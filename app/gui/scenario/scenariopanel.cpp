// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenariopanel.h"

#include "guistyle.h"
#include "scenario/scenariocontroller.h"
#include "scenario/scenariodocument.h"
#include "scenario/scenarioform.h"
#include "scenario/scenariojsoneditor.h"

#include <QAction>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

namespace otalab::app {

ScenarioPanel::ScenarioPanel(ScenarioDocument& document, QWidget* parent) : QWidget(parent), m_document(document)
{
    m_form = new ScenarioForm(this);
    m_editor = new ScenarioJsonEditor(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);
    m_status->setContentsMargins(6, 4, 6, 4);
    connect(m_status, &QLabel::linkActivated, this, [this] { m_editor->goToError(); });

    m_controller = new ScenarioController(document, *m_form, *m_editor, this);

    m_openAction = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Open scenario\u2026"), this);
    connect(m_openAction, &QAction::triggered, this, [this] { m_controller->openFile(this); });
    m_saveAction = new QAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("Save scenario"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    connect(m_saveAction, &QAction::triggered, this, [this] { m_controller->save(this); });
    m_saveAsAction = new QAction(tr("Save scenario as\u2026"), this);
    m_saveAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(m_saveAsAction, &QAction::triggered, this, [this] { m_controller->saveAs(this); });
    m_applyAction = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Load into lab"), this);
    m_applyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_applyAction->setToolTip(tr("Rebuild the lab's run from this scenario (Ctrl+Return)"));
    connect(m_applyAction, &QAction::triggered, this, [this] {
        if (m_controller->canApply())
            Q_EMIT applyRequested();
    });
    for (QAction* a : {m_openAction, m_saveAction, m_saveAsAction, m_applyAction})
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions({m_openAction, m_saveAction, m_saveAsAction, m_applyAction});

    m_toolBar = new QToolBar(tr("Scenario"), this);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addAction(m_openAction);
    m_toolBar->addAction(m_saveAction);
    m_toolBar->addAction(m_saveAsAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_applyAction);
    m_title = new QLabel(this);
    m_title->setContentsMargins(12, 0, 6, 0);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);  // long paths are clipped, not widening the panel
    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_toolBar);
    top->addWidget(m_title, 1);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->setSpacing(0);
    rightLayout->addWidget(m_editor, 1);
    rightLayout->addWidget(m_status);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_form);
    splitter->addWidget(right);
    // The form grows too (its lists of overrides and policies use the width); the JSON
    // pane keeps the larger share.
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({540, 760});
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);

    connect(m_controller, &ScenarioController::statusChanged, this, &ScenarioPanel::updateStatus);
    connect(&m_document, &ScenarioDocument::dirtyChanged, this, &ScenarioPanel::updateHeader);
    connect(&m_document, &ScenarioDocument::fileChanged, this, &ScenarioPanel::updateHeader);
    connect(&m_document, &ScenarioDocument::configChanged, this, &ScenarioPanel::updateHeader);
    updateHeader();
    updateStatus();
}

void ScenarioPanel::updateHeader()
{
    QString where;
    if (m_document.isBundled())
        where = tr("bundled, read-only");
    else if (!m_document.filePath().isEmpty())
        where = QDir::toNativeSeparators(m_document.filePath());
    else
        where = tr("not saved");
    m_title->setText(QStringLiteral("<b>%1</b>%2 &nbsp;<span style='color:gray'>%3</span>")
                         .arg(m_document.displayName().toHtmlEscaped(), m_document.isDirty() ? QStringLiteral(" *") : QString(),
                              where.toHtmlEscaped()));
}

void ScenarioPanel::updateStatus()
{
    const bool ok = m_controller->ok();
    const QString text = m_controller->status().toHtmlEscaped();
    if (ok) {
        m_status->setText(QStringLiteral("<span style='color:#2e7d32'>\u2714</span> %1").arg(text));
        m_status->setStyleSheet(QString());
    } else if (m_document.error()) {
        m_status->setText(QStringLiteral("\u2716 %1 &nbsp;<a href='#error'>Show</a>").arg(text));
        m_status->setStyleSheet(QStringLiteral("QLabel { color: %1; background: #fdecea; }").arg(errorColor().name()));
    } else {
        m_status->setText(text);
        m_status->setStyleSheet(QString());
    }
    m_applyAction->setEnabled(m_controller->canApply());
    updateHeader();
}

} // namespace otalab::app
