// SPDX-License-Identifier: Apache-2.0
#include "inspector/fieldgrid.h"

#include <QGridLayout>
#include <QLabel>

namespace otalab::app {

FieldGrid::FieldGrid(QWidget* parent) : QWidget(parent), m_grid(new QGridLayout(this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(12);
    m_grid->setVerticalSpacing(2);
    m_grid->setColumnStretch(1, 1);
}

void FieldGrid::setFields(const std::vector<InspectorField>& fields)
{
    while (m_rows.size() < fields.size()) {
        const int r = int(m_rows.size());
        auto* label = new QLabel(this);
        label->setForegroundRole(QPalette::PlaceholderText);
        auto* value = new QLabel(this);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setTextFormat(Qt::PlainText);
        value->setWordWrap(true);  // a long value (a failure reason, a server's figures) wraps instead of widening the panel
        label->setTextFormat(Qt::PlainText);
        m_grid->addWidget(label, r, 0, Qt::AlignLeft | Qt::AlignTop);
        m_grid->addWidget(value, r, 1, Qt::AlignTop);  // fills the column, so it wraps at the panel's width
        m_rows.push_back({label, value});
    }
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const bool used = i < fields.size();
        m_rows[i].label->setVisible(used);
        m_rows[i].value->setVisible(used);
        if (!used)
            continue;
        if (m_rows[i].label->text() != fields[i].label)
            m_rows[i].label->setText(fields[i].label);
        if (m_rows[i].value->text() != fields[i].value)
            m_rows[i].value->setText(fields[i].value);
    }
}

void FieldGrid::setLabelWidth(int pixels) { m_grid->setColumnMinimumWidth(0, pixels); }

QString FieldGrid::valueText(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows[std::size_t(row)].value->text() : QString();
}

} // namespace otalab::app
