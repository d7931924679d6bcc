// SPDX-License-Identifier: Apache-2.0
// Running one index of a sweep plan and reading what a worker wrote (sweepresult.h).
#include "sim/sweep/sweepresult.h"

#include "sim/fleet/fleetrun.h"
#include "sim/report/fleetsummary.h"
#include "sim/report/reportwriter.h"
#include "sim/scenario/scenarioloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>

namespace otalab::sim {

namespace {

constexpr const char* kResultFile = "result.json";

Result<void> writeResultFile(const SweepRunResult& result, const SweepPlan& plan, const QString& dir)
{
    const QString path = QDir(dir).filePath(QLatin1String(kResultFile));
    QSaveFile file(path);
    const QByteArray bytes = QJsonDocument(result.toJson(plan)).toJson(QJsonDocument::Indented);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return fail(Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path, -1});
    return {};
}

// Moves the finished temporary folder to its final name. A folder already there without
// result.json is a stale partial one (replaced); one with result.json was finished by
// another worker meanwhile (a requeued task): that one is kept.
Result<void> publish(const QString& tmpDir, const QString& runDir)
{
    if (QFileInfo(runDir).exists()) {
        if (QFileInfo::exists(QDir(runDir).filePath(QLatin1String(kResultFile)))) {
            QDir(tmpDir).removeRecursively();
            return {};
        }
        if (!QDir(runDir).removeRecursively())
            return fail(Error{QStringLiteral("cannot remove the stale run folder %1").arg(runDir), runDir, -1});
    }
    if (!QDir().rename(tmpDir, runDir)) {
        if (QFileInfo::exists(QDir(runDir).filePath(QLatin1String(kResultFile)))) {  // lost a race
            QDir(tmpDir).removeRecursively();
            return {};
        }
        return fail(Error{QStringLiteral("cannot rename %1 to %2").arg(tmpDir, runDir), runDir, -1});
    }
    return {};
}

std::optional<double> some(double v) { return v; }

} // namespace

SweepRunResult sweepRunResultOf(const SweepRunSpec& run, const RunResult& result)
{
    SweepRunResult r;
    r.run = run;
    r.ok = true;
    r.fingerprint = result.traceFingerprint;
    r.stopReason = result.stopReason;
    const FleetSummary s = summarizeRun(result);
    auto set = [&](SweepMetric m, std::optional<double> v) { r.metrics[std::size_t(m)] = v; };
    set(SweepMetric::Devices, s.devices);
    set(SweepMetric::Upgraded, s.count(DeviceOutcome::Upgraded));
    set(SweepMetric::Failed, s.count(DeviceOutcome::Failed));
    set(SweepMetric::Refused, s.count(DeviceOutcome::Refused));
    set(SweepMetric::RolledBack, s.count(DeviceOutcome::RolledBack));
    set(SweepMetric::Unfinished, s.count(DeviceOutcome::Unfinished));
    set(SweepMetric::NotStarted, s.count(DeviceOutcome::NotStarted));
    const bool any = s.devices > 0;
    set(SweepMetric::UpgradedPct, any ? some(100.0 * s.count(DeviceOutcome::Upgraded) / s.devices) : std::nullopt);
    set(SweepMetric::P50S, s.p50);
    set(SweepMetric::P90S, s.p90);
    set(SweepMetric::P95S, s.p95);
    set(SweepMetric::MaxS, s.max);
    set(SweepMetric::EndS, result.endTimeS);
    set(SweepMetric::EnergyJMean, any ? some(s.energyJ.mean) : std::nullopt);
    set(SweepMetric::UpdateEnergyJMean, any ? some(s.updateEnergyJ.mean) : std::nullopt);
    set(SweepMetric::UpdateEnergyJMax, any ? some(s.updateEnergyJ.max) : std::nullopt);
    set(SweepMetric::BatterySharePctMean, any ? some(100.0 * s.batteryShare.mean) : std::nullopt);
    set(SweepMetric::Events, double(result.eventsExecuted));
    set(SweepMetric::WallS, result.wallSeconds);
    return r;
}

Result<SweepRunResult> runSweepIndex(const SweepPlan& plan, int index, const QString& sweepDir,
                                     const std::function<void(double)>& progress)
{
    if (index < 0 || std::size_t(index) >= plan.runCount())
        return fail(Error{QStringLiteral("run index %1 is out of range: the sweep has %2 runs (0..%3)")
                              .arg(index).arg(plan.runCount()).arg(qint64(plan.runCount()) - 1),
                          QStringLiteral("index"), -1});
    const SweepRunSpec spec = plan.run(index);
    const QString runDir = sweepRunDir(sweepDir, index);
    const QString tmpDir = runDir + QStringLiteral(".tmp-%1").arg(QCoreApplication::applicationPid());
    if (QFileInfo(tmpDir).exists() && !QDir(tmpDir).removeRecursively())
        return fail(Error{QStringLiteral("cannot remove %1").arg(tmpDir), tmpDir, -1});
    if (!QDir().mkpath(tmpDir))
        return fail(Error{QStringLiteral("cannot create %1").arg(tmpDir), tmpDir, -1});

    auto failed = [&](const Error& e) -> Result<SweepRunResult> {
        SweepRunResult r;
        r.run = spec;
        r.ok = false;
        r.error = e.toString();
        if (auto w = writeResultFile(r, plan, tmpDir); !w)
            return fail(w.error());
        if (auto p = publish(tmpDir, runDir); !p)
            return fail(p.error());
        return r;
    };

    auto doc = plan.scenarioFor(spec);
    if (!doc)
        return failed(doc.error());
    auto config = loadScenarioConfig(QJsonDocument(*doc).toJson(QJsonDocument::Compact), plan.baseDir);
    if (!config)
        return failed(config.error());
    if (plan.untilS)
        config->stop.untilS = *plan.untilS;
    auto run = FleetRun::build(*config, plan.baseDir);
    if (!run)
        return failed(run.error());

    // Slices of virtual time so `progress` can be called; the slicing does not change
    // the run (FleetRun::runUntil is how the GUI runs too).
    const double untilS = config->stop.untilS;
    const double slice = std::max(untilS / 200.0, 1.0);
    QElapsedTimer sinceReport;
    sinceReport.start();
    if (progress)
        progress(0.0);
    double t = 0;
    while (!(*run)->finished()) {
        t = std::min(t + slice, untilS);
        (*run)->runUntil(t);
        if (progress && sinceReport.elapsed() >= 100) {
            progress(untilS > 0 ? std::clamp((*run)->snapshot().timeS / untilS, 0.0, 1.0) : 1.0);
            sinceReport.restart();
        }
        if (t >= untilS)
            break;
    }
    const RunResult result = (*run)->result();
    if (progress)
        progress(1.0);

    const SweepRunResult r = sweepRunResultOf(spec, result);
    if (auto written = writeReport(result, tmpDir); !written)
        return fail(written.error());
    if (auto w = writeResultFile(r, plan, tmpDir); !w)  // last: the run counts as done once renamed
        return fail(w.error());
    if (auto p = publish(tmpDir, runDir); !p)
        return fail(p.error());
    return r;
}

Result<std::optional<SweepRunResult>> readSweepRunResult(const SweepPlan& plan, const QString& sweepDir, int index)
{
    const QString path = QDir(sweepRunDir(sweepDir, index)).filePath(QLatin1String(kResultFile));
    QFile file(path);
    if (!file.exists())
        return std::optional<SweepRunResult>{};
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error{QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), path, -1});
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(Error{QStringLiteral("%1: %2").arg(path, parseError.error != QJsonParseError::NoError
                                                                  ? parseError.errorString()
                                                                  : QStringLiteral("expected a JSON object")),
                          path, parseError.offset});
    auto r = SweepRunResult::fromJson(doc.object(), plan);
    if (!r)
        return fail(Error{QStringLiteral("%1: %2: %3").arg(path, r.error().field, r.error().message), path, -1});
    if (r->run.index != index)
        return fail(Error{QStringLiteral("%1: index: %2, expected %3").arg(path).arg(r->run.index).arg(index), path, -1});
    return std::optional<SweepRunResult>{*r};
}

} // namespace otalab::sim
