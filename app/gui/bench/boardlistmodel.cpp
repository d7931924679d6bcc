// SPDX-License-Identifier: Apache-2.0
// BoardListModel: the boards on the Bench as a list.
#include "boardlistmodel.h"

#include "benchcontroller.h"
#include "benchformat.h"

namespace otalab::app {

BoardListModel::BoardListModel(BenchController& bench, QObject* parent) : QAbstractListModel(parent), m_bench(bench)
{
    for (BoardController* board : bench.boards())
        watch(board);
    m_rows = bench.boards();
    connect(&bench, &BenchController::boardAdded, this, [this](BoardController* board) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append(board);
        watch(board);
        endInsertRows();
    });
    connect(&bench, &BenchController::boardRemoved, this, [this](BoardController* board) {
        const int row = rowOf(board);
        if (row < 0)
            return;
        board->disconnect(this);
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    });
}

void BoardListModel::watch(BoardController* board)
{
    connect(board, &BoardController::changed, this, [this, board] {
        const int row = rowOf(board);
        if (row >= 0)
            Q_EMIT dataChanged(index(row), index(row));
    });
}

BoardController* BoardListModel::boardAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : nullptr;
}

int BoardListModel::rowOf(const BoardController* board) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i) == board)
            return i;
    }
    return -1;
}

int BoardListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QColor BoardListModel::stateColor(int state)
{
    switch (BoardController::State(state)) {
    case BoardController::State::Ready: return QColor(0x2e, 0x9d, 0x4b);
    case BoardController::State::Busy: return QColor(0x2f, 0x6f, 0xd6);
    case BoardController::State::Connecting:
    case BoardController::State::Waiting: return QColor(0xe0, 0x9b, 0x1a);
    case BoardController::State::Failed: return QColor(0xc6, 0x28, 0x28);
    case BoardController::State::Closed: return QColor(0x9e, 0x9e, 0x9e);
    }
    return Qt::gray;
}

QColor BoardListModel::stateColor(const BoardController& board)
{
    const BoardController::State state = board.state();
    if (state == BoardController::State::Ready && !board.lastError().isEmpty())
        return stateColor(int(BoardController::State::Failed));
    return stateColor(int(state));
}

QVariant BoardListModel::data(const QModelIndex& index, int role) const
{
    const BoardController* board = index.isValid() ? boardAt(index.row()) : nullptr;
    if (!board)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return board->name();
    case Qt::ToolTipRole:
        return board->lastError().isEmpty() ? board->spec() : board->spec() + QLatin1Char('\n') + board->lastError();
    case StateTextRole:
        return board->stateText();
    case StateColorRole:
        return stateColor(*board);
    case VersionRole:
        return board->runningVersion();
    case ProgressRole: {
        const auto& p = board->progress();
        if (!board->isBusy() || !p || p->total <= 0)
            return -1.0;
        return double(p->done) / double(p->total);
    }
    case ProgressTextRole:
        return board->isBusy() && board->progress() ? progressText(*board->progress()) : QString();
    case ErrorRole:
        return board->lastError();
    default:
        return {};
    }
}

} // namespace otalab::app
