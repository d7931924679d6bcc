// SPDX-License-Identifier: Apache-2.0
// FieldGrid: a two-column label/value grid that reuses its labels between updates.
#pragma once

#include "inspector/deviceinspectorcontroller.h"

#include <QWidget>

#include <vector>

class QGridLayout;
class QLabel;

namespace otalab::app {

// Values are selectable text. setFields() touches only labels whose text changed, so
// a 30 Hz refresh costs nothing when the device is idle. GUI thread only.
class FieldGrid final : public QWidget {
    Q_OBJECT
public:
    explicit FieldGrid(QWidget* parent = nullptr);

    void setFields(const std::vector<InspectorField>& fields);
    // Width of the label column, so stacked grids line up (pixels).
    void setLabelWidth(int pixels);
    int rowCount() const { return int(m_rows.size()); }
    QString valueText(int row) const;

private:
    struct Row {
        QLabel* label;
        QLabel* value;
    };
    QGridLayout* m_grid;
    std::vector<Row> m_rows;
};

} // namespace otalab::app
