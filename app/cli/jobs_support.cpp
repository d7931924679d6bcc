// SPDX-License-Identifier: Apache-2.0
// Shared plumbing of the `otalab-cli jobs …` commands.
#include "app/cli/jobs_support.h"

#include "app/cli/smp_signals.h"
#include "app/hw/jobs_control_client.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>

#include <memory>

namespace otalab::cli {

using hw::jobs::ControlResponse;
using hw::jobs::JobSummary;

hw::MqttLinkRegistry& mqttLinkRegistry()
{
    static hw::MqttLinkRegistry registry;
    return registry;
}

QCommandLineOption brokerOption()
{
    return QCommandLineOption(QStringLiteral("broker"),
                              QStringLiteral("The MQTT broker: mqtt://HOST:PORT or mqtts://HOST:PORT, options after "
                                             "commas: cafile=, certfile=, keyfile=, username=, password=, "
                                             "clientId=, insecure=1."),
                              QStringLiteral("URL"));
}

Result<core::transport::MqttLinkOptions> brokerFrom(const QCommandLineParser& parser, const QCommandLineOption& option)
{
    const QString name = option.names().constFirst();
    if (!parser.isSet(option))
        return fail(QStringLiteral("--%1 is required (e.g. --%1 mqtt://127.0.0.1:1883)").arg(name));
    auto parsed = core::transport::MqttLinkOptions::parse(parser.value(option));
    if (!parsed)
        return fail(QStringLiteral("--%1: %2").arg(name, parsed.error().toString()));
    return *parsed;
}

std::expected<core::transport::MqttLinkOptions, int> brokerArgument(const QCommandLineParser& parser,
                                                                    const QCommandLineOption& option, CliIo& io)
{
    if (!parser.positionalArguments().isEmpty())
        return std::unexpected(reportError(
            io, QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first()),
            ExitUsage));
    auto options = brokerFrom(parser, option);
    if (!options)
        return std::unexpected(reportError(io, options.error().message, ExitUsage));
    return *options;
}

Result<std::unique_ptr<core::transport::MqttLink>> createMqttLink(const core::transport::MqttLinkOptions& options)
{
    auto created = mqttLinkRegistry().create(options, nullptr);
    if (!created)
        return std::unexpected(created.error());
    return std::unique_ptr<core::transport::MqttLink>(*created);
}

BrokerServeLoop::BrokerServeLoop(core::transport::MqttLink* link) : m_link(link)
{
    QObject::connect(link, &core::transport::MqttLink::errorOccurred, &m_loop,
                     [this](const QString& message) { m_lastError = message; });
    QObject::connect(link, &core::transport::MqttLink::stateChanged, &m_loop,
                     [this](core::transport::MqttLink::State s) {
                         if (s == core::transport::MqttLink::State::Connected)
                             m_everConnected = true;
                         else if (s == core::transport::MqttLink::State::Disconnected && !m_everConnected) {
                             m_unreachable = true;
                             m_loop.quit();
                         }
                     });
}

void BrokerServeLoop::run()
{
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::interrupted, &m_loop, &QEventLoop::quit);
    m_loop.exec();
}

int BrokerServeLoop::reportUnreachable(CliIo& io) const
{
    return reportError(io,
                       QStringLiteral("cannot reach the broker %1%2")
                           .arg(m_link->describe(), m_lastError.isEmpty() ? QString() : QStringLiteral(": ") + m_lastError),
                       ExitConnection);
}

Result<ServiceCall> callJobsService(const core::transport::MqttLinkOptions& broker, hw::jobs::ControlRequest request,
                                    int timeoutMs)
{
    if (!QCoreApplication::instance())
        return fail(QStringLiteral("internal: jobs commands need a QCoreApplication"));
    auto created = createMqttLink(broker);
    if (!created)
        return fail(created.error());
    std::unique_ptr<core::transport::MqttLink> link = std::move(*created);
    hw::jobs::JobsControlClient client(link.get());
    ServiceCall call;
    bool done = false;
    QEventLoop loop;
    QObject::connect(&client, &hw::jobs::JobsControlClient::finished, &loop, [&](const ControlResponse& response) {
        call.response = response;
        done = true;
        loop.quit();
    });
    bool answered = false;
    QObject::connect(link.get(), &core::transport::MqttLink::messageReceived, &loop,
                     [&](const QString& topic, const QByteArray&) {
                         answered = answered || topic == hw::jobs::controlResponseTopic(request.clientToken);
                     });
    if (request.clientToken.isEmpty())
        request.clientToken = hw::jobs::newClientToken();
    client.send(request, timeoutMs);
    if (!done)
        loop.exec();
    call.reached = answered;
    if (link->state() != core::transport::MqttLink::State::Disconnected)
        link->disconnectFromBroker();
    return call;
}

int reportServiceFailure(CliIo& io, const ServiceCall& call)
{
    QString message = call.response.error;
    if (!call.response.field.isEmpty())
        message = QStringLiteral("%1: %2").arg(call.response.field, message);
    return reportError(io, call.reached ? QStringLiteral("the jobs service refused: %1").arg(message) : message,
                       call.reached ? ExitInvalid : ExitConnection);
}

void printJobLine(QTextStream& out, const JobSummary& job)
{
    out << "job " << job.jobId << "  " << job.status << "  " << job.targets.size()
        << (job.targets.size() == 1 ? " target" : " targets") << "  stream " << job.streamName << " (" << job.fileSize
        << " bytes)  notified " << job.notified;
    if (job.ratePerMinute > 0)
        out << "  " << QString::number(job.ratePerMinute, 'f', 1) << "/min";
    if (!job.reason.isEmpty())
        out << "  (" << job.reason << ")";
    out << "\n";
}

void printJobDetails(QTextStream& out, const JobSummary& job)
{
    printJobLine(out, job);
    QStringList counts;
    for (auto it = job.counts.begin(); it != job.counts.end(); ++it)
        if (it.value().toInt() > 0)
            counts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value().toInt());
    if (!counts.isEmpty())
        out << "  executions: " << counts.join(QStringLiteral(", ")) << "\n";
    int width = 5;
    for (const auto& e : job.executions)
        width = std::max(width, int(e.thing.size()));
    out << "  " << QStringLiteral("thing").leftJustified(width) << "  " << QStringLiteral("status").leftJustified(11)
        << "  exec  version  blocks     statusDetails\n";
    for (const auto& e : job.executions) {
        const QString blocks = e.blocksTotal > 0 ? QStringLiteral("%1/%2").arg(e.blocksReceived).arg(e.blocksTotal)
                                                 : QStringLiteral("-");
        out << "  " << e.thing.leftJustified(width) << "  " << e.status.leftJustified(11) << "  "
            << QString::number(e.executionNumber).leftJustified(4) << "  "
            << QString::number(e.versionNumber).leftJustified(7) << "  " << blocks.leftJustified(9) << "  "
            << (e.statusDetails.isEmpty() ? QStringLiteral("-")
                                          : QString::fromUtf8(QJsonDocument(e.statusDetails).toJson(QJsonDocument::Compact)))
            << "\n";
    }
    out.flush();
}

} // namespace otalab::cli
