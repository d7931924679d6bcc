// SPDX-License-Identifier: Apache-2.0
#include "charts/chartspanel.h"

#include "charts/chartsview.h"
#include "lab/labselection.h"
#include "lab/labsession.h"

#include <QTimer>
#include <QVBoxLayout>

namespace otalab::app {

ChartsPanel::ChartsPanel(LabSession& session, LabSelection& selection, QWidget* parent)
    : QWidget(parent), m_session(session), m_selection(selection)
{
    m_view = new ChartsView(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    m_timer = new QTimer(this);
    // Charts at ~4 Hz: a chart update re-lays out Qt Charts items (milliseconds each);
    // people read trends, not 30 frames a second.
    m_timer->setInterval(kRefreshMs);
    connect(m_timer, &QTimer::timeout, this, &ChartsPanel::tick);

    connect(&m_session, &LabSession::topologyChanged, this, [this] {
        m_controller.reset(m_session.topology());
        m_dirty = true;
        m_timer->start();
    });
    connect(&m_session, &LabSession::snapshotPublished, this, [this] {
        m_dirty = true;
        if (!m_timer->isActive())
            m_timer->start();
    });
    connect(m_view, &ChartsView::energyMetricChanged, this, [this](EnergyMetric metric) {
        m_controller.setEnergyMetric(metric);
        refresh();
    });
    m_controller.reset(m_session.topology());
    m_dirty = true;
}

ChartsPanel::~ChartsPanel() = default;

void ChartsPanel::refresh()
{
    m_controller.update(m_session.latest());
    m_view->apply(m_controller);
    m_dirty = false;
}

void ChartsPanel::tick()
{
    if (!m_dirty) {
        m_timer->stop();  // idle until the next publish
        return;
    }
    if (!isVisible()) {
        m_timer->stop();  // showEvent catches up
        return;
    }
    refresh();
}

void ChartsPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refresh();
}

} // namespace otalab::app
