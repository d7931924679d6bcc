// SPDX-License-Identifier: Apache-2.0
// Plumbing shared by `otalab-cli jobs …` and `target serve --mqtt`: the MQTT link plugin,
// one synchronous call to a running jobs service, and how jobs are printed.
#pragma once

#include "app/cli/cli.h"
#include "app/hw/jobs_control_protocol.h"
#include "app/hw/mqtt_link_registry.h"

#include <QCommandLineOption>
#include <QEventLoop>

#include <expected>
#include <memory>

namespace otalab::cli {

// The process's MQTT link plugin registry (default search paths).
hw::MqttLinkRegistry& mqttLinkRegistry();

// The --broker option every jobs command takes.
QCommandLineOption brokerOption();
// Checks the address ("mqtt://HOST:PORT[,cafile=…,certfile=…,keyfile=…]"); a missing
// --broker is a usage error naming the option.
Result<core::transport::MqttLinkOptions> brokerFrom(const QCommandLineParser& parser, const QCommandLineOption& option);
// After parseCommand, for a command that takes no positional argument: refuses one
// ("unexpected argument 'X' (see --help)"), then brokerFrom. On failure the usage error is
// already reported and the error is the exit code (ExitUsage).
std::expected<core::transport::MqttLinkOptions, int> brokerArgument(const QCommandLineParser& parser,
                                                                    const QCommandLineOption& option, CliIo& io);

// A new link from the MQTT link plugin; the caller owns it (no Qt parent).
Result<std::unique_ptr<core::transport::MqttLink>> createMqttLink(const core::transport::MqttLinkOptions& options);

// The event loop of a command that serves on a broker until SIGINT/SIGTERM (jobs serve,
// target serve --mqtt). Construct it before starting what uses the link, so that no state
// change is missed: it remembers the link's last error and ends the loop when the link
// goes Disconnected without ever having been Connected (the broker cannot be reached).
// Thread: the caller's; needs a QCoreApplication.
class BrokerServeLoop {
public:
    explicit BrokerServeLoop(core::transport::MqttLink* link);
    BrokerServeLoop(const BrokerServeLoop&) = delete;
    BrokerServeLoop& operator=(const BrokerServeLoop&) = delete;

    // Runs until Ctrl-C (SIGINT/SIGTERM) or until the broker proved unreachable.
    void run();
    bool brokerUnreachable() const { return m_unreachable; }
    // Reports "cannot reach the broker <link>[: <last error>]"; returns ExitConnection.
    int reportUnreachable(CliIo& io) const;

private:
    core::transport::MqttLink* m_link;
    QEventLoop m_loop;
    bool m_everConnected = false;
    bool m_unreachable = false;
    QString m_lastError;
};

// Connects, sends the request, waits for the answer (bounded by timeoutMs), disconnects.
// Needs a QCoreApplication. A broker that cannot be reached or a service that does not
// answer comes back as ok=false with plain words; `reached` tells the two apart from a
// refusal by the service.
struct ServiceCall {
    hw::jobs::ControlResponse response;
    bool reached = false;   // the service answered (ok or not)
};
Result<ServiceCall> callJobsService(const core::transport::MqttLinkOptions& broker, hw::jobs::ControlRequest request,
                                    int timeoutMs);
// The exit code and error message for an unsuccessful call: ExitConnection when the
// service was not reached, ExitInvalid when it refused.
int reportServiceFailure(CliIo& io, const ServiceCall& call);

// "job fw-2  IN_PROGRESS  3 targets  stream fw-2-stream (9000 bytes)  notified 2  1.0/min"
void printJobLine(QTextStream& out, const hw::jobs::JobSummary& job);
// The line above, the counts per state, then one row per execution (thing, status,
// execution number, version, blocks, statusDetails).
void printJobDetails(QTextStream& out, const hw::jobs::JobSummary& job);

} // namespace otalab::cli
