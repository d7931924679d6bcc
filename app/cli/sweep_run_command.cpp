// SPDX-License-Identifier: Apache-2.0
// otalab-cli sweep-run DIR [--index I]   — one run of a planned sweep (a local worker, a
//                                          Slurm array task, a Kubernetes indexed pod)
// otalab-cli sweep merge DIR [--no-wall-time] — merge what the runs wrote so far
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/sweep_merge_report.h"

#include "sim/report/fleetsummary.h"
#include "sim/sweep/sweepplan.h"
#include "sim/sweep/sweepresult.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>

namespace otalab::cli {

namespace {

// "ok, 998/1000 upgraded, p95 7.4 h, end 14.6 h, 9.2 s wall" or "failed: <why>"
QString resultText(const sim::SweepRunResult& r)
{
    if (!r.ok)
        return QStringLiteral("failed: ") + r.error;
    using M = sim::SweepMetric;
    auto value = [&r](M m) { return r.metric(m); };
    QString text = QStringLiteral("ok, %1/%2 upgraded").arg(value(M::Upgraded).value_or(0), 0, 'f', 0).arg(value(M::Devices).value_or(0), 0, 'f', 0);
    if (const auto p95 = value(M::P95S))
        text += QStringLiteral(", p95 %1").arg(sim::formatDuration(*p95));
    if (const auto end = value(M::EndS))
        text += QStringLiteral(", end %1").arg(sim::formatDuration(*end));
    if (const auto wall = value(M::WallS))
        text += QStringLiteral(", %1 s wall").arg(*wall, 0, 'f', 2);
    return text;
}

} // namespace

int sweepRunCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("A sweep folder (written by otalab-cli sweep, with or without --plan)."));
    const QCommandLineOption indexOption(
        QStringLiteral("index"),
        QStringLiteral("The run to do, 0..N-1 (default: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX)."), QStringLiteral("I"));
    const QCommandLineOption forceOption(QStringLiteral("force"), QStringLiteral("Run again even when the run's result.json is there."));
    parser.addOptions({indexOption, forceOption});
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Do one run of a planned sweep and write DIR/runs/NNNNNN/ (its report, then result.json).\n"
                                                "A run that fails to build or run is recorded as failed: exit 0, since the record is the result;\n"
                                                "non-zero only when nothing could be written. A run already done is not run again (--force).")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected one sweep folder DIR (see --help)"), ExitUsage);
    const QString dir = parser.positionalArguments().first();

    QString indexText, indexSource;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (parser.isSet(indexOption)) {
        indexText = parser.value(indexOption);
        indexSource = QStringLiteral("--index");
    } else if (env.contains(QStringLiteral("SLURM_ARRAY_TASK_ID"))) {
        indexText = env.value(QStringLiteral("SLURM_ARRAY_TASK_ID"));
        indexSource = QStringLiteral("$SLURM_ARRAY_TASK_ID");
    } else if (env.contains(QStringLiteral("JOB_COMPLETION_INDEX"))) {
        indexText = env.value(QStringLiteral("JOB_COMPLETION_INDEX"));
        indexSource = QStringLiteral("$JOB_COMPLETION_INDEX");
    } else {
        return reportError(io, QStringLiteral("which run? pass --index I (or set SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX)"), ExitUsage);
    }
    bool ok = false;
    const int index = indexText.trimmed().toInt(&ok);
    if (!ok || index < 0)
        return reportError(io, QStringLiteral("%1: '%2' is not a run index (0, 1, 2, ...)").arg(indexSource, indexText), ExitUsage);

    auto plan = sim::readSweepPlan(dir);
    if (!plan)
        return reportError(io, plan.error().message, ExitIo);
    if (std::size_t(index) >= plan->runCount())
        return reportError(io, QStringLiteral("%1 %2 is out of range: the sweep in %3 has %4 runs (0-%5)")
                                   .arg(indexSource).arg(index).arg(dir).arg(plan->runCount()).arg(plan->runCount() - 1),
                           ExitUsage);
    const sim::SweepRunSpec spec = plan->run(index);
    if (!parser.isSet(forceOption)) {
        auto existing = sim::readSweepRunResult(*plan, dir, index);
        if (existing && existing->has_value()) {
            io.out << "run " << index << " (" << sweepRunParams(*plan, spec) << "): already done, " << resultText(**existing) << "\n";
            io.out.flush();
            return ExitOk;
        }
    }
    auto result = sim::runSweepIndex(*plan, index, dir);
    if (!result)
        return reportError(io, QStringLiteral("run %1 (%2): %3").arg(index).arg(sweepRunParams(*plan, spec), result.error().message), ExitIo);
    io.out << "run " << index << " (" << sweepRunParams(*plan, spec) << "): " << resultText(*result) << "\n";
    io.out.flush();
    return ExitOk;
}

int sweepMergeCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("A sweep folder."));
    const QCommandLineOption noWallOption(QStringLiteral("no-wall-time"),
                                          QStringLiteral("Leave the wall_s column out (tables byte-identical wherever the runs ran)."));
    parser.addOptions({noWallOption});
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Merge what the runs of a sweep wrote (locally, by Slurm array tasks or Kubernetes pods):\n"
                                                "DIR/sweep-runs.csv|json, sweep-summary.csv|json, plots and sweep.html. Runs without a result yet\n"
                                                "are listed as missing; merge again when they are done.\n"
                                                "Exit 0 when every run is there and ok, 1 when some failed or are missing (merged anyway).")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected one sweep folder DIR (see --help)"), ExitUsage);
    const QString dir = QDir(parser.positionalArguments().first()).absolutePath();
    auto plan = sim::readSweepPlan(dir);
    if (!plan)
        return reportError(io, plan.error().message, ExitIo);
    auto merged = mergeSweepFolder(*plan, dir, !parser.isSet(noWallOption));
    if (!merged)
        return reportError(io, merged.error().message, ExitIo);
    printSweepMerge(*plan, *merged, dir, io.out);
    return merged->table.failedRuns() == 0 && merged->table.missing.empty() ? ExitOk : ExitInvalid;
}

} // namespace otalab::cli
