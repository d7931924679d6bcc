// SPDX-License-Identifier: Apache-2.0
// Head of the Image Inspector: file, format, verdict badges and the first error.
#include "inspectionsummaryview.h"

#include "badgeview.h"
#include "findingsmodel.h"
#include "guistyle.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QResizeEvent>
#include <QVBoxLayout>

namespace otalab::app {

using core::image::CheckState;
using core::image::Inspection;

InspectionSummaryView::InspectionSummaryView(QWidget* parent)
    : QWidget(parent),
      m_fileName(new QLabel(this)),
      m_details(new QLabel(this)),
      m_banner(new QLabel(this)),
      m_integrity(new BadgeView(tr("Integrity"), this)),
      m_signature(new BadgeView(tr("Signature"), this)),
      m_encryption(new BadgeView(tr("Encryption"), this))
{
    QFont big = m_fileName->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setWeight(QFont::DemiBold);
    m_fileName->setFont(big);
    m_fileName->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setForegroundRole(QPalette::PlaceholderText);
    m_details->setWordWrap(true);
    m_banner->setObjectName(QStringLiteral("verdictBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->hide();

    auto* badges = new QVBoxLayout;
    badges->setSpacing(4);
    badges->addWidget(m_integrity);
    badges->addWidget(m_signature);
    badges->addWidget(m_encryption);

    auto* title = new QVBoxLayout;
    title->setSpacing(2);
    title->addWidget(m_fileName);
    title->addWidget(m_details);
    title->addStretch(1);

    m_top = new QBoxLayout(QBoxLayout::LeftToRight);
    m_top->setSpacing(16);
    m_top->addLayout(title, 2);
    m_top->addLayout(badges, 3);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addLayout(m_top);
    layout->addWidget(m_banner);
}

void InspectionSummaryView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    setStacked(width() < kStackBelowWidth);
}

bool InspectionSummaryView::isStacked() const
{
    return m_top->direction() == QBoxLayout::TopToBottom;
}

void InspectionSummaryView::setStacked(bool stacked)
{
    if (stacked == isStacked())
        return;
    m_top->setDirection(stacked ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    m_top->setSpacing(stacked ? 6 : 16);
    for (BadgeView* badge : {m_integrity, m_signature, m_encryption})
        badge->setStacked(stacked);
}

QString InspectionSummaryView::verdictLine(const Inspection& inspection)
{
    if (const core::image::Finding* error = inspection.firstError()) {
        QString where;
        if (error->offset >= 0 && !error->field.isEmpty())
            where = tr(" at offset %1 (%2)").arg(hexOffset(error->offset), error->field);
        else if (error->offset >= 0)
            where = tr(" at offset %1").arg(hexOffset(error->offset));
        else if (!error->field.isEmpty())
            where = tr(" in %1").arg(error->field);
        return tr("Error%1: %2").arg(where, error->message);
    }
    const std::pair<QString, const core::image::Badge*> badges[] = {
        {tr("Integrity"), &inspection.integrity}, {tr("Signature"), &inspection.signature}, {tr("Encryption"), &inspection.encryption}};
    for (const auto& [name, badge] : badges)
        if (badge->state == CheckState::Invalid)
            return tr("%1 invalid: %2").arg(name, badge->detail);
    const int warnings = FindingsModel::count(inspection, core::image::Severity::Warning);
    return warnings == 0 ? tr("No problems found") : tr("No errors found, %n warning(s)", nullptr, warnings);
}

void InspectionSummaryView::setInspection(const QString& path, const Inspection& inspection, const QString& keys)
{
    const QFileInfo info(path);
    m_fileName->setText(info.fileName().isEmpty() ? path : info.fileName());
    m_fileName->setToolTip(QDir::toNativeSeparators(info.absoluteFilePath()));
    QStringList details{inspection.format == core::image::Format::Unknown ? tr("Unknown format") : inspection.formatName,
                        byteCount(inspection.bytes.size())};
    if (!keys.isEmpty())
        details.append(keys);
    m_details->setText(details.join(QStringLiteral("  ·  ")));
    m_details->setToolTip(QDir::toNativeSeparators(info.absolutePath()));
    m_integrity->setBadge(inspection.integrity);
    m_signature->setBadge(inspection.signature);
    m_encryption->setBadge(inspection.encryption);
    setBanner(verdictLine(inspection), !inspection.isValid());
}

void InspectionSummaryView::setLoadError(const QString& message)
{
    setBanner(message, true);
}

QString InspectionSummaryView::detailsText() const
{
    return m_details->text();
}

QString InspectionSummaryView::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void InspectionSummaryView::setBanner(const QString& text, bool error)
{
    m_bannerIsError = error;
    const QColor accent = error ? errorColor() : badgeBackground(CheckState::Valid);
    QColor fill = accent;
    fill.setAlpha(28);
    m_banner->setStyleSheet(QStringLiteral("QLabel#verdictBanner { background: rgba(%1,%2,%3,%4); color: %5;"
                                           " border: 1px solid %5; border-radius: 4px; padding: 6px 8px; }")
                                .arg(fill.red()).arg(fill.green()).arg(fill.blue()).arg(fill.alpha())
                                .arg(accent.name()));
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

} // namespace otalab::app
