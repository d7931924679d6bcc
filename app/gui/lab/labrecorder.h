// SPDX-License-Identifier: Apache-2.0
// LabRecorder: the simulation-thread observer that turns kernel records into lab history.
#pragma once

#include "lab/labtypes.h"
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

// Attached with Rollout::addObserver() before the first run; every callback on the
// simulation thread. Tracks each node's (phase, ImageUpgradeStatus) from the state
// changes of machines sim::kOtaPhaseMachine / sim::kOtaStatusMachine, appends a
// LabTransition whenever the derived LabNodeState changes (plus a Waiting transition
// at t = 0 for every client) and a LabLogRow for those state changes and for OTA
// frames that were Transmitted, Lost or Collided. MAC ACKs, polls and other frames
// are logged only with setLogAllFrames(true). Cost per frame: a few byte compares.
class LabRecorder final : public sim::SimObserver {
public:
    // hasClient[node] (index == NodeId): the node runs an OTA client.
    explicit LabRecorder(std::vector<bool> hasClient);

    void setLogAllFrames(bool on) { m_logAllFrames = on; }
    // Moves everything collected since the last call into `delta` (appends).
    void takeDelta(LabHistoryDelta& delta);

    std::size_t nodeCount() const { return m_nodes.size(); }
    LabNodeState state(sim::NodeId node) const { return m_nodes[node].state; }
    std::uint8_t upgradeStatus(sim::NodeId node) const { return m_nodes[node].status; }
    double stateSinceS(sim::NodeId node) const { return m_nodes[node].sinceS; }

    void onStateChange(const sim::StateChange& change) override;
    void onFrame(const sim::FrameRecord& frame) override;

private:
    struct NodeTrack {
        bool hasClient = false;
        std::uint8_t phase = 0;
        std::uint8_t status = 0;
        LabNodeState state = LabNodeState::NoClient;
        double sinceS = 0;
    };

    std::vector<NodeTrack> m_nodes;
    std::vector<LabTransition> m_transitions;
    std::vector<LabLogRow> m_rows;
    bool m_logAllFrames = false;
};

} // namespace otalab::app
