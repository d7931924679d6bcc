// SPDX-License-Identifier: Apache-2.0
// CollapsibleSection: a titled part of the scenario form that folds away.
#pragma once

#include <QWidget>

class QToolButton;

namespace otalab::app {

// A header button (arrow + title) above `content`; collapsed, only the header is shown.
// GUI thread only.
class CollapsibleSection final : public QWidget {
    Q_OBJECT
public:
    CollapsibleSection(const QString& title, QWidget* content, QWidget* parent = nullptr);

    bool isExpanded() const;
    void setExpanded(bool expanded);
    void setTitle(const QString& title);
    QWidget* content() const { return m_content; }
    // Expands every CollapsibleSection that holds `widget`, so it can be shown.
    static void revealAncestors(QWidget* widget);

private:
    QToolButton* m_header;
    QWidget* m_content;
};

} // namespace otalab::app
