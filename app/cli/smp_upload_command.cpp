// SPDX-License-Identifier: Apache-2.0
// otalab-cli smp image upload FILE [--image N] [--upgrade] [--no-resume] [--force]
#include "app/cli/smp_output.h"
#include "app/cli/smp_subcommands.h"

#include "core/mcuboot/image_parser.h"
#include "core/smp/client_upload.h"
#include "core/smp/image_send_check.h"

#include <QFileInfo>

namespace otalab::cli {

using core::smp::CommandOperation;
using core::smp::UploadOperation;
using core::smp::UploadOptions;

namespace {

// Image data bytes one mid-upload chunk carries in packets of `packetBytes`.
int chunkBytes(int packetBytes, qint64 imageSize)
{
    core::smp::UploadChunk chunk;
    chunk.offset = std::uint32_t(std::min<qint64>(imageSize, 0xffffffff) / 2);
    return core::smp::uploadChunkCapacity(packetBytes, chunk);
}

} // namespace

// Upload options from the shared connection options.
UploadOptions uploadOptionsFor(const SmpOptions& options, int maxPacketBytes)
{
    UploadOptions upload;
    upload.maxPacketBytes = maxPacketBytes;
    upload.window = options.window;
    if (options.timeoutMs) {
        upload.chunkTimeoutMs = *options.timeoutMs;
        upload.firstChunkTimeoutMs = std::max(upload.firstChunkTimeoutMs, *options.timeoutMs);
    }
    if (options.retries)
        upload.retries = *options.retries;
    upload.paramsPolicy = options.policy();
    return upload;
}

int smpImageUpload(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The signed MCUboot image (zephyr.signed.bin)."));
    const QCommandLineOption imageOption(QStringLiteral("image"),
                                         QStringLiteral("Image number on multi-image boards (default 0)."),
                                         QStringLiteral("N"));
    const QCommandLineOption upgradeOption(QStringLiteral("upgrade"),
                                           QStringLiteral("Let the board refuse an image that is not newer than the "
                                                          "running one."));
    const QCommandLineOption noResumeOption(QStringLiteral("no-resume"),
                                            QStringLiteral("Start from 0 even if the board holds part of this image "
                                                           "(erases the slot first)."));
    const QCommandLineOption forceOption(QStringLiteral("force"), forceHelp());
    parser.addOptions({imageOption, upgradeOption, noResumeOption, forceOption});
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("Upload an image into the board's free slot. The image is checked "
                                                      "first as `image inspect` checks it; one it calls INVALID is not "
                                                      "sent (exit 1) unless --force. An interrupted "
                                                      "upload (cable pulled, Ctrl-C) resumes where the board stopped "
                                                      "when the same command runs again, unless the board restarted "
                                                      "meanwhile (it keeps the upload state in RAM; then it starts "
                                                      "from 0). Progress goes to stderr, the summary to stdout.")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected one FILE to upload (see --help)"), ExitUsage);
    const QString path = parser.positionalArguments().first();
    UploadOptions upload;
    if (parser.isSet(imageOption)) {
        auto value = parseUnsigned(parser.value(imageOption), QStringLiteral("image"), 15);
        if (!value)
            return reportError(io, value.error().message, ExitUsage);
        upload.image = int(*value);
    }
    auto file = readFile(path);
    if (!file)
        return reportError(io, file.error().message, ExitIo);
    if (file->isEmpty())
        return reportError(io, QStringLiteral("%1 is empty: nothing to upload").arg(path), ExitInvalid);
    // An image MCUboot would refuse is refused here, before connecting (exit 1).
    if (!parser.isSet(forceOption))
        if (auto checked = core::smp::checkImageToSend(*file); !checked)
            return reportError(io, refusedImageMessage(path, checked.error()), ExitInvalid);

    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    const SmpRunHooks verbose = verboseHooks(options, io);

    if (parser.isSet(noResumeOption)) {
        if (auto failed = runSmpCommand(*link, CommandOperation::imageErase(std::nullopt, options.policy()), io))
            return *failed;
        io.out << "--no-resume: erased the secondary slot, the upload starts from 0\n";
        io.out.flush();
    }

    const int image = upload.image;
    upload = uploadOptionsFor(options, link->maxPacketBytes());
    upload.image = image;
    upload.upgrade = parser.isSet(upgradeOption);
    auto operation = std::make_unique<UploadOperation>(*file, upload);
    UploadOperation* op = operation.get();

    ProgressPrinter printer(io.err, stderrIsTerminal());
    std::optional<qint64> firstAnswer;   // the board's offset after the first chunk
    bool linkDown = false;
    bool awaitingContinue = false;       // the link came back: the next answer says where
    QList<qint64> continuedAt;           // after each link drop
    SmpRunHooks hooks = verbose;
    hooks.progress = [&](const core::smp::Progress& p) {
        if (!firstAnswer && p.done > 0)
            firstAnswer = p.done;
        if (awaitingContinue && p.done > 0) {
            awaitingContinue = false;
            continuedAt.append(p.done);
            printer.clear();
            io.err << "the board holds " << p.done << " bytes: continuing from there\n";
            io.err.flush();
        }
        printer.show(p);
    };
    hooks.linkChanged = [&](bool up) {
        if (!up) {
            linkDown = true;
            printer.clear();
            io.err << "lost the link at " << op->acknowledged() << " of " << file->size()
                   << " bytes; waiting for it to come back (Ctrl-C stops; the same command resumes later unless "
                      "the board restarts)\n";
            io.err.flush();
        } else if (linkDown) {
            linkDown = false;
            awaitingContinue = true;
        }
    };
    if (verbose.log)
        hooks.log = [&printer, log = verbose.log](const QString& line) {
            printer.clear();
            log(line);
        };
    const SmpRunResult result = link->run(std::move(operation), hooks);
    printer.clear();

    const qint64 total = file->size();
    if (!result.ok) {
        if (result.connected && op->acknowledged() > 0 && op->acknowledged() < total)
            io.err << "the board acknowledged " << op->acknowledged() << " of " << total
                   << " bytes: the same command resumes from there if the board has not restarted (a restart "
                      "clears its upload state: it starts again from 0)\n";
        return reportRunFailure(io, result, saysBoardRefused(result.message));
    }

    // The board answered the first chunk with more than that chunk: it kept an earlier
    // upload of this file (same "sha") and this run resumed there.
    core::smp::UploadChunk firstChunk;
    firstChunk.totalLength = std::uint32_t(total);
    firstChunk.sha = op->sha();
    if (upload.image != 0)
        firstChunk.image = upload.image;
    firstChunk.upgrade = upload.upgrade;
    const qint64 firstChunkBytes = core::smp::uploadChunkCapacity(op->maxPacketBytes(), firstChunk);
    const qint64 resumedAt = firstAnswer && *firstAnswer > firstChunkBytes ? *firstAnswer : 0;
    const qint64 sentImageBytes = total - resumedAt;
    io.out << "uploaded " << QFileInfo(path).fileName() << ": " << total << " bytes (" << formatBytes(total) << ") in "
           << formatSeconds(result.seconds) << ", "
           << formatRate(result.seconds > 0 ? double(sentImageBytes) / result.seconds : 0) << "\n";
    if (resumedAt == total)
        io.out << "  the board already held this image: nothing to send\n";
    else if (resumedAt > 0)
        io.out << "  resumed at " << resumedAt << " bytes (the board kept them): " << sentImageBytes
               << " bytes sent this time\n";
    if (!continuedAt.isEmpty()) {
        QStringList at;
        for (qint64 offset : continuedAt)
            at << QString::number(offset);
        io.out << "  the link dropped " << continuedAt.size() << (continuedAt.size() == 1 ? " time" : " times")
               << "; the upload continued where the board stopped (at " << at.join(QStringLiteral(", "))
               << " bytes)\n";
    }
    io.out << "  chunks of up to " << chunkBytes(op->maxPacketBytes(), total) << " bytes in packets of up to "
           << op->maxPacketBytes() << " bytes, window " << op->window() << "; " << op->stats().chunksSent
           << " chunks sent, " << op->stats().chunksResent << " resent\n";
    io.out << "  wire: " << result.wireSent << " bytes sent, " << result.wireReceived << " received; "
           << QString::number(result.wireSent > 0 ? double(sentImageBytes) / double(result.wireSent) : 0, 'f', 3)
           << " image bytes per wire byte\n";
    if (auto parsed = core::mcuboot::parseImage(*file); parsed) {
        if (const auto* sha = parsed->findAny(core::mcuboot::TlvSha256); sha && sha->value.size() == 32)
            io.out << "  image " << versionText(parsed->header.version) << ", hash " << shortHash(sha->value)
                   << ": `image test " << shortHash(sha->value) << "` then `reset` runs it\n";
    }
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
