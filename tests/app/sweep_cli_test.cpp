// SPDX-License-Identifier: Apache-2.0
// otalab-cli sweep / sweep-run / sweep merge, run as the real binary (each sweep run is a
// child process of it): bad input refused before anything is written, resume after a
// deleted run with a byte-identical merge, a failing point reported while the others
// finish, SIGINT, --plan job files, tasks taking their index from Slurm's variable.
#include "app/cli/sweep_progress.h"
#include "cli_test_support.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <csignal>

namespace {

const QString kStarter = QStringLiteral(OTALAB_RESOURCES_DIR "/scenarios/starter.json");

struct SweepProcRun {
    int code = -1;
    QString out, err;
};

std::string show(const SweepProcRun& r)
{
    return QStringLiteral("exit %1\n--- stdout\n%2--- stderr\n%3").arg(r.code).arg(r.out, r.err).toStdString();
}

SweepProcRun runCli(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(), int limitMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(OTALAB_CLI_BINARY), args);
    SweepProcRun r;
    if (!p.waitForStarted(10000))
        return r;
    if (!p.waitForFinished(limitMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = QStringLiteral("(timed out)");
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err += QString::fromUtf8(p.readAllStandardError());
    return r;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

// Every file under `dir`, relative, sorted.
QStringList filesUnder(const QString& dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(dir).relativeFilePath(it.next());
    files.sort();
    return files;
}

QString resultPath(const QString& dir, int index)
{
    return QDir(dir).filePath(QStringLiteral("runs/%1/result.json").arg(index, 6, 10, QLatin1Char('0')));
}

// The data lines of a CSV (header first).
QList<QByteArray> csvLines(const QString& path)
{
    return readAll(path).trimmed().split('\n');
}

// A short starter sweep: 2 block sizes × 2 seeds, 600 virtual seconds each.
QStringList starterSweep(const QString& out)
{
    return {QStringLiteral("sweep"), kStarter, QStringLiteral("--vary"), QStringLiteral("server.maxBlockDataSize=40,50"),
            QStringLiteral("--seeds"), QStringLiteral("2"), QStringLiteral("--until"), QStringLiteral("600"),
            QStringLiteral("--jobs"), QStringLiteral("2"), QStringLiteral("--no-wall-time"), QStringLiteral("--out"), out};
}

} // namespace

TEST(SweepCli, BadInputIsRefusedBeforeAnythingIsWritten)
{
    QTemporaryDir tmp;
    const QString out = QDir(tmp.path()).filePath(QStringLiteral("sweep"));
    struct Case {
        QStringList args;
        QString message;
    };
    const QList<Case> cases = {
        // An unknown key: its parent section does not exist (a typo) ...
        {{QStringLiteral("--vary"), QStringLiteral("servr.maxBlockDataSize=40,50")}, QStringLiteral("$.servr")},
        // ... or the loader does not know the key.
        {{QStringLiteral("--vary"), QStringLiteral("server.noSuchKey=1,2")}, QStringLiteral("noSuchKey")},
        // A value of the wrong type.
        {{QStringLiteral("--vary"), QStringLiteral("server.maxBlockDataSize=40,abc")}, QStringLiteral("abc")},
        // A range with no points.
        {{QStringLiteral("--vary"), QStringLiteral("server.maxBlockDataSize=64..32")}, QStringLiteral("no points")},
        {{QStringLiteral("--vary"), QStringLiteral("server.maxBlockDataSize=32..64:0")}, QStringLiteral("no points")},
        // More runs than the limit.
        {{QStringLiteral("--vary"), QStringLiteral("server.blockResponseDelayMs=0..20000"), QStringLiteral("--seeds"), QStringLiteral("2")},
         QStringLiteral("40002 runs exceed the limit of 10000; pass --max-runs 40002 to run them anyway")},
        {{QStringLiteral("--vary"), QStringLiteral("server.maxBlockDataSize=40,50"), QStringLiteral("--seeds"), QStringLiteral("3"),
          QStringLiteral("--max-runs"), QStringLiteral("5")},
         QStringLiteral("6 runs exceed the limit of 5; pass --max-runs 6 to run them anyway")},
        // A value the loader refuses, named with its point.
        {{QStringLiteral("--vary"), QStringLiteral("server.maxBlockDataSize=40,0")}, QStringLiteral("maxBlockDataSize=0")},
    };
    for (const Case& c : cases) {
        const SweepProcRun r = runCli(QStringList{QStringLiteral("sweep"), kStarter} + c.args + QStringList{QStringLiteral("--out"), out});
        EXPECT_EQ(r.code, 2) << c.args.join(' ').toStdString() << "\n" << show(r);
        EXPECT_TRUE(r.err.contains(c.message)) << c.message.toStdString() << "\n" << show(r);
        EXPECT_FALSE(QFileInfo::exists(out)) << c.args.join(' ').toStdString();
    }

    // A folder holding another sweep: refused, the folder left as it was.
    const SweepProcRun planned = runCli({QStringLiteral("sweep"), kStarter, QStringLiteral("--vary"), QStringLiteral("server.maxBlockDataSize=40,50"),
                                QStringLiteral("--plan"), out});
    ASSERT_EQ(planned.code, 0) << show(planned);
    const QStringList before = filesUnder(out);
    const QByteArray planBefore = readAll(QDir(out).filePath(QStringLiteral("plan.json")));
    const SweepProcRun other = runCli({QStringLiteral("sweep"), kStarter, QStringLiteral("--vary"), QStringLiteral("server.maxBlockDataSize=40,60"),
                              QStringLiteral("--until"), QStringLiteral("60"), QStringLiteral("--out"), out});
    EXPECT_EQ(other.code, 2) << show(other);
    EXPECT_TRUE(other.err.contains(QStringLiteral("holds another sweep"))) << show(other);
    EXPECT_EQ(filesUnder(out), before);
    EXPECT_EQ(readAll(QDir(out).filePath(QStringLiteral("plan.json"))), planBefore);
}

TEST(SweepCli, ResumeRerunsOnlyTheMissingRunAndMergesTheSameTable)
{
    QTemporaryDir tmp;
    const QString out = QDir(tmp.path()).filePath(QStringLiteral("sweep"));
    const SweepProcRun first = runCli(starterSweep(out));
    ASSERT_EQ(first.code, 0) << show(first);
    const QString runsCsv = QDir(out).filePath(QStringLiteral("sweep-runs.csv"));
    const QString summaryCsv = QDir(out).filePath(QStringLiteral("sweep-summary.csv"));
    const QList<QByteArray> lines = csvLines(runsCsv);
    ASSERT_EQ(lines.size(), 5) << readAll(runsCsv).toStdString();   // header + 4 runs
    EXPECT_FALSE(lines[0].contains("wall_s"));
    EXPECT_TRUE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("sweep.html"))));
    EXPECT_TRUE(first.out.contains(QStringLiteral("sweep: ") + QDir(out).absoluteFilePath(QStringLiteral("sweep.html")))) << show(first);
    EXPECT_TRUE(first.out.contains(QStringLiteral("maxBlockDataSize=40"))) << show(first);
    EXPECT_TRUE(first.out.contains(QStringLiteral("4 of 4 runs ok"))) << show(first);
    const QByteArray runsBytes = readAll(runsCsv);
    const QByteArray summaryBytes = readAll(summaryCsv);
    ASSERT_FALSE(summaryBytes.isEmpty());

    // Delete run 2; the other results must not be rewritten.
    ASSERT_TRUE(QDir(QFileInfo(resultPath(out, 2)).absolutePath()).removeRecursively());
    QMap<int, QByteArray> kept;
    for (int i : {0, 1, 3}) {
        kept[i] = readAll(resultPath(out, i));
        // A marker the rerun would overwrite if it ran the run again.
        QJsonObject o = QJsonDocument::fromJson(kept[i]).object();
        ASSERT_FALSE(o.isEmpty());
    }
    const QDateTime mtime0 = QFileInfo(resultPath(out, 0)).lastModified();
    const SweepProcRun second = runCli(starterSweep(out));
    ASSERT_EQ(second.code, 0) << show(second);
    EXPECT_TRUE(second.err.contains(QStringLiteral("resuming: 3 of 4 runs already done"))) << show(second);
    EXPECT_TRUE(second.err.contains(QStringLiteral("run 2,"))) << show(second);
    for (int i : {0, 1, 3})
        EXPECT_FALSE(second.err.contains(QStringLiteral("(run %1,").arg(i))) << i << show(second);
    for (int i : {0, 1, 3})
        EXPECT_EQ(readAll(resultPath(out, i)), kept[i]) << i;
    EXPECT_EQ(QFileInfo(resultPath(out, 0)).lastModified(), mtime0);
    EXPECT_TRUE(QFileInfo::exists(resultPath(out, 2)));
    EXPECT_EQ(readAll(runsCsv), runsBytes);
    EXPECT_EQ(readAll(summaryCsv), summaryBytes);

    // Nothing left to do: a third call only merges, the same bytes again.
    const SweepProcRun third = runCli(starterSweep(out));
    ASSERT_EQ(third.code, 0) << show(third);
    EXPECT_TRUE(third.err.contains(QStringLiteral("resuming: 4 of 4 runs already done"))) << show(third);
    EXPECT_EQ(readAll(runsCsv), runsBytes);

    // `sweep merge` of the same folder writes the same table.
    ASSERT_TRUE(QFile::remove(runsCsv));
    const SweepProcRun merged = runCli({QStringLiteral("sweep"), QStringLiteral("merge"), out, QStringLiteral("--no-wall-time")});
    EXPECT_EQ(merged.code, 0) << show(merged);
    EXPECT_EQ(readAll(runsCsv), runsBytes);
}

TEST(SweepCli, AFailingPointIsReportedAndTheOthersFinish)
{
    // A 500-byte image with a byte to corrupt at offset 1000: the scenario loads (the
    // offset is only checked against the image when the rollout is built), the run fails.
    QTemporaryDir tmp;
    QJsonObject scenario = QJsonDocument::fromJson(readAll(kStarter)).object();
    QJsonArray images = scenario.value("images").toArray();
    QJsonObject image = images.at(0).toObject();
    image.insert("corruptOffsets", QJsonArray{1000});
    images.replace(0, image);
    scenario.insert("images", images);
    const QString path = QDir(tmp.path()).filePath(QStringLiteral("corrupt.json"));
    ASSERT_TRUE(writeAll(path, QJsonDocument(scenario).toJson()));
    const QString out = QDir(tmp.path()).filePath(QStringLiteral("sweep"));
    const SweepProcRun r = runCli({QStringLiteral("sweep"), path, QStringLiteral("--vary"), QStringLiteral("images[0].generate.size=131072,500"),
                          QStringLiteral("--seeds"), QStringLiteral("2"), QStringLiteral("--until"), QStringLiteral("600"),
                          QStringLiteral("--jobs"), QStringLiteral("2"), QStringLiteral("--out"), out});
    EXPECT_EQ(r.code, 1) << show(r);
    // Runs 2 and 3 (size 500) fail with their parameters and the reason; 0 and 1 finish.
    for (int i : {2, 3})
        EXPECT_TRUE(r.err.contains(QRegularExpression(QStringLiteral("run %1 failed \\(size=500, seed \\d+\\): .*past the end").arg(i)))) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("2 of 4 runs ok, 2 failed"))) << show(r);
    for (int i = 0; i < 4; ++i)
        EXPECT_TRUE(QFileInfo::exists(resultPath(out, i))) << i;
    const QList<QByteArray> lines = csvLines(QDir(out).filePath(QStringLiteral("sweep-runs.csv")));
    ASSERT_EQ(lines.size(), 5);
    // The failed runs are recorded: a rerun has nothing to do and says the same.
    const SweepProcRun again = runCli({QStringLiteral("sweep"), path, QStringLiteral("--vary"), QStringLiteral("images[0].generate.size=131072,500"),
                              QStringLiteral("--seeds"), QStringLiteral("2"), QStringLiteral("--until"), QStringLiteral("600"),
                              QStringLiteral("--out"), out});
    EXPECT_EQ(again.code, 1) << show(again);
    EXPECT_TRUE(again.err.contains(QStringLiteral("resuming: 4 of 4 runs already done"))) << show(again);
    EXPECT_TRUE(again.out.contains(QRegularExpression(QStringLiteral("failed: run 2 \\(size=500, seed \\d+\\): .*past the end")))) << show(again);
}

TEST(SweepCli, InterruptKeepsFinishedRunsAndTheSameCommandResumes)
{
    QTemporaryDir tmp;
    const QString out = QDir(tmp.path()).filePath(QStringLiteral("sweep"));
    const QStringList args = {QStringLiteral("sweep"), kStarter, QStringLiteral("--seeds"), QStringLiteral("12"), QStringLiteral("--until"),
                              QStringLiteral("1200"), QStringLiteral("--jobs"), QStringLiteral("1"), QStringLiteral("--out"), out};
    QProcess p;
    p.setReadChannel(QProcess::StandardError);   // waitForReadyRead waits on this channel
    p.start(QStringLiteral(OTALAB_CLI_BINARY), args);
    ASSERT_TRUE(p.waitForStarted(10000));
    // Without a terminal the sweep prints one line per finished run: interrupt after the first.
    QByteArray err;
    while (!err.contains("(run ") && p.state() == QProcess::Running) {
        p.waitForReadyRead(30000);
        err += p.readAllStandardError();
    }
    ASSERT_EQ(p.state(), QProcess::Running) << err.toStdString();
    ::kill(pid_t(p.processId()), SIGINT);
    ASSERT_TRUE(p.waitForFinished(30000));
    err += p.readAllStandardError();
    EXPECT_EQ(p.exitCode(), 130) << err.toStdString();
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("interrupted: (\\d+) of 12 runs done; run the same command again to resume")).match(QString::fromUtf8(err));
    ASSERT_TRUE(m.hasMatch()) << err.toStdString();
    const int done = m.captured(1).toInt();
    EXPECT_GE(done, 1);
    EXPECT_LT(done, 12);
    int results = 0;
    for (int i = 0; i < 12; ++i)
        results += QFileInfo::exists(resultPath(out, i)) ? 1 : 0;
    EXPECT_EQ(results, done);
    EXPECT_FALSE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("sweep-runs.csv"))));

    const SweepProcRun resumed = runCli(args);
    ASSERT_EQ(resumed.code, 0) << show(resumed);
    EXPECT_TRUE(resumed.err.contains(QStringLiteral("resuming: %1 of 12 runs already done").arg(done))) << show(resumed);
    EXPECT_EQ(csvLines(QDir(out).filePath(QStringLiteral("sweep-runs.csv"))).size(), 13);
}

TEST(SweepCli, PlanWritesJobFilesAndTasksTakeTheirIndexFromTheScheduler)
{
    QTemporaryDir tmp;
    const QString out = QDir(tmp.path()).filePath(QStringLiteral("planned"));
    const SweepProcRun r = runCli({QStringLiteral("sweep"), kStarter, QStringLiteral("--vary"), QStringLiteral("server.maxBlockDataSize=30..50:10"),
                          QStringLiteral("--seeds"), QStringLiteral("2"), QStringLiteral("--until"), QStringLiteral("600"),
                          QStringLiteral("--plan"), QStringLiteral("--slurm-max-parallel"), QStringLiteral("2"),
                          QStringLiteral("--cli"), QStringLiteral("/opt/otalab/bin/otalab-cli"), QStringLiteral("--out"), out});
    ASSERT_EQ(r.code, 0) << show(r);
    const QString sbatch = QDir(out).filePath(QStringLiteral("slurm/sweep.sbatch"));
    const QString yaml = QDir(out).filePath(QStringLiteral("kubernetes/sweep-job.yaml"));
    EXPECT_TRUE(r.out.contains(QStringLiteral("sbatch ") + sbatch)) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("kubectl apply -f ") + yaml)) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("otalab-cli sweep merge ") + QDir(out).absolutePath())) << show(r);
    const QByteArray script = readAll(sbatch);
    EXPECT_TRUE(script.contains("\n#SBATCH --array=0-5%2\n")) << script.toStdString();
    EXPECT_TRUE(script.contains(QStringLiteral("exec /opt/otalab/bin/otalab-cli sweep-run %1 --index \"$SLURM_ARRAY_TASK_ID\"")
                                    .arg(QDir(out).absolutePath()).toUtf8()))
        << script.toStdString();
    const QByteArray job = readAll(yaml);
    EXPECT_TRUE(job.contains("completionMode: Indexed")) << job.toStdString();
    EXPECT_TRUE(job.contains("completions: 6")) << job.toStdString();
    EXPECT_TRUE(job.contains("parallelism: 2")) << job.toStdString();
    EXPECT_FALSE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("runs")))) << "--plan runs nothing";

    // Tasks as Slurm and Kubernetes start them: the index from the environment.
    QProcessEnvironment slurm = QProcessEnvironment::systemEnvironment();
    slurm.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("4"));
    const SweepProcRun task = runCli({QStringLiteral("sweep-run"), out}, slurm);
    EXPECT_EQ(task.code, 0) << show(task);
    EXPECT_TRUE(task.out.startsWith(QStringLiteral("run 4 (maxBlockDataSize=50, seed "))) << show(task);
    EXPECT_TRUE(QFileInfo::exists(resultPath(out, 4)));
    QProcessEnvironment kube = QProcessEnvironment::systemEnvironment();
    kube.remove(QStringLiteral("SLURM_ARRAY_TASK_ID"));
    kube.insert(QStringLiteral("JOB_COMPLETION_INDEX"), QStringLiteral("1"));
    EXPECT_EQ(runCli({QStringLiteral("sweep-run"), out}, kube).code, 0);
    EXPECT_TRUE(QFileInfo::exists(resultPath(out, 1)));
    // The same index again: already done, not rerun.
    const QByteArray before = readAll(resultPath(out, 1));
    const SweepProcRun again = runCli({QStringLiteral("sweep-run"), out, QStringLiteral("--index"), QStringLiteral("1")});
    EXPECT_EQ(again.code, 0) << show(again);
    EXPECT_TRUE(again.out.contains(QStringLiteral("already done"))) << show(again);
    EXPECT_EQ(readAll(resultPath(out, 1)), before);
    // Out of range, or no index at all: usage errors, nothing written.
    const SweepProcRun outOfRange = runCli({QStringLiteral("sweep-run"), out, QStringLiteral("--index"), QStringLiteral("6")});
    EXPECT_EQ(outOfRange.code, 2) << show(outOfRange);
    EXPECT_TRUE(outOfRange.err.contains(QStringLiteral("6 runs (0-5)"))) << show(outOfRange);
    QProcessEnvironment none = QProcessEnvironment::systemEnvironment();
    none.remove(QStringLiteral("SLURM_ARRAY_TASK_ID"));
    none.remove(QStringLiteral("JOB_COMPLETION_INDEX"));
    EXPECT_EQ(runCli({QStringLiteral("sweep-run"), out}, none).code, 2);
    EXPECT_EQ(runCli({QStringLiteral("sweep-run"), tmp.path(), QStringLiteral("--index"), QStringLiteral("0")}).code, 3) << "not a sweep folder";

    // Merge with runs missing: merged anyway, the missing ones listed, exit 1.
    const SweepProcRun merge = runCli({QStringLiteral("sweep"), QStringLiteral("merge"), out});
    EXPECT_EQ(merge.code, 1) << show(merge);
    EXPECT_TRUE(merge.out.contains(QStringLiteral("missing: 4 of 6 runs have no result yet: 0, 2-3, 5"))) << show(merge);
    EXPECT_EQ(csvLines(QDir(out).filePath(QStringLiteral("sweep-runs.csv"))).size(), 3);
}

TEST(SweepCli, ProgressEtaIsMeanWallTimesRemainingOverJobs)
{
    otalab::cli::SweepProgress progress(10, 2, 2);   // 2 of 10 done before
    EXPECT_LT(progress.etaS(), 0);                   // nothing finished in this session yet
    progress.runStarted();
    progress.runStarted();
    progress.runFinished(4.0, false, true);
    progress.runFinished(6.0, true, true);
    EXPECT_EQ(progress.done(), 4);
    EXPECT_EQ(progress.failed(), 1);
    EXPECT_EQ(progress.running(), 0);
    EXPECT_DOUBLE_EQ(progress.etaS(), 5.0 * 6 / 2);  // mean 5 s × 6 left / 2 at once
    EXPECT_EQ(progress.line(75), QStringLiteral("  4/10 runs, 1 failed, 0 running, 0:01:15 elapsed, ETA 0:00:15"));
    // An unrecorded failure (crash) stays to do.
    progress.runStarted();
    progress.runFinished(5.0, true, false);
    EXPECT_EQ(progress.done(), 4);
    EXPECT_EQ(progress.remaining(), 6);
    EXPECT_EQ(otalab::cli::SweepProgress::clock(90061), QStringLiteral("1d 1:01:01"));
}

TEST(SweepCli, InProcessCallerThatIsNotOtalabCliIsRefusedInsteadOfStartingItself)
{
    // The test binary calling runCli: its own file must not be started as a sweep worker.
    const QByteArray saved = qgetenv("OTALAB_CLI");
    qunsetenv("OTALAB_CLI");
    QTemporaryDir tmp;
    const QString out = QDir(tmp.path()).filePath(QStringLiteral("sweep"));
    const auto r = otalab::testing::runCli({QStringLiteral("sweep"), kStarter, QStringLiteral("--until"), QStringLiteral("60"),
                                            QStringLiteral("--out"), out});
    EXPECT_EQ(r.code, 2) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("set OTALAB_CLI"))) << r.err.toStdString();
    EXPECT_FALSE(QFileInfo::exists(out));
    // --plan runs nothing, so it works from anywhere.
    const auto planned = otalab::testing::runCli({QStringLiteral("sweep"), kStarter, QStringLiteral("--plan"), out});
    EXPECT_EQ(planned.code, 0) << planned.err.toStdString();
    EXPECT_TRUE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("slurm/sweep.sbatch"))));
    if (!saved.isEmpty())
        qputenv("OTALAB_CLI", saved);
}
