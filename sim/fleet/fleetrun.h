// SPDX-License-Identifier: Apache-2.0
// FleetRun: one scenario — its fleets of any family on one Simulator — run whole or in slices.
#pragma once

#include "core/common/error.h"
#include "sim/fleet/faults/faultlog.h"
#include "sim/fleet/fleet.h"
#include "sim/fleet/fleetrollout.h"
#include "sim/fleet/scenarioconfig.h"
#include "sim/kernel/eventhandler.h"
#include "sim/kernel/simobserver.h"
#include "sim/report/runresult.h"

#include <QString>

#include <array>
#include <utility>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace otalab::sim {

class Simulator;
class TraceWriter;
struct FleetBuildContext;

// Cheap, immutable view of a running scenario for a GUI (copy it to another thread).
struct FleetRunSnapshot {
    double timeS = 0;                                   // virtual time
    int devices = 0;                                    // campaign devices of every fleet
    std::array<int, kFleetPhaseCount> phases{};         // devices per FleetPhase
    std::uint64_t eventsExecuted = 0;
    bool finished = false;                              // stop condition met
    QString stopReason;
    // The rollout policy (ScenarioConfig::rollout), when there is one (hasRollout).
    bool hasRollout = false;
    std::array<int, 8> executions{};                    // devices per rollout::ExecutionState (never notified: Queued)
    QString jobStatus;                                  // "IN_PROGRESS", "CANCELED", … (RolloutEngine::jobStatus)
    double ratePerMinute = 0;                           // notification rate in force
    QString group;                                      // group / phase / wave being rolled out; empty for one wave
    std::optional<double> abortedAtS;                   // an abort criterion (or a hawkBit pause) stopped the job then
    int count(FleetPhase phase) const { return phases[static_cast<std::size_t>(phase)]; }
};

// How FleetRun makes its fleets and its rollout engine; empty members: the families'
// builders (sim/fleet/families.h) and RolloutEngine::create. Tests give their own.
struct FleetRunFactories {
    std::function<Result<std::unique_ptr<Fleet>>(const FleetConfig& config, const FleetBuildContext& ctx)> fleet;
    RolloutEngineFactory engine;
};

// A device entered a phase (for timelines; recorded only while enabled).
struct PhaseTransition {
    double timeS = 0;
    NodeId node = kNoNode;
    FleetPhase from = FleetPhase::Idle;
    FleetPhase to = FleetPhase::Idle;
};

// Builds every fleet of a ScenarioConfig on one Simulator (seeded with config.seed),
// starts them, samples the fleet every sampleIntervalS and stops at stop.untilS or,
// with stop.whenAllFinished, once every campaign device is in a final phase. A
// fingerprint-only TraceWriter is attached when config.fingerprint. The rest of the lab
// (reports, CLI, GUI) sees families only through this class and Fleet.
//
// With config.rollout a FleetRollout (sim/fleet/fleetrollout.h) holds the targeted
// fleets' devices, drives them by the policy from time 0 and is sampled with every
// FleetSample (RunResult::rollout, DeviceResult::execution). Under a rollout,
// stop.whenAllFinished also counts a targeted device whose execution ended while it was
// still Waiting / Idle (canceled, timed out before it started) as finished, and ends the
// run once the job is CANCELED, COMPLETED or PAUSED and no targeted device is active (and
// every other device is final).
//
// With config.faults (a "faults" / "attacks" section) FleetRun owns a FaultLog, hands it
// to every fleet (Fleet::setFaultLog), resolves the specs into orders
// (faults::planFaults: refused with the reason when a family cannot do one), arms every
// order before Fleet::start() (armFault / armAttack) and injects each order with a moment
// (atS, or betweenS drawn) in an event at that time, queued behind the events already
// pending for that time (injectFault / injectAttack; orders of one time in plan order).
// result() then fills RunResult::faults / attacks (faults::appendFaultResults). Without
// faults none of this exists: no events, no log, the same fingerprint.
//
// Threading: build() and everything else on one thread (the worker); requestStop()
// from any thread. GUI use: runUntil() in bounded slices, snapshot() after each.
class FleetRun final : private SimObserver, private EventHandler, private FleetListener {
public:
    // Validates and builds everything; nothing runs. Relative image paths resolve against baseDir.
    static Result<std::unique_ptr<FleetRun>> build(const ScenarioConfig& config, const QString& baseDir = {});
    static Result<std::unique_ptr<FleetRun>> build(const ScenarioConfig& config, const QString& baseDir,
                                                   const FleetRunFactories& factories);
    ~FleetRun() override;
    FleetRun(const FleetRun&) = delete;
    FleetRun& operator=(const FleetRun&) = delete;

    // Extra observers (trace writer with output, pcap writer, GUI feed). Before the first run.
    void addObserver(SimObserver* observer);
    // Called with every FleetSample as it is taken (simulation thread).
    void setProgressCallback(std::function<void(const FleetSample&)> callback) { m_progressCallback = std::move(callback); }
    // Keep PhaseTransitions for takeTransitions() (a GUI timeline); off by default.
    void setRecordTransitions(bool on) { m_recordTransitions = on; }
    std::vector<PhaseTransition> takeTransitions() { return std::exchange(m_transitions, {}); }

    // Runs up to virtual time `timeS` (clamped to stop.until) or until the stop
    // condition. Returns finished(). Not re-entrant.
    bool runUntil(double timeS);
    bool run() { return runUntil(m_config.stop.untilS); }
    void requestStop();   // any thread: the current runUntil() returns soon

    bool finished() const { return m_finished; }
    // Every campaign device is in a final phase (and there is at least one): the count
    // FleetRun keeps for its stop condition.
    bool allDevicesFinished() const { return m_devices > 0 && m_finishedDevices == m_devices; }
    // stop.whenAllFinished's condition was met inside an event (also under a rollout's
    // rules: executions ended before starting, the job canceled or completed); the next
    // runUntil() closes the run without executing anything.
    bool stopConditionMet() const { return m_allDone; }
    FleetRunSnapshot snapshot() const;
    // Per-device outcomes and the samples so far (mid-run: unfinished devices say so).
    RunResult result();

    const ScenarioConfig& config() const { return m_config; }
    Simulator& simulator() { return *m_sim; }
    const std::vector<std::unique_ptr<Fleet>>& fleets() const { return m_fleets; }
    // Starts every fleet's own capture (Fleet::startCapture) in `dir`, or in dir/<fleet
    // name> when several fleets of one family would write the same files; returns the
    // files that will be written. Before the first run. finishCaptures() closes them (after
    // the run); abandonCaptures() closes and deletes them (a cancelled export).
    Result<QStringList> startCaptures(const QString& dir);
    void finishCaptures();
    void abandonCaptures();
    // The fleet and device index of a campaign device's node; {nullptr, 0} when none.
    std::pair<Fleet*, std::size_t> deviceAt(NodeId node) const;
    std::uint64_t traceFingerprint() const;
    // The model records only (frames, state changes, energy; TraceWriter::modelFingerprint).
    std::uint64_t modelFingerprint() const;
    // The rollout policy's driver; null without config.rollout.
    const FleetRollout* rollout() const { return m_rollout.get(); }
    // What the faults and attacks did so far; null without config.faults.
    const faults::FaultLog* faultLog() const { return m_faultLog.get(); }

private:
    explicit FleetRun(const ScenarioConfig& config);
    Result<void> construct(const QString& baseDir, const FleetRunFactories& factories);

    void onFrame(const FrameRecord& frame) override;                  // SimObserver
    void handleEvent(Simulator& sim, const Event& event) override;    // EventHandler: samples
    void onDevicePhase(Fleet& fleet, std::size_t device, FleetPhase from, FleetPhase to) override;

    FleetSample takeSample();
    void finish(QString reason);
    // stop.whenAllFinished: sets m_allDone (and its reason) and stops the kernel once met.
    void checkAllDone();
    bool allDoneNow();  // the condition; sets m_allDoneReason when met
    // config.faults: plans, arms (before start()) and keeps the timed orders; scheduleFaults()
    // queues them (after start()); injectTimed() runs one (its second stage).
    Result<void> armFaults();
    void scheduleFaults();
    void injectTimed(const Event& event);

    ScenarioConfig m_config;
    std::vector<std::unique_ptr<Fleet>> m_fleets;
    std::vector<std::pair<Fleet*, std::size_t>> m_deviceOfNode;  // index = NodeId
    std::unique_ptr<TraceWriter> m_trace;
    std::vector<FleetSample> m_samples;
    std::function<void(const FleetSample&)> m_progressCallback;
    std::vector<PhaseTransition> m_transitions;
    QStringList m_captureFiles;
    bool m_recordTransitions = false;
    SimTime m_lastSample;
    std::int64_t m_airtimeNs = 0;   // frames transmitted since the last sample
    int m_devices = 0;
    int m_finishedDevices = 0;
    bool m_finished = false;
    bool m_allDone = false;
    QString m_allDoneReason;
    QString m_stopReason;
    std::unique_ptr<FleetRollout> m_rollout;        // with config.rollout
    std::vector<RolloutSample> m_rolloutSamples;    // taken with m_samples
    // With config.faults: the log the families write and the orders with a moment.
    struct TimedFault {
        double atS = 0;
        Fleet* fleet = nullptr;
        std::optional<faults::FaultOrder> fault;   // exactly one of the two
        std::optional<faults::AttackOrder> attack;
    };
    std::unique_ptr<faults::FaultLog> m_faultLog;
    std::vector<TimedFault> m_timedFaults;
    double m_wallSeconds = 0;
    std::unique_ptr<Simulator> m_sim;  // last: destroyed first (events reference the rest)
};

// Convenience: build, attach `extraObserver` (may be null), run to the stop condition,
// return the result (wallSeconds included).
Result<RunResult> runScenario(const ScenarioConfig& config, SimObserver* extraObserver = nullptr,
                              std::function<void(const FleetSample&)> progress = {}, const QString& baseDir = {});

} // namespace otalab::sim
