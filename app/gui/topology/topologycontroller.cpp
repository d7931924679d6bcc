// SPDX-License-Identifier: Apache-2.0
#include "topology/topologycontroller.h"

#include <algorithm>
#include <iterator>
#include <cmath>

namespace otalab::app {

namespace {

TopologyNodeKind kindOf(const LabNodeInfo& info, std::size_t index)
{
    const QString role = info.role.toLower();
    if (role.startsWith(QLatin1String("coord")) || (role.isEmpty() && index == 0))
        return TopologyNodeKind::Coordinator;
    if (role.startsWith(QLatin1String("router")))
        return TopologyNodeKind::Router;
    if (role.contains(QLatin1String("gateway")))
        return TopologyNodeKind::Gateway;
    if (role.contains(QLatin1String("server")))
        return TopologyNodeKind::Coordinator;
    return TopologyNodeKind::EndDevice;
}

} // namespace

TopologyController::TopologyController(QObject* parent) : QObject(parent) {}

void TopologyController::setTopology(const LabTopology& topology)
{
    m_topology = topology;
    const std::size_t n = topology.nodes.size();
    m_positions.resize(n);
    m_kinds.resize(n);
    m_states.resize(n);
    m_lastBytes.assign(n, 0);
    m_byAddress.clear();
    m_byAddress.reserve(qsizetype(n));
    for (std::size_t i = 0; i < n; ++i) {
        const LabNodeInfo& info = topology.nodes[i];
        const double x = std::isfinite(info.xM) ? info.xM : 0.0;
        const double y = std::isfinite(info.yM) ? info.yM : 0.0;
        // Scene y grows downwards; keep the scenario's "y up" orientation.
        m_positions[i] = QPointF(x * kSceneUnitsPerMetre, -y * kSceneUnitsPerMetre);
        m_kinds[i] = kindOf(info, i);
        m_states[i] = info.hasClient ? LabNodeState::Waiting : LabNodeState::Idle;
        if (!m_byAddress.contains(info.name.toLower()))
            m_byAddress.insert(info.name.toLower(), sim::NodeId(i));
    }
    // Coverage rings, and the shapes' roles for the legend.
    m_ringNodes.clear();
    m_coverageBounds = QRectF();
    m_coverageLegend.clear();
    m_landmarks.clear();
    for (QStringList& roles : m_kindRoles)
        roles.clear();
    for (std::size_t i = 0; i < n; ++i) {
        const LabNodeInfo& info = topology.nodes[i];
        QStringList& roles = m_kindRoles[std::size_t(m_kinds[i])];
        QString role = info.role.isEmpty() ? QStringLiteral("device") : info.role;
        role.replace(QLatin1Char('-'), QLatin1Char(' '));  // "end-device" reads "end device" in the legend
        if (roles.size() < 3 && !roles.contains(role))
            roles << role;
        if (m_kinds[i] == TopologyNodeKind::Gateway || m_kinds[i] == TopologyNodeKind::Coordinator)
            m_landmarks.push_back(sim::NodeId(i));
        double reach = 0;
        for (const sim::RangeRing& ring : info.ranges)
            if (std::isfinite(ring.radiusM))
                reach = std::max(reach, ring.radiusM * kSceneUnitsPerMetre);
        if (reach <= 0)
            continue;
        m_ringNodes.push_back(sim::NodeId(i));
        const QRectF box(m_positions[i].x() - reach, m_positions[i].y() - reach, 2 * reach, 2 * reach);
        m_coverageBounds = m_coverageBounds.isNull() ? box : m_coverageBounds.united(box);
        if (m_coverageLegend.isEmpty()) {
            const QString nearest = info.ranges.front().label, farthest = info.ranges.back().label;
            m_coverageLegend = nearest.isEmpty() ? tr("coverage")
                               : info.ranges.size() == 1 || farthest == nearest
                                   ? tr("coverage (%1)").arg(nearest)
                                   : tr("coverage (%1\u2026%2)").arg(nearest, farthest);
        }
    }
    if (m_landmarks.size() > kMaxLandmarks)  // too many to name: keep the coordinators / servers only
        std::erase_if(m_landmarks, [&](sim::NodeId id) { return m_kinds[id] != TopologyNodeKind::Coordinator; });
    if (m_landmarks.size() > kMaxLandmarks)
        m_landmarks.clear();

    // Links to the parent; none to a node with coverage rings (a gateway's star is what
    // its rings show) nor to a hub of more than kMaxDrawnChildren (100,000 spokes would
    // hide the map and cost more than every marker).
    std::vector<std::uint32_t> children(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const int parent = topology.nodes[i].parent;
        if (parent >= 0 && std::size_t(parent) < n && std::size_t(parent) != i)
            ++children[std::size_t(parent)];
    }
    m_links.clear();
    m_links.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const int parent = topology.nodes[i].parent;
        if (parent >= 0 && std::size_t(parent) < n && std::size_t(parent) != i
            && topology.nodes[std::size_t(parent)].ranges.empty() && children[std::size_t(parent)] <= kMaxDrawnChildren)
            m_links.emplace_back(m_positions[std::size_t(parent)], m_positions[i]);
    }
    m_grid.build(m_positions);

    // Typical spacing: the median parent-link length is the natural neighbour distance
    // of a tree; without links for most nodes (a star around gateways that have rings,
    // whose few backhaul links span kilometres), or when links are much longer than the
    // nodes' mean spacing (spokes of a star), the mean area per node.
    const QRectF b = m_grid.bounds();
    const double areaSpacing = n > 1 ? std::sqrt(std::max(b.width() * b.height(), 1.0) / double(n)) : kSceneUnitsPerMetre;
    std::vector<double> lengths;
    lengths.reserve(m_links.size());
    for (const QLineF& l : m_links)
        if (l.length() > 0)
            lengths.push_back(l.length());
    m_spacing = areaSpacing;
    if (!lengths.empty() && lengths.size() * 2 >= n) {
        std::nth_element(lengths.begin(), lengths.begin() + std::ptrdiff_t(lengths.size() / 2), lengths.end());
        if (lengths[lengths.size() / 2] <= 3 * areaSpacing)
            m_spacing = lengths[lengths.size() / 2];
    }
    if (!(m_spacing > 0))
        m_spacing = kSceneUnitsPerMetre;

    m_active.clear();
    m_selected.clear();
    m_selectedFlags.assign(n, false);
    m_changed.clear();
    m_allChanged = true;
    recount();
    Q_EMIT topologyReset();
}

void TopologyController::update(const LabSnapshot& snapshot, bool animate)
{
    const std::size_t n = std::min(m_states.size(), snapshot.nodes.size());
    m_changed.clear();
    m_allChanged = false;
    std::vector<sim::NodeId> active;
    for (std::size_t i = 0; i < n; ++i) {
        const LabNodeStatus& s = snapshot.nodes[i];
        if (m_states[i] != s.state) {
            const auto before = std::size_t(m_states[i]);
            const auto after = std::size_t(s.state);
            if (before < m_counts.size())
                --m_counts[before];
            if (after < m_counts.size())
                ++m_counts[after];
            m_states[i] = s.state;
            m_changed.push_back(sim::NodeId(i));
        }
        if (animate && s.bytesReceived > m_lastBytes[i])
            active.push_back(sim::NodeId(i));
        m_lastBytes[i] = s.bytesReceived;
    }
    const bool activityChanged = active != m_active;
    if (activityChanged) {
        // Halos that appear or vanish must be repainted too (both lists are ascending).
        std::vector<sim::NodeId> toggled;
        std::set_symmetric_difference(active.begin(), active.end(), m_active.begin(), m_active.end(),
                                      std::back_inserter(toggled));
        std::vector<sim::NodeId> merged;
        merged.reserve(m_changed.size() + toggled.size());
        std::set_union(m_changed.begin(), m_changed.end(), toggled.begin(), toggled.end(), std::back_inserter(merged));
        m_changed = std::move(merged);
        m_active = std::move(active);
    }
    if (!m_changed.empty() || activityChanged)
        Q_EMIT statesChanged();
}

void TopologyController::clearActivity()
{
    if (m_active.empty())
        return;
    m_changed = std::move(m_active);
    m_allChanged = false;
    m_active.clear();
    Q_EMIT statesChanged();
}

void TopologyController::setSelectedNodes(const std::vector<sim::NodeId>& nodes)
{
    std::vector<sim::NodeId> valid;
    valid.reserve(nodes.size());
    for (sim::NodeId id : nodes)
        if (id < m_positions.size())
            valid.push_back(id);
    if (valid == m_selected)
        return;
    for (sim::NodeId id : m_selected)
        m_selectedFlags[id] = false;
    m_selected = std::move(valid);
    for (sim::NodeId id : m_selected)
        m_selectedFlags[id] = true;
    Q_EMIT selectionHighlightChanged();
}

bool TopologyController::isSelected(sim::NodeId node) const
{
    return node < m_selectedFlags.size() && m_selectedFlags[node];
}

LabNodeState TopologyController::displayedState(sim::NodeId node) const
{
    return node < m_states.size() ? m_states[node] : LabNodeState::Idle;
}

TopologyNodeKind TopologyController::kind(sim::NodeId node) const
{
    return node < m_kinds.size() ? m_kinds[node] : TopologyNodeKind::EndDevice;
}

QPointF TopologyController::scenePos(sim::NodeId node) const
{
    return node < m_positions.size() ? m_positions[node] : QPointF();
}

std::vector<sim::NodeId> TopologyController::nodesInRect(const QRectF& sceneRect) const
{
    const std::vector<std::uint32_t> ids = m_grid.pointsIn(sceneRect);
    return std::vector<sim::NodeId>(ids.begin(), ids.end());
}

std::optional<sim::NodeId> TopologyController::nodeAt(QPointF scenePoint, double radius) const
{
    const std::optional<std::uint32_t> id = m_grid.nearest(scenePoint, radius);
    if (!id)
        return std::nullopt;
    return sim::NodeId(*id);
}

std::optional<sim::NodeId> TopologyController::findByAddress(const QString& text) const
{
    QString t = text.trimmed();
    if (t.isEmpty() || m_positions.empty())
        return std::nullopt;
    bool ok = false;
    if (t.startsWith(QLatin1Char('#'))) {
        const qulonglong index = t.mid(1).trimmed().toULongLong(&ok, 10);
        if (ok && index < m_positions.size())
            return sim::NodeId(index);
        return std::nullopt;
    }
    if (const auto named = m_byAddress.constFind(t.toLower()); named != m_byAddress.constEnd())
        return *named;
    const bool explicitHex = t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive);
    const QString digits = explicitHex ? t.mid(2) : t;
    const uint address = digits.toUInt(&ok, 16);
    if (ok && address <= 0xFFFF) {
        const auto it = m_byAddress.constFind(QStringLiteral("0x%1").arg(address, 4, 16, QLatin1Char('0')));
        if (it != m_byAddress.constEnd())
            return *it;
    }
    if (!explicitHex) {
        const qulonglong index = t.toULongLong(&ok, 10);
        if (ok && index < m_positions.size())
            return sim::NodeId(index);
    }
    return std::nullopt;
}

QString TopologyController::describe(sim::NodeId node) const
{
    if (node >= m_topology.nodes.size())
        return {};
    const LabNodeInfo& info = m_topology.nodes[node];
    return QStringLiteral("%1 %2 (node %3), %4")
        .arg(info.name)
        .arg(info.role.isEmpty() ? QStringLiteral("device") : info.role)
        .arg(node)
        .arg(labNodeStateName(m_states[node]));
}

void TopologyController::recount()
{
    m_counts.fill(0);
    for (LabNodeState s : m_states) {
        const auto k = std::size_t(s);
        if (k < m_counts.size())
            ++m_counts[k];
    }
}

} // namespace otalab::app
