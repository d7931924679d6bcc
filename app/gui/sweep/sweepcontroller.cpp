// SPDX-License-Identifier: Apache-2.0
#include "sweep/sweepcontroller.h"

#include "sim/report/reportjsonreader.h"

#include <QDir>
#include <QFileInfo>

namespace otalab::app {

const sim::SweepRunResult* SweepFolder::result(int index) const
{
    if (index < 0 || index >= int(rowOfRun.size()) || rowOfRun[std::size_t(index)] < 0)
        return nullptr;
    return &table.runs[std::size_t(rowOfRun[std::size_t(index)])];
}

int SweepFolder::firstRunOfPoint(int pointIndex) const
{
    const int seeds = int(plan.seeds.size());
    int finished = -1;
    for (int s = 0; s < seeds; ++s) {
        const int index = pointIndex * seeds + s;
        if (const sim::SweepRunResult* r = result(index)) {
            if (r->ok)
                return index;
            if (finished < 0)
                finished = index;
        }
    }
    return finished;
}

QString SweepFolder::statusText() const
{
    const int failed = table.failedRuns();
    const int done = int(table.runs.size()) - failed;
    return QStringLiteral("%1 runs: %2 done, %3 failed, %4 missing")
        .arg(runCount())
        .arg(done)
        .arg(failed)
        .arg(table.missing.size());
}

QString SweepFolder::pointText(const QList<QJsonValue>& point) const
{
    QStringList parts;
    for (qsizetype a = 0; a < plan.axes.size() && a < point.size(); ++a)
        parts.append(QStringLiteral("%1=%2").arg(plan.axes[a].label(), sim::SweepAxis::valueText(point[a])));
    return parts.join(QStringLiteral(", "));
}

Result<std::shared_ptr<const SweepFolder>> readSweepFolder(const QString& dir)
{
    const QFileInfo info(dir);
    const QString shown = QDir::toNativeSeparators(dir);
    if (!info.exists())
        return fail(QStringLiteral("%1 does not exist.").arg(shown));
    if (!info.isDir())
        return fail(QStringLiteral("%1 is not a folder: a sweep is the folder otalab-cli sweep … --out DIR writes.").arg(shown));
    const QString absolute = info.absoluteFilePath();
    if (!QFileInfo::exists(sim::sweepPlanPath(absolute)))
        return fail(QStringLiteral("%1 is not a sweep folder: it has no plan.json (otalab-cli sweep SCENARIO --vary … --out DIR "
                                   "or --plan DIR writes one).")
                        .arg(shown));
    auto plan = sim::readSweepPlan(absolute);
    if (!plan)
        return fail(QStringLiteral("%1: the plan cannot be read: %2")
                        .arg(QDir::toNativeSeparators(sim::sweepPlanPath(absolute)), plan.error().toString()));
    auto table = sim::readSweepTable(*plan, absolute);
    if (!table)
        return fail(QStringLiteral("%1: the runs cannot be read: %2").arg(shown, table.error().toString()));
    auto folder = std::make_shared<SweepFolder>();
    folder->dir = absolute;
    folder->plan = std::move(*plan);
    folder->table = std::move(*table);
    folder->summary = sim::summarizeSweep(folder->plan, folder->table);
    folder->rowOfRun.assign(folder->plan.runCount(), -1);
    for (std::size_t i = 0; i < folder->table.runs.size(); ++i) {
        const int index = folder->table.runs[i].run.index;
        if (index >= 0 && index < int(folder->rowOfRun.size()))
            folder->rowOfRun[std::size_t(index)] = int(i);
    }
    return std::shared_ptr<const SweepFolder>(std::move(folder));
}

Result<LabRunRecord> readSweepRunRecord(const SweepFolder& folder, int index)
{
    if (index < 0 || index >= folder.runCount())
        return fail(QStringLiteral("run %1 is not in this sweep (0–%2)").arg(index).arg(folder.runCount() - 1));
    const sim::SweepRunSpec spec = folder.plan.run(index);
    const QString runDir = sim::sweepRunDir(folder.dir, index);
    const sim::SweepRunResult* finished = folder.result(index);
    if (!finished)
        return fail(QStringLiteral("run %1 (%2) has not finished: %3 has no result.json yet")
                        .arg(index)
                        .arg(folder.pointText(spec.point))
                        .arg(QDir::toNativeSeparators(runDir)));
    if (!finished->ok && !QFileInfo::exists(QDir(runDir).filePath(QStringLiteral("report.json"))))
        return fail(QStringLiteral("run %1 (%2, seed %3) failed and has no report: %4")
                        .arg(index)
                        .arg(folder.pointText(spec.point))
                        .arg(spec.seed)
                        .arg(finished->error));
    auto result = sim::readReportJson(runDir);
    if (!result)
        return fail(result.error());
    LabRunRecord record;
    const QString point = folder.pointText(spec.point);
    record.label = QStringLiteral("%1 #%2 %3%4seed %5")
                       .arg(QFileInfo(folder.dir).fileName())
                       .arg(index)
                       .arg(point)
                       .arg(point.isEmpty() ? QString() : QStringLiteral(" "))
                       .arg(spec.seed);
    record.result = std::move(*result);
    if (record.result.scenarioFile.isEmpty())
        record.result.scenarioFile = runDir;
    if (auto scenario = folder.plan.scenarioFor(spec))
        record.scenario = std::move(*scenario);
    return record;
}

SweepController::SweepController(QObject* parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

SweepController::~SweepController()
{
    m_pool.waitForDone();
}

void SweepController::open(const QString& dir)
{
    const std::uint64_t generation = ++m_generation;
    if (!m_loading) {
        m_loading = true;
        Q_EMIT loadingChanged(true);
    }
    m_pool.start([this, dir, generation] {
        auto result = readSweepFolder(dir);
        // Queued to this (GUI-thread) object; the destructor waits for this task, and
        // events left for a deleted object are dropped.
        QMetaObject::invokeMethod(this, [this, generation, result = std::move(result)]() mutable {
            finishOpen(generation, std::move(result));
        }, Qt::QueuedConnection);
    });
}

bool SweepController::openNow(const QString& dir)
{
    const std::uint64_t generation = ++m_generation;
    auto result = readSweepFolder(dir);
    const bool ok = result.has_value();
    finishOpen(generation, std::move(result));
    return ok;
}

void SweepController::reload()
{
    if (m_folder)
        open(m_folder->dir);
}

void SweepController::finishOpen(std::uint64_t generation, Result<std::shared_ptr<const SweepFolder>> result)
{
    if (generation != m_generation)
        return;  // a newer open() is under way
    if (m_loading) {
        m_loading = false;
        Q_EMIT loadingChanged(false);
    }
    if (!result) {
        Q_EMIT openFailed(result.error().message);
        return;
    }
    m_folder = std::move(*result);
    Q_EMIT opened();
}

void SweepController::requestRun(int index)
{
    if (!m_folder) {
        Q_EMIT runFailed(tr("No sweep is open."));
        return;
    }
    std::shared_ptr<const SweepFolder> folder = m_folder;
    m_pool.start([this, folder, index] {
        auto record = readSweepRunRecord(*folder, index);
        QMetaObject::invokeMethod(this, [this, index, record = std::move(record)]() mutable {
            if (record)
                Q_EMIT runReady(index, *record);
            else
                Q_EMIT runFailed(record.error().message);
        }, Qt::QueuedConnection);
    });
}

} // namespace otalab::app
