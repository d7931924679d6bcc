// SPDX-License-Identifier: Apache-2.0
// otalab-cli smp image list | test | confirm | erase | slots
#include "app/cli/smp_output.h"
#include "app/cli/smp_subcommands.h"

namespace otalab::cli {

using core::smp::CommandOperation;

namespace {

const QCommandLineOption& jsonOption()
{
    static const QCommandLineOption o(QStringLiteral("json"), QStringLiteral("Print JSON instead of a table."));
    return o;
}

// Prints the state a test/confirm answer carries.
void printState(CliIo& io, const CommandOperation& op)
{
    if (op.result().imageState)
        io.out << imageStateTable(*op.result().imageState);
    io.out.flush();
}

} // namespace

int smpImageList(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    parser.addOption(jsonOption());
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("List the images in the board's slots: image, slot, version, "
                                                      "hash (first 4 bytes of the SHA256 TLV; --json: all of it) and "
                                                      "flags bootable, pending, confirmed, active, permanent.")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("image list takes no arguments"), ExitUsage);
    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    auto operation = CommandOperation::imageState(options.policy());
    CommandOperation* op = operation.get();
    if (auto failed = runSmpCommand(*link, std::move(operation), io))
        return *failed;
    io.out << (parser.isSet(jsonOption()) ? imageStateJson(*op->result().imageState)
                                          : imageStateTable(*op->result().imageState));
    io.out.flush();
    return ExitOk;
}

int smpImageTest(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("HASH|FILE"),
                                 QStringLiteral("The image: its SHA256 TLV hash (or its first digits, as `image list` "
                                                "shows) or the MCUboot image file."));
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("Mark an image to run at the next reset, once: MCUboot reverts "
                                                      "to the current image at the following reset unless the new "
                                                      "one is confirmed (`image confirm`).")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected one HASH or FILE (see --help)"), ExitUsage);
    auto argument = parseImageHashArgument(parser.positionalArguments().first());
    if (!argument)
        return reportError(io, argument.error().message, ExitUsage);
    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    if (auto failed = resolveImageHash(*link, *argument, io))
        return *failed;
    auto operation = CommandOperation::imageTest(argument->hash, options.policy());
    CommandOperation* op = operation.get();
    if (auto failed = runSmpCommand(*link, std::move(operation), io))
        return *failed;
    io.out << "marked " << argument->label << " for a test boot: it runs after the next reset (`smp reset`)\n";
    printState(io, *op);
    return ExitOk;
}

int smpImageConfirm(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("[HASH|FILE]"),
                                 QStringLiteral("The image to make permanent; without it, the running image."));
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("Confirm an image: without an argument the running one (after a "
                                                      "test boot), so MCUboot keeps it; with HASH or FILE that image, "
                                                      "swapped in permanently at the next reset.")))
        return *stop;
    if (parser.positionalArguments().size() > 1)
        return reportError(io, QStringLiteral("expected at most one HASH or FILE (see --help)"), ExitUsage);
    std::optional<ImageHashArgument> argument;
    if (!parser.positionalArguments().isEmpty()) {
        auto parsed = parseImageHashArgument(parser.positionalArguments().first());
        if (!parsed)
            return reportError(io, parsed.error().message, ExitUsage);
        argument = *parsed;
    }
    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    if (argument)
        if (auto failed = resolveImageHash(*link, *argument, io))
            return *failed;
    auto operation = CommandOperation::imageConfirm(argument ? std::optional<QByteArray>(argument->hash) : std::nullopt,
                                                    options.policy());
    CommandOperation* op = operation.get();
    if (auto failed = runSmpCommand(*link, std::move(operation), io))
        return *failed;
    if (argument)
        io.out << "confirmed " << argument->label << ": it becomes permanent at the next reset\n";
    else
        io.out << "confirmed the running image\n";
    printState(io, *op);
    return ExitOk;
}

int smpImageErase(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption slotOption(QStringLiteral("slot"),
                                        QStringLiteral("Slot to erase (default: the one not running)."),
                                        QStringLiteral("N"));
    parser.addOption(slotOption);
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("Erase an image slot, by default the secondary one (the board "
                                                      "refuses to erase the running or a pending image).")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("image erase takes no arguments (use --slot N)"), ExitUsage);
    std::optional<int> slot;
    if (parser.isSet(slotOption)) {
        auto value = parseUnsigned(parser.value(slotOption), QStringLiteral("slot"), 255);
        if (!value)
            return reportError(io, value.error().message, ExitUsage);
        slot = int(*value);
    }
    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    if (auto failed = runSmpCommand(*link, CommandOperation::imageErase(slot, options.policy()), io))
        return *failed;
    io.out << (slot ? QStringLiteral("erased slot %1\n").arg(*slot) : QStringLiteral("erased the secondary slot\n"));
    io.out.flush();
    return ExitOk;
}

int smpImageSlots(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    parser.addOption(jsonOption());
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("Show the board's image slots and their sizes (slot info).")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("image slots takes no arguments"), ExitUsage);
    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    auto operation = CommandOperation::slotInfo(options.policy());
    CommandOperation* op = operation.get();
    if (auto failed = runSmpCommand(*link, std::move(operation), io))
        return *failed;
    const auto& slots = *op->result().slots;
    io.out << (parser.isSet(jsonOption()) ? slotInfoJson(slots) : slotInfoTable(slots));
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
