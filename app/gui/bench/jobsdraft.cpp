// SPDX-License-Identifier: Apache-2.0
// JobDraft → the jobs service's create request (see the header).
#include "jobsdraft.h"

#include "app/hw/jobs_rollout.h"
#include "core/awsota/codesigning.h"
#include "core/awsota/jobdocument.h"
#include "core/awsota/topics.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace otalab::app {
namespace {

Error fieldError(const char* field, QString message)
{
    return Error{std::move(message), QString::fromLatin1(field), -1};
}

Result<QByteArray> readFileFor(const char* field, const QString& path, const QString& what)
{
    if (path.trimmed().isEmpty())
        return fail(fieldError(field, QStringLiteral("choose the %1 file").arg(what)));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(fieldError(field, QStringLiteral("cannot read %1: %2").arg(path, file.errorString())));
    return file.readAll();
}

} // namespace

QString jobFieldOfRolloutKey(const QString& rolloutKey)
{
    const QString last = rolloutKey.section(QLatin1Char('.'), -1);
    for (const char* f : {JobField::MaximumPerMinute, JobField::BaseRate, JobField::IncrementFactor, JobField::FailureType,
                          JobField::Threshold, JobField::MinExecuted, JobField::Timeout})
        if (last == QLatin1String(f))
            return last;
    if (last.startsWith(QLatin1String("numberOf")) || last == QLatin1String("rateIncreaseCriteria"))
        return QString::fromLatin1(JobField::Criterion);
    if (rolloutKey.contains(QLatin1String("abortConfig")))
        return QString::fromLatin1(JobField::Threshold);
    if (rolloutKey.contains(QLatin1String("exponentialRate")))
        return QString::fromLatin1(JobField::BaseRate);
    return {};
}

Result<QJsonObject> buildRolloutSection(const JobDraft& draft)
{
    QJsonObject section;
    section.insert(QStringLiteral("order"), QStringLiteral("index"));
    QJsonObject rate;
    if (draft.rate == JobDraft::Rate::MaximumPerMinute)
        rate.insert(QStringLiteral("maximumPerMinute"), draft.maximumPerMinute);
    if (draft.rate == JobDraft::Rate::Exponential) {
        const QString criterionKey = draft.criterion == JobDraft::Criterion::Succeeded
                                         ? QStringLiteral("numberOfSucceededThings")
                                         : QStringLiteral("numberOfNotifiedThings");
        rate.insert(QStringLiteral("exponentialRate"),
                    QJsonObject{{QStringLiteral("baseRatePerMinute"), draft.baseRatePerMinute},
                                {QStringLiteral("incrementFactor"), draft.incrementFactor},
                                {QStringLiteral("rateIncreaseCriteria"), QJsonObject{{criterionKey, draft.criterionCount}}}});
    }
    if (!rate.isEmpty())
        section.insert(QStringLiteral("jobExecutionsRolloutConfig"), rate);
    if (draft.abortEnabled) {
        const QJsonObject criterion{{QStringLiteral("failureType"), draft.failureType},
                                    {QStringLiteral("action"), QStringLiteral("CANCEL")},
                                    {QStringLiteral("thresholdPercentage"), draft.thresholdPercentage},
                                    {QStringLiteral("minNumberOfExecutedThings"), draft.minNumberOfExecutedThings}};
        section.insert(QStringLiteral("abortConfig"), QJsonObject{{QStringLiteral("criteriaList"), QJsonArray{criterion}}});
    }
    if (draft.inProgressTimeoutMinutes > 0)
        section.insert(QStringLiteral("timeoutConfig"),
                       QJsonObject{{QStringLiteral("inProgressTimeoutInMinutes"), draft.inProgressTimeoutMinutes}});

    // The service's own reader and validate(): same ranges, same words.
    const QStringList targets = draft.targets.isEmpty() ? QStringList{QStringLiteral("thing")} : draft.targets;
    const QString jobId = draft.jobId.isEmpty() ? QStringLiteral("job") : draft.jobId;
    auto config = hw::jobs::rolloutPolicyFromSection(section, jobId, targets);
    if (!config) {
        Error e = config.error();
        const QString where = e.field;
        e.field = jobFieldOfRolloutKey(where);
        if (e.field.isEmpty() && !where.isEmpty())
            e.message = where + QStringLiteral(": ") + e.message;
        return fail(e);
    }
    return section;
}

Result<hw::jobs::ControlRequest> buildCreateRequest(const JobDraft& draft)
{
    hw::jobs::ControlRequest request;
    request.op = hw::jobs::ControlOp::Create;
    request.clientToken = hw::jobs::newClientToken();
    request.jobId = draft.jobId.trimmed();
    if (auto ok = core::awsota::validateJobId(request.jobId); !ok)
        return fail(fieldError(JobField::JobId, ok.error().message));
    for (const QString& t : draft.targets) {
        const QString thing = t.trimmed();
        if (thing.isEmpty())
            continue;
        if (auto ok = core::awsota::validateThingName(thing); !ok)
            return fail(fieldError(JobField::Targets, ok.error().message));
        if (request.targets.contains(thing))
            return fail(fieldError(JobField::Targets, QStringLiteral("%1 is listed twice").arg(thing)));
        request.targets << thing;
    }
    if (request.targets.isEmpty())
        return fail(fieldError(JobField::Targets, QStringLiteral("give at least one thing name")));
    JobDraft checked = draft;
    checked.jobId = request.jobId;
    checked.targets = request.targets;
    auto section = buildRolloutSection(checked);
    if (!section)
        return fail(section.error());
    request.rollout = *section;

    auto image = readFileFor(JobField::Image, draft.imagePath, QStringLiteral("image"));
    if (!image)
        return fail(image.error());
    if (image->isEmpty())
        return fail(fieldError(JobField::Image, QStringLiteral("%1 is empty").arg(draft.imagePath)));
    auto key = readFileFor(JobField::Key, draft.keyPath, QStringLiteral("signing key"));
    if (!key)
        return fail(key.error());
    auto certificate = readFileFor(JobField::Certificate, draft.certificatePath, QStringLiteral("certificate"));
    if (!certificate)
        return fail(certificate.error());
    if (auto ok = core::awsota::checkKeyMatchesCertificate(*key, *certificate); !ok)
        return fail(fieldError(JobField::Key, QStringLiteral("this key does not belong to the certificate: %1")
                                                  .arg(ok.error().message)));
    auto signature = core::awsota::signFile(*image, *key);
    if (!signature)
        return fail(fieldError(JobField::Key, QStringLiteral("cannot sign with this key: %1").arg(signature.error().message)));

    request.streamName = request.jobId + QStringLiteral("-stream");
    core::awsota::OtaJobDocument doc;
    doc.jobId = request.jobId;
    doc.protocols = QStringList{QStringLiteral("MQTT")};
    doc.streamName = request.streamName;
    core::awsota::OtaFileInfo info;
    info.filePath = QFileInfo(draft.imagePath).fileName();
    info.fileSize = std::uint32_t(image->size());
    info.fileId = 0;
    info.certFile = QFileInfo(draft.certificatePath).absoluteFilePath();
    info.signature = *signature;
    doc.files.push_back(info);
    // execution.jobDocument of the notification the codecs build ({"afr_ota": {...}}),
    // read back by the agent's parser: what is sent is what a device accepts.
    const QByteArray notification = core::awsota::encodeJobNotification(doc, QDateTime::currentSecsSinceEpoch(), 1);
    if (auto parsed = core::awsota::parseJobNotification(notification); !parsed)
        return fail(fieldError(JobField::Image, QStringLiteral("the job document does not parse: %1").arg(parsed.error().toString())));
    request.document = QJsonDocument::fromJson(notification)
                           .object()
                           .value(QStringLiteral("execution"))
                           .toObject()
                           .value(QStringLiteral("jobDocument"))
                           .toObject();
    request.file = *image;
    return request;
}

} // namespace otalab::app
