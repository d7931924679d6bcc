// SPDX-License-Identifier: Apache-2.0
// otalab-cli ocf --conn coap://HOST[:PORT] … status|check|validate|upgrade|discover: the OCF
// software update client over CoAP/UDP (one OcfClientSession per device, all at once).
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/ocf_client_session.h"
#include "app/cli/smp_signals.h"

#include "app/hw/ocf_coap_client.h"

#include <QCborArray>
#include <QCborMap>
#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>

#include <memory>
#include <vector>

namespace otalab::cli {

using core::ocf::CoapMessage;
using core::ocf::CoapPeer;
using core::ocf::CoapType;
namespace coap_code = core::ocf::coap_code;

namespace {

// The brief's exit codes for this command: 3 = no answer (not ExitIo's meaning here).
constexpr int kNoAnswer = 3;

Result<CoapPeer> parseConn(const QString& text)
{
    QString t = text.trimmed();
    if (!t.startsWith(QLatin1String("coap://")))
        return fail(QStringLiteral("--conn '%1': expected coap://HOST[:PORT] (coaps is not supported: no DTLS)").arg(text));
    t = t.mid(7);
    while (t.endsWith(QLatin1Char('/')))
        t.chop(1);
    if (t.contains(QLatin1Char('/')))
        return fail(QStringLiteral("--conn '%1': give the device, not a path (coap://HOST[:PORT])").arg(text));
    auto hp = hw::ocf::parseHostPort(t, hw::ocf::kCoapPort);
    if (!hp)
        return fail(QStringLiteral("--conn: %1").arg(hp.error().message));
    return CoapPeer{hp->host, hp->port, {}};
}

// "now", "none", an RFC 3339 time, or "+SECONDS" from this computer's clock.
Result<core::ocf::UpdateTime> parseAt(const QString& text)
{
    const QString t = text.trimmed();
    if (t.startsWith(QLatin1Char('+'))) {
        bool ok = false;
        const qint64 seconds = t.mid(1).toLongLong(&ok);
        if (!ok || seconds < 0 || seconds > 10LL * 365 * 86400)
            return fail(QStringLiteral("--at '%1': +SECONDS must be a whole number of seconds").arg(text));
        return core::ocf::UpdateTime{core::ocf::UpdateTime::Kind::At,
                                     QDateTime::currentMSecsSinceEpoch() / 1000 * 1000 + seconds * 1000};
    }
    auto parsed = core::ocf::UpdateTime::parse(t);
    if (!parsed)
        return fail(QStringLiteral("--at: %1 (expected now, none, an RFC 3339 time or +SECONDS)").arg(parsed.error().toString()));
    return *parsed;
}

// Prints the links of an /oic/res answer: "/oc/swu [oic.r.softwareupdate]".
QStringList describeLinks(const QByteArray& payload)
{
    auto value = core::ocf::decodeCborPayload(payload);
    if (!value)
        return {QStringLiteral("not CBOR: %1").arg(value.error().toString())};
    QCborArray links;
    if (value->isArray())
        links = value->toArray();
    else if (value->isMap())
        links = value->toMap().value(QStringLiteral("links")).toArray();
    QStringList lines;
    for (const QCborValue& link : links) {
        const QCborMap map = link.toMap();
        QStringList rts;
        for (const QCborValue& rt : map.value(QStringLiteral("rt")).toArray())
            rts << rt.toString();
        QString line = map.value(QStringLiteral("href")).toString() + QStringLiteral(" [") + rts.join(QStringLiteral(", "))
            + QLatin1Char(']');
        if (map.contains(QStringLiteral("anchor")))
            line += QStringLiteral(" anchor ") + map.value(QStringLiteral("anchor")).toString();
        lines << line;
    }
    if (lines.isEmpty())
        lines << QStringLiteral("no links");
    return lines;
}

int discover(hw::ocf::OcfCoapClient& client, const std::vector<CoapPeer>& devices, int timeoutMs, CliIo& io)
{
    QEventLoop loop;
    int answers = 0;
    int outstanding = 0;
    auto onAnswer = [&](const CoapPeer& from, const CoapMessage& response) {
        ++answers;
        const QString who = hw::ocf::hostPortText(from.host, from.port);
        if (coap_code::codeClass(response.code) != 2) {
            io.out << who << ": GET /oic/res: " << core::ocf::coapCodeText(response.code) << "\n";
        } else {
            for (const QString& line : describeLinks(response.payload))
                io.out << who << ": " << line << "\n";
        }
        io.out.flush();
    };
    CoapMessage get = core::ocf::makeRequest(CoapType::NonConfirmable, coap_code::Get, 0, {},
                                             QString::fromLatin1(core::ocf::kResPath));
    hw::ocf::OcfCoapClient::Options options;
    options.keep = true;
    options.lifetimeMs = timeoutMs;
    if (devices.empty()) {
        // RFC 7252 §8 / OCF Core §10: a NON GET /oic/res to All CoAP Nodes, answers for a while.
        for (const char* group : {hw::ocf::kAllCoapNodesIpv4, hw::ocf::kAllCoapNodesIpv6LinkLocal}) {
            client.request(CoapPeer{QString::fromLatin1(group), hw::ocf::kCoapPort, {}}, get, options, onAnswer,
                           [&](const QString& why) { io.err << "discover: " << why << "\n"; });
        }
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    } else {
        get.type = CoapType::Confirmable;
        for (const CoapPeer& device : devices) {
            ++outstanding;
            client.request(device, get, {}, [&](const CoapPeer& from, const CoapMessage& r) {
                onAnswer(from, r);
                if (--outstanding == 0)
                    loop.quit();
            }, [&, device](const QString& why) {
                io.out << hw::ocf::hostPortText(device.host, device.port) << ": " << why << "\n";
                if (--outstanding == 0)
                    loop.quit();
            });
        }
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    }
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::interrupted, &loop, &QEventLoop::quit);
    loop.exec();
    io.out << answers << (answers == 1 ? " answer\n" : " answers\n");
    io.out.flush();
    return answers > 0 ? ExitOk : kNoAnswer;
}

} // namespace

int ocfCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption connOption(QStringLiteral("conn"),
                                        QStringLiteral("A device: coap://HOST[:PORT] (port 5683 by default). Repeat "
                                                       "for many devices; the step runs on all at once."),
                                        QStringLiteral("URL"));
    const QCommandLineOption purlOption(QStringLiteral("purl"),
                                        QStringLiteral("check/validate/upgrade: the package URL the device fetches "
                                                       "the image from (coap://HOST:PORT/PATH)."),
                                        QStringLiteral("URL"));
    const QCommandLineOption atOption(QStringLiteral("at"),
                                      QStringLiteral("upgrade: updatetime — now, none, an RFC 3339 time "
                                                     "(2026-12-08T02:00:00Z) or +SECONDS from now."),
                                      QStringLiteral("TIME"));
    const QCommandLineOption watchOption(QStringLiteral("watch"),
                                         QStringLiteral("Observe /oc/swu and print every notification until the "
                                                        "step ends (nsa/sva/idle with a result)."));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           QStringLiteral("Give up after S seconds (default 30; with --watch 600; "
                                                          "discover listens 3)."),
                                           QStringLiteral("S"));
    const QCommandLineOption bindOption(QStringLiteral("bind"),
                                        QStringLiteral("The local address[:port] requests come from (a device's "
                                                       "--allow names it)."),
                                        QStringLiteral("ADDR"));
    parser.addOptions({connOption, purlOption, atOption, watchOption, timeoutOption, bindOption});
    parser.addPositionalArgument(QStringLiteral("STEP"), QStringLiteral("status | check | validate | upgrade | discover"));
    if (auto stop = parseCommand(
            parser, args, io,
            QStringLiteral("OCF software update over CoAP (the oic.r.softwareupdate resource at /oc/swu):\n"
                           "  status    GET /oc/swu: state, result, nv, purl, updatetime, lastupdate\n"
                           "  check     swupdateaction isac: is there newer software at purl? (state nsa, nv)\n"
                           "  validate  swupdateaction isvv: download and validate it (state svv → sva)\n"
                           "  upgrade   swupdateaction upgrade at --at: download, validate, apply, reboot\n"
                           "  discover  GET /oic/res multicast (224.0.1.187 / ff02::158 port 5683), or of each --conn\n\n"
                           "Exit codes: 0 success, 1 a device reported a failure (swupdateresult ≥ 2) or refused the "
                           "request, 2 usage, 3 no answer.\n\n"
                           "Example:\n"
                           "  otalab-cli ocf --conn coap://127.0.0.1:5683 upgrade --purl coap://127.0.0.1:5684/fw/image "
                           "--at +10 --watch")))
        return *stop;
    QStringList positional = parser.positionalArguments();
    if (args.value(0).endsWith(QLatin1String(" discover")))   // dispatched as "ocf discover"
        positional.prepend(QStringLiteral("discover"));
    if (positional.size() != 1)
        return reportError(io, QStringLiteral("give one step: status, check, validate, upgrade or discover (see --help)"),
                           ExitUsage);
    const QString stepName = positional.first();
    std::vector<CoapPeer> devices;
    for (const QString& conn : parser.values(connOption)) {
        auto peer = parseConn(conn);
        if (!peer)
            return reportError(io, peer.error().message, ExitUsage);
        devices.push_back(*peer);
    }
    int timeoutS = -1;
    if (parser.isSet(timeoutOption)) {
        auto value = parseUnsigned(parser.value(timeoutOption), QStringLiteral("timeout"), 86400);
        if (!value || *value == 0)
            return reportError(io, value ? QStringLiteral("--timeout: 0 seconds leaves no time to answer")
                                         : value.error().message, ExitUsage);
        timeoutS = int(*value);
    }
    if (!QCoreApplication::instance())
        return reportError(io, QStringLiteral("internal: ocf needs a QCoreApplication"), ExitConnection);
    hw::ocf::OcfUdpEndpoint endpoint;
    if (parser.isSet(bindOption)) {
        auto hp = hw::ocf::parseHostPort(parser.value(bindOption), 0);
        if (!hp)
            return reportError(io, QStringLiteral("--bind: %1").arg(hp.error().message), ExitUsage);
        if (auto ok = endpoint.bind(hp->host, hp->port); !ok)
            return reportError(io, ok.error().message, kNoAnswer);
    } else if (stepName == QLatin1String("discover") && devices.empty()) {
        if (auto ok = endpoint.bind(QStringLiteral("*"), 0); !ok)
            return reportError(io, ok.error().message, kNoAnswer);
    }
    hw::ocf::OcfCoapClient client(&endpoint);
    if (stepName == QLatin1String("discover"))
        return discover(client, devices, (timeoutS > 0 ? timeoutS : 3) * 1000, io);

    OcfStepOptions options;
    if (stepName == QLatin1String("status"))
        options.step = OcfStep::Status;
    else if (stepName == QLatin1String("check"))
        options.step = OcfStep::Check;
    else if (stepName == QLatin1String("validate"))
        options.step = OcfStep::Validate;
    else if (stepName == QLatin1String("upgrade"))
        options.step = OcfStep::Upgrade;
    else
        return reportError(io, QStringLiteral("unknown step '%1': expected status, check, validate, upgrade or discover")
                                   .arg(stepName), ExitUsage);
    if (devices.empty())
        return reportError(io, QStringLiteral("give the device(s) with --conn coap://HOST[:PORT]"), ExitUsage);
    if (parser.isSet(purlOption)) {
        if (options.step == OcfStep::Status)
            return reportError(io, QStringLiteral("--purl goes with check, validate or upgrade"), ExitUsage);
        options.purl = parser.value(purlOption).trimmed();
    }
    if (parser.isSet(atOption)) {
        if (options.step != OcfStep::Upgrade)
            return reportError(io, QStringLiteral("--at goes with upgrade"), ExitUsage);
        auto at = parseAt(parser.value(atOption));
        if (!at)
            return reportError(io, at.error().message, ExitUsage);
        options.updateTime = *at;
    }
    options.watch = parser.isSet(watchOption);
    if (options.watch && options.step == OcfStep::Status)
        return reportError(io, QStringLiteral("--watch goes with check, validate or upgrade"), ExitUsage);
    const int limitMs = (timeoutS > 0 ? timeoutS : (options.watch ? 600 : 30)) * 1000;

    QEventLoop loop;
    std::vector<std::unique_ptr<OcfClientSession>> sessions;
    int running = 0;
    for (const CoapPeer& device : devices) {
        const QString prefix = hw::ocf::hostPortText(device.host, device.port) + QStringLiteral(": ");
        auto session = std::make_unique<OcfClientSession>(&client, device, options, [&io, prefix](const QString& line) {
            io.out << prefix << line << "\n";
            io.out.flush();
        });
        QObject::connect(session.get(), &OcfClientSession::finished, &loop, [&] {
            if (--running == 0)
                loop.quit();
        });
        ++running;
        sessions.push_back(std::move(session));
    }
    for (auto& session : sessions)
        session->start();
    QTimer limit;
    limit.setSingleShot(true);
    QObject::connect(&limit, &QTimer::timeout, &loop, [&] {
        for (auto& session : sessions)
            session->abandon(QStringLiteral("no end of the step after %1 s").arg(limitMs / 1000));
    });
    limit.start(limitMs);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::interrupted, &loop, [&] {
        for (auto& session : sessions)
            session->abandon(QStringLiteral("interrupted"));
    });
    if (running > 0)
        loop.exec();
    int worst = ExitOk;
    for (const auto& session : sessions) {
        const int code = session->exitCode();
        if (code == kNoAnswer || (code == ExitInvalid && worst == ExitOk))
            worst = code;
    }
    return worst;
}

} // namespace otalab::cli
