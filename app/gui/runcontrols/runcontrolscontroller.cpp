// SPDX-License-Identifier: Apache-2.0
// RunControlsController: actions, enabling rules, time parsing and status texts.
#include "runcontrols/runcontrolscontroller.h"

#include "sim/report/fleetsummary.h"

#include <QAction>
#include <QRegularExpression>

#include <cmath>

namespace otalab::app {

const std::vector<RunControlsController::SpeedOption>& RunControlsController::speedOptions()
{
    static const std::vector<SpeedOption> options = {
        {QObject::tr("Real time"), 1.0},
        {QObject::tr("10×"), 10.0},
        {QObject::tr("100×"), 100.0},
        {QObject::tr("1000×"), 1000.0},
        {QObject::tr("As fast as possible"), LabSession::kAsFastAsPossible},
    };
    return options;
}

RunControlsController::RunControlsController(LabSession& session, QObject* parent) : QObject(parent), m_session(session)
{
    m_run = new QAction(tr("&Run"), this);
    m_run->setShortcut(Qt::Key_F5);
    m_run->setToolTip(tr("Run the rollout (F5)"));
    m_pause = new QAction(tr("&Pause"), this);
    m_pause->setShortcut(Qt::Key_F6);
    m_pause->setToolTip(tr("Pause: virtual time stops (F6)"));
    m_runPause = new QAction(tr("Run/Pause"), this);
    m_runPause->setShortcut(Qt::Key_Space);
    m_runPause->setShortcutContext(Qt::WindowShortcut);
    m_step = new QAction(tr("&Step"), this);
    m_step->setShortcut(Qt::Key_F10);
    m_step->setToolTip(tr("Execute one simulation event (F10)"));
    m_restart = new QAction(tr("Re&start"), this);
    m_restart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_restart->setToolTip(tr("Restart with the same seed (Ctrl+R)"));
    m_runTo = new QAction(tr("Run &to"), this);
    m_runTo->setToolTip(tr("Run until the virtual time in the box, then pause"));

    connect(m_run, &QAction::triggered, &m_session, &LabSession::run);
    connect(m_pause, &QAction::triggered, &m_session, &LabSession::pause);
    connect(m_runPause, &QAction::triggered, this, [this] {
        if (m_session.state() == LabSession::RunState::Running)
            m_session.pause();
        else
            m_session.run();
    });
    connect(m_step, &QAction::triggered, &m_session, &LabSession::step);
    connect(m_restart, &QAction::triggered, &m_session, &LabSession::restart);
    connect(m_runTo, &QAction::triggered, this, [this] {
        if (m_runToTarget)
            runToTarget(*m_runToTarget);
    });

    connect(&m_session, &LabSession::stateChanged, this, [this] {
        updateActions();
        Q_EMIT statusChanged();
    });
    connect(&m_session, &LabSession::snapshotPublished, this, &RunControlsController::statusChanged);
    connect(&m_session, &LabSession::topologyChanged, this, &RunControlsController::statusChanged);
    connect(&m_session, &LabSession::speedChanged, this, [this] { Q_EMIT speedIndexChanged(speedIndex()); });
    updateActions();
}

void RunControlsController::updateActions()
{
    using S = LabSession::RunState;
    const S s = m_session.state();
    const bool loading = m_session.isLoading();
    const bool canRun = s == S::Ready || s == S::Paused || (s == S::Empty && loading);
    m_run->setEnabled(canRun);
    m_pause->setEnabled(s == S::Running);
    m_runPause->setEnabled(canRun || s == S::Running);
    m_step->setEnabled(canRun);
    m_runTo->setEnabled((canRun || s == S::Running) && m_runToTarget.has_value());
    m_restart->setEnabled(m_session.config().has_value() && s != S::Error && !(s == S::Empty && loading));
}

std::optional<double> RunControlsController::parseTime(const QString& input)
{
    const QString text = input.trimmed().toLower();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    if (text.contains(QLatin1Char(':'))) {
        const QStringList parts = text.split(QLatin1Char(':'));
        if (parts.size() > 3)
            return std::nullopt;
        double total = 0;
        for (int i = 0; i < parts.size(); ++i) {
            const QString part = parts[i].trimmed();
            const bool last = i == parts.size() - 1;
            const double v = part.toDouble(&ok);
            if (!ok || part.isEmpty() || v < 0 || (!last && std::floor(v) != v) || (i > 0 && v >= 60))
                return std::nullopt;
            total = total * 60 + v;
        }
        return total;
    }
    static const QRegularExpression withUnit(QStringLiteral(R"(^([0-9]*\.?[0-9]+)\s*(s|sec|min|m|h)?$)"));
    const auto match = withUnit.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double v = match.captured(1).toDouble(&ok);
    if (!ok)
        return std::nullopt;
    const QString unit = match.captured(2);
    if (unit == QLatin1String("min") || unit == QLatin1String("m"))
        return v * 60;
    if (unit == QLatin1String("h"))
        return v * 3600;
    return v;
}

bool RunControlsController::setRunToText(const QString& text)
{
    if (text.trimmed().isEmpty()) {
        m_runToTarget.reset();
        updateActions();
        return true;
    }
    const auto t = parseTime(text);
    if (!t)
        return false;
    m_runToTarget = t;
    updateActions();
    return true;
}

void RunControlsController::runToTarget(double timeS)
{
    if (timeS <= m_session.latest().timeS && !m_session.isLoading())
        return;
    m_session.runTo(timeS);
}

int RunControlsController::speedIndex() const
{
    const auto& options = speedOptions();
    const double speed = m_session.speed();
    int best = static_cast<int>(options.size()) - 1;
    double bestDistance = 1e300;
    for (int i = 0; i < static_cast<int>(options.size()); ++i) {
        if ((options[i].speed == 0) != (speed == 0))
            continue;
        const double d = speed == 0 ? 0 : std::abs(std::log(options[i].speed / speed));
        if (d < bestDistance) {
            bestDistance = d;
            best = i;
        }
    }
    return best;
}

void RunControlsController::setSpeedIndex(int index)
{
    const auto& options = speedOptions();
    if (index < 0 || index >= static_cast<int>(options.size()))
        return;
    m_session.setSpeed(options[index].speed);
}

QString RunControlsController::clockText(double seconds)
{
    if (!(seconds >= 0))
        seconds = 0;
    const auto whole = static_cast<long long>(seconds);
    const int tenths = static_cast<int>((seconds - static_cast<double>(whole)) * 10);
    return QStringLiteral("%1:%2:%3.%4")
        .arg(whole / 3600)
        .arg((whole / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(whole % 60, 2, 10, QLatin1Char('0'))
        .arg(tenths);
}

QString RunControlsController::timeText() const
{
    const double t = m_session.latest().timeS;
    return tr("t = %1 (%2)").arg(sim::formatDuration(t), clockText(t));
}

QString RunControlsController::rateText() const
{
    const double rate = m_session.latest().eventsPerSecond;
    if (m_session.state() != LabSession::RunState::Running || rate <= 0)
        return tr("— events/s");
    if (rate >= 1e6)
        return tr("%1 M events/s").arg(rate / 1e6, 0, 'f', 2);
    if (rate >= 1e3)
        return tr("%1 k events/s").arg(rate / 1e3, 0, 'f', 1);
    return tr("%1 events/s").arg(rate, 0, 'f', 0);
}

QString RunControlsController::stateName(LabSession::RunState state)
{
    switch (state) {
    case LabSession::RunState::Empty: return tr("No scenario");
    case LabSession::RunState::Ready: return tr("Ready");
    case LabSession::RunState::Running: return tr("Running");
    case LabSession::RunState::Paused: return tr("Paused");
    case LabSession::RunState::Finished: return tr("Finished");
    case LabSession::RunState::Error: return tr("Error");
    }
    return {};
}

QString RunControlsController::stateText() const
{
    const auto s = m_session.state();
    if (s == LabSession::RunState::Empty && m_session.isLoading())
        return tr("Building…");
    if (s == LabSession::RunState::Finished && !m_session.latest().stopReason.isEmpty())
        return tr("Finished: %1").arg(m_session.latest().stopReason);
    return stateName(s);
}

QString RunControlsController::fleetText() const
{
    const LabSnapshot& l = m_session.latest();
    if (l.clients == 0)
        return tr("no clients");
    QString text = tr("%1/%2 upgraded · %3 downloading · %4 failed").arg(l.upgraded).arg(l.clients).arg(l.downloading).arg(l.failed);
    if (l.refused > 0)
        text += tr(" · %1 refused").arg(l.refused);
    return text;
}

} // namespace otalab::app
