// SPDX-License-Identifier: Apache-2.0
// FleetRollout: targets, the phase → report mapping, the engine's actions applied per fleet.
#include "sim/fleet/fleetrollout.h"

#include "sim/kernel/simulator.h"

#include <algorithm>

namespace otalab::sim {

namespace {

using rollout::DeviceReport;
using rollout::ExecutionState;
using rollout::RolloutAction;

constexpr std::uint64_t kWake = 0;
constexpr std::uint64_t kApply = 1;
// A wake the engine asks for at or before the time it was just advanced to is moved this
// far on (an engine rounding below the kernel's nanosecond, or asking twice for one time).
constexpr SimTime kWakeNudge = SimTime::fromMillis(1);

bool isWaiting(FleetPhase phase)
{
    return phase == FleetPhase::Waiting || phase == FleetPhase::Idle;
}

DeviceReport endReport(FleetPhase phase)
{
    switch (phase) {
    case FleetPhase::Upgraded: return DeviceReport::Succeeded;
    case FleetPhase::Refused: return DeviceReport::Rejected;
    default: return DeviceReport::Failed;  // Failed, RolledBack
    }
}

QString fleetLabel(const Fleet& fleet)
{
    return fleet.name().isEmpty() ? QStringLiteral("(unnamed)") : fleet.name();
}

// What the policy asks of a fleet beyond holding its devices, checked against its support.
Result<void> checkSupport(const rollout::RolloutPolicyConfig& config, const Fleet& fleet, const QString& targetField)
{
    const Fleet::RolloutSupport support = fleet.rolloutSupport();
    const QString family = fleet.family();
    if (!support.gate)
        return fail(Error::at(-1, targetField,
                              QStringLiteral("the %1 family cannot be held for a rollout (fleet %2)").arg(family, fleetLabel(fleet))));
    const bool retries = std::any_of(config.retries.begin(), config.retries.end(),
                                     [](const rollout::RetryCriterion& c) { return c.numberOfRetries > 0; });
    if (retries && !support.retry)
        return fail(Error::at(-1, QStringLiteral("rollout.jobExecutionsRetryConfig"),
                              QStringLiteral("the %1 family cannot retry a device (fleet %2): expected no retries")
                                  .arg(family, fleetLabel(fleet))));
    if (config.inProgressTimeoutMinutes && !support.stop)
        return fail(Error::at(-1, QStringLiteral("rollout.timeoutConfig.inProgressTimeoutInMinutes"),
                              QStringLiteral("the %1 family cannot stop serving a device (fleet %2), which an in-progress "
                                             "timeout needs: expected no timeoutConfig")
                                  .arg(family, fleetLabel(fleet))));
    if (config.scheduling.endBehavior == QLatin1String("FORCE_CANCEL") && !support.stop)
        return fail(Error::at(-1, QStringLiteral("rollout.schedulingConfig.endBehavior"),
                              QStringLiteral("the %1 family cannot stop serving a device (fleet %2), which FORCE_CANCEL "
                                             "needs: expected STOP_ROLLOUT or CANCEL")
                                  .arg(family, fleetLabel(fleet))));
    return {};
}

} // namespace

FleetRollout::FleetRollout(Simulator& sim, std::unique_ptr<rollout::RolloutEngine> engine)
    : m_sim(sim), m_engine(std::move(engine))
{
}

FleetRollout::~FleetRollout() = default;

Result<std::unique_ptr<FleetRollout>> FleetRollout::create(const rollout::RolloutPolicyConfig& config,
                                                           const std::vector<std::unique_ptr<Fleet>>& fleets, Simulator& sim,
                                                           std::uint64_t seed, const RolloutEngineFactory& factory)
{
    QStringList names;
    for (const auto& fleet : fleets)
        names << fleetLabel(*fleet);
    // Which fleets, and the config key that named each (for errors).
    std::vector<QString> fieldOf(fleets.size());
    if (config.targets.isEmpty()) {
        std::fill(fieldOf.begin(), fieldOf.end(), QStringLiteral("rollout.targets"));
    } else {
        for (qsizetype i = 0; i < config.targets.size(); ++i) {
            const QString field = QStringLiteral("rollout.targets[%1]").arg(i);
            const QString& target = config.targets[i];
            const auto it = std::find_if(fleets.begin(), fleets.end(), [&](const auto& f) { return f->name() == target; });
            if (it == fleets.end() && target.contains(QLatin1Char('/')))
                return fail(Error::at(-1, field, QStringLiteral("\"%1\": no family offers groups inside a fleet yet: expected a "
                                                                "whole fleet, one of %2")
                                                     .arg(target, names.join(QStringLiteral(", ")))));
            if (it == fleets.end())
                return fail(Error::at(-1, field, QStringLiteral("no fleet named \"%1\": expected one of %2")
                                                     .arg(target, names.join(QStringLiteral(", ")))));
            QString& seen = fieldOf[std::size_t(it - fleets.begin())];
            if (!seen.isEmpty())
                return fail(Error::at(-1, field, QStringLiteral("fleet \"%1\" is already targeted by %2").arg(target, seen)));
            seen = field;
        }
    }
    std::vector<TargetFleet> targets;
    QStringList targetNames;
    std::uint32_t devices = 0;
    for (std::size_t k = 0; k < fleets.size(); ++k) {
        if (fieldOf[k].isEmpty())
            continue;
        if (auto ok = checkSupport(config, *fleets[k], fieldOf[k]); !ok)
            return fail(ok.error());
        targets.push_back({fleets[k].get(), devices});
        targetNames << fleets[k]->name();
        devices += std::uint32_t(fleets[k]->deviceCount());
    }
    auto engine = factory ? factory(config, devices, seed) : rollout::RolloutEngine::create(config, devices, seed);
    if (!engine)
        return fail(engine.error());

    std::unique_ptr<FleetRollout> r(new FleetRollout(sim, std::move(*engine)));
    r->m_fleets = std::move(targets);
    r->m_targetNames = std::move(targetNames);
    r->m_deviceOf.reserve(devices);
    r->m_devices.reserve(devices);
    for (const TargetFleet& t : r->m_fleets)
        for (std::size_t d = 0; d < t.fleet->deviceCount(); ++d) {
            const FleetPhase phase = t.fleet->phase(d);
            r->m_deviceOf.emplace_back(t.fleet, d);
            r->m_devices.push_back({phase, false, false, false, false});
            r->m_active += isActivePhase(phase) ? 1 : 0;
            r->m_final += isFinalPhase(phase) ? 1 : 0;
        }
    return r;
}

void FleetRollout::hold()
{
    for (const TargetFleet& t : m_fleets)
        t.fleet->holdForRollout();
}

void FleetRollout::start()
{
    m_applying = true;  // not inside an event yet: even stops wait for the apply event
    take(m_engine->start(nowS()));
    m_applying = false;
    scheduleApply();
    rearmWake();
    noteStatus();
}

double FleetRollout::nowS() const
{
    return m_sim.now().toSeconds();
}

std::optional<std::uint32_t> FleetRollout::engineIndex(const Fleet& fleet, std::size_t device) const
{
    for (const TargetFleet& t : m_fleets)
        if (t.fleet == &fleet)
            return device < fleet.deviceCount() ? std::optional<std::uint32_t>(t.first + std::uint32_t(device)) : std::nullopt;
    return std::nullopt;
}

bool FleetRollout::jobEnded() const
{
    const QString status = m_engine->jobStatus();
    return status == QLatin1String("CANCELED") || status == QLatin1String("COMPLETED") || status == QLatin1String("PAUSED");
}

void FleetRollout::onDevicePhase(const Fleet& fleet, std::size_t device, FleetPhase from, FleetPhase to)
{
    const auto index = engineIndex(fleet, device);
    if (!index)
        return;
    DeviceTrack& t = m_devices[*index];
    m_active += (isActivePhase(to) ? 1 : 0) - (isActivePhase(t.phase) ? 1 : 0);
    m_final += (isFinalPhase(to) ? 1 : 0) - (isFinalPhase(t.phase) ? 1 : 0);
    t.phase = to;
    if (t.stopping) {
        // The end of an execution the engine already ended (TIMED_OUT, CANCELED): nothing
        // to report — the execution may even be a new one (its retry) by now.
        t.stopping = isActivePhase(to);
    } else {
        reportPhase(*index, from, to);
    }
    refresh(*index);
    flushStops();
    scheduleApply();
    rearmWake();
    noteStatus();
}

void FleetRollout::reportPhase(std::uint32_t index, FleetPhase from, FleetPhase to)
{
    DeviceTrack& t = m_devices[index];
    if (isFinalPhase(from) && !isFinalPhase(to))
        t.startReported = false;  // a retry: a new execution
    const double now = nowS();
    if (!t.startReported && (isActivePhase(to) || isFinalPhase(to))) {
        t.startReported = true;
        take(m_engine->report(index, DeviceReport::Started, now));
    }
    if (isFinalPhase(to) && to != from)
        take(m_engine->report(index, endReport(to), now));
}

void FleetRollout::take(std::vector<RolloutAction> actions)
{
    for (const RolloutAction& a : actions) {
        if (a.device >= m_devices.size())
            continue;  // not a device of ours: nothing to tell a fleet
        DeviceTrack& t = m_devices[a.device];
        if (a.kind == RolloutAction::Kind::Stop && isActivePhase(t.phase)) {
            t.stopping = true;  // its next phases end the stopped execution, not a new one
            t.startReported = false;
        } else if (a.kind == RolloutAction::Kind::Notify && !isActivePhase(t.phase)) {
            t.startReported = false;  // a (new) execution: its start is still to come
        }
        refresh(a.device);
        (a.kind == RolloutAction::Kind::Notify ? m_notify : m_stops).push_back(a.device);
    }
}

void FleetRollout::refresh(std::uint32_t index)
{
    DeviceTrack& t = m_devices[index];
    const bool terminal = rollout::isTerminal(m_engine->state(index));
    const bool ended = terminal && isWaiting(t.phase);
    if (ended != t.endedWaiting) {
        m_endedWaiting += ended ? 1 : -1;
        t.endedWaiting = ended;
    }
    const bool done = terminal && !isActivePhase(t.phase);
    if (done != t.done) {
        m_done += done ? 1 : -1;
        t.done = done;
    }
}

void FleetRollout::scheduleApply()
{
    if ((!m_notify.empty() || !m_stops.empty()) && !m_sim.isPending(m_apply))
        m_apply = m_sim.schedule(m_sim.now(), *this, EventData{kNoNode, kRolloutEventKind, kApply, 0});
}

void FleetRollout::flushStops()
{
    if (m_applying)
        return;  // the application under way picks them up
    m_applying = true;
    while (!m_stops.empty())
        applyRun(false, std::exchange(m_stops, {}));
    m_applying = false;
}

void FleetRollout::applyPending()
{
    m_applying = true;
    while (!m_stops.empty() || !m_notify.empty()) {
        if (!m_stops.empty()) {
            applyRun(false, std::exchange(m_stops, {}));
            continue;
        }
        // A notification whose execution ended since (canceled at the same instant) or that
        // the device already took up is not passed on; nor one device twice.
        std::vector<std::uint32_t> batch = std::exchange(m_notify, {});
        std::vector<std::uint32_t> due;
        for (std::uint32_t device : batch)
            if (m_engine->state(device) == ExecutionState::Queued && std::find(due.begin(), due.end(), device) == due.end())
                due.push_back(device);
        applyRun(true, due);
    }
    m_applying = false;
}

void FleetRollout::applyRun(bool notify, const std::vector<std::uint32_t>& run)
{
    // One call per fleet, fleets in the order their first device appears in the run.
    std::vector<std::pair<Fleet*, std::vector<std::size_t>>> perFleet;
    for (std::uint32_t index : run) {
        const auto& [fleet, device] = m_deviceOf[index];
        auto it = std::find_if(perFleet.begin(), perFleet.end(), [&](const auto& p) { return p.first == fleet; });
        if (it == perFleet.end())
            it = perFleet.insert(perFleet.end(), {fleet, {}});
        it->second.push_back(device);
    }
    for (auto& [fleet, devices] : perFleet) {
        if (notify)
            fleet->releaseDevices(devices);
        else
            fleet->stopDevices(devices);
    }
}

void FleetRollout::rearmWake(std::optional<SimTime> advancedAt)
{
    const std::optional<double> next = m_engine->nextWakeS();
    if (!next) {
        m_sim.cancel(m_wake);
        m_wake = {};
        return;
    }
    SimTime at = std::max(SimTime::fromSeconds(*next), m_sim.now());
    if (advancedAt && at <= *advancedAt)
        at = *advancedAt + kWakeNudge;
    if (m_sim.isPending(m_wake) && m_wakeAt == at)
        return;
    m_sim.cancel(m_wake);
    m_wake = m_sim.schedule(at, *this, EventData{kNoNode, kRolloutEventKind, kWake, 0});
    m_wakeAt = at;
}

void FleetRollout::noteStatus()
{
    const QString status = m_engine->jobStatus();
    if (status == m_status)
        return;
    m_status = status;
    if (!m_abortedAtS && (status == QLatin1String("CANCELED") || status == QLatin1String("PAUSED")))
        m_abortedAtS = m_engine->result({}).abortedAtS;
}

void FleetRollout::handleEvent(Simulator& sim, const Event& event)
{
    if (event.data.arg0 == kWake) {
        m_wake = {};
        take(m_engine->advance(nowS()));
        flushStops();
    } else {
        m_apply = {};
    }
    applyPending();
    rearmWake(event.data.arg0 == kWake ? std::optional<SimTime>(sim.now()) : std::nullopt);
    noteStatus();
    if (m_changed)
        m_changed();
}

void FleetRollout::annotate(const Fleet& fleet, std::span<DeviceResult> devices) const
{
    for (std::size_t d = 0; d < devices.size(); ++d)
        if (const auto index = engineIndex(fleet, d)) {
            devices[d].execution = rollout::executionStateName(m_engine->state(*index));
            devices[d].executionNumber = m_engine->executionNumber(*index);
        }
}

RolloutResult FleetRollout::result(std::vector<RolloutSample> samples) const
{
    RolloutResult r = m_engine->result(std::move(samples));
    r.targets = m_targetNames;
    return r;
}

} // namespace otalab::sim
