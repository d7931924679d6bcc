// SPDX-License-Identifier: Apache-2.0
// `awsota sign | verify | keygen | jobdoc`: AWS IoT / FreeRTOS OTA code signing
// (ECDSA P-256 over SHA-256 of the whole file, DER, base64 in "sig-sha256-ecdsa") and
// the afr_ota job document that carries the signature to the device.
#include "app/cli/commands.h"
#include "core/awsota/codesigning.h"
#include "core/awsota/jobdocument.h"
#include "core/awsota/otabase64.h"
#include "core/awsota/topics.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <expected>

namespace otalab::cli {
namespace {

using namespace core::awsota;

// Reads a PEM file or fails with ExitIo.
struct Loaded {
    QByteArray bytes;
    int code = ExitOk;
};

Loaded load(CliIo& io, const QString& path)
{
    auto data = readFile(path);
    if (!data)
        return {{}, reportError(io, data.error().message, ExitIo)};
    return {*data, ExitOk};
}

// An error from core/awsota/codesigning with its kind in words.
QString signingError(const Error& e)
{
    const auto kind = signatureFailureOf(e);
    return kind ? QStringLiteral("%1 (%2)").arg(e.message, signatureFailureName(*kind)) : e.toString();
}

// Signs file with key; when certPath is set, checks the pair and verifies the result.
Result<QByteArray> signChecked(const QByteArray& file, const QByteArray& keyPem, const QByteArray& certPem)
{
    if (!certPem.isEmpty())
        if (auto ok = checkKeyMatchesCertificate(keyPem, certPem); !ok)
            return fail(signingError(ok.error()));
    auto sig = signFile(file, keyPem);
    if (!sig)
        return fail(signingError(sig.error()));
    if (!certPem.isEmpty())
        if (auto ok = verifyFileSignature(file, *sig, certPem); !ok)
            return fail(signingError(ok.error()));
    return sig;
}

// Reads the --key PEM and, when given, the --cert PEM, and signs file with them
// (signChecked). A failure is reported (ExitIo: a PEM file that cannot be read,
// ExitInvalid: a key, certificate or signature problem) and the error is its exit code.
std::expected<QByteArray, int> signWithOptions(CliIo& io, const QByteArray& file, const QCommandLineParser& parser,
                                               const QCommandLineOption& key, const QCommandLineOption& cert)
{
    const Loaded keyPem = load(io, parser.value(key));
    if (keyPem.code != ExitOk)
        return std::unexpected(keyPem.code);
    Loaded certPem;
    if (parser.isSet(cert) && (certPem = load(io, parser.value(cert))).code != ExitOk)
        return std::unexpected(certPem.code);
    auto sig = signChecked(file, keyPem.bytes, certPem.bytes);
    if (!sig)
        return std::unexpected(reportError(io, sig.error().message, ExitInvalid));
    return *sig;
}

int signCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption key(QStringList{QStringLiteral("k"), QStringLiteral("key")},
                                 QStringLiteral("EC P-256 private key (PEM) to sign with."), QStringLiteral("pem"));
    const QCommandLineOption cert(QStringList{QStringLiteral("c"), QStringLiteral("cert")},
                                  QStringLiteral("Code-signing certificate (PEM): checked to hold the key's public key, "
                                                 "and the new signature verified against it."),
                                  QStringLiteral("pem"));
    const QCommandLineOption out(QStringList{QStringLiteral("o"), QStringLiteral("out")},
                                 QStringLiteral("Also write the DER signature bytes to this file."), QStringLiteral("file"));
    parser.addOptions({key, cert, out});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The firmware file to sign (the whole file)."));
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Sign a firmware file as AWS Signer does for FreeRTOS OTA: ECDSA P-256 over "
                                                "SHA-256 of the whole file, DER-encoded.\nPrints the base64 signature, the "
                                                "value of the job document's \"sig-sha256-ecdsa\".")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected exactly one FILE to sign"), ExitUsage);
    if (!parser.isSet(key))
        return reportError(io, QStringLiteral("--key is required (the P-256 private key, PEM)"), ExitUsage);
    auto file = readFile(parser.positionalArguments().first());
    if (!file)
        return reportError(io, file.error().message, ExitIo);
    auto sig = signWithOptions(io, *file, parser, key, cert);
    if (!sig)
        return sig.error();
    if (parser.isSet(out))
        if (auto w = writeFileAtomic(parser.value(out), *sig); !w)
            return reportError(io, w.error().message, ExitIo);
    io.out << encodeOtaBase64(*sig) << "\n";
    io.out.flush();
    return ExitOk;
}

int verifyCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption cert(QStringList{QStringLiteral("c"), QStringLiteral("cert")},
                                  QStringLiteral("Code-signing certificate (PEM) whose key checks the signature."),
                                  QStringLiteral("pem"));
    const QCommandLineOption sigText(QStringList{QStringLiteral("s"), QStringLiteral("signature")},
                                     QStringLiteral("The base64 signature (as in \"sig-sha256-ecdsa\")."), QStringLiteral("base64"));
    const QCommandLineOption sigFile(QStringLiteral("signature-file"),
                                     QStringLiteral("A file holding the DER signature bytes."), QStringLiteral("file"));
    parser.addOptions({cert, sigText, sigFile});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The firmware file."));
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Verify a FreeRTOS OTA code signature the way the OTA agent does before it "
                                                "reboots into a new image.\nExit 0 when valid, 1 when not (with the reason).")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected exactly one FILE to verify"), ExitUsage);
    if (!parser.isSet(cert) || parser.isSet(sigText) == parser.isSet(sigFile))
        return reportError(io, QStringLiteral("--cert and one of --signature / --signature-file are required"), ExitUsage);
    auto file = readFile(parser.positionalArguments().first());
    if (!file)
        return reportError(io, file.error().message, ExitIo);
    const Loaded certPem = load(io, parser.value(cert));
    if (certPem.code != ExitOk)
        return certPem.code;
    QByteArray der;
    if (parser.isSet(sigText)) {
        auto decoded = decodeOtaBase64(parser.value(sigText).toLatin1(), 384);
        if (!decoded)
            return reportError(io, QStringLiteral("--signature: %1").arg(decoded.error().toString()), ExitUsage);
        der = *decoded;
    } else {
        const Loaded f = load(io, parser.value(sigFile));
        if (f.code != ExitOk)
            return f.code;
        der = f.bytes;
    }
    if (auto ok = verifyFileSignature(*file, der, certPem.bytes); !ok)
        return reportError(io, QStringLiteral("signature invalid: %1").arg(signingError(ok.error())), ExitInvalid);
    io.out << "signature valid (ECDSA P-256, SHA-256 over " << file->size() << " bytes)\n";
    io.out.flush();
    return ExitOk;
}

int keygenCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption out(QStringList{QStringLiteral("o"), QStringLiteral("out")},
                                 QStringLiteral("Directory to write key.pem and cert.pem into (created if missing)."),
                                 QStringLiteral("dir"));
    const QCommandLineOption cn(QStringLiteral("cn"), QStringLiteral("Certificate common name."), QStringLiteral("name"),
                                QStringLiteral("OTA Lab test code signer"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Overwrite existing key.pem / cert.pem."));
    parser.addOptions({out, cn, force});
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Make a TEST-ONLY code-signing identity: an EC P-256 key (key.pem, "
                                                "unencrypted) and a self-signed X.509 v3 certificate (cert.pem, keyUsage "
                                                "digitalSignature, extendedKeyUsage codeSigning).\nFor real fleets, import a "
                                                "certificate into your signing service and keep the key in an HSM.")))
        return *stop;
    if (!parser.isSet(out))
        return reportError(io, QStringLiteral("--out is required (the directory for key.pem and cert.pem)"), ExitUsage);
    const QDir dir(parser.value(out));
    const QString keyPath = dir.filePath(QStringLiteral("key.pem"));
    const QString certPath = dir.filePath(QStringLiteral("cert.pem"));
    for (const QString& path : {keyPath, certPath})
        if (QFile::exists(path) && !parser.isSet(force))
            return reportError(io, QStringLiteral("%1 exists; use --force to overwrite").arg(path), ExitIo);
    if (!QDir().mkpath(dir.path()))
        return reportError(io, QStringLiteral("cannot create directory %1").arg(dir.path()), ExitIo);
    auto id = makeTestIdentity(parser.value(cn));
    if (!id)
        return reportError(io, id.error().toString(), ExitUsage);
    if (auto w = writeFileAtomic(keyPath, id->privateKeyPem); !w)
        return reportError(io, w.error().message, ExitIo);
    QFile::setPermissions(keyPath, QFile::ReadOwner | QFile::WriteOwner);
    if (auto w = writeFileAtomic(certPath, id->certificatePem); !w)
        return reportError(io, w.error().message, ExitIo);
    io.out << "wrote TEST-ONLY code-signing key " << keyPath << " and self-signed certificate " << certPath
           << " (CN=" << parser.value(cn) << ", EC P-256)\n";
    io.out.flush();
    return ExitOk;
}

int jobdocCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption file(QStringList{QStringLiteral("f"), QStringLiteral("file")},
                                  QStringLiteral("The firmware file (its size and signature go into the document)."),
                                  QStringLiteral("path"));
    const QCommandLineOption fileId(QStringLiteral("file-id"), QStringLiteral("The stream's file id, 0..255 (default 0)."),
                                    QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption stream(QStringList{QStringLiteral("s"), QStringLiteral("stream")},
                                    QStringLiteral("The MQTT stream id the device downloads from."), QStringLiteral("name"));
    const QCommandLineOption certPath(QStringLiteral("cert-path"),
                                      QStringLiteral("Path of the code-signing certificate on the device (\"certfile\")."),
                                      QStringLiteral("path"));
    const QCommandLineOption key(QStringList{QStringLiteral("k"), QStringLiteral("key")},
                                 QStringLiteral("EC P-256 private key (PEM) to sign the file with."), QStringLiteral("pem"));
    const QCommandLineOption cert(QStringList{QStringLiteral("c"), QStringLiteral("cert")},
                                  QStringLiteral("Certificate (PEM) to check the key and the signature against."),
                                  QStringLiteral("pem"));
    const QCommandLineOption devicePath(QStringLiteral("file-path"),
                                        QStringLiteral("Where the device stores the file (\"filepath\"; default: the "
                                                       "file's name)."),
                                        QStringLiteral("path"));
    const QCommandLineOption fileType(QStringLiteral("file-type"), QStringLiteral("Optional \"fileType\" (0..4294967295)."),
                                      QStringLiteral("n"));
    const QCommandLineOption notification(QStringLiteral("notification"),
                                          QStringLiteral("Print the whole notify-next body for this job id instead "
                                                         "of the bare job document."),
                                          QStringLiteral("job-id"));
    parser.addOptions({file, fileId, stream, certPath, key, cert, devicePath, fileType, notification});
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Print a complete afr_ota job document (JSON) for an MQTT OTA job: "
                                                "protocols [\"MQTT\"], streamname, and the file with its size, id,\n"
                                                "certificate path and base64 \"sig-sha256-ecdsa\". The output is what "
                                                "`jobs create` and AWS CreateJob take as the job document.")))
        return *stop;
    for (const auto* required : {&file, &stream, &certPath, &key})
        if (!parser.isSet(*required))
            return reportError(io, QStringLiteral("--%1 is required").arg(required->names().constLast()), ExitUsage);
    auto id = parseUnsigned(parser.value(fileId), QStringLiteral("--file-id"), 255);
    if (!id)
        return reportError(io, id.error().message, ExitUsage);
    if (auto ok = validateStreamName(parser.value(stream)); !ok)
        return reportError(io, QStringLiteral("--stream: %1").arg(ok.error().toString()), ExitUsage);
    std::optional<std::uint32_t> type;
    if (parser.isSet(fileType)) {
        auto t = parseUnsigned(parser.value(fileType), QStringLiteral("--file-type"), 0xFFFFFFFFu);
        if (!t)
            return reportError(io, t.error().message, ExitUsage);
        type = std::uint32_t(*t);
    }
    if (parser.isSet(notification))
        if (auto ok = validateJobId(parser.value(notification)); !ok)
            return reportError(io, QStringLiteral("--notification: %1").arg(ok.error().toString()), ExitUsage);
    auto firmware = readFile(parser.value(file));
    if (!firmware)
        return reportError(io, firmware.error().message, ExitIo);
    if (firmware->isEmpty() || quint64(firmware->size()) > 0xFFFFFFFFull)
        return reportError(io, QStringLiteral("%1: a job's file must hold 1..4294967295 bytes").arg(parser.value(file)), ExitInvalid);
    auto sig = signWithOptions(io, *firmware, parser, key, cert);
    if (!sig)
        return sig.error();

    OtaJobDocument doc;
    doc.jobId = parser.value(notification);
    doc.protocols = {QStringLiteral("MQTT")};
    doc.streamName = parser.value(stream);
    doc.files.push_back(OtaFileInfo{
        parser.isSet(devicePath) ? parser.value(devicePath) : QFileInfo(parser.value(file)).fileName(),
        std::uint32_t(firmware->size()), std::uint32_t(*id), parser.value(certPath), *sig, type});
    if (parser.isSet(notification))
        io.out << encodeJobNotification(doc, 0, 1) << "\n";
    else
        io.out << QJsonDocument(encodeAfrOtaDocument(doc)).toJson(QJsonDocument::Indented);
    io.out.flush();
    return ExitOk;
}

} // namespace

int awsotaCommand(const QStringList& args, CliIo& io)
{
    // args[0] is "otalab-cli awsota <sub>": dispatch on the last word of the name.
    const QString sub = args.value(0).section(QLatin1Char(' '), -1);
    if (sub == QLatin1String("sign"))
        return signCommand(args, io);
    if (sub == QLatin1String("verify"))
        return verifyCommand(args, io);
    if (sub == QLatin1String("keygen"))
        return keygenCommand(args, io);
    if (sub == QLatin1String("jobdoc"))
        return jobdocCommand(args, io);
    return reportError(io, QStringLiteral("unknown awsota command '%1' (sign, verify, keygen, jobdoc)").arg(sub), ExitUsage);
}

} // namespace otalab::cli
