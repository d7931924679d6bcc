// SPDX-License-Identifier: Apache-2.0
// ExportDialog: pick the parts of an export and the folder, each part with its estimated size.
#pragma once

#include "export/exportplan.h"

#include <QDialog>

#include <array>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace otalab::app {

// Modal; shows one check box per ExportPart ("Event trace (JSONL) — trace.jsonl —
// about 190 MB"), the total of the ticked parts and where the estimate comes from,
// before anything is written. Export is enabled while a part is ticked and a folder given.
class ExportDialog final : public QDialog {
    Q_OBJECT
public:
    ExportDialog(const ExportEstimate& estimate, const QString& basis, const ExportSelection& initial, const QString& folder,
                 QWidget* parent = nullptr);

    ExportSelection selection() const;
    QString folder() const;
    QCheckBox* partBox(ExportPart part) const { return m_boxes[std::size_t(part)]; }
    QString totalText() const;
    bool canExport() const;

private:
    void update();

    ExportEstimate m_estimate;
    std::array<QCheckBox*, kExportPartCount> m_boxes{};
    QLabel* m_total = nullptr;
    QLineEdit* m_folder = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace otalab::app
