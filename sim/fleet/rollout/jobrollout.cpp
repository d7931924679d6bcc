// SPDX-License-Identifier: Apache-2.0
// JobRollout: inputs, the event loop and the execution state machine (choices: jobrollout.h).
#include "sim/fleet/rollout/jobrollout.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace otalab::sim::rollout {

namespace {

constexpr double kUncappedMaxRate = 1'000'000;  // per minute: guard for exponentialRate without maximumPerMinute

double initialRate(const RolloutPolicyConfig& c)
{
    if (c.rollout.exponentialRate) {
        const double base = c.rollout.exponentialRate->baseRatePerMinute;
        return c.rollout.maximumPerMinute ? std::min(base, double(*c.rollout.maximumPerMinute)) : base;
    }
    return c.rollout.maximumPerMinute ? double(*c.rollout.maximumPerMinute) : 0.0;
}

std::size_t index(ExecutionState s)
{
    return static_cast<std::size_t>(s);
}

} // namespace

JobRollout::JobRollout(RolloutPolicyConfig config, std::uint32_t devices, std::uint64_t seed)
    : m_config(std::move(config)),
      m_execs(devices),
      m_order(releaseOrder(devices, m_config.order == QLatin1String("random"), seed)),
      m_slices(rolloutSlices(m_config, devices)),
      m_pacer(initialRate(m_config), m_config.scheduling.maintenanceWindows)
{
    m_counts[index(ExecutionState::Queued)] = int(devices);
    m_unnotifiedQueued = int(devices);
    m_rate = m_pacer.ratePerMinute();
    if (m_config.kind == PolicyKind::AwsJobs) {
        Group wave;
        wave.name = m_config.rollout.exponentialRate ? QStringLiteral("wave 1") : m_config.jobId;
        m_groups.push_back(std::move(wave));
        return;
    }
    for (std::size_t i = 0; i < m_slices.size(); ++i) {
        Group g;
        g.name = m_slices[i].name;
        g.devices = m_slices[i].size();
        g.closed = true;
        m_groups.push_back(std::move(g));
        for (std::uint32_t pos = m_slices[i].begin; pos < m_slices[i].end; ++pos)
            m_execs[m_order[pos]].group = std::uint16_t(i);
    }
}

// --- inputs -------------------------------------------------------------------------

std::vector<RolloutAction> JobRollout::start(double nowS)
{
    std::vector<RolloutAction> out;
    if (m_started)
        return out;
    m_started = true;
    m_clockS = nowS;
    m_startAtS = std::max(nowS, m_config.scheduling.startS);
    m_notBeforeS = m_startAtS;
    if (m_config.kind == PolicyKind::AwsJobs)
        m_releaseEnd = deviceCount();
    else if (m_config.kind == PolicyKind::Hawkbit)
        startHawkbitGroup(0, m_startAtS);
    runUntil(nowS, true, out);
    return out;
}

std::vector<RolloutAction> JobRollout::report(std::uint32_t device, DeviceReport what, double nowS)
{
    std::vector<RolloutAction> out;
    if (!m_started || device >= deviceCount()) {
        ++m_ignored;
        return out;
    }
    runUntil(nowS, false, out);
    const double t = m_clockS;
    Execution& e = m_execs[device];
    if (!e.notified || isTerminal(e.state)) {
        ++m_ignored;
        return out;
    }
    switch (what) {
    case DeviceReport::Started:
        if (e.state == ExecutionState::InProgress)
            break;  // a status details update: the in-progress timer is not re-armed
        moveTo(device, ExecutionState::InProgress, t);
        if (m_config.inProgressTimeoutMinutes)
            m_timeouts.push_back({t + *m_config.inProgressTimeoutMinutes * 60.0, device, e.number});
        break;
    case DeviceReport::Succeeded:
        moveTo(device, ExecutionState::Succeeded, t);
        finished(device, t, out);
        break;
    case DeviceReport::Failed:
        if (!retry(device, ExecutionState::Failed, out)) {
            moveTo(device, ExecutionState::Failed, t);
            finished(device, t, out);
        }
        break;
    case DeviceReport::Rejected:
        moveTo(device, ExecutionState::Rejected, t);
        finished(device, t, out);
        break;
    }
    purgeTimeouts();
    runUntil(nowS, true, out);  // what the report made due now (a next group, a faster rate)
    return out;
}

std::vector<RolloutAction> JobRollout::advance(double nowS)
{
    std::vector<RolloutAction> out;
    if (m_started)
        runUntil(nowS, true, out);
    return out;
}

std::vector<RolloutAction> JobRollout::cancel(double nowS, bool force, const QString& reason)
{
    std::vector<RolloutAction> out;
    if (!m_started) {
        m_started = true;
        m_clockS = nowS;
        m_startAtS = nowS;
    }
    runUntil(nowS, false, out);
    QString words = reason.isEmpty() ? QStringLiteral("job canceled") : reason;
    recordAbort(m_clockS, words + (force ? QStringLiteral(": FORCE_CANCEL") : QStringLiteral(": CANCEL")));
    cancelJob(m_clockS, force, out);
    purgeTimeouts();
    runUntil(nowS, true, out);
    return out;
}

std::optional<double> JobRollout::nextWakeS() const
{
    if (const auto ev = nextEvent())
        return ev->first;
    return std::nullopt;
}

// --- queries --------------------------------------------------------------------------

ExecutionState JobRollout::state(std::uint32_t device) const
{
    return device < deviceCount() ? m_execs[device].state : ExecutionState::Queued;
}

int JobRollout::executionNumber(std::uint32_t device) const
{
    return device < deviceCount() ? m_execs[device].number : 0;
}

bool JobRollout::notified(std::uint32_t device) const
{
    return device < deviceCount() && m_execs[device].notified;
}

double JobRollout::currentRatePerMinute() const
{
    if (!accepting() || m_clockS < m_startAtS || m_cursor >= m_releaseEnd)
        return 0;
    return m_pacer.ratePerMinute();
}

QString JobRollout::currentGroup() const
{
    if (!m_started)
        return {};
    if (m_config.kind == PolicyKind::AwsJobs)
        return m_config.rollout.exponentialRate ? m_groups[m_wave].name : QString();
    if (m_config.kind == PolicyKind::Mender && m_nextPhase == 0)
        return {};
    return m_slices.empty() ? QString() : m_slices[m_activeSlice].name;
}

QString JobRollout::jobStatus() const
{
    if (!m_started)
        return QStringLiteral("SCHEDULED");
    if (m_status == Status::Canceled)
        return QStringLiteral("CANCELED");
    if (m_status == Status::Paused)
        return QStringLiteral("PAUSED");
    if (m_clockS < m_startAtS)
        return QStringLiteral("SCHEDULED");
    if (completed())
        return QStringLiteral("COMPLETED");
    return QStringLiteral("IN_PROGRESS");
}

RolloutSample JobRollout::sample(double nowS) const
{
    RolloutSample s;
    s.timeS = nowS;
    s.executions = m_counts;
    s.notified = m_notifiedCount;
    s.ratePerMinute = currentRatePerMinute();
    s.group = currentGroup();
    return s;
}

// --- the event loop --------------------------------------------------------------------

bool JobRollout::accepting() const
{
    return m_started && m_status == Status::Running && !m_stopped;
}

std::uint32_t JobRollout::finalEnd() const
{
    if (m_config.kind == PolicyKind::AwsJobs)
        return deviceCount();
    return m_slices.empty() ? 0 : m_slices.back().end;
}

bool JobRollout::completed() const
{
    const int active = m_counts[index(ExecutionState::Queued)] - m_unnotifiedQueued + m_counts[index(ExecutionState::InProgress)];
    return m_started && m_status == Status::Running && (m_stopped || m_cursor >= finalEnd()) && active == 0;
}

std::optional<double> JobRollout::releaseAtS() const
{
    if (!accepting() || m_cursor >= m_releaseEnd)
        return std::nullopt;
    const double t = m_pacer.nextSlotS(std::max({m_startAtS, m_notBeforeS, m_clockS}));
    if (!std::isfinite(t))
        return std::nullopt;
    if (m_config.scheduling.endS && !m_endHandled && t >= *m_config.scheduling.endS)
        return std::nullopt;  // the scheduled end comes first and stops notifications
    return t;
}

std::optional<double> JobRollout::phaseAtS() const
{
    if (m_config.kind != PolicyKind::Mender || !accepting() || m_cursor < m_releaseEnd || m_nextPhase >= m_slices.size())
        return std::nullopt;
    const double t = std::max({m_slices[m_nextPhase].startS, m_phaseReadyS, m_startAtS, m_clockS});
    if (m_config.scheduling.endS && !m_endHandled && t >= *m_config.scheduling.endS)
        return std::nullopt;
    return t;
}

std::optional<std::pair<double, JobRollout::Event>> JobRollout::nextEvent() const
{
    std::optional<std::pair<double, Event>> best;
    const auto consider = [&best](std::optional<double> t, Event e) {
        if (t && (!best || *t < best->first))
            best = std::pair{*t, e};
    };
    if (!m_started)
        return best;
    if (!m_timeouts.empty())
        consider(m_timeouts.front().atS, Event::Timeout);
    if (m_config.scheduling.endS && !m_endHandled && m_status != Status::Canceled && !completed())
        consider(std::max(*m_config.scheduling.endS, m_clockS), Event::End);
    consider(phaseAtS(), Event::Phase);
    consider(releaseAtS(), Event::Release);
    return best;
}

void JobRollout::runUntil(double nowS, bool inclusive, std::vector<RolloutAction>& out)
{
    while (const auto ev = nextEvent()) {
        const double t = ev->first;
        if (inclusive ? t > nowS : t >= nowS)
            break;
        m_clockS = std::max(m_clockS, t);
        switch (ev->second) {
        case Event::Timeout: timeout(m_clockS, out); break;
        case Event::End: scheduledEnd(m_clockS, out); break;
        case Event::Phase: startPhase(m_clockS); break;
        case Event::Release: release(m_clockS, out); break;
        }
        purgeTimeouts();
    }
    m_clockS = std::max(m_clockS, nowS);
}

void JobRollout::purgeTimeouts()
{
    while (!m_timeouts.empty()) {
        const Timeout& front = m_timeouts.front();
        const Execution& e = m_execs[front.device];
        if (e.state == ExecutionState::InProgress && e.number == front.number)
            return;
        m_timeouts.pop_front();
    }
}

// --- events ------------------------------------------------------------------------------

void JobRollout::release(double t, std::vector<RolloutAction>& out)
{
    if (!m_pacer.limited()) {
        while (m_cursor < m_releaseEnd)
            releaseOne(t, out);
        return;
    }
    releaseOne(t, out);
}

void JobRollout::releaseOne(double t, std::vector<RolloutAction>& out)
{
    const std::uint32_t device = m_order[m_cursor++];
    Execution& e = m_execs[device];
    const bool aws = m_config.kind == PolicyKind::AwsJobs;
    if (e.state == ExecutionState::Queued && !e.notified) {
        if (aws) {
            e.group = std::uint16_t(m_wave);
            ++m_groups[m_wave].devices;
        }
        if (e.group != kNoGroup && !m_groups[e.group].startS)
            m_groups[e.group].startS = t;
        e.notified = true;
        e.number = 1;
        --m_unnotifiedQueued;
        ++m_notifiedCount;
        out.push_back({RolloutAction::Kind::Notify, device, ExecutionState::Queued});
    }
    m_pacer.released(t);
    if (m_cursor >= m_releaseEnd)
        m_phaseReadyS = t;
    if (!aws)
        return;
    if (m_cursor >= deviceCount()) {
        Group& wave = m_groups[m_wave];
        wave.closed = true;
        if (wave.ended == wave.devices && wave.startS && !wave.endS)
            wave.endS = wave.lastEndS;
    }
    const auto& exp = m_config.rollout.exponentialRate;
    if (exp && exp->rateIncreaseCriteria.numberOfNotifiedThings
        && ++m_notifiedSinceRaise >= *exp->rateIncreaseCriteria.numberOfNotifiedThings)
        raiseRate(t, QStringLiteral("%1 more notified").arg(*exp->rateIncreaseCriteria.numberOfNotifiedThings));
}

void JobRollout::timeout(double t, std::vector<RolloutAction>& out)
{
    const Timeout entry = m_timeouts.front();
    m_timeouts.pop_front();
    const Execution& e = m_execs[entry.device];
    if (e.state != ExecutionState::InProgress || e.number != entry.number)
        return;
    out.push_back({RolloutAction::Kind::Stop, entry.device, ExecutionState::TimedOut});
    if (retry(entry.device, ExecutionState::TimedOut, out))
        return;
    moveTo(entry.device, ExecutionState::TimedOut, t);
    finished(entry.device, t, out);
}

void JobRollout::scheduledEnd(double t, std::vector<RolloutAction>& out)
{
    m_endHandled = true;
    const QString& behavior = m_config.scheduling.endBehavior;
    const int unnotified = m_unnotifiedQueued;
    if (behavior == QLatin1String("STOP_ROLLOUT")) {
        m_stopped = true;
        if (m_config.kind == PolicyKind::AwsJobs) {
            Group& wave = m_groups[m_wave];
            wave.closed = true;
            if (wave.ended == wave.devices && wave.startS && !wave.endS)
                wave.endS = wave.lastEndS;
        }
    } else {
        cancelJob(t, behavior == QLatin1String("FORCE_CANCEL"), out);
    }
    m_endNote = QStringLiteral("%1 at %2 s (%3 never notified)").arg(behavior).arg(t).arg(unnotified);
}

void JobRollout::startPhase(double t)
{
    m_activeSlice = m_nextPhase++;
    m_releaseEnd = m_slices[m_activeSlice].end;
    m_notBeforeS = std::max(m_notBeforeS, t);
    if (m_cursor >= m_releaseEnd)
        m_phaseReadyS = t;
}

void JobRollout::cancelJob(double t, bool force, std::vector<RolloutAction>& out)
{
    m_status = Status::Canceled;
    for (Group& g : m_groups) {
        g.closed = true;
        if (g.startS && !g.endS && g.endReason.isEmpty())
            g.endReason = QStringLiteral("job canceled");
        if (g.startS && !g.endS && g.ended == g.devices)
            g.endS = g.lastEndS;
    }
    for (std::uint32_t device = 0; device < deviceCount(); ++device) {
        const ExecutionState s = m_execs[device].state;
        if (s == ExecutionState::Queued || (force && s == ExecutionState::InProgress)) {
            moveTo(device, ExecutionState::Canceled, t);
            out.push_back({RolloutAction::Kind::Stop, device, ExecutionState::Canceled});
        }
    }
}

// --- executions ---------------------------------------------------------------------------

void JobRollout::moveTo(std::uint32_t device, ExecutionState to, double t)
{
    Execution& e = m_execs[device];
    const ExecutionState from = e.state;
    if (from == to)
        return;
    --m_counts[index(from)];
    ++m_counts[index(to)];
    e.state = to;
    if (from == ExecutionState::Queued && !e.notified)
        --m_unnotifiedQueued;
    if (isTerminal(from) || !isTerminal(to) || e.group == kNoGroup)
        return;
    Group& g = m_groups[e.group];
    ++g.ended;
    g.lastEndS = t;
    if (to == ExecutionState::Succeeded)
        ++g.succeeded;
    else if (to == ExecutionState::Failed || to == ExecutionState::TimedOut || to == ExecutionState::Rejected)
        ++g.failed;
    if (g.closed && g.startS && !g.endS && g.ended == g.devices)
        g.endS = t;
}

bool JobRollout::retry(std::uint32_t device, ExecutionState failure, std::vector<RolloutAction>& out)
{
    if (!accepting())
        return false;
    const FailureType type = failure == ExecutionState::Failed ? FailureType::Failed : FailureType::TimedOut;
    const RetryCriterion* specific = nullptr;
    const RetryCriterion* all = nullptr;
    for (const RetryCriterion& r : m_config.retries) {
        if (r.failureType == type)
            specific = &r;
        else if (r.failureType == FailureType::All)
            all = &r;
    }
    Execution& e = m_execs[device];
    std::uint8_t& mine = type == FailureType::Failed ? e.failedRetries : e.timedOutRetries;
    int used = 0;
    int limit = 0;
    if (specific) {
        used = mine;
        limit = specific->numberOfRetries;
    } else if (all) {
        used = e.failedRetries + e.timedOutRetries;
        limit = all->numberOfRetries;
    }
    if (used >= limit)
        return false;
    ++mine;
    ++e.number;
    ++m_retries;
    moveTo(device, ExecutionState::Queued, m_clockS);
    out.push_back({RolloutAction::Kind::Notify, device, ExecutionState::Queued});
    return true;
}

void JobRollout::finished(std::uint32_t device, double t, std::vector<RolloutAction>& out)
{
    const ExecutionState s = m_execs[device].state;
    const auto& exp = m_config.rollout.exponentialRate;
    if (s == ExecutionState::Succeeded && exp && exp->rateIncreaseCriteria.numberOfSucceededThings && m_status == Status::Running
        && ++m_succeededSinceRaise >= *exp->rateIncreaseCriteria.numberOfSucceededThings)
        raiseRate(t, QStringLiteral("%1 more succeeded").arg(*exp->rateIncreaseCriteria.numberOfSucceededThings));
    if (m_config.kind == PolicyKind::AwsJobs)
        checkAbort(t, out);
    else if (m_config.kind == PolicyKind::Hawkbit)
        checkHawkbit(device, t);
}

// --- policies ------------------------------------------------------------------------------

void JobRollout::raiseRate(double t, const QString& why)
{
    (void)t;
    const ExponentialRate& exp = *m_config.rollout.exponentialRate;
    const double cap = m_config.rollout.maximumPerMinute ? double(*m_config.rollout.maximumPerMinute) : kUncappedMaxRate;
    const double next = std::min(m_rate * exp.incrementFactor, cap);
    m_notifiedSinceRaise = 0;
    m_succeededSinceRaise = 0;
    if (!(next > m_rate))
        return;  // at the cap: the wave goes on
    m_rate = next;
    m_pacer.setRate(next);
    Group& wave = m_groups[m_wave];
    if (wave.devices == 0 || m_cursor >= deviceCount() || m_groups.size() + 1 >= kNoGroup)
        return;  // nobody in this wave yet (or nobody left): the wave simply runs at the new rate
    wave.closed = true;
    wave.endReason = QStringLiteral("rate raised to %1/min after %2").arg(QString::number(next, 'g', 6), why);
    if (wave.ended == wave.devices && !wave.endS)
        wave.endS = wave.lastEndS;
    openWave(t);
}

void JobRollout::openWave(double t)
{
    (void)t;
    Group next;
    next.name = QStringLiteral("wave %1").arg(m_groups.size() + 1);
    m_groups.push_back(std::move(next));
    m_wave = m_groups.size() - 1;
}

void JobRollout::recordAbort(double t, QString reason)
{
    if (m_abortedAtS)
        return;
    m_abortedAtS = t;
    m_abortReason = std::move(reason);
    m_countsAtAbort = m_counts;
}

void JobRollout::checkAbort(double t, std::vector<RolloutAction>& out)
{
    if (m_status != Status::Running || m_config.abort.empty())
        return;
    const auto n = [this](ExecutionState s) { return std::int64_t(m_counts[index(s)]); };
    const std::int64_t failed = n(ExecutionState::Failed), rejected = n(ExecutionState::Rejected),
                       timedOut = n(ExecutionState::TimedOut);
    const std::int64_t executed = n(ExecutionState::Succeeded) + failed + rejected + timedOut;
    m_abortPeaks.resize(m_config.abort.size());
    for (std::size_t ci = 0; ci < m_config.abort.size(); ++ci) {
        const AbortCriterion& a = m_config.abort[ci];
        if (executed < a.minNumberOfExecutedThings || executed == 0)
            continue;
        std::int64_t failures = 0;
        switch (a.failureType) {
        case FailureType::Failed: failures = failed; break;
        case FailureType::Rejected: failures = rejected; break;
        case FailureType::TimedOut: failures = timedOut; break;
        case FailureType::All: failures = failed + rejected + timedOut; break;
        }
        AbortPeak& peak = m_abortPeaks[ci];
        if (peak.executed == 0 || failures * peak.executed > peak.failures * executed)
            peak = AbortPeak{failures, executed, t};
        const std::int64_t hundredths = std::llround(a.thresholdPercentage * 100.0);
        if (failures * 10000 < hundredths * executed)
            continue;
        const double percent = 100.0 * double(failures) / double(executed);
        const int digits = hundredths % 10 == 0 ? 1 : 2;
        recordAbort(t, QStringLiteral("%1 %2 % of %3 executed ≥ %4 % (min %5 executed): CANCEL")
                           .arg(failureTypeName(a.failureType), QString::number(percent, 'f', digits))
                           .arg(executed)
                           .arg(QString::number(a.thresholdPercentage, 'g', 12))
                           .arg(a.minNumberOfExecutedThings));
        cancelJob(t, false, out);
        return;
    }
}

void JobRollout::startHawkbitGroup(std::size_t index, double t)
{
    m_activeSlice = index;
    m_releaseEnd = m_slices[index].end;
    m_notBeforeS = std::max(m_notBeforeS, t);
    // A group whose success threshold is already met (0 %, or an empty group) starts the next.
    checkHawkbit(std::numeric_limits<std::uint32_t>::max(), t);
}

void JobRollout::checkHawkbit(std::uint32_t device, double t)
{
    if (m_status != Status::Running)
        return;
    if (device < deviceCount() && m_execs[device].group != kNoGroup) {
        const std::size_t gi = m_execs[device].group;
        Group& g = m_groups[gi];
        const RolloutSlice& s = m_slices[gi];
        if (s.errorThreshold && g.failed >= 1 && double(g.failed) * 100.0 >= *s.errorThreshold * double(g.devices)) {
            recordAbort(t, QStringLiteral("group \"%1\": %2 of %3 failed (%4 %) ≥ error threshold %5 %: PAUSE")
                               .arg(g.name)
                               .arg(g.failed)
                               .arg(g.devices)
                               .arg(QString::number(100.0 * g.failed / std::max<std::uint32_t>(1, g.devices), 'f', 1))
                               .arg(QString::number(*s.errorThreshold, 'g', 12)));
            m_status = Status::Paused;
            for (std::size_t i = 0; i < m_groups.size(); ++i) {
                Group& other = m_groups[i];
                if (!other.startS || other.endS)
                    continue;
                other.endS = t;
                if (other.endReason.isEmpty() || i == gi)
                    other.endReason = i == gi ? QStringLiteral("error threshold %1 % reached: paused").arg(*s.errorThreshold)
                                              : QStringLiteral("rollout paused");
            }
            return;
        }
    }
    while (m_activeSlice + 1 < m_slices.size()) {
        Group& g = m_groups[m_activeSlice];
        const RolloutSlice& s = m_slices[m_activeSlice];
        if (double(g.succeeded) * 100.0 < s.successThreshold * double(g.devices))
            return;
        g.endReason = QStringLiteral("success threshold %1 % reached: next group started").arg(s.successThreshold);
        m_activeSlice += 1;
        m_releaseEnd = m_slices[m_activeSlice].end;
        m_notBeforeS = std::max(m_notBeforeS, t);
    }
}

} // namespace otalab::sim::rollout
