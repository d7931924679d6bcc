// SPDX-License-Identifier: Apache-2.0
// StateMachineDiagram: the device's OTA state machine (LabNodeState) drawn with QPainter.
#pragma once

#include "lab/labtypes.h"

#include <QWidget>

#include <optional>
#include <utility>
#include <vector>

namespace otalab::app {

// Draws any family's state machine from its description (sim::MachineDescription):
// states in columns by their distance from the start state (first reach along the
// transitions), stacked in rows within a column; forward edges as lines, edges back to
// an earlier or the same column as arcs over the boxes. Boxes take the palette colour
// of the campaign phase each state belongs to. When the columns would be narrower than
// kMinColumnPx (a long machine such as a FUOTA server's ten steps in a narrow dock), the
// columns wrap onto a second band below, like a line of text, and an edge into the next
// band is routed through the gap between them; state names shrink (to 7 pt) to fit. The current state is filled and
// outlined; transitions the device took are thick and dark (a taken transition the
// description lacks is dashed); the state at the focus time gets a dashed frame.
// No family code: a new family draws by describing its machine. GUI thread only.
class StateMachineDiagram final : public QWidget {
    Q_OBJECT
public:
    using Edge = std::pair<int, int>;  // state index from → to; from -1 = start

    explicit StateMachineDiagram(QWidget* parent = nullptr);

    // The campaign-phase machine every family shares (the lab's default view).
    static const sim::MachineDescription& campaignMachine();

    void setMachine(const sim::MachineDescription& machine);
    const sim::MachineDescription& machine() const { return m_machine; }
    // current: state index, or -1 when the node has no such machine (placeholder text).
    void setState(int current, bool hasClient);
    void setTakenEdges(std::vector<Edge> taken);
    void setFocusState(std::optional<int> state);

    int currentState() const { return m_current; }
    bool isTaken(int from, int to) const;
    // Convenience for the campaign machine (state index == FleetPhase value).
    bool isTaken(LabNodeState from, LabNodeState to) const { return isTaken(int(from), int(to)); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {360, 150}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

    static constexpr double kMinColumnPx = 88;
    // Bands the columns take at `width` (1, or 2 when one band would be too narrow).
    int bandsAt(int width) const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void layout();
    QRectF boxOf(int state) const;
    int bandOf(int state) const;
    double bandGapY() const;  // middle of the gap between two bands
    int columnsPerBand() const;
    bool isIsolated(int state) const;  // no transition touches it: not drawn

    sim::MachineDescription m_machine;
    std::vector<int> m_column, m_row;   // per state
    int m_columns = 1, m_rows = 1;
    int m_current = -1;
    bool m_hasClient = false;
    std::vector<Edge> m_taken;
    std::optional<int> m_focus;
};

} // namespace otalab::app
