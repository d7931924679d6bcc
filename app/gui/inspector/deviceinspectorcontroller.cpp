// SPDX-License-Identifier: Apache-2.0
#include "inspector/deviceinspectorcontroller.h"

#include "eventlog/eventlogformat.h"
#include "inspector/piececounts.h"
#include "inspector/statemachinediagram.h"
#include "lab/labhistory.h"
#include "sim/report/fleetsummary.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace otalab::app {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("DeviceInspector", text); }

QString count(std::uint64_t n) { return QLocale().toString(qulonglong(n)); }

} // namespace

QString formatEnergy(double joules)
{
    if (!std::isfinite(joules))
        return QStringLiteral("—");
    const double a = std::abs(joules);
    if (a != 0 && a < 1e-3)
        return QStringLiteral("%1 µJ").arg(QLocale().toString(joules * 1e6, 'g', 3));
    if (a != 0 && a < 1)
        return QStringLiteral("%1 mJ").arg(QLocale().toString(joules * 1e3, 'g', 3));
    return QStringLiteral("%1 J").arg(QLocale().toString(joules, a >= 1000 ? 'f' : 'g', a >= 1000 ? 0 : 3));
}

QString DeviceInspectorModel::value(const QString& label) const
{
    for (const auto* group : {&identity, &attributes, &progress})
        for (const InspectorField& f : *group)
            if (f.label == label)
                return f.value;
    return {};
}

void DeviceInspectorController::setTopology(const LabTopology& topology)
{
    m_topology = topology;
    m_statuses.clear();
    m_haveSnapshot = false;
    m_timeS = 0;
    rebuild();
}

void DeviceInspectorController::setSnapshot(const LabSnapshot& snapshot)
{
    m_timeS = snapshot.timeS;
    m_statuses.assign(snapshot.nodes.begin(), snapshot.nodes.end());
    m_watched = snapshot.watched;
    m_haveSnapshot = true;
    rebuild();
}

void DeviceInspectorController::setHistory(const LabHistory* history)
{
    m_history = history;
    rebuild();
}

void DeviceInspectorController::setNode(sim::NodeId node, std::size_t count)
{
    m_node = node;
    m_selectedCount = node == sim::kNoNode ? 0 : std::max<std::size_t>(count, 1);
    rebuild();
}

void DeviceInspectorController::setFocusTime(std::optional<double> timeS)
{
    m_focusTimeS = timeS;
    rebuild();
}

void DeviceInspectorController::setBlockBytes(int bytes, QHash<QString, int> perDevice)
{
    m_blockBytes = bytes > 0 ? bytes : kDefaultBlockBytes;
    m_blockBytesByDevice = std::move(perDevice);
    rebuild();
}

const LabNodeStatus* DeviceInspectorController::status() const
{
    return m_node < m_statuses.size() ? &m_statuses[m_node] : nullptr;
}

void DeviceInspectorController::rebuild()
{
    DeviceInspectorModel m;
    m.focusTimeS = m_focusTimeS;
    if (m_node == sim::kNoNode) {
        m.placeholder = m_topology.nodes.empty()
                            ? tr("Open or run a scenario, then click a device in the topology or timeline.")
                            : tr("Click a device in the topology or timeline to inspect it.");
        m_model = std::move(m);
        return;
    }
    if (m_node >= m_topology.nodes.size()) {
        m.placeholder = tr("Node %1 is not part of this topology (it has %2 nodes).")
                            .arg(m_node)
                            .arg(m_topology.nodes.size());
        m_model = std::move(m);
        return;
    }
    const LabNodeInfo& info = m_topology.nodes[m_node];
    const LabNodeStatus* st = status();
    const LabNodeStatus none{};
    const LabNodeStatus& s = st ? *st : none;
    m.hasNode = true;
    m.node = m_node;
    m.hasClient = info.hasClient;
    m.state = st ? s.state : (info.hasClient ? LabNodeState::Waiting : LabNodeState::Idle);
    m.title = QStringLiteral("%1 · %2").arg(info.name, info.role.isEmpty() ? tr("device") : info.role);
    const LabFleetInfo* fleet = std::size_t(info.fleet) < m_topology.fleets.size() ? &m_topology.fleets[std::size_t(info.fleet)] : nullptr;
    const sim::DeviceStatus* detail = m_watched && m_watched->node == m_node ? &m_watched->status : nullptr;
    if (m_selectedCount > 1)
        m.selectionNote = tr("%1 devices selected; showing the first.").arg(m_selectedCount);

    // Identity.
    QString parent = tr("— (network root)");
    if (info.parent >= 0 && std::size_t(info.parent) < m_topology.nodes.size())
        parent = tr("%1 (node %2, %3)")
                     .arg(m_topology.nodes[std::size_t(info.parent)].name)
                     .arg(info.parent)
                     .arg(m_topology.nodes[std::size_t(info.parent)].role);
    m.identity = {
        {tr("Name"), info.name},
        {tr("Node index"), QString::number(m_node)},
        {tr("Fleet"), fleet ? QStringLiteral("%1 (%2)").arg(fleet->name, fleet->family) : QStringLiteral("—")},
        {tr("Role"), info.role.isEmpty() ? tr("device") : info.role},
        {tr("Parent"), parent},
        {tr("Position"), QStringLiteral("(%1 m, %2 m)").arg(info.xM, 0, 'f', 1).arg(info.yM, 0, 'f', 1)},
    };

    m.attributesTitle = fleet ? tr("%1 device").arg(fleet->family) : tr("Device");
    if (!info.hasClient && detail) {
        // A server or gateway its family describes (sim::Fleet::nodeStatus()).
        m.attributesTitle = fleet ? tr("%1 %2").arg(fleet->family, info.role.isEmpty() ? tr("node") : info.role) : tr("Node");
        for (const sim::NamedValue& a : detail->attributes)
            m.attributes.push_back({a.name, a.value});
        if (m.attributes.empty())
            m.attributes = {{tr("OTA role"), tr("serves the campaign (no image of its own)")}};
    } else if (!info.hasClient) {
        m.attributes = {{tr("OTA role"), tr("none (this node serves, relays or connects only)")}};
    } else if (detail) {
        for (const sim::NamedValue& a : detail->attributes)
            m.attributes.push_back({a.name, a.value});
        m.attributes.push_back({tr("Campaign phase"), labNodeStateName(m.state)});
        if (!m_watched->execution.isEmpty())  // under a rollout policy: its job execution
            m.attributes.push_back({tr("Job execution"), m_watched->executionNumber > 0
                                                             ? tr("%1 (execution number %2)").arg(m_watched->execution).arg(m_watched->executionNumber)
                                                             : tr("%1 (not notified yet)").arg(m_watched->execution)});
        if (!detail->version.isEmpty())
            m.attributes.push_back({tr("Running version"), detail->version});
        m.failureReason = detail->failureReason;
        m.failedAtS = detail->failedAtS;
    } else {
        m.attributes = {{tr("Campaign phase"), labNodeStateName(m.state)}};
    }

    // Machines: the campaign phase (devices), then the family's own that this node runs.
    const bool namesMachines = detail && !detail->machineStates.empty();
    const auto runs = [&](const sim::MachineDescription& machine) {
        return !namesMachines || std::any_of(detail->machineStates.begin(), detail->machineStates.end(),
                                             [&](const auto& s) { return s.first == machine.id; });
    };
    m.showsMachines = info.hasClient || namesMachines;
    if (info.hasClient || !namesMachines) {
        m.machines.push_back(StateMachineDiagram::campaignMachine());
        m.campaignFirst = true;
        m.machineState.push_back(info.hasClient ? int(m.state) : -1);
        m.machineTaken.emplace_back();
    }
    if (fleet) {
        for (const sim::MachineDescription& machine : fleet->machines) {
            if (!runs(machine))
                continue;
            m.machines.push_back(machine);
            int current = -1;
            if (detail)
                for (const auto& [id, state] : detail->machineStates)
                    if (id == machine.id)
                        current = state;
            m.machineState.push_back(current);
            std::vector<std::pair<int, int>> taken;
            auto note = [&](int from, int to) {
                if (std::find(taken.begin(), taken.end(), std::pair{from, to}) == taken.end())
                    taken.emplace_back(from, to);
            };
            if (m_watched && m_watched->node == m_node)
                for (const LabLogRow& row : m_watched->recent)
                    if (row.kind == LabLogRow::Kind::StateChange && row.machine == machine.id)
                        note(row.from, row.to);
            m.machineTaken.push_back(std::move(taken));
        }
    }
    if (m_watched && m_watched->node == m_node) {
        for (const LabLogRow& row : m_watched->recent)
            m.recent.push_back(QStringLiteral("%1  %2").arg(sim::formatDuration(double(row.timeNs) * 1e-9),
                                                           describeLogRow(row, m_topology)));
    }

    if (detail && info.hasClient)
        m.pieces = detail->pieces;

    // Download progress, in image blocks (the client fetches them in order).
    m.imageBytes = m_topology.imageBytes;
    m.bytesReceived = s.bytesReceived;
    if (s.bytesTotal > 0)
        m.imageBytes = s.bytesTotal;
    m.blockBytes = m_blockBytesByDevice.value(info.name, m_blockBytes);
    if (m.blockBytes <= 0)
        m.blockBytes = kDefaultBlockBytes;
    if (m.imageBytes > 0) {
        m.blocksTotal = int((std::uint64_t(m.imageBytes) + std::uint64_t(m.blockBytes) - 1) / std::uint64_t(m.blockBytes));
        m.blocksReceived = s.bytesReceived >= m.imageBytes ? m.blocksTotal : int(s.bytesReceived / std::uint32_t(m.blockBytes));
    }
    if (info.hasClient) {
        const QString percent = m.imageBytes > 0
                                    ? QStringLiteral(" (%1 %)").arg(100.0 * std::min<double>(s.bytesReceived, m.imageBytes) / m.imageBytes, 0, 'f', 1)
                                    : QString();
        m.progress.push_back({tr("Image received"),
                              m.imageBytes > 0 ? tr("%1 / %2 bytes%3").arg(count(s.bytesReceived), count(m.imageBytes), percent)
                                               : tr("%1 bytes (image size unknown)").arg(count(s.bytesReceived))});
        if (!m.pieces.empty()) {
            QString label = pieceUnitPlural(m.pieces);
            label[0] = label[0].toUpper();
            m.progress.push_back({label, describePieces(m.pieces)});
        } else if (m.blocksTotal > 0)
            m.progress.push_back({tr("Blocks"), tr("%1 / %2 of %3 bytes").arg(count(std::uint64_t(m.blocksReceived)),
                                                                             count(std::uint64_t(m.blocksTotal)),
                                                                             QString::number(m.blockBytes))});
        m.progress.push_back({tr("Requests"), count(s.requests)});
        m.progress.push_back({tr("Retries"), count(s.retries)});
    }
    // A node without a campaign part has no energy or phase of its own in the snapshot.
    if (info.hasClient || s.energyJ > 0)
        m.progress.push_back({tr("Energy so far"), formatEnergy(s.energyJ)});
    if (info.hasClient)
        m.progress.push_back({tr("Update energy"), formatEnergy(s.updateEnergyJ)});
    if (st && info.hasClient) {
        const double in = std::max(0.0, m_timeS - s.stateSinceS);
        m.progress.push_back({tr("Time in state"), tr("%1 (since t = %2)").arg(sim::formatDuration(in), sim::formatDuration(s.stateSinceS))});
    }

    // Transitions (history) and the state at the focus time.
    if (m_history) {
        const std::vector<LabTransition>& list = m_history->transitionsOf(m_node);
        m.transitions.reserve(list.size());
        LabNodeState prev = LabNodeState::Idle;
        for (const LabTransition& t : list) {
            if (!m.transitions.empty() && t.state == prev)
                continue;  // a repeated state is no transition
            m.transitions.push_back({t.timeS, prev, t.state});
            prev = t.state;
        }
        if (m_focusTimeS)
            m.focusState = m_history->stateAt(m_node, *m_focusTimeS);
    }
    m_model = std::move(m);
}

} // namespace otalab::app
