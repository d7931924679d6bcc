// SPDX-License-Identifier: Apache-2.0
// One verdict shown as a coloured pill plus detail.
#include "badgeview.h"

#include "guistyle.h"

#include <QFontMetrics>
#include <QBoxLayout>
#include <QLabel>

namespace otalab::app {

using core::image::CheckState;

BadgeView::BadgeView(const QString& title, QWidget* parent)
    : QWidget(parent), m_title(title), m_pill(new QLabel(this)), m_detail(new QLabel(this))
{
    m_layout = new QBoxLayout(QBoxLayout::LeftToRight, this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(8);
    m_pill->setObjectName(QStringLiteral("badgePill"));
    m_pill->setAlignment(Qt::AlignCenter);
    m_pill->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    // Same width for every badge so stacked pills line up: fits the longest text.
    QFont bold = m_pill->font();
    bold.setWeight(QFont::DemiBold);
    m_pill->setMinimumWidth(QFontMetrics(bold).horizontalAdvance(QStringLiteral("Encryption: unchecked")) + 28);
    m_detail->setObjectName(QStringLiteral("badgeDetail"));
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setWordWrap(true);
    m_detail->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    m_layout->addWidget(m_pill, 0, Qt::AlignTop | Qt::AlignLeft);
    m_layout->addWidget(m_detail, 1);
    clear();
}

void BadgeView::setBadge(const core::image::Badge& badge)
{
    m_state = badge.state;
    const QColor bg = badgeBackground(badge.state);
    const QColor fg = badgeForeground(badge.state);
    m_pill->setText(pillText());
    m_pill->setStyleSheet(QStringLiteral("QLabel#badgePill { background: %1; color: %2; border-radius: 9px;"
                                         " padding: 2px 10px; font-weight: 600; }")
                              .arg(bg.name(), fg.name()));
    m_detail->setText(badge.detail.isEmpty() ? QStringLiteral("—") : badge.detail);
    const QString tip = QStringLiteral("%1: %2%3").arg(m_title, core::image::checkStateName(badge.state),
                                                       badge.detail.isEmpty() ? QString() : QStringLiteral("\n") + badge.detail);
    m_pill->setToolTip(tip);
    m_detail->setToolTip(tip);
}

void BadgeView::setStacked(bool stacked)
{
    m_layout->setDirection(stacked ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    m_layout->setSpacing(stacked ? 2 : 8);
}

bool BadgeView::isStacked() const
{
    return m_layout->direction() == QBoxLayout::TopToBottom;
}

void BadgeView::clear()
{
    setBadge({});
}

QString BadgeView::pillText() const
{
    return QStringLiteral("%1: %2").arg(m_title, core::image::checkStateName(m_state));
}

QString BadgeView::detailText() const
{
    return m_detail->text();
}

} // namespace otalab::app
