// SPDX-License-Identifier: Apache-2.0
#include "inspector/blockbar.h"

#include <QPainter>

#include <algorithm>

namespace otalab::app {

BlockBar::BlockBar(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void BlockBar::setBlocks(int received, int total, LabNodeState state)
{
    total = std::max(total, 0);
    received = std::clamp(received, 0, total);
    if (received == m_received && total == m_total && state == m_state)
        return;
    m_received = received;
    m_total = total;
    m_state = state;
    setToolTip(total > 0 ? tr("%1 of %2 image blocks received").arg(received).arg(total) : tr("image size unknown"));
    update();
}

void BlockBar::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRectF bar = QRectF(rect()).adjusted(0.5, 2.5, -0.5, -2.5);
    p.setPen(QColor(150, 150, 160));
    p.setBrush(palette().color(QPalette::Base));
    p.drawRect(bar);
    if (m_total <= 0)
        return;
    QColor fill = m_state == LabNodeState::Downloading || m_received < m_total
                      ? labNodeStateColor(LabNodeState::Downloading)
                      : labNodeStateColor(LabNodeState::Upgraded);
    const QRectF inner = bar.adjusted(1.5, 1.5, -1, -1);
    const double cell = inner.width() / m_total;
    if (cell >= 3) {
        p.setPen(Qt::NoPen);
        for (int i = 0; i < m_total; ++i) {
            const QRectF c(inner.left() + i * cell, inner.top(), cell - 1, inner.height());
            p.setBrush(i < m_received ? fill : QColor(225, 228, 234));
            p.drawRect(c);
        }
        return;
    }
    p.fillRect(QRectF(inner.left(), inner.top(), inner.width() * m_received / m_total, inner.height()), fill);
    p.setPen(QColor(255, 255, 255, 150));
    for (int i = 1; i < 10; ++i) {
        const double x = inner.left() + inner.width() * i / 10.0;
        p.drawLine(QPointF(x, inner.top()), QPointF(x, inner.bottom()));
    }
}

} // namespace otalab::app
