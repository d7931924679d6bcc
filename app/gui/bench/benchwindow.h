// SPDX-License-Identifier: Apache-2.0
// BenchWindow: the "OTA Lab — Bench" window for real (and emulated) boards.
#pragma once

#include <QHash>
#include <QMainWindow>

class QLabel;
class QStackedWidget;

namespace otalab::app {

class BenchController;
class BoardController;
class BoardListModel;
class BoardListView;
class BoardPage;
class ConnectPanel;

// Assembles only: on the left the Connect box and the list of boards (drop an image on
// it to send it to the selected boards); on the right one BoardPage per board, the one
// current in the list shown. Owns the BenchController. Geometry persists in
// QSettings("OTA Lab", "otalab") under bench/. GUI thread only.
class BenchWindow final : public QMainWindow {
    Q_OBJECT
public:
    // `pluginPaths` empty: hw::TransportRegistry::defaultSearchPaths().
    explicit BenchWindow(QStringList pluginPaths = {}, QWidget* parent = nullptr);
    ~BenchWindow() override;

    BenchController& bench() const { return *m_bench; }
    ConnectPanel& connectPanel() const { return *m_connect; }
    BoardListView& boardList() const { return *m_list; }
    BoardPage* pageOf(const BoardController* board) const { return m_pages.value(board); }
    BoardPage* currentPage() const;
    void showBoard(BoardController* board);
    // Uploads the first of `paths` to `boards`, reporting in the status bar.
    void uploadTo(const QStringList& paths, const QList<BoardController*>& boards);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QWidget* buildLeft();
    void onBoardAdded(BoardController* board);
    void onBoardRemoved(BoardController* board);
    void onCurrentRowChanged(int row);
    void updateSummary();

    BenchController* m_bench = nullptr;
    BoardListModel* m_model = nullptr;
    ConnectPanel* m_connect = nullptr;
    BoardListView* m_list = nullptr;
    QStackedWidget* m_stack = nullptr;
    QWidget* m_placeholder = nullptr;
    QLabel* m_summary = nullptr;
    QHash<const BoardController*, BoardPage*> m_pages;
};

} // namespace otalab::app
