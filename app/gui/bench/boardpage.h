// SPDX-License-Identifier: Apache-2.0
// BoardPage: one board's page on the Bench — slots table, commands, drop zone, progress, exchange log.
#pragma once

#include "boardcontroller.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;

namespace otalab::app {

class DropZone;

// Shows a BoardController and sends it the user's commands; holds no board state of its
// own. Updates are coalesced (one repaint per ~50 ms however fast the board talks); the
// exchange log keeps the last kMaxLogLines lines: requests and responses one line each,
// the board's console text in grey, errors in red. Errors show in plain words above the
// table — never in a dialog. GUI thread; the controller must outlive the page.
class BoardPage final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxLogLines = 5000;

    explicit BoardPage(BoardController& board, QWidget* parent = nullptr);

    BoardController& board() const { return m_board; }
    QTableView& table() const { return *m_table; }
    DropZone& dropZone() const { return *m_drop; }
    QPlainTextEdit& log() const { return *m_log; }
    QProgressBar& progressBar() const { return *m_progress; }
    QLabel& messageLabel() const { return *m_message; }
    QPushButton* button(const QString& objectName) const;
    // Applies pending updates and log lines now (tests, screenshots).
    void flush();

Q_SIGNALS:
    void removeRequested(otalab::app::BoardController* board);
    void statusMessage(const QString& message);

private:
    QWidget* buildHeader();
    QWidget* buildButtons();
    QWidget* buildTransfer();
    void scheduleUpdate();
    void fitTable();
    void updateView();
    void appendLog(BoardController::LogKind kind, const QString& text);
    QByteArray selectedHash(bool skipActive) const;
    QString askForImage(const QString& title);
    void onCommandFinished(BoardController::Activity activity, bool ok, const QString& message);

    BoardController& m_board;
    QLabel* m_name = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_spec = nullptr;
    QLabel* m_message = nullptr;
    QPushButton* m_reconnect = nullptr;
    QPushButton* m_disconnect = nullptr;
    QList<QPushButton*> m_commands;   // enabled when the board is ready
    QPushButton* m_stop = nullptr;
    QComboBox* m_mode = nullptr;
    QTableView* m_table = nullptr;
    DropZone* m_drop = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_rate = nullptr;
    QLabel* m_wire = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QTimer* m_update = nullptr;
    QStringList m_pendingLog;         // HTML lines not yet appended
};

} // namespace otalab::app
