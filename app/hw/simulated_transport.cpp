// SPDX-License-Identifier: Apache-2.0
// The built-in "sim" transport: a simulated SMP board paced by the wall clock.
#include "app/hw/simulated_transport.h"

#include "core/mcuboot/image_creator.h"

#include <QCoreApplication>
#include <QFile>

#include <cmath>

namespace otalab::hw {

using core::transport::ConnectionSpec;
using core::transport::Discovery;
using core::transport::Endpoint;
using core::transport::Transport;
using sim::SimTime;

namespace {

// The image a fresh simulated board runs: unsigned (SHA256 TLV only), 32 KiB of
// deterministic bytes, like a small Zephyr application.
Result<QByteArray> defaultImage(const QString& versionText)
{
    auto version = core::mcuboot::ImageVersion::parse(versionText);
    if (!version)
        return fail(QStringLiteral("sim: version=%1 is not a version like 1.0.0").arg(versionText));
    QByteArray body(32 * 1024, '\0');
    std::uint32_t x = 0x5eed1234u;
    for (qsizetype i = 0; i < body.size(); ++i) {
        x = x * 1664525u + 1013904223u;
        body[i] = char(x >> 24);
    }
    core::mcuboot::ImageCreateOptions options;
    options.padHeader = true;
    options.version = *version;
    return core::mcuboot::createImage(body, options);
}

} // namespace

// --- SimulatedBoard -------------------------------------------------------------------

SimulatedBoard::SimulatedBoard(sim::SmpTestbedConfig config, double speed, QObject* parent)
    : QObject(parent), m_testbed(std::move(config)), m_speed(speed > 0 ? speed : 1.0)
{
    m_clock.start();
    m_wake.setSingleShot(true);
    m_wake.setTimerType(Qt::PreciseTimer);
    connect(&m_wake, &QTimer::timeout, this, &SimulatedBoard::catchUp);
}

SimulatedBoard::~SimulatedBoard()
{
    m_testbed.link().attachHost(nullptr);
}

SimTime SimulatedBoard::virtualNow() const
{
    return SimTime::fromNanos(std::int64_t(double(m_clock.nsecsElapsed()) * m_speed));
}

void SimulatedBoard::catchUp()
{
    if (m_running)
        return;
    sim::Simulator& sim = m_testbed.simulator();
    const SimTime now = virtualNow();
    if (now > sim.now()) {
        m_running = true;
        sim.runUntil(now);
        m_running = false;
    }
    reportWireBytes();
    flushDeliveries();
    rearm();
}

void SimulatedBoard::rearm()
{
    const auto next = m_testbed.simulator().nextEventTime();
    if (!next) {
        m_wake.stop();
        return;
    }
    const double wallMs = (*next - virtualNow()).toMillis() / m_speed;
    m_wake.start(int(std::clamp(std::ceil(wallMs), 0.0, 24.0 * 3600 * 1000)));
}

bool SimulatedBoard::attach(SimulatedTransport* transport, QString* why)
{
    catchUp();
    if (m_host && m_host != transport) {
        if (why)
            *why = QStringLiteral("the simulated board is in use by another connection");
        return false;
    }
    sim::SmpLink& link = m_testbed.link();
    link.attachHost(this);
    if (!link.hostOpen(why))
        return false;
    m_host = transport;
    m_reportedSent = link.stats().hostWireBytes;
    m_reportedReceived = link.stats().deviceWireBytes;
    return true;
}

void SimulatedBoard::detach(SimulatedTransport* transport)
{
    if (m_host != transport)
        return;
    m_host = nullptr;                 // nothing more is passed to it (it may be being destroyed)
    m_testbed.link().hostClose();     // what is in flight is lost, like on a closed port
}

bool SimulatedBoard::send(const QByteArray& packet)
{
    catchUp();
    const bool sent = m_testbed.link().sendFromHost(packet);
    reportWireBytes();
    rearm();
    return sent;
}

void SimulatedBoard::reportWireBytes()
{
    if (!m_host)
        return;
    const sim::SmpLinkStats& s = m_testbed.link().stats();
    const qint64 sent = s.hostWireBytes - m_reportedSent;
    const qint64 received = s.deviceWireBytes - m_reportedReceived;
    m_reportedSent = s.hostWireBytes;
    m_reportedReceived = s.deviceWireBytes;
    if (sent != 0 || received != 0)
        m_host->boardWireBytes(sent, received);
}

void SimulatedBoard::onLinkPacket(const QByteArray& packet) { m_deliveries.push_back({Delivery::Kind::Packet, packet, {}}); }
void SimulatedBoard::onLinkDown() { m_deliveries.push_back({Delivery::Kind::Down, {}, {}}); }
void SimulatedBoard::onLinkText(const QByteArray& line) { m_deliveries.push_back({Delivery::Kind::Text, line, {}}); }
void SimulatedBoard::onLinkError(const QString& message) { m_deliveries.push_back({Delivery::Kind::Error, {}, message}); }

void SimulatedBoard::flushDeliveries()
{
    if (m_flushing)
        return;   // the outer loop passes on what a nested catch-up added
    m_flushing = true;
    while (!m_deliveries.empty()) {
        const Delivery d = std::move(m_deliveries.front());
        m_deliveries.pop_front();
        QPointer<SimulatedTransport> host = m_host;
        if (!host)
            continue;
        switch (d.kind) {
        case Delivery::Kind::Packet: host->boardPacket(d.bytes); break;
        case Delivery::Kind::Down:
            m_host = nullptr;
            host->boardDown();
            break;
        case Delivery::Kind::Text: host->boardText(d.bytes); break;
        case Delivery::Kind::Error: host->boardError(d.message); break;
        }
    }
    m_flushing = false;
}

// --- SimulatedTransport ---------------------------------------------------------------

SimulatedTransport::SimulatedTransport(std::shared_ptr<SimulatedBoard> board, QString name, QObject* parent)
    : Transport(parent), m_board(std::move(board)), m_name(std::move(name))
{
}

SimulatedTransport::~SimulatedTransport()
{
    m_board->detach(this);
}

QString SimulatedTransport::describe() const
{
    return QStringLiteral("%1 (%2)").arg(m_name, m_board->testbed().link().describe());
}

int SimulatedTransport::maxPacketSize() const { return m_board->testbed().link().maxPacketSize(); }
int SimulatedTransport::mtu() const { return m_board->testbed().link().mtu(); }

void SimulatedTransport::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void SimulatedTransport::open()
{
    if (m_state != State::Closed)
        return;
    setState(State::Opening);
    const quint64 generation = ++m_generation;
    QTimer::singleShot(0, this, [this, generation] {
        if (generation != m_generation || m_state != State::Opening)
            return;
        QString why;
        if (m_board->attach(this, &why)) {
            setState(State::Open);
        } else {
            Q_EMIT errorOccurred(QStringLiteral("cannot open %1: %2").arg(describe(), why));
            setState(State::Closed);
        }
    });
}

void SimulatedTransport::close()
{
    ++m_generation;
    m_board->detach(this);
    setState(State::Closed);
}

bool SimulatedTransport::send(const QByteArray& packet)
{
    if (m_state != State::Open) {
        Q_EMIT errorOccurred(QStringLiteral("cannot send: %1 is not open").arg(describe()));
        return false;
    }
    if (packet.size() > maxPacketSize()) {
        Q_EMIT errorOccurred(QStringLiteral("cannot send a %1-byte packet over %2: it carries at most %3 bytes")
                                 .arg(packet.size()).arg(describe()).arg(maxPacketSize()));
        return false;
    }
    return m_board->send(packet);
}

void SimulatedTransport::boardPacket(const QByteArray& packet)
{
    if (m_state == State::Open)
        Q_EMIT packetReceived(packet);
}

void SimulatedTransport::boardDown()
{
    if (m_state == State::Closed)
        return;
    Q_EMIT errorOccurred(QStringLiteral("%1 went away: the simulated board restarts").arg(describe()));
    setState(State::Closed);
}

void SimulatedTransport::boardText(const QByteArray& line)
{
    QString text = QString::fromUtf8(line);
    while (text.endsWith(QLatin1Char('\n')) || text.endsWith(QLatin1Char('\r')))
        text.chop(1);
    Q_EMIT logText(text);
}

void SimulatedTransport::boardError(const QString& message)
{
    Q_EMIT errorOccurred(QStringLiteral("dropped a garbled frame from %1 (%2); the request is retried")
                             .arg(describe(), message));
}

void SimulatedTransport::boardWireBytes(qint64 sent, qint64 received)
{
    Q_EMIT wireBytes(sent, received);
}

// --- factory ----------------------------------------------------------------------------

SimulatedTransportFactory& SimulatedTransportFactory::instance()
{
    static SimulatedTransportFactory factory;
    return factory;
}

Result<Transport*> SimulatedTransportFactory::create(const ConnectionSpec& spec, QObject* parent)
{
    if (spec.serve)
        return fail(QStringLiteral("sim: a simulated board cannot serve; use otalab-cli target serve --serial PTY | "
                                   "--udp PORT to offer one to other programs"));
    QVariantMap options = spec.options;
    double speed = 1.0;
    if (options.contains(QStringLiteral("speed"))) {
        bool ok = false;
        speed = options.take(QStringLiteral("speed")).toString().toDouble(&ok);
        if (!ok || !(speed > 0) || speed > 10000)
            return fail(QStringLiteral("sim: speed must be a number above 0 and at most 10000 (1 = real time)"));
    }
    const QString imagePath = options.take(QStringLiteral("image")).toString();
    const QString version = options.take(QStringLiteral("version")).toString();
    const QString boardName = options.take(QStringLiteral("board")).toString();
    if (!imagePath.isEmpty() && !version.isEmpty())
        return fail(QStringLiteral("sim: give image=PATH or version=X.Y.Z for the board's first image, not both"));

    const QString name = QStringLiteral("sim:%1").arg(spec.target.trimmed().toLower())
                       + (boardName.isEmpty() ? QString() : QStringLiteral(" '%1'").arg(boardName));
    if (!boardName.isEmpty()) {
        const auto it = m_named.find(boardName);
        if (it != m_named.end())
            return new SimulatedTransport(it->second, name, parent);
    }

    auto config = sim::parseSmpSimSpec(spec.target, options);
    if (!config)
        return fail(config.error());
    QByteArray image;
    if (!imagePath.isEmpty()) {
        QFile file(imagePath);
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("sim: cannot read image=%1: %2").arg(imagePath, file.errorString()));
        image = file.readAll();
    } else {
        auto made = defaultImage(version.isEmpty() ? QStringLiteral("1.0.0") : version);
        if (!made)
            return fail(made.error());
        image = *made;
    }
    auto board = std::make_shared<SimulatedBoard>(std::move(*config), speed);
    auto installed = board->testbed().device().install(image);
    if (!installed)
        return fail(QStringLiteral("sim: the board cannot start %1: %2")
                        .arg(imagePath.isEmpty() ? QStringLiteral("its image") : imagePath, installed.error().toString()));
    if (!boardName.isEmpty()) {
        if (m_named.empty())
            qAddPostRoutine([] { instance().m_named.clear(); });   // before QCoreApplication is gone
        m_named.emplace(boardName, board);
    }
    return new SimulatedTransport(std::move(board), name, parent);
}

namespace {

class SimulatedDiscovery final : public Discovery {
public:
    explicit SimulatedDiscovery(QObject* parent) : Discovery(parent)
    {
        QTimer::singleShot(0, this, [this] {
            Q_EMIT endpointFound(Endpoint{QStringLiteral("sim:serial"), QStringLiteral("simulated serial board"),
                                          QStringLiteral("Zephyr SMP over a 115200-baud UART (USB CDC), MCUboot swap-move")});
            Q_EMIT endpointFound(Endpoint{QStringLiteral("sim:ble"), QStringLiteral("simulated BLE board"),
                                          QStringLiteral("SMP over GATT, 30 ms interval, ATT MTU 247")});
            Q_EMIT endpointFound(Endpoint{QStringLiteral("sim:udp"), QStringLiteral("simulated UDP board"),
                                          QStringLiteral("SMP over UDP, 10 Mbit/s, 1 ms one way")});
            Q_EMIT finished();
            deleteLater();
        });
    }
};

} // namespace

Discovery* SimulatedTransportFactory::discover(QObject* parent)
{
    return new SimulatedDiscovery(parent);
}

QList<TransportPluginInfo> builtinTransports()
{
    return {TransportPluginInfo{QStringLiteral("sim"), QStringLiteral("Simulated board (built in)"), 1,
                                QStringLiteral("(built in)")}};
}

core::transport::TransportFactory* builtinTransportFactory(const QString& scheme)
{
    if (scheme == QLatin1String("sim"))
        return &SimulatedTransportFactory::instance();
    return nullptr;
}

} // namespace otalab::hw
