// SPDX-License-Identifier: Apache-2.0
// SmpFleetBoard: building a board when its push begins, its slot table, releasing its flash.
#include "sim/smp/smpfleetboard.h"

#include "sim/smp/smpblelink.h"
#include "sim/smp/smpudplink.h"

#include <cmath>

namespace otalab::sim {

namespace {

// Zephyr's img_mgmt prints "major.minor.revision" and appends ".build" when it is not 0.
QString boardVersion(const core::mcuboot::ImageVersion& v)
{
    QString text = QStringLiteral("%1.%2.%3").arg(v.major).arg(v.minor).arg(v.revision);
    if (v.build != 0)
        text += QStringLiteral(".%1").arg(v.build);
    return text;
}

SmpUdpLinkConfig udpLink(const SmpFleetUdpConfig& udp)
{
    SmpUdpLinkConfig link = udp.link;
    if (udp.datagramLoss > 0) {
        const double bytes = double(std::max(1, link.maxDatagram + link.headerBytes));
        const double perByte = 1.0 - std::pow(1.0 - std::min(udp.datagramLoss, 0.999999), 1.0 / bytes);
        link.byteErrorRate = 1.0 - (1.0 - link.byteErrorRate) * (1.0 - perByte);
    }
    return link;
}

} // namespace

SmpFleetBoard::SmpFleetBoard(std::size_t index_, NodeId node_, QString name_, SmpFleetBoardPlan plan_)
    : index(index_), node(node_), name(std::move(name_)), plan(plan_)
{
}

SmpFleetBoard::SmpFleetBoard(SmpFleetBoard&&) noexcept = default;
SmpFleetBoard& SmpFleetBoard::operator=(SmpFleetBoard&&) noexcept = default;
SmpFleetBoard::~SmpFleetBoard() = default;

Result<void> SmpFleetBoard::materialize(Simulator& sim, const SmpFleetConfig& config, const SmpFleetImages& images,
                                        const core::mcuboot::FlashGeometry& geometry)
{
    if (m_device)
        return {};
    SmpSimDeviceConfig device = config.boards.device;
    device.geometry = geometry;
    if (images.trustedKey)
        device.boot.keys = {*images.trustedKey};   // MCUboot trusts the fleet's key only
    if (config.link == SmpFleetConfig::Link::Ble) {
        m_link = std::make_unique<SmpBleLink>(sim, node, config.ble.link);
        device.server.bufSize = config.boards.bufSize ? config.boards.bufSize : 2475;   // smp_svr's Bluetooth overlay
        device.timing.linkReturn = config.ble.connectTime;   // the gateway connects again
    } else {
        m_link = std::make_unique<SmpUdpLink>(sim, node, udpLink(config.udp));
        device.server.bufSize = config.boards.bufSize ? config.boards.bufSize : 1500;   // one Ethernet MTU
    }
    m_device = std::make_unique<SmpSimDevice>(sim, *m_link, device, node);
    if (plan.unhealthy)
        m_device->setFaultingVersion(images.pushedVersion, plan.faultAfter.value_or(config.boards.faultAfter));
    for (const auto& [from, to] : plan.linkOutages)
        m_link->addOutage(from, to);
    if (auto installed = m_device->install(images.running); !installed)
        return fail(QStringLiteral("%1: %2").arg(name, installed.error().message));
    return {};
}

void SmpFleetBoard::retire(const SmpFleetImages& images)
{
    if (!m_device || m_retired)
        return;
    m_retiredSlots = slotRows(images);
    m_retiredVersion = runningVersion(images);
    m_retired = true;
    // A one-sector flash in place of the board's slots: the board never runs again (its
    // link is closed), events still pending on it find nothing to do.
    core::mcuboot::FlashGeometry tiny;
    tiny.primarySize = tiny.secondarySize = tiny.sectorSize;
    tiny.maxImageSectors = 1;
    m_device->board() = core::mcuboot::BootLoader(tiny, m_device->board().config());
}

std::vector<NamedValue> SmpFleetBoard::slotRows(const SmpFleetImages& images) const
{
    if (m_retired)
        return m_retiredSlots;
    if (!m_device) {
        return {{QStringLiteral("Slot 0"), QStringLiteral("%1 active confirmed").arg(images.runningVersionText)},
                {QStringLiteral("Slot 1"), QStringLiteral("empty")}};
    }
    core::smp::ImageServer& server = m_device->server().images();
    const auto flags = server.stateFlags();
    std::vector<NamedValue> rows;
    for (int slot = 0; slot < 2; ++slot) {
        QString text;
        const auto info = server.readInfo(slot);
        if (info.rc == core::smp::ImgMgmtErr::Ok) {
            QStringList words{boardVersion(info.info.version)};
            if (flags[slot].active)
                words << QStringLiteral("active");
            if (flags[slot].confirmed)
                words << QStringLiteral("confirmed");
            if (flags[slot].pending)
                words << QStringLiteral("pending");
            if (flags[slot].permanent)
                words << QStringLiteral("permanent");
            text = words.join(QLatin1Char(' '));
        } else if (slot == core::mcuboot::kSecondarySlot && server.uploadInProgress()) {
            text = QStringLiteral("receiving: %1 of %2 bytes").arg(server.uploadOffset()).arg(images.pushed.size());
        } else if (m_device->board().flash().isErased(slot, 0, 32)) {
            text = QStringLiteral("empty");
        } else {
            text = QStringLiteral("no valid image (an interrupted upload)");
        }
        rows.push_back({QStringLiteral("Slot %1").arg(slot), text});
    }
    return rows;
}

QString SmpFleetBoard::runningVersion(const SmpFleetImages& images) const
{
    if (m_retired)
        return m_retiredVersion;
    if (!m_device)
        return images.runningVersionText;
    if (m_device->isPoweredOff())
        return QStringLiteral("off (power cut)");
    const auto& boot = m_device->lastBoot();
    if (!boot || !boot->booted)
        return QStringLiteral("none (nothing boots)");
    if (!m_device->isRunning())
        return QStringLiteral("%1 (starting)").arg(boardVersion(boot->version));
    return boardVersion(boot->version);
}

} // namespace otalab::sim
