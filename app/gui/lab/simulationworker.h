// SPDX-License-Identifier: Apache-2.0
// SimulationWorker: the GUI thread's facade of the simulation thread (owns the QThread).
#pragma once

#include "lab/labpublication.h"
#include "sim/fleet/scenarioconfig.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>

namespace otalab::app {

class SimulationEngine;

// Created and used on the GUI thread. Starts a worker QThread that hosts a
// SimulationEngine (which owns the Rollout); every command is a queued call, executed
// in order on the worker. Results come back as queued calls on this object and are
// re-emitted as signals on the GUI thread. pause() also raises an atomic interrupt so
// a running slice ends within a few hundred events. Destruction interrupts the run,
// stops the thread and waits for it (the Rollout is destroyed on the worker thread).
class SimulationWorker final : public QObject {
    Q_OBJECT
public:
    explicit SimulationWorker(QObject* parent = nullptr);
    ~SimulationWorker() override;

    // `generation` is echoed in every signal about this rollout.
    void load(std::uint64_t generation, const sim::ScenarioConfig& config, const QString& baseDir);
    void run(std::optional<double> untilS = std::nullopt);
    void pause();
    void step();
    void setSpeed(double virtualSecondsPerWallSecond);
    void setLogAllFrames(bool on);
    // The node whose full status and recent rows go out with every snapshot (kNoNode: none).
    void watchNode(sim::NodeId node);
    // Sequence number of the last command sent (load/run/pause/step); publications
    // echo the one the worker had executed (LabPublication::command).
    std::uint64_t lastCommand() const { return m_command; }
    // RunResult so far; blocks until the worker is between slices (≤ ~30 ms).
    std::optional<sim::RunResult> result();

Q_SIGNALS:
    void topologyReady(std::uint64_t generation, std::shared_ptr<LabTopology> topology);
    void published(std::shared_ptr<LabPublication> publication);
    void loadFailed(std::uint64_t generation, const QString& message);

private:
    QThread m_thread;
    SimulationEngine* m_engine = nullptr;  // lives on m_thread; deleted there when it finishes
    std::atomic<bool> m_interrupt{false};
    std::atomic<int> m_inFlight{0};
    std::uint64_t m_command = 0;
};

} // namespace otalab::app
