// SPDX-License-Identifier: Apache-2.0
// otalab-cli target serve --serial PORT | --udp PORT [--bind ADDR] [--image FILE] ...
// An emulated Zephyr/MCUboot board answering SMP until SIGINT/SIGTERM.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/smp_client.h"
#include "app/cli/smp_output.h"
#include "app/cli/smp_signals.h"
#include "app/cli/target_board.h"

#include "core/crypto/pkey.h"
#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_parser.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

namespace otalab::cli {

using core::mcuboot::BootStrategy;
using core::transport::Transport;

namespace {

Result<BootStrategy> parseSwap(const QString& text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("swap") || t == QLatin1String("swap-move"))
        return BootStrategy::SwapMove;
    if (t == QLatin1String("overwrite") || t == QLatin1String("overwrite-only"))
        return BootStrategy::OverwriteOnly;
    if (t == QLatin1String("direct-xip"))
        return BootStrategy::DirectXip;
    if (t == QLatin1String("direct-xip-revert"))
        return BootStrategy::DirectXipWithRevert;
    return fail(QStringLiteral("--swap: '%1' is not one of swap, overwrite, direct-xip, direct-xip-revert").arg(text));
}

// The built-in image: version 1.0.0, a 24 KiB deterministic body, signed when a private
// key is given (the board then verifies with it).
Result<QByteArray> demoImage(const std::optional<core::crypto::PKey>& key)
{
    QByteArray body(24 * 1024, Qt::Uninitialized);
    std::uint32_t x = 0x07a1ab;
    for (qsizetype i = 0; i < body.size(); ++i) {
        x = x * 1664525u + 1013904223u;   // LCG: the same bytes on every run
        body[i] = char(x >> 24);
    }
    core::mcuboot::ImageCreateOptions options;
    options.headerSize = 0x200;
    options.padHeader = true;
    options.version = core::mcuboot::ImageVersion{1, 0, 0, 0};
    if (key)
        options.signingKey = *key;
    return core::mcuboot::createImage(body, options);
}

Result<quint64> readNumber(const QCommandLineParser& parser, const QCommandLineOption& option, quint64 min,
                           quint64 max, quint64 fallback)
{
    if (!parser.isSet(option))
        return fallback;
    auto value = parseUnsigned(parser.value(option), option.names().constFirst(), max);
    if (!value)
        return fail(value.error());
    if (*value < min)
        return fail(QStringLiteral("--%1: %2 is below the minimum %3").arg(option.names().constFirst(), parser.value(option)).arg(min));
    return *value;
}

} // namespace

int targetServeCommand(const QStringList& args, CliIo& io)
{
    if (wantsMqttTarget(args))
        return targetServeMqttCommand(args, io);   // target_mqtt_serve.cpp: the AWS/FreeRTOS OTA device
    if (wantsOcfTarget(args))
        return targetServeOcfCommand(args, io);    // target_ocf_serve.cpp: the OCF device over CoAP
    QCommandLineParser parser;
    const QCommandLineOption serialOption(QStringLiteral("serial"),
                                          QStringLiteral("Serve on this serial port or pty (e.g. one end of a socat "
                                                         "pair); options may follow: PORT,baud=115200."),
                                          QStringLiteral("PORT"));
    const QCommandLineOption udpOption(QStringLiteral("udp"),
                                       QStringLiteral("Serve SMP over UDP on this port (0: any free port; printed)."),
                                       QStringLiteral("PORT"));
    const QCommandLineOption bindOption(QStringLiteral("bind"),
                                        QStringLiteral("With --udp: the address to listen on (default * = all; "
                                                       "127.0.0.1 keeps it local)."),
                                        QStringLiteral("ADDR"));
    const QCommandLineOption imageOption(QStringLiteral("image"),
                                         QStringLiteral("MCUboot image written to the primary slot before power-on "
                                                        "(default: a built-in demo image 1.0.0)."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption slotSizeOption(QStringLiteral("slot-size"),
                                            QStringLiteral("Size of each image slot in bytes, a multiple of 4096 "
                                                           "(default 0x60000)."),
                                            QStringLiteral("BYTES"));
    const QCommandLineOption swapOption(QStringLiteral("swap"),
                                        QStringLiteral("MCUboot upgrade mode: swap (with revert, default), overwrite, "
                                                       "direct-xip, direct-xip-revert."),
                                        QStringLiteral("MODE"));
    const QCommandLineOption keyOption(QStringLiteral("key"),
                                       QStringLiteral("Verify image signatures on boot with this key (PEM, public or "
                                                      "private; a private key also signs the demo image)."),
                                       QStringLiteral("PEM"));
    const QCommandLineOption bufSizeOption(QStringLiteral("buf-size"),
                                           QStringLiteral("SMP buffer size in bytes (default 2048)."),
                                           QStringLiteral("N"));
    const QCommandLineOption bufCountOption(QStringLiteral("buf-count"),
                                            QStringLiteral("SMP buffer count (default 4)."), QStringLiteral("N"));
    const QCommandLineOption stateDirOption(QStringLiteral("state-dir"),
                                            QStringLiteral("Keep the flash in DIR (slot0.bin, slot1.bin) across "
                                                           "restarts."),
                                            QStringLiteral("DIR"));
    const QCommandLineOption bootMsOption(QStringLiteral("boot-ms"),
                                          QStringLiteral("Time from a reset until the application answers (default "
                                                         "300)."),
                                          QStringLiteral("N"));
    const QCommandLineOption flashSpeedOption(QStringLiteral("flash-kib-s"),
                                              QStringLiteral("Flash write speed: upload answers wait for their data "
                                                             "to be written (default 0 = instant)."),
                                              QStringLiteral("N"));
    const QCommandLineOption chatterOption(QStringLiteral("log-every-ms"),
                                           QStringLiteral("The application prints a log line on the console this "
                                                          "often (serial; clients must ignore it)."),
                                           QStringLiteral("N"));
    const QCommandLineOption logRequestsOption(QStringLiteral("log-requests"),
                                               QStringLiteral("The application logs each request on the console "
                                                              "before it answers, as Zephyr does with "
                                                              "CONFIG_MCUMGR_LOG_LEVEL_DBG (serial)."));
    const QCommandLineOption nameOption(QStringLiteral("name"),
                                        QStringLiteral("Node name the board reports (os info)."), QStringLiteral("NAME"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"),
                                         QStringLiteral("Print only boots and resets, not every request."));
    parser.addOptions({serialOption, udpOption, bindOption, imageOption, slotSizeOption, swapOption, keyOption,
                       bufSizeOption, bufCountOption, stateDirOption, bootMsOption, flashSpeedOption, chatterOption,
                       logRequestsOption, nameOption, quietOption});
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Run an emulated Zephyr board with MCUboot (two image slots, swap "
                                                "with revert) that answers mcumgr SMP on a serial port or UDP, so "
                                                "`otalab-cli smp` (or mcumgr) can be tried without hardware. Each "
                                                "request is printed on one line; resets run the boot model and "
                                                "print its decision. Stops on Ctrl-C.\n\n"
                                                "Example (a pseudo-terminal pair, board on one end):\n"
                                                "  socat pty,raw,echo=0,link=/tmp/board pty,raw,echo=0,link=/tmp/host &\n"
                                                "  otalab-cli target serve --serial /tmp/board\n"
                                                "  otalab-cli smp --conn serial:/tmp/host,pace_us=0 image list\n\n"
                                                "With --mqtt URL instead: an emulated AWS IoT device running the "
                                                "FreeRTOS OTA agent (see `target serve --mqtt URL --help`); with "
                                                "--ocf: an OCF device over CoAP (see `target serve --ocf --help`).")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first()),
                           ExitUsage);
    if (parser.isSet(serialOption) == parser.isSet(udpOption))
        return reportError(io, QStringLiteral("give either --serial PORT or --udp PORT"), ExitUsage);
    if (parser.isSet(bindOption) && !parser.isSet(udpOption))
        return reportError(io, QStringLiteral("--bind goes with --udp"), ExitUsage);

    TargetConfig config;
    std::optional<int> usage;   // the first bad number's exit code
    auto number = [&](const QCommandLineOption& option, quint64 min, quint64 max, quint64 fallback) {
        auto value = readNumber(parser, option, min, max, fallback);
        if (!value && !usage)
            usage = reportError(io, value.error().message, ExitUsage);
        return value ? *value : fallback;
    };
    const qint64 slotSize = qint64(number(slotSizeOption, 0x4000, 0x4000000, 0x60000));
    config.server.bufSize = std::uint32_t(number(bufSizeOption, 64, 65535, 2048));
    config.server.bufCount = std::uint32_t(number(bufCountOption, 1, 64, 4));
    config.bootMs = int(number(bootMsOption, 0, 600000, 300));
    config.flashKiBPerS = double(number(flashSpeedOption, 0, 1000000, 0));
    config.chatterMs = int(number(chatterOption, 0, 3600000, 0));
    const quint16 udpPort = quint16(number(udpOption, 0, 65535, 0));
    if (usage)
        return *usage;
    config.geometry.primarySize = config.geometry.secondarySize = slotSize;
    config.geometry.secondaryAddress = config.geometry.primaryAddress + std::uint32_t(slotSize);
    if (auto ok = config.geometry.check(); !ok)
        return reportError(io, QStringLiteral("--slot-size: %1").arg(ok.error().message), ExitUsage);
    config.quiet = parser.isSet(quietOption);
    config.logRequests = parser.isSet(logRequestsOption);
    config.stateDir = parser.value(stateDirOption);
    if (parser.isSet(nameOption))
        config.server.os.nodeName = parser.value(nameOption);
    if (parser.isSet(swapOption)) {
        auto swap = parseSwap(parser.value(swapOption));
        if (!swap)
            return reportError(io, swap.error().message, ExitUsage);
        config.boot.strategy = *swap;
    }
    std::optional<core::crypto::PKey> key;
    if (parser.isSet(keyOption)) {
        auto loaded = core::crypto::PKey::fromFile(parser.value(keyOption));
        if (!loaded)
            return reportError(io, QStringLiteral("--key: %1").arg(loaded.error().message), ExitIo);
        key = *loaded;
        config.boot.keys.push_back(*loaded);
    }

    QByteArray image;
    QString imageLabel;
    if (parser.isSet(imageOption)) {
        auto bytes = readFile(parser.value(imageOption));
        if (!bytes)
            return reportError(io, bytes.error().message, ExitIo);
        auto parsed = core::mcuboot::parseImage(*bytes);
        if (!parsed)
            return reportError(io, QStringLiteral("%1 is not an MCUboot image: %2").arg(parser.value(imageOption),
                                                                                       parsed.error().toString()),
                               ExitInvalid);
        image = *bytes;
        imageLabel = QStringLiteral("%1 (%2)").arg(parser.value(imageOption), versionText(parsed->header.version));
    } else {
        if (key && !key->hasPrivate())
            return reportError(io, QStringLiteral("--key is a public key, so the demo image cannot be signed with it: "
                                                  "pass --image with an image signed by the matching private key"),
                               ExitUsage);
        auto demo = demoImage(key);
        if (!demo)
            return reportError(io, QStringLiteral("cannot build the demo image: %1").arg(demo.error().message), ExitInvalid);
        image = *demo;
        imageLabel = QStringLiteral("the built-in demo image 1.0.0 (%1 bytes)").arg(image.size());
    }

    if (!QCoreApplication::instance())
        return reportError(io, QStringLiteral("internal: target serve needs a QCoreApplication"), ExitConnection);
    QString spec;
    if (parser.isSet(serialOption)) {
        spec = QStringLiteral("serial:") + parser.value(serialOption);
    } else {
        QString host = parser.isSet(bindOption) ? parser.value(bindOption).trimmed() : QStringLiteral("*");
        if (host.contains(QLatin1Char(':')) && !host.startsWith(QLatin1Char('[')))
            host = QLatin1Char('[') + host + QLatin1Char(']');
        spec = QStringLiteral("udp:%1:%2").arg(host).arg(udpPort);
    }
    auto created = transportRegistry().create(spec, nullptr, true);
    if (!created)
        return reportError(io, created.error().message, ExitUsage);
    std::unique_ptr<Transport> transport(*created);

    TargetBoard board(config, io.out);
    auto restored = board.restoreState();
    if (!restored)
        return reportError(io, restored.error().message, ExitIo);
    if (*restored)
        io.out << "restored the flash from " << config.stateDir << "\n";
    if (!*restored || parser.isSet(imageOption)) {
        if (auto ok = board.program(image); !ok)
            return reportError(io, ok.error().message, ExitInvalid);
        io.out << "flashed " << imageLabel << " into the primary slot\n";
    }
    io.out << "board: " << core::mcuboot::bootStrategyName(config.boot.strategy) << ", 2 slots of " << slotSize
           << " bytes, SMP buffers " << config.server.bufCount << " x " << config.server.bufSize << " bytes"
           << (config.boot.keys.empty() ? QString() : QStringLiteral(", signatures checked")) << "\n";
    io.out.flush();
    board.attach(transport.get());

    QEventLoop loop;
    int exitCode = ExitOk;
    bool everOpen = false;
    bool reopening = false;   // failed reopen attempts are expected, not news
    QTimer reopen;
    reopen.setSingleShot(true);
    QObject::connect(&reopen, &QTimer::timeout, &loop, [&] { transport->open(); });
    QObject::connect(transport.get(), &Transport::errorOccurred, &loop, [&](const QString& message) {
        if (reopening)
            return;
        io.err << "target: " << message << "\n";
        io.err.flush();
    });
    QObject::connect(transport.get(), &Transport::stateChanged, &loop, [&](Transport::State state) {
        if (state == Transport::State::Open) {
            if (!everOpen) {
                everOpen = true;
                const QVariant port = transport->property("localPort");
                io.out << "ready: " << transport->describe();
                if (port.isValid())
                    io.out << " (udp port " << port.toUInt() << ")";
                io.out << "; Ctrl-C stops\n";
                io.out.flush();
                board.powerOn();
            } else {
                reopening = false;
                io.out << "the port is back: " << transport->describe() << "\n";
                io.out.flush();
            }
        } else if (state == Transport::State::Closed) {
            if (!everOpen) {
                exitCode = ExitConnection;
                loop.quit();
                return;
            }
            if (!reopening) {
                io.out << "lost " << transport->describe() << "; reopening every second\n";
                io.out.flush();
            }
            reopening = true;
            reopen.start(1000);
        }
    });
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::interrupted, &loop, &QEventLoop::quit);
    transport->open();
    loop.exec();
    QObject::disconnect(transport.get(), nullptr, &loop, nullptr);   // closing below is not news
    if (exitCode != ExitOk) {
        io.err << "error: cannot serve on " << spec << " (see above)\n";
        io.err.flush();
        return exitCode;
    }
    if (auto ok = board.saveState(); !ok)
        io.err << "error: " << ok.error().message << "\n";
    io.out << "stopped after " << board.requests() << " requests and " << board.resets() << " resets"
           << (config.stateDir.isEmpty() ? QString() : QStringLiteral("; flash saved in %1").arg(config.stateDir))
           << "\n";
    io.out.flush();
    transport->close();
    return ExitOk;
}

} // namespace otalab::cli
