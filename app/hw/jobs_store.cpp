// SPDX-License-Identifier: Apache-2.0
// The jobs service's folder of jobs (see the header).
#include "app/hw/jobs_store.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>

namespace otalab::hw::jobs {
namespace {

using sim::rollout::DeviceReport;

QString reportName(DeviceReport r)
{
    switch (r) {
    case DeviceReport::Started: return QStringLiteral("started");
    case DeviceReport::Succeeded: return QStringLiteral("succeeded");
    case DeviceReport::Failed: return QStringLiteral("failed");
    case DeviceReport::Rejected: return QStringLiteral("rejected");
    }
    return {};
}

Result<void> writeAtomic(const QString& path, const QByteArray& data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace

QJsonObject engineInputToJson(const EngineInput& input)
{
    QJsonObject json{{QStringLiteral("atS"), input.atS}};
    if (input.kind == EngineInput::Kind::Report) {
        json.insert(QStringLiteral("device"), double(input.device));
        json.insert(QStringLiteral("report"), reportName(input.report));
    } else {
        json.insert(QStringLiteral("cancel"), true);
        json.insert(QStringLiteral("force"), input.force);
        json.insert(QStringLiteral("reason"), input.reason);
    }
    return json;
}

Result<EngineInput> engineInputFromJson(const QJsonObject& json, const QString& where)
{
    EngineInput input;
    if (!json.value(QStringLiteral("atS")).isDouble())
        return fail(Error{QStringLiteral("expected a number"), where + QStringLiteral("atS"), -1});
    input.atS = json.value(QStringLiteral("atS")).toDouble();
    if (json.value(QStringLiteral("cancel")).toBool()) {
        input.kind = EngineInput::Kind::Cancel;
        input.force = json.value(QStringLiteral("force")).toBool();
        input.reason = json.value(QStringLiteral("reason")).toString();
        return input;
    }
    input.device = std::uint32_t(json.value(QStringLiteral("device")).toDouble());
    const QString report = json.value(QStringLiteral("report")).toString();
    for (DeviceReport r : {DeviceReport::Started, DeviceReport::Succeeded, DeviceReport::Failed, DeviceReport::Rejected})
        if (reportName(r) == report) {
            input.report = r;
            return input;
        }
    return fail(Error{QStringLiteral("'%1' is not started, succeeded, failed or rejected").arg(report),
                      where + QStringLiteral("report"), -1});
}

JobsStore::JobsStore(QString dir) : m_dir(std::move(dir)) {}

Result<void> JobsStore::prepare() const
{
    if (!persistent())
        return {};
    if (!QDir().mkpath(m_dir))
        return fail(QStringLiteral("cannot create the state folder %1").arg(m_dir));
    return {};
}

Result<void> JobsStore::save(const StoredJob& job, bool withImage) const
{
    if (!persistent())
        return {};
    const QDir dir(m_dir);
    const QString id = job.definition.jobId;
    if (withImage)
        if (auto ok = writeAtomic(dir.filePath(id + QStringLiteral(".bin")), job.definition.file); !ok)
            return ok;
    ControlRequest definition = job.definition;
    definition.file.clear();
    QJsonObject json = QJsonDocument::fromJson(encodeControlRequest(definition)).object();
    json.remove(QStringLiteral("file"));
    json.remove(QStringLiteral("clientToken"));
    json.insert(QStringLiteral("createdAtMs"), double(job.createdAtMs));
    json.insert(QStringLiteral("fileSize"), double(job.definition.file.size()));
    if (!job.reason.isEmpty())
        json.insert(QStringLiteral("reason"), job.reason);
    QJsonArray executions;
    for (const ExecutionSummary& e : job.executions)
        executions.append(executionToJson(e));
    json.insert(QStringLiteral("executions"), executions);
    QJsonArray history;
    for (const EngineInput& input : job.history)
        history.append(engineInputToJson(input));
    json.insert(QStringLiteral("history"), history);
    return writeAtomic(dir.filePath(id + QStringLiteral(".json")), QJsonDocument(json).toJson(QJsonDocument::Indented));
}

Result<std::vector<StoredJob>> JobsStore::loadAll() const
{
    std::vector<StoredJob> jobs;
    if (!persistent() || !QDir(m_dir).exists())
        return jobs;
    const QDir dir(m_dir);
    for (const QString& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        const QString path = dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return fail(Error::at(error.offset, path, QStringLiteral("%1 is not a job file: %2").arg(path, error.errorString())));
        QJsonObject json = doc.object();
        const QString id = json.value(QStringLiteral("jobId")).toString();
        QFile image(dir.filePath(id + QStringLiteral(".bin")));
        if (!image.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("%1: its image %2 is missing").arg(path, image.fileName()));
        json.insert(QStringLiteral("file"), QString::fromLatin1(image.readAll().toBase64()));
        json.insert(QStringLiteral("clientToken"), QStringLiteral("stored"));
        auto definition = parseControlRequest(ControlOp::Create, QJsonDocument(json).toJson(QJsonDocument::Compact));
        if (!definition)
            return fail(Error{QStringLiteral("%1: %2").arg(path, definition.error().message), definition.error().field, -1});
        StoredJob job;
        job.definition = *definition;
        job.definition.clientToken.clear();
        job.createdAtMs = qint64(json.value(QStringLiteral("createdAtMs")).toDouble());
        job.reason = json.value(QStringLiteral("reason")).toString();
        const QJsonArray executions = json.value(QStringLiteral("executions")).toArray();
        for (qsizetype i = 0; i < executions.size(); ++i) {
            auto e = executionFromJson(executions.at(i).toObject(), QStringLiteral("executions[%1].").arg(i));
            if (!e)
                return fail(Error{QStringLiteral("%1: %2").arg(path, e.error().message), e.error().field, -1});
            job.executions.push_back(*e);
        }
        if (job.executions.size() != std::size_t(job.definition.targets.size()))
            return fail(QStringLiteral("%1: %2 executions for %3 targets").arg(path).arg(job.executions.size()).arg(job.definition.targets.size()));
        const QJsonArray history = json.value(QStringLiteral("history")).toArray();
        for (qsizetype i = 0; i < history.size(); ++i) {
            auto input = engineInputFromJson(history.at(i).toObject(), QStringLiteral("history[%1].").arg(i));
            if (!input)
                return fail(Error{QStringLiteral("%1: %2").arg(path, input.error().message), input.error().field, -1});
            job.history.push_back(*input);
        }
        jobs.push_back(std::move(job));
    }
    std::stable_sort(jobs.begin(), jobs.end(),
                     [](const StoredJob& a, const StoredJob& b) { return a.createdAtMs < b.createdAtMs; });
    return jobs;
}

} // namespace otalab::hw::jobs
