// SPDX-License-Identifier: Apache-2.0
// DeviceInspectorController: what the device inspector shows about one node, as a view model.
#pragma once

#include "lab/labtypes.h"

#include <QHash>

#include <memory>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace otalab::app {

class LabHistory;

// A labelled value, as shown in the inspector's field grids.
struct InspectorField {
    QString label;
    QString value;
};

// One state change of the inspected node, ready for the transition list and diagram.
struct InspectorTransition {
    double timeS = 0;           // virtual seconds
    LabNodeState from = LabNodeState::Idle;  // NoClient for the first (start) entry
    LabNodeState to = LabNodeState::Idle;
};

// Everything the panel draws; rebuilt by the controller on every input change.
struct DeviceInspectorModel {
    bool hasNode = false;               // false: show `placeholder`
    QString placeholder;
    sim::NodeId node = sim::kNoNode;
    QString title;                      // "0x0012 · end device"
    QString selectionNote;              // "3 devices selected; showing the first." or empty
    bool hasClient = false;
    LabNodeState state = LabNodeState::Idle;
    std::vector<InspectorField> identity;
    std::vector<InspectorField> attributes;  // the family's attributes (Zigbee: cluster 0x0019; SMP: slots)
    QString attributesTitle;                 // "Zigbee OTA client (cluster 0x0019)", "SMP board"
    QString failureReason;                   // words; empty unless failed / refused / rolled back
    std::optional<double> failedAtS;         // when it entered that phase
    std::vector<QString> recent;             // its last frames and state changes, oldest first ("12.5 s  0x0001 → 0x0003 Image Block Response")
    // Campaign phase first (devices only), then the family's machines the node runs: those its
    // status names (all of the fleet's while it names none or is not known yet).
    std::vector<sim::MachineDescription> machines;
    bool campaignFirst = false;              // machines[0] is the campaign phase (its taken edges come from `transitions`)
    std::vector<int> machineState;           // per machine: current state index, -1 unknown
    std::vector<std::vector<std::pair<int, int>>> machineTaken;  // per machine: edges seen
    bool showsMachines = false;              // a campaign device, or a node whose family tells its machines (a FUOTA server)
    std::vector<InspectorField> progress;    // download, retries, energy, time in state
    sim::PieceMap pieces;                    // which pieces it holds, when the family tells (else the block bar)
    std::uint32_t bytesReceived = 0;
    std::uint32_t imageBytes = 0;
    int blockBytes = 0;                 // image data per block (bytes, > 0)
    int blocksReceived = 0, blocksTotal = 0;
    std::vector<InspectorTransition> transitions;  // time-ordered
    std::optional<double> focusTimeS;             // LabSelection::focusTimeS
    std::optional<LabNodeState> focusState;       // state at focusTimeS (from history)

    // Value of the field labelled `label` in any group; empty when absent.
    QString value(const QString& label) const;
};

// GUI thread only; no Qt widgets, so tests drive it without a window. Inputs come
// from the panel (LabSession / LabSelection signals) or from tests directly; every
// setter rebuilds model(). Odd input (node out of range, empty snapshot, no history)
// gives a placeholder or blank fields, never a crash.
class DeviceInspectorController {
public:
    static constexpr int kDefaultBlockBytes = 50;

    void setTopology(const LabTopology& topology);
    void setSnapshot(const LabSnapshot& snapshot);
    // The history is read (not copied) at each rebuild; it must outlive the controller
    // or be replaced/cleared (nullptr) before it dies.
    void setHistory(const LabHistory* history);
    // `count` = how many nodes are selected (the inspector shows `node`, the first).
    void setNode(sim::NodeId node, std::size_t count = 1);
    void setFocusTime(std::optional<double> timeS);
    // Image data per request (Zigbee: min of the client's maxDataSize and the server's
    // maxBlockDataSize); `perDevice` overrides by device name ("0x0012").
    void setBlockBytes(int bytes, QHash<QString, int> perDevice = {});

    const DeviceInspectorModel& model() const { return m_model; }
    sim::NodeId node() const { return m_node; }

private:
    void rebuild();
    const LabNodeStatus* status() const;

    LabTopology m_topology;
    double m_timeS = 0;                       // snapshot's virtual time
    bool m_haveSnapshot = false;
    std::vector<LabNodeStatus> m_statuses;    // snapshot's per-node status (samples not kept)
    const LabHistory* m_history = nullptr;
    sim::NodeId m_node = sim::kNoNode;
    std::size_t m_selectedCount = 0;
    std::optional<double> m_focusTimeS;
    int m_blockBytes = kDefaultBlockBytes;
    QHash<QString, int> m_blockBytesByDevice;
    std::shared_ptr<const LabWatchedNode> m_watched;
    DeviceInspectorModel m_model;
};

// "1.23 J", "45.6 mJ": energy with three significant digits.
QString formatEnergy(double joules);

} // namespace otalab::app
