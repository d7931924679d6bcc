// SPDX-License-Identifier: Apache-2.0
#include "core/awsota/jobdocument.h"

#include "core/awsota/otabase64.h"
#include "core/common/jsontypename.h"
#include "core/awsota/topics.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <cmath>

namespace otalab::core::awsota {
namespace {

// AWS StreamFile.fileId range (IoT API reference: 0..255).
constexpr qint64 kMaxFileId = 255;
// The library's kOTA_MaxSignatureSize.
constexpr qsizetype kMaxSignatureBytes = 384;
const QString kSignatureKey = QStringLiteral("sig-sha256-ecdsa");

Error at(const QString& path, const QString& message) { return Error::at(-1, path, message); }

Result<QJsonObject> object(const QJsonObject& parent, const QString& key, const QString& path)
{
    const QJsonValue v = parent.value(key);
    if (v.isUndefined())
        return fail(at(path, QStringLiteral("missing")));
    if (!v.isObject())
        return fail(at(path, QStringLiteral("is %1 (expected an object)").arg(jsonTypeName(v))));
    return v.toObject();
}

// The array at key: "missing" or "is <type> (expected an array of <items>)" at path.
Result<QJsonArray> array(const QJsonObject& parent, const QString& key, const QString& path, const QString& items)
{
    const QJsonValue v = parent.value(key);
    if (v.isUndefined())
        return fail(at(path, QStringLiteral("missing")));
    if (!v.isArray())
        return fail(at(path, QStringLiteral("is %1 (expected an array of %2)").arg(jsonTypeName(v), items)));
    return v.toArray();
}

Result<QString> string(const QJsonObject& parent, const QString& key, const QString& path, bool required)
{
    const QJsonValue v = parent.value(key);
    if (v.isUndefined()) {
        if (required)
            return fail(at(path, QStringLiteral("missing")));
        return QString();
    }
    if (!v.isString())
        return fail(at(path, QStringLiteral("is %1 (expected a string)").arg(jsonTypeName(v))));
    return v.toString();
}

// An unsigned integer in min..max; nullopt when absent and optional.
Result<std::optional<std::uint32_t>> integer(const QJsonObject& parent, const QString& key, const QString& path,
                                             bool required, qint64 min, qint64 max)
{
    const QJsonValue v = parent.value(key);
    if (v.isUndefined()) {
        if (required)
            return fail(at(path, QStringLiteral("missing")));
        return std::optional<std::uint32_t>();
    }
    if (!v.isDouble())
        return fail(at(path, QStringLiteral("is %1 (expected an unsigned integer)").arg(jsonTypeName(v))));
    const double d = v.toDouble();
    if (std::floor(d) != d)
        return fail(at(path, QStringLiteral("%1 is not an integer").arg(d)));
    if (d < double(min) || d > double(max))
        return fail(at(path, QStringLiteral("%1 is out of range (%2..%3)").arg(qint64(d)).arg(min).arg(max)));
    return std::optional<std::uint32_t>(std::uint32_t(d));
}

Result<OtaFileInfo> parseFile(const QJsonValue& value, const QString& path)
{
    if (!value.isObject())
        return fail(at(path, QStringLiteral("is %1 (expected an object)").arg(jsonTypeName(value))));
    const QJsonObject o = value.toObject();
    const QString p = path + QLatin1Char('.');
    OtaFileInfo f;
    auto filePath = string(o, QStringLiteral("filepath"), p + QStringLiteral("filepath"), false);
    if (!filePath) return fail(filePath.error());
    f.filePath = *filePath;
    auto size = integer(o, QStringLiteral("filesize"), p + QStringLiteral("filesize"), true, 1, 0xFFFFFFFFll);
    if (!size) return fail(size.error());
    f.fileSize = **size;
    auto id = integer(o, QStringLiteral("fileid"), p + QStringLiteral("fileid"), true, 0, kMaxFileId);
    if (!id) return fail(id.error());
    f.fileId = **id;
    auto cert = string(o, QStringLiteral("certfile"), p + QStringLiteral("certfile"), false);
    if (!cert) return fail(cert.error());
    f.certFile = *cert;
    // Optional in the library's parser too: a job without it is accepted and the
    // download then fails its signature check.
    auto sig = string(o, kSignatureKey, p + kSignatureKey, false);
    if (!sig) return fail(sig.error());
    if (o.contains(kSignatureKey)) {
        auto der = decodeOtaBase64(sig->toUtf8(), kMaxSignatureBytes);
        if (!der)
            return fail(at(p + kSignatureKey, QStringLiteral("not base64 (%1)").arg(der.error().toString())));
        f.signature = *der;
    }
    auto type = integer(o, QStringLiteral("fileType"), p + QStringLiteral("fileType"), false, 0, 0xFFFFFFFFll);
    if (!type) return fail(type.error());
    f.fileType = *type;
    return f;
}

Result<OtaJobDocument> parseExecution(const QJsonObject& execution)
{
    OtaJobDocument doc;
    auto jobId = string(execution, QStringLiteral("jobId"), QStringLiteral("execution.jobId"), true);
    if (!jobId) return fail(jobId.error());
    if (auto ok = validateJobId(*jobId); !ok)
        return fail(at(QStringLiteral("execution.jobId"), ok.error().message));
    doc.jobId = *jobId;

    if (execution.contains(QStringLiteral("statusDetails"))) {
        auto details = object(execution, QStringLiteral("statusDetails"), QStringLiteral("execution.statusDetails"));
        if (!details) return fail(details.error());
        doc.statusDetails = *details;
    }

    auto jobDocument = object(execution, QStringLiteral("jobDocument"), QStringLiteral("execution.jobDocument"));
    if (!jobDocument) return fail(jobDocument.error());
    const QString base = QStringLiteral("execution.jobDocument.afr_ota");
    auto ota = object(*jobDocument, QStringLiteral("afr_ota"), base);
    if (!ota) return fail(ota.error());

    const QString protocolsPath = base + QStringLiteral(".protocols");
    auto protocols = array(*ota, QStringLiteral("protocols"), protocolsPath, QStringLiteral("strings"));
    if (!protocols) return fail(protocols.error());
    const QJsonArray& list = *protocols;
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (!list[i].isString())
            return fail(at(protocolsPath + QStringLiteral("[%1]").arg(i),
                           QStringLiteral("is %1 (expected a string)").arg(jsonTypeName(list[i]))));
        doc.protocols << list[i].toString();
    }
    if (!doc.protocols.contains(QStringLiteral("MQTT")))
        return fail(at(protocolsPath, QStringLiteral("[%1] does not include \"MQTT\" (the only protocol this agent downloads with)")
                                          .arg(doc.protocols.join(u','))));

    // Optional for HTTP jobs in the library; MQTT needs it.
    auto stream = string(*ota, QStringLiteral("streamname"), base + QStringLiteral(".streamname"), true);
    if (!stream) return fail(stream.error());
    if (auto ok = validateStreamName(*stream); !ok)
        return fail(at(base + QStringLiteral(".streamname"), ok.error().message));
    doc.streamName = *stream;

    const QString filesPath = base + QStringLiteral(".files");
    auto files = array(*ota, QStringLiteral("files"), filesPath, QStringLiteral("objects"));
    if (!files) return fail(files.error());
    const QJsonArray& fileList = *files;
    if (fileList.isEmpty())
        return fail(at(filesPath, QStringLiteral("empty (expected at least one file)")));
    for (qsizetype i = 0; i < fileList.size(); ++i) {
        auto f = parseFile(fileList[i], filesPath + QStringLiteral("[%1]").arg(i));
        if (!f) return fail(f.error());
        doc.files.push_back(*f);
    }
    return doc;
}

QString quoted(const QString& s)
{
    // A one-element array's compact form is ["…"]: strip the brackets to get the JSON string.
    const QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(a.mid(1, a.size() - 2));
}

QString compactObject(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// The document's top-level object: "not JSON: …" at the parser's byte offset, or "top level
// is not a JSON object" at offset 0.
Result<QJsonObject> topLevelObject(const QByteArray& json)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(Error::at(error.offset, {}, QStringLiteral("not JSON: %1").arg(error.errorString())));
    if (!document.isObject())
        return fail(Error::at(0, {}, QStringLiteral("top level is not a JSON object")));
    return document.object();
}

} // namespace

Result<std::optional<OtaJobDocument>> parseJobNotification(const QByteArray& json)
{
    auto parsed = topLevelObject(json);
    if (!parsed)
        return fail(parsed.error());
    const QJsonObject& root = *parsed;
    if (!root.contains(QStringLiteral("execution")))
        return std::optional<OtaJobDocument>();
    auto execution = object(root, QStringLiteral("execution"), QStringLiteral("execution"));
    if (!execution)
        return fail(execution.error());
    auto doc = parseExecution(*execution);
    if (!doc)
        return fail(doc.error());
    return std::optional<OtaJobDocument>(std::move(*doc));
}

QJsonObject encodeAfrOtaDocument(const OtaJobDocument& doc)
{
    QJsonArray files;
    for (const OtaFileInfo& f : doc.files) {
        QJsonObject o{
            {QStringLiteral("filepath"), f.filePath},
            {QStringLiteral("filesize"), qint64(f.fileSize)},
            {QStringLiteral("fileid"), qint64(f.fileId)},
            {QStringLiteral("certfile"), f.certFile},
        };
        if (!f.signature.isEmpty())
            o.insert(kSignatureKey, QString::fromLatin1(encodeOtaBase64(f.signature)));
        if (f.fileType)
            o.insert(QStringLiteral("fileType"), qint64(*f.fileType));
        files.append(o);
    }
    const QJsonObject afrOta{
        {QStringLiteral("protocols"), QJsonArray::fromStringList(doc.protocols)},
        {QStringLiteral("streamname"), doc.streamName},
        {QStringLiteral("files"), files},
    };
    return QJsonObject{{QStringLiteral("afr_ota"), afrOta}};
}

QByteArray encodeJobNotification(const OtaJobDocument& doc, qint64 timestamp, int executionNumber)
{
    QJsonObject execution{
        {QStringLiteral("jobId"), doc.jobId},
        {QStringLiteral("status"), QStringLiteral("QUEUED")},
        {QStringLiteral("queuedAt"), timestamp},
        {QStringLiteral("lastUpdatedAt"), timestamp},
        {QStringLiteral("versionNumber"), 1},
        {QStringLiteral("executionNumber"), executionNumber},
        {QStringLiteral("jobDocument"), encodeAfrOtaDocument(doc)},
    };
    if (!doc.statusDetails.isEmpty())
        execution.insert(QStringLiteral("statusDetails"), doc.statusDetails);
    const QJsonObject root{{QStringLiteral("timestamp"), timestamp}, {QStringLiteral("execution"), execution}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QByteArray encodeJobUpdate(const QString& status, const QJsonObject& statusDetails, const QString& clientToken)
{
    // Key order as the library's string builder: status, statusDetails (its keys sorted,
    // which matches every update the library writes), then our optional clientToken.
    QString out = QStringLiteral("{\"status\":") + quoted(status) + QStringLiteral(",\"statusDetails\":")
                + compactObject(statusDetails);
    if (!clientToken.isEmpty())
        out += QStringLiteral(",\"clientToken\":") + quoted(clientToken);
    out += QLatin1Char('}');
    return out.toUtf8();
}

Result<JobUpdate> parseJobUpdate(const QByteArray& json)
{
    auto parsed = topLevelObject(json);
    if (!parsed)
        return fail(parsed.error());
    const QJsonObject& root = *parsed;
    JobUpdate update;
    auto status = string(root, QStringLiteral("status"), QStringLiteral("status"), true);
    if (!status) return fail(status.error());
    static const QStringList kStates{QStringLiteral("QUEUED"), QStringLiteral("IN_PROGRESS"), QStringLiteral("SUCCEEDED"),
                                     QStringLiteral("FAILED"), QStringLiteral("TIMED_OUT"), QStringLiteral("REJECTED"),
                                     QStringLiteral("REMOVED"), QStringLiteral("CANCELED")};
    if (!kStates.contains(*status))
        return fail(at(QStringLiteral("status"), QStringLiteral("\"%1\" is not a job execution status (expected one of %2)")
                                                     .arg(*status, kStates.join(u", "))));
    update.status = *status;
    if (root.contains(QStringLiteral("statusDetails"))) {
        auto details = object(root, QStringLiteral("statusDetails"), QStringLiteral("statusDetails"));
        if (!details) return fail(details.error());
        for (auto it = details->begin(); it != details->end(); ++it)
            if (!it.value().isString())
                return fail(at(QStringLiteral("statusDetails.") + it.key(),
                               QStringLiteral("is %1 (expected a string)").arg(jsonTypeName(it.value()))));
        update.statusDetails = *details;
    }
    auto token = string(root, QStringLiteral("clientToken"), QStringLiteral("clientToken"), false);
    if (!token) return fail(token.error());
    update.clientToken = *token;
    return update;
}

QByteArray encodeGetNextJobRequest(std::uint32_t requestCounter, const QString& thing)
{
    return QByteArray("{\"clientToken\":\"") + QByteArray::number(requestCounter) + ':' + thing.toUtf8() + "\"}";
}

} // namespace otalab::core::awsota
