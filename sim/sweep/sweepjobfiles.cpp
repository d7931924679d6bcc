// SPDX-License-Identifier: Apache-2.0
// Cluster job files for a planned sweep: a Slurm array job and a Kubernetes Indexed Job.
#include "sim/sweep/sweepjobfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace otalab::sim {

namespace {

// Where the tasks see the sweep folder when nothing else is said: the mount point of
// the Kubernetes volume; writeSweepJobFiles passes the local absolute path for Slurm.
const QString kDefaultClusterDir = QStringLiteral("/sweep");

// A word for a POSIX shell: single-quoted unless it is plainly safe.
QString shellQuote(const QString& word)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=@%+,-]+$"));
    if (safe.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// A YAML scalar: a JSON string literal (JSON is a subset of YAML), so no user text can
// change the document's structure.
QString yamlString(const QString& text)
{
    const QByteArray json = QJsonDocument(QJsonArray{QJsonValue(text)}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

// A comment line: no line breaks can escape it.
QString commentText(QString text)
{
    text.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return text;
}

QString scenarioName(const SweepPlan& plan)
{
    const QString name = plan.scenario.value(QStringLiteral("name")).toString();
    if (!name.trimmed().isEmpty())
        return name;
    const QString base = QFileInfo(plan.scenarioPath).completeBaseName();
    return base.isEmpty() ? QStringLiteral("sweep") : base;
}

// A DNS-1123 label (lowercase alphanumerics and '-', alphanumeric at both ends) of at
// most `maxLength` characters: everything else becomes '-', runs of '-' collapse.
QString dnsLabel(const QString& text, int maxLength)
{
    QString label;
    for (const QChar c : text.toLower()) {
        const bool keep = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
        if (keep)
            label += c;
        else if (!label.isEmpty() && !label.endsWith(QLatin1Char('-')))
            label += QLatin1Char('-');
    }
    label.truncate(maxLength);
    while (label.endsWith(QLatin1Char('-')))
        label.chop(1);
    return label;
}

// "otalab-sweep-<scenario>-<8 hex of the identity>": at most 50 characters, so the pods'
// host names (<job>-<index>) stay within a 63-character label.
QString jobName(const SweepPlan& plan)
{
    const QString suffix = dnsLabel(plan.identity(), 8);
    const QString prefix = QStringLiteral("otalab-sweep-");
    const QString middle = dnsLabel(scenarioName(plan), 50 - int(prefix.size()) - int(suffix.size()) - 2);
    return prefix + (middle.isEmpty() ? QString() : middle + QLatin1Char('-')) + (suffix.isEmpty() ? QStringLiteral("0") : suffix);
}

// Slurm's time formats ("MM", "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM", "D-HH:MM:SS") in
// seconds; nullopt when it is none of them.
std::optional<qint64> slurmTimeSeconds(const QString& text)
{
    static const QRegularExpression withDays(QStringLiteral("^(\\d+)-(\\d+)(?::(\\d+))?(?::(\\d+))?$"));
    static const QRegularExpression plain(QStringLiteral("^(\\d+)(?::(\\d+))?(?::(\\d+))?$"));
    const QString t = text.trimmed();
    if (const auto m = withDays.match(t); m.hasMatch())
        return m.captured(1).toLongLong() * 86400 + m.captured(2).toLongLong() * 3600 + m.captured(3).toLongLong() * 60
               + m.captured(4).toLongLong();
    if (const auto m = plain.match(t); m.hasMatch()) {
        if (m.captured(3).isEmpty() && m.captured(2).isEmpty())
            return m.captured(1).toLongLong() * 60;                                   // MM
        if (m.captured(3).isEmpty())
            return m.captured(1).toLongLong() * 60 + m.captured(2).toLongLong();      // MM:SS
        return m.captured(1).toLongLong() * 3600 + m.captured(2).toLongLong() * 60 + m.captured(3).toLongLong();
    }
    return std::nullopt;
}

QString axesText(const SweepPlan& plan)
{
    QStringList parts;
    for (const SweepAxis& axis : plan.axes)
        parts << QStringLiteral("%1 (%2 values)").arg(axis.path).arg(axis.values.size());
    parts << QStringLiteral("%1 seed(s)").arg(plan.seeds.size());
    return parts.join(QStringLiteral(" × "));
}

QString clusterDir(const SweepJobOptions& options)
{
    return options.sweepDirOnCluster.isEmpty() ? kDefaultClusterDir : QDir::cleanPath(options.sweepDirOnCluster);
}

Result<void> writeAtomic(const QString& path, const QByteArray& data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace

QString slurmArrayScript(const SweepPlan& plan, const SweepJobOptions& options)
{
    const QString dir = clusterDir(options);
    const qsizetype runs = qsizetype(plan.runCount());
    QString s;
    s += QStringLiteral("#!/bin/bash\n");
    s += QStringLiteral("# OTA Lab sweep \"%1\": %2 runs, %3.\n").arg(commentText(scenarioName(plan))).arg(runs).arg(commentText(axesText(plan)));
    s += QStringLiteral("# Submit:  sbatch %1\n").arg(commentText(shellQuote(dir + QStringLiteral("/slurm/sweep.sbatch"))));
    s += QStringLiteral("# Then:    otalab-cli sweep merge %1\n").arg(commentText(shellQuote(dir)));
    s += QStringLiteral("# Each array task runs one index of %1/plan.json and writes %1/runs/NNNNNN/;\n").arg(commentText(dir));
    s += QStringLiteral("# a task that finds its result.json already there does nothing (safe to resubmit).\n");
    s += QStringLiteral("# Slurm refuses arrays above its MaxArraySize (1001 by default: indices 0..1000).\n");
    s += QStringLiteral("#SBATCH --job-name=%1\n").arg(jobName(plan));
    QString array = QStringLiteral("0-%1").arg(std::max<qsizetype>(0, runs - 1));
    if (options.maxParallel > 0)
        array += QStringLiteral("%%1").arg(options.maxParallel);
    s += QStringLiteral("#SBATCH --array=%1\n").arg(array);
    // sbatch reads #SBATCH lines with shell-like quoting: a path with spaces is quoted.
    const QString output = dir + QStringLiteral("/slurm/%A_%a.out");
    s += QStringLiteral("#SBATCH --output=%1\n").arg(output.contains(QLatin1Char(' ')) ? QLatin1Char('"') + output + QLatin1Char('"') : output);
    s += QStringLiteral("#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n");
    if (!options.timeLimit.trimmed().isEmpty())
        s += QStringLiteral("#SBATCH --time=%1\n").arg(commentText(options.timeLimit.trimmed()));
    if (!options.slurmPartition.trimmed().isEmpty())
        s += QStringLiteral("#SBATCH --partition=%1\n").arg(commentText(options.slurmPartition.trimmed()));
    s += QStringLiteral("set -euo pipefail\n");
    s += QStringLiteral("exec %1 sweep-run %2 --index \"$SLURM_ARRAY_TASK_ID\"\n").arg(shellQuote(options.cliPath), shellQuote(dir));
    return s;
}

QString kubernetesIndexedJob(const SweepPlan& plan, const SweepJobOptions& options)
{
    const QString dir = clusterDir(options);
    const int runs = int(plan.runCount());
    const int parallelism = std::max(1, std::min(runs, options.maxParallel > 0 ? options.maxParallel : 16));
    const qint64 perTaskS = slurmTimeSeconds(options.timeLimit).value_or(3600);
    const QString name = jobName(plan);
    const QString claim = options.volumeClaim.trimmed().isEmpty() ? QStringLiteral("otalab-sweeps") : options.volumeClaim.trimmed();
    QString y;
    y += QStringLiteral("# OTA Lab sweep \"%1\": %2 runs, %3.\n").arg(commentText(scenarioName(plan))).arg(runs).arg(commentText(axesText(plan)));
    y += QStringLiteral("# The sweep folder (plan.json) must be on the PersistentVolumeClaim %1, mounted at %2.\n")
             .arg(commentText(claim), commentText(dir));
    y += QStringLiteral("# Apply:  kubectl apply -f sweep-job.yaml   (JobBackoffLimitPerIndex: Kubernetes 1.28+)\n");
    y += QStringLiteral("# Watch:  kubectl get job %1\n").arg(name);
    y += QStringLiteral("# Then, where the volume is mounted:  otalab-cli sweep merge %1\n").arg(commentText(shellQuote(dir)));
    y += QStringLiteral("apiVersion: batch/v1\nkind: Job\nmetadata:\n");
    y += QStringLiteral("  name: %1\n").arg(name);
    y += QStringLiteral("  labels:\n    app.kubernetes.io/name: otalab-sweep\n    app.kubernetes.io/instance: %1\n").arg(name);
    y += QStringLiteral("spec:\n");
    y += QStringLiteral("  completionMode: Indexed\n");
    y += QStringLiteral("  completions: %1\n").arg(runs);
    y += QStringLiteral("  parallelism: %1\n").arg(parallelism);
    y += QStringLiteral("  backoffLimitPerIndex: %1\n").arg(std::max(0, options.retriesPerIndex));
    // Serially, every run within its time limit: the whole job's upper bound.
    y += QStringLiteral("  activeDeadlineSeconds: %1\n").arg(perTaskS * std::max(1, runs) * (std::max(0, options.retriesPerIndex) + 1));
    y += QStringLiteral("  podFailurePolicy:\n    rules:\n");
    // Exit 2 (a usage error: a wrong index or folder) repeats on a retry.
    y += QStringLiteral("      - action: FailIndex\n        onExitCodes:\n          containerName: sweep-run\n          operator: In\n"
                        "          values: [2]\n");
    // An evicted or preempted pod is not the run's fault: try again without counting it.
    // (status is required by the batch/v1 schema before Kubernetes 1.31; tests/cluster/k8s validates it.)
    y += QStringLiteral("      - action: Ignore\n        onPodConditions:\n          - type: DisruptionTarget\n            status: \"True\"\n");
    y += QStringLiteral("  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: otalab-sweep\n"
                        "        app.kubernetes.io/instance: %1\n").arg(name);
    y += QStringLiteral("    spec:\n      restartPolicy: Never\n");
    y += QStringLiteral("      activeDeadlineSeconds: %1\n").arg(perTaskS);
    y += QStringLiteral("      containers:\n        - name: sweep-run\n");
    y += QStringLiteral("          image: %1\n").arg(yamlString(options.image));
    y += QStringLiteral("          command: [%1]\n").arg(yamlString(options.cliPath));
    // $(JOB_COMPLETION_INDEX) is expanded by Kubernetes from the container's environment.
    y += QStringLiteral("          args: [\"sweep-run\", %1, \"--index\", \"$(JOB_COMPLETION_INDEX)\"]\n").arg(yamlString(dir));
    y += QStringLiteral("          env:\n            - name: JOB_COMPLETION_INDEX\n              valueFrom:\n                fieldRef:\n"
                        "                  fieldPath: \"metadata.annotations['batch.kubernetes.io/job-completion-index']\"\n");
    y += QStringLiteral("          resources:\n            requests:\n              cpu: \"1\"\n");
    y += QStringLiteral("          volumeMounts:\n            - name: sweep\n              mountPath: %1\n").arg(yamlString(dir));
    y += QStringLiteral("      volumes:\n        - name: sweep\n          persistentVolumeClaim:\n            claimName: %1\n").arg(yamlString(claim));
    return y;
}

Result<QStringList> writeSweepJobFiles(const SweepPlan& plan, const QString& sweepDir, const SweepJobOptions& options)
{
    if (plan.runCount() == 0)
        return fail(QStringLiteral("the sweep has no runs"));
    const QDir dir(sweepDir);
    if (!QDir().mkpath(dir.filePath(QStringLiteral("slurm"))) || !QDir().mkpath(dir.filePath(QStringLiteral("kubernetes"))))
        return fail(QStringLiteral("cannot create %1/slurm and %1/kubernetes").arg(sweepDir));
    // Slurm: a shared folder is usually mounted at the same path everywhere.
    SweepJobOptions slurm = options;
    if (slurm.sweepDirOnCluster.isEmpty())
        slurm.sweepDirOnCluster = dir.absolutePath();
    const QString sbatch = dir.filePath(QStringLiteral("slurm/sweep.sbatch"));
    const QString yaml = dir.filePath(QStringLiteral("kubernetes/sweep-job.yaml"));
    if (auto w = writeAtomic(sbatch, slurmArrayScript(plan, slurm).toUtf8()); !w)
        return std::unexpected(w.error());
    QFile::setPermissions(sbatch, QFile::permissions(sbatch) | QFileDevice::ExeOwner | QFileDevice::ExeGroup | QFileDevice::ExeOther);
    if (auto w = writeAtomic(yaml, kubernetesIndexedJob(plan, options).toUtf8()); !w)
        return std::unexpected(w.error());
    return QStringList{sbatch, yaml};
}

} // namespace otalab::sim
