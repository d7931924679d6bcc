// SPDX-License-Identifier: Apache-2.0
// The lab's MQTT control protocol for the real jobs service (see the header).
#include "app/hw/jobs_control_protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace otalab::hw::jobs {
namespace {

const QString kPrefix = QStringLiteral("otalab/jobs/api/");
const QString kResponse = QStringLiteral("response/");

Result<QJsonObject> parseObject(const QByteArray& payload)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(Error::at(error.offset, {}, QStringLiteral("not JSON: %1").arg(error.errorString())));
    if (!doc.isObject())
        return fail(Error::at(0, {}, QStringLiteral("expected a JSON object")));
    return doc.object();
}

Result<QString> stringField(const QJsonObject& json, const QString& key, const QString& where, bool required)
{
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            return fail(Error{QStringLiteral("missing (expected a string)"), where + key, -1});
        return QString();
    }
    if (!v.isString())
        return fail(Error{QStringLiteral("expected a string"), where + key, -1});
    return v.toString();
}

Result<double> numberField(const QJsonObject& json, const QString& key, const QString& where, double fallback)
{
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isDouble())
        return fail(Error{QStringLiteral("expected a number"), where + key, -1});
    return v.toDouble();
}

bool validTopicLevel(const QString& s)
{
    if (s.isEmpty() || s.size() > 128)
        return false;
    for (const QChar c : s)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('-') && c != QLatin1Char('_')
            && c != QLatin1Char('.') && c != QLatin1Char(':'))
            return false;
    return true;
}

} // namespace

QString controlOpName(ControlOp op)
{
    switch (op) {
    case ControlOp::Create: return QStringLiteral("create");
    case ControlOp::List: return QStringLiteral("list");
    case ControlOp::Describe: return QStringLiteral("describe");
    case ControlOp::Cancel: return QStringLiteral("cancel");
    }
    return {};
}

std::optional<ControlOp> controlOpFromName(const QString& name)
{
    for (ControlOp op : {ControlOp::Create, ControlOp::List, ControlOp::Describe, ControlOp::Cancel})
        if (controlOpName(op) == name)
            return op;
    return std::nullopt;
}

QString controlRequestTopic(ControlOp op) { return kPrefix + controlOpName(op); }
QString controlRequestFilter() { return kPrefix + QLatin1Char('+'); }
QString controlResponseTopic(const QString& clientToken) { return kPrefix + kResponse + clientToken; }
QString controlEventsTopic() { return QStringLiteral("otalab/jobs/events"); }

std::optional<ControlOp> controlOpOfTopic(const QString& topic)
{
    if (!topic.startsWith(kPrefix))
        return std::nullopt;
    return controlOpFromName(topic.mid(kPrefix.size()));
}

QString newClientToken()
{
    return QStringLiteral("cli-%1-%2")
        .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'))
        .arg(QRandomGenerator::global()->bounded(100000));
}

Result<ControlRequest> parseControlRequest(ControlOp op, const QByteArray& payload)
{
    auto json = parseObject(payload);
    if (!json)
        return fail(json.error());
    ControlRequest r;
    r.op = op;
    auto token = stringField(*json, QStringLiteral("clientToken"), {}, true);
    if (!token)
        return fail(token.error());
    if (!validTopicLevel(*token))
        return fail(Error{QStringLiteral("'%1' is not usable in a topic (letters, digits, - _ . : only, 1..128)")
                              .arg(*token),
                          QStringLiteral("clientToken"), -1});
    r.clientToken = *token;
    if (op == ControlOp::List)
        return r;
    auto jobId = stringField(*json, QStringLiteral("jobId"), {}, true);
    if (!jobId)
        return fail(jobId.error());
    if (!validTopicLevel(*jobId) || jobId->size() > 64)
        return fail(Error{QStringLiteral("'%1' is not a valid job id (1..64 of letters, digits, - _ . :)").arg(*jobId),
                          QStringLiteral("jobId"), -1});
    r.jobId = *jobId;
    if (op == ControlOp::Cancel) {
        const QJsonValue force = json->value(QStringLiteral("force"));
        if (!force.isUndefined() && !force.isBool())
            return fail(Error{QStringLiteral("expected true or false"), QStringLiteral("force"), -1});
        r.force = force.toBool();
        auto reason = stringField(*json, QStringLiteral("reason"), {}, false);
        if (!reason)
            return fail(reason.error());
        r.reason = *reason;
        return r;
    }
    if (op == ControlOp::Describe)
        return r;
    // create
    const QJsonValue targets = json->value(QStringLiteral("targets"));
    if (!targets.isArray() || targets.toArray().isEmpty())
        return fail(Error{QStringLiteral("expected a non-empty array of thing names"), QStringLiteral("targets"), -1});
    const QJsonArray list = targets.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString thing = list.at(i).toString();
        if (!list.at(i).isString() || !validTopicLevel(thing))
            return fail(Error{QStringLiteral("expected a thing name (letters, digits, - _ . :)"),
                              QStringLiteral("targets[%1]").arg(i), -1});
        if (r.targets.contains(thing))
            return fail(Error{QStringLiteral("'%1' is listed twice").arg(thing), QStringLiteral("targets[%1]").arg(i), -1});
        r.targets << thing;
    }
    const QJsonValue document = json->value(QStringLiteral("document"));
    if (!document.isObject())
        return fail(Error{QStringLiteral("expected the job document object"), QStringLiteral("document"), -1});
    r.document = document.toObject();
    auto stream = stringField(*json, QStringLiteral("streamName"), {}, true);
    if (!stream)
        return fail(stream.error());
    if (!validTopicLevel(*stream))
        return fail(Error{QStringLiteral("'%1' is not a valid stream name").arg(*stream), QStringLiteral("streamName"), -1});
    r.streamName = *stream;
    auto fileId = numberField(*json, QStringLiteral("fileId"), {}, 0);
    if (!fileId)
        return fail(fileId.error());
    if (*fileId < 0 || *fileId > 255 || *fileId != double(int(*fileId)))
        return fail(Error{QStringLiteral("expected an integer 0..255"), QStringLiteral("fileId"), -1});
    r.fileId = int(*fileId);
    auto file = stringField(*json, QStringLiteral("file"), {}, true);
    if (!file)
        return fail(file.error());
    auto bytes = QByteArray::fromBase64Encoding(file->toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes || bytes.decoded.isEmpty())
        return fail(Error{QStringLiteral("expected the image as non-empty base64"), QStringLiteral("file"), -1});
    r.file = bytes.decoded;
    const QJsonValue rollout = json->value(QStringLiteral("rollout"));
    if (!rollout.isUndefined() && !rollout.isNull() && !rollout.isObject())
        return fail(Error{QStringLiteral("expected an object (the scenario rollout section)"), QStringLiteral("rollout"), -1});
    r.rollout = rollout.toObject();
    return r;
}

QByteArray encodeControlRequest(const ControlRequest& r)
{
    QJsonObject json{{QStringLiteral("clientToken"), r.clientToken}};
    if (r.op != ControlOp::List)
        json.insert(QStringLiteral("jobId"), r.jobId);
    if (r.op == ControlOp::Cancel) {
        json.insert(QStringLiteral("force"), r.force);
        if (!r.reason.isEmpty())
            json.insert(QStringLiteral("reason"), r.reason);
    }
    if (r.op == ControlOp::Create) {
        json.insert(QStringLiteral("targets"), QJsonArray::fromStringList(r.targets));
        json.insert(QStringLiteral("document"), r.document);
        json.insert(QStringLiteral("streamName"), r.streamName);
        json.insert(QStringLiteral("fileId"), r.fileId);
        json.insert(QStringLiteral("file"), QString::fromLatin1(r.file.toBase64()));
        if (!r.rollout.isEmpty())
            json.insert(QStringLiteral("rollout"), r.rollout);
    }
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

QJsonObject executionToJson(const ExecutionSummary& e)
{
    return QJsonObject{{QStringLiteral("thingName"), e.thing},
                       {QStringLiteral("status"), e.status},
                       {QStringLiteral("executionNumber"), e.executionNumber},
                       {QStringLiteral("versionNumber"), double(e.versionNumber)},
                       {QStringLiteral("statusDetails"), e.statusDetails},
                       {QStringLiteral("blocksReceived"), e.blocksReceived},
                       {QStringLiteral("blocksTotal"), e.blocksTotal},
                       {QStringLiteral("blocksSent"), e.blocksSent},
                       {QStringLiteral("lastUpdateS"), e.lastUpdateS}};
}

Result<ExecutionSummary> executionFromJson(const QJsonObject& json, const QString& where)
{
    ExecutionSummary e;
    auto thing = stringField(json, QStringLiteral("thingName"), where, true);
    if (!thing)
        return fail(thing.error());
    e.thing = *thing;
    auto status = stringField(json, QStringLiteral("status"), where, true);
    if (!status)
        return fail(status.error());
    e.status = *status;
    const QJsonValue details = json.value(QStringLiteral("statusDetails"));
    if (!details.isUndefined() && !details.isObject())
        return fail(Error{QStringLiteral("expected an object"), where + QStringLiteral("statusDetails"), -1});
    e.statusDetails = details.toObject();
    struct IntField { const char* key; int* into; };
    for (IntField f : {IntField{"executionNumber", &e.executionNumber}, IntField{"blocksReceived", &e.blocksReceived},
                       IntField{"blocksTotal", &e.blocksTotal}, IntField{"blocksSent", &e.blocksSent}}) {
        auto v = numberField(json, QLatin1String(f.key), where, 0);
        if (!v)
            return fail(v.error());
        *f.into = int(*v);
    }
    auto version = numberField(json, QStringLiteral("versionNumber"), where, 0);
    if (!version)
        return fail(version.error());
    e.versionNumber = qint64(*version);
    auto last = numberField(json, QStringLiteral("lastUpdateS"), where, 0);
    if (!last)
        return fail(last.error());
    e.lastUpdateS = *last;
    return e;
}

QJsonObject jobSummaryToJson(const JobSummary& j)
{
    QJsonObject json{{QStringLiteral("jobId"), j.jobId},
                     {QStringLiteral("status"), j.status},
                     {QStringLiteral("targets"), QJsonArray::fromStringList(j.targets)},
                     {QStringLiteral("streamName"), j.streamName},
                     {QStringLiteral("fileSize"), double(j.fileSize)},
                     {QStringLiteral("createdAtMs"), double(j.createdAtMs)},
                     {QStringLiteral("ratePerMinute"), j.ratePerMinute},
                     {QStringLiteral("notified"), j.notified},
                     {QStringLiteral("counts"), j.counts}};
    if (!j.reason.isEmpty())
        json.insert(QStringLiteral("reason"), j.reason);
    if (!j.executions.empty()) {
        QJsonArray executions;
        for (const ExecutionSummary& e : j.executions)
            executions.append(executionToJson(e));
        json.insert(QStringLiteral("executions"), executions);
    }
    return json;
}

Result<JobSummary> jobSummaryFromJson(const QJsonObject& json, const QString& where)
{
    JobSummary j;
    auto id = stringField(json, QStringLiteral("jobId"), where, true);
    if (!id)
        return fail(id.error());
    j.jobId = *id;
    auto status = stringField(json, QStringLiteral("status"), where, true);
    if (!status)
        return fail(status.error());
    j.status = *status;
    for (const QJsonValue& t : json.value(QStringLiteral("targets")).toArray())
        j.targets << t.toString();
    j.streamName = json.value(QStringLiteral("streamName")).toString();
    j.fileSize = qint64(json.value(QStringLiteral("fileSize")).toDouble());
    j.createdAtMs = qint64(json.value(QStringLiteral("createdAtMs")).toDouble());
    j.ratePerMinute = json.value(QStringLiteral("ratePerMinute")).toDouble();
    j.notified = json.value(QStringLiteral("notified")).toInt();
    j.reason = json.value(QStringLiteral("reason")).toString();
    j.counts = json.value(QStringLiteral("counts")).toObject();
    const QJsonArray executions = json.value(QStringLiteral("executions")).toArray();
    for (qsizetype i = 0; i < executions.size(); ++i) {
        auto e = executionFromJson(executions.at(i).toObject(), where + QStringLiteral("executions[%1].").arg(i));
        if (!e)
            return fail(e.error());
        j.executions.push_back(*e);
    }
    return j;
}

QByteArray encodeControlResponse(const ControlResponse& r)
{
    QJsonObject json{{QStringLiteral("clientToken"), r.clientToken}, {QStringLiteral("ok"), r.ok}};
    if (!r.ok) {
        json.insert(QStringLiteral("error"), r.error);
        if (!r.field.isEmpty())
            json.insert(QStringLiteral("field"), r.field);
    }
    QJsonArray jobs;
    for (const JobSummary& j : r.jobs)
        jobs.append(jobSummaryToJson(j));
    json.insert(QStringLiteral("jobs"), jobs);
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

Result<ControlResponse> parseControlResponse(const QByteArray& payload)
{
    auto json = parseObject(payload);
    if (!json)
        return fail(json.error());
    ControlResponse r;
    auto token = stringField(*json, QStringLiteral("clientToken"), {}, true);
    if (!token)
        return fail(token.error());
    r.clientToken = *token;
    const QJsonValue ok = json->value(QStringLiteral("ok"));
    if (!ok.isBool())
        return fail(Error{QStringLiteral("expected true or false"), QStringLiteral("ok"), -1});
    r.ok = ok.toBool();
    r.error = json->value(QStringLiteral("error")).toString();
    r.field = json->value(QStringLiteral("field")).toString();
    const QJsonArray jobs = json->value(QStringLiteral("jobs")).toArray();
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        auto j = jobSummaryFromJson(jobs.at(i).toObject(), QStringLiteral("jobs[%1].").arg(i));
        if (!j)
            return fail(j.error());
        r.jobs.push_back(*j);
    }
    return r;
}

} // namespace otalab::hw::jobs
