// SPDX-License-Identifier: Apache-2.0
// otalab-cli jobs create: sign an image as AWS code signing does, build its afr_ota job
// document and hand both, with the rollout configuration, to a running `jobs serve`.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/jobs_options.h"
#include "app/cli/jobs_support.h"

#include "core/awsota/codesigning.h"
#include "core/awsota/jobdocument.h"
#include "core/awsota/topics.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>

namespace otalab::cli {

using hw::jobs::ControlOp;
using hw::jobs::ControlRequest;

namespace {

// execution.jobDocument of the notification the codecs build: {"afr_ota": {...}}.
Result<QJsonObject> jobDocumentJson(const core::awsota::OtaJobDocument& doc)
{
    const QByteArray notification = core::awsota::encodeJobNotification(doc, QDateTime::currentSecsSinceEpoch(), 1);
    // Round trip through the agent's parser: what we send is what a device accepts.
    auto parsed = core::awsota::parseJobNotification(notification);
    if (!parsed)
        return fail(QStringLiteral("internal: the job document does not parse: %1").arg(parsed.error().toString()));
    return QJsonDocument::fromJson(notification)
        .object()
        .value(QStringLiteral("execution"))
        .toObject()
        .value(QStringLiteral("jobDocument"))
        .toObject();
}

} // namespace

int jobsCreateCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption broker = brokerOption();
    const QCommandLineOption jobId(QStringLiteral("job-id"), QStringLiteral("The job id (1..64 of letters, digits, - _); default: the --rollout section's jobId."),
                                   QStringLiteral("ID"));
    const QCommandLineOption targets(QStringLiteral("targets"),
                                     QStringLiteral("Thing names, comma separated; rollouts notify them in this order."),
                                     QStringLiteral("THING,..."));
    const QCommandLineOption file(QStringLiteral("file"), QStringLiteral("The image to deliver."), QStringLiteral("IMAGE"));
    const QCommandLineOption key(QStringLiteral("key"),
                                 QStringLiteral("ECDSA P-256 private key (PEM) that signs the image "
                                                "(sig-sha256-ecdsa: SHA-256 of the whole file, DER)."),
                                 QStringLiteral("KEY.pem"));
    const QCommandLineOption certPath(QStringLiteral("cert-path"),
                                      QStringLiteral("The code-signing certificate's path ON THE DEVICE (afr_ota "
                                                     "certfile), e.g. /certs/ota.crt."),
                                      QStringLiteral("CERTPATH"));
    const QCommandLineOption cert(QStringLiteral("cert"),
                                  QStringLiteral("Check that --key belongs to this certificate (PEM) before sending."),
                                  QStringLiteral("CERT.pem"));
    const QCommandLineOption stream(QStringLiteral("stream"),
                                    QStringLiteral("Stream name (default: <job-id>-stream)."), QStringLiteral("NAME"));
    const QCommandLineOption filePath(QStringLiteral("file-path"),
                                      QStringLiteral("Where the device stores the file (afr_ota filepath; default: the "
                                                     "image's file name)."),
                                      QStringLiteral("PATH"));
    const QCommandLineOption fileId(QStringLiteral("file-id"), QStringLiteral("The stream's file id (default 0)."),
                                    QStringLiteral("N"));
    const QCommandLineOption rollout(QStringLiteral("rollout"),
                                     QStringLiteral("Rollout configuration: a JSON file with the scenario \"rollout\" "
                                                    "section (jobExecutionsRolloutConfig, abortConfig, timeoutConfig, "
                                                    "...) or a scenario holding one. Options below override it."),
                                     QStringLiteral("FILE.json"));
    const QCommandLineOption maxPerMinute(QStringLiteral("max-per-minute"),
                                          QStringLiteral("Notify at most N things per minute (1..1000)."),
                                          QStringLiteral("N"));
    const QCommandLineOption exponential(QStringLiteral("exponential"),
                                         QStringLiteral("Exponential rate: base per minute (1..1000), increment factor "
                                                        "(1.1..5), then succeeded:N or notified:N things per step."),
                                         QStringLiteral("BASE,FACTOR,succeeded:N"));
    const QCommandLineOption abort(QStringLiteral("abort"),
                                   QStringLiteral("Abort criterion TYPE:PERCENT:MIN (TYPE FAILED, REJECTED, TIMED_OUT or "
                                                  "ALL): cancel the job when PERCENT of at least MIN executed things "
                                                  "ended so. Repeatable."),
                                   QStringLiteral("TYPE:PCT:MIN"));
    const QCommandLineOption timeout(QStringLiteral("timeout-minutes"),
                                     QStringLiteral("In-progress timeout (1..10080): an execution not finished this "
                                                    "long after it started becomes TIMED_OUT."),
                                     QStringLiteral("N"));
    const QCommandLineOption wait(QStringLiteral("wait"),
                                  QStringLiteral("Seconds to wait for the service's answer (default 10)."),
                                  QStringLiteral("S"));
    parser.addOptions({broker, jobId, targets, file, key, certPath, cert, stream, filePath, fileId, rollout, maxPerMinute,
                       exponential, abort, timeout, wait});
    if (auto stop = parseCommand(
            parser, args, io,
            QStringLiteral("Create an AWS IoT Jobs-style OTA job on a running `otalab-cli jobs serve`: the image is "
                           "signed here (ECDSA P-256 over SHA-256, as AWS code signing for FreeRTOS), its afr_ota job "
                           "document built, and both sent to the service with the rollout configuration. The service "
                           "streams the image over MQTT to each target thing as the rollout releases it.\n\n"
                           "Example:\n"
                           "  otalab-cli jobs create --broker mqtt://127.0.0.1:1883 --job-id fw-2 --targets "
                           "dev1,dev2,dev3 \\\n"
                           "      --file app.bin --key signer.key --cert-path /certs/signer.crt --max-per-minute 1 "
                           "--abort FAILED:50:2")))
        return *stop;
    auto options = brokerArgument(parser, broker, io);
    if (!options)
        return options.error();
    for (const QCommandLineOption* required : {&targets, &file, &key, &certPath})
        if (!parser.isSet(*required))
            return reportError(io, QStringLiteral("--%1 is required (see --help)").arg(required->names().constFirst()),
                               ExitUsage);
    // --rollout FILE is read first: its section's "jobId" is the job id when --job-id is not given.
    std::optional<QJsonObject> rolloutFile;
    if (parser.isSet(rollout)) {
        auto section = readRolloutFile(parser.value(rollout));
        if (!section)
            return reportError(io, QStringLiteral("--rollout: %1").arg(section.error().message), ExitIo);
        rolloutFile = *section;
    }
    ControlRequest request;
    request.op = ControlOp::Create;
    if (parser.isSet(jobId))
        request.jobId = parser.value(jobId).trimmed();
    else if (rolloutFile && rolloutFile->value(QStringLiteral("jobId")).isString())
        request.jobId = rolloutFile->value(QStringLiteral("jobId")).toString();
    else
        return reportError(io, QStringLiteral("--job-id is required (or a --rollout file whose section names a \"jobId\"; see --help)"),
                           ExitUsage);
    if (auto ok = core::awsota::validateJobId(request.jobId); !ok)
        return reportError(io, QStringLiteral("--job-id: %1").arg(ok.error().message), ExitUsage);
    for (const QString& t : parser.value(targets).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString thing = t.trimmed();
        if (auto ok = core::awsota::validateThingName(thing); !ok)
            return reportError(io, QStringLiteral("--targets: %1").arg(ok.error().message), ExitUsage);
        if (request.targets.contains(thing))
            return reportError(io, QStringLiteral("--targets: %1 is listed twice").arg(thing), ExitUsage);
        request.targets << thing;
    }
    if (request.targets.isEmpty())
        return reportError(io, QStringLiteral("--targets: give at least one thing name"), ExitUsage);
    request.streamName = parser.isSet(stream) ? parser.value(stream).trimmed() : request.jobId + QStringLiteral("-stream");
    if (auto ok = core::awsota::validateStreamName(request.streamName); !ok)
        return reportError(io, QStringLiteral("--stream: %1").arg(ok.error().message), ExitUsage);
    if (parser.isSet(fileId)) {
        auto id = parseUnsigned(parser.value(fileId), QStringLiteral("file-id"), 255);
        if (!id)
            return reportError(io, id.error().message, ExitUsage);
        request.fileId = int(*id);
    }
    int waitMs = 10000;
    if (parser.isSet(wait)) {
        auto seconds = parseUnsigned(parser.value(wait), QStringLiteral("wait"), 3600);
        if (!seconds || *seconds == 0)
            return reportError(io, seconds ? QStringLiteral("--wait: give at least 1 second") : seconds.error().message,
                               ExitUsage);
        waitMs = int(*seconds * 1000);
    }

    JobsRolloutOptions rolloutOptions;
    rolloutOptions.file = rolloutFile;
    if (parser.isSet(maxPerMinute))
        rolloutOptions.maxPerMinute = parser.value(maxPerMinute);
    if (parser.isSet(exponential))
        rolloutOptions.exponential = parser.value(exponential);
    rolloutOptions.abort = parser.values(abort);
    if (parser.isSet(timeout))
        rolloutOptions.timeoutMinutes = parser.value(timeout);
    auto section = rolloutSectionFromOptions(rolloutOptions);
    if (!section)
        return reportError(io, section.error().message, ExitUsage);
    if (auto ok = checkRolloutSection(*section); !ok)
        return reportError(io, ok.error().toString(), ExitUsage);
    request.rollout = *section;

    auto image = readFile(parser.value(file));
    if (!image)
        return reportError(io, image.error().message, ExitIo);
    if (image->isEmpty())
        return reportError(io, QStringLiteral("--file: %1 is empty").arg(parser.value(file)), ExitInvalid);
    auto keyPem = readFile(parser.value(key));
    if (!keyPem)
        return reportError(io, keyPem.error().message, ExitIo);
    if (parser.isSet(cert)) {
        auto certPem = readFile(parser.value(cert));
        if (!certPem)
            return reportError(io, certPem.error().message, ExitIo);
        if (auto ok = core::awsota::checkKeyMatchesCertificate(*keyPem, *certPem); !ok)
            return reportError(io, QStringLiteral("--key does not belong to --cert: %1").arg(ok.error().message),
                               ExitInvalid);
    }
    auto signature = core::awsota::signFile(*image, *keyPem);
    if (!signature)
        return reportError(io, QStringLiteral("cannot sign with %1: %2").arg(parser.value(key), signature.error().message),
                           ExitInvalid);

    core::awsota::OtaJobDocument doc;
    doc.jobId = request.jobId;
    doc.protocols = QStringList{QStringLiteral("MQTT")};
    doc.streamName = request.streamName;
    core::awsota::OtaFileInfo info;
    info.filePath = parser.isSet(filePath) ? parser.value(filePath) : QFileInfo(parser.value(file)).fileName();
    info.fileSize = std::uint32_t(image->size());
    info.fileId = std::uint32_t(request.fileId);
    info.certFile = parser.value(certPath);
    info.signature = *signature;
    doc.files.push_back(info);
    auto document = jobDocumentJson(doc);
    if (!document)
        return reportError(io, document.error().message, ExitInvalid);
    request.document = *document;
    request.file = *image;

    auto call = callJobsService(*options, request, waitMs);
    if (!call)
        return reportError(io, call.error().message, ExitConnection);
    if (!call->response.ok)
        return reportServiceFailure(io, *call);
    io.out << "created ";
    for (const auto& job : call->response.jobs)
        printJobDetails(io.out, job);
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
