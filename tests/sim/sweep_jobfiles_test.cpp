// SPDX-License-Identifier: Apache-2.0
// Cluster job files of a planned sweep: the Slurm array script (checked by bash -n) and the
// Kubernetes Indexed Job (parsed as YAML by python3, its structure checked field by field).
#include "sim/sweep/sweepjobfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace otalab::sim;

namespace {

// 2 × 3 points × 4 seeds = 24 runs.
SweepPlan planOf(const QString& scenarioName)
{
    SweepPlan plan;
    plan.scenario = QJsonObject{{"name", scenarioName}, {"seed", 1}};
    plan.scenarioPath = QStringLiteral("campus.json");
    plan.baseDir = QStringLiteral("/tmp");
    plan.axes = {SweepAxis{QStringLiteral("$.server.maxBlockDataSize"), {QJsonValue(32), QJsonValue(64)}},
                 SweepAxis{QStringLiteral("$.server.blockResponseDelayMs"), {QJsonValue(0), QJsonValue(250), QJsonValue(500)}}};
    plan.seeds = {1, 2, 3, 4};
    return plan;
}

QStringList sbatchDirectives(const QString& script)
{
    QStringList lines;
    for (const QString& line : script.split(QLatin1Char('\n')))
        if (line.startsWith(QStringLiteral("#SBATCH ")))
            lines << line.mid(8);
    return lines;
}

// Runs a program with stdin; nullopt when it cannot start (not installed).
std::optional<std::pair<int, QByteArray>> runWith(const QString& program, const QStringList& args, const QByteArray& input)
{
    if (QStandardPaths::findExecutable(program).isEmpty())
        return std::nullopt;
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return std::nullopt;
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(30000);
    return std::pair{p.exitCode(), p.readAllStandardOutput() + p.readAllStandardError()};
}

// The YAML document as JSON, through python3's yaml module; nullopt when that is missing.
std::optional<QJsonObject> yamlAsJson(const QString& yaml)
{
    const auto has = runWith(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral("import yaml")}, {});
    if (!has || has->first != 0)
        return std::nullopt;
    const auto run = runWith(QStringLiteral("python3"),
                             {QStringLiteral("-c"), QStringLiteral("import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)")},
                             yaml.toUtf8());
    if (!run || run->first != 0) {
        ADD_FAILURE() << "not YAML: " << (run ? run->second.toStdString() : std::string()) << "\n" << yaml.toStdString();
        return QJsonObject{};
    }
    return QJsonDocument::fromJson(run->second).object();
}

const QRegularExpression kDnsLabel(QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));

} // namespace

TEST(SweepJobFiles, SlurmArrayCoversEveryIndexWithTheParallelLimit)
{
    const SweepPlan plan = planOf(QStringLiteral("campus"));
    ASSERT_EQ(plan.runCount(), 24u);
    SweepJobOptions options;
    options.sweepDirOnCluster = QStringLiteral("/shared/sweeps/campus");
    options.maxParallel = 5;
    options.slurmPartition = QStringLiteral("debug");
    const QString script = slurmArrayScript(plan, options);
    EXPECT_TRUE(script.startsWith(QStringLiteral("#!/bin/bash\n")));
    const QStringList directives = sbatchDirectives(script);
    EXPECT_TRUE(directives.contains(QStringLiteral("--array=0-23%5"))) << script.toStdString();
    EXPECT_TRUE(directives.contains(QStringLiteral("--output=/shared/sweeps/campus/slurm/%A_%a.out"))) << script.toStdString();
    EXPECT_TRUE(directives.contains(QStringLiteral("--time=01:00:00")));
    EXPECT_TRUE(directives.contains(QStringLiteral("--partition=debug")));
    // Every directive comes before the first command (sbatch stops reading them there).
    const qsizetype firstCommand = script.indexOf(QStringLiteral("\nset -euo pipefail\n"));
    ASSERT_GT(firstCommand, 0);
    EXPECT_LT(script.lastIndexOf(QStringLiteral("#SBATCH")), firstCommand);
    EXPECT_TRUE(script.contains(QStringLiteral("\nexec otalab-cli sweep-run /shared/sweeps/campus --index \"$SLURM_ARRAY_TASK_ID\"\n")))
        << script.toStdString();

    options.maxParallel = 0;   // no limit: no %K
    EXPECT_TRUE(sbatchDirectives(slurmArrayScript(plan, options)).contains(QStringLiteral("--array=0-23")));
    options.slurmPartition.clear();
    for (const QString& d : sbatchDirectives(slurmArrayScript(plan, options)))
        EXPECT_FALSE(d.startsWith(QStringLiteral("--partition"))) << d.toStdString();
}

TEST(SweepJobFiles, SlurmScriptQuotesPathsAndIsValidBash)
{
    const SweepPlan plan = planOf(QStringLiteral("campus"));
    SweepJobOptions options;
    options.sweepDirOnCluster = QStringLiteral("/shared/my sweeps/it's here");
    options.cliPath = QStringLiteral("/opt/ota lab/bin/otalab-cli");
    const QString script = slurmArrayScript(plan, options);
    EXPECT_TRUE(script.contains(QStringLiteral("exec '/opt/ota lab/bin/otalab-cli' sweep-run '/shared/my sweeps/it'\\''s here' --index")))
        << script.toStdString();
    EXPECT_TRUE(sbatchDirectives(script).contains(QStringLiteral("--output=\"/shared/my sweeps/it's here/slurm/%A_%a.out\"")))
        << script.toStdString();
    const auto bash = runWith(QStringLiteral("bash"), {QStringLiteral("-n")}, script.toUtf8());
    ASSERT_TRUE(bash.has_value()) << "bash not found";
    EXPECT_EQ(bash->first, 0) << bash->second.toStdString();
    // Run the exec line for real with a stand-in program: the task sees the folder as one word
    // and the index from the environment.
    QTemporaryDir tmp;
    const QString fake = QDir(tmp.path()).filePath(QStringLiteral("fake cli"));
    QFile f(fake);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\nprintf '%s|' \"$@\"\n");
    f.close();
    QFile::setPermissions(fake, QFile::permissions(fake) | QFileDevice::ExeOwner);
    options.cliPath = fake;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("17"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("bash"), {QStringLiteral("-c"), slurmArrayScript(plan, options)});
    ASSERT_TRUE(p.waitForFinished(10000));
    EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    EXPECT_EQ(p.readAllStandardOutput(), QByteArray("sweep-run|/shared/my sweeps/it's here|--index|17|"));
}

TEST(SweepJobFiles, KubernetesIndexedJobStructure)
{
    const SweepPlan plan = planOf(QStringLiteral("Campus Rollout: 1000 sensors / \"big\" ÜBER-test!!"));
    SweepJobOptions options;
    options.image = QStringLiteral("registry.example.org/otalab:1.2");
    options.volumeClaim = QStringLiteral("lab-sweeps");
    options.timeLimit = QStringLiteral("2-00:00:00");
    const QString yaml = kubernetesIndexedJob(plan, options);
    const auto parsed = yamlAsJson(yaml);
    if (!parsed)
        GTEST_SKIP() << "python3 with the yaml module is not installed";
    const QJsonObject job = *parsed;
    EXPECT_EQ(job.value("apiVersion").toString(), QStringLiteral("batch/v1"));
    EXPECT_EQ(job.value("kind").toString(), QStringLiteral("Job"));
    const QString name = job.value("metadata").toObject().value("name").toString();
    EXPECT_TRUE(kDnsLabel.match(name).hasMatch()) << name.toStdString();
    EXPECT_LE(name.size(), 50);
    EXPECT_TRUE(name.startsWith(QStringLiteral("otalab-sweep-campus-rollout-1000-sensors-"))) << name.toStdString();
    const QJsonObject spec = job.value("spec").toObject();
    EXPECT_EQ(spec.value("completionMode").toString(), QStringLiteral("Indexed"));
    EXPECT_EQ(spec.value("completions").toInt(), 24);
    EXPECT_EQ(spec.value("parallelism").toInt(), 16);
    EXPECT_EQ(spec.value("backoffLimitPerIndex").toInt(), 2);
    const QJsonObject pod = spec.value("template").toObject().value("spec").toObject();
    EXPECT_EQ(pod.value("restartPolicy").toString(), QStringLiteral("Never"));
    EXPECT_EQ(pod.value("activeDeadlineSeconds").toInt(), 2 * 86400);
    const QJsonArray containers = pod.value("containers").toArray();
    ASSERT_EQ(containers.size(), 1);
    const QJsonObject c = containers.at(0).toObject();
    EXPECT_EQ(c.value("image").toString(), options.image);
    EXPECT_EQ(c.value("command").toArray(), QJsonArray{QStringLiteral("otalab-cli")});
    EXPECT_EQ(c.value("args").toArray(),
              (QJsonArray{QStringLiteral("sweep-run"), QStringLiteral("/sweep"), QStringLiteral("--index"), QStringLiteral("$(JOB_COMPLETION_INDEX)")}));
    // The variable the args expand is declared in the container's environment.
    const QJsonObject env = c.value("env").toArray().at(0).toObject();
    EXPECT_EQ(env.value("name").toString(), QStringLiteral("JOB_COMPLETION_INDEX"));
    EXPECT_EQ(env.value("valueFrom").toObject().value("fieldRef").toObject().value("fieldPath").toString(),
              QStringLiteral("metadata.annotations['batch.kubernetes.io/job-completion-index']"));
    EXPECT_EQ(c.value("volumeMounts").toArray().at(0).toObject().value("mountPath").toString(), QStringLiteral("/sweep"));
    EXPECT_EQ(pod.value("volumes").toArray().at(0).toObject().value("persistentVolumeClaim").toObject().value("claimName").toString(),
              QStringLiteral("lab-sweeps"));
    // The pod failure policy names the container that exists.
    const QJsonArray rules = spec.value("podFailurePolicy").toObject().value("rules").toArray();
    ASSERT_FALSE(rules.isEmpty());
    EXPECT_EQ(rules.at(0).toObject().value("onExitCodes").toObject().value("containerName").toString(), c.value("name").toString());

    options.maxParallel = 100;   // never more pods at once than runs
    EXPECT_EQ(yamlAsJson(kubernetesIndexedJob(plan, options))->value("spec").toObject().value("parallelism").toInt(), 24);
}

TEST(SweepJobFiles, NamesAreDnsLabelsWhateverTheScenarioIsCalled)
{
    for (const QString& scenarioName : {QStringLiteral("---"), QStringLiteral("Ωμέγα"), QString(300, QLatin1Char('x')),
                                        QStringLiteral("a--b__c..d"), QString()}) {
        const SweepPlan plan = planOf(scenarioName);
        const QString yaml = kubernetesIndexedJob(plan, {});
        const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("\\n  name: (\\S+)\\n")).match(yaml);
        ASSERT_TRUE(m.hasMatch()) << yaml.toStdString();
        EXPECT_TRUE(kDnsLabel.match(m.captured(1)).hasMatch()) << m.captured(1).toStdString();
        EXPECT_LE(m.captured(1).size(), 50) << m.captured(1).toStdString();
    }
    // Two sweeps of one scenario get two job names (the plan identity is in it).
    SweepPlan other = planOf(QStringLiteral("campus"));
    other.seeds = {5, 6};
    EXPECT_NE(kubernetesIndexedJob(planOf(QStringLiteral("campus")), {}).section(QStringLiteral("\n  name: "), 1, 1).section('\n', 0, 0),
              kubernetesIndexedJob(other, {}).section(QStringLiteral("\n  name: "), 1, 1).section('\n', 0, 0));
}

TEST(SweepJobFiles, WriteBothFilesUnderTheSweepFolder)
{
    QTemporaryDir tmp;
    const QString dir = QDir(tmp.path()).filePath(QStringLiteral("sweep"));
    const SweepPlan plan = planOf(QStringLiteral("campus"));
    auto written = writeSweepJobFiles(plan, dir, {});
    ASSERT_TRUE(written) << written.error().toString().toStdString();
    ASSERT_EQ(written->size(), 2);
    EXPECT_EQ(QFileInfo(written->at(0)).absoluteFilePath(), QDir(dir).absoluteFilePath(QStringLiteral("slurm/sweep.sbatch")));
    EXPECT_EQ(QFileInfo(written->at(1)).absoluteFilePath(), QDir(dir).absoluteFilePath(QStringLiteral("kubernetes/sweep-job.yaml")));
    QFile sbatch(written->at(0));
    ASSERT_TRUE(sbatch.open(QIODevice::ReadOnly));
    const QString script = QString::fromUtf8(sbatch.readAll());
    // Slurm: the shared folder at the same path by default.
    const QString absolute = QDir(dir).absolutePath();
    EXPECT_TRUE(script.contains(QStringLiteral("sweep-run %1 --index").arg(absolute))) << script.toStdString();
    EXPECT_TRUE(sbatchDirectives(script).contains(QStringLiteral("--output=%1/slurm/%A_%a.out").arg(absolute)));
    EXPECT_TRUE(QFileInfo(written->at(0)).isExecutable());
    QFile yaml(written->at(1));
    ASSERT_TRUE(yaml.open(QIODevice::ReadOnly));
    EXPECT_TRUE(yaml.readAll().contains("completionMode: Indexed"));
    // Nothing else was written.
    EXPECT_EQ(QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size(), 2);
}
