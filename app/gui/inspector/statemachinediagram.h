// SPDX-License-Identifier: Apache-2.0
// StateMachineDiagram: the device's OTA state machine (LabNodeState) drawn with QPainter.
#pragma once

#include "lab/labtypes.h"

#include <QWidget>

#include <optional>
#include <utility>
#include <vector>

namespace otalab::app {

// Boxes for the client states, arrows for the possible transitions:
//   start → Waiting → Downloading → Waiting to upgrade → Upgraded,
//   Downloading → Waiting (failed attempt), Downloading/Waiting → Failed, Waiting → Refused.
// The current state is filled with its palette colour and outlined; transitions the
// device took are drawn thick and dark (a taken transition outside this list is drawn
// dashed); the state at the focus time, if any, gets a dashed frame. GUI thread only.
class StateMachineDiagram final : public QWidget {
    Q_OBJECT
public:
    using Edge = std::pair<LabNodeState, LabNodeState>;  // from → to; from NoClient = start

    explicit StateMachineDiagram(QWidget* parent = nullptr);

    // The transitions the diagram draws (for tests and the legend).
    static const std::vector<Edge>& possibleEdges();

    void setState(LabNodeState current, bool hasClient);
    void setTakenEdges(std::vector<Edge> taken);
    void setFocusState(std::optional<LabNodeState> state);

    LabNodeState currentState() const { return m_current; }
    bool isTaken(LabNodeState from, LabNodeState to) const;

    QSize sizeHint() const override { return {520, 190}; }
    QSize minimumSizeHint() const override { return {360, 150}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QRectF boxOf(LabNodeState state) const;

    LabNodeState m_current = LabNodeState::NoClient;
    bool m_hasClient = false;
    std::vector<Edge> m_taken;
    std::optional<LabNodeState> m_focus;
};

} // namespace otalab::app
