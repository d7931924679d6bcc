// SPDX-License-Identifier: Apache-2.0
// FuotaServer: ChirpStack v4 applayer/fuota's job sequence on simulated time.
#include "sim/lorawan/fuotaserver.h"

#include <algorithm>
#include <cmath>

namespace otalab::sim {

FuotaServer::FuotaServer(const LorawanCampaignConfig& config, const FuotaPlan& plan, std::vector<LorawanDevice>& devices,
                         FuotaServerHost& host, SimTime retryInterval)
    : m_config(config), m_plan(plan), m_devices(devices), m_host(host), m_retryInterval(retryInterval)
{
    std::fill(std::begin(m_stepStart), std::end(m_stepStart), SimTime::max());
}

namespace {
// Per-device rollout state (FuotaServer::m_rollout).
constexpr std::uint8_t kHeld = 0;
constexpr std::uint8_t kReleased = 1;
constexpr std::uint8_t kInWave = 2;
constexpr std::uint8_t kStopped = 3;
} // namespace

void FuotaServer::start()
{
    if (m_held)
        return;   // the first release schedules the first wave
    m_host.scheduleServerJob(SimTime::fromSeconds(m_config.startAtS));
}

void FuotaServer::holdForRollout()
{
    m_held = true;
    m_rollout.assign(m_devices.size(), kHeld);
    m_deviceWave.assign(m_devices.size(), 0);
}

void FuotaServer::release(std::size_t device, SimTime now)
{
    if (!m_held || device >= m_devices.size() || m_rollout[device] != kHeld
        || m_devices[device].state != LorawanDeviceState::ClassA)
        return;
    m_rollout[device] = kReleased;
    if (m_state == FuotaServerState::Idle || m_state == FuotaServerState::Complete)
        scheduleWave(now);
}

void FuotaServer::stop(std::size_t device, SimTime)
{
    if (!m_held || device >= m_devices.size() || m_rollout[device] == kStopped)
        return;
    const bool inWave = m_rollout[device] == kInWave;
    m_rollout[device] = kStopped;
    if (!inWave)
        return;
    using D = LorawanDeviceState;
    LorawanDevice& d = m_devices[device];
    if (d.state == D::GroupSetup || d.state == D::FragSetup || d.state == D::SessionSetup || d.state == D::WaitingForSession) {
        d.queued = LorawanCommand::None;   // the command waiting for its uplink is withdrawn
        m_host.setDeviceState(device, D::ClassA);
        --m_waveDevices;
    }
}

void FuotaServer::scheduleWave(SimTime now)
{
    if (m_waveScheduled)
        return;
    m_waveScheduled = true;
    m_host.scheduleServerJob(std::max(now, SimTime::fromSeconds(m_config.startAtS)));
}

int FuotaServer::waitingForWave() const
{
    return int(std::count(m_rollout.begin(), m_rollout.end(), kReleased));
}

QString FuotaServer::rolloutText(std::size_t device) const
{
    if (!m_held || device >= m_rollout.size())
        return {};
    switch (m_rollout[device]) {
    case kHeld: return QStringLiteral("queued: in no multicast group until the job notifies it");
    case kReleased: return QStringLiteral("notified: waiting for the next wave's multicast group");
    case kInWave: return QStringLiteral("in wave %1's multicast group").arg(m_deviceWave[device]);
    default: return QStringLiteral("execution ended: joins no session");
    }
}

FuotaWaveRecord FuotaServer::currentWave() const
{
    FuotaWaveRecord w;
    w.number = m_wave;
    w.devices = m_waveDevices;
    w.groupId = waveGroupId();
    std::copy(std::begin(m_stepStart), std::end(m_stepStart), w.stepStart.begin());
    w.sessionStart = m_sessionStart;
    w.sessionEnd = m_sessionEnd;
    w.framesDone = m_framesDone;
    w.groupDeleted = m_groupDeleted;
    w.groupDeletedAt = m_groupDeletedAt;
    w.repairFrames = m_repairFrames;
    return w;
}

bool FuotaServer::beginWave(SimTime now)
{
    m_waveScheduled = false;
    if (m_state == FuotaServerState::Complete) {
        m_waves.push_back(currentWave());
        // A new run of the flow: a new group, its own step times.
        std::fill(std::begin(m_stepStart), std::end(m_stepStart), SimTime::max());
        m_attempts = 0;
        m_sessionStart = m_sessionEnd = m_framesDone = m_groupDeletedAt = SimTime::max();
        m_groupDeleted = false;
        m_repairing = false;
        m_repairFrames = 0;
        enter(FuotaServerState::Idle, now);
    }
    int members = 0;
    for (std::size_t i = 0; i < m_devices.size(); ++i)
        members += m_rollout[i] == kReleased && m_devices[i].state == LorawanDeviceState::ClassA;
    if (members == 0)
        return false;
    ++m_wave;
    m_waveDevices = members;
    m_host.waveStarting(m_wave);
    for (std::size_t i = 0; i < m_devices.size(); ++i)
        if (m_rollout[i] == kReleased && m_devices[i].state == LorawanDeviceState::ClassA) {
            m_rollout[i] = kInWave;
            m_deviceWave[i] = std::uint16_t(std::min(m_wave, 65535));
        }
    return true;
}

void FuotaServer::enter(FuotaServerState next, SimTime now)
{
    if (next == m_state)
        return;
    const FuotaServerState previous = m_state;
    m_state = next;
    m_attempts = 0;
    if (m_stepStart[std::size_t(next)] == SimTime::max())
        m_stepStart[std::size_t(next)] = now;
    m_host.serverStateChanged(previous, next);
}

bool FuotaServer::pendingFor(const LorawanDevice& d, LorawanCommand command, LorawanDeviceState pending) const
{
    switch (command) {
    case LorawanCommand::FragStatus: return d.state == LorawanDeviceState::WaitingForRepair && !d.statusKnown;
    case LorawanCommand::McSession:
        if (m_repairing)
            return d.state == LorawanDeviceState::WaitingForRepair && d.statusKnown && !d.repairJoined;
        return d.state == pending;
    default: return d.state == pending;
    }
}

bool FuotaServer::runUnicastJob(LorawanCommand command, LorawanDeviceState pending, SimTime now)
{
    if (m_attempts > m_config.unicastRetries) {
        // Retries spent: devices that never answered a setup step are dropped.
        if (command != LorawanCommand::FragStatus && !m_repairing)
            for (std::size_t i = 0; i < m_devices.size(); ++i)
                if (pendingFor(m_devices[i], command, pending)) {
                    m_devices[i].queued = LorawanCommand::None;
                    m_devices[i].failedStep = command;
                    m_host.setDeviceState(i, LorawanDeviceState::Unreachable);
                }
        for (LorawanDevice& d : m_devices)
            if (d.queued == command)
                d.queued = LorawanCommand::None;
        return true;
    }
    ++m_attempts;
    std::size_t pendingCount = 0;
    for (LorawanDevice& d : m_devices) {
        if (!pendingFor(d, command, pending))
            continue;
        d.queued = command;
        d.attempts = std::uint8_t(std::min(255, m_attempts));
        if (d.campaignStart == SimTime::max())
            d.campaignStart = now;
        ++pendingCount;
    }
    if (pendingCount == 0)
        return true;
    m_host.scheduleServerJob(now + m_retryInterval);
    return false;
}

void FuotaServer::onJob(SimTime now)
{
    using S = FuotaServerState;
    switch (m_state) {
    case S::Complete:
    case S::Idle:
        if (m_held) {
            if (!beginWave(now))   // under a rollout: this wave's group, if anyone waits for one
                return;
        } else if (m_state == S::Complete) {
            return;
        }
        enter(S::McGroupSetup, now);
        for (std::size_t i = 0; i < m_devices.size(); ++i)
            if (m_devices[i].state == LorawanDeviceState::ClassA && (!m_held || m_rollout[i] == kInWave))
                m_host.setDeviceState(i, LorawanDeviceState::GroupSetup);
        [[fallthrough]];
    case S::McGroupSetup:
        if (runUnicastJob(LorawanCommand::McGroupSetup, LorawanDeviceState::GroupSetup, now)) {
            enter(S::FragSessionSetup, now);
            m_host.scheduleServerJob(now);
        }
        return;
    case S::FragSessionSetup:
        if (runUnicastJob(LorawanCommand::FragSessionSetup, LorawanDeviceState::FragSetup, now)) {
            enter(S::McSessionSetup, now);
            m_host.scheduleServerJob(now);
        }
        return;
    case S::McSessionSetup:
    case S::RepairSetup: {
        if (m_attempts == 0) {
            // As ChirpStack: the session starts (retries + 1) uplink intervals after the
            // first McSession request, so every retry can still reach a device in time.
            const SimTime delay = m_config.sessionStartDelayS > 0 ? SimTime::fromSeconds(m_config.sessionStartDelayS)
                                                                  : m_retryInterval * (m_config.unicastRetries + 1);
            m_sessionStart = now + delay;
            m_sessionEnd = m_sessionStart + m_plan.sessionTimeout;
        }
        if (runUnicastJob(LorawanCommand::McSession, LorawanDeviceState::SessionSetup, now)) {
            const bool repair = m_state == S::RepairSetup;
            enter(repair ? S::SendingRepair : S::WaitingForSession, now);
            m_host.scheduleServerJob(std::max(now, m_sessionStart));
        }
        return;
    }
    case S::WaitingForSession:
        m_host.openSession(m_sessionStart, m_sessionEnd, false);
        enter(S::SendingFragments, now);
        m_host.sendFrames(now, 1, m_plan.frames());
        return;
    case S::SendingRepair:
        m_host.openSession(m_sessionStart, m_sessionEnd, true);
        m_host.sendFrames(now, m_plan.frames() + 1, m_plan.frames() + m_repairFrames);
        return;
    case S::FragStatus:
        if (runUnicastJob(LorawanCommand::FragStatus, LorawanDeviceState::WaitingForRepair, now)) {
            // Repair size: the 90th percentile of what the reporting devices miss, plus
            // repairRedundancyPercent. Devices that lost more than half of the image (they
            // barely hear the multicast data rate) do not size the round: a repair as long
            // as the session would not serve them better than the next campaign.
            std::vector<int> missing;
            for (const LorawanDevice& d : m_devices)
                if (d.state == LorawanDeviceState::WaitingForRepair && d.statusKnown && d.fec.missingCount() > 0 &&
                    d.fec.missingCount() <= m_plan.fragments / 2)
                    missing.push_back(d.fec.missingCount());
            std::sort(missing.begin(), missing.end());
            const int worst = missing.empty() ? 0 : missing[std::min(missing.size() - 1, missing.size() * 9 / 10)];
            if (m_config.repairRound && worst > 0 && !m_groupDeleted) {
                m_repairing = true;
                m_repairFrames = std::max(1, int(std::ceil(worst * (1.0 + m_config.repairRedundancyPercent / 100.0))));
                m_repairFrames = std::min(m_repairFrames, 16383 - m_plan.frames());
                enter(S::RepairSetup, now);
                m_host.scheduleServerJob(now);
            } else {
                finishCampaign(now);
            }
        }
        return;
    case S::SendingFragments: return;
    }
}

void FuotaServer::onAnswer(std::size_t index, LorawanCommand answer, SimTime, bool accepted)
{
    LorawanDevice& d = m_devices[index];
    using D = LorawanDeviceState;
    switch (answer) {
    case LorawanCommand::McGroupSetup:
        if (d.state == D::GroupSetup)
            m_host.setDeviceState(index, D::FragSetup);
        break;
    case LorawanCommand::FragSessionSetup:
        if (d.state == D::FragSetup)
            m_host.setDeviceState(index, accepted ? D::SessionSetup : D::NoSpace);
        break;
    case LorawanCommand::McSession:
        if (d.state == D::SessionSetup)
            m_host.setDeviceState(index, D::WaitingForSession);
        else if (d.state == D::WaitingForRepair && m_repairing)
            d.repairJoined = true;
        break;
    case LorawanCommand::FragStatus:
        if (d.state == D::WaitingForRepair)
            d.statusKnown = true;
        break;
    case LorawanCommand::None: break;
    }
}

void FuotaServer::onFramesSent(SimTime now)
{
    using D = LorawanDeviceState;
    if (m_framesDone == SimTime::max())
        m_framesDone = now;
    const bool repair = m_state == FuotaServerState::SendingRepair;
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        const LorawanDevice& d = m_devices[i];
        const bool listening = d.state == D::Receiving || d.state == D::WaitingForSession;
        if (repair && (listening || d.state == D::WaitingForRepair))
            m_host.setDeviceState(i, D::Missed);
        else if (!repair && listening)
            m_host.setDeviceState(i, D::WaitingForRepair);
    }
    if (repair) {
        finishCampaign(now);
        return;
    }
    enter(FuotaServerState::FragStatus, now);
    m_host.scheduleServerJob(now);
}

void FuotaServer::onSessionEnd(SimTime) {}

void FuotaServer::markGroupDeleted(SimTime now)
{
    if (m_groupDeleted)
        return;
    m_groupDeleted = true;
    m_groupDeletedAt = now;
}

void FuotaServer::finishCampaign(SimTime now)
{
    using D = LorawanDeviceState;
    for (std::size_t i = 0; i < m_devices.size(); ++i) {
        const D s = m_devices[i].state;
        if (s == D::WaitingForRepair || s == D::Receiving || s == D::WaitingForSession)
            m_host.setDeviceState(i, D::Missed);
    }
    if (!m_groupDeleted)
        m_host.deleteGroup();
    enter(FuotaServerState::Complete, now);
    if (m_held && waitingForWave() > 0)
        scheduleWave(now);   // the next wave's group forms now
}

} // namespace otalab::sim
