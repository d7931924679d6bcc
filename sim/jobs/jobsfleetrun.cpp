// SPDX-License-Identifier: Apache-2.0
// JobsFleet: the run — the service's notifications and stream, the agent's steps, links.
#include "sim/jobs/jobsfleet.h"

#include "sim/kernel/simulator.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

namespace {

enum Kind : std::uint32_t {
    kStart = 1,         // cloud: the job exists, notify every device (no rollout)
    kNotifyArrive,      // device: notify-next with its execution (arg0 = execution)
    kFileCreated,       // device: receive file erased (arg0 = execution)
    kRequestAtService,  // cloud: a GetStream arrived (arg0 = device | generation << 32, arg1 = first block)
    kBlockArrive,       // device: a data block (arg0 = block, arg1 = generation)
    kRequestTimer,      // device: request timer expired (arg1 = generation)
    kCloseDone,         // device: SHA-256 + signature done (arg0 = execution)
    kRebooted,          // device: back on the broker in the new image, job fetched (arg0 = execution)
    kSelfTestDone,      // device: self-test finished (arg0 = execution)
    kRolledBack,        // device: back in the old image (arg0 = execution)
    kDisconnect,        // device: connection drop (arg1 = generation)
    kReconnect,         // device: connection back (arg1 = generation)
    kStopArrive,        // device: notify-next without its execution (arg0 = execution)
};

// Bytes on the link of one MQTT message: one TLS 1.2 AES-GCM record (5 header + 8 nonce
// + 16 tag) in TCP/IPv4 segments of 1460 bytes (40 bytes of headers each).
int wireBytes(int mqttBytes)
{
    const int tls = mqttBytes + 29;
    return tls + 40 * ((tls + 1459) / 1460);
}

SimTime transferTime(int bytes, float bytesPerS)
{
    return SimTime::fromSeconds(double(bytes) / double(bytesPerS));
}

constexpr int kStatusFrequency = 64;  // otaconfigOTA_UPDATE_STATUS_FREQUENCY: an IN_PROGRESS update every 64 blocks

} // namespace

EventData JobsFleet::data(std::size_t i, std::uint32_t kind, std::uint64_t arg0, std::uint64_t arg1) const
{
    return EventData{m_firstNode + NodeId(i), kind, arg0, arg1};
}

void JobsFleet::start()
{
    m_started = true;
    if (!m_hold)
        m_sim.schedule(SimTime::fromSeconds(m_config.broker.startAtS), *this, EventData{m_cloudNode, kStart, 0, 0});
}

void JobsFleet::handleEvent(Simulator&, const Event& event)
{
    const EventData& e = event.data;
    const std::size_t i = std::size_t(e.node - m_firstNode);
    switch (e.kind) {
    case kStart:
        for (std::size_t k = 0; k < m_devices.size(); ++k)
            if (m_devices[k].step == JobsStep::WaitingForJob)
                notify(k);
        break;
    case kNotifyArrive: notifyArrived(i, std::uint32_t(e.arg0)); break;
    case kFileCreated: fileCreated(i, std::uint32_t(e.arg0)); break;
    case kRequestAtService: requestAtService(std::size_t(e.arg0 & 0xffffffffu), std::uint32_t(e.arg0 >> 32), std::uint32_t(e.arg1)); break;
    case kBlockArrive: blockArrived(i, std::uint32_t(e.arg0), std::uint32_t(e.arg1)); break;
    case kRequestTimer: requestTimer(i, std::uint32_t(e.arg1)); break;
    case kCloseDone: closeDone(i, std::uint32_t(e.arg0)); break;
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
    const SimTime duration = transferTime(wireBytes(bytes), d.link.downBytesPerS);
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
    const SimTime duration = transferTime(wireBytes(bytes), d.link.upBytesPerS);
    d.energy.txNs += duration.nanos();
    touch(d, at);
    touch(d, start + duration);
    ++m_service.messages;
    m_service.bytesUp += std::uint64_t(bytes);
    return start + duration + SimTime::fromNanos(d.link.latencyNs);
}

void JobsFleet::sendUpdate(std::size_t i, int bytes)
{
    ++m_service.updates;
    uplink(i, m_sim.now(), bytes);
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
    m_sim.schedule(at, *this, data(i, kNotifyArrive, d.execution));
}

void JobsFleet::requestAtService(std::size_t i, std::uint32_t generation, std::uint32_t firstBlock)
{
    JobsDevice& d = m_devices[i];
    ++m_service.getStreams;
    if (d.stopped) {
        ++m_service.ignoredRequests;
        return;
    }
    if (generation != d.generation || d.bitmap.empty())
        return;   // the connection it came on is gone: the answer goes nowhere
    const SimTime now = m_sim.now();
    int left = m_config.agent.blocksPerRequest;
    for (std::uint32_t b = firstBlock; b < m_blocks && left > 0; ++b) {
        if (!(d.bitmap[b / 8] & (1u << (b % 8))))
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
        m_sim.schedule(at, *this, data(i, kBlockArrive, b, generation));
    }
}

// --- the agent -------------------------------------------------------------------------------

void JobsFleet::resetForExecution(JobsDevice& d)
{
    d.bitmap.assign((m_blocks + 7) / 8, 0xff);
    if (m_blocks % 8)
        d.bitmap.back() = std::uint8_t((1u << (m_blocks % 8)) - 1);
    d.blocksReceived = 0;
    d.outstanding = 0;
    d.momentum = 0;
    d.connected = true;
    ++d.generation;
    d.end = JobsEnd::None;
    d.image = JobsImageState::Unknown;
    d.finishedAt = SimTime::max();
    m_sim.cancel(d.requestTimer);
    m_sim.cancel(d.disconnectTimer);
}

void JobsFleet::notifyArrived(std::size_t i, std::uint32_t execution)
{
    JobsDevice& d = m_devices[i];
    if (execution != d.execution || d.stopped || d.step != JobsStep::Notified)
        return;
    const SimTime now = m_sim.now();
    const JobsDevicePreset& p = m_groups[d.group].preset;
    if (d.startedAt == SimTime::max()) {
        d.startedAt = now;
        d.energyAtStart = d.energy;
    }
    resetForExecution(d);
    setStep(i, JobsStep::CreatingFile);
    sendUpdate(i, m_updateBytes);   // IN_PROGRESS: the execution starts
    // otaPal_CreateFileForRx: erase the receive partition (4 KiB sectors / pages).
    const double sectors = std::ceil(double(m_config.image.sizeBytes) / 4096.0);
    const SimTime erase = SimTime::fromSeconds(sectors * p.flashEraseSPer4K);
    d.energy.flashNs += erase.nanos();
    d.energy.cpuNs += erase.nanos();
    m_sim.schedule(now + erase, *this, data(i, kFileCreated, execution));
}

void JobsFleet::fileCreated(std::size_t i, std::uint32_t execution)
{
    JobsDevice& d = m_devices[i];
    if (execution != d.execution || d.step != JobsStep::CreatingFile)
        return;
    setStep(i, JobsStep::Receiving);
    sendRequest(i, false);
    scheduleDisconnect(i);
}

void JobsFleet::sendRequest(std::size_t i, bool retry)
{
    JobsDevice& d = m_devices[i];
    const SimTime now = m_sim.now();
    m_sim.cancel(d.requestTimer);
    if (d.momentum >= m_config.agent.maxRequestMomentum) {
        // requestDataHandler: the momentum is spent — the agent aborts the job (FAILED).
        m_sim.cancel(d.disconnectTimer);
        d.end = JobsEnd::MomentumExhausted;
        d.image = JobsImageState::Aborted;
        sendUpdate(i, m_updateBytes);
        setStep(i, JobsStep::Aborted);
        return;
    }
    ++d.momentum;
    ++d.requests;
    if (retry) {
        ++d.retries;
        ++m_service.requestsRetried;
    }
    std::uint32_t first = 0;
    while (first < m_blocks && !(d.bitmap[first / 8] & (1u << (first % 8))))
        ++first;
    d.outstanding = std::uint16_t(std::min<std::uint32_t>(std::uint32_t(m_config.agent.blocksPerRequest), m_blocks - d.blocksReceived));
    const SimTime at = uplink(i, now, m_getStreamBytes);
    if (d.rng.bernoulli(double(d.link.loss)))
        ++m_service.requestsLost;
    else
        m_sim.schedule(at, *this, EventData{m_cloudNode, kRequestAtService, std::uint64_t(i) | (std::uint64_t(d.generation) << 32), first});
    d.requestTimer = m_sim.schedule(now + m_requestTimeout, *this, data(i, kRequestTimer, 0, d.generation));
}

void JobsFleet::blockArrived(std::size_t i, std::uint32_t block, std::uint32_t generation)
{
    JobsDevice& d = m_devices[i];
    if (generation != d.generation || d.step != JobsStep::Receiving)
        return;
    const SimTime now = m_sim.now();
    d.momentum = 0;
    if (d.outstanding > 0)
        --d.outstanding;
    const std::uint8_t bit = std::uint8_t(1u << (block % 8));
    if (!(d.bitmap[block / 8] & bit)) {
        ++d.duplicates;
    } else {
        d.bitmap[block / 8] &= std::uint8_t(~bit);
        ++d.blocksReceived;
        const JobsDevicePreset& p = m_groups[d.group].preset;
        const std::uint32_t bytes = block + 1 == m_blocks ? m_lastBlockBytes : std::uint32_t(m_config.image.blockSize);
        const SimTime write = SimTime::fromSeconds(p.flashWriteSPer4K * double(bytes) / 4096.0);
        d.energy.flashNs += write.nanos();
        if (d.blocksReceived % kStatusFrequency == 0 && d.blocksReceived < m_blocks)
            sendUpdate(i, m_updateBytes);   // IN_PROGRESS {"receive": "k/N"}
        if (d.blocksReceived == m_blocks) {
            m_sim.cancel(d.requestTimer);
            m_sim.cancel(d.disconnectTimer);
            setStep(i, JobsStep::ClosingFile);
            // otaPal_CloseFile: SHA-256 over the file, then the ECDSA P-256 verification.
            const SimTime verify = SimTime::fromSeconds(double(m_config.image.sizeBytes) / p.hashBytesPerS + p.verifyS);
            d.energy.cpuNs += verify.nanos();
            m_sim.schedule(now + write + verify, *this, data(i, kCloseDone, d.execution));
            return;
        }
    }
    if (d.outstanding == 0)
        sendRequest(i, false);
    else {
        m_sim.cancel(d.requestTimer);
        d.requestTimer = m_sim.schedule(now + m_requestTimeout, *this, data(i, kRequestTimer, 0, d.generation));
    }
}

void JobsFleet::requestTimer(std::size_t i, std::uint32_t generation)
{
    JobsDevice& d = m_devices[i];
    if (generation != d.generation || d.step != JobsStep::Receiving)
        return;
    d.requestTimer = {};
    sendRequest(i, true);
}

void JobsFleet::closeDone(std::size_t i, std::uint32_t execution)
{
    JobsDevice& d = m_devices[i];
    if (execution != d.execution || d.step != JobsStep::ClosingFile)
        return;
    const SimTime now = m_sim.now();
    if (d.badSignature) {
        // 0xe3 OtaPalSignatureCheckFailed: FAILED, the file is discarded, the old image runs on.
        d.end = JobsEnd::SignatureFailed;
        d.image = JobsImageState::Rejected;
        sendUpdate(i, m_updateBytes);
        setStep(i, JobsStep::SignatureFailed);
        return;
    }
    // IN_PROGRESS {"self_test": "ready"}, then otaPal_ActivateNewImage and the reset.
    sendUpdate(i, m_updateBytes);
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
    JobsDevice& d = m_devices[i];
    if (execution != d.execution || d.step != JobsStep::Rebooting)
        return;
    const SimTime now = m_sim.now();
    // The agent starts again: $next/get, the service answers with the job whose
    // statusDetails say self_test — the image is Testing and the self-test runs.
    const SimTime asked = uplink(i, now, m_getStreamBytes / 2);
    const SimTime job = downlink(i, brokerSlot(asked), m_notifyBytes, false);
    d.image = JobsImageState::Testing;
    setStep(i, JobsStep::SelfTest);
    const double selfTestS = m_config.agent.selfTestS.value_or(m_groups[d.group].preset.selfTestS);
    const SimTime test = SimTime::fromSeconds(selfTestS);
    d.energy.cpuNs += test.nanos();
    m_sim.schedule(job + test, *this, data(i, kSelfTestDone, execution));
}

void JobsFleet::selfTestDone(std::size_t i, std::uint32_t execution)
{
    JobsDevice& d = m_devices[i];
    if (execution != d.execution || d.step != JobsStep::SelfTest)
        return;
    const SimTime now = m_sim.now();
    if (d.badImage) {
        // Self-test failed: image Rejected, FAILED reported, reset into the old image.
        d.end = JobsEnd::SelfTestFailed;
        d.image = JobsImageState::Rejected;
        sendUpdate(i, m_updateBytes);
        setStep(i, JobsStep::RollingBack);
        const JobsDevicePreset& p = m_groups[d.group].preset;
        const SimTime boot = SimTime::fromSeconds(p.rebootS + p.reconnectS);
        d.connectedUntil = std::min(d.connectedUntil, now);
        closeSession(d, now);
        d.energy.cpuNs += boot.nanos();
        m_sim.schedule(now + boot, *this, data(i, kRolledBack, execution));
        return;
    }
    d.image = JobsImageState::Accepted;
    sendUpdate(i, m_updateBytes);   // SUCCEEDED
    setStep(i, JobsStep::Upgraded);
}

void JobsFleet::rolledBack(std::size_t i, std::uint32_t execution)
{
    JobsDevice& d = m_devices[i];
    if (execution != d.execution || d.step != JobsStep::RollingBack)
        return;
    setStep(i, JobsStep::RolledBack);
}

void JobsFleet::scheduleDisconnect(std::size_t i)
{
    const double rate = m_config.faults.disconnectsPerHour;
    if (!(rate > 0))
        return;
    JobsDevice& d = m_devices[i];
    m_sim.cancel(d.disconnectTimer);
    const SimTime after = SimTime::fromSeconds(d.rng.exponential(3600.0 / rate));
    d.disconnectTimer = m_sim.schedule(m_sim.now() + after, *this, data(i, kDisconnect, 0, d.generation));
}

void JobsFleet::disconnect(std::size_t i, std::uint32_t generation)
{
    JobsDevice& d = m_devices[i];
    if (generation != d.generation || d.step != JobsStep::Receiving)
        return;
    const SimTime now = m_sim.now();
    d.disconnectTimer = {};
    ++d.disconnects;
    ++d.generation;          // blocks and answers in flight are lost with the connection
    m_sim.cancel(d.requestTimer);
    d.outstanding = 0;
    d.connected = false;
    d.linkBusyUntil = std::min(d.linkBusyUntil, now);
    setStep(i, JobsStep::Suspended);
    m_sim.schedule(now + SimTime::fromSeconds(m_config.faults.reconnectS), *this, data(i, kReconnect, 0, d.generation));
}

void JobsFleet::reconnect(std::size_t i, std::uint32_t generation)
{
    JobsDevice& d = m_devices[i];
    if (generation != d.generation || d.step != JobsStep::Suspended)
        return;
    d.connected = true;
    d.momentum = 0;
    setStep(i, JobsStep::Receiving);
    sendRequest(i, false);   // resume: the bitmap asks only for the blocks still missing
    scheduleDisconnect(i);
}

void JobsFleet::stopArrived(std::size_t i, std::uint32_t execution)
{
    JobsDevice& d = m_devices[i];
    if (execution != d.execution)
        return;
    if (d.step != JobsStep::CreatingFile && d.step != JobsStep::Receiving && d.step != JobsStep::Suspended)
        return;
    // notify-next without its execution while downloading: the agent aborts the job.
    m_sim.cancel(d.requestTimer);
    m_sim.cancel(d.disconnectTimer);
    ++d.generation;
    d.end = JobsEnd::StoppedByService;
    d.image = JobsImageState::Aborted;
    setStep(i, JobsStep::Aborted);
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
            m_sim.schedule(at, *this, data(i, kStopArrive, d.execution));
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
}

} // namespace otalab::sim
