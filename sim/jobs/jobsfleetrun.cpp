// SPDX-License-Identifier: Apache-2.0
// JobsFleet: the run — the service's notifications and stream, the agent's steps, links.
#include "sim/jobs/jobsfleet.h"
#include "sim/jobs/jobsfleetevents.h"

#include "sim/kernel/simulator.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

// Bytes on the link of one MQTT message: one TLS 1.2 AES-GCM record (5 header + 8 nonce
// + 16 tag) in TCP/IPv4 segments of 1460 bytes (40 bytes of headers each).
} // namespace

int jobsWireBytes(int mqttBytes)
{
    const int tls = mqttBytes + 29;
    return tls + 40 * ((tls + 1459) / 1460);
}

namespace {

SimTime transferTime(int bytes, float bytesPerS)
{
    return SimTime::fromSeconds(double(bytes) / double(bytesPerS));
}

} // namespace

EventData JobsFleet::data(std::size_t i, std::uint32_t kind, std::uint64_t arg0, std::uint64_t arg1) const
{
    return EventData{m_firstNode + NodeId(i), kind, arg0, arg1};
}

void JobsFleet::start()
{
    m_started = true;
    if (!m_hold)
        m_sim.schedule(SimTime::fromSeconds(m_config.broker.startAtS), *this, EventData{m_cloudNode, jobsevents::kStart, 0, 0});
}

void JobsFleet::handleEvent(Simulator&, const Event& event)
{
    const EventData& e = event.data;
    const std::size_t i = std::size_t(e.node - m_firstNode);
    using namespace jobsevents;
    if (m_faults && deferForFault(event))
        return;
    switch (e.kind) {
    case kStart:
        for (std::size_t k = 0; k < m_devices.size(); ++k)
            if (m_devices[k].step == JobsStep::WaitingForJob)
                notify(k);
        break;
    case kNotifyArrive: notifyArrived(i, std::uint32_t(e.arg0)); break;
    case kJobDocumentArrive: jobDocumentArrived(i, std::uint32_t(e.arg0)); break;
    case kRequestAtService: requestAtService(std::size_t(e.arg0 & 0xffffffffu), std::uint32_t(e.arg0 >> 32), std::uint32_t(e.arg1)); break;
    case kBlockArrive: blockArrived(i, std::uint32_t(e.arg0), std::uint32_t(e.arg1)); break;
    case kAgentTimer: agentTimer(i, std::uint32_t(e.arg0)); break;
    case kVerified: verified(i, std::uint32_t(e.arg0)); break;
    case kRebooted: rebooted(i, std::uint32_t(e.arg0)); break;
    case kSelfTestDone: selfTestDone(i, std::uint32_t(e.arg0)); break;
    case kRolledBack: rolledBack(i, std::uint32_t(e.arg0)); break;
    case kDisconnect: disconnect(i, std::uint32_t(e.arg1)); break;
    case kReconnect: reconnect(i, std::uint32_t(e.arg1)); break;
    case kStopArrive: stopArrived(i, std::uint32_t(e.arg0)); break;
    default: break;
    }
}

// --- links and queues --------------------------------------------------------------------

void JobsFleet::closeSession(JobsDevice& d, SimTime now) const
{
    if (d.sessionStart == SimTime::min())
        return;
    const SimTime end = std::min(now, d.connectedUntil);
    if (end > d.sessionStart)
        d.energy.connectedNs += (end - d.sessionStart).nanos();
    d.sessionStart = SimTime::min();
}

void JobsFleet::touch(JobsDevice& d, SimTime t)
{
    const JobsPowerSaving& ps = m_groups[d.group].power;
    if (t > d.connectedUntil || d.sessionStart == SimTime::min()) {
        closeSession(d, t);
        d.sessionStart = t;
        if (isCellular(ps.kind))
            ++d.energy.connections;
        d.connectedUntil = t + ps.inactivity;
        return;
    }
    d.connectedUntil = std::max(d.connectedUntil, t + ps.inactivity);
}

SimTime JobsFleet::brokerSlot(SimTime ready)
{
    const SimTime s = std::max(ready, m_brokerBusy);
    m_brokerBusy = s + m_brokerSlot;
    m_service.brokerBusyS += m_brokerSlot.toSeconds();
    ++m_service.messages;
    return s + m_brokerSlot;
}

SimTime JobsFleet::downlink(std::size_t i, SimTime sentAt, int bytes, bool paged)
{
    JobsDevice& d = m_devices[i];
    const JobsPowerSaving& ps = m_groups[d.group].power;
    const SimTime arrive = sentAt + SimTime::fromNanos(d.link.latencyNs);
    const SimTime heard = ps.reachableAt(arrive, d.connectedUntil, d.wakePhaseNs);
    if (paged && heard > arrive)
        ++d.energy.pagings;
    const SimTime start = std::max(heard, d.linkBusyUntil);
    const SimTime duration = transferTime(jobsWireBytes(bytes), d.link.downBytesPerS);
    const SimTime done = start + duration;
    d.linkBusyUntil = done;
    d.energy.rxNs += duration.nanos();
    touch(d, start);
    touch(d, done);
    m_service.bytesDown += std::uint64_t(bytes);
    return done;
}

SimTime JobsFleet::uplink(std::size_t i, SimTime at, int bytes)
{
    JobsDevice& d = m_devices[i];
    const JobsPowerSaving& ps = m_groups[d.group].power;
    SimTime start = at;
    if (isCellular(ps.kind) && at > d.connectedUntil)
        start = at + ps.rrcSetup;   // mobile-originated: random access + RRC set-up, no paging wait
    const SimTime duration = transferTime(jobsWireBytes(bytes), d.link.upBytesPerS);
    d.energy.txNs += duration.nanos();
    touch(d, at);
    touch(d, start + duration);
    ++m_service.messages;
    m_service.bytesUp += std::uint64_t(bytes);
    return start + duration + SimTime::fromNanos(d.link.latencyNs);
}

// --- the service ---------------------------------------------------------------------------

void JobsFleet::notify(std::size_t i)
{
    JobsDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    ++d.execution;
    d.held = false;
    d.stopped = false;
    d.notifiedAt = now;
    setStep(i, JobsStep::Notified);
    ++m_service.notifies;
    // QoS 1 to a persistent session: never lost, held by the broker until the device hears it.
    const SimTime at = downlink(i, brokerSlot(now), m_notifyBytes, true);
    m_sim.schedule(at, *this, data(i, jobsevents::kNotifyArrive, d.execution));
}

void JobsFleet::requestAtService(std::size_t i, std::uint32_t generation, std::uint32_t firstBlock)
{
    JobsDevice& d = m_devices[i];
    ++m_service.getStreams;
    if (d.stopped) {
        ++m_service.ignoredRequests;
        return;
    }
    const core::awsota::OtaAgent* agent = agentOf(i);
    if (generation != d.generation || !agent || !agent->bitmap())
        return;   // the connection it came on is gone: the answer goes nowhere
    const core::awsota::BlockBitmap& wanted = *agent->bitmap();
    const SimTime now = m_sim.now();
    int left = m_config.agent.blocksPerRequest;
    for (std::uint32_t b = firstBlock; b < m_blocks && left > 0; ++b) {
        if (!wanted.isWanted(b))
            continue;
        --left;
        const SimTime s = std::max(now, m_streamBusy);
        m_streamBusy = s + m_streamSlot;
        m_service.streamBusyS += m_streamSlot.toSeconds();
        const SimTime sent = brokerSlot(s + m_streamSlot);
        m_service.maxQueueDelayS = std::max(m_service.maxQueueDelayS, (sent - now).toSeconds());
        ++m_service.blocksSent;
        const SimTime at = downlink(i, sent, dataMessageBytes(b), false);
        if (d.rng.bernoulli(double(d.link.loss))) {
            ++m_service.blocksLost;
            continue;
        }
        m_sim.schedule(at, *this, data(i, jobsevents::kBlockArrive, b, generation));
    }
}

void JobsFleet::resetForExecution(JobsDevice& d)
{
    d.bitmap.clear();
    d.blocksReceived = 0;
    d.connected = true;
    ++d.generation;
    d.end = JobsEnd::None;
    d.image = JobsImageState::Unknown;
    d.finishedAt = SimTime::max();
    m_sim.cancel(d.disconnectTimer);
}

void JobsFleet::scheduleDisconnect(std::size_t i)
{
    const double rate = m_config.faults.disconnectsPerHour;
    if (!(rate > 0))
        return;
    JobsDevice& d = m_devices[i];
    m_sim.cancel(d.disconnectTimer);
    const SimTime after = SimTime::fromSeconds(d.rng.exponential(3600.0 / rate));
    d.disconnectTimer = m_sim.schedule(m_sim.now() + after, *this, data(i, jobsevents::kDisconnect, 0, d.generation));
}

// --- rollout hooks ---------------------------------------------------------------------------

Fleet::RolloutSupport JobsFleet::rolloutSupport() const
{
    return RolloutSupport{true, true, true,
                          QStringLiteral("the jobs service publishes notify-next only to released things; a stopped execution gets no "
                                         "more blocks and an empty notify-next; a retry is a new execution")};
}

void JobsFleet::holdForRollout()
{
    m_hold = true;
    for (JobsDevice& d : m_devices)
        d.held = true;
}

void JobsFleet::releaseDevices(const std::vector<std::size_t>& devices)
{
    for (const std::size_t i : devices) {
        if (i >= m_devices.size())
            continue;
        JobsDevice& d = m_devices[i];
        const bool retry = isFinalPhase(jobsStepPhase(d.step));
        if (!retry && d.step != JobsStep::WaitingForJob)
            continue;   // already notified and working on it
        notify(i);
    }
}

void JobsFleet::stopDevices(const std::vector<std::size_t>& devices)
{
    const SimTime now = m_sim.now();
    for (const std::size_t i : devices) {
        if (i >= m_devices.size())
            continue;
        JobsDevice& d = m_devices[i];
        d.stopped = true;
        d.held = false;
        switch (d.step) {
        case JobsStep::WaitingForJob:
        case JobsStep::Notified:
            setStep(i, JobsStep::WaitingForJob);   // never starts: its notify-next is void
            break;
        case JobsStep::CreatingFile:
        case JobsStep::Receiving:
        case JobsStep::Suspended: {
            ++m_service.notifies;
            const SimTime at = downlink(i, brokerSlot(now), m_notifyBytes, true);
            m_sim.schedule(at, *this, data(i, jobsevents::kStopArrive, jobsEpoch(d)));
            break;
        }
        default: break;   // all blocks in: the device finishes on its own; the service ignores its reports
        }
    }
}

void JobsFleet::setStep(std::size_t i, JobsStep next)
{
    JobsDevice& d = m_devices[i];
    const JobsStep previous = d.step;
    if (previous == next)
        return;
    const SimTime now = m_sim.now();
    const FleetPhase from = jobsStepPhase(previous);
    const FleetPhase to = jobsStepPhase(next);
    d.step = next;
    d.stepSince = now;
    if (isFinalPhase(to))
        d.finishedAt = now;
    m_sim.observers().notifyStateChange(StateChange{now, m_firstNode + NodeId(i), kJobsStepMachine, std::uint16_t(previous), std::uint16_t(next)});
    if (from != to && m_listener)
        m_listener->onDevicePhase(*this, i, from, to);
    if (d.faultWatch && isFinalPhase(to))
        faultFinal(i);
}

} // namespace otalab::sim
