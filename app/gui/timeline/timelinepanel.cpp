// SPDX-License-Identifier: Apache-2.0
#include "timeline/timelinepanel.h"

#include "lab/labselection.h"
#include "lab/labsession.h"
#include "timeline/timelinecontroller.h"
#include "timeline/timelineview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace otalab::app {

TimelinePanel::TimelinePanel(LabSession& session, LabSelection& selection, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_selection(selection),
      m_controller(new TimelineController(selection, this))
{
    m_view = new TimelineView(*m_controller, this);
    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(33);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(buildToolBar());
    layout->addWidget(m_view, 1);
    layout->addWidget(buildLegend());

    connect(&m_session, &LabSession::topologyChanged, this, &TimelinePanel::onTopologyChanged);
    connect(&m_session, &LabSession::snapshotPublished, m_refresh, [this] {
        if (!m_refresh->isActive())
            m_refresh->start();
    });
    connect(m_refresh, &QTimer::timeout, this, [this] { m_controller->update(m_session.latest()); });
    connect(&m_selection, &LabSelection::selectionChanged, this, &TimelinePanel::onSelectionChanged);
    connect(&m_selection, &LabSelection::focusTimeChanged, this, &TimelinePanel::onFocusTimeChanged);
    connect(m_controller, &TimelineController::rowsChanged, this, [this] {
        m_view->scrollToRow(m_controller->currentRow());
    });
    onTopologyChanged();
}

TimelinePanel::~TimelinePanel() = default;

QWidget* TimelinePanel::buildToolBar()
{
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(4, 2, 4, 0);

    m_sort = new QComboBox(bar);
    m_sort->addItem(tr("Node index"), int(TimelineController::SortOrder::NodeIndex));
    m_sort->addItem(tr("Completion time"), int(TimelineController::SortOrder::CompletionTime));
    m_sort->setToolTip(tr("Row order: by node index, or by the time each device finished upgrading"));
    connect(m_sort, &QComboBox::currentIndexChanged, this, [this] {
        m_controller->setSortOrder(TimelineController::SortOrder(m_sort->currentData().toInt()));
    });

    m_filter = new QComboBox(bar);
    m_filter->addItem(tr("All devices"), int(TimelineController::RowFilter::All));
    m_filter->addItem(tr("Failed, refused or stuck"), int(TimelineController::RowFilter::Problems));
    connect(m_filter, &QComboBox::currentIndexChanged, this, [this] {
        m_controller->setRowFilter(TimelineController::RowFilter(m_filter->currentData().toInt()));
    });

    m_stuckMinutes = new QDoubleSpinBox(bar);
    m_stuckMinutes->setRange(0.1, 10000);
    m_stuckMinutes->setDecimals(1);
    m_stuckMinutes->setSuffix(tr(" min"));
    m_stuckMinutes->setValue(m_controller->stuckThresholdS() / 60.0);
    m_stuckMinutes->setToolTip(tr("A device is stuck when it has been Waiting or Downloading longer than this"));
    connect(m_stuckMinutes, &QDoubleSpinBox::valueChanged, this,
            [this](double minutes) { m_controller->setStuckThresholdS(minutes * 60.0); });

    m_hideNonClients = new QCheckBox(tr("Campaign devices only"), bar);
    m_hideNonClients->setToolTip(tr("Hide the coordinator and routers that run no OTA client"));
    connect(m_hideNonClients, &QCheckBox::toggled, m_controller, &TimelineController::setHideNonClients);

    const auto button = [bar](const QString& text, const QString& tip) {
        auto* b = new QToolButton(bar);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        return b;
    };
    auto* zoomIn = button(tr("+"), tr("Zoom in (Ctrl+wheel)"));
    auto* zoomOut = button(tr("−"), tr("Zoom out (Ctrl+wheel)"));
    auto* fit = button(tr("Fit"), tr("Show the whole run"));
    connect(zoomIn, &QToolButton::clicked, this, [this] { m_view->zoomBy(2.0); });
    connect(zoomOut, &QToolButton::clicked, this, [this] { m_view->zoomBy(0.5); });
    connect(fit, &QToolButton::clicked, this, [this] { m_view->fitAll(); });

    row->addWidget(new QLabel(tr("Sort:"), bar));
    row->addWidget(m_sort);
    row->addWidget(new QLabel(tr("Show:"), bar));
    row->addWidget(m_filter);
    row->addWidget(new QLabel(tr("stuck after"), bar));
    row->addWidget(m_stuckMinutes);
    row->addWidget(m_hideNonClients);
    row->addStretch(1);
    row->addWidget(zoomOut);
    row->addWidget(zoomIn);
    row->addWidget(fit);
    return bar;
}

QWidget* TimelinePanel::buildLegend()
{
    auto* legend = new QWidget(this);
    auto* row = new QHBoxLayout(legend);
    row->setContentsMargins(6, 0, 6, 2);
    row->setSpacing(10);
    for (int s = 1; s < kLabNodeStateCount; ++s) {
        const auto state = LabNodeState(s);
        auto* label = new QLabel(legend);
        label->setText(QStringLiteral("<span style=\"color:%1\">■</span> %2")
                           .arg(labNodeStateColor(state).name(), labNodeStateName(state).toHtmlEscaped()));
        row->addWidget(label);
    }
    row->addStretch(1);
    auto* hint = new QLabel(tr("Click a band to select the device and time"), legend);
    hint->setEnabled(false);
    row->addWidget(hint);
    return legend;
}

void TimelinePanel::onTopologyChanged()
{
    m_controller->setHistory(nullptr);
    m_controller->setTopology(m_session.topology());
    m_controller->setHistory(&m_session.history());
    m_controller->update(m_session.latest());
    m_view->fitAll();
}

void TimelinePanel::onSelectionChanged()
{
    m_view->scrollToRow(m_controller->currentRow());
    m_view->viewport()->update();
}

void TimelinePanel::onFocusTimeChanged()
{
    if (const auto t = m_selection.focusTimeS())
        m_view->ensureTimeVisible(*t);
    m_view->viewport()->update();
}

} // namespace otalab::app
