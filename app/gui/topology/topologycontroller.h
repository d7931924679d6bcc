// SPDX-License-Identifier: Apache-2.0
// TopologyController: the topology view's model — placement, displayed states, selection, search.
#pragma once

#include "lab/labtypes.h"
#include "topology/spatialgrid.h"

#include <QHash>
#include <QLineF>
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QStringList>

#include <array>
#include <optional>
#include <vector>

namespace otalab::app {

// How a node is drawn: coordinator (or server) square, router diamond, end device circle,
// gateway triangle (the largest; named on the map).
enum class TopologyNodeKind : std::uint8_t { Coordinator, Router, EndDevice, Gateway };
inline constexpr int kTopologyNodeKindCount = 4;

// GUI thread only. Holds a copy of the topology's placement (metres → scene units,
// y pointing down), a spatial index for hit testing, and the state each node shows.
// update() is O(nodes) and is meant to run at most ~30 times a second (the panel
// coalesces); painting reads the arrays directly and never allocates per node.
// Unknown node ids (out of range, kNoNode) answer NoClient / nothing; never crash.
class TopologyController final : public QObject {
    Q_OBJECT
public:
    static constexpr double kSceneUnitsPerMetre = 10.0;
    // Links to a parent with more children than this are not drawn (a hub's spokes).
    static constexpr std::uint32_t kMaxDrawnChildren = 256;

    explicit TopologyController(QObject* parent = nullptr);

    // Replaces the placement; states start as Waiting (clients) / NoClient; clears
    // selection highlight and activity. Emits topologyReset().
    void setTopology(const LabTopology& topology);
    // Takes the displayed state of every node from `snapshot` (missing entries keep
    // their state). With `animate`, nodes whose bytesReceived grew since the previous
    // snapshot become activeNodes() (radio halo); without, activity is cleared.
    // Emits statesChanged() only when a state or the activity set changed; changedNodes()
    // then names the nodes whose marker or halo must be redrawn.
    void update(const LabSnapshot& snapshot, bool animate);
    // Drops the radio halos (the panel calls it shortly after the last activity).
    void clearActivity();
    // Nodes to highlight (LabSelection::nodes()); ids out of range are ignored.
    void setSelectedNodes(const std::vector<sim::NodeId>& nodes);

    std::size_t nodeCount() const { return m_positions.size(); }
    const LabTopology& topology() const { return m_topology; }
    LabNodeState displayedState(sim::NodeId node) const;
    int countIn(LabNodeState state) const { return m_counts[std::size_t(state)]; }
    TopologyNodeKind kind(sim::NodeId node) const;
    QPointF scenePos(sim::NodeId node) const;
    // Bounding box of all node centres (scene units); empty for an empty topology.
    QRectF sceneBounds() const { return m_grid.bounds(); }
    // Typical distance between neighbouring nodes (scene units, > 0): sets marker sizes.
    double typicalSpacing() const { return m_spacing; }
    // Nodes with coverage rings (LabNodeInfo::ranges), ascending: painting walks only these.
    const std::vector<sim::NodeId>& ringNodes() const { return m_ringNodes; }
    // Bounding box of every coverage ring (scene units); null when no node has rings.
    QRectF coverageBounds() const { return m_coverageBounds; }
    // "coverage (SF7…SF12)": the legend entry of the rings (the labels of the first ringed
    // node's nearest and farthest ring); empty when no node has rings.
    QString coverageLegend() const { return m_coverageLegend; }
    // Gateways and coordinators/servers, named on the map at every zoom; with more than
    // kMaxLandmarks the coordinators/servers only, and none when they alone are more.
    static constexpr std::size_t kMaxLandmarks = 64;
    const std::vector<sim::NodeId>& landmarkNodes() const { return m_landmarks; }
    // The roles drawn with `kind`'s shape, in order of first appearance ("gateway"); empty
    // when no node has that shape (the legend lists only the shapes present).
    QStringList rolesOf(TopologyNodeKind kind) const { return m_kindRoles[std::size_t(kind)]; }

    // Nodes whose centre lies inside `sceneRect`, ascending.
    std::vector<sim::NodeId> nodesInRect(const QRectF& sceneRect) const;
    // Node nearest to `scenePoint` within `radius` scene units.
    std::optional<sim::NodeId> nodeAt(QPointF scenePoint, double radius) const;
    // "0x1234" or "1234" → short address (hex); "#12" → node index 12 (decimal). A bare
    // number that is no known address but a valid decimal index falls back to the index.
    std::optional<sim::NodeId> findByAddress(const QString& text) const;
    // "0x0012 end device (node 18), Downloading" — for tooltips and messages.
    QString describe(sim::NodeId node) const;

    // Paint helpers (read-only views of the internal arrays).
    const SpatialGrid& grid() const { return m_grid; }
    const std::vector<LabNodeState>& states() const { return m_states; }
    const std::vector<TopologyNodeKind>& kinds() const { return m_kinds; }
    const std::vector<QPointF>& positions() const { return m_positions; }
    const std::vector<QLineF>& links() const { return m_links; }
    const std::vector<sim::NodeId>& activeNodes() const { return m_active; }
    const std::vector<sim::NodeId>& selectedNodes() const { return m_selected; }
    bool isSelected(sim::NodeId node) const;
    // Nodes whose displayed state or halo changed in the last update()/clearActivity()
    // (ascending), valid while handling statesChanged(). allChanged(): everything must
    // be redrawn (a new topology).
    const std::vector<sim::NodeId>& changedNodes() const { return m_changed; }
    bool allChanged() const { return m_allChanged; }

Q_SIGNALS:
    void topologyReset();
    void statesChanged();
    void selectionHighlightChanged();

private:
    void recount();

    LabTopology m_topology;
    std::vector<QPointF> m_positions;
    std::vector<TopologyNodeKind> m_kinds;
    std::vector<LabNodeState> m_states;
    std::vector<std::uint32_t> m_lastBytes;
    std::vector<QLineF> m_links;
    std::vector<sim::NodeId> m_active;
    std::vector<sim::NodeId> m_selected;
    std::vector<sim::NodeId> m_changed;
    bool m_allChanged = true;
    std::vector<bool> m_selectedFlags;
    QHash<QString, sim::NodeId> m_byAddress;  // lower-case node name → node
    std::array<int, kLabNodeStateCount> m_counts{};
    SpatialGrid m_grid;
    double m_spacing = 1;
    std::vector<sim::NodeId> m_ringNodes;
    QRectF m_coverageBounds;
    QString m_coverageLegend;
    std::vector<sim::NodeId> m_landmarks;
    std::array<QStringList, kTopologyNodeKindCount> m_kindRoles;
};

} // namespace otalab::app
