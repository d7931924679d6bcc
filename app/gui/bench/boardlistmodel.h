// SPDX-License-Identifier: Apache-2.0
// BoardListModel: the boards on the Bench as a list (name, state, version, progress).
#pragma once

#include <QAbstractListModel>
#include <QColor>

namespace otalab::app {

class BenchController;
class BoardController;

// One row per board in BenchController::boards() order. Display: the board's name;
// the roles below carry what BoardListDelegate paints. Rows follow boardAdded/Removed;
// a board's changed() updates its row. GUI thread.
class BoardListModel final : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        StateTextRole = Qt::UserRole + 1,  // "ready", "uploading", "disconnected — waiting for the board…"
        StateColorRole,                    // QColor of the state dot
        VersionRole,                       // running version, "" when unknown
        ProgressRole,                      // 0..1 while a transfer runs, else -1
        ProgressTextRole,                  // "upload 45 % · 34.2 KiB/s · ETA 0:12"
        ErrorRole,                         // last error, "" when none
    };

    explicit BoardListModel(BenchController& bench, QObject* parent = nullptr);

    BoardController* boardAt(int row) const;
    int rowOf(const BoardController* board) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    // Colour of a BoardController::State (green ready, blue busy, amber waiting, red failed, grey closed).
    static QColor stateColor(int state);
    // The board's dot: its state's colour, red when it is idle after a failed command
    // (a board that gave up is not shown as a green "ready").
    static QColor stateColor(const BoardController& board);

private:
    void watch(BoardController* board);

    BenchController& m_bench;
    QList<BoardController*> m_rows;
};

} // namespace otalab::app
