// SPDX-License-Identifier: Apache-2.0
#include "export/exportcontroller.h"

#include "export/exportdialog.h"
#include "lab/labsession.h"
#include "sim/report/fleetsummary.h"

#include <QDir>
#include <QFileInfo>
#include <QEventLoop>
#include <QFileDialog>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSettings>
#include <QThread>
#include <QTimer>
#include <QWidget>

#include <algorithm>

namespace otalab::app {

namespace {
const char* kLastDirKey = "export/lastDir";
}

ExportController::ExportController(LabSession& session, QWidget* dialogParent)
    : QObject(dialogParent), m_session(session), m_dialogParent(dialogParent)
{
    m_poll = new QTimer(this);
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, [this] {
        if (!m_progress || !m_job)
            return;
        const double until = std::max(1e-9, m_job->untilS());
        m_progress->setValue(int(std::clamp(1000.0 * m_job->progressTimeS() / until, 0.0, 999.0)));
        m_progress->setLabelText(QStringLiteral("Re-running the scenario for the trace and capture…\n"
                                                "virtual time %1 (stops at %2 or when every device has finished)")
                                     .arg(sim::formatDuration(m_job->progressTimeS()), sim::formatDuration(m_job->untilS())));
    });
}

ExportController::~ExportController()
{
    if (m_thread) {
        m_job->cancel();
        m_thread->wait();
        delete m_thread;
    }
}

Result<ExportOutcome> ExportController::exportRun(const sim::ScenarioConfig& config, const QString& baseDir, const QString& outDir,
                                                  std::optional<std::uint64_t> expectedFingerprint)
{
    ExportJob job(config, baseDir, outDir, expectedFingerprint);
    return job.run();
}

ExportBasis ExportController::basis() const
{
    ExportBasis b;
    const LabTopology& topology = m_session.topology();
    b.devices = int(std::count_if(topology.nodes.begin(), topology.nodes.end(), [](const LabNodeInfo& n) { return n.hasClient; }));
    const auto& config = m_session.config();
    if (!config)
        return b;
    const double interval = std::max(1e-3, config->sampleIntervalS);
    if (m_session.state() == LabSession::RunState::Finished && !m_session.keptRuns().empty()) {
        const sim::RunResult& r = m_session.keptRuns().back().result;
        b.events = r.eventsExecuted;
        b.devices = int(r.devices.size());
        b.samples = int(r.progress.size());
        b.how = QStringLiteral("from the finished run on screen (%L1 events)").arg(r.eventsExecuted);
        return b;
    }
    b.samples = int(std::min(1e7, config->stop.untilS / interval)) + 1;
    std::int64_t imageBytes = m_session.topology().imageBytes;
    if (const sim::RolloutConfig* zigbee = config->singleZigbee(); zigbee && !zigbee->images.empty()) {
        const sim::ImageConfig& image = zigbee->images.front();
        imageBytes = image.path.isEmpty() ? std::int64_t(image.sizeBytes) : QFileInfo(image.path).size();
    }
    const double modelled = kEventsPerClientImageByte * double(b.devices) * double(imageBytes);
    const std::uint64_t soFar = m_session.latest().eventsExecuted;
    if (double(soFar) > modelled) {
        b.events = soFar;
        b.how = QStringLiteral("at least the %L1 events the run on screen has executed so far").arg(soFar);
    } else {
        b.events = std::uint64_t(modelled);
        b.how = QStringLiteral("estimated from %1 devices × a %2 image before the run finished; run it to the end "
                               "for a closer figure").arg(b.devices).arg(approximateSize(imageBytes).mid(6));
    }
    return b;
}

ExportSelection ExportController::defaultSelection() const
{
    ExportSelection selection;
    selection.set(ExportPart::Trace, estimate().of(ExportPart::Trace) < kLargeTraceBytes);
    return selection;
}

Result<void> ExportController::start(const QString& dir, const ExportSelection& selection)
{
    if (m_job)
        return fail(QStringLiteral("an export is already running"));
    if (!m_session.config())
        return fail(QStringLiteral("nothing to export: open a scenario first"));
    std::optional<std::uint64_t> expected;
    // The finished run's fingerprint as recorded when it finished (the session keeps that
    // run last). Not currentResult(): every Rollout::result() call flushes device energy
    // into the trace, so a second call reports a different fingerprint than the first.
    if (m_session.state() == LabSession::RunState::Finished && !m_session.keptRuns().empty()
        && m_session.keptRuns().back().result.traceFingerprint != 0)
        expected = m_session.keptRuns().back().result.traceFingerprint;  // 0: the run computed no fingerprint
    // Image paths in a loaded RolloutConfig are absolute (sim::loadScenario), so no baseDir.
    if (selection.isEmpty())
        return fail(QStringLiteral("nothing to export: choose at least one part"));
    m_job = std::make_unique<ExportJob>(*m_session.config(), QString(), dir, expected, selection);
    m_result.reset();
    ExportJob* job = m_job.get();
    m_thread = QThread::create([this, job] { m_result = job->run(); });
    m_thread->setObjectName(QStringLiteral("otalab-export"));
    connect(m_thread, &QThread::finished, this, &ExportController::jobDone);
    Q_EMIT exportStarted(dir);
    m_thread->start();
    return {};
}

void ExportController::jobDone()
{
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    const QString dir = m_job->outDir();
    const bool cancelled = m_job->cancelled();
    m_job.reset();
    m_poll->stop();
    if (m_progress) {
        m_progress->reset();
        m_progress->deleteLater();
        m_progress = nullptr;
    }
    m_last = m_result.value_or(fail(QStringLiteral("the export stopped without a result")));
    const bool ok = m_last->has_value();
    const QString message = ok ? (*m_last)->summary(dir) : m_last->error().message;
    if (m_interactive) {
        m_interactive = false;
        if (ok)
            QMessageBox::information(m_dialogParent, QStringLiteral("Export finished"), message);
        else if (cancelled)
            QMessageBox::information(m_dialogParent, QStringLiteral("Export cancelled"), message);
        else
            QMessageBox::critical(m_dialogParent, QStringLiteral("Export failed"), message);
    }
    Q_EMIT exportFinished(ok, message);
}

void ExportController::exportInteractive()
{
    if (m_job) {
        QMessageBox::information(m_dialogParent, QStringLiteral("Export"), QStringLiteral("An export is already running."));
        return;
    }
    if (!m_session.config()) {
        QMessageBox::warning(m_dialogParent, QStringLiteral("Export"), QStringLiteral("Open a scenario first: there is nothing to export."));
        return;
    }
    QSettings settings;
    ExportDialog dialog(estimate(), basis().how, defaultSelection(),
                        settings.value(QLatin1String(kLastDirKey), QDir::homePath()).toString(), m_dialogParent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString dir = dialog.folder();
    settings.setValue(QLatin1String(kLastDirKey), dir);
    auto started = start(dir, dialog.selection());
    if (!started) {
        QMessageBox::critical(m_dialogParent, QStringLiteral("Export failed"), started.error().message);
        return;
    }
    m_interactive = true;
    m_progress = new QProgressDialog(QStringLiteral("Re-running the scenario for the trace and capture…"), QStringLiteral("Cancel"),
                                     0, 1000, m_dialogParent);
    m_progress->setWindowTitle(QStringLiteral("Export"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(300);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    connect(m_progress, &QProgressDialog::canceled, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    m_poll->start();
}

Result<QStringList> ExportController::exportTo(const QString& dir, ExportSelection selection)
{
    auto started = start(dir, selection);
    if (!started)
        return fail(started.error());
    QEventLoop loop;
    connect(this, &ExportController::exportFinished, &loop, &QEventLoop::quit);
    if (m_job)  // not already finished
        loop.exec();
    if (!m_last)
        return fail(QStringLiteral("the export stopped without a result"));
    if (!m_last->has_value())
        return fail(m_last->error());
    return (*m_last)->files;
}

} // namespace otalab::app
