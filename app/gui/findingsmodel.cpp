// SPDX-License-Identifier: Apache-2.0
// Table model of an Inspection's findings.
#include "findingsmodel.h"

#include "guistyle.h"

#include <QApplication>
#include <QStyle>
#include <algorithm>

namespace otalab::app {

using core::image::Finding;
using core::image::Severity;

FindingsModel::FindingsModel(QObject* parent) : QAbstractTableModel(parent) {}

void FindingsModel::setInspection(std::shared_ptr<const core::image::Inspection> inspection)
{
    beginResetModel();
    m_inspection = std::move(inspection);
    m_rows.clear();
    if (m_inspection) {
        for (const Finding& f : m_inspection->findings)
            m_rows.push_back(&f);
        std::stable_sort(m_rows.begin(), m_rows.end(),
                         [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
    }
    endResetModel();
}

int FindingsModel::count(const core::image::Inspection& inspection, Severity severity)
{
    return int(std::count_if(inspection.findings.begin(), inspection.findings.end(),
                             [severity](const Finding& f) { return f.severity == severity; }));
}

const Finding* FindingsModel::finding(int row) const
{
    return row >= 0 && std::size_t(row) < m_rows.size() ? m_rows[std::size_t(row)] : nullptr;
}

int FindingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FindingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex& index, int role) const
{
    const Finding* f = finding(index.row());
    if (!f)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn: return core::image::severityName(f->severity);
        case FieldColumn: return f->field;
        case OffsetColumn: return f->offset >= 0 ? hexOffset(f->offset) : QString();
        case MessageColumn: return f->message;
        }
        break;
    case Qt::ToolTipRole: return f->message;
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn) {
            const QStyle::StandardPixmap icon = f->severity == Severity::Error     ? QStyle::SP_MessageBoxCritical
                                                : f->severity == Severity::Warning ? QStyle::SP_MessageBoxWarning
                                                                                   : QStyle::SP_MessageBoxInformation;
            return QApplication::style()->standardIcon(icon);
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn && f->severity != Severity::Info)
            return f->severity == Severity::Error ? errorColor() : warningColor();
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == OffsetColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn: return tr("Severity");
    case FieldColumn: return tr("Field");
    case OffsetColumn: return tr("Offset");
    case MessageColumn: return tr("Message");
    }
    return {};
}

} // namespace otalab::app
