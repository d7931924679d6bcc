// SPDX-License-Identifier: Apache-2.0
// Read-only item model over an Inspection's Node tree for the Image Inspector's tree view.
#pragma once

#include "core/image/inspection.h"

#include <QAbstractItemModel>
#include <QHash>
#include <memory>
#include <vector>

namespace otalab::app {

// Columns: Field (label), Value, Offset (hex), Size (bytes). The single top-level row
// is the inspection's root node. Nodes flagged `problem`, or named by a finding, are
// painted red with a warning icon and carry the findings' messages as tooltip.
// The model keeps the Inspection alive through the shared pointer; the Node
// pointers it hands out stay valid until the next setInspection().
class InspectionTreeModel final : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { FieldColumn, ValueColumn, OffsetColumn, SizeColumn, ColumnCount };
    // NodeProblemRole: true for a node flagged `problem` or named by any finding.
    enum Role { NodeOffsetRole = Qt::UserRole + 1, NodeSizeRole, NodePathRole, NodeProblemRole };

    explicit InspectionTreeModel(QObject* parent = nullptr);
    ~InspectionTreeModel() override;

    void setInspection(std::shared_ptr<const core::image::Inspection> inspection);
    void clear() { setInspection(nullptr); }

    // The node behind an index, nullptr for an invalid index.
    const core::image::Node* node(const QModelIndex& index) const;
    // Dotted path of a node's names without the root, e.g. "header.totalImageSize".
    QString path(const QModelIndex& index) const;

    // The node a finding points at: the node whose path equals the field (with or
    // without the root's name); else the smallest node containing the offset within
    // the deepest node whose path is a prefix of the field, else that node. Invalid
    // when nothing more specific than the root matches.
    QModelIndex indexForFinding(const core::image::Finding& finding) const;

    // The smallest node whose byte range holds `offset` (the root included).
    QModelIndex indexAtOffset(qint64 offset) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Entry {
        const core::image::Node* parent = nullptr;
        int row = 0;
        QString path;
        QStringList messages;  // findings pointing at this node, "error: ..."
        core::image::Severity severity = core::image::Severity::Info;  // worst of those findings
    };

    void indexNode(const core::image::Node& node, const core::image::Node* parent, int row, const QString& path);
    const Entry& entry(const core::image::Node* node) const;
    QModelIndex indexOf(const core::image::Node* node, int column = 0) const;

    std::shared_ptr<const core::image::Inspection> m_inspection;
    QHash<const core::image::Node*, Entry> m_entries;
    QHash<QString, const core::image::Node*> m_byPath;
};

} // namespace otalab::app
