// SPDX-License-Identifier: Apache-2.0
#include "topology/topologyview.h"

#include "topology/topologycontroller.h"
#include "topology/topologyitem.h"
#include "topology/topologyscene.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QRubberBand>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace otalab::app {

namespace {
constexpr double kKeyZoomStep = 1.25;
constexpr int kDragThresholdPx = 4;
}

TopologyView::TopologyView(TopologyScene* scene, QWidget* parent) : QGraphicsView(scene, parent), m_scene(scene)
{
    setDragMode(QGraphicsView::NoDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
    setOptimizationFlag(QGraphicsView::DontSavePainterState, true);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    m_band = new QRubberBand(QRubberBand::Rectangle, viewport());
    m_band->hide();
}

double TopologyView::zoom() const { return transform().m11(); }

void TopologyView::zoomBy(double factor)
{
    if (!(factor > 0))
        return;
    // Limits: from a quarter of "everything fits" to neighbours 600 px apart.
    const QRectF all = m_scene->sceneRect();
    const double fit = std::min(viewport()->width() / std::max(all.width(), 1e-9),
                                viewport()->height() / std::max(all.height(), 1e-9));
    const double minZoom = fit / 4;
    const double maxZoom = std::max(fit, 600.0 / m_scene->controller().typicalSpacing());
    const double target = std::clamp(zoom() * factor, minZoom, maxZoom);
    const double applied = target / zoom();
    if (std::abs(applied - 1.0) > 1e-9) {
        scale(applied, applied);
        m_fitted = false;
    }
}

void TopologyView::fitAll()
{
    const QRectF b = m_scene->item()->boundingRect();
    if (b.isEmpty())
        return;
    fitInView(b, Qt::KeepAspectRatio);
    m_fitted = true;
}

void TopologyView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    if (m_fitted)
        fitAll();
}

void TopologyView::centreOnNode(sim::NodeId node)
{
    if (node >= m_scene->controller().nodeCount())
        return;
    // Make sure the node is drawn big enough to find: at least 30 px between neighbours.
    const double wanted = 30.0 / m_scene->controller().typicalSpacing();
    if (zoom() < wanted) {
        const ViewportAnchor anchor = transformationAnchor();
        setTransformationAnchor(QGraphicsView::AnchorViewCenter);
        zoomBy(wanted / zoom());
        setTransformationAnchor(anchor);
    }
    centerOn(m_scene->controller().scenePos(node));
    m_fitted = false;
}

sim::NodeId TopologyView::nodeAtViewPos(QPoint viewPos) const
{
    const double ppu = std::max(zoom(), 1e-9);
    const double radius = std::max(m_scene->item()->markerRadius(ppu, 1), 6.0 / ppu);
    const auto node = m_scene->controller().nodeAt(mapToScene(viewPos), radius);
    return node ? *node : sim::kNoNode;
}

void TopologyView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(std::pow(1.15, steps));
    event->accept();
}

void TopologyView::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: {
        const ViewportAnchor anchor = transformationAnchor();
        setTransformationAnchor(QGraphicsView::AnchorViewCenter);
        zoomBy(kKeyZoomStep);
        setTransformationAnchor(anchor);
        return;
    }
    case Qt::Key_Minus: {
        const ViewportAnchor anchor = transformationAnchor();
        setTransformationAnchor(QGraphicsView::AnchorViewCenter);
        zoomBy(1 / kKeyZoomStep);
        setTransformationAnchor(anchor);
        return;
    }
    case Qt::Key_0:
    case Qt::Key_F:
        fitAll();
        return;
    case Qt::Key_Space:
        if (!event->isAutoRepeat()) {
            m_spaceHeld = true;
            viewport()->setCursor(Qt::OpenHandCursor);
        }
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

void TopologyView::keyReleaseEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        if (m_gesture != Gesture::Pan)
            viewport()->unsetCursor();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void TopologyView::focusOutEvent(QFocusEvent* event)
{
    m_spaceHeld = false;
    viewport()->unsetCursor();
    QGraphicsView::focusOutEvent(event);
}

void TopologyView::mousePressEvent(QMouseEvent* event)
{
    const QPoint p = event->position().toPoint();
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_gesture = Gesture::Pan;
        m_lastPos = p;
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton) {
        m_gesture = Gesture::Pending;
        m_pressPos = m_lastPos = p;
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint p = event->position().toPoint();
    switch (m_gesture) {
    case Gesture::Pan:
        panBy(p - m_lastPos);
        m_lastPos = p;
        break;
    case Gesture::Pending:
        if ((p - m_pressPos).manhattanLength() < kDragThresholdPx)
            break;
        m_gesture = Gesture::RubberBand;
        m_band->show();
        [[fallthrough]];
    case Gesture::RubberBand:
        m_band->setGeometry(QRect(m_pressPos, p).normalized());
        break;
    case Gesture::None:
        QGraphicsView::mouseMoveEvent(event);
        return;
    }
    event->accept();
}

void TopologyView::mouseReleaseEvent(QMouseEvent* event)
{
    const QPoint p = event->position().toPoint();
    const Gesture gesture = m_gesture;
    m_gesture = Gesture::None;
    switch (gesture) {
    case Gesture::Pan:
        if (m_spaceHeld)
            viewport()->setCursor(Qt::OpenHandCursor);
        else
            viewport()->unsetCursor();
        break;
    case Gesture::Pending:
        Q_EMIT nodeClicked(nodeAtViewPos(p), event->modifiers());
        break;
    case Gesture::RubberBand: {
        m_band->hide();
        const QRectF sceneRect = mapToScene(QRect(m_pressPos, p).normalized()).boundingRect();
        Q_EMIT rectSelected(sceneRect, event->modifiers());
        break;
    }
    case Gesture::None:
        QGraphicsView::mouseReleaseEvent(event);
        return;
    }
    event->accept();
}

bool TopologyView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const sim::NodeId node = nodeAtViewPos(help->pos());
        if (node != sim::kNoNode)
            QToolTip::showText(help->globalPos(), m_scene->controller().describe(node), viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QGraphicsView::viewportEvent(event);
}

void TopologyView::panBy(QPoint delta)
{
    m_fitted = false;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
}

} // namespace otalab::app
