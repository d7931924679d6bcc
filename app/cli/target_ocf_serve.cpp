// SPDX-License-Identifier: Apache-2.0
// otalab-cli target serve --ocf --udp PORT …: an emulated OCF device (SwUpdateDevice on an
// MCUboot board) speaking CoAP on UDP, until SIGINT/SIGTERM.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/smp_signals.h"
#include "app/cli/target_ocf_device.h"

#include "core/crypto/pkey.h"
#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_parser.h"

#include <QCoreApplication>
#include <QEventLoop>

namespace otalab::cli {

namespace {

// The built-in factory image: a 16 KiB deterministic body at `version`, signed when a
// private key is given.
Result<QByteArray> factoryImage(const core::mcuboot::ImageVersion& version, const std::optional<core::crypto::PKey>& key)
{
    QByteArray body(16 * 1024, Qt::Uninitialized);
    std::uint32_t x = 0x0cf0a1;
    for (qsizetype i = 0; i < body.size(); ++i) {
        x = x * 1664525u + 1013904223u;
        body[i] = char(x >> 24);
    }
    core::mcuboot::ImageCreateOptions options;
    options.headerSize = 0x200;
    options.padHeader = true;
    options.version = version;
    if (key)
        options.signingKey = *key;
    return core::mcuboot::createImage(body, options);
}

} // namespace

bool wantsOcfTarget(const QStringList& args)
{
    return args.mid(1).contains(QStringLiteral("--ocf"));
}

int targetServeOcfCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption ocfOption(QStringLiteral("ocf"), QStringLiteral("Serve as an OCF device over CoAP (this mode)."));
    const QCommandLineOption udpOption(QStringLiteral("udp"),
                                       QStringLiteral("The UDP port (default 5683; 0: any free port, printed)."),
                                       QStringLiteral("PORT"));
    const QCommandLineOption bindOption(QStringLiteral("bind"),
                                        QStringLiteral("The address to listen on (default * = all; 127.0.0.1 keeps it local)."),
                                        QStringLiteral("ADDR"));
    const QCommandLineOption stateOption(QStringLiteral("state"),
                                         QStringLiteral("Keep the flash, the swupdate record and the user data in DIR: a "
                                                        "killed and restarted device resumes (a power cut)."),
                                         QStringLiteral("DIR"));
    const QCommandLineOption versionOption(QStringLiteral("version"),
                                           QStringLiteral("Version of the built-in factory image (default 1.0.0)."),
                                           QStringLiteral("V"));
    const QCommandLineOption imageOption(QStringLiteral("image"),
                                         QStringLiteral("Factory image (MCUboot) for the primary slot instead of the "
                                                        "built-in one."),
                                         QStringLiteral("FILE"));
    const QCommandLineOption keyOption(QStringLiteral("key"),
                                       QStringLiteral("A trusted signing key (PEM, public or private; repeat for more). "
                                                      "Updates must be signed by one; a private key also signs the "
                                                      "built-in factory image."),
                                       QStringLiteral("PEM"));
    const QCommandLineOption allowOption(QStringLiteral("allow"),
                                         QStringLiteral("A client allowed to POST (repeat for more): HOST (any port) or "
                                                        "HOST:PORT, its source address (no DTLS). Others get 4.01. "
                                                        "Default: anyone."),
                                         QStringLiteral("IDENTITY"));
    const QCommandLineOption nameOption(QStringLiteral("name"), QStringLiteral("Device name (/oic/d n; default otalab-ocf)."),
                                        QStringLiteral("N"));
    const QCommandLineOption clockOption(QStringLiteral("clock-offset"),
                                         QStringLiteral("Device clock = this computer's UTC clock + S seconds (may be "
                                                        "negative; for tests)."),
                                         QStringLiteral("S"));
    const QCommandLineOption slotOption(QStringLiteral("slot-size"),
                                        QStringLiteral("Size of each MCUboot slot in bytes, a multiple of 4096 (default "
                                                       "0x60000)."),
                                        QStringLiteral("BYTES"));
    const QCommandLineOption blockOption(QStringLiteral("block-size"),
                                         QStringLiteral("Download block size asked for, 16..1024 (default 1024)."),
                                         QStringLiteral("BYTES"));
    const QCommandLineOption verboseOption(QStringList{QStringLiteral("v"), QStringLiteral("verbose")},
                                           QStringLiteral("Print every CoAP message in and out."));
    parser.addOptions({ocfOption, udpOption, bindOption, stateOption, versionOption, imageOption, keyOption, allowOption,
                       nameOption, clockOption, slotOption, blockOption, verboseOption});
    if (auto stop = parseCommand(
            parser, args, io,
            QStringLiteral("Run an emulated OCF device: the oic.r.softwareupdate resource at /oc/swu (observable), "
                           "/oic/sec/pstat, /oic/res and /oic/d over CoAP/UDP, on an MCUboot board (two slots, swap "
                           "with revert). It downloads the image from purl block-wise, validates it (signature by a "
                           "--key, no downgrade), applies it at updatetime, reboots through MCUboot in-process and "
                           "keeps its user data. One line per state change. Stops on Ctrl-C.\n\n"
                           "Example:\n"
                           "  otalab-cli target serve --ocf --udp 5683 --state dev1 --key signer.pub.pem\n"
                           "  otalab-cli ocf --conn coap://127.0.0.1 upgrade --purl coap://127.0.0.1:5684/fw/image "
                           "--at now --watch")))
        return *stop;
    if (!parser.positionalArguments().isEmpty())
        return reportError(io, QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first()),
                           ExitUsage);
    OcfTargetConfig config;
    quint16 port = hw::ocf::kCoapPort;
    if (parser.isSet(udpOption)) {
        auto value = parseUnsigned(parser.value(udpOption), QStringLiteral("udp"), 65535);
        if (!value)
            return reportError(io, value.error().message, ExitUsage);
        port = quint16(*value);
    }
    if (parser.isSet(slotOption)) {
        auto value = parseUnsigned(parser.value(slotOption), QStringLiteral("slot-size"), 0x4000000);
        if (!value)
            return reportError(io, value.error().message, ExitUsage);
        config.geometry.primarySize = config.geometry.secondarySize = qint64(*value);
        config.geometry.secondaryAddress = config.geometry.primaryAddress + std::uint32_t(*value);
        if (auto ok = config.geometry.check(); !ok)
            return reportError(io, QStringLiteral("--slot-size: %1").arg(ok.error().message), ExitUsage);
    }
    if (parser.isSet(blockOption)) {
        auto value = parseUnsigned(parser.value(blockOption), QStringLiteral("block-size"), 1024);
        auto szx = value ? core::ocf::BlockOption::szxForSize(std::uint32_t(*value)) : Result<std::uint8_t>(std::unexpected(value.error()));
        if (!szx)
            return reportError(io, QStringLiteral("--block-size: %1").arg(szx.error().message), ExitUsage);
        config.blockSzx = *szx;
    }
    if (parser.isSet(clockOption)) {
        bool ok = false;
        const qint64 seconds = parser.value(clockOption).trimmed().toLongLong(&ok);
        if (!ok || seconds < -100LL * 365 * 86400 || seconds > 100LL * 365 * 86400)
            return reportError(io, QStringLiteral("--clock-offset: '%1' is not a whole number of seconds")
                                       .arg(parser.value(clockOption)), ExitUsage);
        config.clockOffsetMs = seconds * 1000;
    }
    if (parser.isSet(nameOption))
        config.name = parser.value(nameOption).trimmed();
    config.stateDir = parser.value(stateOption);
    config.verbose = parser.isSet(verboseOption);
    for (const QString& entry : parser.values(allowOption)) {
        auto hp = hw::ocf::parseHostPort(entry, 0);
        if (!hp)
            return reportError(io, QStringLiteral("--allow: %1").arg(hp.error().message), ExitUsage);
        config.allow << (hp->port == 0 ? hp->host : hw::ocf::hostPortText(hp->host, hp->port));
    }
    std::optional<core::crypto::PKey> signer;
    for (const QString& path : parser.values(keyOption)) {
        auto key = core::crypto::PKey::fromFile(path);
        if (!key)
            return reportError(io, QStringLiteral("--key: %1").arg(key.error().message), ExitIo);
        if (key->hasPrivate() && !signer)
            signer = *key;
        config.keys.push_back(*key);
    }
    if (parser.isSet(imageOption)) {
        auto bytes = readFile(parser.value(imageOption));
        if (!bytes)
            return reportError(io, bytes.error().message, ExitIo);
        auto parsed = core::mcuboot::parseImage(*bytes);
        if (!parsed)
            return reportError(io, QStringLiteral("%1 is not an MCUboot image: %2").arg(parser.value(imageOption),
                                                                                       parsed.error().toString()),
                               ExitInvalid);
        config.factoryImage = *bytes;
        config.factoryLabel = QStringLiteral("%1 (%2)").arg(parser.value(imageOption), parsed->header.version.toString());
    } else {
        auto version = core::mcuboot::ImageVersion::parse(parser.isSet(versionOption) ? parser.value(versionOption)
                                                                                      : QStringLiteral("1.0.0"));
        if (!version)
            return reportError(io, QStringLiteral("--version: %1").arg(version.error().toString()), ExitUsage);
        auto image = factoryImage(*version, signer);
        if (!image)
            return reportError(io, QStringLiteral("cannot build the factory image: %1").arg(image.error().toString()),
                               ExitInvalid);
        config.factoryImage = *image;
        config.factoryLabel = QStringLiteral("the built-in image %1 (%2 bytes%3)")
                                  .arg(version->toString())
                                  .arg(image->size())
                                  .arg(signer ? QStringLiteral(", signed") : QString());
        // An unsigned factory image with keys configured: MCUboot is told not to check the
        // running slot (updates are still checked before they are swapped in).
        config.validatePrimary = signer.has_value() || config.keys.empty();
    }
    if (!QCoreApplication::instance())
        return reportError(io, QStringLiteral("internal: target serve needs a QCoreApplication"), ExitConnection);

    const QString bindAddress = parser.value(bindOption).trimmed();
    const bool anyAddress = bindAddress.isEmpty() || bindAddress == QLatin1String("*");
    hw::ocf::OcfUdpEndpoint endpoint;
    if (auto ok = endpoint.bind(bindAddress, port, anyAddress); !ok)
        return reportError(io, ok.error().message, ExitConnection);
    // OCF discovery (RFC 7252 §12.8 All CoAP Nodes), best effort: ff02::158 on the dual-stack
    // socket, 224.0.1.187 on a second IPv4 socket sharing the port (Qt joins IPv4 groups only
    // on IPv4 sockets). Answers leave from the main socket, same port.
    hw::ocf::OcfUdpEndpoint ipv4Group;
    QStringList joined;
    if (anyAddress) {
        if (endpoint.joinGroup(QString::fromLatin1(hw::ocf::kAllCoapNodesIpv6LinkLocal)))
            joined << QString::fromLatin1(hw::ocf::kAllCoapNodesIpv6LinkLocal);
        if (ipv4Group.bind(QStringLiteral("0.0.0.0"), endpoint.localPort(), true)
            && ipv4Group.joinGroup(QString::fromLatin1(hw::ocf::kAllCoapNodesIpv4)))
            joined << QString::fromLatin1(hw::ocf::kAllCoapNodesIpv4);
        io.out << "multicast discovery: "
               << (joined.isEmpty() ? QStringLiteral("no group joined (unicast only)") : joined.join(QStringLiteral(", ")))
               << "\n";
    }
    OcfTargetDevice device(config, &endpoint, io.out);
    if (joined.contains(QString::fromLatin1(hw::ocf::kAllCoapNodesIpv4)))
        device.listenOn(&ipv4Group);
    if (auto ok = device.start(); !ok)
        return reportError(io, ok.error().toString(), ExitIo);
    io.out << "ready: OCF device \"" << config.name << "\" on coap " << endpoint.describe().mid(4) << " (udp port "
           << endpoint.localPort() << ")"
           << (config.allow.isEmpty() ? QString() : QStringLiteral(", POST allowed from ") + config.allow.join(QStringLiteral(", ")))
           << "; Ctrl-C stops\n";
    io.out.flush();
    QEventLoop loop;
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::interrupted, &loop, &QEventLoop::quit);
    loop.exec();
    io.out << "stopped: version " << device.runningVersion() << ", " << device.reboots() << " reboots\n";
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
