// SPDX-License-Identifier: Apache-2.0
// otalab-cli smp reset | echo | params | info | ports
#include "app/cli/smp_output.h"
#include "app/cli/smp_signals.h"
#include "app/cli/smp_subcommands.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace otalab::cli {

using core::smp::CommandOperation;

namespace {

// After the reset answer, how long before an echo can prove the board is back: Zephyr
// resets CONFIG_MCUMGR_GRP_OS_RESET_MS (250 ms) after answering.
constexpr int kResetSettleMs = 1000;
constexpr int kPollTimeoutMs = 1000;

// Echoes until the board answers or `patienceS` passed. Returns an exit code on failure.
std::optional<int> waitForBoard(SmpLink& link, CliIo& io, int patienceS)
{
    QElapsedTimer clock;
    clock.start();
    if (!link.pause(kResetSettleMs))
        return reportError(io, QStringLiteral("interrupted while waiting for the board"), ExitInterrupted);
    link.close();   // a USB serial port re-enumerates; a UDP socket is just reopened
    while (true) {
        const SmpRunResult r = link.run(CommandOperation::echo(QStringLiteral("otalab"), {kPollTimeoutMs, 0}),
                                        verboseHooks(link.options(), io));
        if (r.ok) {
            io.out << "the board answers again after " << formatSeconds(clock.elapsed() / 1000.0) << "\n";
            io.out.flush();
            return std::nullopt;
        }
        if (r.interrupted)
            return reportError(io, QStringLiteral("interrupted while waiting for the board"), ExitInterrupted);
        if (clock.elapsed() > qint64(patienceS) * 1000)
            return reportError(io,
                               QStringLiteral("the board did not answer within %1 s after the reset (%2): it may be "
                                              "stuck in the bootloader; power-cycle it and read its image state")
                                   .arg(patienceS)
                                   .arg(r.message),
                               ExitConnection);
        if (!r.connected && !link.pause(500))   // the port is not back yet
            return reportError(io, QStringLiteral("interrupted while waiting for the board"), ExitInterrupted);
    }
}

} // namespace

int smpReset(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption forceOption(QStringLiteral("force"),
                                         QStringLiteral("Reset even if the application would veto it."));
    const QCommandLineOption waitOption(QStringLiteral("wait"),
                                        QStringLiteral("Wait until the board answers again (prints how long it took)."));
    const QCommandLineOption patienceOption(QStringLiteral("patience-s"),
                                            QStringLiteral("With --wait: give up after this many seconds (default 60)."),
                                            QStringLiteral("N"));
    parser.addOptions({forceOption, waitOption, patienceOption});
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("Restart the board. MCUboot then runs: it swaps in an image "
                                                      "marked for test or confirmed, or reverts an unconfirmed one.")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("reset takes no arguments"), ExitUsage);
    int patienceS = 60;
    if (parser.isSet(patienceOption)) {
        auto value = parseUnsigned(parser.value(patienceOption), QStringLiteral("patience-s"), 3600);
        if (!value)
            return reportError(io, value.error().message, ExitUsage);
        patienceS = int(*value);
    }
    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    core::smp::RequestPolicy policy = options.policy();
    policy.retries = 0;   // a reset is never repeated
    auto operation = CommandOperation::reset(parser.isSet(forceOption), policy);
    CommandOperation* op = operation.get();
    if (auto failed = runSmpCommand(*link, std::move(operation), io))
        return *failed;
    io.out << (op->result().resetWithoutAnswer ? "the link dropped before the answer: the board is restarting\n"
                                               : "the board is restarting\n");
    io.out.flush();
    if (parser.isSet(waitOption))
        if (auto failed = waitForBoard(*link, io, patienceS))
            return *failed;
    return ExitOk;
}

int smpEcho(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("TEXT"), QStringLiteral("What the board should send back."));
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("Send TEXT to the board (os echo) and print its answer: the "
                                                      "simplest check that the link and SMP work.")))
        return *stop;
    if (parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("expected the TEXT to echo (see --help)"), ExitUsage);
    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    auto operation = CommandOperation::echo(parser.positionalArguments().join(QLatin1Char(' ')), options.policy());
    CommandOperation* op = operation.get();
    if (auto failed = runSmpCommand(*link, std::move(operation), io))
        return *failed;
    io.out << op->result().text.value_or(QString()) << "\n";
    io.out.flush();
    return ExitOk;
}

int smpParams(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("Show the board's SMP buffers (MCUmgr parameters): the largest "
                                                      "packet it takes and how many it holds at once.")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("params takes no arguments"), ExitUsage);
    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    auto operation = CommandOperation::params(options.policy());
    CommandOperation* op = operation.get();
    if (auto failed = runSmpCommand(*link, std::move(operation), io))
        return *failed;
    const auto& p = *op->result().params;
    io.out << "buffer size:  " << p.bufSize << " bytes\n"
           << "buffer count: " << p.bufCount << " (uploads keep up to " << std::max<quint32>(1, p.bufCount - 1)
           << " chunks in flight)\n";
    io.out.flush();
    return ExitOk;
}

int smpInfo(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("[FORMAT]"),
                                 QStringLiteral("uname-like letters: s kernel, n node, r release, v version, m machine, "
                                                "p processor, i platform, o OS, a all (default a)."));
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("Show the board's OS information (os info).")))
        return *stop;
    if (parser.positionalArguments().size() > 1)
        return reportError(io, QStringLiteral("expected at most one FORMAT (see --help)"), ExitUsage);
    const QString format = parser.positionalArguments().value(0, QStringLiteral("a"));
    int code = ExitOk;
    auto link = openSmpLink(options, io, code);
    if (!link)
        return code;
    auto operation = CommandOperation::osInfo(format, options.policy());
    CommandOperation* op = operation.get();
    if (auto failed = runSmpCommand(*link, std::move(operation), io))
        return *failed;
    io.out << op->result().text.value_or(QString()) << "\n";
    io.out.flush();
    return ExitOk;
}

int smpPorts(const QStringList& args, SmpOptions options, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption schemeOption(QStringLiteral("scheme"),
                                          QStringLiteral("What to look for: serial (default) or ble (a scan for "
                                                         "boards advertising the SMP service)."),
                                          QStringLiteral("SCHEME"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print JSON instead of a list."));
    parser.addOptions({schemeOption, jsonOption});
    if (auto stop = parseSmpSubcommand(parser, args, options, io,
                                       QStringLiteral("List the serial ports (USB boards first, with vendor and "
                                                      "product names) or, with --scheme ble, the Bluetooth boards "
                                                      "nearby; each line starts with what to pass to --conn.")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("ports takes no arguments"), ExitUsage);
    const QString scheme = parser.value(schemeOption).isEmpty() ? QStringLiteral("serial") : parser.value(schemeOption);
    if (!QCoreApplication::instance())
        return reportError(io, QStringLiteral("internal: smp ports needs a QCoreApplication"), ExitConnection);
    auto discovery = transportRegistry().discover(scheme, nullptr);
    if (!discovery)
        return reportError(io, discovery.error().message, ExitUsage);
    QList<core::transport::Endpoint> found;
    QString failure;
    bool interrupted = false;
    QEventLoop loop;
    QObject::connect(*discovery, &core::transport::Discovery::endpointFound, &loop,
                     [&](const core::transport::Endpoint& e) { found.append(e); });
    QObject::connect(*discovery, &core::transport::Discovery::finished, &loop, &QEventLoop::quit);
    QObject::connect(*discovery, &core::transport::Discovery::failed, &loop, [&](const QString& message) {
        failure = message;
        loop.quit();
    });
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::interrupted, &loop, [&] {
        interrupted = true;
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, [&] {
        failure = QStringLiteral("the search did not end within 60 s");
        loop.quit();
    });
    loop.exec();
    if (interrupted)
        return reportError(io, QStringLiteral("interrupted"), ExitInterrupted);
    if (!failure.isEmpty())
        return reportError(io, failure, ExitConnection);
    if (parser.isSet(jsonOption)) {
        QJsonArray array;
        for (const auto& e : found)
            array.append(QJsonObject{{QStringLiteral("conn"), e.spec}, {QStringLiteral("name"), e.name},
                                     {QStringLiteral("description"), e.description}});
        io.out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("ports"), array}}).toJson());
    } else if (found.isEmpty()) {
        io.out << (scheme == QLatin1String("serial") ? "no serial ports found: plug the board in (and check its "
                                                       "USB cable carries data)\n"
                                                     : "nothing found\n");
    } else {
        int width = 0;
        for (const auto& e : found)
            width = std::max(width, int(e.spec.size()));
        for (const auto& e : found)
            io.out << e.spec.leftJustified(width + 2) << (e.description.isEmpty() ? e.name : e.description) << "\n";
    }
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
