// SPDX-License-Identifier: Apache-2.0
// SimulationEngine: sliced, paced runs of one FleetRun on the worker thread.
#include "lab/simulationengine.h"

#include "lab/labrecorder.h"
#include "lab/memoryrelease.h"
#include "lab/sliceguard.h"
#include "sim/fleet/fleetrun.h"
#include "sim/kernel/simulator.h"

#include <algorithm>
#include <limits>

namespace otalab::app {
SimulationEngine::SimulationEngine(std::atomic<bool>& interrupt, std::atomic<int>& inFlight, Sink publish,
                                   TopologySink topology, ErrorSink error)
    : m_interrupt(interrupt)
    , m_inFlight(inFlight)
    , m_publish(std::move(publish))
    , m_topologySink(std::move(topology))
    , m_errorSink(std::move(error))
    , m_tickTimer(this)
{
    m_tickTimer.setSingleShot(true);
    connect(&m_tickTimer, &QTimer::timeout, this, &SimulationEngine::tick);
}

SimulationEngine::~SimulationEngine()
{
    m_rollout.reset();  // before the observers it references
}

void SimulationEngine::load(std::uint64_t generation, const sim::ScenarioConfig& config, const QString& baseDir)
{
    m_interrupt.store(false);
    m_running = false;
    m_tickTimer.stop();
    m_rollout.reset();
    m_recorder.reset();
    m_guard.reset();
    m_samples = {};
    m_rolloutSamples = {};
    m_abortReason.clear();
    m_pending = {};
    releaseFreedMemory();  // the previous rollout's pages, before the next one is built
    m_untilS.reset();
    m_generation = generation;
    m_eventsPerSecond = 0;

    auto built = sim::FleetRun::build(config, baseDir);
    if (!built) {
        m_errorSink(generation, built.error().toString());
        return;
    }
    m_rollout = std::move(*built);
    m_rollout->setRecordTransitions(true);

    auto topology = std::make_shared<LabTopology>();
    topology->scenarioName = config.name;
    topology->seed = config.seed;
    std::vector<LabNodeState> initial;
    std::vector<std::uint16_t> machines;
    std::vector<sim::NodeId> described;  // nodes without a campaign part that Fleet::nodeStatus() describes
    for (const auto& fleet : m_rollout->fleets()) {
        const int fleetIndex = static_cast<int>(topology->fleets.size());
        LabFleetInfo f{fleet->name(), fleet->family(), fleet->machines()};
        for (const sim::MachineDescription& m : f.machines)
            machines.push_back(m.id);
        if (topology->imageBytes == 0)
            topology->imageBytes = static_cast<std::uint32_t>(fleet->facts().imageBytes);
        topology->fleets.push_back(std::move(f));
        for (const sim::FleetNodeInfo& n : fleet->nodes()) {
            if (n.node >= topology->nodes.size()) {
                topology->nodes.resize(n.node + 1);
                initial.resize(n.node + 1, LabNodeState::Idle);
            }
            LabNodeInfo& info = topology->nodes[n.node];
            info.node = n.node;
            info.name = n.name;
            info.role = n.role;
            info.fleet = fleetIndex;
            info.parent = n.parent == sim::kNoNode ? -1 : static_cast<int>(n.parent);
            info.xM = n.xM;
            info.yM = n.yM;
            info.hasClient = n.participates;
            info.ranges = n.ranges;
        }
        for (std::size_t d = 0; d < fleet->deviceCount(); ++d)
            initial[fleet->deviceNode(d)] = fleet->phase(d);
        // Servers and gateways whose family tells their status: the inspector shows their rows too.
        for (const sim::FleetNodeInfo& n : fleet->nodes())
            if (!n.participates && fleet->nodeStatus(n.node))
                described.push_back(n.node);
    }
    m_recorder = std::make_unique<LabRecorder>(std::move(initial), std::move(machines), described);
    m_recorder->setLogAllFrames(m_logAllFrames);
    m_guard = std::make_unique<SliceGuard>(m_rollout->simulator(), m_interrupt);
    m_rollout->addObserver(m_recorder.get());
    m_rollout->addObserver(m_guard.get());
    m_rollout->setProgressCallback([this](const sim::FleetSample& sample) {
        m_samples.push_back(sample);
        if (const sim::FleetRollout* rollout = m_rollout->rollout())
            m_rolloutSamples.push_back(rollout->sample(sample.timeS));  // a read of the engine's counters
    });

    m_topologySink(generation, std::move(topology));
    publish(LabPublication::Event::Progress);
}

void SimulationEngine::run(std::optional<double> untilS)
{
    m_interrupt.store(false);
    if (!m_rollout)
        return;
    if (m_rollout->finished()) {
        publish(LabPublication::Event::Finished);
        return;
    }
    m_untilS = untilS;
    m_running = true;
    reanchor();
    m_rateClock.start();
    m_rateEvents = m_rollout->simulator().eventsExecuted();
    m_sincePublish.start();
    scheduleTick(0);
}

void SimulationEngine::pause()
{
    m_interrupt.store(false);
    m_running = false;
    m_tickTimer.stop();
    if (m_rollout)
        publish(m_rollout->finished() ? LabPublication::Event::Finished : LabPublication::Event::Paused);
}

void SimulationEngine::step()
{
    m_interrupt.store(false);
    m_running = false;
    m_tickTimer.stop();
    if (!m_rollout)
        return;
    if (!m_rollout->finished()) {
        m_guard->disarm();
        sim::Simulator& s = m_rollout->simulator();
        s.step();
        // The stop condition met inside this event (the last device finishing, or a rollout
        // job ending with every started device done): let the FleetRun close the run (it
        // executes nothing more then).
        if (m_rollout->stopConditionMet())
            m_rollout->runUntil(s.now().toSeconds());
    }
    m_eventsPerSecond = 0;
    publish(m_rollout->finished() ? LabPublication::Event::Finished : LabPublication::Event::Paused);
}

void SimulationEngine::setSpeed(double virtualSecondsPerWallSecond)
{
    m_speed = std::max(0.0, virtualSecondsPerWallSecond);
    reanchor();
    if (m_running)
        scheduleTick(0);
}

void SimulationEngine::watchNode(sim::NodeId node)
{
    m_watched = node;
    if (m_rollout && !m_running)
        publish(m_rollout->finished() ? LabPublication::Event::Finished : LabPublication::Event::Paused);
}

void SimulationEngine::setLogAllFrames(bool on)
{
    m_logAllFrames = on;
    if (m_recorder)
        m_recorder->setLogAllFrames(on);
}

std::optional<sim::RunResult> SimulationEngine::result()
{
    if (!m_rollout)
        return std::nullopt;
    return m_rollout->result();
}

void SimulationEngine::reanchor()
{
    m_wall.start();
    m_anchorVirtualS = m_rollout ? m_rollout->simulator().now().toSeconds() : 0.0;
}

void SimulationEngine::scheduleTick(int ms)
{
    m_tickTimer.start(ms);
}

void SimulationEngine::tick()
{
    if (!m_running || !m_rollout)
        return;
    sim::Simulator& s = m_rollout->simulator();
    const double stopS = m_rollout->config().stop.untilS;
    double target = m_untilS ? std::min(*m_untilS, stopS) : stopS;
    double pacedTarget = target;
    const bool paced = m_speed > 0;
    if (paced) {
        pacedTarget = m_anchorVirtualS + m_speed * static_cast<double>(m_wall.nsecsElapsed()) * 1e-9;
        target = std::min(target, pacedTarget);
    }
    if (target > s.now().toSeconds() || (!paced && target >= s.now().toSeconds())) {
        m_guard->arm(std::chrono::milliseconds(kSliceBudgetMs));
        m_rollout->runUntil(target);
        m_guard->disarm();
    }
    m_recorder->takeDelta(m_pending);
    updateRate();

    if (m_rollout->finished()) {
        m_running = false;
        publish(LabPublication::Event::Finished);
        return;
    }
    if (m_untilS && s.now().toSeconds() >= *m_untilS) {
        m_running = false;
        m_untilS.reset();
        m_eventsPerSecond = 0;
        publish(LabPublication::Event::Paused);
        return;
    }
    if (m_sincePublish.elapsed() >= (paced ? kPublishIntervalMs : kFastPublishIntervalMs) && m_inFlight.load() == 0)
        publish(LabPublication::Event::Progress);

    if (!paced) {
        scheduleTick(0);
        return;
    }
    const double nowS = s.now().toSeconds();
    if (pacedTarget - nowS > m_speed * 0.5)
        reanchor();  // cannot keep up: drop the backlog instead of racing to catch up later
    scheduleTick(nowS >= pacedTarget ? 10 : 0);
}

void SimulationEngine::updateRate()
{
    if (!m_rateClock.isValid()) {
        m_rateClock.start();
        return;
    }
    const qint64 ms = m_rateClock.elapsed();
    if (ms < 500)
        return;
    const std::uint64_t events = m_rollout->simulator().eventsExecuted();
    m_eventsPerSecond = static_cast<double>(events - m_rateEvents) * 1000.0 / static_cast<double>(ms);
    m_rateEvents = events;
    m_rateClock.restart();
}

LabSnapshot SimulationEngine::makeSnapshot()
{
    m_recorder->applyTransitions(m_rollout->takeTransitions());
    LabSnapshot snap;
    const sim::FleetRunSnapshot rs = m_rollout->snapshot();
    using P = sim::FleetPhase;
    snap.timeS = rs.timeS;
    snap.untilS = m_rollout->config().stop.untilS;
    snap.eventsExecuted = rs.eventsExecuted;
    snap.eventsPerSecond = m_running ? m_eventsPerSecond : 0.0;
    snap.finished = rs.finished;
    snap.stopReason = rs.stopReason;
    snap.upgraded = rs.count(P::Upgraded);
    snap.downloading = rs.count(P::Downloading);
    snap.failed = rs.count(P::Failed);
    snap.refused = rs.count(P::Refused);
    snap.waiting = rs.count(P::Waiting);
    snap.finishing = rs.count(P::Verifying) + rs.count(P::WaitingToApply) + rs.count(P::Applying);
    snap.rolledBack = rs.count(P::RolledBack);
    snap.clients = rs.devices;
    snap.samples = m_samples;
    if (const sim::FleetRollout* rollout = m_rollout->rollout()) {
        snap.hasRollout = rs.hasRollout;
        snap.executions = rs.executions;
        snap.jobStatus = rs.jobStatus;
        snap.ratePerMinute = rs.ratePerMinute;
        snap.rolloutGroup = rs.group;
        snap.abortedAtS = rs.abortedAtS;
        if (rs.abortedAtS && m_abortReason.isEmpty())
            m_abortReason = rollout->engine().result({}).abortReason;  // once: the reason does not change
        snap.abortReason = m_abortReason;
        snap.rolloutSamples = m_rolloutSamples;
    }
    snap.nodes.resize(m_recorder->nodeCount());
    for (std::size_t node = 0; node < snap.nodes.size(); ++node) {
        LabNodeStatus& st = snap.nodes[node];
        st.state = m_recorder->state(static_cast<sim::NodeId>(node));
        st.stateSinceS = m_recorder->stateSinceS(static_cast<sim::NodeId>(node));
    }
    for (const auto& fleet : m_rollout->fleets()) {
        for (std::size_t d = 0; d < fleet->deviceCount(); ++d) {
            const sim::NodeId node = fleet->deviceNode(d);
            if (node >= snap.nodes.size())
                continue;
            // Energy up to now, read without flushing (a flush would add records to the
            // trace and change the run's fingerprint): Fleet::status() promises that.
            const sim::DeviceFigures ds = fleet->figures(d);
            LabNodeStatus& st = snap.nodes[node];
            st.bytesReceived = static_cast<std::uint32_t>(ds.bytesReceived);
            st.bytesTotal = static_cast<std::uint32_t>(ds.bytesTotal);
            st.requests = ds.requests;
            st.retries = ds.retries;
            st.energyJ = ds.energyJ;
            st.updateEnergyJ = ds.updateEnergyJ;
            if (node == m_watched) {
                auto watched = std::make_shared<LabWatchedNode>();
                watched->node = node;
                watched->status = fleet->status(d);
                watched->recent = m_recorder->recent(node);
                if (const sim::FleetRollout* rollout = m_rollout->rollout())
                    if (const auto index = rollout->engineIndex(*fleet, d)) {
                        watched->execution = sim::rollout::executionStateName(rollout->engine().state(*index));
                        watched->executionNumber = rollout->engine().executionNumber(*index);
                    }
                snap.watched = std::move(watched);
            }
        }
    }
    // A watched node that is no campaign device: its family may still tell its machines
    // (the FUOTA server's session) and attributes.
    if (m_watched != sim::kNoNode && !snap.watched && m_watched < snap.nodes.size()) {
        for (const auto& fleet : m_rollout->fleets()) {
            if (std::optional<sim::DeviceStatus> status = fleet->nodeStatus(m_watched)) {
                auto watched = std::make_shared<LabWatchedNode>();
                watched->node = m_watched;
                watched->campaignDevice = false;
                watched->status = std::move(*status);
                watched->recent = m_recorder->recent(m_watched);
                snap.watched = std::move(watched);
                break;
            }
        }
    }
    return snap;
}

void SimulationEngine::publish(LabPublication::Event event)
{
    if (!m_rollout)
        return;
    auto p = std::make_shared<LabPublication>();
    p->generation = m_generation;
    p->command = m_command;
    p->event = event;
    p->snapshot = makeSnapshot();
    m_recorder->takeDelta(m_pending);
    p->delta = std::move(m_pending);
    m_pending = {};
    if (event == LabPublication::Event::Finished)
        p->result = m_rollout->result();
    m_inFlight.fetch_add(1);
    m_sincePublish.restart();
    m_publish(std::move(p));
}

} // namespace otalab::app
