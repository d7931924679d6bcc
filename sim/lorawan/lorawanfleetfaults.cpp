// SPDX-License-Identifier: Apache-2.0
// LorawanFleet: scenario faults and attacks (what each does: lorawanfleetfaults.h).
#include "sim/lorawan/lorawanfleetfaults.h"

#include "core/crypto/pkey.h"
#include "core/lorawan/fuotaimage.h"
#include "sim/kernel/simulator.h"
#include "sim/lorawan/lorawanfleet.h"
#include "sim/lorawan/lorawanfleetevents.h"

#include <QStringList>

#include <algorithm>

namespace otalab::sim {

using namespace lorawanevents;
using faults::AttackKind;
using faults::FaultKind;
namespace lw = core::lorawan;

namespace {

QString seconds(double s) { return QString::number(s, 'g', 6); }

// "1.0.0" → the next older version ("0.9.0", "1.0.1" → "1.0.0").
QString olderVersion(const QString& version)
{
    QStringList parts = version.split(QLatin1Char('.'));
    std::vector<int> v;
    for (const QString& p : parts)
        v.push_back(p.toInt());
    for (int k = int(v.size()) - 1; k >= 0; --k)
        if (v[std::size_t(k)] > 0) {
            --v[std::size_t(k)];
            for (std::size_t j = std::size_t(k) + 1; j < v.size(); ++j)
                v[j] = 9;
            QStringList out;
            for (int x : v)
                out << QString::number(x);
            return out.join(QLatin1Char('.'));
        }
    return QStringLiteral("0.0.0");
}

bool inCampaignAfterGroup(LorawanDeviceState s)
{
    using S = LorawanDeviceState;
    return s == S::FragSetup || s == S::SessionSetup || s == S::WaitingForSession || s == S::Receiving ||
           s == S::WaitingForRepair || s == S::Reassembled || s == S::Verified;
}

} // namespace

Fleet::FaultSupport LorawanFleet::faultSupport() const
{
    FaultSupport s;
    s.kinds = {FaultKind::PowerLoss, FaultKind::ServerCrash, FaultKind::LinkOutage, FaultKind::GatewayOutage,
               FaultKind::ClockJump, FaultKind::BadImage};
    s.atFlashWrite = true;
    s.atProgress = true;
    s.attacks = {AttackKind::ForgedFragment, AttackKind::TamperedImage, AttackKind::WrongKey, AttackKind::Downgrade,
                 AttackKind::Replay};
    s.whyNotAttack = {{AttackKind::ForgedStreamBlock, QStringLiteral("MQTT streams only")},
                      {AttackKind::UnauthorisedClient, QStringLiteral("a FUOTA command needs the device's AppSKey; a forged "
                                                                      "fragment with the multicast key is the attack that gets in")}};
    s.survives = QStringLiteral("the fragments written to flash (FragDecoderWrite) — but the fragmentation session, the multicast "
                                "group and the FEC decoder state are in RAM (LoRaMac-node), so a cut after the group setup loses "
                                "the campaign; the bootloader's image copy resumes");
    return s;
}

LorawanFaultState& LorawanFleet::faultState()
{
    if (m_faults)
        return *m_faults;
    m_faults = std::make_unique<LorawanFaultState>();
    LorawanFaultState& fs = *m_faults;
    // Core's real container check, once, on a small signed block: changed after signing,
    // and signed by a key the device does not trust.
    const auto trusted = core::crypto::PKey::generate(core::crypto::KeyType::EcdsaP256);
    const auto other = core::crypto::PKey::generate(core::crypto::KeyType::EcdsaP256);
    if (trusted && other) {
        const QByteArray image = generatedFirmware(2048, 0x41545453u);
        lw::FuotaPackOptions options;
        options.kind = lw::FuotaImageKind::Signed;
        options.signingKey = &*trusted;
        auto good = lw::packFuotaImage(image, options);
        options.signingKey = &*other;
        auto foreign = lw::packFuotaImage(image, options);
        lw::FuotaDeviceContext device;
        device.trustedKey = &*trusted;
        device.flashCapacity = 1 << 20;
        device.requireSignature = true;
        if (good) {
            QByteArray changed = *good;
            changed[lw::kFuotaHeaderSize + 100] = char(changed[lw::kFuotaHeaderSize + 100] ^ 0x01);
            const auto v = lw::unpackFuotaImage(changed, device);
            fs.tamperedWords = v ? QString() : v.error().message;
        }
        if (foreign) {
            const auto v = lw::unpackFuotaImage(*foreign, device);
            fs.wrongKeyWords = v ? QString() : v.error().message;
        }
    }
    if (fs.tamperedWords.isEmpty())
        fs.tamperedWords = QStringLiteral("signature does not verify");
    if (fs.wrongKeyWords.isEmpty())
        fs.wrongKeyWords = QStringLiteral("signature does not verify");
    fs.downgradeVersion = olderVersion(m_config.devices.runningVersion);
    return fs;
}

Result<void> LorawanFleet::armFault(const faults::FaultOrder& order)
{
    LorawanFaultState& fs = faultState();
    if (order.device && *order.device >= m_devices.size())
        return fail(Error::plain(QStringLiteral("device %1 does not exist (the fleet has %2)").arg(*order.device).arg(m_devices.size())));
    if (order.kind == FaultKind::GatewayOutage && !order.target.isEmpty()) {
        const bool known = std::any_of(m_gateways.begin(), m_gateways.end(), [&](const LorawanGateway& g) { return g.name == order.target; });
        if (!known)
            return fail(Error::plain(QStringLiteral("gateway \"%1\" does not exist (gw-1 … gw-%2)").arg(order.target).arg(m_gateways.size())));
    }
    if (order.kind == FaultKind::PowerLoss && !order.atS && !order.atFlashWrite && !order.atProgress)
        return fail(Error::plain(QStringLiteral("a power cut needs a moment: atS, betweenS, atFlashWrite or atProgress")));
    if (order.kind == FaultKind::BadImage && order.device) {
        LorawanDevice& d = m_devices[*order.device];
        d.variant = std::uint8_t(order.variant == faults::BadImageVariant::FailsSelfTest ? LorawanImageVariant::FailsSelfTest
                                                                                         : LorawanImageVariant::DoesNotBoot);
        if (faultLog())
            faultLog()->fired(order.id, 0.0, QStringLiteral("gets an image %1 that %2").arg(m_config.image.version,
                              order.variant == faults::BadImageVariant::FailsSelfTest ? QStringLiteral("fails its self-test")
                                                                                      : QStringLiteral("crashes at boot")));
    }
    if (order.device) {
        LorawanArmed a;
        a.device = std::uint32_t(*order.device);
        a.logId = order.id;
        a.kind = order.kind;
        a.atFlashWrite = order.atFlashWrite;
        a.atProgress = order.atProgress;
        a.forS = order.forS;
        a.done = order.kind != FaultKind::PowerLoss || order.atS.has_value();
        m_devices[a.device].faultWatch = true;
        fs.of(a.device).push_back(a);
    }
    return {};
}

Result<void> LorawanFleet::armAttack(const faults::AttackOrder& order)
{
    LorawanFaultState& fs = faultState();
    if (order.device >= m_devices.size())
        return fail(Error::plain(QStringLiteral("device %1 does not exist (the fleet has %2)").arg(order.device).arg(m_devices.size())));
    LorawanDevice& d = m_devices[order.device];
    LorawanArmed a;
    a.device = std::uint32_t(order.device);
    a.logId = order.id;
    a.attack = true;
    a.attackKind = order.kind;
    switch (order.kind) {
    case AttackKind::ForgedFragment: a.pendingForge = !order.atS; break;
    case AttackKind::TamperedImage: d.variant = std::uint8_t(LorawanImageVariant::Tampered); break;
    case AttackKind::WrongKey: d.variant = std::uint8_t(LorawanImageVariant::WrongKey); break;
    case AttackKind::Downgrade: d.variant = std::uint8_t(LorawanImageVariant::Downgrade); break;
    case AttackKind::Replay: d.variant = std::uint8_t(LorawanImageVariant::Replay); break;
    default: return fail(Error::plain(QStringLiteral("the lorawan family cannot stage %1").arg(faults::attackKindName(order.kind))));
    }
    d.faultWatch = true;
    fs.of(a.device).push_back(a);
    return {};
}

void LorawanFleet::injectFault(const faults::FaultOrder& order)
{
    LorawanFaultState& fs = faultState();
    const SimTime now = m_sim.now();
    switch (order.kind) {
    case FaultKind::PowerLoss:
        if (order.device)
            powerOff(*order.device, order.id, order.forS, QStringLiteral("%1 s").arg(seconds(now.toSeconds())));
        return;
    case FaultKind::ServerCrash: {
        fs.serverDownUntil = std::max(fs.serverDownUntil, now + SimTime::fromSeconds(order.forS));
        fs.framesDeferred = 0;
        m_sim.schedule(fs.serverDownUntil, *this, EventData{m_serverNode, kServerUp, std::uint64_t(order.id), 0});
        if (faultLog())
            faultLog()->fired(order.id, now.toSeconds(),
                              QStringLiteral("network + FUOTA server down %1 s during \"%2\"; its campaign state is kept (ChirpStack v4 keeps "
                                             "deployments, jobs and the multicast queue in PostgreSQL)")
                                  .arg(seconds(order.forS), fuotaServerStateName(m_server->state())));
        return;
    }
    case FaultKind::GatewayOutage: {
        std::size_t g = 0;
        for (std::size_t k = 0; k < m_gateways.size(); ++k)
            if (m_gateways[k].name == order.target)
                g = k;
        m_gateways[g].down = true;
        m_sim.schedule(now + SimTime::fromSeconds(order.forS), *this, EventData{m_gateways[g].node, kGatewayUp, g, 0});
        if (faultLog()) {
            faultLog()->fired(order.id, now.toSeconds(), QStringLiteral("%1 dark %2 s (%3 devices hang from it)")
                                                             .arg(m_gateways[g].name, seconds(order.forS)).arg(m_gateways[g].served.size()));
            faultLog()->effect(order.id, QStringLiteral("during \"%1\": until %2 s it heard no uplink and sent no downlink or multicast frame "
                                                        "(the frames it owed were skipped, not queued)")
                                             .arg(fuotaServerStateName(m_server->state()), seconds((now + SimTime::fromSeconds(order.forS)).toSeconds())));
        }
        return;
    }
    case FaultKind::LinkOutage: {
        const SimTime until = now + SimTime::fromSeconds(order.forS);
        int hit = 0;
        for (std::size_t i = 0; i < m_devices.size(); ++i)
            if (!order.device || *order.device == i) {
                m_devices[i].linkDownUntil = std::max(m_devices[i].linkDownUntil, until);
                m_devices[i].faultWatch = true;
                ++hit;
            }
        if (faultLog())
            faultLog()->fired(order.id, now.toSeconds(), QStringLiteral("radio link of %1 device(s) down %2 s").arg(hit).arg(seconds(order.forS)));
        return;
    }
    case FaultKind::ClockJump:
        if (order.device) {
            clockJump(*order.device, order.id, order.jumpS);
        } else {
            // The whole fleet: one sentence for all (not one per device).
            faults::FaultLog* log = faultLog();
            setFaultLog(nullptr);
            for (std::size_t i = 0; i < m_devices.size(); ++i)
                clockJump(i, order.id, order.jumpS);
            setFaultLog(log);
            if (log)
                log->fired(order.id, now.toSeconds(), QStringLiteral("the clocks of all %1 devices jump %2 s; no re-sync (they cannot see it)")
                                                          .arg(m_devices.size()).arg(seconds(order.jumpS)));
        }
        return;
    case FaultKind::BadImage: return;
    }
}

void LorawanFleet::injectAttack(const faults::AttackOrder& order)
{
    LorawanFaultState& fs = faultState();
    for (LorawanArmed& a : fs.of(order.device))
        if (a.attack && a.logId == order.id && a.attackKind == AttackKind::ForgedFragment && !a.triedAtS)
            a.pendingForge = true;   // the next frame it receives
}

// --- hooks -------------------------------------------------------------------------------------

bool LorawanFleet::offAir(const LorawanDevice& d, SimTime t) const
{
    return t < d.offUntil || t < d.linkDownUntil;
}

bool LorawanFleet::serverDown(SimTime t) const
{
    return m_faults && t < m_faults->serverDownUntil;
}

bool LorawanFleet::wantsForgedFrame(std::size_t i)
{
    if (!m_faults)
        return false;
    for (LorawanArmed& a : m_faults->of(i))
        if (a.attack && a.device == i && a.pendingForge) {
            a.pendingForge = false;
            a.triedAtS = m_sim.now().toSeconds();
            return true;
        }
    return false;
}

void LorawanFleet::faultFrameStored(std::size_t i)
{
    if (!m_faults)
        return;
    const LorawanDevice& d = m_devices[i];
    for (LorawanArmed& a : m_faults->of(i)) {
        if (a.device != i || a.attack || a.done || a.kind != FaultKind::PowerLoss)
            continue;
        const bool atWrite = a.atFlashWrite && std::uint32_t(*a.atFlashWrite) == d.framesReceived;
        const bool atShare = a.atProgress && double(d.framesReceived) >= *a.atProgress * double(m_plan.fragments);
        if (!atWrite && !atShare)
            continue;
        a.done = true;
        const QString when = atWrite ? QStringLiteral("fragment write %1 of %2").arg(d.framesReceived).arg(m_plan.fragments)
                                     : QStringLiteral("%1 % stored (%2 of %3 fragments)").arg(*a.atProgress * 100.0, 0, 'f', 0)
                                           .arg(d.framesReceived).arg(m_plan.fragments);
        powerOff(i, a.logId, a.forS, when);
        return;
    }
}

bool LorawanFleet::faultApplied(std::size_t i)
{
    const LorawanDevice& d = m_devices[i];
    const auto v = LorawanImageVariant(d.variant);
    if (v != LorawanImageVariant::FailsSelfTest && v != LorawanImageVariant::DoesNotBoot)
        return false;
    LorawanFaultState& fs = faultState();
    const QString what = v == LorawanImageVariant::FailsSelfTest ? QStringLiteral("booted and failed its self-test")
                                                                 : QStringLiteral("crashed at boot");
    fs.reasons[std::uint32_t(i)] = QStringLiteral("the new image %1 %2: the bootloader reverted to %3")
                                       .arg(m_config.image.version, what, m_config.devices.runningVersion);
    for (const LorawanArmed& a : fs.of(i))
        if (!a.attack && a.device == i && a.kind == FaultKind::BadImage && faultLog())
            faultLog()->effect(a.logId, QStringLiteral("%1 %2 at %3 s; the bootloader reverted to %4")
                                            .arg(m_config.image.version, what, seconds(m_sim.now().toSeconds()), m_config.devices.runningVersion));
    setDeviceState(i, LorawanDeviceState::RolledBack);
    return true;
}

bool LorawanFleet::faultImageCheck(std::size_t i)
{
    LorawanFaultState& fs = faultState();
    const LorawanDevice& d = m_devices[i];
    const auto v = LorawanImageVariant(d.variant);
    if (v != LorawanImageVariant::Tampered && v != LorawanImageVariant::WrongKey && v != LorawanImageVariant::Downgrade &&
        v != LorawanImageVariant::Replay)
        return false;
    for (LorawanArmed& a : fs.of(i))
        if (a.attack && a.device == i && !a.triedAtS && a.attackKind != AttackKind::ForgedFragment)
            a.triedAtS = m_sim.now().toSeconds();
    const bool signedBlock = m_dataBlock.signatureReserve > 0;
    QString words;
    if (!signedBlock) {
        fs.reasons[std::uint32_t(i)] = QStringLiteral("ACCEPTED: the %1 data block carries no signature or trusted version to check")
                                           .arg(m_dataBlock.description().section(QLatin1Char(':'), 0, 0));
        return false;
    }
    switch (v) {
    case LorawanImageVariant::Tampered:
        words = QStringLiteral("the image check after reassembly refused it: %1 (the data block changed after signing)").arg(fs.tamperedWords);
        break;
    case LorawanImageVariant::WrongKey:
        words = QStringLiteral("the image check after reassembly refused it: %1 (signed by a key it does not trust)").arg(fs.wrongKeyWords);
        break;
    case LorawanImageVariant::Downgrade:
        words = QStringLiteral("the bootloader's version check refused it: version %1 is older than the running %2 (downgrade prevention)")
                    .arg(fs.downgradeVersion, m_config.devices.runningVersion);
        break;
    default:
        words = QStringLiteral("the bootloader's version check refused it: it is the running version %1 (a replayed image)")
                    .arg(m_config.devices.runningVersion);
        break;
    }
    fs.reasons[std::uint32_t(i)] = words + QStringLiteral("; image dropped, %1 runs on").arg(m_config.devices.runningVersion);
    setDeviceState(i, LorawanDeviceState::ImageRefused);
    return true;
}

void LorawanFleet::faultFinal(std::size_t i)
{
    if (!m_faults || !faultLog())
        return;
    const LorawanDevice& d = m_devices[i];
    for (LorawanArmed& a : m_faults->of(i))
        if (!a.attack && !a.done && a.device == i) {   // a write or share it never reached
            a.done = true;
            faultLog()->notFired(a.logId, QStringLiteral("the device ended (%1) after %2 stored fragments")
                                              .arg(lorawanDeviceStateName(d.state)).arg(d.framesReceived));
        }
    for (LorawanArmed& a : m_faults->of(i)) {
        if (!a.attack || a.device != i || a.done || !a.triedAtS)
            continue;
        a.done = true;
        bool accepted = false;
        QString words;
        if (d.state == LorawanDeviceState::Upgraded) {
            accepted = a.attackKind == AttackKind::ForgedFragment ? d.corrupted : LorawanImageVariant(d.variant) != LorawanImageVariant::Genuine;
            words = accepted ? faultReason(i)
                             : QStringLiteral("its decoder did not keep the forged frame (it held that fragment already); the genuine "
                                              "%1 was installed").arg(m_config.image.version);
            if (accepted && words.isEmpty())
                words = QStringLiteral("ACCEPTED: the device installed the attacker's data block");
        } else {
            words = failureReason(i);
        }
        faultLog()->attackTried(a.logId, *a.triedAtS, accepted, words);
    }
}

QString LorawanFleet::faultReason(std::size_t i) const
{
    if (!m_faults)
        return {};
    const auto it = m_faults->reasons.find(std::uint32_t(i));
    return it == m_faults->reasons.end() ? QString() : it->second;
}

// --- faults ------------------------------------------------------------------------------------

void LorawanFleet::powerOff(std::size_t i, int logId, double forS, const QString& when)
{
    LorawanFaultState& fs = faultState();
    LorawanDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    if (now < d.offUntil) {
        if (faultLog())
            faultLog()->notFired(logId, QStringLiteral("the device was already off"));
        return;
    }
    const LorawanDeviceState prev = d.state;
    d.faultWatch = true;
    d.offUntil = now + SimTime::fromSeconds(forS);
    ++d.powerCuts;
    // RAM: the pending answer, the clock correction and the session are gone.
    d.answer = LorawanCommand::None;
    d.micToSend = false;
    d.timeSynced = false;
    const int stored = d.fec.fragments() ? d.fec.fragments() - d.fec.missingCount() : 0;
    const bool lost = inCampaignAfterGroup(prev);
    fs.lostSession[std::uint32_t(i)] = lost;
    if (lost) {
        const QString gone = stored > 0 ? QStringLiteral("the fragmentation session, the multicast group and the decoder state were in RAM "
                                                         "(LoRaMac-node FragDecoder / LmhpRemoteMcastSetup), so its %1 stored fragments "
                                                         "are unusable").arg(stored)
                                        : QStringLiteral("the multicast group and the session parameters it had been given were in RAM "
                                                         "(LoRaMac-node LmhpRemoteMcastSetup / LmhpFragmentation), so it cannot join this "
                                                         "campaign's session");
        fs.reasons[std::uint32_t(i)] = QStringLiteral("power cut at %1 while \"%2\": %3; it rejoined class A and needs a second campaign")
                                           .arg(when, lorawanDeviceStateName(prev), gone);
        setDeviceState(i, LorawanDeviceState::Missed);
    }
    d.inSession = false;
    m_sim.schedule(d.offUntil, *this, EventData{m_firstNode + NodeId(i), kPowerOn, i, std::uint64_t(logId)});
    if (faultLog())
        faultLog()->fired(logId, now.toSeconds(), QStringLiteral("power off %1 s at %2 (%3, %4 of %5 fragments stored)")
                                                      .arg(seconds(forS), when, lorawanDeviceStateName(prev)).arg(stored).arg(m_plan.fragments));
}

void LorawanFleet::powerOn(std::size_t i, int logId)
{
    LorawanFaultState& fs = faultState();
    LorawanDevice& d = m_devices[i];
    if (m_config.campaign.clockSync)
        d.needsTime = d.state != LorawanDeviceState::ClassA && !isFinalLorawanState(d.state);
    if (!faultLog())
        return;
    const QString running = d.state == LorawanDeviceState::Upgraded ? m_config.image.version : m_config.devices.runningVersion;
    QString words = QStringLiteral("booted %1 at %2 s").arg(running, seconds(m_sim.now().toSeconds()));
    if (fs.lostSession[std::uint32_t(i)])
        words += QStringLiteral("; rejoined class A without its multicast group or session: missed this campaign, needs a second one");
    else if (d.state == LorawanDeviceState::Applying || d.state == LorawanDeviceState::Upgraded)
        words += QStringLiteral("; the bootloader's copy resumed from its status in flash");
    else
        words += QStringLiteral("; nothing of the campaign was lost (%1)").arg(lorawanDeviceStateName(d.state));
    faultLog()->effect(logId, words);
}

void LorawanFleet::clockJump(std::size_t i, int logId, double jumpS)
{
    LorawanDevice& d = m_devices[i];
    d.faultWatch = true;
    d.clockErrorS = float(double(d.clockErrorS) + jumpS);
    using S = LorawanDeviceState;
    const bool windowKnown = d.state == S::WaitingForSession || d.state == S::Receiving || d.state == S::WaitingForRepair;
    QString words = QStringLiteral("clock jumped %1 s; no re-sync (the device cannot see it)").arg(seconds(jumpS));
    if (windowKnown && m_server->sessionStart() != SimTime::max()) {
        const SimTime start = m_server->sessionStart();
        d.sessionOpen = start + SimTime::fromSeconds(clockErrorAt(d, start));
        d.sessionClose = d.sessionOpen + m_plan.sessionTimeout;
        words += QStringLiteral(": its session window now opens at %1 s for the session at %2 s").arg(seconds(d.sessionOpen.toSeconds()), seconds(start.toSeconds()));
    }
    if (faultLog()) {
        if (!faultLog()->faults().at(std::size_t(logId)).firedAtS)
            faultLog()->fired(logId, m_sim.now().toSeconds(), QStringLiteral("clock jump %1 s").arg(seconds(jumpS)));
        faultLog()->effect(logId, QStringLiteral("%1: %2").arg(m_nodes[i].name, words));
    }
}

bool LorawanFleet::deferForFault(const Event& event)
{
    LorawanFaultState& fs = *m_faults;
    const EventData& e = event.data;
    const SimTime now = m_sim.now();
    switch (e.kind) {
    case kPowerOn: powerOn(std::size_t(e.arg0), int(e.arg1)); return true;
    case kServerUp:
        if (faultLog())
            faultLog()->effect(int(e.arg0), QStringLiteral("back at %1 s in \"%2\": the campaign went on from its stored state; %3 "
                                                           "multicast frame sends waited for it")
                                                .arg(seconds(now.toSeconds()), fuotaServerStateName(m_server->state())).arg(fs.framesDeferred));
        return true;
    case kApply:
    case kApplied: {
        // Off mid-copy: the bootloader resumes the copy from its status in flash at power-on.
        const LorawanDevice& d = m_devices[std::size_t(e.arg0)];
        if (!(now < d.offUntil))
            return false;
        m_sim.schedule(d.offUntil + SimTime::fromSecondsInt(2), *this, e);
        return true;
    }
    case kServerJob:
    case kFrame:
    case kFramesDone:
    case kGroupDelete:
        if (!(now < fs.serverDownUntil))
            return false;
        if (e.kind == kFrame)
            ++fs.framesDeferred;
        m_sim.schedule(fs.serverDownUntil, *this, e);
        return true;
    default: return false;
    }
}

} // namespace otalab::sim
