// SPDX-License-Identifier: Apache-2.0
// SmpSimDevice: SMP thread, net_buf pool, flash timing, reset and boot of a simulated board.
#include "sim/smp/smpdevice.h"

#include "core/smp/smp_packet.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

bool carriesImageCheck(const QList<QByteArray>& responses)
{
    for (const QByteArray& response : responses) {
        const auto packet = core::smp::decodePacket(response);
        if (packet && packet->payload.contains(QStringLiteral("match")))
            return true;
    }
    return false;
}

} // namespace

SmpSimDevice::SmpSimDevice(Simulator& sim, SmpLink& link, SmpSimDeviceConfig config, NodeId node)
    : m_sim(sim),
      m_link(link),
      m_node(node),
      m_config(std::move(config)),
      m_board(m_config.geometry, m_config.boot),
      m_server(m_board, m_config.server)
{
    m_link.attachDevice(this);
}

Result<void> SmpSimDevice::install(const QByteArray& image)
{
    auto programmed = m_board.flash().program(core::mcuboot::kPrimarySlot, image);
    if (!programmed)
        return fail(programmed.error());
    m_lastBoot = m_server.reboot();
    m_running = m_lastBoot->booted;
    if (!m_running)
        return fail(QStringLiteral("the installed image does not boot: %1").arg(m_lastBoot->log.join(QStringLiteral("; "))));
    note(QStringLiteral("installed and booted %1").arg(m_lastBoot->version.toString()));
    return {};
}

void SmpSimDevice::resetNow()
{
    onReset();
}

void SmpSimDevice::powerCut(SimTime offFor)
{
    stopRunning();
    m_poweredOff = true;
    m_board.powerOff();
    note(QStringLiteral("power cut: off for %1 s").arg(offFor.toSeconds()));
    m_sim.scheduleAfter(offFor, *this, eventData(PowerOn));
}

void SmpSimDevice::armBootPowerCut(int sectors, SimTime offFor)
{
    m_bootCut = std::make_pair(sectors, offFor);
}

void SmpSimDevice::setFaultingVersion(std::optional<core::mcuboot::ImageVersion> version, SimTime after)
{
    m_faultingVersion = version;
    m_faultAfter = after;
}

void SmpSimDevice::stopRunning()
{
    ++m_generation;
    m_queue.clear();
    m_buffersHeld = 0;
    m_busy = false;
    m_current = {};
    m_running = false;
    if (m_link.dropsOnReset())
        m_link.setDevicePresent(false);
}

void SmpSimDevice::note(const QString& line)
{
    m_log.append(QStringLiteral("%1: %2").arg(QString::fromStdString(m_sim.now().toString()), line));
    if (m_log.size() > kMaxLogLines)
        m_log.removeFirst();
}

void SmpSimDevice::onLinkPacket(const QByteArray& packet)
{
    if (!m_running) {
        ++m_stats.ignoredWhileDown;
        return;
    }
    if (m_buffersHeld >= int(m_config.server.bufCount)) {
        ++m_stats.droppedNoBuffer;
        note(QStringLiteral("no free net_buf: request of %1 bytes dropped").arg(packet.size()));
        return;
    }
    ++m_buffersHeld;
    m_queue.push_back(packet);
    if (!m_busy)
        startNext();
}

void SmpSimDevice::onLinkError(const QString& message)
{
    ++m_stats.linkErrors;
    note(QStringLiteral("transport: %1").arg(message));
}

SimTime SmpSimDevice::flashCost(const core::mcuboot::FlashStats& before, const core::mcuboot::FlashStats& after)
{
    const SmpDeviceTiming& t = m_config.timing;
    const qint64 erases = after.sectorErases - before.sectorErases;
    const qint64 bytes = after.bytesWritten - before.bytesWritten;
    const qint64 words = (bytes + t.flashWordBytes - 1) / std::max(1, t.flashWordBytes);
    const SimTime erase = t.flashPageErase * erases;
    const SimTime write = t.flashWordWrite * words;
    m_stats.flashErase += erase;
    m_stats.flashWrite += write;
    if (erases > 0)
        m_bytesSinceErase = 0;
    m_bytesSinceErase += bytes;
    return erase + write;
}

SimTime SmpSimDevice::hashCost(qint64 bytes)
{
    if (bytes <= 0 || !(m_config.timing.hashBytesPerSecond > 0))
        return SimTime::zero();
    const SimTime t = SimTime::fromSeconds(double(bytes) / m_config.timing.hashBytesPerSecond);
    m_stats.hashing += t;
    return t;
}

void SmpSimDevice::startNext()
{
    if (m_queue.empty()) {
        m_busy = false;
        return;
    }
    m_busy = true;
    const QByteArray request = std::move(m_queue.front());
    m_queue.pop_front();
    ++m_stats.requests;
    const core::mcuboot::FlashStats before = m_board.flash().stats();
    m_current = m_server.handle(request);
    SimTime cost = m_config.timing.requestProcessing + flashCost(before, m_board.flash().stats());
    if (carriesImageCheck(m_current.responses))
        cost += hashCost(m_bytesSinceErase);
    for (const QString& line : m_current.log)
        note(line);
    m_stats.busy += cost;
    m_sim.scheduleAfter(cost, *this, eventData(WorkDone));
}

void SmpSimDevice::onWorkDone()
{
    SimTime free = m_sim.now();
    for (const QByteArray& response : m_current.responses) {
        if (m_buffersHeld >= int(m_config.server.bufCount)) {
            ++m_stats.unansweredNoBuffer;
            note(QStringLiteral("no free net_buf for the response: not answered"));
            continue;
        }
        free = std::max(free, m_link.sendFromDevice(response));
    }
    if (m_current.resetRequested) {
        note(QStringLiteral("reset in %1 ms").arg(m_current.resetDelayMs));
        m_sim.scheduleAfter(SimTime::fromMillis(m_current.resetDelayMs), *this, eventData(Reset));
    }
    m_current = {};
    m_sim.schedule(free, *this, eventData(WorkerFree));
}

void SmpSimDevice::onReset()
{
    stopRunning();
    m_poweredOff = false;
    ++m_stats.resets;
    const core::mcuboot::FlashStats before = m_board.flash().stats();
    std::optional<SimTime> cutOff;
    if (m_bootCut) {
        m_board.powerCutAfterSectors(m_bootCut->first);
        cutOff = m_bootCut->second;
        m_bootCut.reset();
    }
    m_lastBoot = m_server.reboot();
    const core::mcuboot::BootResult& boot = *m_lastBoot;
    SimTime time = flashCost(before, m_board.flash().stats());
    if (m_bootObserver)
        m_bootObserver(boot);
    if (boot.powerLost && cutOff) {
        // The power failed in the middle of the swap: off, then MCUboot runs again.
        m_stats.booting += time;
        m_poweredOff = true;
        note(QStringLiteral("power cut during MCUboot's %1 after %2 sector operations: off for %3 s")
                 .arg(core::mcuboot::swapTypeText(boot.swapType))
                 .arg(boot.sectorSteps)
                 .arg(cutOff->toSeconds()));
        for (const QString& line : boot.log)
            note(QStringLiteral("mcuboot: %1").arg(line));
        m_sim.scheduleAfter(time + *cutOff, *this, eventData(PowerOn));
        return;
    }
    // MCUboot hashes the candidate it validates and, with validatePrimary, the image it boots.
    qint64 hashed = 0;
    if (boot.swapType != core::mcuboot::SwapType::None)
        hashed += m_board.slotImage(core::mcuboot::kSecondarySlot).size;
    if (m_config.boot.validatePrimary && boot.slot >= 0)
        hashed += m_board.slotImage(boot.slot).size;
    time += hashCost(hashed);
    if (boot.booted)
        time += m_config.timing.appStart;
    m_stats.booting += time;
    note(QStringLiteral("reset: MCUboot %1, %2").arg(core::mcuboot::swapTypeText(boot.swapType),
                                                      boot.booted ? QStringLiteral("boots %1 from slot %2")
                                                                        .arg(boot.version.toString()).arg(boot.slot)
                                                                  : QStringLiteral("nothing boots")));
    for (const QString& line : boot.log)
        note(QStringLiteral("mcuboot: %1").arg(line));
    m_sim.scheduleAfter(time, *this, eventData(Booted));
}

void SmpSimDevice::onBooted()
{
    if (!m_lastBoot || !m_lastBoot->booted) {
        note(QStringLiteral("no bootable image: the board stays silent until it is reprogrammed"));
        return;
    }
    if (m_faultingVersion && m_lastBoot->version == *m_faultingVersion) {
        ++m_faults;
        note(QStringLiteral("application %1 faults %2 ms after start, before its SMP server is up; the watchdog "
                            "resets the board")
                 .arg(m_lastBoot->version.toString())
                 .arg(m_faultAfter.toMillis()));
        m_sim.scheduleAfter(m_faultAfter, *this, eventData(Reset));
        return;
    }
    m_running = m_board.isRunning();
    note(QStringLiteral("application %1 running").arg(m_lastBoot->version.toString()));
    m_link.sendTextFromDevice(QStringLiteral("*** Booting Zephyr OS build %1 ***\n")
                                  .arg(m_config.server.os.kernelRelease).toUtf8());
    if (!m_link.isDevicePresent())
        m_sim.scheduleAfter(m_config.timing.linkReturn, *this, eventData(LinkBack));
}

void SmpSimDevice::handleEvent(Simulator&, const Event& event)
{
    if (event.data.arg0 != m_generation)
        return;
    switch (event.data.kind) {
    case WorkDone: onWorkDone(); return;
    case WorkerFree:
        m_buffersHeld = std::max(0, m_buffersHeld - 1);
        startNext();
        return;
    case Reset: onReset(); return;
    case Booted: onBooted(); return;
    case LinkBack: m_link.setDevicePresent(true); return;
    case PowerOn: onReset(); return;
    default: return;
    }
}

} // namespace otalab::sim
