// SPDX-License-Identifier: Apache-2.0
// SimulationEngine: owns the Rollout on the worker thread and runs it in bounded slices.
#pragma once

#include "lab/labpublication.h"
#include "sim/fleet/scenarioconfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace otalab::sim {
class FleetRun;
}

namespace otalab::app {

class LabRecorder;
class SliceGuard;

// Lives on the worker thread (moved there by SimulationWorker); every slot runs there.
// A run is a chain of ticks on the worker's event loop: each tick runs the Rollout up
// to the paced target (virtual seconds = anchor + speed × wall seconds; speed 0 = no
// pacing) but for at most kSliceBudgetMs of wall time (SliceGuard stops the kernel),
// so queued calls (pause, speed, currentResult) are served within one slice. A
// LabPublication goes out at most every kPublishIntervalMs (kFastPublishIntervalMs when
// running as fast as possible: animation is off then, and every publication costs the
// GUI thread a round of panel updates and repaints that would compete with the run for
// the CPU) and only when the GUI has consumed the previous one (`inFlight`), and always
// on pause/step/finish.
class SimulationEngine final : public QObject {
    Q_OBJECT
public:
    static constexpr int kSliceBudgetMs = 20;
    static constexpr int kPublishIntervalMs = 33;
    static constexpr int kFastPublishIntervalMs = 100;

    using Sink = std::function<void(std::shared_ptr<LabPublication>)>;
    using TopologySink = std::function<void(std::uint64_t generation, std::shared_ptr<LabTopology>)>;
    using ErrorSink = std::function<void(std::uint64_t generation, QString message)>;

    // `interrupt`/`inFlight` are shared with the GUI-side facade (any thread).
    SimulationEngine(std::atomic<bool>& interrupt, std::atomic<int>& inFlight, Sink publish, TopologySink topology,
                     ErrorSink error);
    ~SimulationEngine() override;

    // Worker thread only (invoked queued by SimulationWorker).
    void setCommand(std::uint64_t command) { m_command = command; }
    void load(std::uint64_t generation, const sim::ScenarioConfig& config, const QString& baseDir);
    void run(std::optional<double> untilS);
    void pause();
    void step();
    void setSpeed(double virtualSecondsPerWallSecond);
    void setLogAllFrames(bool on);
    void watchNode(sim::NodeId node);
    std::optional<sim::RunResult> result();

private:
    void tick();
    void scheduleTick(int ms);
    void publish(LabPublication::Event event);
    LabSnapshot makeSnapshot();
    void reanchor();
    void updateRate();

    std::atomic<bool>& m_interrupt;
    std::atomic<int>& m_inFlight;
    Sink m_publish;
    TopologySink m_topologySink;
    ErrorSink m_errorSink;

    std::uint64_t m_generation = 0;
    std::uint64_t m_command = 0;
    std::unique_ptr<sim::FleetRun> m_rollout;
    std::unique_ptr<LabRecorder> m_recorder;
    std::unique_ptr<SliceGuard> m_guard;
    std::vector<sim::FleetSample> m_samples;
    std::vector<sim::RolloutSample> m_rolloutSamples;  // taken with m_samples under a rollout
    QString m_abortReason;                             // the rollout's, once it aborted
    sim::NodeId m_watched = sim::kNoNode;
    bool m_logAllFrames = false;

    bool m_running = false;
    std::optional<double> m_untilS;     // runTo target
    double m_speed = 0;                 // virtual s per wall s; 0 = as fast as possible
    QElapsedTimer m_wall;               // anchor for pacing
    double m_anchorVirtualS = 0;
    QElapsedTimer m_sincePublish;
    LabHistoryDelta m_pending;          // collected, not yet published

    // events/s over a sliding window of about one second
    QElapsedTimer m_rateClock;
    std::uint64_t m_rateEvents = 0;
    double m_eventsPerSecond = 0;
    QTimer m_tickTimer;
};

} // namespace otalab::app
