// SPDX-License-Identifier: Apache-2.0
// LabRecorder: the simulation-thread observer that turns kernel records into lab history.
#pragma once

#include "lab/labtypes.h"
#include "sim/fleet/fleetrun.h"
#include "sim/kernel/simobserver.h"

#include <cstdint>
#include <span>
#include <vector>

namespace otalab::app {

// What the lab shows of one MPDU, decoded without allocation (bounds-checked):
// MAC header (9 octets for the data/command frames this model writes) | NWK header (8) |
// APS header (8) | ZCL frame control (1) [| manufacturer code (2)] | sequence (1) | command (1).
struct LabFrameInfo {
    std::uint8_t macType = 0;          // 802.15.4 frame type (0 beacon, 1 data, 2 ACK, 3 command)
    bool dataRequest = false;          // MAC command 0x04 (a sleepy end device's poll)
    bool ota = false;                  // NWK data + APS data frame for cluster 0x0019
    std::uint8_t zclCommand = 0xFF;    // OTA cluster command id when `ota`
};
LabFrameInfo classifyLabFrame(std::span<const std::uint8_t> mpdu);

// Attached with FleetRun::addObserver() before the first run; every callback on the
// simulation thread. Keeps each node's display state from the FleetRun's neutral
// phase transitions (applyTransitions(), after each slice) and a LabLogRow for the
// state changes of the machines the fleets describe and for OTA frames that were
// Transmitted, Lost or Collided; MAC ACKs, polls and other frames only with
// setLogAllFrames(true). Besides the global rows (which the GUI caps), the last
// kRecentPerNode rows that concern each campaign device are kept per device, so the
// inspector shows them however long the run. Cost per frame: a few byte compares.
class LabRecorder final : public sim::SimObserver {
public:
    static constexpr std::size_t kRecentPerNode = 24;

    // initial[node] (index == NodeId): the node's state at t = 0 (Idle: no campaign part);
    // `machines`: the StateChange machine ids worth logging; `alsoKeepRecent`: nodes
    // without a campaign part whose last rows are kept too (a FUOTA server the inspector
    // can show, sim::Fleet::nodeStatus()).
    LabRecorder(std::vector<LabNodeState> initial, std::vector<std::uint16_t> machines,
                const std::vector<sim::NodeId>& alsoKeepRecent = {});

    void setLogAllFrames(bool on) { m_logAllFrames = on; }
    // Moves everything collected since the last call into `delta` (appends).
    void takeDelta(LabHistoryDelta& delta);
    void applyTransitions(const std::vector<sim::PhaseTransition>& transitions);

    std::size_t nodeCount() const { return m_nodes.size(); }
    LabNodeState state(sim::NodeId node) const { return m_nodes[node].state; }
    double stateSinceS(sim::NodeId node) const { return m_nodes[node].sinceS; }
    // The node's last rows, oldest first (empty for nodes without a campaign part, unless kept).
    std::vector<LabLogRow> recent(sim::NodeId node) const;

    void onStateChange(const sim::StateChange& change) override;
    void onFrame(const sim::FrameRecord& frame) override;

private:
    struct NodeTrack {
        LabNodeState state = LabNodeState::Idle;
        double sinceS = 0;
        std::uint32_t ring = UINT32_MAX;   // index of its ring in m_recent, UINT32_MAX: none
        std::uint32_t written = 0;         // rows ever written to the ring
    };
    void remember(sim::NodeId node, const LabLogRow& row);

    std::vector<NodeTrack> m_nodes;
    std::vector<LabLogRow> m_recent;        // kRecentPerNode rows per campaign device
    std::vector<std::uint16_t> m_machines;  // sorted
    std::vector<LabTransition> m_transitions;
    std::vector<LabLogRow> m_rows;
    bool m_logAllFrames = false;
};

} // namespace otalab::app
