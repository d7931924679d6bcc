// SPDX-License-Identifier: Apache-2.0
// RunControlsController: run/pause/step/run-to/speed/restart actions and status texts for a LabSession.
#pragma once

#include "lab/labsession.h"

#include <QObject>
#include <QString>

#include <optional>
#include <vector>

class QAction;

namespace otalab::app {

// GUI thread. Owns the actions (shortcuts: Run F5, Pause F6, Run/Pause Space,
// Step F10, Restart Ctrl+R), keeps their enabled state in line with
// LabSession::RunState, and turns snapshots into the status-bar texts. Widgets
// (RunControlsBar, RunStatusLabels) only display what it offers.
class RunControlsController final : public QObject {
    Q_OBJECT
public:
    struct SpeedOption {
        QString label;
        double speed;   // virtual s per wall s; 0 = as fast as possible (animation off)
    };
    static const std::vector<SpeedOption>& speedOptions();

    explicit RunControlsController(LabSession& session, QObject* parent = nullptr);

    QAction* runAction() const { return m_run; }
    QAction* pauseAction() const { return m_pause; }
    QAction* runPauseAction() const { return m_runPause; }   // Space: toggles
    QAction* stepAction() const { return m_step; }
    QAction* restartAction() const { return m_restart; }
    QAction* runToAction() const { return m_runTo; }          // runs to runToTarget()

    // "Run to" target text: seconds ("90", "90.5", "90 s"), minutes/hours with a unit
    // ("20 min", "1.5 h"), or a clock "m:ss" / "h:mm:ss" (fractions allowed). nullopt if invalid.
    static std::optional<double> parseTime(const QString& text);
    // Sets the target from text (empty text clears it); false (target unchanged) when invalid.
    bool setRunToText(const QString& text);
    std::optional<double> runToTarget() const { return m_runToTarget; }
    // Runs to the target (no-op without one or when it is not after the current time).
    void runToTarget(double timeS);

    // Index into speedOptions() of the session's speed (nearest), and setting it.
    int speedIndex() const;
    void setSpeedIndex(int index);

    // Status texts for the current session state and latest snapshot.
    QString timeText() const;        // "t = 12.5 min (0:12:30)"
    QString rateText() const;        // "1.25 M events/s"
    QString stateText() const;       // "Running", "Finished: all devices finished", ...
    QString fleetText() const;       // "3/5 upgraded · 1 downloading · 0 failed"

    static QString clockText(double seconds);   // "0:12:30.5" style (h:mm:ss)
    static QString stateName(LabSession::RunState state);

Q_SIGNALS:
    // Status texts changed (after a snapshot or a state change).
    void statusChanged();
    void speedIndexChanged(int index);

private:
    void updateActions();

    LabSession& m_session;
    QAction* m_run = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_runPause = nullptr;
    QAction* m_step = nullptr;
    QAction* m_restart = nullptr;
    QAction* m_runTo = nullptr;
    std::optional<double> m_runToTarget;
};

} // namespace otalab::app
