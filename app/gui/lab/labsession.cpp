// SPDX-License-Identifier: Apache-2.0
// LabSession: GUI-thread state machine over the simulation worker.
#include "lab/labsession.h"
#include "lab/labpublication.h"
#include "lab/memoryrelease.h"
#include "lab/simulationworker.h"

#include <QTimer>

#include <algorithm>

namespace otalab::app {

LabSession::LabSession(QObject* parent) : QObject(parent) {}

LabSession::~LabSession()
{
    m_worker.reset();  // interrupts the run and joins the thread
}

void LabSession::load(const sim::ScenarioConfig& config, const QString& baseDir, const QJsonObject& scenario)
{
    if (!m_worker) {
        m_worker = std::make_unique<SimulationWorker>();
        m_worker->setSpeed(m_speed);
        m_worker->setLogAllFrames(m_logAllFrames);
        m_worker->watchNode(m_watched);
        connect(m_worker.get(), &SimulationWorker::topologyReady, this, &LabSession::onTopology);
        connect(m_worker.get(), &SimulationWorker::published, this, &LabSession::onPublication);
        connect(m_worker.get(), &SimulationWorker::loadFailed, this, &LabSession::onLoadFailed);
    }
    m_config = config;
    m_baseDir = baseDir;
    m_scenarioJson = scenario;
    ++m_generation;
    m_loading = true;
    m_worker->load(m_generation, config, baseDir);
    m_loadCommand = m_worker->lastCommand();
    setState(RunState::Empty);
}

void LabSession::run()
{
    if (!m_worker || !m_config || m_state == RunState::Error || m_state == RunState::Finished
        || m_state == RunState::Running)
        return;
    m_worker->run();
    setState(RunState::Running);
}

void LabSession::pause()
{
    if (!m_worker || m_state != RunState::Running)
        return;
    m_worker->pause();
    setState(RunState::Paused);
}

bool LabSession::commandAnswered() const
{
    return m_worker && m_answeredCommand == m_worker->lastCommand();
}

void LabSession::step()
{
    if (!m_worker || !m_config || m_state == RunState::Error || m_state == RunState::Finished)
        return;
    m_worker->step();
    setState(RunState::Paused);
}

void LabSession::runTo(double timeS)
{
    if (!m_worker || !m_config || m_state == RunState::Error || m_state == RunState::Finished)
        return;
    m_worker->run(timeS);
    setState(RunState::Running);
}

void LabSession::restart()
{
    if (m_config)
        load(*m_config, m_baseDir, m_scenarioJson);
}

void LabSession::setSpeed(double virtualSecondsPerWallSecond)
{
    const double speed = virtualSecondsPerWallSecond > 0 ? virtualSecondsPerWallSecond : kAsFastAsPossible;
    if (speed == m_speed)
        return;
    m_speed = speed;
    if (m_worker)
        m_worker->setSpeed(m_speed);
    Q_EMIT speedChanged(m_speed);
}

double LabSession::speed() const
{
    return m_speed;
}

void LabSession::setLogAllFrames(bool on)
{
    m_logAllFrames = on;
    if (m_worker)
        m_worker->setLogAllFrames(on);
}

void LabSession::watchNode(sim::NodeId node)
{
    if (m_watched == node)
        return;
    m_watched = node;
    if (m_worker)
        m_worker->watchNode(node);
}

void LabSession::clearKeptRuns()
{
    if (m_kept.empty())
        return;
    std::vector<LabRunRecord>().swap(m_kept);
    Q_EMIT keptRunsChanged();
    scheduleMemoryRelease();
}

void LabSession::keepRun(LabRunRecord record)
{
    m_kept.push_back(std::move(record));
    Q_EMIT keptRunsChanged();
}

void LabSession::scheduleMemoryRelease()
{
    if (m_releasePending)
        return;
    m_releasePending = true;
    QTimer::singleShot(0, this, [this] {
        m_releasePending = false;
        releaseFreedMemory();
    });
}

std::optional<sim::RunResult> LabSession::currentResult()
{
    if (!m_worker || m_loading || m_state == RunState::Empty || m_state == RunState::Error)
        return std::nullopt;
    return m_worker->result();
}

void LabSession::setState(RunState state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void LabSession::onTopology(std::uint64_t generation, std::shared_ptr<LabTopology> topology)
{
    if (generation != m_generation || !topology)
        return;
    m_loading = false;
    m_topology = std::move(*topology);
    m_history.reset(m_topology.nodes.size());
    m_latest = LabSnapshot{};
    m_latest.untilS = m_config ? m_config->stop.untilS : 0;
    m_latest.nodes.resize(m_topology.nodes.size());
    // The fleet is known before the first snapshot arrives: "0/5 upgraded", not "no clients".
    m_latest.clients = int(std::count_if(m_topology.nodes.begin(), m_topology.nodes.end(),
                                                   [](const auto& n) { return n.hasClient; }));
    Q_EMIT topologyChanged();
    scheduleMemoryRelease();
    // run()/step()/runTo() asked for while building keep their state.
    if (m_worker->lastCommand() == m_loadCommand)
        setState(RunState::Ready);
}

void LabSession::onLoadFailed(std::uint64_t generation, const QString& message)
{
    if (generation != m_generation)
        return;
    m_loading = false;
    m_topology = LabTopology{};
    m_latest = LabSnapshot{};
    m_history.reset(0);
    Q_EMIT topologyChanged();
    scheduleMemoryRelease();
    setState(RunState::Error);
    Q_EMIT errorOccurred(message);
}

void LabSession::onPublication(std::shared_ptr<LabPublication> publication)
{
    if (!publication || publication->generation != m_generation || m_loading)
        return;
    m_latest = std::move(publication->snapshot);
    m_history.append(std::move(publication->delta));
    Q_EMIT snapshotPublished();
    // Only the answer to the newest command may change the state (a Paused that was
    // overtaken by a later run() is stale).
    const bool current = publication->command == m_worker->lastCommand();
    if (publication->event != LabPublication::Event::Progress)
        m_answeredCommand = std::max(m_answeredCommand, publication->command);
    switch (publication->event) {
    case LabPublication::Event::Progress:
        break;
    case LabPublication::Event::Paused:
        if (current && m_state == RunState::Running)
            setState(RunState::Paused);
        break;
    case LabPublication::Event::Finished:
        if (m_state == RunState::Finished)
            break;
        if (publication->result) {
            LabRunRecord record;
            record.label = QStringLiteral("%1 seed %2 #%3")
                               .arg(m_topology.scenarioName)
                               .arg(m_topology.seed)
                               .arg(++m_finishedRuns);
            record.result = std::move(*publication->result);
            record.scenario = m_scenarioJson;
            m_kept.push_back(std::move(record));
        }
        setState(RunState::Finished);
        Q_EMIT runFinished(m_latest.stopReason);
        if (publication->result)
            Q_EMIT keptRunsChanged();
        break;
    }
}

} // namespace otalab::app
