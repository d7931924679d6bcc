// SPDX-License-Identifier: Apache-2.0
// LabAutomation: the --run / --screenshot-at / --quit-when-done sequence.
#include "runcontrols/labautomation.h"

#include "lab/labsession.h"

#include <QTimer>
#include <QWidget>

#include <cstdio>

namespace otalab::app {

LabAutomation::LabAutomation(QWidget& window, LabSession& session, Options options, QObject* parent)
    : QObject(parent), m_window(&window), m_session(session), m_options(std::move(options))
{
    connect(&m_session, &LabSession::stateChanged, this, &LabAutomation::onStateChanged);
    connect(&m_session, &LabSession::errorOccurred, this, [this](const QString& message) {
        std::fprintf(stderr, "otalab: cannot build the scenario: %s\n", qPrintable(message));
        m_exitCode = 1;
        if (m_phase != Phase::Idle)
            finish();
    });
}

bool LabAutomation::drivesTheRun() const
{
    return m_options.run || m_options.runToS || m_options.screenshotAtS;
}

void LabAutomation::start()
{
    if (m_options.screenshotAtS) {
        m_phase = Phase::ToScreenshot;
        m_session.runTo(*m_options.screenshotAtS);
    } else if (m_options.runToS) {
        m_phase = Phase::ToEnd;
        m_session.runTo(*m_options.runToS);
    } else if (m_options.run) {
        m_phase = Phase::ToEnd;
        m_session.run();
    }
}

void LabAutomation::onStateChanged()
{
    using S = LabSession::RunState;
    const S state = m_session.state();
    if (state != S::Paused && state != S::Finished)
        return;
    switch (m_phase) {
    case Phase::ToScreenshot:
        if (state == S::Paused && m_session.latest().timeS < *m_options.screenshotAtS)
            return;  // paused by someone else before the time
        m_phase = Phase::Idle;  // ignore state changes while settling
        QTimer::singleShot(m_options.settleMs, this, [this, state] {
            if (!m_options.screenshotPath.isEmpty()) {
                m_shotTaken = true;
                if (!grab())
                    m_exitCode = 1;
            }
            if (state == S::Finished)
                finish();
            else
                continueAfterScreenshot();
        });
        break;
    case Phase::ToEnd:
        if (state == S::Paused && m_options.runToS && m_session.latest().timeS < *m_options.runToS)
            return;
        m_phase = Phase::Idle;
        // The panels' coalescing timers need the settle time only for a picture.
        QTimer::singleShot(!m_shotTaken && !m_options.screenshotPath.isEmpty() ? m_options.settleMs : 0, this, [this] {
            if (!m_shotTaken && !m_options.screenshotPath.isEmpty() && !grab())
                m_exitCode = 1;
            finish();
        });
        break;
    case Phase::Idle:
    case Phase::Finished:
        break;
    }
}

void LabAutomation::continueAfterScreenshot()
{
    if (m_options.runToS && *m_options.runToS > m_session.latest().timeS) {
        m_phase = Phase::ToEnd;
        m_session.runTo(*m_options.runToS);
    } else if (m_options.run) {
        m_phase = Phase::ToEnd;
        m_session.run();
    } else {
        finish();
    }
}

void LabAutomation::finish()
{
    m_phase = Phase::Finished;
    if (m_options.quitWhenDone)
        Q_EMIT done(m_exitCode);
}

bool LabAutomation::grab()
{
    if (!m_window)
        return false;
    if (!m_window->grab().save(m_options.screenshotPath, "PNG")) {
        std::fprintf(stderr, "otalab: cannot write screenshot %s\n", qPrintable(m_options.screenshotPath));
        return false;
    }
    std::fprintf(stderr, "otalab: screenshot %s at t = %.1f s\n", qPrintable(m_options.screenshotPath), m_session.latest().timeS);
    return true;
}

} // namespace otalab::app
