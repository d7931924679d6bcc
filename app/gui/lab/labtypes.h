// SPDX-License-Identifier: Apache-2.0
// Lab data contract: what the simulation worker hands the GUI panels.
//
// Threads: LabTopology is built once per run on the worker and then only read.
// LabSnapshot and LabHistoryDelta are produced on the simulation (worker) thread and
// handed over by value (queued signal) — the GUI thread never touches the Rollout.
// LabHistory lives on the GUI thread and accumulates every delta (none is dropped:
// the worker publishes at most ~30 times a second).
#pragma once

#include "sim/kernel/nodeid.h"
#include "sim/report/runresult.h"

#include <QColor>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace otalab::app {

// Display state of one node: the campaign phase (OtaDeviceProgress::Phase, machine
// sim::kOtaPhaseMachine) refined by the client's ImageUpgradeStatus (machine
// sim::kOtaStatusMachine). One palette for topology, timeline, inspector and charts.
enum class LabNodeState : std::uint8_t {
    NoClient,          // coordinator / server, or a router without an OTA client
    Waiting,           // client running, no download yet (periodic queries)
    Downloading,       // ImageUpgradeStatus DownloadInProgress
    WaitingToUpgrade,  // download complete, waiting for the upgrade time / countdown
    Upgraded,          // rebooted into the new version
    Failed,            // gave up after maxAttempts failed downloads
    Refused,           // the server refused (NOT_AUTHORIZED / no image for it)
};
inline constexpr int kLabNodeStateCount = 7;
QString labNodeStateName(LabNodeState state);
QColor labNodeStateColor(LabNodeState state);
// Derives the display state from phase (0..4) and ImageUpgradeStatus (0..6).
LabNodeState labNodeStateFrom(bool hasClient, std::uint8_t phase, std::uint8_t upgradeStatus);

// Static description of one node, from the scenario's topology (index == sim NodeId).
struct LabNodeInfo {
    sim::NodeId node = sim::kNoNode;
    std::uint16_t shortAddress = 0;
    QString role;             // "coordinator", "router", "end device"
    int parent = -1;          // index of the parent node, -1 for the coordinator
    double xM = 0, yM = 0;    // placement in metres
    bool hasClient = false;   // runs an OTA client (index into LabSnapshot::nodes all the same)
};

struct LabTopology {
    QString scenarioName;
    std::uint64_t seed = 0;
    std::uint32_t imageBytes = 0;   // size of the (first) OTA file clients download
    std::vector<LabNodeInfo> nodes;
};

// Dynamic status of one node at snapshot time.
struct LabNodeStatus {
    LabNodeState state = LabNodeState::NoClient;
    std::uint8_t upgradeStatus = 0;    // ZCL ImageUpgradeStatus attribute 0x0006
    std::uint32_t bytesReceived = 0;   // contiguous image bytes stored so far
    std::uint32_t fileVersion = 0;     // running version (attribute 0x0002)
    std::uint64_t blockRequests = 0;
    std::uint64_t retries = 0;
    double energyJ = 0;                // total since t = 0
    double updateEnergyJ = 0;          // since the download started
    double stateSinceS = 0;            // virtual time the current state began
};

// Published by the worker after each run slice (immutable once sent).
struct LabSnapshot {
    double timeS = 0;                  // virtual time
    double untilS = 0;                 // stop.until of the scenario
    std::uint64_t eventsExecuted = 0;
    double eventsPerSecond = 0;        // wall-clock rate over the last slices
    bool finished = false;
    QString stopReason;
    std::vector<LabNodeStatus> nodes;  // index == LabTopology::nodes index
    std::vector<sim::FleetSample> samples;  // all fleet samples so far (progress, channel utilisation)
    int upgraded = 0, downloading = 0, failed = 0, refused = 0, clients = 0;
};

// One band boundary for the timeline: node entered `state` at `timeS`.
struct LabTransition {
    double timeS = 0;
    sim::NodeId node = sim::kNoNode;
    LabNodeState state = LabNodeState::NoClient;
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
