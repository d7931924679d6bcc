// SPDX-License-Identifier: Apache-2.0
// FleetRun: fleets on one kernel, fleet samples, stop condition, neutral results.
#include "sim/fleet/fleetrun.h"

#include "sim/fleet/faults/faultplanner.h"
#include "sim/fleet/faults/faultresults.h"
#include "sim/fleet/families.h"
#include "sim/kernel/simulator.h"
#include "sim/kernel/tracewriter.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>
#include <chrono>
#include <span>

namespace otalab::sim {

namespace {

constexpr std::uint32_t kSampleKind = 1;
constexpr std::uint32_t kFaultKind = 2;   // arg0: index into m_timedFaults; arg1: stage (0: requeue, 1: inject)

// Fleet sample counters from one device's phase.
void countInto(FleetSample& s, FleetPhase phase)
{
    switch (phase) {
    case FleetPhase::Upgraded: ++s.upgraded; break;
    case FleetPhase::Downloading: ++s.downloading; break;
    case FleetPhase::Failed: ++s.failed; break;
    case FleetPhase::Waiting: ++s.waiting; break;
    case FleetPhase::Verifying:
    case FleetPhase::WaitingToApply:
    case FleetPhase::Applying: ++s.finishing; break;
    case FleetPhase::Refused: ++s.refused; break;
    case FleetPhase::RolledBack: ++s.rolledBack; break;
    case FleetPhase::Idle: break;
    }
}

} // namespace

DeviceFigures Fleet::figures(std::size_t device) const
{
    const DeviceStatus s = status(device);
    return DeviceFigures{s.bytesReceived, s.bytesTotal, s.requests, s.retries, s.energyJ, s.updateEnergyJ};
}

FleetRun::FleetRun(const ScenarioConfig& config)
    : m_config(config)
    , m_sim(std::make_unique<Simulator>())
{
}

FleetRun::~FleetRun()
{
    m_sim.reset();  // pending events reference the fleets
}

Result<std::unique_ptr<FleetRun>> FleetRun::build(const ScenarioConfig& config, const QString& baseDir)
{
    return build(config, baseDir, FleetRunFactories{});
}

Result<std::unique_ptr<FleetRun>> FleetRun::build(const ScenarioConfig& config, const QString& baseDir,
                                                  const FleetRunFactories& factories)
{
    std::unique_ptr<FleetRun> run(new FleetRun(config));
    if (auto ok = run->construct(baseDir, factories); !ok)
        return fail(ok.error());
    return run;
}

Result<void> FleetRun::construct(const QString& baseDir, const FleetRunFactories& factories)
{
    const ScenarioConfig& c = m_config;
    if (!(c.sampleIntervalS > 0))
        return fail(Error::at(-1, "sampleIntervalS", QStringLiteral("sample interval %1 s: expected > 0").arg(c.sampleIntervalS)));
    if (!(c.stop.untilS > 0))
        return fail(Error::at(-1, "stop.until", QStringLiteral("stop time %1 s: expected > 0").arg(c.stop.untilS)));
    if (c.fleets.empty())
        return fail(Error::at(-1, "fleets", QStringLiteral("no fleet: expected at least one")));
    m_sim->setSeed(c.seed);
    NodeId next = 0;
    const bool legacy = c.fleets.size() == 1 && c.singleZigbee();
    for (std::size_t i = 0; i < c.fleets.size(); ++i) {
        const FleetBuildContext ctx{*m_sim, next, static_cast<FleetListener*>(this), baseDir,
                                    legacy ? QString() : QStringLiteral("fleets[%1]").arg(i), c.seed,
                                    c.rollout ? c.rollout->jobId : QString()};
        auto fleet = factories.fleet ? factories.fleet(c.fleets[i], ctx) : buildFleet(c.fleets[i], ctx);
        if (!fleet)
            return fail(fleet.error());
        if (factories.fleet)
            (*fleet)->setName(c.fleets[i].name);
        for (const FleetNodeInfo& n : (*fleet)->nodes())
            next = std::max<NodeId>(next, n.node + 1);
        m_fleets.push_back(std::move(*fleet));
    }
    m_deviceOfNode.assign(next, {nullptr, 0});
    for (auto& fleet : m_fleets) {
        for (std::size_t d = 0; d < fleet->deviceCount(); ++d)
            m_deviceOfNode[fleet->deviceNode(d)] = {fleet.get(), d};
        m_devices += static_cast<int>(fleet->deviceCount());
        for (std::size_t d = 0; d < fleet->deviceCount(); ++d)
            if (isFinalPhase(fleet->phase(d)))
                ++m_finishedDevices;
    }
    if (c.rollout) {
        auto rollout = FleetRollout::create(*c.rollout, m_fleets, *m_sim, c.seed, factories.engine);
        if (!rollout)
            return fail(rollout.error());
        m_rollout = std::move(*rollout);
        m_rollout->setChangeCallback([this] { checkAllDone(); });
    }
    if (c.fingerprint) {
        m_trace = std::make_unique<TraceWriter>();
        m_sim->addObserver(m_trace.get());
    }
    m_sim->addObserver(static_cast<SimObserver*>(this));
    if (m_rollout)
        m_rollout->hold();
    if (!c.faults.empty())
        if (auto armed = armFaults(); !armed)
            return fail(armed.error());
    for (auto& fleet : m_fleets)
        fleet->start();
    if (m_rollout)
        m_rollout->start();
    m_sim->schedule(SimTime::fromSeconds(c.sampleIntervalS), *this, EventData{kNoNode, kSampleKind, 0, 0});
    scheduleFaults();
    return {};
}

Result<void> FleetRun::armFaults()
{
    std::vector<faults::PlannerFleet> planned;
    for (const auto& fleet : m_fleets) {
        faults::PlannerFleet p{fleet->name(), fleet->family(), fleet->deviceCount(), {}, fleet->faultSupport()};
        for (const FleetNodeInfo& n : fleet->nodes())
            p.nodeNames << n.name;
        planned.push_back(std::move(p));
    }
    m_faultLog = std::make_unique<faults::FaultLog>();
    auto plan = faults::planFaults(m_config.faults, planned, m_config.seed, *m_faultLog);
    if (!plan)
        return fail(plan.error());
    for (auto& fleet : m_fleets)
        fleet->setFaultLog(m_faultLog.get());
    for (std::size_t k = 0; k < m_fleets.size(); ++k) {
        Fleet& fleet = *m_fleets[k];
        for (const faults::FaultOrder& o : (*plan)[k].faults) {
            if (auto ok = fleet.armFault(o); !ok)
                return fail(Error{QStringLiteral("fault \"%1\" (%2): %3").arg(m_config.faults.faults[std::size_t(o.spec)].id, faults::faultKindName(o.kind), ok.error().message),
                                  QStringLiteral("$.faults[%1]").arg(o.spec), -1});
            if (o.atS)
                m_timedFaults.push_back(TimedFault{*o.atS, &fleet, o, std::nullopt});
        }
        for (const faults::AttackOrder& o : (*plan)[k].attacks) {
            if (auto ok = fleet.armAttack(o); !ok)
                return fail(Error{QStringLiteral("attack \"%1\" (%2): %3").arg(m_config.faults.attacks[std::size_t(o.spec)].id, faults::attackKindName(o.kind), ok.error().message),
                                  QStringLiteral("$.attacks[%1]").arg(o.spec), -1});
            if (o.atS)
                m_timedFaults.push_back(TimedFault{*o.atS, &fleet, std::nullopt, o});
        }
    }
    // Time order, plan order (faults before attacks, scenario order) within one time.
    std::stable_sort(m_timedFaults.begin(), m_timedFaults.end(), [](const TimedFault& a, const TimedFault& b) { return a.atS < b.atS; });
    return {};
}

void FleetRun::scheduleFaults()
{
    for (std::size_t i = 0; i < m_timedFaults.size(); ++i) {
        const TimedFault& t = m_timedFaults[i];
        const std::optional<std::size_t> device = t.fault ? t.fault->device : std::optional<std::size_t>(t.attack->device);
        const NodeId node = device ? t.fleet->deviceNode(*device) : kNoNode;
        m_sim->schedule(SimTime::fromSeconds(t.atS), *this, EventData{node, kFaultKind, i, 0});
    }
}

void FleetRun::injectTimed(const Event& event)
{
    if (event.data.arg1 == 0) {   // behind whatever the families queued for this moment
        m_sim->schedule(m_sim->now(), *this, EventData{event.data.node, kFaultKind, event.data.arg0, 1});
        return;
    }
    const TimedFault& t = m_timedFaults.at(std::size_t(event.data.arg0));
    if (t.fault)
        t.fleet->injectFault(*t.fault);
    else
        t.fleet->injectAttack(*t.attack);
}

void FleetRun::addObserver(SimObserver* observer)
{
    if (observer)
        m_sim->addObserver(observer);
}

void FleetRun::requestStop()
{
    m_sim->stop();
}

std::uint64_t FleetRun::traceFingerprint() const
{
    return m_trace ? m_trace->fingerprint() : 0;
}

std::uint64_t FleetRun::modelFingerprint() const
{
    return m_trace ? m_trace->modelFingerprint() : 0;
}

std::pair<Fleet*, std::size_t> FleetRun::deviceAt(NodeId node) const
{
    return node < m_deviceOfNode.size() ? m_deviceOfNode[node] : std::pair<Fleet*, std::size_t>{nullptr, 0};
}

void FleetRun::onFrame(const FrameRecord& frame)
{
    if (frame.fate == FrameFate::Transmitted)
        m_airtimeNs += frame.airtime.nanos();
}

FleetSample FleetRun::takeSample()
{
    FleetSample s;
    s.timeS = m_sim->now().toSeconds();
    for (const auto& fleet : m_fleets)
        for (std::size_t d = 0; d < fleet->deviceCount(); ++d)
            countInto(s, fleet->phase(d));
    const std::int64_t interval = (m_sim->now() - m_lastSample).nanos();
    s.channelUtilisation = interval > 0 ? static_cast<double>(m_airtimeNs) / static_cast<double>(interval) : 0.0;
    m_airtimeNs = 0;
    m_lastSample = m_sim->now();
    m_samples.push_back(s);
    if (m_rollout)
        m_rolloutSamples.push_back(m_rollout->sample(s.timeS));
    if (m_progressCallback)
        m_progressCallback(s);
    return s;
}

void FleetRun::handleEvent(Simulator& sim, const Event& event)
{
    if (event.data.kind == kSampleKind) {
        takeSample();
        sim.schedule(sim.now() + SimTime::fromSeconds(m_config.sampleIntervalS), *this, EventData{kNoNode, kSampleKind, 0, 0});
    } else if (event.data.kind == kFaultKind) {
        injectTimed(event);
    }
}

void FleetRun::onDevicePhase(Fleet& fleet, std::size_t device, FleetPhase from, FleetPhase to)
{
    if (m_recordTransitions)
        m_transitions.push_back(PhaseTransition{m_sim->now().toSeconds(), fleet.deviceNode(device), from, to});
    if (isFinalPhase(to) != isFinalPhase(from))
        m_finishedDevices += isFinalPhase(to) ? 1 : -1;  // leaving a final phase: a rollout's retry
    if (m_rollout)
        m_rollout->onDevicePhase(fleet, device, from, to);
    checkAllDone();
}

void FleetRun::checkAllDone()
{
    if (!m_config.stop.whenAllFinished || m_allDone || !allDoneNow())
        return;
    m_allDone = true;
    m_sim->stop();
}

bool FleetRun::allDoneNow()
{
    // Under a rollout a targeted device is done when its execution is terminal and it is not
    // active (a final device about to be retried is not; one canceled while waiting is).
    const int untargetedFinished = m_rollout ? m_finishedDevices - m_rollout->finalTargets() : m_finishedDevices;
    const int done = untargetedFinished + (m_rollout ? m_rollout->doneTargets() : 0);
    if (done == m_devices && (!m_rollout || m_rollout->endedWithoutStarting() == 0)) {
        m_allDoneReason = QStringLiteral("all devices finished");
    } else if (done == m_devices) {
        m_allDoneReason = QStringLiteral("all devices finished (%1 ended before starting)").arg(m_rollout->endedWithoutStarting());
    } else if (m_rollout && m_rollout->jobEnded() && m_rollout->activeTargets() == 0
               && m_finishedDevices - m_rollout->finalTargets() == m_devices - m_rollout->targetCount()) {
        m_allDoneReason = QStringLiteral("rollout job %1, every started device finished").arg(m_rollout->engine().jobStatus());
    } else {
        return false;
    }
    return true;
}

void FleetRun::finish(QString reason)
{
    m_finished = true;
    m_stopReason = std::move(reason);
    if (m_samples.empty() || m_samples.back().timeS < m_sim->now().toSeconds())
        takeSample();
}

bool FleetRun::runUntil(double timeS)
{
    if (m_finished)
        return true;
    const auto wallStart = std::chrono::steady_clock::now();
    const double limitS = std::min(timeS, m_config.stop.untilS);
    if (m_config.stop.whenAllFinished && !m_allDone && allDoneNow())
        m_allDone = true;
    if (!m_allDone)
        m_sim->runUntil(SimTime::fromSeconds(limitS));
    if (m_allDone)
        finish(m_allDoneReason);
    else if (limitS >= m_config.stop.untilS && m_sim->now() >= SimTime::fromSeconds(m_config.stop.untilS))
        finish(QStringLiteral("time limit %1 s").arg(m_config.stop.untilS));
    m_wallSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return m_finished;
}

FleetRunSnapshot FleetRun::snapshot() const
{
    FleetRunSnapshot s;
    s.timeS = m_sim->now().toSeconds();
    s.devices = m_devices;
    for (const auto& fleet : m_fleets)
        for (std::size_t d = 0; d < fleet->deviceCount(); ++d)
            ++s.phases[static_cast<std::size_t>(fleet->phase(d))];
    s.eventsExecuted = m_sim->eventsExecuted();
    s.finished = m_finished;
    s.stopReason = m_stopReason;
    if (m_rollout) {
        const rollout::RolloutEngine& e = m_rollout->engine();
        s.hasRollout = true;
        s.executions = e.counts();
        s.jobStatus = e.jobStatus();
        s.ratePerMinute = e.currentRatePerMinute();
        s.group = e.currentGroup();
        s.abortedAtS = m_rollout->abortedAtS();
    }
    return s;
}

RunResult FleetRun::result()
{
    RunResult r;
    r.scenarioName = m_config.name;
    r.scenarioFile = m_config.file;
    r.scenarioDescription = m_config.description;
    r.scenarioChanges = m_config.changes;
    r.seed = m_config.seed;
    r.endTimeS = m_sim->now().toSeconds();
    r.stopReason = m_finished ? m_stopReason : QStringLiteral("paused");
    r.eventsExecuted = m_sim->eventsExecuted();
    r.wallSeconds = m_wallSeconds;
    r.traceFingerprint = traceFingerprint();
    r.modelFingerprint = modelFingerprint();
    r.progress = m_samples;
    std::vector<faults::ResultFleet> faultFleets;   // where each fleet's devices start in r.devices
    for (const auto& fleet : m_fleets) {
        r.families.push_back(fleet->family());
        const FleetFacts f = fleet->facts();
        if (r.imageBytes == 0)
            r.imageBytes = f.imageBytes;
        if (r.batteryName.isEmpty() && !f.batteryName.isEmpty()) {
            r.batteryName = f.batteryName;
            r.batteryCapacityMah = f.batteryCapacityMah;
            r.batteryVoltageV = f.batteryVoltageV;
        }
        const std::size_t first = r.devices.size();
        fleet->appendResults(r.devices);
        faultFleets.push_back({fleet->name(), first, r.devices.size() - first});
        if (m_rollout)
            m_rollout->annotate(*fleet, std::span(r.devices).subspan(first));
        FleetFiguresResult figures{fleet->name(), fleet->family(), fleet->fleetFigures(), fleet->fleetTimeline(), fleet->fleetBudgets()};
        if (!figures.rows.empty() || !figures.timeline.empty() || !figures.budgets.empty())
            r.fleetFigures.push_back(std::move(figures));
    }
    if (m_rollout)
        r.rollout = m_rollout->result(m_rolloutSamples);
    if (m_faultLog)
        faults::appendFaultResults(*m_faultLog, m_config.faults, faultFleets, r);
    return r;
}

Result<RunResult> runScenario(const ScenarioConfig& config, SimObserver* extraObserver,
                              std::function<void(const FleetSample&)> progress, const QString& baseDir)
{
    auto run = FleetRun::build(config, baseDir);
    if (!run)
        return fail(run.error());
    (*run)->addObserver(extraObserver);
    (*run)->setProgressCallback(std::move(progress));
    (*run)->run();
    return (*run)->result();
}

Result<QStringList> FleetRun::startCaptures(const QString& dir)
{
    QStringList files;
    for (std::size_t k = 0; k < m_fleets.size(); ++k) {
        Fleet& fleet = *m_fleets[k];
        const bool shared = std::count_if(m_fleets.begin(), m_fleets.end(),
                                          [&](const auto& f) { return f->family() == fleet.family(); }) > 1;
        QString sub = fleet.name().isEmpty() ? QStringLiteral("fleet-%1").arg(k + 1) : fleet.name();
        sub.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]|^\\.+$")), QStringLiteral("_"));   // stays in dir
        const QString where = shared ? QDir(dir).absoluteFilePath(sub) : dir;
        if (shared && !QDir().mkpath(where))
            return std::unexpected(Error::plain(QStringLiteral("cannot create %1").arg(where)));
        auto started = fleet.startCapture(where);
        if (!started)
            return std::unexpected(started.error());
        files += *started;
    }
    m_captureFiles += files;
    return files;
}

void FleetRun::finishCaptures()
{
    for (const auto& fleet : m_fleets)
        fleet->finishCapture();
}

void FleetRun::abandonCaptures()
{
    finishCaptures();
    for (const QString& file : std::as_const(m_captureFiles))
        QFile::remove(file);
    m_captureFiles.clear();
}

} // namespace otalab::sim

