// SPDX-License-Identifier: Apache-2.0
// RunControlsBar: toolbar layout of the run controls.
#include "runcontrols/runcontrolsbar.h"

#include "runcontrols/runcontrolscontroller.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>

namespace otalab::app {

RunControlsBar::RunControlsBar(RunControlsController& controller, QWidget* parent)
    : QToolBar(tr("Run controls"), parent), m_controller(controller)
{
    setObjectName(QStringLiteral("runControlsBar"));
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    controller.runAction()->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    controller.pauseAction()->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
    controller.stepAction()->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    controller.restartAction()->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    controller.runToAction()->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
    addAction(controller.runAction());
    addAction(controller.pauseAction());
    addAction(controller.stepAction());
    addSeparator();

    m_runToEdit = new QLineEdit(this);
    m_runToEdit->setObjectName(QStringLiteral("runToEdit"));
    m_runToEdit->setPlaceholderText(tr("s or h:mm:ss"));
    m_runToEdit->setToolTip(tr("Virtual time to run to: seconds (90, 20 min, 1.5 h) or a clock (1:30:00)"));
    m_runToEdit->setClearButtonEnabled(true);
    m_runToEdit->setMaximumWidth(120);
    addWidget(m_runToEdit);
    addAction(controller.runToAction());
    connect(m_runToEdit, &QLineEdit::textChanged, this, &RunControlsBar::runToEdited);
    connect(m_runToEdit, &QLineEdit::returnPressed, controller.runToAction(), &QAction::trigger);
    addSeparator();

    auto* speedLabel = new QLabel(tr(" Speed "), this);
    addWidget(speedLabel);
    m_speed = new QComboBox(this);
    m_speed->setObjectName(QStringLiteral("speedCombo"));
    for (const auto& option : RunControlsController::speedOptions())
        m_speed->addItem(option.label, option.speed);
    m_speed->setToolTip(tr("Virtual seconds per wall-clock second; \"As fast as possible\" turns animation off"));
    m_speed->setCurrentIndex(controller.speedIndex());
    speedLabel->setBuddy(m_speed);
    addWidget(m_speed);
    connect(m_speed, &QComboBox::activated, &controller, &RunControlsController::setSpeedIndex);
    connect(&controller, &RunControlsController::speedIndexChanged, m_speed, &QComboBox::setCurrentIndex);
    addSeparator();
    addAction(controller.restartAction());
}

void RunControlsBar::runToEdited(const QString& text)
{
    if (m_controller.setRunToText(text)) {
        m_runToEdit->setStyleSheet({});
        return;
    }
    m_runToEdit->setStyleSheet(QStringLiteral("QLineEdit { background: #fde2e1; }"));
}

} // namespace otalab::app
