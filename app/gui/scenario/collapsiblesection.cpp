// SPDX-License-Identifier: Apache-2.0
#include "scenario/collapsiblesection.h"

#include <QToolButton>
#include <QVBoxLayout>

namespace otalab::app {

CollapsibleSection::CollapsibleSection(const QString& title, QWidget* content, QWidget* parent)
    : QWidget(parent), m_header(new QToolButton(this)), m_content(content)
{
    m_header->setText(title);
    m_header->setCheckable(true);
    m_header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_header->setAutoRaise(true);
    m_header->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_header);
    layout->addWidget(m_content);
    m_content->setParent(this);
    connect(m_header, &QToolButton::toggled, this, &CollapsibleSection::setExpanded);
    setExpanded(false);
}

bool CollapsibleSection::isExpanded() const { return m_header->isChecked(); }

void CollapsibleSection::setExpanded(bool expanded)
{
    m_header->setChecked(expanded);
    m_header->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_content->setVisible(expanded);
}

void CollapsibleSection::setTitle(const QString& title) { m_header->setText(title); }

void CollapsibleSection::revealAncestors(QWidget* widget)
{
    for (QWidget* w = widget; w; w = w->parentWidget())
        if (auto* section = qobject_cast<CollapsibleSection*>(w))
            section->setExpanded(true);
}

} // namespace otalab::app
