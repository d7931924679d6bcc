// SPDX-License-Identifier: Apache-2.0
// otalab-cli ocf serve-image FILE --udp PORT [--bind ADDR] [--path fw/image] [-v]: a CoAP
// server handing FILE out block-wise (RFC 7959) for OCF devices' purl, until SIGINT/SIGTERM.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/smp_signals.h"

#include "app/hw/ocf_image_server.h"
#include "core/ocf/coap_message.h"

#include <QCoreApplication>
#include <QEventLoop>

namespace otalab::cli {

int ocfServeImageCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption udpOption(QStringLiteral("udp"),
                                       QStringLiteral("Serve on this UDP port (default 5683; 0: any free port, printed)."),
                                       QStringLiteral("PORT"));
    const QCommandLineOption bindOption(QStringLiteral("bind"),
                                        QStringLiteral("The address to listen on (default * = all; 127.0.0.1 keeps it local)."),
                                        QStringLiteral("ADDR"));
    const QCommandLineOption pathOption(QStringLiteral("path"),
                                        QStringLiteral("The Uri-Path the file is served at (default fw/image)."),
                                        QStringLiteral("PATH"));
    const QCommandLineOption blockOption(QStringLiteral("block-size"),
                                         QStringLiteral("Largest block handed out, 16..1024, a power of two (default "
                                                        "1024; a client asking for less gets less)."),
                                         QStringLiteral("BYTES"));
    const QCommandLineOption delayOption(QStringLiteral("delay-ms"),
                                         QStringLiteral("Answer each request this many ms late (a slow server or link; "
                                                        "default 0)."),
                                         QStringLiteral("MS"));
    const QCommandLineOption verboseOption(QStringList{QStringLiteral("v"), QStringLiteral("verbose")},
                                           QStringLiteral("Print every block served."));
    parser.addOptions({udpOption, bindOption, pathOption, blockOption, delayOption, verboseOption});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The file to serve (an MCUboot image)."));
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Serve a file over CoAP block-wise (RFC 7959 Block2, ETag = the first 8 "
                                                "bytes of its SHA-256) so OCF devices can fetch it from their purl. "
                                                "Stops on Ctrl-C.\n\n"
                                                "Example:\n"
                                                "  otalab-cli ocf serve-image app-2.0.0.signed.bin --udp 5684 --path fw/image\n"
                                                "  otalab-cli ocf --conn coap://127.0.0.1:5683 upgrade "
                                                "--purl coap://127.0.0.1:5684/fw/image --at now --watch")))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return reportError(io, QStringLiteral("give exactly one FILE to serve (see --help)"), ExitUsage);
    quint16 port = hw::ocf::kCoapPort;
    if (parser.isSet(udpOption)) {
        auto value = parseUnsigned(parser.value(udpOption), QStringLiteral("udp"), 65535);
        if (!value)
            return reportError(io, value.error().message, ExitUsage);
        port = quint16(*value);
    }
    hw::ocf::OcfImageServer::Options options;
    if (parser.isSet(pathOption))
        options.path = parser.value(pathOption).trimmed();
    while (options.path.startsWith(QLatin1Char('/')))
        options.path.remove(0, 1);
    if (options.path.isEmpty())
        return reportError(io, QStringLiteral("--path: empty; expected a Uri-Path such as fw/image"), ExitUsage);
    if (parser.isSet(blockOption)) {
        auto value = parseUnsigned(parser.value(blockOption), QStringLiteral("block-size"), 1024);
        if (!value)
            return reportError(io, value.error().message, ExitUsage);
        auto szx = core::ocf::BlockOption::szxForSize(std::uint32_t(*value));
        if (!szx)
            return reportError(io, QStringLiteral("--block-size: %1").arg(szx.error().message), ExitUsage);
        options.preferredSzx = *szx;
    }
    if (parser.isSet(delayOption)) {
        auto value = parseUnsigned(parser.value(delayOption), QStringLiteral("delay-ms"), 60000);
        if (!value)
            return reportError(io, value.error().message, ExitUsage);
        options.responseDelayMs = int(*value);
    }
    auto body = readFile(positional.first());
    if (!body)
        return reportError(io, body.error().message, ExitIo);
    if (body->isEmpty())
        return reportError(io, QStringLiteral("%1 is empty: nothing to serve").arg(positional.first()), ExitUsage);
    if (!QCoreApplication::instance())
        return reportError(io, QStringLiteral("internal: ocf serve-image needs a QCoreApplication"), ExitConnection);

    hw::ocf::OcfUdpEndpoint endpoint;
    if (auto ok = endpoint.bind(parser.value(bindOption), port); !ok)
        return reportError(io, ok.error().message, ExitConnection);
    hw::ocf::OcfImageServer server(&endpoint, *body, options);
    const bool verbose = parser.isSet(verboseOption);
    QObject::connect(&server, &hw::ocf::OcfImageServer::served, &server,
                     [&](const core::ocf::CoapPeer& to, std::uint8_t code, quint32 num, quint32 size, bool more) {
                         if (code != core::ocf::coap_code::Content) {
                             io.out << "refused " << hw::ocf::hostPortText(to.host, to.port) << ": "
                                    << core::ocf::coapCodeText(code) << "\n";
                         } else if (verbose) {
                             io.out << "block " << num << " (" << size << " bytes" << (more ? "" : ", last")
                                    << ") to " << hw::ocf::hostPortText(to.host, to.port) << "\n";
                         }
                         io.out.flush();
                     });
    io.out << "serving " << positional.first() << " (" << body->size() << " bytes, etag "
           << server.etag().toHex() << ") at coap://" << endpoint.describe().mid(4) << "/" << options.path
           << " (udp port " << endpoint.localPort() << "); Ctrl-C stops\n";
    io.out.flush();
    QEventLoop loop;
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::interrupted, &loop, &QEventLoop::quit);
    loop.exec();
    io.out << "stopped after " << server.blocksServed() << " blocks\n";
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
