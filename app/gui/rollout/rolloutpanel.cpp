// SPDX-License-Identifier: Apache-2.0
#include "rollout/rolloutpanel.h"

#include "lab/labsession.h"
#include "rollout/rolloutview.h"
#include "sim/scenario/rolloutreader.h"

#include <QTimer>
#include <QVBoxLayout>

namespace otalab::app {

RolloutPanel::RolloutPanel(LabSession& session, QWidget* parent) : QWidget(parent), m_session(session)
{
    setObjectName(QStringLiteral("rolloutPanel"));
    m_view = new RolloutView(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    connect(m_view, &RolloutView::scaleChanged, this, [this] { m_view->apply(m_model); });  // the model as it is

    m_timer = new QTimer(this);
    m_timer->setInterval(kRefreshMs);  // people read trends: ~4 Hz, like the charts
    connect(m_timer, &QTimer::timeout, this, &RolloutPanel::tick);
    connect(&m_session, &LabSession::topologyChanged, this, &RolloutPanel::reset);
    connect(&m_session, &LabSession::snapshotPublished, this, [this] {
        m_dirty = true;
        if (!m_timer->isActive())
            m_timer->start();
    });
    connect(&m_session, &LabSession::runFinished, this, [this] {
        takeFinishedResult();
        if (isVisible())
            m_view->apply(m_model);
    });
    reset();
}

RolloutPanel::~RolloutPanel() = default;

void RolloutPanel::reset()
{
    const bool had = m_model.hasRollout();
    const auto& config = m_session.config();
    QString policy;
    if (config && config->rollout)
        policy = sim::rolloutPolicyToJson(*config->rollout).value(QLatin1String("policy")).toString();
    m_model.reset(policy);
    m_finished = false;
    m_dirty = true;
    if (isVisible())
        refresh();
    if (had != m_model.hasRollout())
        Q_EMIT hasRolloutChanged(m_model.hasRollout());
}

void RolloutPanel::takeFinishedResult()
{
    const auto& kept = m_session.keptRuns();
    if (m_session.state() != LabSession::RunState::Finished || kept.empty() || !kept.back().result.rollout)
        return;
    const sim::RunResult& result = kept.back().result;
    m_model.setResult(*result.rollout, result.endTimeS);
    m_finished = true;
}

void RolloutPanel::refresh()
{
    if (!m_finished) {
        m_model.update(m_session.latest());
        takeFinishedResult();
    }
    m_view->apply(m_model);
    m_dirty = false;
}

void RolloutPanel::tick()
{
    if (!m_dirty || !isVisible()) {
        m_timer->stop();  // idle until the next publish; showEvent catches up
        return;
    }
    refresh();
}

void RolloutPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
}

} // namespace otalab::app
