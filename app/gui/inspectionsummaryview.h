// SPDX-License-Identifier: Apache-2.0
// Head of the Image Inspector: file name and format, the three verdict badges, and
// a banner with the first error (or a clean bill of health).
#pragma once

#include "core/image/inspection.h"

#include <QWidget>

class QBoxLayout;
class QLabel;

namespace otalab::app {

class BadgeView;

class InspectionSummaryView final : public QWidget {
    Q_OBJECT
public:
    explicit InspectionSummaryView(QWidget* parent = nullptr);

    // Shows `inspection` of the file at `path`; `keys` is a short note on the keys used.
    void setInspection(const QString& path, const core::image::Inspection& inspection, const QString& keys);
    // Shows a load failure in the banner; the rest keeps showing the last file.
    void setLoadError(const QString& message);

    // "Error at offset 0x1c (header.totalImageSize): <message>", or the valid/invalid line.
    static QString verdictLine(const core::image::Inspection& inspection);

    QString bannerText() const;
    // The line under the file name: format, size and what the keys did for this file.
    QString detailsText() const;
    bool bannerIsError() const { return m_bannerIsError; }
    BadgeView* integrityBadge() const { return m_integrity; }
    BadgeView* signatureBadge() const { return m_signature; }
    BadgeView* encryptionBadge() const { return m_encryption; }
    // Below this width the title goes above the badges and each badge's detail under its
    // pill, so nothing is squeezed into a column a word wide (a docked inspector).
    static constexpr int kStackBelowWidth = 560;
    bool isStacked() const;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void setBanner(const QString& text, bool error);
    void setStacked(bool stacked);

    QLabel* m_fileName = nullptr;
    QLabel* m_details = nullptr;
    QLabel* m_banner = nullptr;
    BadgeView* m_integrity = nullptr;
    BadgeView* m_signature = nullptr;
    BadgeView* m_encryption = nullptr;
    QBoxLayout* m_top = nullptr;
    bool m_bannerIsError = false;
};

} // namespace otalab::app
