// SPDX-License-Identifier: Apache-2.0
// One verdict (integrity, signature or encryption) shown as a coloured pill plus detail.
#pragma once

#include "core/image/inspection.h"

#include <QWidget>

class QBoxLayout;
class QLabel;

namespace otalab::app {

// A pill "Integrity: valid" coloured by state (green valid, red invalid, grey
// absent, amber unchecked) with the badge's one-line detail beside it and in the
// tooltip. `title` names the check. Stacked (detail under the pill, wrapped to the full
// width) when the panel is too narrow for both side by side.
class BadgeView final : public QWidget {
    Q_OBJECT
public:
    explicit BadgeView(const QString& title, QWidget* parent = nullptr);

    void setBadge(const core::image::Badge& badge);
    void clear();

    // Detail under the pill (true) or beside it (false, the default).
    void setStacked(bool stacked);
    bool isStacked() const;

    core::image::CheckState state() const { return m_state; }
    QString pillText() const;
    QString detailText() const;

private:
    QString m_title;
    core::image::CheckState m_state = core::image::CheckState::Absent;
    QLabel* m_pill = nullptr;
    QLabel* m_detail = nullptr;
    QBoxLayout* m_layout = nullptr;
};

} // namespace otalab::app
