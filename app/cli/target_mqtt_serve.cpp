// SPDX-License-Identifier: Apache-2.0
// otalab-cli target serve --mqtt URL --thing NAME …: an emulated AWS IoT / FreeRTOS OTA
// device (the core agent, a file-backed PAL) on a broker, until SIGINT/SIGTERM.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/jobs_support.h"

#include "app/hw/awsota_device_host.h"
#include "core/awsota/topics.h"

#include <QCoreApplication>
#include <QDir>

#include <memory>

namespace otalab::cli {

bool wantsMqttTarget(const QStringList& args)
{
    for (const QString& a : args.mid(1))
        if (a == QLatin1String("--mqtt") || a.startsWith(QLatin1String("--mqtt=")))
            return true;
    return false;
}

int targetServeMqttCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption mqtt(QStringLiteral("mqtt"),
                                  QStringLiteral("The broker: mqtt://HOST:PORT or mqtts://HOST:PORT, options after commas "
                                                 "(cafile=, certfile=, keyfile=, clientId=; the client id defaults to "
                                                 "the thing name)."),
                                  QStringLiteral("URL"));
    const QCommandLineOption thing(QStringLiteral("thing"), QStringLiteral("The device's AWS IoT thing name."),
                                   QStringLiteral("NAME"));
    const QCommandLineOption imageDir(QStringLiteral("image-dir"),
                                      QStringLiteral("The device's flash: received file, pending and running image, "
                                                     "download record (default ./otalab-device-<thing>). Kept across "
                                                     "restarts: a restarted device resumes its download."),
                                      QStringLiteral("DIR"));
    const QCommandLineOption cert(QStringLiteral("cert"),
                                  QStringLiteral("The code-signing certificate (PEM) the device checks signatures with "
                                                 "(default: the job's certfile path, relative to --image-dir)."),
                                  QStringLiteral("CERT.pem"));
    const QCommandLineOption selfTest(QStringLiteral("self-test"),
                                      QStringLiteral("What the new image's self-test says after the reboot: pass "
                                                     "(accept, SUCCEEDED) or fail (roll back, FAILED). Default pass."),
                                      QStringLiteral("pass|fail"));
    const QCommandLineOption drop(QStringLiteral("drop-after-blocks"),
                                  QStringLiteral("Lose the broker connection once after N blocks (then reconnect and "
                                                 "resume from the block bitmap)."),
                                  QStringLiteral("N"));
    const QCommandLineOption version(QStringLiteral("version"),
                                     QStringLiteral("The factory firmware version major.minor.build (default 1.0.0)."),
                                     QStringLiteral("V"));
    const QCommandLineOption newVersion(QStringLiteral("new-version"),
                                        QStringLiteral("The version a received image reports after its reboot (default: "
                                                       "the running version with build + 1)."),
                                        QStringLiteral("V"));
    const QCommandLineOption blockSize(QStringLiteral("block-size"),
                                       QStringLiteral("GetStream block size, a power of two 256..131072 (default 4096)."),
                                       QStringLiteral("BYTES"));
    const QCommandLineOption requestTimeout(QStringLiteral("request-timeout-ms"),
                                            QStringLiteral("The agent's request timer (default 10000)."),
                                            QStringLiteral("MS"));
    parser.addOptions({mqtt, thing, imageDir, cert, selfTest, drop, version, newVersion, blockSize, requestTimeout});
    if (auto stop = parseCommand(
            parser, args, io,
            QStringLiteral("Run an emulated AWS IoT device with the FreeRTOS OTA agent (the lab's core machine, same "
                           "states, defaults and wire format as ota-for-aws-iot-embedded-sdk v3.4.0) on an MQTT broker, "
                           "so `otalab-cli jobs serve` (or any AWS-style jobs service on that broker) can be tried "
                           "without hardware. It asks for its next job, streams the file in blocks with the bitmap, "
                           "writes it into --image-dir, verifies the ECDSA signature with the certificate at close, "
                           "\"reboots\" into the new image, runs the self-test as told and accepts it or rolls back. "
                           "State changes are printed one per line. Stops on Ctrl-C.\n\n"
                           "Example:\n"
                           "  otalab-cli target serve --mqtt mqtt://127.0.0.1:1883 --thing dev1 --cert signer.crt")))
        return *stop;
    auto options = brokerArgument(parser, mqtt, io);
    if (!options)
        return options.error();
    if (!parser.isSet(thing))
        return reportError(io, QStringLiteral("--thing is required with --mqtt (the device's thing name)"), ExitUsage);
    hw::awsota::AwsOtaDeviceHost::Options device;
    device.thingName = parser.value(thing).trimmed();
    if (auto ok = core::awsota::validateThingName(device.thingName); !ok)
        return reportError(io, QStringLiteral("--thing: %1").arg(ok.error().message), ExitUsage);
    if (options->clientId.isEmpty())
        options->clientId = device.thingName;
    device.stateDir = parser.isSet(imageDir) ? parser.value(imageDir)
                                             : QDir::current().filePath(QStringLiteral("otalab-device-") + device.thingName);
    if (parser.isSet(cert)) {
        auto pem = readFile(parser.value(cert));
        if (!pem)
            return reportError(io, QStringLiteral("--cert: %1").arg(pem.error().message), ExitIo);
        device.certificate = QDir::current().absoluteFilePath(parser.value(cert));
    }
    if (parser.isSet(selfTest)) {
        const QString v = parser.value(selfTest).trimmed().toLower();
        if (v != QLatin1String("pass") && v != QLatin1String("fail"))
            return reportError(io, QStringLiteral("--self-test: '%1' is neither pass nor fail").arg(parser.value(selfTest)),
                               ExitUsage);
        device.selfTestPasses = v == QLatin1String("pass");
    }
    if (parser.isSet(drop)) {
        auto n = parseUnsigned(parser.value(drop), QStringLiteral("drop-after-blocks"), 1u << 20);
        if (!n)
            return reportError(io, n.error().message, ExitUsage);
        device.dropAfterBlocks = int(*n);
    }
    if (parser.isSet(version)) {
        auto v = hw::awsota::parseAppVersion(parser.value(version));
        if (!v)
            return reportError(io, QStringLiteral("--version: %1").arg(v.error().message), ExitUsage);
        device.factoryVersion = *v;
    }
    if (parser.isSet(newVersion)) {
        auto v = hw::awsota::parseAppVersion(parser.value(newVersion));
        if (!v)
            return reportError(io, QStringLiteral("--new-version: %1").arg(v.error().message), ExitUsage);
        device.newVersion = *v;
    }
    if (parser.isSet(blockSize)) {
        auto n = parseUnsigned(parser.value(blockSize), QStringLiteral("block-size"), 131072);
        if (!n)
            return reportError(io, n.error().message, ExitUsage);
        device.agent.blockSize = std::uint32_t(*n);
    }
    if (parser.isSet(requestTimeout)) {
        auto n = parseUnsigned(parser.value(requestTimeout), QStringLiteral("request-timeout-ms"), 3600000);
        if (!n)
            return reportError(io, n.error().message, ExitUsage);
        device.agent.requestTimeoutMs = std::uint32_t(*n);
    }
    device.agent.thingName = device.thingName;
    if (auto ok = device.agent.validate(); !ok)
        return reportError(io, ok.error().toString(), ExitUsage);
    if (!QCoreApplication::instance())
        return reportError(io, QStringLiteral("internal: target serve needs a QCoreApplication"), ExitConnection);

    auto created = createMqttLink(*options);
    if (!created)
        return reportError(io, created.error().message, ExitConnection);
    std::unique_ptr<core::transport::MqttLink> link = std::move(*created);
    hw::awsota::AwsOtaDeviceHost host(link.get(), device);
    QObject::connect(&host, &hw::awsota::AwsOtaDeviceHost::log, &host, [&](const QString& line) {
        io.out << device.thingName << ": " << line << "\n";
        io.out.flush();
    });
    BrokerServeLoop serveLoop(link.get());
    io.out << "device " << device.thingName << " on " << link->describe() << ", flash in " << device.stateDir << "\n";
    io.out.flush();
    if (auto ok = host.start(); !ok)
        return reportError(io, ok.error().toString(), ExitIo);
    serveLoop.run();
    host.stop();
    if (serveLoop.brokerUnreachable())
        return serveLoop.reportUnreachable(io);
    io.out << "stopped: firmware " << host.runningVersion().toString() << ", " << host.reboots() << " reboots\n";
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
