// SPDX-License-Identifier: Apache-2.0
// Read-only item model over an Inspection's Node tree.
#include "inspectiontreemodel.h"

#include "guistyle.h"

#include <QApplication>
#include <QStyle>

namespace otalab::app {

using core::image::Finding;
using core::image::Inspection;
using core::image::Node;
using core::image::Severity;

InspectionTreeModel::InspectionTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

InspectionTreeModel::~InspectionTreeModel() = default;

void InspectionTreeModel::setInspection(std::shared_ptr<const Inspection> inspection)
{
    beginResetModel();
    m_entries.clear();
    m_byPath.clear();
    m_inspection = std::move(inspection);
    if (m_inspection) {
        indexNode(m_inspection->root, nullptr, 0, QString());
        for (const Finding& finding : m_inspection->findings) {
            const QModelIndex at = indexForFinding(finding);
            if (!at.isValid())
                continue;
            Entry& entry = m_entries[node(at)];
            entry.messages.append(QStringLiteral("%1: %2").arg(core::image::severityName(finding.severity), finding.message));
            entry.severity = std::max(entry.severity, finding.severity);
        }
    }
    endResetModel();
}

void InspectionTreeModel::indexNode(const Node& node, const Node* parent, int row, const QString& path)
{
    m_entries.insert(&node, Entry{parent, row, path, {}, Severity::Info});
    m_byPath.insert(path, &node);
    for (std::size_t i = 0; i < node.children.size(); ++i) {
        const Node& child = node.children[i];
        const QString childPath = path.isEmpty() ? child.name : path + QLatin1Char('.') + child.name;
        indexNode(child, &node, int(i), childPath);
    }
}

const Node* InspectionTreeModel::node(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const Node*>(index.internalPointer()) : nullptr;
}

QString InspectionTreeModel::path(const QModelIndex& index) const
{
    const Node* n = node(index);
    return n ? entry(n).path : QString();
}

const InspectionTreeModel::Entry& InspectionTreeModel::entry(const Node* node) const
{
    // Every Node of the current inspection was indexed in setInspection().
    return *m_entries.constFind(node);
}

QModelIndex InspectionTreeModel::indexOf(const Node* node, int column) const
{
    if (!node)
        return {};
    return createIndex(entry(node).row, column, const_cast<Node*>(node));
}

namespace {

// The smallest node under `node` (inclusive) whose byte range contains `offset`.
const Node* smallestContaining(const Node& node, qint64 offset)
{
    // A node without a range (synthesized, or empty) is no candidate but its children may be.
    const bool hasRange = node.offset >= 0 && node.size > 0;
    if (hasRange && (offset < node.offset || offset >= node.offset + node.size))
        return nullptr;
    const Node* best = hasRange ? &node : nullptr;
    for (const Node& child : node.children)
        if (const Node* hit = smallestContaining(child, offset); hit && (!best || hit->size <= best->size))
            best = hit;
    return best;
}

} // namespace

QModelIndex InspectionTreeModel::indexForFinding(const Finding& finding) const
{
    if (!m_inspection)
        return {};
    const Node& root = m_inspection->root;
    QString field = finding.field;
    if (field == root.name)
        return indexOf(&root);
    if (field.startsWith(root.name + QLatin1Char('.')) && !m_byPath.contains(field))
        field = field.mid(root.name.size() + 1);

    const Node* scope = &root;
    if (!field.isEmpty()) {
        if (const Node* exact = m_byPath.value(field))
            return indexOf(exact);
        // Deepest ancestor path: "elements[2].tag" -> "elements[2]" -> "elements".
        for (QString prefix = field; !prefix.isEmpty();) {
            const qsizetype cut = std::max(prefix.lastIndexOf(QLatin1Char('.')), prefix.lastIndexOf(QLatin1Char('[')));
            if (cut <= 0)
                break;
            prefix.truncate(cut);
            if (const Node* ancestor = m_byPath.value(prefix)) {
                scope = ancestor;
                break;
            }
        }
    }
    // Falling back to the whole file says nothing: leave such findings unplaced.
    if (finding.offset >= 0)
        if (const Node* hit = smallestContaining(*scope, finding.offset); hit && hit != &root)
            return indexOf(hit);
    return scope == &root ? QModelIndex() : indexOf(scope);
}

QModelIndex InspectionTreeModel::indexAtOffset(qint64 offset) const
{
    if (!m_inspection || offset < 0)
        return {};
    return indexOf(smallestContaining(m_inspection->root, offset));
}

QModelIndex InspectionTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!m_inspection || row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row == 0 ? createIndex(0, column, const_cast<Node*>(&m_inspection->root)) : QModelIndex();
    const Node* p = node(parent);
    if (std::size_t(row) >= p->children.size())
        return {};
    return createIndex(row, column, const_cast<Node*>(&p->children[std::size_t(row)]));
}

QModelIndex InspectionTreeModel::parent(const QModelIndex& child) const
{
    const Node* n = node(child);
    return n ? indexOf(entry(n).parent) : QModelIndex();
}

int InspectionTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!m_inspection)
        return 0;
    if (!parent.isValid())
        return 1;
    if (parent.column() != 0)
        return 0;
    return int(node(parent)->children.size());
}

int InspectionTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant InspectionTreeModel::data(const QModelIndex& index, int role) const
{
    const Node* n = node(index);
    if (!n)
        return {};
    const Entry& entry = this->entry(n);
    const bool problem = n->problem || !entry.messages.isEmpty();
    const bool error = n->problem || entry.severity == Severity::Error;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case FieldColumn: return n->label.isEmpty() ? n->name : n->label;
        case ValueColumn: return n->value;
        case OffsetColumn: return n->offset >= 0 ? hexOffset(n->offset) : QString();
        case SizeColumn: return n->offset >= 0 || n->size > 0 ? QString::number(n->size) : QString();
        }
        break;
    case Qt::ToolTipRole: {
        QString tip = entry.path.isEmpty() ? n->name : entry.path;
        if (index.column() == ValueColumn && !n->value.isEmpty())
            tip += QLatin1Char('\n') + n->value;
        if (n->offset >= 0)
            tip += QStringLiteral("\nbytes [%1, %2)").arg(hexOffset(n->offset), hexOffset(n->offset + n->size));
        if (!entry.messages.isEmpty())
            tip += QLatin1Char('\n') + entry.messages.join(QLatin1Char('\n'));
        return tip;
    }
    case Qt::ForegroundRole:
        if (problem)
            return error ? errorColor() : warningColor();
        break;
    case Qt::DecorationRole:
        if (problem && index.column() == FieldColumn)
            return QApplication::style()->standardIcon(error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == OffsetColumn || index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case NodeOffsetRole: return n->offset;
    case NodeSizeRole: return n->size;
    case NodePathRole: return entry.path;
    case NodeProblemRole: return problem;
    }
    return {};
}

QVariant InspectionTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && (section == OffsetColumn || section == SizeColumn))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FieldColumn: return tr("Field");
    case ValueColumn: return tr("Value");
    case OffsetColumn: return tr("Offset");
    case SizeColumn: return tr("Size");
    }
    return {};
}

} // namespace otalab::app
