// SPDX-License-Identifier: Apache-2.0
// ChartsPanel: the lab's live charts (fleet progress, completion CDF, energy, channel utilisation).
#pragma once

#include "charts/chartscontroller.h"

#include <QWidget>

class QTimer;

namespace otalab::app {

class ChartsView;
class LabSelection;
class LabSession;

// GUI thread. Wires LabSession to a ChartsController and a ChartsView: topologyChanged
// resets; snapshotPublished marks the data dirty and a ~4 Hz timer applies the latest
// snapshot (several publishes between two ticks cost one update; nothing is done while
// the panel is hidden — it catches up when shown).
class ChartsPanel final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 250;  // charts refresh period while snapshots arrive

    ChartsPanel(LabSession& session, LabSelection& selection, QWidget* parent = nullptr);
    ~ChartsPanel() override;

    ChartsController& controller() { return m_controller; }
    const ChartsController& controller() const { return m_controller; }
    ChartsView* view() const { return m_view; }

    // Applies the session's latest snapshot now (tests, screenshots).
    void refresh();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void tick();

    LabSession& m_session;
    LabSelection& m_selection;
    ChartsController m_controller;
    ChartsView* m_view = nullptr;
    QTimer* m_timer = nullptr;
    bool m_dirty = false;
};

} // namespace otalab::app
