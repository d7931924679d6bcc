// SPDX-License-Identifier: Apache-2.0
// otalab-cli smp --conn SPEC [--timeout-ms N] [--retries N] [--window N] [--mtu N] [--v1]
//     image list|upload|test|confirm|erase|slots, reset, echo, params, info, upgrade
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/smp_client.h"
#include "app/cli/smp_output.h"
#include "app/cli/smp_subcommands.h"

namespace otalab::cli {

namespace {

struct Subcommand {
    QStringList path;
    SmpSubcommandFn run;
    const char* summary;
};

const std::vector<Subcommand>& subcommands()
{
    static const std::vector<Subcommand> table = {
        {{QStringLiteral("image"), QStringLiteral("list")}, smpImageList,
         "Images per slot: version, hash, bootable/pending/confirmed/active/permanent"},
        {{QStringLiteral("image"), QStringLiteral("upload")}, smpImageUpload,
         "Upload an image to the free slot (resumes an interrupted upload)"},
        {{QStringLiteral("image"), QStringLiteral("test")}, smpImageTest,
         "Mark an image (HASH or FILE) to run once at the next reset"},
        {{QStringLiteral("image"), QStringLiteral("confirm")}, smpImageConfirm,
         "Make the running image (or HASH/FILE) permanent"},
        {{QStringLiteral("image"), QStringLiteral("erase")}, smpImageErase, "Erase the secondary (or --slot N) slot"},
        {{QStringLiteral("image"), QStringLiteral("slots")}, smpImageSlots, "Slot sizes (image group slot info)"},
        {{QStringLiteral("reset")}, smpReset, "Restart the board (--wait: until it answers again)"},
        {{QStringLiteral("echo")}, smpEcho, "Send TEXT, print the board's echo"},
        {{QStringLiteral("params")}, smpParams, "The board's SMP buffer size and count"},
        {{QStringLiteral("info")}, smpInfo, "OS information (uname-like)"},
        {{QStringLiteral("ports")}, smpPorts, "Serial ports (or --scheme ble: boards nearby) to use with --conn"},
        {{QStringLiteral("upgrade")}, smpUpgrade,
         "Whole flow: upload, test, reset, check, confirm (or roll back)"},
    };
    return table;
}

QString overview(const QString& prefix)
{
    QString text = QStringLiteral("Subcommands:\n");
    for (const Subcommand& s : subcommands()) {
        const QString name = s.path.join(QLatin1Char(' '));
        if (name.startsWith(prefix))
            text += QStringLiteral("  %1 %2\n").arg(name.leftJustified(15), QString::fromUtf8(s.summary));
    }
    return text;
}

QString description()
{
    return QStringLiteral(
               "Manage a Zephyr/MCUboot board over mcumgr SMP: list, upload, test, confirm, reset.\n"
               "The connection options may come before or after the subcommand; every subcommand takes --help.\n\n"
               "Examples:\n"
               "  otalab-cli smp ports\n"
               "  otalab-cli smp --conn serial:/dev/ttyACM0 image list\n"
               "  otalab-cli smp --conn udp:192.168.1.5 image upload zephyr.signed.bin\n"
               "  otalab-cli smp --conn sim:serial,baud=115200 image list      (simulated board)\n"
               "  otalab-cli smp --conn serial:/dev/ttyACM0 upgrade zephyr.signed.bin --mode test-and-confirm\n\n")
        + overview({}) + QStringLiteral("\nExit codes: 0 ok, 1 the board refused or rolled back, 2 usage error "
                                        "(also a request too large for the link or the board), 3 file error, 4 the "
                                        "board could not be reached or stopped answering.");
}

} // namespace

int smpCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.addOptions(smpOptionList());
    parser.addPositionalArgument(QStringLiteral("subcommand"), QStringLiteral("What to do (see Subcommands above)."),
                                 QStringLiteral("<subcommand> [options]"));
    if (auto stop = parseCommand(parser, args, io, description()))
        return *stop;
    SmpOptions options;
    if (auto ok = readSmpOptions(parser, options); !ok)
        return reportError(io, ok.error().message, ExitUsage);
    const QStringList words = parser.positionalArguments();
    if (words.isEmpty()) {
        io.err << "error: which subcommand?\n" << overview({}) << "Run '" << args.value(0) << " --help' for usage.\n";
        io.err.flush();
        return ExitUsage;
    }
    const Subcommand* best = nullptr;
    for (const Subcommand& s : subcommands())
        if (words.size() >= s.path.size() && words.mid(0, s.path.size()) == s.path
            && (!best || s.path.size() > best->path.size()))
            best = &s;
    if (!best) {
        const bool group = words.first() == QLatin1String("image");
        io.err << "error: " << (group && words.size() == 1 ? QStringLiteral("which image subcommand?")
                                                            : QStringLiteral("unknown subcommand '%1'").arg(words.join(QLatin1Char(' '))))
               << "\n"
               << overview(group ? QStringLiteral("image ") : QString());
        io.err.flush();
        return ExitUsage;
    }
    QStringList subArgs{args.value(0) + QLatin1Char(' ') + best->path.join(QLatin1Char(' '))};
    subArgs += words.mid(best->path.size());
    return best->run(subArgs, options, io);
}

} // namespace otalab::cli
