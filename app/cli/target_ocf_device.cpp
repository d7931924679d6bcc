// SPDX-License-Identifier: Apache-2.0
#include "app/cli/target_ocf_device.h"

#include "core/common/overloaded.h"

#include <QDateTime>
#include <QDir>
#include <QUuid>

namespace otalab::cli {

using core::ocf::CoapMessage;
using core::ocf::CoapPeer;
using core::ocf::DeviceActions;
using core::ocf::SwUpdatePersisted;
using core::ocf::SwUpdateTimer;
namespace coap_code = core::ocf::coap_code;

namespace {

// A device's user data on first start (pairings, preferences): deterministic per name.
QByteArray initialUserData(const QString& name)
{
    QByteArray data = QStringLiteral("{\"name\":\"%1\",\"pairings\":[\"hub-1\",\"app-7\"],\"scene\":\"evening\"}\n")
                          .arg(name)
                          .toUtf8();
    return data;
}

core::ocf::SwUpdateDeviceConfig machineConfig(const OcfTargetConfig& config)
{
    core::ocf::SwUpdateDeviceConfig c;
    c.name = config.name;
    c.deviceId = QUuid::createUuidV5(QUuid(QStringLiteral("{6f0c1a4e-8f8b-4f5e-9a51-0ca1ab0ca1ab}")), config.name)
                     .toString(QUuid::WithoutBraces);
    c.authorisedClients = config.allow;
    c.blockSzx = config.blockSzx;
    return c;
}

} // namespace

OcfTargetDevice::OcfTargetDevice(OcfTargetConfig config, hw::ocf::OcfUdpEndpoint* endpoint, QTextStream& out,
                                 QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_endpoint(endpoint), m_out(out),
      m_loader(m_config.geometry,
               core::mcuboot::BootConfig{core::mcuboot::BootStrategy::SwapMove, m_config.keys, m_config.validatePrimary}),
      m_flashStore(m_config.stateDir), m_stateFiles(m_config.stateDir)
{
    for (QTimer* t : {&m_requestTimer, &m_applyTimer, &m_rebootTimer})
        t->setSingleShot(true);
    auto fire = [this](SwUpdateTimer timer) {
        DeviceActions actions;
        m_device->onTimer(now(), timer, actions);
        handle(actions);
    };
    connect(&m_requestTimer, &QTimer::timeout, this, [fire] { fire(SwUpdateTimer::Request); });
    connect(&m_applyTimer, &QTimer::timeout, this, [fire] { fire(SwUpdateTimer::Apply); });
    connect(&m_rebootTimer, &QTimer::timeout, this, &OcfTargetDevice::rebootNow);
}

OcfTargetDevice::~OcfTargetDevice() = default;

qint64 OcfTargetDevice::now() const
{
    return QDateTime::currentMSecsSinceEpoch() + m_config.clockOffsetMs;
}

void OcfTargetDevice::listenOn(hw::ocf::OcfUdpEndpoint* listener)
{
    connect(listener, &hw::ocf::OcfUdpEndpoint::datagramReceived, this, &OcfTargetDevice::onDatagram);
}

QString OcfTargetDevice::identityFor(const CoapPeer& peer) const
{
    const QString exact = hw::ocf::hostPortText(peer.host, peer.port);
    for (const QString& entry : m_config.allow)
        if (entry == exact || entry == peer.host)
            return entry;
    return exact;
}

Result<void> OcfTargetDevice::start()
{
    if (m_stateFiles.enabled() && !QDir().mkpath(m_config.stateDir))
        return fail(QStringLiteral("cannot create the state folder %1").arg(m_config.stateDir));
    auto restored = m_flashStore.load(m_loader.flash());
    if (!restored)
        return fail(restored.error());
    if (*restored) {
        m_out << "restored the flash from " << m_config.stateDir << "\n";
    } else {
        if (auto ok = m_loader.flash().program(core::mcuboot::kPrimarySlot, m_config.factoryImage); !ok)
            return fail(QStringLiteral("cannot flash the factory image: %1").arg(ok.error().message));
        m_out << "flashed " << m_config.factoryLabel << " into the primary slot\n";
    }
    core::ocf::McubootSwUpdatePlatform::Config platformConfig;
    platformConfig.trustedKeys = m_config.keys;
    m_platform = std::make_unique<core::ocf::McubootSwUpdatePlatform>(m_loader, platformConfig);
    auto userData = m_stateFiles.loadUserData();
    if (!userData)
        return fail(userData.error());
    if (*userData) {
        m_platform->setUserData(**userData);
    } else {
        m_platform->setUserData(initialUserData(m_config.name));
        if (auto ok = m_stateFiles.saveUserData(m_platform->userData()); !ok)
            return fail(ok.error());
    }
    auto kept = m_stateFiles.loadRecord();
    if (!kept)
        return fail(kept.error());
    if (*kept)
        m_out << "restored the swupdate record: state " << core::ocf::swUpdateStateName((*kept)->resource.state)
              << ", " << (*kept)->bytesStored << " image bytes stored\n";
    m_device = std::make_unique<core::ocf::SwUpdateDevice>(machineConfig(m_config), *m_platform);
    connect(m_endpoint, &hw::ocf::OcfUdpEndpoint::datagramReceived, this, &OcfTargetDevice::onDatagram);
    powerOn(*kept, false);
    return {};
}

void OcfTargetDevice::powerOn(const std::optional<SwUpdatePersisted>& kept, bool restart)
{
    const core::mcuboot::BootResult boot = m_platform->reboot();
    for (const QString& line : boot.log)
        m_out << "mcuboot: " << line << "\n";
    if (!boot.booted) {
        m_out << "mcuboot: no bootable image: the device stays dark\n";
        m_out.flush();
        saveState();
        return;
    }
    m_out << "booted version " << boot.version.toString() << " (swap " << core::mcuboot::swapTypeText(boot.swapType)
          << (boot.resumed ? ", resumed" : "") << "); user data " << m_platform->userData().size() << " bytes, sha256 "
          << m_platform->userDataChecksum() << "\n";
    // The platform counts the download progress in RAM; the flash still holds the bytes the
    // record says it stored (the secondary slot was not swapped): rewriting the last of them
    // (a no-op on flash: bits only go 1 → 0) tells the platform where the download stands.
    if (kept && kept->bytesStored > 0 && boot.swapType == core::mcuboot::SwapType::None && !boot.resumed
        && m_platform->storedBytes() == 0) {
        const std::uint64_t n = kept->bytesStored;
        const std::uint64_t align = std::uint64_t(m_loader.flash().geometry().writeAlign);
        const std::uint64_t from = (n - 1) / align * align;
        m_platform->writeSlot(from, m_loader.flash().read(core::mcuboot::kSecondarySlot, qint64(from), qint64(n - from)));
    }
    DeviceActions actions;
    m_device->boot(now(), kept, actions);
    if (restart) {
        // Observers registered before the reboot, registered again on their behalf.
        for (const Observation& o : m_observations) {
            CoapMessage get = core::ocf::makeRequest(core::ocf::CoapType::NonConfirmable, coap_code::Get,
                                                     std::uint16_t(0x8000 + m_reboots), o.token,
                                                     QString::fromLatin1(core::ocf::kSwUpdatePath));
            get.setObserve(0);
            CoapPeer from = o.peer;
            from.identity = identityFor(from);
            m_device->onMessage(now(), from, get, actions);
        }
    }
    handle(actions);
    saveState();
}

void OcfTargetDevice::rebootNow()
{
    ++m_reboots;
    m_out << "rebooting (" << m_reboots << ")\n";
    const SwUpdatePersisted record = m_device->persisted();
    m_requestTimer.stop();
    m_applyTimer.stop();
    powerOn(record, true);
}

void OcfTargetDevice::trackObserver(const CoapPeer& from, const QByteArray& datagram)
{
    auto message = core::ocf::decode(datagram);
    if (!message || message->code != coap_code::Get || message->uriPath() != QLatin1String(core::ocf::kSwUpdatePath))
        return;
    const auto observe = message->observe();
    if (!observe)
        return;
    std::erase_if(m_observations, [&](const Observation& o) {
        return o.peer.host == from.host && o.peer.port == from.port && o.token == message->token;
    });
    if (*observe == 0) {
        m_observations.push_back({from, message->token});
        if (m_observations.size() > 16)
            m_observations.erase(m_observations.begin());
    }
}

void OcfTargetDevice::onDatagram(const CoapPeer& source, const QByteArray& datagram)
{
    if (!m_loader.isRunning())
        return;   // nothing runs: the radio is silent
    CoapPeer from = source;
    from.identity = identityFor(source);
    if (m_config.verbose) {
        auto message = core::ocf::decode(datagram);
        m_out << "<- " << hw::ocf::hostPortText(from.host, from.port) << " "
              << (message ? message->summary() : QStringLiteral("malformed: ") + message.error().toString()) << "\n";
    }
    trackObserver(from, datagram);
    DeviceActions actions;
    m_device->onDatagram(now(), from, datagram, actions);
    handle(actions);
}

void OcfTargetDevice::handle(DeviceActions& actions)
{
    saveState();   // what the machine wrote is on "flash" before anything is printed or sent
    bool reboot = false;
    for (const core::ocf::DeviceAction& action : actions) {
        std::visit(Overloaded{
                       [&](const core::ocf::DeviceSend& send) {
                           if (m_config.verbose)
                               m_out << "-> " << hw::ocf::hostPortText(send.to.host, send.to.port) << " "
                                     << send.message.summary() << "\n";
                           if (!m_endpoint->sendMessage(send.to, send.message))
                               m_out << "cannot send to " << hw::ocf::hostPortText(send.to.host, send.to.port) << ": "
                                     << m_endpoint->lastError() << "\n";
                       },
                       [&](const core::ocf::DeviceArmTimer& arm) {
                           QTimer& t = arm.timer == SwUpdateTimer::Request ? m_requestTimer : m_applyTimer;
                           t.start(int(std::min<std::uint64_t>(arm.delayMs, std::uint64_t(INT_MAX))));
                       },
                       [&](const core::ocf::DeviceCancelTimer& cancel) {
                           (cancel.timer == SwUpdateTimer::Request ? m_requestTimer : m_applyTimer).stop();
                       },
                       [&](const core::ocf::DeviceStateChanged& change) {
                           m_out << "swupdatestate " << core::ocf::swUpdateStateName(change.from) << " → "
                                 << core::ocf::swUpdateStateName(change.to) << " (result " << int(change.result) << ")"
                                 << (change.why.isEmpty() ? QString() : QStringLiteral(": ") + change.why) << "\n";
                       },
                       [&](const core::ocf::DeviceProgress& progress) {
                           m_out << "stored " << progress.stored;
                           if (progress.total)
                               m_out << " of " << *progress.total;
                           m_out << " bytes\n";
                       },
                       [&](const core::ocf::DeviceReboot&) { reboot = true; },
                       [&](const core::ocf::DeviceRefused& refused) {
                           m_out << "refused " << refused.from.identity << ": " << refused.reason << "\n";
                       },
                   },
                   action);
    }
    m_out.flush();
    if (reboot) {
        m_out << "the new image is marked for MCUboot: rebooting\n";
        m_out.flush();
        m_rebootTimer.start(m_config.rebootMs);
    }
}

void OcfTargetDevice::saveState()
{
    if (!m_stateFiles.enabled())
        return;
    const auto& stats = m_loader.flash().stats();
    const qint64 ops = stats.writes + stats.sectorErases;
    if (ops != m_flashOpsSaved) {
        if (auto ok = m_flashStore.save(m_loader.flash()); !ok)
            m_out << "error: " << ok.error().message << "\n";
        m_flashOpsSaved = ops;
    }
    if (auto ok = m_stateFiles.saveRecord(m_device->persisted()); !ok)
        m_out << "error: " << ok.error().message << "\n";
}

} // namespace otalab::cli
