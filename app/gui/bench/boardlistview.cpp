// SPDX-License-Identifier: Apache-2.0
// BoardListView: the list of boards, painted, taking image files.
#include "boardlistview.h"

#include "boardlistmodel.h"
#include "dropzone.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QMimeData>
#include <QPainter>
#include <QStyleOption>

namespace otalab::app {

namespace {

constexpr int kPad = 8;
constexpr int kDot = 10;
constexpr int kBarHeight = 14;

} // namespace

QSize BoardListDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    const int line = option.fontMetrics.height();
    return {220, kPad + line + 4 + line + 6 + kBarHeight + kPad};
}

void BoardListDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    opt.text.clear();
    QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);   // background, selection

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor text = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    const QRect r = opt.rect.adjusted(kPad, kPad, -kPad, -kPad);
    const int line = opt.fontMetrics.height();

    // Line 1: dot, name, version.
    const QColor dot = index.data(BoardListModel::StateColorRole).value<QColor>();
    painter->setPen(dot.darker(130));
    painter->setBrush(dot);
    painter->drawEllipse(QRect(r.left(), r.top() + (line - kDot) / 2, kDot, kDot));
    QFont bold = opt.font;
    bold.setBold(true);
    const QString version = index.data(BoardListModel::VersionRole).toString();
    const QString versionText = version.isEmpty() ? QString() : QStringLiteral("v") + version;
    const int versionWidth = QFontMetrics(bold).horizontalAdvance(versionText);
    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(QRect(r.right() - versionWidth, r.top(), versionWidth, line), Qt::AlignRight | Qt::AlignVCenter,
                      versionText);
    const QRect nameRect(r.left() + kDot + 6, r.top(), r.width() - kDot - 6 - versionWidth - 8, line);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(bold).elidedText(index.data().toString(), Qt::ElideMiddle, nameRect.width()));

    // Line 2: state, or the last error.
    painter->setFont(opt.font);
    const QString error = index.data(BoardListModel::ErrorRole).toString();
    const QString state = index.data(BoardListModel::StateTextRole).toString();
    const QRect stateRect(r.left() + kDot + 6, r.top() + line + 4, r.width() - kDot - 6, line);
    QColor stateColor = text;
    if (!selected)
        stateColor = error.isEmpty() ? opt.palette.color(group, QPalette::PlaceholderText) : QColor(0xb0, 0x20, 0x20);
    painter->setPen(stateColor);
    const QString line2 = error.isEmpty() ? state : error;
    painter->drawText(stateRect, Qt::AlignLeft | Qt::AlignVCenter,
                      opt.fontMetrics.elidedText(line2, Qt::ElideRight, stateRect.width()));

    // Line 3: progress.
    const double fraction = index.data(BoardListModel::ProgressRole).toDouble();
    if (fraction >= 0) {
        QStyleOptionProgressBar bar;
        bar.rect = QRect(r.left() + kDot + 6, stateRect.bottom() + 6, r.width() - kDot - 6, kBarHeight);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(fraction * 1000);
        bar.textVisible = true;
        bar.text = index.data(BoardListModel::ProgressTextRole).toString();
        bar.state = QStyle::State_Enabled | QStyle::State_Horizontal;
        bar.palette = opt.palette;
        bar.fontMetrics = opt.fontMetrics;
        QFont small = opt.font;
        if (small.pointSizeF() > 0)
            small.setPointSizeF(small.pointSizeF() * 0.85);
        painter->setFont(small);
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, opt.widget);
    }
    painter->restore();
}

BoardListView::BoardListView(BoardListModel& model, QWidget* parent) : QListView(parent), m_model(model)
{
    setObjectName(QStringLiteral("benchBoardList"));
    setModel(&model);
    setItemDelegate(new BoardListDelegate(this));
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setUniformItemSizes(true);
    setAcceptDrops(true);
    setDropIndicatorShown(false);
    viewport()->setAcceptDrops(true);
}

QList<BoardController*> BoardListView::selectedBoards() const
{
    QList<BoardController*> boards;
    const QModelIndexList rows = selectionModel()->selectedRows();
    for (int row = 0; row < m_model.rowCount(); ++row) {   // in list order
        for (const QModelIndex& index : rows) {
            if (index.row() == row)
                boards << m_model.boardAt(row);
        }
    }
    return boards;
}

QList<BoardController*> BoardListView::dropTargets(const QPoint& pos) const
{
    const QModelIndex under = indexAt(pos);
    if (under.isValid() && !selectionModel()->isSelected(under))
        return {m_model.boardAt(under.row())};
    return selectedBoards();
}

void BoardListView::dragEnterEvent(QDragEnterEvent* event)
{
    if (droppedFiles(event->mimeData()).isEmpty())
        return;
    event->acceptProposedAction();
}

void BoardListView::dragMoveEvent(QDragMoveEvent* event)
{
    if (droppedFiles(event->mimeData()).isEmpty() || dropTargets(event->position().toPoint()).isEmpty()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
}

void BoardListView::dropEvent(QDropEvent* event)
{
    const QStringList files = droppedFiles(event->mimeData());
    const QList<BoardController*> targets = dropTargets(event->position().toPoint());
    if (files.isEmpty() || targets.isEmpty())
        return;
    event->acceptProposedAction();
    Q_EMIT filesDropped(files, targets);
}

} // namespace otalab::app
