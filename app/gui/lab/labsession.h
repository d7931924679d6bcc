// SPDX-License-Identifier: Apache-2.0
// LabSession: the GUI thread's handle on one simulated rollout running on a worker thread.
#pragma once

#include "lab/labhistory.h"
#include "lab/labtypes.h"
#include "sim/fleet/scenarioconfig.h"
#include "sim/zigbee/rolloutconfig.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace otalab::app {

class SimulationWorker;
struct LabPublication;

// Life cycle: load(config) → Ready (topology known, nothing run) → run()/step()/
// runTo() → Running ⇄ Paused → Finished. restart() rebuilds the same config and seed.
// All methods and signals on the GUI thread; the Rollout lives on the worker thread
// and is never touched from here. Panels read topology()/latest()/history() when
// snapshotPublished() fires (≤ ~30 Hz), and repaint on their own timers.
// While a load()/restart() builds on the worker the state is Empty (isLoading());
// run()/step()/runTo() may be called then and take effect once it is built.
// A finished run stays Finished: restart() (or load()) to run again.
// Memory: a new topology (load, restart) and clearKeptRuns() free the previous run's
// history, snapshot and kept results, then return the pages to the system.
class LabSession final : public QObject {
    Q_OBJECT
public:
    enum class RunState { Empty, Ready, Running, Paused, Finished, Error };
    Q_ENUM(RunState)

    // Speed: virtual seconds per wall second; 0 = as fast as possible (animation off).
    static constexpr double kAsFastAsPossible = 0;

    explicit LabSession(QObject* parent = nullptr);
    ~LabSession() override;

    // Builds the rollout on the worker (validation errors → errorOccurred, state Error).
    // `baseDir` resolves relative image paths (the scenario file's folder). `scenario`:
    // the JSON `config` was read from, kept with each finished run (Compare runs diffs it).
    void load(const sim::ScenarioConfig& config, const QString& baseDir = {}, const QJsonObject& scenario = {});
    // Convenience: a one-Zigbee-fleet scenario.
    void load(const sim::RolloutConfig& config, const QString& baseDir = {}, const QJsonObject& scenario = {})
    {
        load(sim::ScenarioConfig::fromRollout(config), baseDir, scenario);
    }
    void run();                  // continue to the stop condition at speed()
    void pause();                // virtual time stops (snapshot published)
    void step();                 // one simulation event, then Paused
    void runTo(double timeS);    // run until virtual time timeS, then Paused
    void restart();              // rebuild with the same config and seed → Ready
    void setSpeed(double virtualSecondsPerWallSecond);
    double speed() const;
    // Also log MAC ACKs, polls and non-OTA frames in the event log (default off).
    void setLogAllFrames(bool on);
    // The node the inspector shows: its full status and recent rows come with every
    // snapshot (LabSnapshot::watched) from now on; kNoNode stops it.
    void watchNode(sim::NodeId node);
    bool logAllFrames() const { return m_logAllFrames; }
    bool isLoading() const { return m_loading; }
    // True once the worker has answered the newest command with a Paused or Finished
    // publication: no publication of an earlier command is still on its way, so latest()
    // holds where virtual time stopped. (Tests wait on this event, not on a clock.)
    bool commandAnswered() const;

    RunState state() const { return m_state; }
    const std::optional<sim::ScenarioConfig>& config() const { return m_config; }
    const LabTopology& topology() const { return m_topology; }
    const LabSnapshot& latest() const { return m_latest; }
    const LabHistory& history() const { return m_history; }

    // Finished runs kept for comparison (oldest first); the current run is added when it finishes.
    const std::vector<LabRunRecord>& keptRuns() const { return m_kept; }
    void clearKeptRuns();
    // Adds a run finished elsewhere (a sweep's run read from its report.json) as the
    // newest kept run; keptRunsChanged().
    void keepRun(LabRunRecord record);
    // Full result of the current run so far (asks the worker; blocks briefly while it
    // is between slices). For export: report, plots. Reading it never changes the run's
    // trace (Rollout::result() reads energy without flushing).
    std::optional<sim::RunResult> currentResult();

Q_SIGNALS:
    void topologyChanged();                  // a run was (re)built: new topology, empty history
    void snapshotPublished();                // latest() and history() grew
    void stateChanged(LabSession::RunState state);
    void runFinished(const QString& stopReason);
    void keptRunsChanged();
    void errorOccurred(const QString& message);
    void speedChanged(double virtualSecondsPerWallSecond);

private:
    void setState(RunState state);
    // Once the panels have reacted to a reset (topologyChanged, keptRunsChanged) and
    // dropped their copies: releaseFreedMemory() on the next event-loop pass.
    void scheduleMemoryRelease();
    void onTopology(std::uint64_t generation, std::shared_ptr<LabTopology> topology);
    void onLoadFailed(std::uint64_t generation, const QString& message);
    void onPublication(std::shared_ptr<LabPublication> publication);

    RunState m_state = RunState::Empty;
    double m_speed = kAsFastAsPossible;
    bool m_logAllFrames = false;
    bool m_loading = false;
    bool m_releasePending = false;
    std::uint64_t m_generation = 0;
    std::uint64_t m_loadCommand = 0;
    std::uint64_t m_answeredCommand = 0;   // the newest command a Paused/Finished publication answered
    int m_finishedRuns = 0;
    std::optional<sim::ScenarioConfig> m_config;
    sim::NodeId m_watched = sim::kNoNode;
    QString m_baseDir;
    QJsonObject m_scenarioJson;
    LabTopology m_topology;
    LabSnapshot m_latest;
    LabHistory m_history;
    std::vector<LabRunRecord> m_kept;
    std::unique_ptr<SimulationWorker> m_worker;
};

} // namespace otalab::app
