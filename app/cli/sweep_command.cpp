// SPDX-License-Identifier: Apache-2.0
// otalab-cli sweep SCENARIO --vary KEY=V1,V2 --vary KEY=A..B[:STEP] --seeds N --out DIR [--jobs N] [--plan]
// A family of runs: the cartesian product of varied scenario keys × seeds, run as
// separate processes on every core (or planned for Slurm / Kubernetes), merged into one
// table with statistics per point and plots.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/sweep_executor.h"
#include "app/cli/sweep_merge_report.h"
#include "app/cli/sweep_progress.h"

#include "sim/sweep/sweepjobfiles.h"
#include "sim/sweep/sweepplan.h"
#include "sim/sweep/sweepresult.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QThread>

#include <cmath>
#include <unistd.h>

namespace otalab::cli {

namespace {

constexpr int kExitInterrupted = 130;   // 128 + SIGINT, as shells report it

// The last `lines` non-empty lines of a child's output, indented for a report.
QString tailLines(const QString& text, int lines)
{
    QStringList all = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (all.size() > lines)
        all = all.mid(all.size() - lines);
    for (QString& l : all)
        l = QStringLiteral("    ") + l.trimmed();
    return all.join(QLatin1Char('\n'));
}

int planForCluster(const sim::SweepPlan& plan, const QString& outDir, const sim::SweepJobOptions& options, CliIo& io)
{
    auto files = sim::writeSweepJobFiles(plan, outDir, options);
    if (!files)
        return reportError(io, files.error().message, ExitIo);
    const QString dir = QDir(outDir).absolutePath();
    const QString slurmDir = options.sweepDirOnCluster.isEmpty() ? dir : options.sweepDirOnCluster;
    const QString kubeDir = options.sweepDirOnCluster.isEmpty() ? QStringLiteral("/sweep") : options.sweepDirOnCluster;
    io.out << "planned " << plan.runCount() << " runs (indices 0-" << plan.runCount() - 1 << ") in " << sim::sweepPlanPath(dir) << "\n"
           << "  Slurm (the folder shared at " << slurmDir << "):\n"
           << "    sbatch " << files->value(0) << "\n"
           << "  Kubernetes (the folder's contents on the PersistentVolumeClaim \"" << options.volumeClaim << "\", mounted at "
           << kubeDir << "):\n"
           << "    kubectl apply -f " << files->value(1) << "\n"
           << "  then, when the tasks are done (missing runs are listed; merge again later):\n"
           << "    otalab-cli sweep merge " << dir << "\n";
    io.out.flush();
    return ExitOk;
}

// The program each local run starts as `<it> sweep-run DIR --index I`: $OTALAB_CLI, else this
// binary when it is otalab-cli (a test binary calling runCli in-process must not start itself).
QString workerProgram()
{
    const QString fromEnv = qEnvironmentVariable("OTALAB_CLI");
    if (!fromEnv.isEmpty())
        return fromEnv;
    if (!QCoreApplication::instance())
        return {};
    const QString self = QCoreApplication::applicationFilePath();
    return QFileInfo(self).baseName() == QLatin1String("otalab-cli") ? self : QString();
}

} // namespace

int sweepCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("SCENARIO"), QStringLiteral("The base scenario (JSON); every run is it with the --vary values set."));
    const QCommandLineOption varyOption(
        QStringLiteral("vary"),
        QStringLiteral("A scenario key by its JSON path and its values: KEY=V1,V2,... or KEY=A..B[:STEP] (inclusive, STEP "
                       "default 1). Repeat for more keys: the sweep runs every combination."),
        QStringLiteral("KEY=VALUES"));
    const QCommandLineOption seedsOption(QStringLiteral("seeds"), QStringLiteral("Runs per parameter point, seeds FIRST, FIRST+1, ... (default 1)."),
                                         QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("The first seed (default: the scenario's \"seed\", else 1)."),
                                        QStringLiteral("FIRST"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("The sweep folder: plan.json, runs/, the merged tables and plots."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption jobsOption(QStringLiteral("jobs"), QStringLiteral("Runs at once, each its own process (default: one per core)."),
                                        QStringLiteral("N"));
    const QCommandLineOption untilOption(QStringLiteral("until"), QStringLiteral("Stop every run at this virtual time (seconds); overrides stop.until."),
                                         QStringLiteral("SECONDS"));
    const QCommandLineOption maxRunsOption(QStringLiteral("max-runs"), QStringLiteral("Refuse sweeps of more runs than this (default 10000)."),
                                           QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption progressOption(QStringLiteral("progress"),
                                            QStringLiteral("Redraw the progress line even when stderr is not a terminal."));
    const QCommandLineOption noWallOption(QStringLiteral("no-wall-time"),
                                          QStringLiteral("Leave the wall_s column out of the merged tables (byte-identical wherever they ran)."));
    const QCommandLineOption planOption(
        QStringLiteral("plan"),
        QStringLiteral("Do not run: write the plan and the cluster job files (DIR/slurm/sweep.sbatch, DIR/kubernetes/sweep-job.yaml) "
                       "and print how to submit them. `--plan DIR` is the same as `--plan --out DIR`."));
    const QCommandLineOption slurmParallelOption(QStringLiteral("slurm-max-parallel"),
                                                 QStringLiteral("--plan: tasks at once (sbatch --array=0-N%K; Kubernetes parallelism, default 16)."),
                                                 QStringLiteral("K"));
    const QCommandLineOption clusterDirOption(
        QStringLiteral("cluster-dir"),
        QStringLiteral("--plan: the sweep folder as the tasks see it (default: this folder's absolute path for Slurm, /sweep in the "
                       "Kubernetes pods)."),
        QStringLiteral("PATH"));
    const QCommandLineOption imageOption(QStringLiteral("image"), QStringLiteral("--plan: the container image holding otalab-cli (default otalab:latest)."),
                                         QStringLiteral("IMG"));
    const QCommandLineOption cliOption(QStringLiteral("cli"), QStringLiteral("--plan: the otalab-cli the tasks run (default: otalab-cli on their PATH)."),
                                       QStringLiteral("PATH"));
    const QCommandLineOption pvcOption(QStringLiteral("pvc"), QStringLiteral("--plan: the Kubernetes PersistentVolumeClaim holding the folder (default otalab-sweeps)."),
                                       QStringLiteral("NAME"));
    const QCommandLineOption partitionOption(QStringLiteral("slurm-partition"), QStringLiteral("--plan: the Slurm partition (default: the cluster's)."),
                                             QStringLiteral("NAME"));
    const QCommandLineOption timeLimitOption(QStringLiteral("time-limit"),
                                             QStringLiteral("--plan: the time limit per run (Slurm --time format, default 01:00:00)."),
                                             QStringLiteral("TIME"));
    parser.addOptions({varyOption, seedsOption, seedOption, outOption, jobsOption, untilOption, maxRunsOption, progressOption, noWallOption,
                       planOption, slurmParallelOption, clusterDirOption, imageOption, cliOption, pvcOption, partitionOption, timeLimitOption});
    if (auto stop = parseCommand(
            parser, args, io,
            QStringLiteral("Run a family of simulated rollouts: every combination of the --vary values × --seeds, each run a separate\n"
                           "process on every core, then one merged table (DIR/sweep-runs.csv, sweep-summary.csv: mean, p5/p50/p95, 95 %\n"
                           "interval per point) and plots (DIR/sweep.html). Interrupted? Run the same command again: finished runs are kept.\n"
                           "With --plan: write the runs for a Slurm array job or a Kubernetes Indexed Job instead, then\n"
                           "`otalab-cli sweep merge DIR`.\n"
                           "Example: otalab-cli sweep resources/scenarios/campus.json --vary server.maxBlockDataSize=32,64\n"
                           "           --vary server.blockResponseDelayMs=0..500:250 --seeds 10 --until 20000 --out campus-sweep")))
        return *stop;

    // --- The command line, checked before anything is read or written ---
    QStringList positional = parser.positionalArguments();
    QString outDir = parser.value(outOption);
    if (parser.isSet(planOption) && outDir.isEmpty() && positional.size() == 2)
        outDir = positional.takeLast();   // `--plan DIR`
    if (positional.size() != 1)
        return reportError(io, QStringLiteral("expected one SCENARIO file (see --help)"), ExitUsage);
    if (outDir.isEmpty())
        return reportError(io, QStringLiteral("--out DIR is required"), ExitUsage);
    auto seeds = parseUnsigned(parser.value(seedsOption), QStringLiteral("seeds"), 1'000'000);
    if (!seeds || *seeds == 0)
        return reportError(io, seeds ? QStringLiteral("--seeds must be at least 1") : seeds.error().message, ExitUsage);
    auto maxRuns = parseUnsigned(parser.value(maxRunsOption), QStringLiteral("max-runs"), 100'000'000);
    if (!maxRuns || *maxRuns == 0)
        return reportError(io, maxRuns ? QStringLiteral("--max-runs must be at least 1") : maxRuns.error().message, ExitUsage);
    int jobs = std::max(1, QThread::idealThreadCount());
    if (parser.isSet(jobsOption)) {
        auto j = parseUnsigned(parser.value(jobsOption), QStringLiteral("jobs"), 1024);
        if (!j || *j == 0)
            return reportError(io, QStringLiteral("--jobs must be 1..1024"), ExitUsage);
        jobs = int(*j);
    }
    std::optional<double> untilS;
    if (parser.isSet(untilOption)) {
        bool ok = false;
        const double v = parser.value(untilOption).toDouble(&ok);
        if (!ok || !std::isfinite(v) || v <= 0 || v > 1e9)
            return reportError(io, QStringLiteral("--until: '%1' is not a time in seconds (0 < T <= 1e9)").arg(parser.value(untilOption)), ExitUsage);
        untilS = v;
    }
    sim::SweepJobOptions jobOptions;
    if (parser.isSet(slurmParallelOption)) {
        auto k = parseUnsigned(parser.value(slurmParallelOption), QStringLiteral("slurm-max-parallel"), 100000);
        if (!k || *k == 0)
            return reportError(io, QStringLiteral("--slurm-max-parallel must be 1..100000"), ExitUsage);
        jobOptions.maxParallel = int(*k);
    }
    if (parser.isSet(clusterDirOption)) {
        if (!parser.value(clusterDirOption).startsWith(QLatin1Char('/')))
            return reportError(io, QStringLiteral("--cluster-dir must be an absolute path (as the tasks see it)"), ExitUsage);
        jobOptions.sweepDirOnCluster = QDir::cleanPath(parser.value(clusterDirOption));
    }
    if (parser.isSet(imageOption) && !parser.value(imageOption).trimmed().isEmpty())
        jobOptions.image = parser.value(imageOption).trimmed();
    if (parser.isSet(cliOption) && !parser.value(cliOption).trimmed().isEmpty())
        jobOptions.cliPath = parser.value(cliOption).trimmed();
    if (parser.isSet(pvcOption) && !parser.value(pvcOption).trimmed().isEmpty())
        jobOptions.volumeClaim = parser.value(pvcOption).trimmed();
    if (parser.isSet(partitionOption))
        jobOptions.slurmPartition = parser.value(partitionOption).trimmed();
    if (parser.isSet(timeLimitOption))
        jobOptions.timeLimit = parser.value(timeLimitOption).trimmed();

    const QString worker = parser.isSet(planOption) ? QString() : workerProgram();
    if (!parser.isSet(planOption) && worker.isEmpty())
        return reportError(io, QStringLiteral("a local sweep runs otalab-cli sweep-run per run, and this program is not otalab-cli: "
                                              "set OTALAB_CLI to the otalab-cli binary"),
                           ExitUsage);

    // --- The base scenario and the axes ---
    const QString scenarioPath = positional.first();
    auto bytes = readFile(scenarioPath);
    if (!bytes)
        return reportError(io, bytes.error().message, ExitIo);
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (!doc.isObject())
        return reportError(io, QStringLiteral("%1: not a JSON object (%2 at byte %3)").arg(scenarioPath, parseError.errorString()).arg(parseError.offset),
                           ExitInvalid);
    const QJsonObject base = doc.object();
    QList<sim::SweepAxis> axes;
    for (const QString& argument : parser.values(varyOption)) {
        auto axis = sim::parseVaryArgument(argument, base);
        if (!axis)
            return reportError(io, axis.error().message, ExitUsage);
        axes << *axis;
    }
    // The limit first: a sweep too large is refused before its points are loaded.
    double runCount = double(*seeds);
    for (const sim::SweepAxis& axis : axes)
        runCount *= double(axis.values.size());
    if (runCount > double(*maxRuns))
        return reportError(io, QStringLiteral("%1 runs exceed the limit of %2; pass --max-runs %1 to run them anyway").arg(runCount, 0, 'f', 0).arg(*maxRuns),
                           ExitUsage);
    std::uint64_t firstSeed = 1;
    if (parser.isSet(seedOption)) {
        auto s = parseUnsigned(parser.value(seedOption), QStringLiteral("seed"), (quint64(1) << 53) - 1);
        if (!s)
            return reportError(io, s.error().message, ExitUsage);
        firstSeed = *s;
    } else if (const QJsonValue s = base.value(QStringLiteral("seed")); s.isDouble() && s.toDouble() >= 0) {
        firstSeed = std::uint64_t(s.toDouble());
    }
    const QString baseDir = QFileInfo(scenarioPath).absolutePath();
    auto plan = sim::buildSweepPlan(base, scenarioPath, baseDir, axes, int(*seeds), firstSeed, untilS, sim::SweepLimits{std::size_t(*maxRuns)});
    if (!plan)
        return reportError(io, QStringLiteral("%1: %2").arg(scenarioPath, plan.error().message), ExitUsage);
    if (auto written = sim::writeSweepPlan(*plan, outDir); !written)
        return reportError(io, written.error().message,
                           QFileInfo::exists(sim::sweepPlanPath(outDir)) || QDir(outDir).exists() ? ExitUsage : ExitIo);
    const QString dir = QDir(outDir).absolutePath();

    if (parser.isSet(planOption))
        return planForCluster(*plan, dir, jobOptions, io);

    // --- Locally: one process per run, the finished ones skipped ---
    const int total = int(plan->runCount());
    std::vector<int> pending;
    for (int i = 0; i < total; ++i)
        if (!QFileInfo::exists(QDir(sim::sweepRunDir(dir, i)).filePath(QStringLiteral("result.json"))))
            pending.push_back(i);
    const int alreadyDone = total - int(pending.size());
    if (alreadyDone > 0)
        io.err << "resuming: " << alreadyDone << " of " << total << " runs already done\n";
    const int workers = std::min<int>(jobs, std::max<int>(1, int(pending.size())));
    if (!pending.empty())
        io.err << "sweep: " << pending.size() << " runs to do, " << workers << " at a time, in " << dir << "\n";
    io.err.flush();

    const bool live = parser.isSet(progressOption) || ::isatty(STDERR_FILENO) == 1;
    SweepProgress progress(total, alreadyDone, workers);
    QElapsedTimer wall;
    wall.start();
    qint64 lastDrawMs = -1000;
    auto draw = [&](bool force) {
        if (!live || (!force && wall.elapsed() - lastDrawMs < 100))
            return;
        io.err << "\r" << progress.line(wall.elapsed() / 1000.0) << "\x1b[K";
        io.err.flush();
        lastDrawMs = wall.elapsed();
    };
    int failedHere = 0;
    auto onEnded = [&](const SweepChildEnd& end) {
        const sim::SweepRunSpec spec = plan->run(end.index);
        auto record = sim::readSweepRunResult(*plan, dir, end.index);
        const bool recorded = record && record->has_value();
        const bool ok = recorded && (*record)->ok;
        progress.runFinished(end.wallS, !ok, recorded);
        if (live)
            io.err << "\r\x1b[K";
        if (!ok) {
            ++failedHere;
            QString why;
            if (recorded)
                why = (*record)->error;
            else if (!record)
                why = record.error().message;
            else
                why = end.exitedNormally ? QStringLiteral("exit code %1, no result written").arg(end.exitCode)
                                         : QStringLiteral("the process crashed or was killed, no result written");
            io.err << "run " << end.index << " failed (" << sweepRunParams(*plan, spec) << "): " << why << "\n";
            const QString tail = tailLines(end.outputTail, 5);
            if (!recorded && !tail.isEmpty())
                io.err << tail << "\n";
        }
        if (live) {
            draw(true);
        } else {
            io.err << progress.line(wall.elapsed() / 1000.0) << "  (run " << end.index << ", " << sweepRunParams(*plan, spec) << ": "
                   << (ok ? QStringLiteral("ok") : QStringLiteral("failed")) << " in " << QString::number(end.wallS, 'f', 1) << " s)\n";
        }
        io.err.flush();
    };
    SweepExecutor executor(worker, dir, workers);
    const bool completed = executor.run(
        pending, [&](int) { progress.runStarted(); draw(false); }, onEnded, [&] { draw(false); });
    if (live) {
        io.err << "\r\x1b[K";
        io.err.flush();
    }
    if (!completed) {
        int done = 0;
        for (int i = 0; i < total; ++i)
            done += QFileInfo::exists(QDir(sim::sweepRunDir(dir, i)).filePath(QStringLiteral("result.json"))) ? 1 : 0;
        io.err << "interrupted: " << done << " of " << total << " runs done; run the same command again to resume\n";
        io.err.flush();
        return kExitInterrupted;
    }
    if (!pending.empty())
        io.err << "ran " << pending.size() << " runs in " << SweepProgress::clock(wall.elapsed() / 1000.0) << " (" << workers << " at a time), "
               << failedHere << " failed\n";
    io.err.flush();

    auto merged = mergeSweepFolder(*plan, dir, !parser.isSet(noWallOption));
    if (!merged)
        return reportError(io, merged.error().message, ExitIo);
    printSweepMerge(*plan, *merged, dir, io.out);
    return merged->table.failedRuns() == 0 && merged->table.missing.empty() ? ExitOk : ExitInvalid;
}

} // namespace otalab::cli
