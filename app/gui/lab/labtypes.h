// SPDX-License-Identifier: Apache-2.0
// Lab data contract: what the simulation worker hands the GUI panels.
//
// Threads: LabTopology is built once per run on the worker and then only read.
// LabSnapshot and LabHistoryDelta are produced on the simulation (worker) thread and
// handed over by value (queued signal) — the GUI thread never touches the Rollout.
// LabHistory lives on the GUI thread and accumulates every delta (none is dropped:
// the worker publishes at most ~30 times a second).
#pragma once

#include "sim/fleet/devicestatus.h"
#include "sim/fleet/machinedescription.h"
#include "sim/kernel/nodeid.h"
#include "sim/report/runresult.h"

#include <QColor>
#include <QJsonObject>
#include <QString>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace otalab::app {

// Display state of one node: its neutral campaign phase (sim::FleetPhase), whatever
// its family; Idle for nodes without a part in the campaign (coordinator, gateway,
// router without a client). One palette for topology, timeline, inspector and charts.
using LabNodeState = sim::FleetPhase;
inline constexpr int kLabNodeStateCount = sim::kFleetPhaseCount;
QString labNodeStateName(LabNodeState state);    // "Waiting to apply"
QColor labNodeStateColor(LabNodeState state);

// Static description of one node, from the scenario's topology (index == sim NodeId).
struct LabNodeInfo {
    sim::NodeId node = sim::kNoNode;
    QString name;             // "0x1A2B" (Zigbee short address), "board-0017", "gateway"
    QString role;             // "coordinator", "router", "end device", "board", "gateway"
    int fleet = 0;            // index into LabTopology::fleets
    int parent = -1;          // index of the node it hangs from (parent, gateway), -1 at a root
    double xM = 0, yM = 0;    // placement in metres
    bool hasClient = false;   // runs an OTA client (index into LabSnapshot::nodes all the same)
    std::vector<sim::RangeRing> ranges;  // coverage rings (metres, nearest first); empty for most nodes
};

// One fleet of the scenario as the lab shows it.
struct LabFleetInfo {
    QString name;
    QString family;                                // "zigbee", "smp"
    std::vector<sim::MachineDescription> machines; // drawn by the inspector, named by the event log
};

struct LabTopology {
    QString scenarioName;
    std::vector<LabFleetInfo> fleets;
    std::uint64_t seed = 0;
    std::uint32_t imageBytes = 0;   // size of the (first) image devices download
    std::vector<LabNodeInfo> nodes;
};

// Dynamic status of one node at snapshot time (compact: one per node, 64 k nodes fit).
struct LabNodeStatus {
    LabNodeState state = LabNodeState::Idle;
    std::uint32_t bytesReceived = 0;   // image bytes stored so far (kept after a failure)
    std::uint32_t bytesTotal = 0;      // image size it is getting (0 = not known)
    std::uint64_t requests = 0;        // image requests (blocks, chunks)
    std::uint64_t retries = 0;
    double energyJ = 0;                // total since t = 0
    double updateEnergyJ = 0;          // since the download started
    double stateSinceS = 0;            // virtual time the current state began
};

struct LabWatchedNode;

// Published by the worker after each run slice (immutable once sent).
struct LabSnapshot {
    double timeS = 0;                  // virtual time
    double untilS = 0;                 // stop.until of the scenario
    std::uint64_t eventsExecuted = 0;
    double eventsPerSecond = 0;        // wall-clock rate over the last slices
    bool finished = false;
    QString stopReason;
    std::vector<LabNodeStatus> nodes;  // index == LabTopology::nodes index
    std::shared_ptr<const LabWatchedNode> watched;  // the node set with LabSession::watchNode(), if any
    std::vector<sim::FleetSample> samples;  // all fleet samples so far (progress, channel utilisation)
    int upgraded = 0, downloading = 0, failed = 0, refused = 0, clients = 0;
    int waiting = 0, finishing = 0, rolledBack = 0;  // finishing: verifying, waiting to apply, applying
    // The rollout policy (scenario "rollout" section), when there is one (hasRollout):
    // sim::FleetRunSnapshot's fields, every rollout sample so far, and the abort reason
    // once an abort criterion (or a hawkBit pause) tripped.
    bool hasRollout = false;
    std::array<int, 8> executions{};        // devices per sim::rollout::ExecutionState
    QString jobStatus;                      // "IN_PROGRESS", "CANCELED", ...
    double ratePerMinute = 0;               // notification rate in force
    QString rolloutGroup;                   // group / phase / wave being rolled out
    std::optional<double> abortedAtS;
    QString abortReason;                    // "FAILED 5.2 % of 96 executions >= 5 % ...": empty until aborted
    std::vector<sim::RolloutSample> rolloutSamples;  // all so far, in time order
};

// One band boundary for the timeline: node entered `state` at `timeS`.
struct LabTransition {
    double timeS = 0;
    sim::NodeId node = sim::kNoNode;
    LabNodeState state = LabNodeState::Idle;
};

// One row of the event log (frames and state changes), compact: millions fit.
struct LabLogRow {
    enum class Kind : std::uint8_t { Frame, StateChange };
    std::int64_t timeNs = 0;
    Kind kind = Kind::Frame;
    std::uint8_t fate = 0;             // sim::FrameFate for frames
    std::uint16_t machine = 0;         // StateChange::machine
    sim::NodeId src = sim::kNoNode;    // frame source / state-change node
    sim::NodeId dst = sim::kNoNode;    // frame destination
    std::uint16_t from = 0, to = 0;    // state change values
    std::uint8_t length = 0;           // MPDU bytes
    std::uint8_t zclCommand = 0xFF;    // OTA cluster command id if the frame carries one, else 0xFF
    std::uint8_t macType = 0;          // 802.15.4 frame type
};

// Everything about the one node the inspector shows (the watched node), with the last
// frames and state changes that concerned it — kept per device on the worker, so the
// global event log's cap never hides them. A node that is no campaign device (a FUOTA
// server) is watched too when its family tells its status (sim::Fleet::nodeStatus()):
// then only status.machineStates and status.attributes mean something.
struct LabWatchedNode {
    sim::NodeId node = sim::kNoNode;
    bool campaignDevice = true;        // false: a server / gateway described by Fleet::nodeStatus()
    sim::DeviceStatus status;          // family attributes, machine states, failure reason, pieces held
    std::vector<LabLogRow> recent;  // oldest first, at most LabRecorder::kRecentPerNode
    QString execution;                 // its job execution state under a rollout ("IN_PROGRESS"); empty without one
    int executionNumber = 0;           // 1 + retries; 0 until notified or without a rollout
};

// What the recorder collected since the previous hand-over.
struct LabHistoryDelta {
    std::vector<LabTransition> transitions;
    std::vector<LabLogRow> logRows;
};

// A finished run kept for comparison.
struct LabRunRecord {
    QString label;                     // "campus seed 1000 #2"
    sim::RunResult result;
    QJsonObject scenario;              // the scenario file's JSON the run was built from (empty if unknown)
};

} // namespace otalab::app
