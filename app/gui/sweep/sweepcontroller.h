// SPDX-License-Identifier: Apache-2.0
// SweepController: a sweep folder (otalab-cli sweep --out DIR) read for the lab window.
#pragma once

#include "core/common/error.h"
#include "lab/labtypes.h"
#include "sim/sweep/sweepmerge.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>
#include <vector>

namespace otalab::app {

// Everything the panel shows of one sweep folder, read at one moment (immutable).
struct SweepFolder {
    QString dir;                                   // absolute
    sim::SweepPlan plan;
    sim::SweepTable table;                         // finished runs, ascending index; missing ones
    std::vector<sim::SweepPointSummary> summary;   // one per parameter point, point order
    std::vector<int> rowOfRun;                     // run index → index into table.runs, -1 when missing

    int runCount() const { return int(plan.runCount()); }
    // The finished result of run `index`, nullptr when it has not finished.
    const sim::SweepRunResult* result(int index) const;
    // The run of point `pointIndex` to open for it: its first ok seed, else its first
    // finished run, else -1.
    int firstRunOfPoint(int pointIndex) const;
    // "60 runs: 58 done, 2 failed, 0 missing" (done = ok).
    QString statusText() const;
    // "blockSize=64, pollIntervalMs=250" (empty without axes).
    QString pointText(const QList<QJsonValue>& point) const;
};

// Reads DIR/plan.json, every DIR/runs/*/result.json and summarises per point
// (sim/sweep/sweepmerge.h). Any thread. Errors say what is wrong with the folder: not a
// folder, no plan.json (not a sweep), a malformed plan.json or result.json (named).
Result<std::shared_ptr<const SweepFolder>> readSweepFolder(const QString& dir);

// The run's record for Compare: its report (DIR/runs/NNNNNN/report.json) and its
// scenario (the plan's scenario with the run's values and seed), labelled
// "<sweep> #12 blockSize=64 seed 3". Any thread.
Result<LabRunRecord> readSweepRunRecord(const SweepFolder& folder, int index);

// GUI thread. open() reads a folder on a worker thread (a sweep of thousands of runs is
// thousands of files) and then emits opened() — folder() is the new one — or
// openFailed(message), keeping the folder shown before. requestRun() reads a run's report
// the same way and emits runReady(index, record) or runFailed(message). Results of an
// open() superseded by a newer one are dropped.
class SweepController final : public QObject {
    Q_OBJECT
public:
    explicit SweepController(QObject* parent = nullptr);
    ~SweepController() override;  // waits for a read under way

    void open(const QString& dir);
    // Reads on this thread (no signal for the caller to wait on): true and opened(), or
    // false and openFailed(message).
    bool openNow(const QString& dir);
    // Reads the folder again (runs finished since): open(folder()->dir).
    void reload();
    bool isLoading() const { return m_loading; }
    const std::shared_ptr<const SweepFolder>& folder() const { return m_folder; }

    void requestRun(int index);

Q_SIGNALS:
    void loadingChanged(bool loading);
    void opened();
    void openFailed(const QString& message);
    void runReady(int index, const otalab::app::LabRunRecord& record);
    void runFailed(const QString& message);

private:
    void finishOpen(std::uint64_t generation, Result<std::shared_ptr<const SweepFolder>> result);

    QThreadPool m_pool;  // one thread: reads happen in order
    std::shared_ptr<const SweepFolder> m_folder;
    std::uint64_t m_generation = 0;
    bool m_loading = false;
};

} // namespace otalab::app
