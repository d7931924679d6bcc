// SPDX-License-Identifier: Apache-2.0
// LabSelection: which nodes (and which instant) the lab's panels are looking at.
#pragma once

#include "sim/kernel/nodeid.h"

#include <QObject>

#include <optional>
#include <vector>

namespace otalab::app {

// Shared by every panel (GUI thread). The topology's rubber band sets several nodes;
// a click, a search hit, a timeline band or an event-log row sets one (current) node.
// A timeline click also sets a focus time, which the event log and inspector follow.
class LabSelection final : public QObject {
    Q_OBJECT
public:
    explicit LabSelection(QObject* parent = nullptr) : QObject(parent) {}

    const std::vector<sim::NodeId>& nodes() const { return m_nodes; }
    sim::NodeId current() const { return m_nodes.empty() ? sim::kNoNode : m_nodes.front(); }
    std::optional<double> focusTimeS() const { return m_focusTimeS; }

    void setCurrent(sim::NodeId node)
    {
        std::vector<sim::NodeId> nodes;
        if (node != sim::kNoNode)
            nodes.push_back(node);
        setNodes(std::move(nodes));
    }
    // First node becomes current(). No signal when nothing changes.
    void setNodes(std::vector<sim::NodeId> nodes)
    {
        if (nodes == m_nodes)
            return;
        m_nodes = std::move(nodes);
        Q_EMIT selectionChanged();
    }
    void setFocusTime(std::optional<double> timeS)
    {
        if (timeS == m_focusTimeS)
            return;
        m_focusTimeS = timeS;
        Q_EMIT focusTimeChanged();
    }
    void clear()
    {
        setNodes({});
        setFocusTime(std::nullopt);
    }

Q_SIGNALS:
    void selectionChanged();
    void focusTimeChanged();

private:
    std::vector<sim::NodeId> m_nodes;
    std::optional<double> m_focusTimeS;
};

} // namespace otalab::app
