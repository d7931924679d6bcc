// SPDX-License-Identifier: Apache-2.0
// LabAutomation: command-line driven runs and screenshots (--run, --run-to, --screenshot-at, --quit-when-done).
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

class QWidget;

namespace otalab::app {

class LabSession;

// GUI thread. Drives a loaded LabSession for documentation and scripts:
//   1. with screenshotAtS: runs to that virtual time, waits for the panels to repaint,
//      saves `screenshotPath`, then goes on;
//   2. runs to runToS (if given), else to the end when `run`;
//   3. when that stops (finished, or paused at runToS): saves `screenshotPath` if no
//      screenshotAtS took it, and with quitWhenDone emits done(exitCode).
// A build error or a failed screenshot write is printed to stderr; with quitWhenDone
// done(1) follows.
class LabAutomation final : public QObject {
    Q_OBJECT
public:
    struct Options {
        bool run = false;
        std::optional<double> runToS;
        std::optional<double> screenshotAtS;
        QString screenshotPath;
        bool quitWhenDone = false;
        int settleMs = 400;   // wall time for the panels' coalescing timers before a grab
    };

    LabAutomation(QWidget& window, LabSession& session, Options options, QObject* parent = nullptr);

    // Starts the sequence (call after the scenario was loaded into the session).
    void start();
    // True when start() has something to drive (else main's own --screenshot/--quit apply).
    bool drivesTheRun() const;
    int exitCode() const { return m_exitCode; }

Q_SIGNALS:
    void done(int exitCode);

private:
    enum class Phase { Idle, ToScreenshot, ToEnd, Finished };
    void onStateChanged();
    void continueAfterScreenshot();
    void finish();
    bool grab();

    QPointer<QWidget> m_window;
    LabSession& m_session;
    Options m_options;
    Phase m_phase = Phase::Idle;
    bool m_shotTaken = false;
    int m_exitCode = 0;
};

} // namespace otalab::app
