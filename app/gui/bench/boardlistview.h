// SPDX-License-Identifier: Apache-2.0
// BoardListView: the list of boards (painted by its delegate) that also takes image files.
#pragma once

#include <QListView>
#include <QStyledItemDelegate>

namespace otalab::app {

class BoardController;
class BoardListModel;

// Paints one board per row: a state dot, the name, the running version, the state (or
// the last error in red) and, while a transfer runs, a progress bar with rate and ETA.
class BoardListDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

// Extended selection. Files dropped on a selected row (or below the rows) go to every
// selected board; dropped on an unselected row, to that board only.
class BoardListView final : public QListView {
    Q_OBJECT
public:
    explicit BoardListView(BoardListModel& model, QWidget* parent = nullptr);

    QList<BoardController*> selectedBoards() const;
    // Which boards a drop at `pos` (viewport coordinates) goes to.
    QList<BoardController*> dropTargets(const QPoint& pos) const;

Q_SIGNALS:
    void filesDropped(const QStringList& paths, const QList<otalab::app::BoardController*>& boards);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    BoardListModel& m_model;
};

} // namespace otalab::app
