// SPDX-License-Identifier: Apache-2.0
// ExportController: "Export…" — the CLI's report, plots, trace and pcap for the session's scenario.
#pragma once

#include "core/common/error.h"
#include "export/exportjob.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

class QProgressDialog;
class QThread;
class QTimer;
class QWidget;

namespace otalab::app {

class LabSession;

// GUI thread. Each export re-runs the session's config (and seed) on a worker QThread
// via ExportJob — never on the GUI thread — and checks the re-run's trace fingerprint
// against the live run's when that had finished. One export at a time.
class ExportController final : public QObject {
    Q_OBJECT
public:
    ExportController(LabSession& session, QWidget* dialogParent);
    ~ExportController() override;  // cancels and joins a running export

    // Asks what to write and where (ExportDialog: each part with its estimated size),
    // runs with a progress dialog (virtual time, Cancel) and shows the outcome.
    void exportInteractive();
    // Automation / tests: exports `selection` into `dir` and returns the files written.
    // Runs the job on the worker thread and waits in a local event loop (the GUI keeps
    // painting).
    Result<QStringList> exportTo(const QString& dir, ExportSelection selection = {});

    // What is known about the run to export, for the size estimate: the finished run's
    // event count when one is on screen, else a model from clients × image size (or the
    // events so far, if more).
    ExportBasis basis() const;
    ExportEstimate estimate() const { return estimateExport(basis()); }
    // The parts ticked when the dialog opens: all, but the trace when it would be large.
    ExportSelection defaultSelection() const;
    static constexpr std::int64_t kLargeTraceBytes = 50'000'000;

    bool busy() const { return m_job != nullptr; }
    // The running job (null when idle): progress, cancel.
    ExportJob* job() const { return m_job.get(); }

    // Core of both paths, synchronous on the calling thread (tests, other tools).
    static Result<ExportOutcome> exportRun(const sim::ScenarioConfig& config, const QString& baseDir, const QString& outDir,
                                           std::optional<std::uint64_t> expectedFingerprint);
    static Result<ExportOutcome> exportRun(const sim::RolloutConfig& config, const QString& baseDir, const QString& outDir,
                                           std::optional<std::uint64_t> expectedFingerprint)
    {
        return exportRun(sim::ScenarioConfig::fromRollout(config), baseDir, outDir, expectedFingerprint);
    }

Q_SIGNALS:
    void exportStarted(const QString& dir);
    // message: the outcome summary, or the error.
    void exportFinished(bool ok, const QString& message);

private:
    // Starts the worker; error when no scenario is loaded or an export is running.
    Result<void> start(const QString& dir, const ExportSelection& selection);
    void jobDone();

    LabSession& m_session;
    QPointer<QWidget> m_dialogParent;
    std::unique_ptr<ExportJob> m_job;
    QThread* m_thread = nullptr;
    std::optional<Result<ExportOutcome>> m_result;   // written by the worker, read after it finished
    QProgressDialog* m_progress = nullptr;
    QTimer* m_poll = nullptr;
    bool m_interactive = false;
    std::optional<Result<ExportOutcome>> m_last;    // the last finished export's outcome
};

} // namespace otalab::app
