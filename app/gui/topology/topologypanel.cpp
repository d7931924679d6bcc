// SPDX-License-Identifier: Apache-2.0
#include "topology/topologypanel.h"

#include "lab/labselection.h"
#include "lab/labsession.h"
#include "topology/topologycontroller.h"
#include "topology/topologylegend.h"
#include "topology/topologyscene.h"
#include "topology/topologyview.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace otalab::app {

namespace {
constexpr int kRefreshMs = 33;   // ~30 Hz
constexpr int kHaloMs = 450;     // a halo outlives its snapshot by this much
}

TopologyPanel::TopologyPanel(LabSession& session, LabSelection& selection, QWidget* parent)
    : QWidget(parent), m_session(session), m_selection(selection)
{
    m_controller = new TopologyController(this);
    m_scene = new TopologyScene(*m_controller, this);
    m_view = new TopologyView(m_scene, this);
    m_legend = new TopologyLegend(*m_controller, this);

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Find a device: name (0x1a2b, board-0017) or #index"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Short address in hex (0x1234 or 1234), or a node index as #12. Enter selects and centres it."));
    auto button = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        return b;
    };
    QToolButton* zoomIn = button(QStringLiteral("+"), tr("Zoom in (+, wheel)"));
    QToolButton* zoomOut = button(QStringLiteral("\u2212"), tr("Zoom out (-, wheel)"));
    QToolButton* fit = button(tr("Fit"), tr("Show the whole network (0 or F)"));
    m_follow = new QCheckBox(tr("Follow selection"), this);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Centre the view on a device selected in another panel"));
    m_message = new QLabel(this);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* tools = new QHBoxLayout;
    tools->setContentsMargins(0, 0, 0, 0);
    const int searchWidth = m_search->fontMetrics().horizontalAdvance(m_search->placeholderText()) + 40;
    m_search->setMinimumWidth(searchWidth);
    m_search->setMaximumWidth(searchWidth + 40);
    m_message->setMinimumWidth(0);
    m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    tools->addWidget(m_search, 1);
    tools->addWidget(m_message, 2);
    tools->addWidget(zoomIn);
    tools->addWidget(zoomOut);
    tools->addWidget(fit);
    tools->addWidget(m_follow);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addLayout(tools);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_legend);

    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(kRefreshMs);
    m_haloOff = new QTimer(this);
    m_haloOff->setSingleShot(true);
    m_haloOff->setInterval(kHaloMs);

    connect(zoomIn, &QToolButton::clicked, this, [this] { m_view->zoomBy(1.25); });
    connect(zoomOut, &QToolButton::clicked, this, [this] { m_view->zoomBy(0.8); });
    connect(fit, &QToolButton::clicked, m_view, &TopologyView::fitAll);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { find(m_search->text()); });
    connect(m_refresh, &QTimer::timeout, this, &TopologyPanel::applyLatestSnapshot);
    connect(m_haloOff, &QTimer::timeout, m_controller, &TopologyController::clearActivity);
    connect(m_view, &TopologyView::nodeClicked, this, &TopologyPanel::onNodeClicked);
    connect(m_view, &TopologyView::rectSelected, this, &TopologyPanel::onRectSelected);
    connect(&m_session, &LabSession::topologyChanged, this, &TopologyPanel::onTopologyChanged);
    connect(&m_session, &LabSession::snapshotPublished, this, &TopologyPanel::onSnapshotPublished);
    connect(&m_selection, &LabSelection::selectionChanged, this, &TopologyPanel::onSelectionChanged);

    onTopologyChanged();
}

TopologyPanel::~TopologyPanel() = default;

void TopologyPanel::onTopologyChanged()
{
    m_refresh->stop();
    m_controller->setTopology(m_session.topology());
    if (m_session.latest().nodes.size() == m_controller->nodeCount())
        m_controller->update(m_session.latest(), false);
    m_controller->setSelectedNodes(m_selection.nodes());
    m_view->fitAll();
    // The viewport has its real size only once shown: fit again then.
    QTimer::singleShot(0, m_view, &TopologyView::fitAll);
}

void TopologyPanel::onSnapshotPublished()
{
    if (!m_refresh->isActive())
        m_refresh->start();
}

void TopologyPanel::applyLatestSnapshot()
{
    const bool animate = m_session.speed() != LabSession::kAsFastAsPossible
                         && m_session.state() == LabSession::RunState::Running;
    m_controller->update(m_session.latest(), animate);
    if (!m_controller->activeNodes().empty())
        m_haloOff->start();
}

void TopologyPanel::onSelectionChanged()
{
    m_controller->setSelectedNodes(m_selection.nodes());
    const sim::NodeId current = m_selection.current();
    if (!m_selecting && m_follow->isChecked() && current < m_controller->nodeCount())
        m_view->centreOnNode(current);
}

void TopologyPanel::onNodeClicked(sim::NodeId node, Qt::KeyboardModifiers modifiers)
{
    m_selecting = true;
    if (modifiers & (Qt::ControlModifier | Qt::ShiftModifier)) {
        // Ctrl/Shift-click toggles the node in a multi-selection.
        if (node != sim::kNoNode) {
            std::vector<sim::NodeId> nodes = m_selection.nodes();
            const auto it = std::find(nodes.begin(), nodes.end(), node);
            if (it != nodes.end())
                nodes.erase(it);
            else
                nodes.push_back(node);
            m_selection.setNodes(std::move(nodes));
        }
    } else {
        m_selection.setCurrent(node);
    }
    m_selecting = false;
    if (node != sim::kNoNode)
        showMessage(m_controller->describe(node));
    else
        showMessage({});
}

void TopologyPanel::onRectSelected(const QRectF& sceneRect, Qt::KeyboardModifiers modifiers)
{
    std::vector<sim::NodeId> nodes = m_controller->nodesInRect(sceneRect);
    if (modifiers & (Qt::ControlModifier | Qt::ShiftModifier)) {
        std::vector<sim::NodeId> merged = m_selection.nodes();
        for (sim::NodeId n : nodes)
            if (std::find(merged.begin(), merged.end(), n) == merged.end())
                merged.push_back(n);
        nodes = std::move(merged);
    }
    m_selecting = true;
    m_selection.setNodes(nodes);
    m_selecting = false;
    showMessage(nodes.empty() ? QString() : tr("%n device(s) selected", nullptr, int(nodes.size())));
}

std::optional<sim::NodeId> TopologyPanel::find(const QString& text)
{
    const QString query = text.trimmed();
    if (query.isEmpty()) {
        showMessage({});
        return std::nullopt;
    }
    const std::optional<sim::NodeId> node = m_controller->findByAddress(query);
    if (!node) {
        showMessage(m_controller->nodeCount() == 0
                        ? tr("No topology loaded: open a scenario first.")
                        : tr("No device with address \u201c%1\u201d. Use a hex short address (0x1a2b or 1a2b) "
                             "or a node index (#0 … #%2).")
                              .arg(query)
                              .arg(m_controller->nodeCount() - 1),
                    true);
        return std::nullopt;
    }
    m_selecting = true;
    m_selection.setCurrent(*node);
    m_selecting = false;
    m_view->centreOnNode(*node);
    showMessage(tr("Found %1").arg(m_controller->describe(*node)));
    return node;
}

QString TopologyPanel::message() const { return m_message->text(); }

void TopologyPanel::setFollowSelection(bool follow) { m_follow->setChecked(follow); }

void TopologyPanel::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #a01010;") : QString());
    m_message->setToolTip(text);
    if (!text.isEmpty())
        Q_EMIT statusMessage(text);
}

} // namespace otalab::app
