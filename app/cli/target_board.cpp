// SPDX-License-Identifier: Apache-2.0
// The emulated Zephyr/MCUboot board behind `otalab-cli target serve`.
#include "app/cli/target_board.h"

#include "app/cli/cli.h"
#include "app/cli/smp_output.h"
#include "app/cli/target_request_log.h"

namespace otalab::cli {

using core::mcuboot::BootResult;
using core::transport::Transport;

TargetBoard::TargetBoard(TargetConfig config, QTextStream& out, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_out(out), m_loader(m_config.geometry, m_config.boot),
      m_server(m_loader, m_config.server), m_store(m_config.stateDir)
{
    m_clock.start();
    m_sinceBoot.start();
    m_due.setSingleShot(true);
    m_due.setTimerType(Qt::PreciseTimer);
    connect(&m_due, &QTimer::timeout, this, &TargetBoard::runDue);
    connect(&m_chatter, &QTimer::timeout, this, [this] {
        if (m_running)
            console(QStringLiteral("[%1] <inf> app: heartbeat %2").arg(uptime()).arg(++m_chatterCount));
    });
    if (m_config.chatterMs > 0)
        m_chatter.start(m_config.chatterMs);
}

TargetBoard::~TargetBoard() = default;

qint64 TargetBoard::flashOperations() const
{
    const auto& s = m_loader.flash().stats();
    return s.writes + s.sectorErases;
}

Result<bool> TargetBoard::restoreState()
{
    auto loaded = m_store.load(m_loader.flash());
    if (loaded && *loaded)
        m_savedOperations = flashOperations();
    return loaded;
}

Result<void> TargetBoard::program(const QByteArray& image)
{
    if (image.size() > m_loader.flash().slotSize(core::mcuboot::kPrimarySlot))
        return fail(QStringLiteral("the image (%1 bytes) does not fit the %2-byte primary slot: raise --slot-size")
                        .arg(image.size()).arg(m_loader.flash().slotSize(core::mcuboot::kPrimarySlot)));
    return m_loader.flash().program(core::mcuboot::kPrimarySlot, image);
}

Result<void> TargetBoard::saveState()
{
    if (auto ok = m_store.save(m_loader.flash()); !ok)
        return ok;
    m_savedOperations = flashOperations();
    return {};
}

void TargetBoard::persist()
{
    if (auto ok = saveState(); !ok) {
        m_out << "target: " << ok.error().message << "\n";
        m_out.flush();
    }
}

void TargetBoard::saveIfChanged()
{
    if (m_store.enabled() && flashOperations() != m_savedOperations)
        persist();
}

void TargetBoard::attach(Transport* transport)
{
    m_transport = transport;
    connect(transport, &Transport::packetReceived, this, &TargetBoard::onPacket);
}

QString TargetBoard::uptime() const
{
    const qint64 ms = m_sinceBoot.elapsed();
    return QStringLiteral("%1:%2:%3.%4,000")
        .arg(ms / 3'600'000, 2, 10, QLatin1Char('0'))
        .arg((ms / 60'000) % 60, 2, 10, QLatin1Char('0'))
        .arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'))
        .arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

void TargetBoard::console(const QString& line)
{
    if (!m_transport || m_transport->state() != Transport::State::Open)
        return;
    // Only the serial plugin has a console; elsewhere the line goes nowhere, like on UDP.
    if (m_transport->metaObject()->indexOfMethod("sendConsoleText(QByteArray)") < 0)
        return;
    QMetaObject::invokeMethod(m_transport.data(), "sendConsoleText", Qt::DirectConnection,
                              Q_ARG(QByteArray, line.toUtf8()));
}

void TargetBoard::later(qint64 atMs, std::function<void()> action)
{
    auto it = m_pending.begin();
    while (it != m_pending.end() && it->atMs <= atMs)
        ++it;
    m_pending.insert(it, Pending{atMs, std::move(action)});
    m_due.start(int(std::max<qint64>(0, m_pending.front().atMs - m_clock.elapsed())));
}

void TargetBoard::runDue()
{
    while (!m_pending.empty() && m_pending.front().atMs <= m_clock.elapsed()) {
        const std::function<void()> action = std::move(m_pending.front().action);
        m_pending.pop_front();
        action();
    }
    if (!m_pending.empty())
        m_due.start(int(std::max<qint64>(0, m_pending.front().atMs - m_clock.elapsed())));
}

void TargetBoard::onPacket(const QByteArray& packet)
{
    if (!m_running) {
        if (!m_config.quiet) {
            m_out << "ignored (the board is booting): " << describeSmpRequest(packet) << "\n";
            m_out.flush();
        }
        return;
    }
    ++m_requests;
    // Sent now, before the answer (which leaves from runDue): a client always reads it first.
    if (m_config.logRequests)
        console(QStringLiteral("[%1] <dbg> mcumgr: %2").arg(uptime(), describeSmpRequest(packet)));
    const qint64 bytesBefore = m_loader.flash().stats().bytesWritten;
    const QString what = m_config.quiet ? QString() : describeSmpRequest(packet);
    core::smp::ServerOutput out = m_server.handle(packet);
    // What the answer acknowledges is in the state folder before the answer exists (a
    // real board answers after flash_write() returned) and before the request log shows it.
    saveIfChanged();
    if (!m_config.quiet) {
        m_out << what << " → " << describeSmpAnswer(out.responses) << "\n";
        for (const QString& line : out.log)
            m_out << "  " << line << "\n";
        m_out.flush();
    }
    // Flash writes take time on a real board: the answer leaves when they are done.
    qint64 delayMs = 0;
    if (m_config.flashKiBPerS > 0) {
        const qint64 written = m_loader.flash().stats().bytesWritten - bytesBefore;
        delayMs = qint64(double(written) * 1000.0 / (m_config.flashKiBPerS * 1024.0));
    }
    // One flash: writes queue behind each other.
    const qint64 at = std::max(m_clock.elapsed(), m_lastAnswerAtMs) + delayMs;
    m_lastAnswerAtMs = at;
    const quint64 generation = m_bootGeneration;
    later(at, [this, responses = out.responses, generation] {
        if (generation != m_bootGeneration || !m_transport || m_transport->state() != Transport::State::Open)
            return;
        for (const QByteArray& response : responses)
            m_transport->send(response);
    });
    if (out.resetRequested) {
        later(at + out.resetDelayMs, [this, generation] {
            if (generation == m_bootGeneration)
                reset();
        });
    }
}

void TargetBoard::reset()
{
    ++m_resets;
    m_running = false;
    ++m_bootGeneration;
    m_out << "reset requested (#" << m_resets << ")\n";
    m_out.flush();
    boot(QStringLiteral("reset"));
}

void TargetBoard::powerOn()
{
    boot(QStringLiteral("power on"));
}

void TargetBoard::boot(const QString& why)
{
    m_running = false;
    BootResult r = m_server.reboot();
    for (int attempt = 0; r.powerLost && attempt < 3; ++attempt)
        r = m_server.reboot();
    m_sinceBoot.restart();
    const QString swap = core::mcuboot::swapTypeText(r.swapType);
    if (r.booted)
        m_out << "boot (" << why << "): swap type " << swap << (r.resumed ? " (resumed an interrupted swap)" : "")
              << "; runs " << versionText(r.version) << " from the " << (r.slot == 0 ? "primary" : "secondary")
              << " slot\n";
    else
        m_out << "boot (" << why << "): no bootable image; the board stays in MCUboot and does not answer\n";
    for (const QString& line : r.log)
        m_out << "  mcuboot: " << line << "\n";
    m_out.flush();

    console(QStringLiteral("*** Booting MCUboot v2.1.0 ***"));
    console(QStringLiteral("I: Starting bootloader"));
    for (const QString& line : r.log)
        console(QStringLiteral("I: ") + line);
    persist();   // also what program() wrote (not counted as flash operations)
    if (!r.booted) {
        console(QStringLiteral("E: Unable to find bootable image"));
        return;
    }
    const quint64 generation = m_bootGeneration;
    const QString version = versionText(r.version);
    const int slot = r.slot;
    later(m_clock.elapsed() + m_config.bootMs, [this, generation, version, slot] {
        if (generation != m_bootGeneration)
            return;
        m_sinceBoot.restart();
        console(QStringLiteral("*** Booting Zephyr OS build v4.0.0 ***"));
        console(QStringLiteral("[%1] <inf> smp_svr: image %2 running from slot %3, mcumgr ready")
                    .arg(uptime(), version)
                    .arg(slot));
        m_running = true;
        m_out << "running " << version << " (answers requests)\n";
        m_out.flush();
    });
}

} // namespace otalab::cli
