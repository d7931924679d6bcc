// SPDX-License-Identifier: Apache-2.0
// Table model of an Inspection's findings for the Image Inspector's findings list.
#pragma once

#include "core/image/inspection.h"

#include <QAbstractTableModel>
#include <memory>
#include <vector>

namespace otalab::app {

// Columns: Severity, Field, Offset (hex), Message. Rows are ordered errors first,
// then warnings, then infos, keeping the parser's order within a severity.
class FindingsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SeverityColumn, FieldColumn, OffsetColumn, MessageColumn, ColumnCount };

    explicit FindingsModel(QObject* parent = nullptr);

    void setInspection(std::shared_ptr<const core::image::Inspection> inspection);
    // How many of the inspection's findings have `severity`.
    static int count(const core::image::Inspection& inspection, core::image::Severity severity);

    // The finding shown in `row`, nullptr when out of range.
    const core::image::Finding* finding(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const core::image::Inspection> m_inspection;
    std::vector<const core::image::Finding*> m_rows;  // into m_inspection->findings
};

} // namespace otalab::app
