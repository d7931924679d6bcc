// SPDX-License-Identifier: Apache-2.0
#include "export/exportdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace otalab::app {

ExportDialog::ExportDialog(const ExportEstimate& estimate, const QString& basis, const ExportSelection& initial,
                           const QString& folder, QWidget* parent)
    : QDialog(parent), m_estimate(estimate)
{
    setWindowTitle(tr("Export run"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("The export runs the scenario again with the same seed and writes the parts you tick. "
                                "Sizes are estimates, %1.").arg(basis));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    for (int i = 0; i < kExportPartCount; ++i) {
        const auto part = ExportPart(i);
        auto* box = new QCheckBox(tr("%1 — %2 — %3")
                                      .arg(exportPartName(part), exportPartFiles(part).join(QStringLiteral(", ")),
                                           approximateSize(estimate.of(part))));
        box->setObjectName(QStringLiteral("exportPart%1").arg(i));
        box->setChecked(initial.has(part));
        connect(box, &QCheckBox::toggled, this, &ExportDialog::update);
        m_boxes[std::size_t(i)] = box;
        layout->addWidget(box);
    }
    m_total = new QLabel;
    layout->addWidget(m_total);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Folder:")));
    m_folder = new QLineEdit(folder);
    connect(m_folder, &QLineEdit::textChanged, this, &ExportDialog::update);
    row->addWidget(m_folder, 1);
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export to"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
    row->addWidget(browse);
    layout->addLayout(row);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    update();
}

ExportSelection ExportDialog::selection() const
{
    ExportSelection s = ExportSelection::none();
    for (int i = 0; i < kExportPartCount; ++i)
        s.set(ExportPart(i), m_boxes[std::size_t(i)]->isChecked());
    return s;
}

QString ExportDialog::folder() const
{
    return m_folder->text().trimmed();
}

QString ExportDialog::totalText() const
{
    return m_total->text();
}

bool ExportDialog::canExport() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

void ExportDialog::update()
{
    const ExportSelection s = selection();
    m_total->setText(s.isEmpty() ? tr("Nothing ticked: nothing to write.")
                                 : tr("Together: %1 in %2").arg(approximateSize(m_estimate.total(s)),
                                                               folder().isEmpty() ? tr("(choose a folder)") : folder()));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!s.isEmpty() && !folder().isEmpty());
}

} // namespace otalab::app
