// SPDX-License-Identifier: Apache-2.0
// ZigbeeFaults: arming, firing and logging the Zigbee family's faults and attacks.
#include "sim/zigbee/zigbeefaults.h"

#include "sim/fleet/faults/faultlog.h"
#include "sim/kernel/simulator.h"
#include "sim/zigbee/otadevice.h"
#include "sim/zigbee/otaserverhost.h"
#include "sim/zigbee/zigbeefleet.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeenode.h"
#include "sim/zigbee/zigbeeoutageloss.h"

namespace otalab::sim {

using faults::AttackKind;
using faults::FaultKind;

namespace {

constexpr std::uint32_t kAtStart = 1;

QString hex4(std::uint16_t v) { return QStringLiteral("0x%1").arg(v, 4, 16, QLatin1Char('0')); }
QString hex8(std::uint32_t v) { return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0')); }
QString secondsText(double s) { return QString::number(s, 'f', s < 10 ? 1 : 0); }

Error orderError(const faults::FaultOrder& order, const QString& why)
{
    return Error::at(-1, QStringLiteral("faults[%1]").arg(order.spec), why);
}

} // namespace

ZigbeeFaults::ZigbeeFaults(Simulator& sim, ZigbeeFleet& fleet, ZigbeeOutageLoss& loss)
    : m_sim(sim), m_fleet(fleet), m_loss(loss), m_pending(fleet.deviceCount()), m_watches(fleet.deviceCount()), m_attacks(fleet.deviceCount())
{
}

Fleet::FaultSupport ZigbeeFaults::support()
{
    Fleet::FaultSupport s;
    s.kinds = {FaultKind::PowerLoss, FaultKind::ServerCrash, FaultKind::LinkOutage, FaultKind::GatewayOutage, FaultKind::BadImage};
    s.atFlashWrite = true;
    s.atProgress = true;
    s.attacks = {AttackKind::TamperedImage, AttackKind::WrongKey, AttackKind::Downgrade, AttackKind::Replay};
    s.whyNot = {{FaultKind::ClockJump, QStringLiteral("the OTA client has no clock of its own: it counts down the server's "
                                                      "upgradeTime − currentTime")}};
    s.whyNotAttack = {{AttackKind::ForgedFragment, QStringLiteral("LoRaWAN only")},
                      {AttackKind::ForgedStreamBlock, QStringLiteral("MQTT streams only")},
                      {AttackKind::UnauthorisedClient, QStringLiteral("the OTA server is the only peer a client talks to")}};
    s.survives = QStringLiteral("the download slot: the blocks stored and the download's file and offset (EmberZNet "
                                "ota-storage), from which the client resumes at power-on; no clock (clockJump: the "
                                "client counts down the server's upgradeTime − currentTime)");
    return s;
}

double ZigbeeFaults::nowS() const { return m_sim.now().toSeconds(); }

Result<void> ZigbeeFaults::arm(const faults::FaultOrder& order)
{
    const bool deviceFault = order.kind == FaultKind::PowerLoss || order.kind == FaultKind::BadImage;
    if (order.device && *order.device >= m_fleet.deviceCount())
        return fail(orderError(order, QStringLiteral("device %1: the fleet has %2").arg(*order.device).arg(m_fleet.deviceCount())));
    if (deviceFault && !order.device)
        return fail(orderError(order, QStringLiteral("%1 needs a device").arg(faults::faultKindName(order.kind))));
    if ((order.atFlashWrite || order.atProgress) && order.kind != FaultKind::PowerLoss)
        return fail(orderError(order, QStringLiteral("only powerLoss fires at a flash write or a share of the image in the zigbee family")));
    switch (order.kind) {
    case FaultKind::ClockJump:
        return fail(orderError(order, QStringLiteral("the zigbee family has no device clock to jump: the client counts down "
                                                     "upgradeTime − currentTime, both from the server's Upgrade End Response")));
    case FaultKind::ServerCrash:
        if (!order.target.isEmpty() && order.target != QLatin1String("0x0000") && order.target.compare(QLatin1String("server"), Qt::CaseInsensitive) != 0
            && order.target.compare(QLatin1String("coordinator"), Qt::CaseInsensitive) != 0)
            return fail(orderError(order, QStringLiteral("serverCrash target \"%1\": the zigbee fleet's OTA server is the coordinator 0x0000").arg(order.target)));
        break;
    case FaultKind::GatewayOutage: {
        QString name;
        if (!routerNode(order.target, &name))
            return fail(orderError(order, name));
        break;
    }
    case FaultKind::BadImage:
        m_fleet.devices()[*order.device]->setBadImage(order.variant);
        m_watches[*order.device].push_back(Watch{order.id, *order.device, false, true});
        return {};
    case FaultKind::PowerLoss:
        if (order.atFlashWrite || order.atProgress) {
            m_pending[*order.device].push_back(Pending{order, false});
            return {};
        }
        break;
    case FaultKind::LinkOutage:
        break;
    }
    if (!order.atS) {
        m_atStart.push_back(order);   // no moment: at the start
        m_sim.schedule(m_sim.now(), *this, EventData{kNoNode, kAtStart, m_atStart.size() - 1, 0});
    }
    return {};
}

void ZigbeeFaults::handleEvent(Simulator&, const Event& event)
{
    if (event.data.kind == kAtStart && event.data.arg0 < m_atStart.size())
        inject(m_atStart[event.data.arg0]);
}

std::optional<NodeId> ZigbeeFaults::routerNode(const QString& target, QString* name) const
{
    const TopologySpec& t = m_fleet.network().topology();
    if (target.isEmpty()) {
        for (std::size_t i = 0; i < t.nodes.size(); ++i) {
            if (t.nodes[i].role == NodeRole::Router) {
                *name = hex4(t.nodes[i].shortAddress);
                return NodeId(i);
            }
        }
        *name = QStringLiteral("gatewayOutage: the network has no router");
        return std::nullopt;
    }
    bool ok = false;
    const uint value = target.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) ? target.mid(2).toUInt(&ok, 16) : 0;
    if (ok && value <= 0xFFFF) {
        for (std::size_t i = 0; i < t.nodes.size(); ++i) {
            if (t.nodes[i].shortAddress == value) {
                if (t.nodes[i].role == NodeRole::EndDevice) {
                    *name = QStringLiteral("gatewayOutage target %1 is an end device: expected a router (or the coordinator)").arg(target);
                    return std::nullopt;
                }
                *name = hex4(std::uint16_t(value));
                return NodeId(i);
            }
        }
    }
    *name = QStringLiteral("gatewayOutage target \"%1\": no node of the zigbee fleet has that short address (expected \"0x1A2B\")").arg(target);
    return std::nullopt;
}

void ZigbeeFaults::inject(const faults::FaultOrder& order)
{
    faults::FaultLog* log = m_fleet.faultLog();
    const SimTime now = m_sim.now();
    const SimTime until = now + SimTime::fromSeconds(order.forS);
    switch (order.kind) {
    case FaultKind::PowerLoss:
        powerLoss(order, QStringLiteral("at %1 s").arg(secondsText(nowS())));
        return;
    case FaultKind::ServerCrash: {
        OtaServerHost& server = m_fleet.serverHost();
        if (server.isDown()) {
            if (log)
                log->notFired(order.id, QStringLiteral("the OTA server was already down"));
            return;
        }
        const int downloads = server.server().activeDownloads();
        const int id = order.id;
        server.crash(SimTime::fromSeconds(order.forS), [this, id](int lost) {
            if (faults::FaultLog* l = m_fleet.faultLog())
                l->effect(id, QStringLiteral("restarted at %1 s with its image files; %2 download sessions were lost: "
                                             "their clients kept re-asking for their next block (requestTimeoutMs, "
                                             "maxRetries); one whose retries ran out first ended that attempt and "
                                             "queries again (a new download from offset 0)")
                                  .arg(secondsText(nowS()))
                                  .arg(lost));
        });
        if (log)
            log->fired(order.id, nowS(), QStringLiteral("the OTA server on the coordinator 0x0000 crashed, down %1 s, with %2 downloads in progress")
                                              .arg(secondsText(order.forS))
                                              .arg(downloads));
        return;
    }
    case FaultKind::LinkOutage: {
        int nodes = 0;
        for (std::size_t i = 0; i < m_fleet.deviceCount(); ++i) {
            if (order.device && *order.device != i)
                continue;
            m_loss.addDark(m_fleet.deviceNode(i), now, until);
            ++nodes;
        }
        if (log)
            log->fired(order.id, nowS(), order.device ? QStringLiteral("the links of %1 carry nothing for %2 s")
                                                            .arg(hex4(m_fleet.devices()[*order.device]->node().shortAddress()))
                                                            .arg(secondsText(order.forS))
                                                      : QStringLiteral("the links of all %1 devices carry nothing for %2 s").arg(nodes).arg(secondsText(order.forS)));
        if (order.device)
            m_watches[*order.device].push_back(Watch{order.id, *order.device, false, false});
        return;
    }
    case FaultKind::GatewayOutage: {
        QString name;
        const std::optional<NodeId> node = routerNode(order.target, &name);
        if (!node) {
            if (log)
                log->notFired(order.id, name);
            return;
        }
        m_loss.addDark(*node, now, order.permanent ? SimTime::max() : until);
        int children = 0;
        for (const NodeSpec& n : m_fleet.network().topology().nodes)
            children += n.parent == std::int32_t(*node) ? 1 : 0;
        if (log && order.permanent) {
            const bool rejoin = m_fleet.network().config().model.rejoin.enabled;
            log->fired(order.id, nowS(), QStringLiteral("router %1 fails for good (%2 children lose their parent%3)")
                                              .arg(name)
                                              .arg(children)
                                              .arg(rejoin ? QStringLiteral("; sleepy children rejoin another parent")
                                                          : QStringLiteral(", routes through it break")));
        } else if (log)
            log->fired(order.id, nowS(), QStringLiteral("router %1 dark for %2 s (%3 children lose their parent, routes through it break)")
                                              .arg(name, secondsText(order.forS))
                                              .arg(children));
        return;
    }
    case FaultKind::BadImage:
    case FaultKind::ClockJump:
        return;   // armed (badImage) or refused (clockJump)
    }
}

void ZigbeeFaults::powerLoss(const faults::FaultOrder& order, const QString& when)
{
    if (!order.device)
        return;
    OtaDevice& d = *m_fleet.devices()[*order.device];
    faults::FaultLog* log = m_fleet.faultLog();
    if (d.poweredOff()) {
        if (log)
            log->notFired(order.id, QStringLiteral("the device was already off"));
        return;
    }
    const SimTime offFor = SimTime::fromSeconds(order.forS);
    const std::uint32_t size = d.flash().imageSize();
    const auto& attr = d.client().attributes();
    QString state = QStringLiteral("status %1").arg(imageUpgradeStatusName(d.upgradeStatus()));
    if (d.upgradeStatus() == core::zigbee::ImageUpgradeStatus::DownloadInProgress && size)
        state = QStringLiteral("downloading, %1 of %2 bytes stored").arg(attr.fileOffset).arg(size);
    m_loss.addDark(d.node().node(), m_sim.now(), m_sim.now() + offFor);
    if (log)
        log->fired(order.id, nowS(), QStringLiteral("power off %1 s %2 (%3)").arg(secondsText(order.forS), when, state));
    m_watches[*order.device].push_back(Watch{order.id, *order.device, false, false});
    if (d.finished()) {
        if (log)
            log->effect(order.id, QStringLiteral("the device had finished (%1): it boots that image again").arg(outcome(d)));
    }
    d.powerCut(offFor);
}

void ZigbeeFaults::onFlashWrite(std::size_t device, OtaDevice& d, int writes)
{
    for (Pending& p : m_pending[device]) {
        if (p.done)
            continue;
        // Called from the flash write itself: the bytes stored since the slot's erase (the
        // client moves its FileOffset on after the write returns).
        const std::uint32_t size = d.flash().imageSize();
        const auto offset = std::uint32_t(d.flash().bytesWritten());
        const bool hit = p.order.atFlashWrite ? writes >= *p.order.atFlashWrite
                                              : size > 0 && double(offset) >= p.order.atProgress.value_or(2.0) * double(size);
        if (!hit)
            continue;
        p.done = true;
        faults::FaultLog* log = m_fleet.faultLog();
        if (log)
            log->fired(p.order.id, nowS(),
                       QStringLiteral("power off %1 s right after image block %2 was stored (offset %3 of %4 bytes, %5 %)")
                           .arg(secondsText(p.order.forS))
                           .arg(writes)
                           .arg(offset)
                           .arg(size)
                           .arg(size ? 100.0 * offset / size : 0.0, 0, 'f', 0));
        m_loss.addDark(d.node().node(), m_sim.now(), m_sim.now() + SimTime::fromSeconds(p.order.forS));
        m_watches[device].push_back(Watch{p.order.id, device, false, false});
        d.requestPowerCut(SimTime::fromSeconds(p.order.forS));
        return;   // one cut at a time
    }
}

void ZigbeeFaults::onPowerOn(std::size_t device, const QString& what)
{
    faults::FaultLog* log = m_fleet.faultLog();
    if (!log)
        return;
    for (const Watch& w : m_watches[device]) {
        if (!w.closed && !w.badImage)
            log->effect(w.id, QStringLiteral("%1 s: %2").arg(secondsText(nowS()), what));
    }
}

QString ZigbeeFaults::outcome(const OtaDevice& d) const
{
    const OtaDeviceProgress& p = d.progress();
    switch (p.phase) {
    case OtaDeviceProgress::Phase::Upgraded: return QStringLiteral("upgraded to %1").arg(hex8(p.version));
    case OtaDeviceProgress::Phase::Failed: return QStringLiteral("failed: %1 (runs %2)").arg(p.failureReason, hex8(p.version));
    case OtaDeviceProgress::Phase::Refused: return QStringLiteral("refused: %1 (runs %2)").arg(p.failureReason, hex8(p.version));
    default: return QStringLiteral("still updating (runs %1)").arg(hex8(p.version));
    }
}

void ZigbeeFaults::onDeviceChanged(std::size_t device, const OtaDevice& d)
{
    faults::FaultLog* log = m_fleet.faultLog();
    if (!log)
        return;
    const OtaDeviceProgress& p = d.progress();
    for (AttackWatch& a : m_attacks[device]) {
        if (a.tried)
            continue;
        const bool imageAttack = a.kind == AttackKind::TamperedImage || a.kind == AttackKind::WrongKey;
        if (!imageAttack) {
            if (d.upgradeStatus() == core::zigbee::ImageUpgradeStatus::DownloadInProgress
                && d.client().attributes().downloadedFileVersion == a.offeredVersion) {
                a.tried = true;
                log->attackTried(a.id, nowS(), true,
                                 QStringLiteral("the client took the forged offer of %1 and began downloading it (it runs %2)")
                                     .arg(hex8(a.offeredVersion), hex8(p.version)));
            }
            continue;
        }
        if (p.phase == OtaDeviceProgress::Phase::Upgraded) {
            a.tried = true;
            log->attackTried(a.id, nowS(), true,
                             a.kind == AttackKind::WrongKey
                                 ? QStringLiteral("the device installed the image signed by the attacker's key and runs %1").arg(hex8(p.version))
                                 : QStringLiteral("the device installed the tampered image and runs %1").arg(hex8(p.version)));
        } else if (p.failureReason.contains(QLatin1String("INVALID_IMAGE"))) {
            a.tried = true;
            log->attackTried(a.id, nowS(), false,
                             QStringLiteral("%1; the device keeps running %2").arg(p.failureReason, hex8(p.version)));
        }
    }
    if (!d.finished())
        return;
    for (Watch& w : m_watches[device]) {
        if (w.closed)
            continue;
        w.closed = true;
        if (w.badImage) {
            log->fired(w.id, nowS(), QStringLiteral("the device rebooted into the bad image (%1)").arg(hex8(p.version)));
            log->effect(w.id, outcome(d));
            log->recovered(w.id, p.phase != OtaDeviceProgress::Phase::Failed);
            continue;
        }
        log->effect(w.id, outcome(d));
        if (p.phase == OtaDeviceProgress::Phase::Upgraded)
            log->recovered(w.id, true);
    }
}

void ZigbeeFaults::onOfferRefused(std::size_t device, std::uint32_t fileVersion, const QString& why)
{
    faults::FaultLog* log = m_fleet.faultLog();
    if (!log)
        return;
    for (AttackWatch& a : m_attacks[device]) {
        if (a.tried || a.kind == AttackKind::TamperedImage || a.kind == AttackKind::WrongKey || a.offeredVersion != fileVersion)
            continue;
        a.tried = true;
        log->attackTried(a.id, nowS(), false,
                         QStringLiteral("%1; the device keeps running %2").arg(why, hex8(m_fleet.devices()[device]->progress().version)));
    }
}

void ZigbeeFaults::stageOffer(const AttackWatch& a)
{
    const OtaDevice& d = *m_fleet.devices()[a.device];
    core::zigbee::QueryImageResponse offer;
    offer.status = core::zigbee::ZclStatus::Success;
    offer.manufacturerCode = d.client().config().manufacturerCode;
    offer.imageType = d.client().config().imageType;
    offer.fileVersion = a.offeredVersion;
    offer.imageSize = std::uint32_t(m_fleet.facts().imageBytes);
    m_fleet.serverHost().forgeNextOffer(d.node().shortAddress(), offer);
}

Result<void> ZigbeeFaults::armAttack(const faults::AttackOrder& order)
{
    const QString field = QStringLiteral("attacks[%1]").arg(order.spec);
    if (order.device >= m_fleet.deviceCount())
        return fail(Error::at(-1, field, QStringLiteral("device %1: the fleet has %2").arg(order.device).arg(m_fleet.deviceCount())));
    AttackWatch a{order.id, order.device, false, order.kind, 0};
    const std::uint32_t running = m_fleet.devices()[order.device]->progress().initialVersion;
    switch (order.kind) {
    case AttackKind::TamperedImage:
        break;
    case AttackKind::WrongKey:
        if (auto image = m_fleet.wrongKeyImage(); !image)
            return fail(Error::at(-1, field, QStringLiteral("wrongKey: %1").arg(image.error().message)));
        break;
    case AttackKind::Downgrade:
        if (running == 0)
            return fail(Error::at(-1, field, QStringLiteral("the device runs FileVersion 0: there is no older version to offer")));
        a.offeredVersion = running - 1;
        break;
    case AttackKind::Replay:
        a.offeredVersion = running;
        break;
    default:
        return fail(Error::at(-1, field, QStringLiteral("the zigbee family does not stage %1").arg(faults::attackKindName(order.kind))));
    }
    m_attacks[a.device].push_back(a);
    if (!order.atS)
        injectAttack(order);
    return {};
}

void ZigbeeFaults::injectAttack(const faults::AttackOrder& order)
{
    if (order.device >= m_fleet.deviceCount())
        return;
    if (order.kind == AttackKind::TamperedImage) {
        m_fleet.devices()[order.device]->flashForFaults().setTamperMiddleByte(true);
        return;
    }
    if (order.kind == AttackKind::WrongKey) {
        if (auto image = m_fleet.wrongKeyImage())   // built by armAttack
            m_fleet.devices()[order.device]->flashForFaults().setSubstituteImage(*image);
        return;
    }
    for (const AttackWatch& a : m_attacks[order.device])
        if (a.id == order.id)
            stageOffer(a);
}

} // namespace otalab::sim
