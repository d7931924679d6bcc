// SPDX-License-Identifier: Apache-2.0
// JobsFleet: scenario faults and attacks (what each does: jobsfleetfaults.h).
#include "sim/jobs/jobsfleetfaults.h"

#include "core/awsota/codesigning.h"
#include "sim/jobs/jobsfleet.h"
#include "sim/jobs/jobsfleetevents.h"
#include "sim/kernel/simulator.h"

#include <algorithm>

namespace otalab::sim {

using namespace core::awsota;
using namespace jobsevents;
using faults::AttackKind;
using faults::FaultKind;

namespace {

qint64 millis(SimTime t) { return t.nanos() / 1'000'000; }

bool downloading(JobsStep s)
{
    return s == JobsStep::CreatingFile || s == JobsStep::Receiving || s == JobsStep::Suspended;
}

QString seconds(double s) { return QString::number(s, 'g', 6); }

} // namespace

Fleet::FaultSupport JobsFleet::faultSupport() const
{
    FaultSupport s;
    s.kinds = {FaultKind::PowerLoss, FaultKind::ServerCrash, FaultKind::LinkOutage, FaultKind::BadImage};
    s.atFlashWrite = true;
    s.atProgress = true;
    s.attacks = {AttackKind::TamperedImage, AttackKind::WrongKey, AttackKind::Downgrade, AttackKind::Replay,
                 AttackKind::ForgedStreamBlock};
    s.whyNot = {{FaultKind::GatewayOutage, QStringLiteral("things reach the broker directly; use linkOutage")},
                {FaultKind::ClockJump, QStringLiteral("nothing in the agent or the model reads a wall clock")}};
    s.whyNotAttack = {{AttackKind::ForgedFragment, QStringLiteral("LoRaWAN only")},
                      {AttackKind::UnauthorisedClient, QStringLiteral("the broker's policy decides who may publish; a forged "
                                                                      "stream block is the attack that gets through it")}};
    s.survives = QStringLiteral("the OTA agent's flash record (job, file, block bitmap: persist()) and the PAL's boot slots "
                                "(an activated image pending commit); RAM, timers and the MQTT connection are lost");
    return s;
}

JobsFaultState& JobsFleet::faultState()
{
    if (!m_faults) {
        m_faults = std::make_unique<JobsFaultState>();
        // Core's real signature check, once: the job's file changed after signing, and
        // signed by a key the device's certificate does not hold.
        const QByteArray head = m_image.left(4096);
        const auto trusted = makeTestIdentity(QStringLiteral("OTA Lab simulated signer"));
        const auto other = makeTestIdentity(QStringLiteral("OTA Lab attacker"));
        if (trusted && other) {
            const auto good = signFile(head, trusted->privateKeyPem);
            const auto foreign = signFile(head, other->privateKeyPem);
            QByteArray changed = head;
            changed[7] = char(changed[7] ^ 0x40);
            if (good) {
                const auto v = verifyFileSignature(changed, *good, trusted->certificatePem);
                m_faults->tamperedDetail = v ? QString() : v.error().message;
            }
            if (foreign) {
                const auto v = verifyFileSignature(head, *foreign, trusted->certificatePem);
                m_faults->wrongKeyDetail = v ? QString() : v.error().message;
            }
        }
        if (m_faults->tamperedDetail.isEmpty())
            m_faults->tamperedDetail = QStringLiteral("the file's SHA-256 does not match the signed digest");
        if (m_faults->wrongKeyDetail.isEmpty())
            m_faults->wrongKeyDetail = QStringLiteral("the signature does not verify with the signer certificate");
        AppVersion32 v = m_runningVersion;
        if (v.build > 0)
            --v.build;
        else if (v.minor > 0)
            --v.minor;
        else if (v.major > 0)
            v = AppVersion32{std::uint8_t(v.major - 1), 9, 0};
        m_faults->downgradeVersion = v;
        m_faults->forgedPayload = QByteArray(m_config.image.blockSize, '\xa5');
    }
    return *m_faults;
}

Result<void> JobsFleet::armFault(const faults::FaultOrder& order)
{
    JobsFaultState& fs = faultState();
    if (order.kind == FaultKind::ClockJump || order.kind == FaultKind::GatewayOutage)
        return fail(Error::plain(QStringLiteral("the jobs family has no %1: %2")
                                     .arg(faults::faultKindName(order.kind),
                                          order.kind == FaultKind::ClockJump ? QStringLiteral("nothing in its model reads a wall clock")
                                                                             : QStringLiteral("devices reach the broker directly"))));
    if (order.device && *order.device >= m_devices.size())
        return fail(Error::plain(QStringLiteral("device %1 does not exist (the fleet has %2)").arg(*order.device).arg(m_devices.size())));
    if (order.kind == FaultKind::PowerLoss && !order.atS && !order.atFlashWrite && !order.atProgress)
        return fail(Error::plain(QStringLiteral("a power cut needs a moment: atS, betweenS, atFlashWrite or atProgress")));
    if (order.kind == FaultKind::BadImage) {
        JobsDevice& d = m_devices[*order.device];
        if (order.variant == faults::BadImageVariant::FailsSelfTest)
            d.badImage = true;
        else
            d.variant = std::uint8_t(JobsImageVariant::DoesNotBoot);
        d.faultWatch = true;
        if (faultLog())
            faultLog()->fired(order.id, 0.0, order.variant == faults::BadImageVariant::FailsSelfTest
                                                 ? QStringLiteral("gets an image %1 that fails its self-test").arg(m_config.image.version)
                                                 : QStringLiteral("gets an image %1 that crashes at boot").arg(m_config.image.version));
    }
    if (order.device) {
        JobsArmed a;
        a.device = std::uint32_t(*order.device);
        a.logId = order.id;
        a.kind = order.kind;
        a.atFlashWrite = order.atFlashWrite;
        a.atProgress = order.atProgress;
        a.forS = order.forS;
        a.done = order.kind != FaultKind::PowerLoss || order.atS.has_value();   // FleetRun fires atS
        m_devices[a.device].faultWatch = true;
        fs.of(a.device).push_back(a);
    }
    return {};
}

Result<void> JobsFleet::armAttack(const faults::AttackOrder& order)
{
    JobsFaultState& fs = faultState();
    if (order.device >= m_devices.size())
        return fail(Error::plain(QStringLiteral("device %1 does not exist (the fleet has %2)").arg(order.device).arg(m_devices.size())));
    JobsArmed a;
    a.device = std::uint32_t(order.device);
    a.logId = order.id;
    a.attack = true;
    a.attackKind = order.kind;
    JobsDevice& d = m_devices[order.device];
    d.faultWatch = true;
    switch (order.kind) {
    case AttackKind::ForgedStreamBlock: a.pendingForge = !order.atS; break;
    case AttackKind::TamperedImage:
    case AttackKind::WrongKey:
    case AttackKind::Downgrade:
    case AttackKind::Replay:
        if (!order.atS)
            d.variant = std::uint8_t(order.kind == AttackKind::TamperedImage ? JobsImageVariant::Tampered
                                     : order.kind == AttackKind::WrongKey    ? JobsImageVariant::WrongKey
                                     : order.kind == AttackKind::Downgrade   ? JobsImageVariant::Downgrade
                                                                             : JobsImageVariant::Replay);
        break;
    default:
        return fail(Error::plain(QStringLiteral("the jobs family cannot stage %1").arg(faults::attackKindName(order.kind))));
    }
    fs.of(a.device).push_back(a);
    return {};
}

void JobsFleet::injectFault(const faults::FaultOrder& order)
{
    faultState();
    const double now = m_sim.now().toSeconds();
    switch (order.kind) {
    case FaultKind::PowerLoss:
        if (order.device)
            powerOff(*order.device, order.id, order.forS, QStringLiteral("%1 s").arg(seconds(now)));
        return;
    case FaultKind::ServerCrash: brokerCrash(order.id, order.forS); return;
    case FaultKind::LinkOutage:
        if (order.device) {
            linkOutage(*order.device, order.id, order.forS);
        } else {
            // The whole fleet: one sentence for all (not one per device).
            faults::FaultLog* log = faultLog();
            setFaultLog(nullptr);
            int dropped = 0;
            for (std::size_t i = 0; i < m_devices.size(); ++i) {
                const std::uint16_t before = m_devices[i].disconnects;
                linkOutage(i, order.id, order.forS);
                dropped += m_devices[i].disconnects != before;
            }
            setFaultLog(log);
            if (log) {
                log->fired(order.id, now, QStringLiteral("the links of all %1 things down %2 s").arg(m_devices.size()).arg(seconds(order.forS)));
                log->effect(order.id, QStringLiteral("%1 downloads suspended, resumed at %2 s").arg(dropped).arg(seconds(now + order.forS)));
            }
        }
        return;
    case FaultKind::BadImage:
        if (order.device && faultLog())
            faultLog()->effect(order.id, QStringLiteral("the bad image was chosen at the start"));
        return;
    default: return;
    }
}

void JobsFleet::injectAttack(const faults::AttackOrder& order)
{
    JobsFaultState& fs = faultState();
    JobsArmed* a = nullptr;
    for (JobsArmed& x : fs.of(order.device))
        if (x.attack && x.logId == order.id)
            a = &x;
    if (!a || order.device >= m_devices.size())
        return;
    JobsDevice& d = m_devices[order.device];
    if (order.kind == AttackKind::ForgedStreamBlock) {
        if (downloading(d.step) && m_slots[order.device])
            forgeBlock(order.device, order.id);
        else if (d.step == JobsStep::WaitingForJob || d.step == JobsStep::Notified)
            a->pendingForge = true;   // at its first block
        else
            a->note = QStringLiteral("the device had all its blocks before the forger published (%1)").arg(jobsStepName(d.step));
        return;
    }
    if (d.step == JobsStep::WaitingForJob || d.step == JobsStep::Notified || downloading(d.step)) {
        d.variant = std::uint8_t(order.kind == AttackKind::TamperedImage ? JobsImageVariant::Tampered
                                 : order.kind == AttackKind::WrongKey    ? JobsImageVariant::WrongKey
                                 : order.kind == AttackKind::Downgrade   ? JobsImageVariant::Downgrade
                                                                         : JobsImageVariant::Replay);
        if (m_slots[order.device])
            faultNotified(order.device);
    } else {
        a->note = QStringLiteral("the device had verified the genuine file before the attacker's arrived (%1)").arg(jobsStepName(d.step));
    }
}

// --- device hooks ------------------------------------------------------------------------------

void JobsFleet::faultNotified(std::size_t i)
{
    JobsFaultState& fs = faultState();
    JobsDevice& d = m_devices[i];
    JobsAgentSlot* s = m_slots[i].get();
    const auto variant = JobsImageVariant(d.variant);
    if (s && variant == JobsImageVariant::Tampered)
        s->pal.failSignature(fs.tamperedDetail);
    else if (s && variant == JobsImageVariant::WrongKey)
        s->pal.failSignature(fs.wrongKeyDetail);
    for (JobsArmed& a : fs.of(i))
        if (a.attack && a.device == i && a.attackKind != AttackKind::ForgedStreamBlock && !a.triedAtS && variant != JobsImageVariant::Genuine)
            a.triedAtS = m_sim.now().toSeconds();
}

AppVersion32 JobsFleet::bootVersion(std::size_t i, const JobsAgentSlot& s) const
{
    if (!s.pal.runningNew())
        return m_runningVersion;
    switch (JobsImageVariant(m_devices[i].variant)) {
    case JobsImageVariant::Downgrade: return m_faults ? m_faults->downgradeVersion : m_newVersion;
    case JobsImageVariant::Replay: return m_runningVersion;
    default: return m_newVersion;
    }
}

void JobsFleet::faultBooted(std::size_t i, JobsAgentSlot& s)
{
    if (JobsImageVariant(m_devices[i].variant) != JobsImageVariant::DoesNotBoot || !s.pal.runningNew())
        return;
    // The new image crashes before it can confirm; the watchdog resets; the bootloader
    // finds it still pending commit and boots the old one.
    s.pal.restart();
    if (!faultLog() || !m_faults)
        return;
    for (const JobsArmed& a : m_faults->of(i))
        if (!a.attack && a.device == i && a.kind == FaultKind::BadImage)
            faultLog()->effect(a.logId, QStringLiteral("%1 crashed at boot at %2 s; the bootloader reverted to %3")
                                            .arg(m_config.image.version, seconds(m_sim.now().toSeconds()), m_config.image.runningVersion));
}

void JobsFleet::faultBlockStored(std::size_t i)
{
    JobsFaultState& fs = faultState();
    const JobsDevice& d = m_devices[i];
    std::vector<JobsArmed>& list = fs.of(i);
    for (std::size_t k = 0; k < list.size(); ++k) {
        JobsArmed& a = list[k];
        if (a.device != i)
            continue;
        if (a.attack && a.pendingForge && downloading(d.step) && m_slots[i]) {
            a.pendingForge = false;
            forgeBlock(i, a.logId);
            continue;
        }
        if (a.attack || a.done || a.kind != FaultKind::PowerLoss)
            continue;
        const bool atWrite = a.atFlashWrite && std::uint32_t(*a.atFlashWrite) == d.blocksReceived;
        const bool atShare = a.atProgress && double(d.blocksReceived) >= *a.atProgress * double(m_blocks);
        if (!atWrite && !atShare)
            continue;
        a.done = true;
        const QString when = atWrite ? QStringLiteral("block write %1 of %2").arg(d.blocksReceived).arg(m_blocks)
                                     : QStringLiteral("%1 % stored (%2 of %3 blocks)").arg(*a.atProgress * 100.0, 0, 'f', 0).arg(d.blocksReceived).arg(m_blocks);
        powerOff(i, a.logId, a.forS, when);
        return;   // one cut per write
    }
}

void JobsFleet::noteFaultReboot(std::size_t i, RebootReason reason)
{
    m_reasons[std::uint32_t(i)] = rebootReasonWords(reason);
    if (reason == RebootReason::SelfTestTimeout)
        ++faultState().selfTestTimeouts;
}

void JobsFleet::faultFinal(std::size_t i)
{
    if (!m_faults)
        return;
    const JobsDevice& d = m_devices[i];
    const QString reason = failureReason(i);
    for (JobsArmed& a : m_faults->of(i))
        if (!a.attack && !a.done && a.device == i && faultLog()) {   // a write or share it never reached
            a.done = true;
            faultLog()->notFired(a.logId, QStringLiteral("the device ended (%1) after %2 of %3 block writes")
                                              .arg(jobsStepName(d.step)).arg(d.blocksReceived).arg(m_blocks));
        }
    for (JobsArmed& a : m_faults->of(i)) {
        if (a.device != i || !a.attack || a.done || !a.triedAtS)
            continue;
        a.done = true;
        bool accepted = false;
        QString words;
        const bool variantDelivered = a.attackKind != AttackKind::ForgedStreamBlock;
        if (d.step == JobsStep::Upgraded) {
            accepted = variantDelivered ? JobsImageVariant(d.variant) != JobsImageVariant::Genuine : a.forgedStored;
            words = accepted ? QStringLiteral("ACCEPTED: the device committed the attacker's image")
                             : QStringLiteral("%1; the genuine image %2 was installed").arg(a.note, m_config.image.version);
        } else {
            words = QStringLiteral("%1%2 (runs %3)")
                        .arg(a.note.isEmpty() ? QString() : a.note + QStringLiteral("; "), reason, m_config.image.runningVersion);
        }
        if (faultLog())
            faultLog()->attackTried(a.logId, *a.triedAtS, accepted, words);
    }
}

// --- faults ------------------------------------------------------------------------------------

void JobsFleet::powerOff(std::size_t i, int logId, double forS, const QString& when)
{
    JobsFaultState& fs = faultState();
    JobsDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    if (now < d.offUntil) {
        if (faultLog())
            faultLog()->notFired(logId, QStringLiteral("the device was already off"));
        return;
    }
    const JobsStep step = d.step;
    JobsAgentSlot* s = m_slots[i].get();
    QString kept = QStringLiteral("nothing to keep (no job in progress)");
    if (s && s->agent) {
        const QByteArray record = s->agent->persist();
        fs.flashRecords[std::uint32_t(i)] = record;
        kept = record.isEmpty() ? QStringLiteral("no download record (the file was complete)")
                                : QStringLiteral("its flash record: %1 of %2 blocks").arg(s->agent->blocksReceived()).arg(m_blocks);
        m_sim.cancel(s->requestEvent);
        s->requestDeadline = SimTime::max();
        m_sim.cancel(s->selfTestTimer);
    }
    ++d.powerCycles;
    ++d.generation;
    d.connected = false;
    d.offUntil = now + SimTime::fromSeconds(forS);
    m_sim.cancel(d.disconnectTimer);
    d.connectedUntil = std::min(d.connectedUntil, now);
    closeSession(d, now);
    if (s && downloading(step))
        setStep(i, JobsStep::Suspended);
    else if (s && (step == JobsStep::ClosingFile || step == JobsStep::SelfTest))
        setStep(i, JobsStep::Rebooting);
    m_sim.schedule(d.offUntil, *this, data(i, kPowerOn, std::uint64_t(logId)));
    if (faultLog())
        faultLog()->fired(logId, now.toSeconds(),
                          QStringLiteral("power off %1 s at %2 (%3); flash keeps %4").arg(seconds(forS), when, jobsStepName(step), kept));
}

void JobsFleet::powerOn(std::size_t i, int logId)
{
    JobsFaultState& fs = faultState();
    JobsDevice& d = m_devices[i];
    JobsAgentSlot* s = m_slots[i].get();
    d.connected = true;
    if (!s || !s->agent) {
        if (faultLog())
            faultLog()->effect(logId, QStringLiteral("booted %1 with no job in progress").arg(d.step == JobsStep::Upgraded ? m_config.image.version : m_config.image.runningVersion));
        return;
    }
    s->pal.restart();   // the bootloader: an activated image boots pending commit, an uncommitted one reverts
    if (d.step == JobsStep::RollingBack) {
        setStep(i, JobsStep::RolledBack);
        freeSlot(i);
        if (faultLog())
            faultLog()->effect(logId, QStringLiteral("booted %1: the rollback completed").arg(m_config.image.runningVersion));
        return;
    }
    if (d.faultWatch)
        faultBooted(i, *s);
    // RAM is gone: a new agent takes over the flash record.
    AgentConfig config = m_agentConfig;
    config.thingName = m_nodes[i].name;
    auto agent = OtaAgent::create(std::move(config), s->pal);
    if (!agent)
        return;
    const QByteArray record = fs.flashRecords[std::uint32_t(i)];
    QString resumed = QStringLiteral("no download to resume");
    if (!record.isEmpty()) {
        if (auto ok = agent->restore(record); ok)
            resumed = QStringLiteral("restored the flash record: %1 of %2 blocks kept, asks only for the rest").arg(agent->blocksReceived()).arg(m_blocks);
        else
            resumed = QStringLiteral("flash record unreadable (%1): starts over").arg(ok.error().message);
    }
    s->agent.emplace(std::move(*agent));
    s->initial = false;
    const AppVersion32 version = bootVersion(i, *s);
    const bool wasDownloading = downloading(d.step);
    if (faultLog())
        faultLog()->effect(logId, QStringLiteral("booted %1 at %2 s; %3").arg(version.toString(), seconds(m_sim.now().toSeconds()), resumed));
    m_actions.clear();
    s->agent->boot(millis(m_sim.now()), version, m_actions);
    applyActions(i);
    if (wasDownloading && m_slots[i] && d.step == JobsStep::Suspended) {
        setStep(i, JobsStep::Receiving);
        scheduleDisconnect(i);
    }
}

void JobsFleet::brokerCrash(int logId, double forS)
{
    JobsFaultState& fs = faultState();
    const SimTime now = m_sim.now();
    const SimTime up = now + SimTime::fromSeconds(forS);
    fs.brokerDownUntil = std::max(fs.brokerDownUntil, up);
    int dropped = 0, connected = 0;
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        JobsDevice& d = m_devices[i];
        if (now < d.offUntil)
            continue;
        ++connected;
        if (!m_slots[i] || (d.step != JobsStep::CreatingFile && d.step != JobsStep::Receiving))
            continue;
        ++dropped;
        // MQTT clients reconnect with a back-off once the broker answers again.
        const SimTime backOff = SimTime::fromSeconds(d.rng.uniform(0.0, m_config.faults.reconnectS));
        dropConnection(i, fs.brokerDownUntil + backOff);
    }
    fs.brokerDrops = dropped;
    m_sim.schedule(up, *this, EventData{m_cloudNode, kBrokerUp, std::uint64_t(logId), 0});
    if (faultLog())
        faultLog()->fired(logId, now.toSeconds(),
                          QStringLiteral("broker, jobs and streams down %1 s: %2 MQTT connections dropped, %3 downloads suspended")
                              .arg(seconds(forS)).arg(connected).arg(dropped));
}

void JobsFleet::linkOutage(std::size_t i, int logId, double forS)
{
    JobsDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    d.linkDownUntil = std::max(d.linkDownUntil, now + SimTime::fromSeconds(forS));
    const JobsStep step = d.step;
    const bool drop = m_slots[i] && (step == JobsStep::CreatingFile || step == JobsStep::Receiving) && !(now < d.offUntil);
    if (drop)
        dropConnection(i, d.linkDownUntil);
    if (faultLog() && (!faultLog()->faults().at(std::size_t(logId)).firedAtS))
        faultLog()->fired(logId, now.toSeconds(), QStringLiteral("link down %1 s").arg(seconds(forS)));
    if (faultLog() && drop)
        faultLog()->effect(logId, QStringLiteral("%1: download suspended at %2 of %3 blocks, resumes at %4 s")
                                      .arg(m_nodes[i].name).arg(d.blocksReceived).arg(m_blocks).arg(seconds(d.linkDownUntil.toSeconds())));
}

void JobsFleet::forgeBlock(std::size_t i, int logId)
{
    JobsFaultState& fs = faultState();
    JobsArmed* a = nullptr;
    for (JobsArmed& x : fs.of(i))
        if (x.attack && x.logId == logId)
            a = &x;
    JobsAgentSlot* s = m_slots[i].get();
    if (!a || !s || !s->agent || !s->agent->bitmap())
        return;
    const BlockBitmap& bitmap = *s->agent->bitmap();
    std::uint32_t block = m_blocks;
    for (std::uint32_t b = 0; b < m_blocks; ++b)
        if (bitmap.isWanted(b)) {
            block = b;
            break;
        }
    a->triedAtS = m_sim.now().toSeconds();
    if (block == m_blocks) {
        a->note = QStringLiteral("every block was already stored: the forged one was a duplicate");
        return;
    }
    const std::uint32_t size = block + 1 == m_blocks ? m_lastBlockBytes : std::uint32_t(m_config.image.blockSize);
    m_actions.clear();
    const auto taken = s->agent->onDataBlock(millis(m_sim.now()), 0, block, QByteArrayView(fs.forgedPayload).first(size), m_actions);
    const bool stored = taken && !s->agent->bitmap()->isWanted(block);
    a->forgedStored = stored;
    if (stored) {
        s->pal.failSignature(fs.tamperedDetail);
        a->note = QStringLiteral("the agent stored the forged block %1 (ids and length are all it checks)").arg(block);
    } else {
        a->note = QStringLiteral("the agent refused the forged block %1: %2").arg(block).arg(taken ? QStringLiteral("not wanted") : taken.error().message);
    }
    applyActions(i);
    if (m_slots[i])
        faultBlockStored(i);
}

bool JobsFleet::deferForFault(const Event& event)
{
    const EventData& e = event.data;
    JobsFaultState& fs = *m_faults;
    const SimTime now = m_sim.now();
    if (e.node == m_cloudNode) {
        if (e.kind == kBrokerUp) {
            if (faultLog())
                faultLog()->effect(int(e.arg0), QStringLiteral("broker back at %1 s: persistent sessions and job executions kept; "
                                                               "%2 suspended downloads reconnect and resume from their bitmaps; %3 things "
                                                               "in their self-test reset when the self-test timer (%4 s) expired before "
                                                               "the job came back, and rolled back")
                                                    .arg(seconds(now.toSeconds())).arg(fs.brokerDrops).arg(fs.selfTestTimeouts)
                                                    .arg(seconds(m_agentConfig.selfTestTimeoutMs / 1000.0)));
            fs.selfTestTimeouts = 0;
            return true;
        }
        if (now < fs.brokerDownUntil) {
            if (e.kind == kRequestAtService)
                return true;   // the GetStream died with the broker
            if (e.kind == kStart) {
                m_sim.schedule(fs.brokerDownUntil, *this, e);
                return true;
            }
        }
        return false;
    }
    const std::size_t i = std::size_t(e.node - m_firstNode);
    if (i >= m_devices.size())
        return false;
    JobsDevice& d = m_devices[i];
    if (e.kind == kPowerOn) {
        powerOn(i, int(e.arg0));
        return true;
    }
    const bool off = now < d.offUntil;
    const SimTime back = std::max({d.offUntil, d.linkDownUntil, fs.brokerDownUntil});
    switch (e.kind) {
    case kBlockArrive:
    case kDisconnect: return now < back;   // nothing reaches a device that is off or cut off
    case kNotifyArrive:
    case kJobDocumentArrive:
    case kStopArrive:
    case kReconnect:
        if (now < back && !(off && e.kind == kJobDocumentArrive)) {
            m_sim.schedule(back, *this, e);   // held by the broker for the persistent session
            return true;
        }
        return off;
    default: return false;
    }
}

} // namespace otalab::sim
