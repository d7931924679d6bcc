// SPDX-License-Identifier: Apache-2.0
// RolloutPanel: the lab's Rollout dock — the scenario's rollout policy over the run.
#pragma once

#include "rollout/rolloutviewmodel.h"

#include <QWidget>

class QTimer;

namespace otalab::app {

class LabSession;
class RolloutView;

// GUI thread. Wires LabSession to a RolloutViewModel and a RolloutView: topologyChanged
// resets (policy from the session's config), snapshotPublished marks the data dirty and a
// ~4 Hz timer applies the latest snapshot (nothing while hidden: it catches up when
// shown); runFinished replaces the live story with the finished run's RunResult::rollout.
// hasRolloutChanged tells the window to show or hide the dock.
class RolloutPanel final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 250;

    explicit RolloutPanel(LabSession& session, QWidget* parent = nullptr);
    ~RolloutPanel() override;

    const RolloutViewModel& model() const { return m_model; }
    RolloutView* view() const { return m_view; }
    bool hasRollout() const { return m_model.hasRollout(); }
    // Applies the session's latest snapshot (or finished result) now (tests, screenshots).
    void refresh();

Q_SIGNALS:
    void hasRolloutChanged(bool hasRollout);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void reset();
    void tick();
    void takeFinishedResult();

    LabSession& m_session;
    RolloutViewModel m_model;
    RolloutView* m_view = nullptr;
    QTimer* m_timer = nullptr;
    bool m_dirty = false;
    bool m_finished = false;  // the model holds the finished run's result: snapshots add nothing
};

} // namespace otalab::app
