// SPDX-License-Identifier: Apache-2.0
// RunStatusLabels: status-bar labels of the run.
#include "runcontrols/runstatuslabels.h"

#include "runcontrols/runcontrolscontroller.h"

#include <QFontDatabase>
#include <QLabel>
#include <QStatusBar>

namespace otalab::app {

RunStatusLabels::RunStatusLabels(RunControlsController& controller, QStatusBar* statusBar)
    : QObject(statusBar), m_controller(controller)
{
    const auto make = [statusBar](const char* name, int minWidth) {
        auto* label = new QLabel(statusBar);
        label->setObjectName(QString::fromLatin1(name));
        label->setMinimumWidth(minWidth);
        statusBar->addPermanentWidget(label);
        return label;
    };
    m_state = make("runStateLabel", 90);
    m_fleet = make("fleetLabel", 220);
    m_rate = make("eventsPerSecondLabel", 110);
    m_time = make("virtualTimeLabel", 190);
    m_time->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(&controller, &RunControlsController::statusChanged, this, &RunStatusLabels::refresh);
    refresh();
}

void RunStatusLabels::refresh()
{
    m_time->setText(m_controller.timeText());
    m_rate->setText(m_controller.rateText());
    m_state->setText(m_controller.stateText());
    m_fleet->setText(m_controller.fleetText());
}

} // namespace otalab::app
