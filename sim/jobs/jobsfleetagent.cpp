// SPDX-License-Identifier: Apache-2.0
// JobsFleet: the device side — core/awsota's OtaAgent hosted on the simulator's clock, its
// actions turned into link messages, timers and steps.
#include "sim/jobs/jobsfleet.h"
#include "sim/jobs/jobsfleetevents.h"

#include "sim/kernel/simulator.h"

#include <algorithm>

namespace otalab::sim {

using namespace core::awsota;
using namespace jobsevents;

namespace {

qint64 millis(SimTime t) { return t.nanos() / 1'000'000; }

// MQTT v3.1.1 PUBLISH bytes with a QoS 1 packet id.
int publishBytes(int topicBytes, qsizetype payloadBytes)
{
    const int remaining = 2 + topicBytes + 2 + int(payloadBytes);
    return 1 + (remaining < 128 ? 1 : remaining < 16384 ? 2 : 3) + remaining;
}

// The first block a GetStream asks for (bit k of the bitmap = block offset + k).
std::uint32_t firstWanted(const GetStreamRequest& r)
{
    for (qsizetype byte = 0; byte < r.bitmap.size(); ++byte) {
        const auto bits = std::uint8_t(r.bitmap[byte]);
        if (bits)
            return r.offset + std::uint32_t(byte) * 8 + std::uint32_t(std::countr_zero(bits));
    }
    return r.offset;
}

} // namespace

const OtaAgent* JobsFleet::agentOf(std::size_t i) const
{
    const JobsAgentSlot* s = m_slots[i].get();
    return s && s->agent ? &*s->agent : nullptr;
}

JobsAgentSlot* JobsFleet::slot(std::size_t i, std::uint32_t execution)
{
    JobsAgentSlot* s = m_slots[i].get();
    if (!s || !s->agent || execution != jobsEpoch(m_devices[i]))
        return nullptr;
    return s;
}

std::uint32_t JobsFleet::requestsOf(std::size_t i) const
{
    return m_devices[i].requests;
}

void JobsFleet::freeSlot(std::size_t i)
{
    std::unique_ptr<JobsAgentSlot>& s = m_slots[i];
    if (!s)
        return;
    JobsDevice& d = m_devices[i];
    m_sim.cancel(s->requestEvent);
    m_sim.cancel(s->selfTestTimer);
    m_sim.cancel(d.disconnectTimer);
    if (s->agent) {
        d.duplicates += s->agent->counters().duplicateBlocks;
        const auto& bitmap = s->agent->bitmap();
        if (bitmap && !bitmap->complete())
            d.bitmap.assign(bitmap->bytes().begin(), bitmap->bytes().end());
    }
    s.reset();
}

// --- inputs -----------------------------------------------------------------------------------

void JobsFleet::notifyArrived(std::size_t i, std::uint32_t execution)
{
    JobsDevice& d = m_devices[i];
    if (execution != d.execution || d.stopped || d.step != JobsStep::Notified)
        return;
    const SimTime now = m_sim.now();
    if (d.startedAt == SimTime::max()) {
        d.startedAt = now;
        d.energyAtStart = d.energy;
    }
    freeSlot(i);
    resetForExecution(d);
    const JobsGroup& g = m_groups[d.group];
    auto s = std::make_unique<JobsAgentSlot>(g.preset, m_verdicts, d.badSignature, d.energy);
    AgentConfig config = m_agentConfig;
    config.thingName = m_nodes[i].name;
    auto agent = OtaAgent::create(std::move(config), s->pal);
    if (!agent)
        return;   // validated at build: cannot happen
    s->agent.emplace(std::move(*agent));
    m_slots[i] = std::move(s);
    if (d.faultWatch)
        faultNotified(i);
    JobsAgentSlot& slot = *m_slots[i];
    // The agent ran since the device booted: subscribed, asked $next/get and heard "no job".
    m_actions.clear();
    slot.agent->start(millis(now), m_actions);
    applyActions(i);
    slot.initial = false;
    // Now the job (notify-next carries the execution with its document).
    m_actions.clear();
    (void)slot.agent->onJobDocument(millis(now), m_document, m_actions);
    applyActions(i);
    if (m_slots[i])
        scheduleDisconnect(i);
}

void JobsFleet::jobDocumentArrived(std::size_t i, std::uint32_t execution)
{
    JobsAgentSlot* s = slot(i, execution);
    if (!s)
        return;
    m_actions.clear();
    if (m_devices[i].stopped) {
        (void)s->agent->onJobDocument(millis(m_sim.now()), std::nullopt, m_actions);
    } else {
        OtaJobDocument doc = m_document;
        doc.statusDetails = s->statusDetails;   // the service echoes the last update's details
        (void)s->agent->onJobDocument(millis(m_sim.now()), doc, m_actions);
    }
    applyActions(i);
}

void JobsFleet::blockArrived(std::size_t i, std::uint32_t block, std::uint32_t generation)
{
    JobsDevice& d = m_devices[i];
    JobsAgentSlot* s = m_slots[i].get();
    if (!s || !s->agent || generation != d.generation || !d.connected)
        return;
    const std::uint32_t size = block + 1 == m_blocks ? m_lastBlockBytes : std::uint32_t(m_config.image.blockSize);
    const QByteArrayView payload(m_image.constData() + qsizetype(block) * m_config.image.blockSize, qsizetype(size));
    m_actions.clear();
    (void)s->agent->onDataBlock(millis(m_sim.now()), 0, block, payload, m_actions);
    applyActions(i);
    if (d.faultWatch)
        faultBlockStored(i);
}

void JobsFleet::agentTimer(std::size_t i, std::uint32_t timer)
{
    JobsAgentSlot* s = m_slots[i].get();
    if (!s || !s->agent)
        return;
    const SimTime now = m_sim.now();
    if (timer == std::uint32_t(AgentTimer::Request)) {
        s->requestEvent = {};
        if (s->requestDeadline == SimTime::max())
            return;   // cancelled since
        if (now < s->requestDeadline) {   // moved later since: wait for the new deadline
            s->requestEventAt = s->requestDeadline;
            s->requestEvent = m_sim.schedule(s->requestDeadline, *this, data(i, kAgentTimer, timer));
            return;
        }
        s->requestDeadline = SimTime::max();
    } else {
        s->selfTestTimer = {};
    }
    m_actions.clear();
    s->agent->onTimer(millis(m_sim.now()), AgentTimer(timer), m_actions);
    applyActions(i, timer == std::uint32_t(AgentTimer::Request));
}

void JobsFleet::verified(std::size_t i, std::uint32_t execution)
{
    JobsDevice& d = m_devices[i];
    if (!slot(i, execution) || d.step != JobsStep::ClosingFile)
        return;
    const SimTime now = m_sim.now();
    setStep(i, JobsStep::Rebooting);
    d.connectedUntil = std::min(d.connectedUntil, now);
    closeSession(d, now);
    const JobsDevicePreset& p = m_groups[d.group].preset;
    const SimTime boot = SimTime::fromSeconds(p.rebootS + p.reconnectS);
    d.energy.cpuNs += boot.nanos();
    m_sim.schedule(now + boot, *this, data(i, kRebooted, execution));
}

void JobsFleet::rebooted(std::size_t i, std::uint32_t execution)
{
    JobsAgentSlot* s = slot(i, execution);
    if (!s || m_devices[i].step != JobsStep::Rebooting)
        return;
    s->pal.restart();
    if (m_devices[i].faultWatch)
        faultBooted(i, *s);   // a scenario's doesNotBoot image: the bootloader reverts (jobsfleetfaults.cpp)
    m_actions.clear();
    s->agent->boot(millis(m_sim.now()), bootVersion(i, *s), m_actions);
    applyActions(i);
}

void JobsFleet::selfTestDone(std::size_t i, std::uint32_t execution)
{
    JobsAgentSlot* s = slot(i, execution);
    if (!s || m_devices[i].step != JobsStep::SelfTest)
        return;
    m_actions.clear();
    (void)s->agent->onSelfTestResult(millis(m_sim.now()), !m_devices[i].badImage, m_actions);
    applyActions(i);
}

void JobsFleet::rolledBack(std::size_t i, std::uint32_t execution)
{
    JobsAgentSlot* s = slot(i, execution);
    if (!s || m_devices[i].step != JobsStep::RollingBack)
        return;
    s->pal.restart();   // the uncommitted new image is gone: the old one boots
    // Its agent starts again on the old image and finds no pending job: nothing to model.
    setStep(i, JobsStep::RolledBack);
    freeSlot(i);
}

void JobsFleet::disconnect(std::size_t i, std::uint32_t generation)
{
    JobsDevice& d = m_devices[i];
    JobsAgentSlot* s = m_slots[i].get();
    if (!s || !s->agent || generation != d.generation || d.step != JobsStep::Receiving)
        return;
    d.disconnectTimer = {};
    dropConnection(i, m_sim.now() + SimTime::fromSeconds(m_config.faults.reconnectS));
}

void JobsFleet::dropConnection(std::size_t i, SimTime reconnectAt)
{
    JobsDevice& d = m_devices[i];
    JobsAgentSlot* s = m_slots[i].get();
    const SimTime now = m_sim.now();
    m_sim.cancel(d.disconnectTimer);
    ++d.disconnects;
    ++d.generation;          // blocks and answers in flight are lost with the connection
    d.connected = false;
    d.linkBusyUntil = std::min(d.linkBusyUntil, now);
    m_actions.clear();
    s->agent->onConnectionLost(millis(now), m_actions);   // OTA_Suspend
    applyActions(i);
    setStep(i, JobsStep::Suspended);
    m_sim.schedule(reconnectAt, *this, data(i, kReconnect, 0, d.generation));
}

void JobsFleet::reconnect(std::size_t i, std::uint32_t generation)
{
    JobsDevice& d = m_devices[i];
    JobsAgentSlot* s = m_slots[i].get();
    if (!s || !s->agent || generation != d.generation || d.step != JobsStep::Suspended)
        return;
    d.connected = true;
    m_actions.clear();
    // OTA_Resume: subscribe again, $next/get; the same job comes back and the agent asks
    // only for the blocks its bitmap still wants.
    s->agent->onConnectionRestored(millis(m_sim.now()), m_actions);
    applyActions(i);
    setStep(i, JobsStep::Receiving);
    scheduleDisconnect(i);
}

void JobsFleet::stopArrived(std::size_t i, std::uint32_t execution)
{
    JobsAgentSlot* s = slot(i, execution);
    if (!s)
        return;
    const JobsStep step = m_devices[i].step;
    if (step != JobsStep::CreatingFile && step != JobsStep::Receiving && step != JobsStep::Suspended)
        return;
    // notify-next without its execution: the agent abandons the download (image Aborted).
    m_actions.clear();
    (void)s->agent->onJobDocument(millis(m_sim.now()), std::nullopt, m_actions);
    applyActions(i);
}

// --- actions ----------------------------------------------------------------------------------

void JobsFleet::applyActions(std::size_t i, bool timerBatch)
{
    JobsDevice& d = m_devices[i];
    JobsAgentSlot& s = *m_slots[i];
    const SimTime now = m_sim.now();
    const SimTime at = now + s.pal.takeBusy();   // flash and crypto time of this input come first
    const JobsGroup& g = m_groups[d.group];
    std::optional<AgentJobEnded> ended;
    std::optional<RebootReason> reboot;
    for (const AgentAction& action : m_actions) {
        if (const auto* p = std::get_if<AgentPublish>(&action)) {
            if (std::holds_alternative<StreamRequest>(p->message)) {
                const auto& r = std::get<StreamRequest>(p->message);
                ++d.requests;
                if (timerBatch) {
                    ++d.retries;
                    ++m_service.requestsRetried;
                }
                const SimTime arrive = uplink(i, at, m_getStreamBytes);
                if (d.rng.bernoulli(double(d.link.loss)))
                    ++m_service.requestsLost;
                else
                    m_sim.schedule(arrive, *this, EventData{m_cloudNode, kRequestAtService,
                                                            std::uint64_t(i) | (std::uint64_t(d.generation) << 32), firstWanted(r.request)});
            } else if (std::holds_alternative<JobStatusUpdate>(p->message)) {
                const auto& u = std::get<JobStatusUpdate>(p->message);
                ++m_service.updates;
                s.statusDetails = u.statusDetails;
                uplink(i, at, publishBytes(m_updateTopicBytes, u.payload().size()));
            } else if (!s.initial) {
                // $next/get: the service answers with the execution (QoS 1) — or with none.
                const SimTime asked = uplink(i, at, publishBytes(12 + 11 + 14, 28));
                const SimTime answer = downlink(i, brokerSlot(asked), m_notifyBytes, false);
                m_sim.schedule(answer, *this, data(i, kJobDocumentArrive, jobsEpoch(d)));
            }
        } else if (const auto* t = std::get_if<AgentArmTimer>(&action)) {
            const SimTime due = std::max(now, SimTime::fromMillis(t->atMs));
            if (t->timer == AgentTimer::Request) {
                s.requestDeadline = due;
                if (!m_sim.isPending(s.requestEvent) || s.requestEventAt > due) {
                    m_sim.cancel(s.requestEvent);
                    s.requestEventAt = due;
                    s.requestEvent = m_sim.schedule(due, *this, data(i, kAgentTimer, std::uint64_t(t->timer)));
                }
            } else {
                m_sim.cancel(s.selfTestTimer);
                s.selfTestTimer = m_sim.schedule(due, *this, data(i, kAgentTimer, std::uint64_t(t->timer)));
            }
        } else if (const auto* c = std::get_if<AgentCancelTimer>(&action)) {
            if (c->timer == AgentTimer::Request)
                s.requestDeadline = SimTime::max();
            else
                m_sim.cancel(s.selfTestTimer);
        } else if (const auto* c = std::get_if<AgentStateChanged>(&action)) {
            d.agentState = std::uint8_t(c->to);
            if (c->to == OtaState::CreatingFile && d.step == JobsStep::Notified)
                setStep(i, JobsStep::CreatingFile);
            else if ((c->to == OtaState::WaitingForFileBlock || c->to == OtaState::RequestingFileBlock) &&
                     (d.step == JobsStep::CreatingFile || d.step == JobsStep::Notified))
                setStep(i, JobsStep::Receiving);
        } else if (const auto* p = std::get_if<AgentProgress>(&action)) {
            d.blocksReceived = p->blocksReceived;
        } else if (std::holds_alternative<AgentSelfTestStart>(action)) {
            d.image = JobsImageState::Testing;
            setStep(i, JobsStep::SelfTest);
            const SimTime test = SimTime::fromSeconds(m_config.agent.selfTestS.value_or(g.preset.selfTestS));
            d.energy.cpuNs += test.nanos();
            m_sim.schedule(at + test, *this, data(i, kSelfTestDone, jobsEpoch(d)));
        } else if (const auto* r = std::get_if<AgentReboot>(&action)) {
            reboot = r->reason;
        } else if (const auto* e = std::get_if<AgentJobEnded>(&action)) {
            ended = *e;
        }
    }
    const auto rebootAfter = [&](SimTime from) {
        const SimTime boot = SimTime::fromSeconds(g.preset.rebootS + g.preset.reconnectS);
        d.connectedUntil = std::min(d.connectedUntil, now);
        closeSession(d, now);
        d.energy.cpuNs += boot.nanos();
        return from + boot;
    };
    if (ended && ended->status == JobExecutionStatus::Succeeded) {
        d.image = JobsImageState::Accepted;
        setStep(i, JobsStep::Upgraded);
        freeSlot(i);
        return;
    }
    if (ended || (reboot && *reboot != RebootReason::Activate)) {
        if (ended)
            m_reasons[std::uint32_t(i)] = ended->reason;
        else if (m_faults && reboot)
            noteFaultReboot(i, *reboot);   // e.g. a self-test timer that expired while the broker was down
        m_sim.cancel(d.disconnectTimer);
        if (s.pal.signatureFailed()) {
            d.end = JobsEnd::SignatureFailed;
            d.image = JobsImageState::Rejected;
            setStep(i, JobsStep::SignatureFailed);
            freeSlot(i);
        } else if (reboot) {
            // Self-test failed (or timed out): image Rejected, FAILED reported, reset to the old image.
            d.end = JobsEnd::SelfTestFailed;
            d.image = JobsImageState::Rejected;
            setStep(i, JobsStep::RollingBack);
            m_sim.schedule(rebootAfter(at), *this, data(i, kRolledBack, jobsEpoch(d)));
        } else {
            d.end = d.stopped ? JobsEnd::StoppedByService : JobsEnd::MomentumExhausted;
            d.image = JobsImageState::Aborted;
            setStep(i, JobsStep::Aborted);
            freeSlot(i);
        }
        return;
    }
    if (reboot) {   // Activate: the file verified; the reset comes once the check is done
        setStep(i, JobsStep::ClosingFile);
        m_sim.cancel(d.disconnectTimer);
        m_sim.schedule(at, *this, data(i, kVerified, jobsEpoch(d)));
        return;
    }
    const bool downloading = d.step == JobsStep::CreatingFile || d.step == JobsStep::Receiving || d.step == JobsStep::Suspended;
    if (downloading && s.agent->activeJobId().isEmpty()) {
        // The service ended the execution (notify-next without it): the agent abandoned it.
        d.end = JobsEnd::StoppedByService;
        d.image = JobsImageState::Aborted;
        m_reasons[std::uint32_t(i)] = s.agent->lastFailure();
        setStep(i, JobsStep::Aborted);
        freeSlot(i);
    }
}

} // namespace otalab::sim
