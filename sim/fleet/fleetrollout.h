// SPDX-License-Identifier: Apache-2.0
// FleetRollout: one RolloutEngine driving the campaign devices of the fleets a scenario's
// "rollout" section targets — the bridge between the protocol-neutral policy and the
// families (Fleet::holdForRollout / releaseDevices / stopDevices), on the kernel's clock.
#pragma once

#include "core/common/error.h"
#include "sim/fleet/fleet.h"
#include "sim/fleet/rollout/rolloutengine.h"
#include "sim/kernel/eventhandle.h"
#include "sim/kernel/eventhandler.h"
#include "sim/kernel/simtime.h"
#include "sim/report/runresult.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace otalab::sim {

class Simulator;

// How the engine is made (tests substitute a scripted one); default RolloutEngine::create.
using RolloutEngineFactory = std::function<Result<std::unique_ptr<rollout::RolloutEngine>>(
    const rollout::RolloutPolicyConfig& config, std::uint32_t devices, std::uint64_t seed)>;

// Engine devices are the targeted fleets' campaign devices in fleet order, each fleet's
// devices contiguous in its own order (engine index = first index of the fleet + device).
//
// Time: the engine's clock is the kernel's virtual time in seconds (start() is at
// Simulator::now(), 0 in a FleetRun). A "wake" event sits at engine.nextWakeS() and is
// re-armed after every input. Actions reach the fleets as one call per fleet for each
// batch, devices in the order the engine gave them:
//  - Stop: at once, in the event that caused it — also inside a family's own event when a
//    device's report trips an abort, so a device released earlier cannot start in a later
//    event at the same instant. A family's stopDevices() must therefore accept a call
//    from inside its own listener callback (the families here post their own event).
//  - Notify: in an "apply" event at the same virtual time (never inside a family's event
//    handler), after the stops; a notification whose execution is no longer QUEUED by then
//    (canceled at the same instant) is dropped.
// The events carry EventData{kNoNode, kRolloutEventKind, 0 (wake) | 1 (apply), 0}; they
// exist only in runs with a rollout, so other runs' traces (and fingerprints) are unchanged.
//
// Phase → report (onDevicePhase, targeted devices only): the first move of an execution
// into an active or final phase reports Started (then, if final, also its end);
// Upgraded → Succeeded; Failed, RolledBack → Failed; Refused → Rejected. A device leaving
// a final phase (a retry) starts a new execution: its next move reports Started again. A
// device stopped while active (timeout, force cancel) reports nothing until it is no longer
// active: that end belongs to the execution the engine already ended.
//
// Simulation thread only. Its events reference it: destroy the Simulator first (FleetRun
// does), the destructor does not touch it.
class FleetRollout final : private EventHandler {
public:
    // The EventData::kind of FleetRollout's events (see above).
    static constexpr std::uint32_t kRolloutEventKind = 0x524f4c4c;  // "ROLL"

    // Resolves config.targets against `fleets` (by Fleet::name(); empty = every fleet) and
    // checks each targeted fleet's rolloutSupport() against what the policy asks
    // (Error::field names the key: "rollout.targets[1]", "rollout.jobExecutionsRetryConfig",
    // "rollout.timeoutConfig.inProgressTimeoutInMinutes", "rollout.schedulingConfig.endBehavior"),
    // then creates the engine (its validate() error as is). Runs nothing.
    static Result<std::unique_ptr<FleetRollout>> create(const rollout::RolloutPolicyConfig& config,
                                                        const std::vector<std::unique_ptr<Fleet>>& fleets, Simulator& sim,
                                                        std::uint64_t seed, const RolloutEngineFactory& factory = {});
    ~FleetRollout();
    FleetRollout(const FleetRollout&) = delete;
    FleetRollout& operator=(const FleetRollout&) = delete;

    // Fleet::holdForRollout() on every targeted fleet: after build, before Fleet::start().
    void hold();
    // engine.start(now): after every fleet started.
    void start();
    // Called by whoever is told of phase changes (FleetRun) for every campaign device; ignores
    // devices it does not target.
    void onDevicePhase(const Fleet& fleet, std::size_t device, FleetPhase from, FleetPhase to);
    // Called after every input that may change the stop condition (a report, an event).
    void setChangeCallback(std::function<void()> callback) { m_changed = std::move(callback); }

    // Stop-condition figures (targeted devices only).
    int targetCount() const { return int(m_devices.size()); }
    // Execution terminal while the phase is Waiting / Idle (canceled or timed out before it started).
    int endedWithoutStarting() const { return m_endedWaiting; }
    // Targeted devices in an active phase (downloading … applying).
    int activeTargets() const { return m_active; }
    // Targeted devices in a final phase.
    int finalTargets() const { return m_final; }
    // Targeted devices whose execution is terminal and whose phase is not active: done for
    // the stop condition (a final device whose execution went back to QUEUED for a retry is not).
    int doneTargets() const { return m_done; }
    // The job will notify nobody any more: "CANCELED" or "COMPLETED" (or "PAUSED" by a
    // hawkBit error threshold, which waits for an operator the simulation does not have).
    bool jobEnded() const;

    // Engine index of a fleet's device; nullopt when not targeted.
    std::optional<std::uint32_t> engineIndex(const Fleet& fleet, std::size_t device) const;
    // Fills DeviceResult::execution / executionNumber of `devices` = fleet's appendResults()
    // output (one per campaign device, in device order); untargeted fleets stay untouched.
    void annotate(const Fleet& fleet, std::span<DeviceResult> devices) const;
    // engine.result(samples) with the resolved target names.
    RolloutResult result(std::vector<RolloutSample> samples) const;
    RolloutSample sample(double nowS) const { return m_engine->sample(nowS); }
    const rollout::RolloutEngine& engine() const { return *m_engine; }
    rollout::RolloutEngine& engine() { return *m_engine; }
    const QStringList& targets() const { return m_targetNames; }
    // When an abort criterion (or a hawkBit error threshold) stopped the job; for views.
    std::optional<double> abortedAtS() const { return m_abortedAtS; }

private:
    struct TargetFleet {
        Fleet* fleet = nullptr;
        std::uint32_t first = 0;  // engine index of its device 0
    };
    struct DeviceTrack {
        FleetPhase phase = FleetPhase::Idle;
        bool startReported = false;  // this execution's Started went to the engine
        bool endedWaiting = false;   // counted in m_endedWaiting
        bool done = false;           // counted in m_done
        bool stopping = false;       // stopped while active: its phases until it is no longer active are not reported
    };

    FleetRollout(Simulator& sim, std::unique_ptr<rollout::RolloutEngine> engine);
    void handleEvent(Simulator& sim, const Event& event) override;
    void reportPhase(std::uint32_t index, FleetPhase from, FleetPhase to);
    void take(std::vector<rollout::RolloutAction> actions);
    void flushStops();
    void applyPending();
    void applyRun(bool notify, const std::vector<std::uint32_t>& run);
    void scheduleApply();
    // Wake at engine.nextWakeS(); `advancedAt`: the engine was just advanced to that time,
    // so a wake at or before it moves on by kWakeNudge (no event loop at one instant).
    void rearmWake(std::optional<SimTime> advancedAt = std::nullopt);
    void noteStatus();
    void refresh(std::uint32_t index);
    double nowS() const;

    Simulator& m_sim;
    std::unique_ptr<rollout::RolloutEngine> m_engine;
    std::vector<TargetFleet> m_fleets;
    QStringList m_targetNames;
    std::vector<std::pair<Fleet*, std::size_t>> m_deviceOf;  // index = engine index
    std::vector<DeviceTrack> m_devices;                       // index = engine index
    std::vector<std::uint32_t> m_stops;                       // engine indices still to stop
    std::vector<std::uint32_t> m_notify;                      // engine indices still to release
    EventHandle m_wake;
    SimTime m_wakeAt;
    EventHandle m_apply;
    bool m_applying = false;
    QString m_status;                   // engine.jobStatus() at the last input
    std::optional<double> m_abortedAtS;
    int m_endedWaiting = 0;
    int m_done = 0;
    int m_active = 0;
    int m_final = 0;
    std::function<void()> m_changed;
};

} // namespace otalab::sim
