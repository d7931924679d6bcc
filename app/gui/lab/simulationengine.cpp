// SPDX-License-Identifier: Apache-2.0
// SimulationEngine: sliced, paced runs of one Rollout on the worker thread.
#include "lab/simulationengine.h"

#include "lab/labrecorder.h"
#include "lab/memoryrelease.h"
#include "lab/sliceguard.h"
#include "sim/kernel/simulator.h"
#include "sim/ota/rollout.h"
#include "sim/zigbee/zigbeenetwork.h"
#include "sim/zigbee/zigbeenode.h"

#include <algorithm>
#include <limits>

namespace otalab::app {
namespace {

constexpr std::size_t kNoDevice = std::numeric_limits<std::size_t>::max();

QString roleName(sim::NodeRole role)
{
    switch (role) {
    case sim::NodeRole::Coordinator: return QStringLiteral("coordinator");
    case sim::NodeRole::Router: return QStringLiteral("router");
    case sim::NodeRole::EndDevice: return QStringLiteral("end device");
    }
    return QStringLiteral("?");
}

} // namespace

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

void SimulationEngine::load(std::uint64_t generation, const sim::RolloutConfig& config, const QString& baseDir)
{
    m_interrupt.store(false);
    m_running = false;
    m_tickTimer.stop();
    m_rollout.reset();
    m_recorder.reset();
    m_guard.reset();
    m_samples = {};
    m_deviceOfNode = {};
    m_pending = {};
    releaseFreedMemory();  // the previous rollout's pages, before the next one is built
    m_untilS.reset();
    m_generation = generation;
    m_eventsPerSecond = 0;

    auto built = sim::Rollout::build(config, baseDir);
    if (!built) {
        m_errorSink(generation, built.error().toString());
        return;
    }
    m_rollout = std::move(*built);

    const sim::TopologySpec& spec = m_rollout->network().topology();
    m_deviceOfNode.assign(spec.nodes.size(), kNoDevice);
    const auto& devices = m_rollout->devices();
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const sim::NodeId node = devices[i]->node().node();
        if (node < m_deviceOfNode.size())
            m_deviceOfNode[node] = i;
    }
    auto topology = std::make_shared<LabTopology>();
    topology->scenarioName = config.name;
    topology->seed = config.seed;
    topology->imageBytes = static_cast<std::uint32_t>(m_rollout->result().imageBytes);  // t = 0: flushes nothing
    m_imageBytes = topology->imageBytes;
    topology->nodes.reserve(spec.nodes.size());
    std::vector<bool> hasClient(spec.nodes.size(), false);
    for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
        const sim::NodeSpec& n = spec.nodes[i];
        LabNodeInfo info;
        info.node = static_cast<sim::NodeId>(i);
        info.shortAddress = n.shortAddress;
        info.role = roleName(n.role);
        info.parent = n.parent;
        info.xM = n.x;
        info.yM = n.y;
        info.hasClient = m_deviceOfNode[i] != kNoDevice;
        hasClient[i] = info.hasClient;
        topology->nodes.push_back(std::move(info));
    }
    m_recorder = std::make_unique<LabRecorder>(std::move(hasClient));
    m_recorder->setLogAllFrames(m_logAllFrames);
    m_guard = std::make_unique<SliceGuard>(m_rollout->simulator(), m_interrupt);
    m_rollout->addObserver(m_recorder.get());
    m_rollout->addObserver(m_guard.get());
    m_rollout->setProgressCallback([this](const sim::FleetSample& sample) { m_samples.push_back(sample); });

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
        // The last device finishing inside this event: let the Rollout close the run
        // (it executes nothing more once every client is done).
        const sim::RolloutSnapshot snap = m_rollout->snapshot();
        if (m_rollout->config().stop.whenAllFinished && snap.clients > 0
            && snap.upgraded + snap.failed + snap.refused == snap.clients)
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
    LabSnapshot snap;
    const sim::RolloutSnapshot rs = m_rollout->snapshot();
    snap.timeS = rs.timeS;
    snap.untilS = m_rollout->config().stop.untilS;
    snap.eventsExecuted = rs.eventsExecuted;
    snap.eventsPerSecond = m_running ? m_eventsPerSecond : 0.0;
    snap.finished = rs.finished;
    snap.stopReason = rs.stopReason;
    snap.upgraded = rs.upgraded;
    snap.downloading = rs.downloading;
    snap.failed = rs.failed;
    snap.refused = rs.refused;
    snap.clients = rs.clients;
    snap.samples = m_samples;
    snap.nodes.resize(m_deviceOfNode.size());
    const auto& devices = m_rollout->devices();
    for (std::size_t node = 0; node < m_deviceOfNode.size(); ++node) {
        LabNodeStatus& st = snap.nodes[node];
        st.state = m_recorder->state(static_cast<sim::NodeId>(node));
        st.stateSinceS = m_recorder->stateSinceS(static_cast<sim::NodeId>(node));
        const std::size_t d = m_deviceOfNode[node];
        if (d == kNoDevice)
            continue;
        sim::OtaDevice& device = *devices[d];
        const sim::OtaDeviceProgress& p = device.progress();
        const auto& attr = device.client().attributes();
        st.upgradeStatus = static_cast<std::uint8_t>(attr.imageUpgradeStatus);
        st.fileVersion = p.version;
        st.blockRequests = p.blockRequests;
        st.retries = p.retries;
        // Energy up to now, read without flushing (a flush would add records to the
        // trace and change the run's fingerprint).
        st.energyJ = device.energy().energyJoulesAt(m_rollout->simulator().now());
        st.updateEnergyJ = p.start ? p.energyAtFinish.value_or(st.energyJ) - p.energyAtStart : 0.0;
        if (p.phase == sim::OtaDeviceProgress::Phase::Upgraded || (st.upgradeStatus >= 2 && st.upgradeStatus <= 6))
            st.bytesReceived = m_imageBytes;
        else if (st.upgradeStatus == 1 && attr.fileOffset != 0xFFFFFFFFu)
            st.bytesReceived = attr.fileOffset;
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
