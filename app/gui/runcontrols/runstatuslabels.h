// SPDX-License-Identifier: Apache-2.0
// RunStatusLabels: virtual time, events/s, run state and fleet counts in a status bar.
#pragma once

#include <QObject>

class QLabel;
class QStatusBar;

namespace otalab::app {

class RunControlsController;

// Adds four permanent labels to `statusBar` and refreshes them from the controller's
// texts (at most on every snapshot, i.e. ≤ ~30 Hz).
class RunStatusLabels final : public QObject {
    Q_OBJECT
public:
    RunStatusLabels(RunControlsController& controller, QStatusBar* statusBar);

    QLabel* timeLabel() const { return m_time; }
    QLabel* rateLabel() const { return m_rate; }
    QLabel* stateLabel() const { return m_state; }
    QLabel* fleetLabel() const { return m_fleet; }

private:
    void refresh();

    RunControlsController& m_controller;
    QLabel* m_time = nullptr;
    QLabel* m_rate = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_fleet = nullptr;
};

} // namespace otalab::app
