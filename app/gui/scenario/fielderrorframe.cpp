// SPDX-License-Identifier: Apache-2.0
#include "scenario/fielderrorframe.h"

#include <QEvent>
#include <QPainter>

namespace otalab::app {

namespace {
constexpr int kMargin = 3;
}

FieldErrorFrame::FieldErrorFrame()
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    hide();
}

void FieldErrorFrame::attach(QWidget* target)
{
    if (m_target)
        m_target->removeEventFilter(this);
    m_target = target;
    if (!target || !target->parentWidget()) {
        hide();
        return;
    }
    setParent(target->parentWidget());
    target->installEventFilter(this);
    follow();
}

bool FieldErrorFrame::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_target) {
        switch (event->type()) {
        case QEvent::Move:
        case QEvent::Resize:
        case QEvent::Show:
        case QEvent::Hide:
            follow();
            break;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FieldErrorFrame::follow()
{
    if (!m_target) {
        hide();
        return;
    }
    setGeometry(m_target->geometry().adjusted(-kMargin, -kMargin, kMargin, kMargin));
    setVisible(m_target->isVisibleTo(m_target->parentWidget()));
    raise();
}

void FieldErrorFrame::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(QColor(0xc6, 0x28, 0x28), 2));
    painter.setBrush(Qt::NoBrush);
    painter.drawRoundedRect(QRectF(rect()).adjusted(1, 1, -1, -1), 3, 3);
}

} // namespace otalab::app
