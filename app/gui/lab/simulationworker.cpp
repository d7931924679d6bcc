// SPDX-License-Identifier: Apache-2.0
// SimulationWorker: queued commands to the engine, queued results back.
#include "lab/simulationworker.h"

#include "lab/simulationengine.h"

namespace otalab::app {

SimulationWorker::SimulationWorker(QObject* parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("otalab-simulation"));
    auto publish = [this](std::shared_ptr<LabPublication> p) {
        QMetaObject::invokeMethod(
            this,
            [this, p] {
                m_inFlight.fetch_sub(1);
                Q_EMIT published(p);
            },
            Qt::QueuedConnection);
    };
    auto topology = [this](std::uint64_t generation, std::shared_ptr<LabTopology> t) {
        QMetaObject::invokeMethod(this, [this, generation, t] { Q_EMIT topologyReady(generation, t); },
                                  Qt::QueuedConnection);
    };
    auto error = [this](std::uint64_t generation, QString message) {
        QMetaObject::invokeMethod(this, [this, generation, message] { Q_EMIT loadFailed(generation, message); },
                                  Qt::QueuedConnection);
    };
    m_engine = new SimulationEngine(m_interrupt, m_inFlight, std::move(publish), std::move(topology), std::move(error));
    m_engine->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread.start();
}

SimulationWorker::~SimulationWorker()
{
    m_interrupt.store(true);
    m_thread.quit();
    m_thread.wait();
}

void SimulationWorker::load(std::uint64_t generation, const sim::ScenarioConfig& config, const QString& baseDir)
{
    m_interrupt.store(true);  // end a running slice early; load() clears it on the worker
    QMetaObject::invokeMethod(m_engine, [e = m_engine, c = ++m_command, generation, config, baseDir] {
                                  e->setCommand(c);
                                  e->load(generation, config, baseDir);
                              },
                              Qt::QueuedConnection);
}

void SimulationWorker::run(std::optional<double> untilS)
{
    QMetaObject::invokeMethod(m_engine, [e = m_engine, c = ++m_command, untilS] {
            e->setCommand(c);
            e->run(untilS);
        }, Qt::QueuedConnection);
}

void SimulationWorker::pause()
{
    m_interrupt.store(true);
    QMetaObject::invokeMethod(m_engine, [e = m_engine, c = ++m_command] {
            e->setCommand(c);
            e->pause();
        }, Qt::QueuedConnection);
}

void SimulationWorker::step()
{
    m_interrupt.store(true);
    QMetaObject::invokeMethod(m_engine, [e = m_engine, c = ++m_command] {
            e->setCommand(c);
            e->step();
        }, Qt::QueuedConnection);
}

void SimulationWorker::setSpeed(double virtualSecondsPerWallSecond)
{
    QMetaObject::invokeMethod(m_engine, [e = m_engine, virtualSecondsPerWallSecond] { e->setSpeed(virtualSecondsPerWallSecond); },
                              Qt::QueuedConnection);
}

void SimulationWorker::setLogAllFrames(bool on)
{
    QMetaObject::invokeMethod(m_engine, [e = m_engine, on] { e->setLogAllFrames(on); }, Qt::QueuedConnection);
}

void SimulationWorker::watchNode(sim::NodeId node)
{
    QMetaObject::invokeMethod(m_engine, [e = m_engine, node] { e->watchNode(node); }, Qt::QueuedConnection);
}

std::optional<sim::RunResult> SimulationWorker::result()
{
    std::optional<sim::RunResult> r;
    QMetaObject::invokeMethod(m_engine, [e = m_engine, &r] { r = e->result(); }, Qt::BlockingQueuedConnection);
    return r;
}

} // namespace otalab::app
