// SPDX-License-Identifier: Apache-2.0
// otalab-cli jobs serve --broker URL [--state DIR]: the AWS IoT Jobs + MQTT file delivery
// service on a (local) broker, until SIGINT/SIGTERM.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/jobs_support.h"

#include "app/hw/jobs_service_host.h"

#include <QCoreApplication>

#include <memory>

namespace otalab::cli {

int jobsServeCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption broker = brokerOption();
    const QCommandLineOption state(QStringLiteral("state"),
                                   QStringLiteral("Keep the jobs in DIR (one JSON file and the image per job, written "
                                                  "atomically), so a restart continues them."),
                                   QStringLiteral("DIR"));
    const QCommandLineOption quiet(QStringLiteral("quiet"),
                                   QStringLiteral("Print execution changes only, no progress lines."));
    parser.addOptions({broker, state, quiet});
    if (auto stop = parseCommand(
            parser, args, io,
            QStringLiteral("Run the AWS IoT Jobs and MQTT file delivery service on a broker, with the exact AWS topic "
                           "names ($aws/things/<thing>/jobs/notify-next, .../jobs/$next/get, .../jobs/<job>/update, "
                           ".../streams/<stream>/get/cbor and /data/cbor), so a FreeRTOS device running the AWS OTA "
                           "library (or `otalab-cli target serve --mqtt`) pointed at that broker upgrades from the lab. "
                           "A plain broker does not route $next/get/accepted, so the next job is published on "
                           "notify-next; each job document echoes the execution's last statusDetails.\n\n"
                           "Jobs are created, listed, described and canceled with `otalab-cli jobs create|list|"
                           "describe|cancel` over the control topics otalab/jobs/api/<op>; each job's rollout "
                           "(rate, exponential steps, abort criteria, in-progress timeout) runs in real time. One "
                           "line is printed per execution change and progress lines per device (blocks k/N); "
                           "events are also published as JSON on otalab/jobs/events. Stops on Ctrl-C.\n\n"
                           "Example:\n"
                           "  mosquitto -p 1883 &\n"
                           "  otalab-cli jobs serve --broker mqtt://127.0.0.1:1883 --state jobs-state")))
        return *stop;
    auto options = brokerArgument(parser, broker, io);
    if (!options)
        return options.error();
    if (!QCoreApplication::instance())
        return reportError(io, QStringLiteral("internal: jobs serve needs a QCoreApplication"), ExitConnection);
    if (options->clientId.isEmpty())
        options->clientId = QStringLiteral("otalab-jobs-%1").arg(QCoreApplication::applicationPid());
    auto created = createMqttLink(*options);
    if (!created)
        return reportError(io, created.error().message, ExitConnection);
    std::unique_ptr<core::transport::MqttLink> link = std::move(*created);
    hw::jobs::SystemJobsClock clock;
    hw::jobs::JobsServiceHost::Options hostOptions;
    hostOptions.stateDir = parser.value(state);
    hw::jobs::JobsServiceHost host(link.get(), &clock, hostOptions);
    const bool progressLines = !parser.isSet(quiet);
    QObject::connect(&host, &hw::jobs::JobsServiceHost::log, &host, [&](const QString& line) {
        if (!progressLines && line.contains(QLatin1String(": blocks ")))
            return;
        io.out << line << "\n";
        io.out.flush();
    });
    BrokerServeLoop serveLoop(link.get());
    if (auto ok = host.start(); !ok)
        return reportError(io, ok.error().toString(), ExitIo);
    if (!hostOptions.stateDir.isEmpty())
        io.out << "jobs kept in " << hostOptions.stateDir << " (" << host.jobIds().size() << " restored)\n";
    io.out.flush();
    serveLoop.run();
    host.stop();
    if (serveLoop.brokerUnreachable())
        return serveLoop.reportUnreachable(io);
    io.out << "stopped; " << host.jobIds().size() << " jobs" << (hostOptions.stateDir.isEmpty() ? QString() : QStringLiteral(" saved in ") + hostOptions.stateDir) << "\n";
    io.out.flush();
    return ExitOk;
}

} // namespace otalab::cli
