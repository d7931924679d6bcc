// SPDX-License-Identifier: Apache-2.0
// OcfFleet: faults (power loss, image server crash, link and gateway outages, clock jumps,
// bad images), attacks (forged images, an unauthorised client) and the rollout gate.
#include "sim/ocf/ocffleet.h"
#include "sim/ocf/ocffleetevents.h"
#include "sim/ocf/ocfplatform.h"

#include "sim/kernel/simulator.h"

namespace otalab::sim {

using namespace faults;

namespace {

constexpr std::uint64_t kOutageServer = 0, kOutageGateway = 1;

} // namespace

// --- rollout ---------------------------------------------------------------------------------

Fleet::RolloutSupport OcfFleet::rolloutSupport() const
{
    return RolloutSupport{true, false, true,
                          QStringLiteral("the OCF client writes purl / updatetime / upgrade only to released devices; a retry is a new POST")};
}

void OcfFleet::holdForRollout()
{
    m_hold = true;
    for (OcfDevice& d : m_devices)
        d.held = true;
}

void OcfFleet::releaseDevices(const std::vector<std::size_t>& devices)
{
    for (const std::size_t i : devices) {
        if (i >= m_devices.size())
            continue;
        OcfDevice& d = m_devices[i];
        d.held = false;
        const bool retry = isFinalPhase(ocfStepPhase(d.step));
        if (retry)
            setStep(i, OcfStep::Scheduled);
        else if (d.step != OcfStep::Unconfigured)
            continue;
        enqueue(i);
    }
}

void OcfFleet::stopDevices(const std::vector<std::size_t>& devices)
{
    for (const std::size_t i : devices)
        if (i < m_devices.size())
            m_devices[i].held = true;   // the client asks it no more (a queued POST is still sent: OCF has no cancel)
}

// --- faults ------------------------------------------------------------------------------------

Fleet::FaultSupport OcfFleet::faultSupport() const
{
    FaultSupport s;
    s.kinds = {FaultKind::PowerLoss, FaultKind::ServerCrash, FaultKind::LinkOutage, FaultKind::GatewayOutage, FaultKind::ClockJump,
               FaultKind::BadImage};
    s.atFlashWrite = true;
    s.atProgress = true;
    s.attacks = {AttackKind::TamperedImage, AttackKind::WrongKey, AttackKind::Downgrade, AttackKind::Replay, AttackKind::UnauthorisedClient};
    s.survives = QStringLiteral("the download slot written so far, the /oc/swu record (state, purl, updatetime), MCUboot's swap status and "
                                "the user data area; RAM (the machine, pending CoAP exchanges) is lost");
    return s;
}

Result<void> OcfFleet::armFault(const FaultOrder& order)
{
    const auto needDevice = [&]() -> Result<void> {
        if (!order.device || *order.device >= m_devices.size())
            return fail(Error{QStringLiteral("%1 needs a device of the fleet").arg(faultKindName(order.kind))});
        return {};
    };
    switch (order.kind) {
    case FaultKind::PowerLoss:
        if (auto ok = needDevice(); !ok)
            return ok;
        if (order.atFlashWrite || order.atProgress)
            m_armedPowerLoss[std::uint32_t(*order.device)] = ArmedPowerLoss{order.id, order.atFlashWrite, order.atProgress, order.forS > 0 ? order.forS : 10.0, {}};
        return {};
    case FaultKind::BadImage: {
        if (auto ok = needDevice(); !ok)
            return ok;
        const OcfImageVariant v = order.variant == BadImageVariant::DoesNotBoot ? OcfImageVariant::DoesNotBoot : OcfImageVariant::FailsSelfTest;
        if (auto ok = m_images->ensure(v); !ok)
            return ok;
        OcfDevice& d = m_devices[*order.device];
        d.offered = v;
        d.badImageFault = std::int16_t(order.id);
        if (faultLog())
            faultLog()->fired(order.id, 0.0, QStringLiteral("the client's purl points it at %1 (%2: valid signature)")
                                                 .arg(m_images->image(v)->path, badImageVariantName(order.variant)));
        m_openFaults[std::uint32_t(*order.device)].push_back(order.id);
        return {};
    }
    case FaultKind::ServerCrash:
        if (!order.target.isEmpty() && order.target != QLatin1String("image-server"))
            return fail(Error{QStringLiteral("serverCrash target \"%1\": the ocf family's server is \"image-server\"").arg(order.target)});
        return {};
    case FaultKind::GatewayOutage:
        if (!order.target.isEmpty()) {
            for (std::size_t g = 0; g < m_gatewayDownUntil.size(); ++g)
                if (m_nodes[m_devices.size() + g].name == order.target)
                    return {};
            return fail(Error{QStringLiteral("gatewayOutage target \"%1\": no border router / access point of that name (\"br-0001\", \"ap-0001\", …)").arg(order.target)});
        }
        return {};
    case FaultKind::LinkOutage:
    case FaultKind::ClockJump:
        return {};
    }
    return {};
}

Result<void> OcfFleet::armAttack(const AttackOrder& order)
{
    if (order.device >= m_devices.size())
        return fail(Error{QStringLiteral("attack on device %1: the fleet has %2").arg(order.device).arg(m_devices.size())});
    OcfDevice& d = m_devices[order.device];
    d.attack = std::int16_t(order.id);
    std::optional<OcfImageVariant> v;
    switch (order.kind) {
    case AttackKind::TamperedImage: v = OcfImageVariant::Tampered; break;
    case AttackKind::WrongKey: v = OcfImageVariant::WrongKey; break;
    case AttackKind::Downgrade: v = OcfImageVariant::Downgrade; break;
    case AttackKind::Replay: v = OcfImageVariant::Replay; break;
    case AttackKind::UnauthorisedClient: return {};
    default: return fail(Error{QStringLiteral("the ocf family cannot stage %1").arg(attackKindName(order.kind))});
    }
    if (auto ok = m_images->ensure(*v); !ok)
        return ok;
    if (!order.atS)
        d.offered = *v;   // the image the campaign offers it is the forged one (a compromised image server)
    return {};
}

void OcfFleet::injectAttack(const AttackOrder& order)
{
    if (order.device >= m_devices.size())
        return;
    OcfDevice& d = m_devices[order.device];
    if (order.kind == AttackKind::UnauthorisedClient) {
        intruderSend(order.device, order.id);
        return;
    }
    // A forged image offered later: the (compromised) cloud points the device at it again.
    switch (order.kind) {
    case AttackKind::TamperedImage: d.offered = OcfImageVariant::Tampered; break;
    case AttackKind::WrongKey: d.offered = OcfImageVariant::WrongKey; break;
    case AttackKind::Downgrade: d.offered = OcfImageVariant::Downgrade; break;
    case AttackKind::Replay: d.offered = OcfImageVariant::Replay; break;
    default: return;
    }
    d.clientTries = 0;
    enqueue(order.device);
}

void OcfFleet::injectFault(const FaultOrder& order)
{
    const SimTime now = m_sim.now();
    const SimTime until = now + SimTime::fromSeconds(order.forS);
    FaultLog* log = faultLog();
    switch (order.kind) {
    case FaultKind::PowerLoss:
        if (order.device && *order.device < m_devices.size())
            powerLoss(*order.device, order.forS > 0 ? order.forS : 10.0, order.id, QStringLiteral("at %1 s").arg(now.toSeconds(), 0, 'f', 1));
        break;
    case FaultKind::ServerCrash:
        m_serverDownUntil = until;
        if (log)
            log->fired(order.id, now.toSeconds(), QStringLiteral("image-server down %1 s (block-wise GETs unanswered; it keeps no state per download)").arg(order.forS));
        m_sim.schedule(until, *this, EventData{m_serverNode, ocfevents::kOutageEnd, kOutageServer, std::uint64_t(order.id)});
        break;
    case FaultKind::GatewayOutage: {
        std::size_t g = 0;
        for (std::size_t k = 0; k < m_gatewayDownUntil.size(); ++k)
            if (m_nodes[m_devices.size() + k].name == order.target)
                g = k;
        m_gatewayDownUntil[g] = until;
        if (log)
            log->fired(order.id, now.toSeconds(), QStringLiteral("%1 dark for %2 s").arg(m_nodes[m_devices.size() + g].name).arg(order.forS));
        m_sim.schedule(until, *this, EventData{m_gatewayNode + NodeId(g), ocfevents::kOutageEnd, kOutageGateway | (std::uint64_t(g) << 8), std::uint64_t(order.id)});
        break;
    }
    case FaultKind::LinkOutage:
        if (order.device && *order.device < m_devices.size()) {
            m_devices[*order.device].linkDownUntil = until;
            if (log)
                log->fired(order.id, now.toSeconds(), QStringLiteral("link down %1 s").arg(order.forS));
        } else {
            for (OcfDevice& d : m_devices)
                d.linkDownUntil = until;
            if (log)
                log->fired(order.id, now.toSeconds(), QStringLiteral("every device's link down %1 s").arg(order.forS));
        }
        break;
    case FaultKind::ClockJump: {
        const auto jump = [&](std::size_t i) {
            OcfDevice& d = m_devices[i];
            d.clockOffsetMs += std::llround(order.jumpS * 1000.0);
            if (d.slot && !d.rebooting && now >= d.poweredOffUntil) {
                core::ocf::DeviceActions out;
                d.slot->machine.onClockSet(deviceClockMs(i), out);
                carryOut(i, out);
            }
        };
        if (order.device && *order.device < m_devices.size()) {
            jump(*order.device);
            if (log) {
                log->fired(order.id, now.toSeconds(), QStringLiteral("clock %1%2 s, now %3").arg(order.jumpS > 0 ? "+" : "").arg(order.jumpS)
                                                          .arg(core::ocf::rfc3339(deviceClockMs(*order.device))));
                m_openFaults[std::uint32_t(*order.device)].push_back(order.id);
            }
        } else {
            for (std::size_t i = 0; i < m_devices.size(); ++i)
                jump(i);
            if (log)
                log->fired(order.id, now.toSeconds(), QStringLiteral("every device's clock %1%2 s").arg(order.jumpS > 0 ? "+" : "").arg(order.jumpS));
        }
        break;
    }
    case FaultKind::BadImage: break;   // armed: the purl the client writes
    }
}

void OcfFleet::endOutage(std::uint32_t what, std::uint64_t faultId)
{
    if (!faultLog())
        return;
    if ((what & 0xff) == kOutageServer)
        faultLog()->effect(int(faultId), QStringLiteral("image-server back at %1 s; %2 requests were dropped so far; devices retransmitted (RFC 7252) "
                                                        "or gave up with result 4 and were asked again by the client")
                                             .arg(m_sim.now().toSeconds(), 0, 'f', 1).arg(m_counters.droppedAtServer));
    else
        faultLog()->effect(int(faultId), QStringLiteral("back at %1 s").arg(m_sim.now().toSeconds(), 0, 'f', 1));
}

void OcfFleet::powerLoss(std::size_t i, double forS, int faultId, const QString& how)
{
    OcfDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    const QString state = core::ocf::swUpdateStateName(core::ocf::SwUpdateState(d.swState));
    if (faultLog())
        faultLog()->fired(faultId, now.toSeconds(), QStringLiteral("power off %1 s %2, swupdatestate %3, %4 of %5 bytes stored%6")
                                                        .arg(forS).arg(how, state).arg(d.stored).arg(m_images->image(d.storedVariant)->bytes.size())
                                                        .arg(d.rebooting ? QStringLiteral(", during MCUboot's swap") : QString()));
    m_openFaults[std::uint32_t(i)].push_back(faultId);
    ++d.powerCuts;
    if (d.rebooting)
        d.swapLeftNs = std::max<std::int64_t>(0, (d.rebootDoneAt - now).nanos());
    ++d.epoch;
    m_sim.cancel(d.timers[0]);
    m_sim.cancel(d.timers[1]);
    d.slot.reset();   // RAM: the machine, its download state, pending exchanges
    d.poweredOffUntil = std::max(d.poweredOffUntil, now + SimTime::fromSeconds(forS));
    d.busyUntil = d.poweredOffUntil;
    m_sim.schedule(d.poweredOffUntil, *this, data(i, ocfevents::kPowerOn, std::uint64_t(faultId), d.epoch));
}

void OcfFleet::armedCut(std::size_t i, std::uint32_t epoch)
{
    const auto armed = m_armedPowerLoss.find(std::uint32_t(i));
    if (armed == m_armedPowerLoss.end() || epoch != m_devices[i].epoch)
        return;
    const ArmedPowerLoss a = armed->second;
    m_armedPowerLoss.erase(armed);
    powerLoss(i, a.forS, a.faultId, a.how);
}

void OcfFleet::powerOn(std::size_t i, std::uint32_t epoch)
{
    OcfDevice& d = m_devices[i];
    if (epoch != d.epoch)
        return;
    const SimTime now = m_sim.now();
    if (d.rebooting) {
        // MCUboot reads its swap status from the trailer and resumes the swap where it stopped.
        const OcfGroup& g = m_groups[d.group];
        d.rebootDoneAt = now + SimTime::fromSeconds(g.preset->bootS) + SimTime::fromNanos(d.swapLeftNs);
        for (const int id : m_openFaults[std::uint32_t(i)])
            if (faultLog())
                faultLog()->effect(id, QStringLiteral("powered on at %1 s: MCUboot resumed the interrupted swap from its swap status").arg(now.toSeconds(), 0, 'f', 1));
        m_sim.schedule(d.rebootDoneAt, *this, data(i, ocfevents::kRebooted, 0, d.epoch));
        return;
    }
    if (!d.kept && !d.slot)
        return;   // never configured: nothing to resume
    const std::uint64_t stored = d.stored;
    bootMachine(i);
    for (const int id : m_openFaults[std::uint32_t(i)])
        if (faultLog() && faultLog()->faults()[std::size_t(id)].order.kind == FaultKind::PowerLoss)
            faultLog()->effect(id, QStringLiteral("booted %1 at %2 s, swupdatestate %3, resumed with %4 bytes stored")
                                       .arg(runningVersion(i)).arg(now.toSeconds(), 0, 'f', 1)
                                       .arg(core::ocf::swUpdateStateName(core::ocf::SwUpdateState(d.swState))).arg(stored));
}

void OcfFleet::checkProgressFault(std::size_t i)
{
    const auto armed = m_armedPowerLoss.find(std::uint32_t(i));
    if (armed == m_armedPowerLoss.end() || !armed->second.atProgress || !armed->second.how.isEmpty())
        return;
    OcfDevice& d = m_devices[i];
    const double total = double(m_images->image(d.storedVariant)->bytes.size());
    if (double(d.stored) < *armed->second.atProgress * total)
        return;
    armed->second.how = QStringLiteral("at %1 % of the image stored").arg(*armed->second.atProgress * 100.0, 0, 'g', 3);
    m_sim.schedule(m_sim.now(), *this, data(i, ocfevents::kPowerCut, 0, d.epoch));
}

void OcfFleet::resolveFaults(std::size_t i)
{
    const auto open = m_openFaults.find(std::uint32_t(i));
    if (open == m_openFaults.end() || !faultLog())
        return;
    const OcfDevice& d = m_devices[i];
    const QString userData = d.userDataKept ? QStringLiteral("user data kept") : QStringLiteral("user data LOST");
    for (const int id : open->second) {
        const QString end = d.step == OcfStep::Upgraded ? QStringLiteral("upgraded to %1, result 1, %2").arg(runningVersion(i), userData)
                                                        : QStringLiteral("%1 (result %2), runs %3, %4")
                                                              .arg(ocfStepName(d.step)).arg(d.swResult).arg(runningVersion(i), userData);
        faultLog()->effect(id, end);
        const bool bad = faultLog()->faults()[std::size_t(id)].order.kind == FaultKind::BadImage;
        faultLog()->recovered(id, d.userDataKept && (d.step == OcfStep::Upgraded || (bad && d.step == OcfStep::RolledBack && !d.runsNew)));
    }
    m_openFaults.erase(open);
}

} // namespace otalab::sim
