// SPDX-License-Identifier: Apache-2.0
// The connection side of `otalab-cli smp`: shared options and the operation runner.
#include "app/cli/smp_client.h"

#include "app/cli/smp_signals.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QTimer>

namespace otalab::cli {

using core::smp::ClientOperation;
using core::transport::ConnectionSpec;
using core::transport::Transport;

namespace {

const QCommandLineOption& connOption()
{
    static const QCommandLineOption o(QStringLiteral("conn"),
                                      QStringLiteral("The board: serial:PORT[,baud=115200,...] | udp:HOST[:PORT] | "
                                                     "ble:NAME-or-ADDRESS | sim:serial|ble|udp[,baud=...,speed=...] (a simulated "
                                                     "board, no hardware)."),
                                      QStringLiteral("SPEC"));
    return o;
}
const QCommandLineOption& timeoutOption()
{
    static const QCommandLineOption o(QStringLiteral("timeout-ms"),
                                      QStringLiteral("Wait this long for each answer before asking again (default 5000; "
                                                     "upload chunks adapt to the measured round trip)."),
                                      QStringLiteral("N"));
    return o;
}
const QCommandLineOption& retriesOption()
{
    static const QCommandLineOption o(QStringLiteral("retries"),
                                      QStringLiteral("Ask again this many times before giving up (default 4)."),
                                      QStringLiteral("N"));
    return o;
}
const QCommandLineOption& windowOption()
{
    static const QCommandLineOption o(QStringLiteral("window"),
                                      QStringLiteral("Upload chunks in flight (default: the board's buffer count - 1; "
                                                     "1 = stop and wait)."),
                                      QStringLiteral("N"));
    return o;
}
const QCommandLineOption& mtuOption()
{
    static const QCommandLineOption o(QStringLiteral("mtu"),
                                      QStringLiteral("Largest SMP packet to send, in bytes (the board's buffer size "
                                                     "limits further; udp: also the datagram size)."),
                                      QStringLiteral("N"));
    return o;
}
const QCommandLineOption& v1Option()
{
    static const QCommandLineOption o(QStringLiteral("v1"),
                                      QStringLiteral("Speak SMP version 1 (boards before Zephyr 3.3; v2 falls back by itself)."));
    return o;
}
const QCommandLineOption& verboseOption()
{
    static const QCommandLineOption o(QStringList{QStringLiteral("v"), QStringLiteral("verbose")},
                                      QStringLiteral("Print every packet exchanged and the board's console on stderr."));
    return o;
}

Result<std::optional<int>> readInt(const QCommandLineParser& parser, const QCommandLineOption& option, quint64 min,
                                   quint64 max)
{
    if (!parser.isSet(option))
        return std::optional<int>{};
    const QString name = option.names().constLast();
    auto value = parseUnsigned(parser.value(option), name, max);
    if (!value)
        return fail(value.error());
    if (*value < min)
        return fail(QStringLiteral("--%1: %2 is below the minimum %3").arg(name, parser.value(option)).arg(min));
    return std::optional<int>(int(*value));
}

} // namespace

core::smp::RequestPolicy SmpOptions::policy() const
{
    core::smp::RequestPolicy p;
    if (timeoutMs)
        p.timeoutMs = *timeoutMs;
    if (retries)
        p.retries = *retries;
    return p;
}

QList<QCommandLineOption> smpOptionList()
{
    return {connOption(), timeoutOption(), retriesOption(), windowOption(), mtuOption(), v1Option(), verboseOption()};
}

Result<void> readSmpOptions(const QCommandLineParser& parser, SmpOptions& options)
{
    if (parser.isSet(connOption())) {
        options.conn = parser.value(connOption()).trimmed();
        if (options.conn.isEmpty())
            return fail(QStringLiteral("--conn is empty; write e.g. --conn serial:/dev/ttyACM0 or --conn udp:192.168.1.5"));
    }
    struct IntOption {
        const QCommandLineOption& option;
        std::optional<int>& target;
        quint64 min;
        quint64 max;
    };
    const IntOption ints[] = {
        {timeoutOption(), options.timeoutMs, 10, 3'600'000},
        {retriesOption(), options.retries, 0, 100},
        {windowOption(), options.window, 1, 64},
        {mtuOption(), options.mtu, 32, core::smp::kMaxPacketSize},
    };
    for (const IntOption& i : ints) {
        auto value = readInt(parser, i.option, i.min, i.max);
        if (!value)
            return fail(value.error());
        if (*value)
            i.target = *value;
    }
    options.v1 = options.v1 || parser.isSet(v1Option());
    options.verbose = options.verbose || parser.isSet(verboseOption());
    return {};
}

hw::TransportRegistry& transportRegistry()
{
    static hw::TransportRegistry registry;
    return registry;
}

int exitCodeFor(const SmpRunResult& result, bool boardRefused)
{
    if (result.ok)
        return ExitOk;
    if (boardRefused)
        return ExitInvalid;
    return ExitConnection;
}

Result<std::unique_ptr<SmpLink>> SmpLink::open(const SmpOptions& options)
{
    if (options.conn.isEmpty())
        return fail(QStringLiteral("--conn is required: say where the board is, e.g. --conn serial:/dev/ttyACM0, "
                                   "--conn udp:192.168.1.5 or --conn ble:Zephyr"));
    auto spec = ConnectionSpec::parse(options.conn);
    if (!spec)
        return fail(QStringLiteral("--conn: %1").arg(spec.error().message));
    if (!QCoreApplication::instance())
        return fail(QStringLiteral("internal: smp commands need a QCoreApplication"));
    // --mtu also sizes the UDP datagrams unless the connection names its own mtu=.
    if (options.mtu && spec->scheme == QLatin1String("udp") && !spec->options.contains(QStringLiteral("mtu")))
        spec->options.insert(QStringLiteral("mtu"), QString::number(*options.mtu));
    auto created = transportRegistry().create(*spec, nullptr);
    if (!created)
        return fail(created.error());
    return std::unique_ptr<SmpLink>(new SmpLink(options, std::unique_ptr<Transport>(*created)));
}

SmpLink::SmpLink(const SmpOptions& options, std::unique_ptr<Transport> transport)
    : m_options(options), m_transport(std::move(transport)),
      m_carry(options.v1 ? core::smp::ProtocolVersion::V1 : core::smp::ProtocolVersion::V2)
{
    m_carry.setNextSequence(std::uint8_t(QRandomGenerator::global()->bounded(256)));
}

SmpLink::~SmpLink()
{
    m_session.reset();
    if (m_transport)
        m_transport->close();
}

int SmpLink::maxPacketBytes() const
{
    int limit = std::min(m_transport->maxPacketSize(), core::smp::kMaxPacketSize);
    if (m_options.mtu)
        limit = std::min(limit, *m_options.mtu);
    return limit;
}

void SmpLink::close()
{
    m_transport->close();
}

bool SmpLink::pause(int ms)
{
    QEventLoop loop;
    bool interrupted = false;
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::interrupted, &loop, [&] {
        interrupted = true;
        loop.quit();
    });
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
    return !interrupted;
}

SmpRunResult SmpLink::run(std::unique_ptr<ClientOperation> operation, const SmpRunHooks& hooks)
{
    m_session.reset();
    operation->requester().continueFrom(m_carry);
    if (m_options.mtu)
        operation->limitPackets({*m_options.mtu, QStringLiteral("--mtu %1 allows packets of at most %1 bytes: raise "
                                                                "or drop --mtu")
                                                     .arg(*m_options.mtu)});
    ClientOperation* op = operation.get();
    auto session = std::make_unique<hw::SmpSession>(m_transport.get(), std::move(operation));
    SmpRunResult result;
    QEventLoop loop;
    QObject::connect(session.get(), &hw::SmpSession::finished, &loop, [&](bool ok, const QString& message) {
        result.ok = ok;
        result.message = message;
        loop.quit();
    });
    if (hooks.progress)
        QObject::connect(session.get(), &hw::SmpSession::progress, &loop, hooks.progress);
    if (hooks.log)
        QObject::connect(session.get(), &hw::SmpSession::log, &loop, hooks.log);
    if (hooks.deviceLog)
        QObject::connect(session.get(), &hw::SmpSession::deviceLog, &loop, hooks.deviceLog);
    if (hooks.linkChanged)
        QObject::connect(session.get(), &hw::SmpSession::linkChanged, &loop, hooks.linkChanged);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::interrupted, &loop, [&] {
        result.interrupted = true;
        session->cancel();
    });
    QElapsedTimer clock;
    clock.start();
    session->start();
    if (!session->isFinished())
        loop.exec();
    result.seconds = clock.elapsed() / 1000.0;
    result.connected = session->isStarted();
    result.wireSent = session->wireBytesSent();
    result.wireReceived = session->wireBytesReceived();
    m_carry.continueFrom(op->requester());
    m_session = std::move(session);
    return result;
}

} // namespace otalab::cli
