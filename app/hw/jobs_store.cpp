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

Result<void> writeAtomic(const QString& path, const QByteArray& data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace

namespace {

const char* const kKindNames[] = {"notify", "update", "end", "cancel"};

} // namespace

QJsonObject jobEventToJson(const JobEvent& e)
{
    QJsonObject json{{QStringLiteral("atS"), e.atS}, {QStringLiteral("kind"), QLatin1String(kKindNames[int(e.kind)])}};
    if (!e.thing.isEmpty())
        json.insert(QStringLiteral("thing"), e.thing);
    if (!e.status.isEmpty())
        json.insert(QStringLiteral("status"), e.status);
    if (e.kind == JobEvent::Kind::Update)
        json.insert(QStringLiteral("statusDetails"), e.statusDetails);
    if (e.kind == JobEvent::Kind::Cancel) {
        json.insert(QStringLiteral("force"), e.force);
        json.insert(QStringLiteral("byEngine"), e.byEngine);
        json.insert(QStringLiteral("reason"), e.reason);
    }
    return json;
}

Result<JobEvent> jobEventFromJson(const QJsonObject& json, const QString& where)
{
    JobEvent e;
    if (!json.value(QStringLiteral("atS")).isDouble())
        return fail(Error{QStringLiteral("expected a number"), where + QStringLiteral("atS"), -1});
    e.atS = json.value(QStringLiteral("atS")).toDouble();
    const QString kind = json.value(QStringLiteral("kind")).toString();
    bool known = false;
    for (int k = 0; k < 4; ++k)
        if (kind == QLatin1String(kKindNames[k])) {
            e.kind = JobEvent::Kind(k);
            known = true;
        }
    if (!known)
        return fail(Error{QStringLiteral("'%1' is not notify, update, end or cancel").arg(kind), where + QStringLiteral("kind"), -1});
    e.thing = json.value(QStringLiteral("thing")).toString();
    e.status = json.value(QStringLiteral("status")).toString();
    e.statusDetails = json.value(QStringLiteral("statusDetails")).toObject();
    e.force = json.value(QStringLiteral("force")).toBool();
    e.byEngine = json.value(QStringLiteral("byEngine")).toBool();
    e.reason = json.value(QStringLiteral("reason")).toString();
    if (e.kind != JobEvent::Kind::Cancel && e.thing.isEmpty())
        return fail(Error{QStringLiteral("missing (expected a thing name)"), where + QStringLiteral("thing"), -1});
    return e;
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
    for (const JobEvent& event : job.history)
        history.append(jobEventToJson(event));
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
            auto input = jobEventFromJson(history.at(i).toObject(), QStringLiteral("history[%1].").arg(i));
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
