// SPDX-License-Identifier: Apache-2.0
// otalab-cli smp upgrade FILE --mode test|confirm|test-and-confirm [--patience-s N] [--force]
#include "app/cli/smp_output.h"
#include "app/cli/smp_subcommands.h"

#include "core/smp/client_upgrade.h"
#include "core/smp/image_send_check.h"

#include <QElapsedTimer>
#include <QFileInfo>

namespace otalab::cli {

using core::smp::UpgradeMode;
using core::smp::UpgradeOperation;
using core::smp::UpgradeOptions;

namespace {

Result<UpgradeMode> parseMode(const QString& text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("test") || t == QLatin1String("test-only"))
        return UpgradeMode::TestOnly;
    if (t == QLatin1String("confirm") || t == QLatin1String("confirm-only"))
        return UpgradeMode::ConfirmOnly;
    if (t == QLatin1String("test-and-confirm"))
        return UpgradeMode::TestAndConfirm;
    return fail(QStringLiteral("--mode: '%1' is not one of test, confirm, test-and-confirm").arg(text));
}

} // namespace

int smpUpgrade(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The signed MCUboot image."));
    const QCommandLineOption modeOption(
        QStringLiteral("mode"),
        QStringLiteral("test: run the new image once (MCUboot reverts at the next reset unless confirmed); "
                       "confirm: make it permanent without a test boot; test-and-confirm: test boot, check it "
                       "runs, then confirm."),
        QStringLiteral("MODE"));
    const QCommandLineOption patienceOption(QStringLiteral("patience-s"),
                                            QStringLiteral("How long the board may take to come back after the reset "
                                                           "(default 60)."),
                                            QStringLiteral("N"));
    const QCommandLineOption imageOption(QStringLiteral("image"),
                                         QStringLiteral("Image number on multi-image boards (default 0)."),
                                         QStringLiteral("N"));
    const QCommandLineOption upgradeOption(QStringLiteral("upgrade"),
                                           QStringLiteral("Let the board refuse an image that is not newer than the "
                                                          "running one."));
    const QCommandLineOption forceOption(QStringLiteral("force"), forceHelp());
    parser.addOptions({modeOption, patienceOption, imageOption, upgradeOption, forceOption});
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("The whole MCUboot update on one board: read the slots, upload "
                                                      "(skipped when the board already holds the image; resumes an "
                                                      "interrupted upload), mark, reset, wait for the board, check "
                                                      "the new image runs, confirm. The image is checked first as "
                                                      "`image inspect` checks it; one it calls INVALID is not sent "
                                                      "(exit 1) unless --force. Phases are printed as they start; "
                                                      "a board that comes back on the old image is reported as a "
                                                      "rollback (exit 1).")))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected one FILE (see --help)"), ExitUsage);
    if (!parser.isSet(modeOption))
        return reportError(io, QStringLiteral("--mode is required: test, confirm or test-and-confirm"), ExitUsage);
    auto mode = parseMode(parser.value(modeOption));
    if (!mode)
        return reportError(io, mode.error().message, ExitUsage);
    UpgradeOptions upgrade;
    upgrade.mode = *mode;
    if (parser.isSet(patienceOption)) {
        auto value = parseUnsigned(parser.value(patienceOption), QStringLiteral("patience-s"), 3600);
        if (!value || *value == 0)
            return reportError(io, value ? QStringLiteral("--patience-s must be at least 1") : value.error().message,
                               ExitUsage);
        upgrade.bootPatienceMs = std::int64_t(*value) * 1000;
    }
    int image = 0;
    if (parser.isSet(imageOption)) {
        auto value = parseUnsigned(parser.value(imageOption), QStringLiteral("image"), 15);
        if (!value)
            return reportError(io, value.error().message, ExitUsage);
        image = int(*value);
    }
    const QString path = parser.positionalArguments().first();
    auto file = readFile(path);
    if (!file)
        return reportError(io, file.error().message, ExitIo);
    // A file the board could not take is refused here, before connecting (exit 1).
    if (auto facts = core::smp::checkUpgradeImage(*file); !facts)
        return reportError(io, QStringLiteral("%1: %2").arg(path, facts.error().message), ExitInvalid);
    if (!parser.isSet(forceOption))
        if (auto checked = core::smp::checkImageToSend(*file); !checked)
            return reportError(io, refusedImageMessage(path, checked.error()), ExitInvalid);

    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    upgrade.upload = uploadOptionsFor(options, link->maxPacketBytes());
    upgrade.upload.image = image;
    upgrade.upload.upgrade = parser.isSet(upgradeOption);
    upgrade.commandPolicy = options.policy();
    auto operation = std::make_unique<UpgradeOperation>(*file, upgrade);
    UpgradeOperation* op = operation.get();

    io.out << "upgrade " << QFileInfo(path).fileName() << " on " << link->transport().describe() << " ("
           << core::smp::upgradeModeName(*mode) << ")\n";
    io.out.flush();
    ProgressPrinter printer(io.err, stderrIsTerminal());
    QElapsedTimer clock;
    clock.start();
    QString phase;
    const SmpRunHooks verbose = verboseHooks(options, io);
    SmpRunHooks hooks;
    hooks.deviceLog = verbose.deviceLog;
    hooks.progress = [&](const core::smp::Progress& p) {
        if (p.phase != phase) {
            phase = p.phase;
            printer.clear();
            io.out << QStringLiteral("[%1 s] ").arg(clock.elapsed() / 1000.0, 5, 'f', 1) << phase << "\n";
            io.out.flush();
        }
        if (p.phase == QLatin1String("upload"))
            printer.show(p);
    };
    // The flow's own lines (state, decisions); the packet exchange only with --verbose.
    hooks.log = [&](const QString& line) {
        const bool exchange = line.startsWith(QStringLiteral("→ ")) || line.startsWith(QStringLiteral("← "));
        if (exchange && !options.verbose)
            return;
        printer.clear();
        if (exchange)
            verbose.log(line);
        else {
            io.out << "         " << line << "\n";
            io.out.flush();
        }
    };
    const SmpRunResult result = link->run(std::move(operation), hooks);
    printer.clear();
    const auto& report = op->report();
    if (!result.ok) {
        if (report.rolledBack) {
            io.out << "rolled back: the board runs " << (report.runningVersion.isEmpty() ? QStringLiteral("?") : report.runningVersion)
                   << ", not " << report.newVersion << "\n";
            io.out.flush();
            return reportError(io, result.message, ExitInvalid);
        }
        return reportRunFailure(io, result, saysBoardRefused(result.message));
    }
    io.out << "done in " << formatSeconds(result.seconds) << ": the board runs "
           << (report.runningVersion.isEmpty() ? report.newVersion : report.runningVersion)
           << (report.confirmed ? ", confirmed" : ", not confirmed (test boot)")
           << (report.previousVersion.isEmpty() ? QString() : QStringLiteral(" (was %1)").arg(report.previousVersion))
           << (report.uploaded ? QString() : QStringLiteral("; no upload was needed")) << "\n";
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
