// SPDX-License-Identifier: Apache-2.0
// Plumbing shared by the `otalab-cli smp` subcommands: option parsing, opening the link,
// running one-shot commands, failure reports, image hash arguments.
#include "app/cli/smp_subcommands.h"

#include "app/cli/smp_output.h"
#include "core/mcuboot/image_parser.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace otalab::cli {

using core::smp::CommandOperation;

std::optional<int> parseSmpSubcommand(QCommandLineParser& parser, const QStringList& args, SmpOptions& options,
                                      CliIo& io, const QString& description)
{
    parser.addOptions(smpOptionList());
    if (auto stop = parseCommand(parser, args, io, description))
        return stop;
    if (auto ok = readSmpOptions(parser, options); !ok)
        return reportError(io, ok.error().message, ExitUsage);
    return std::nullopt;
}

std::unique_ptr<SmpLink> openSmpLink(const SmpOptions& options, CliIo& io, int& code)
{
    auto link = SmpLink::open(options);
    if (!link) {
        const bool usage = options.conn.isEmpty() || link.error().message.startsWith(QStringLiteral("--conn"));
        code = reportError(io, link.error().message, usage ? ExitUsage : ExitConnection);
        return nullptr;
    }
    return std::move(*link);
}

SmpRunHooks verboseHooks(const SmpOptions& options, CliIo& io)
{
    SmpRunHooks hooks;
    if (!options.verbose)
        return hooks;
    hooks.log = [&io](const QString& line) {
        io.err << "  " << line << "\n";
        io.err.flush();
    };
    hooks.deviceLog = [&io](const QString& line) {
        io.err << "  board> " << line << "\n";
        io.err.flush();
    };
    return hooks;
}

QString forceHelp()
{
    return QStringLiteral("Send the image even if `image inspect` calls it INVALID (e.g. to watch the board refuse "
                          "it); by default such an image is not sent and the command exits 1.");
}

QString refusedImageMessage(const QString& path, const Error& error)
{
    return QStringLiteral("%1: %2 (`otalab-cli image inspect %1` lists every finding; --force sends it anyway)")
        .arg(path, error.message);
}

bool saysBoardRefused(const QString& message)
{
    return message.contains(QStringLiteral("refused")) || message.contains(QStringLiteral("reverted"));
}

int reportRunFailure(CliIo& io, const SmpRunResult& result, bool boardRefused)
{
    if (result.interrupted) {
        io.err << "interrupted\n";
        io.err.flush();
        return ExitInterrupted;
    }
    if (!result.connected)
        return reportError(io, QStringLiteral("cannot reach the board: %1").arg(result.message), ExitConnection);
    return reportError(io, result.message, exitCodeFor(result, boardRefused));
}

std::optional<int> runSmpCommand(SmpLink& link, std::unique_ptr<CommandOperation> operation, CliIo& io)
{
    CommandOperation* op = operation.get();
    const SmpRunResult result = link.run(std::move(operation), verboseHooks(link.options(), io));
    if (result.ok)
        return std::nullopt;
    if (op->requestTooLarge())   // refused before sending: the input does not fit, like bad usage
        return reportError(io, result.message, ExitUsage);
    return reportRunFailure(io, result, op->deviceError().has_value());
}

Result<ImageHashArgument> parseImageHashArgument(const QString& text)
{
    ImageHashArgument argument;
    const QString trimmed = text.trimmed();
    static const QRegularExpression fullHash(QStringLiteral("^[0-9a-fA-F]{64}$"));
    static const QRegularExpression prefix(QStringLiteral("^[0-9a-fA-F]{4,63}$"));
    if (QFileInfo(trimmed).isFile()) {
        auto bytes = readFile(trimmed);
        if (!bytes)
            return fail(bytes.error());
        auto image = core::mcuboot::parseImage(*bytes);
        if (!image)
            return fail(QStringLiteral("%1 is not an MCUboot image (%2)").arg(trimmed, image.error().toString()));
        const core::mcuboot::Tlv* sha = image->findAny(core::mcuboot::TlvSha256);
        if (!sha || sha->value.size() != 32)
            return fail(QStringLiteral("%1 has no SHA256 TLV, so the board cannot name it; sign it first").arg(trimmed));
        argument.hash = sha->value;
        argument.label = QStringLiteral("%1 (%2, %3)")
                             .arg(QFileInfo(trimmed).fileName(), versionText(image->header.version), shortHash(argument.hash));
        return argument;
    }
    if (fullHash.match(trimmed).hasMatch()) {
        argument.hash = QByteArray::fromHex(trimmed.toLatin1());
        argument.label = shortHash(argument.hash);
        return argument;
    }
    if (prefix.match(trimmed).hasMatch()) {
        argument.prefix = trimmed.toLower();
        argument.label = argument.prefix;
        return argument;
    }
    return fail(QStringLiteral("'%1' is neither an image file nor a hash: give the image's SHA256 TLV hash (as "
                               "`image list` shows it, at least 4 hex digits) or the image file")
                    .arg(text));
}

std::optional<int> resolveImageHash(SmpLink& link, ImageHashArgument& argument, CliIo& io)
{
    if (argument.prefix.isEmpty())
        return std::nullopt;
    auto operation = CommandOperation::imageState(link.options().policy());
    CommandOperation* op = operation.get();
    if (auto code = runSmpCommand(link, std::move(operation), io))
        return code;
    QList<QByteArray> matches;
    for (const auto& s : op->result().imageState->images)
        if (QString::fromLatin1(s.hash.toHex()).startsWith(argument.prefix) && !matches.contains(s.hash))
            matches.append(s.hash);
    if (matches.isEmpty())
        return reportError(io, QStringLiteral("no image on the board has a hash starting with %1 (see `image list`)")
                                   .arg(argument.prefix),
                           ExitInvalid);
    if (matches.size() > 1)
        return reportError(io, QStringLiteral("%1 matches %2 images on the board: give more digits")
                                   .arg(argument.prefix).arg(matches.size()),
                           ExitUsage);
    argument.hash = matches.first();
    return std::nullopt;
}

} // namespace otalab::cli
