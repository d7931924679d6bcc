// SPDX-License-Identifier: Apache-2.0
// BenchWindow: the "OTA Lab — Bench" window.
#include "benchwindow.h"

#include "benchcontroller.h"
#include "boardlistmodel.h"
#include "boardlistview.h"
#include "boardpage.h"
#include "connectpanel.h"
#include "jobspage.h"

#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace otalab::app {

namespace {

QSettings settings()
{
    return QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab"));
}

const QString GeometryKey = QStringLiteral("bench/geometry");
const QString LastDirKey = QStringLiteral("bench/lastImageDir");

} // namespace

BenchWindow::BenchWindow(QStringList pluginPaths, QWidget* parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("otalabBenchWindow"));
    setWindowTitle(tr("OTA Lab — Bench"));
    m_bench = pluginPaths.isEmpty() ? new BenchController(this) : new BenchController(std::move(pluginPaths), this);
    m_model = new BoardListModel(*m_bench, this);

    m_stack = new QStackedWidget(this);
    m_placeholder = new QLabel(tr("<p style=\"font-size:14pt\">No board on the Bench yet.</p>"
                                  "<p>Pick a transport and a port on the left and press <b>Connect</b>.<br>"
                                  "Every board gets its own page here: its image slots, commands, progress and "
                                  "exchange log.</p>"),
                               m_stack);
    static_cast<QLabel*>(m_placeholder)->setAlignment(Qt::AlignCenter);
    static_cast<QLabel*>(m_placeholder)->setWordWrap(true);
    m_stack->addWidget(m_placeholder);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setChildrenCollapsible(false);
    split->addWidget(buildLeft());
    split->addWidget(m_stack);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({400, 1000});
    // Boards (SMP over serial/UDP/BLE) beside jobs over MQTT (jobspage.h).
    auto* tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("benchTabs"));
    tabs->addTab(split, tr("Boards"));
    auto* jobs = new JobsPage(tabs);
    tabs->addTab(jobs, tr("Jobs (MQTT)"));
    connect(jobs, &JobsPage::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 10000); });
    setCentralWidget(tabs);

    m_summary = new QLabel(this);
    statusBar()->addPermanentWidget(m_summary);

    connect(m_bench, &BenchController::boardAdded, this, &BenchWindow::onBoardAdded);
    connect(m_bench, &BenchController::boardRemoved, this, &BenchWindow::onBoardRemoved);
    connect(m_connect, &ConnectPanel::boardConnected, this, &BenchWindow::showBoard);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentRowChanged(current.row()); });
    connect(m_list, &BoardListView::filesDropped, this, &BenchWindow::uploadTo);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &BenchWindow::updateSummary);

    resize(1400, 900);
    restoreGeometry(settings().value(GeometryKey).toByteArray());
    updateSummary();
}

BenchWindow::~BenchWindow()
{
    // Pages watch their controllers: delete them before the controller goes.
    qDeleteAll(m_pages);
    m_pages.clear();
}

QWidget* BenchWindow::buildLeft()
{
    auto* left = new QWidget(this);
    left->setMinimumWidth(320);
    m_connect = new ConnectPanel(*m_bench, left);

    auto* boards = new QGroupBox(tr("Boards"), left);
    m_list = new BoardListView(*m_model, boards);
    m_list->setToolTip(tr("Drop an image file here to upload it to every selected board"));
    auto* uploadSelected = new QPushButton(tr("Upload to selected…"), boards);
    uploadSelected->setObjectName(QStringLiteral("benchUploadSelected"));
    connect(uploadSelected, &QPushButton::clicked, this, [this] {
        const QList<BoardController*> targets = m_list->selectedBoards();
        if (targets.isEmpty()) {
            statusBar()->showMessage(tr("select one or more boards in the list first"), 8000);
            return;
        }
        QSettings s = settings();
        const QString path = QFileDialog::getOpenFileName(this, tr("Upload image to %n board(s)", nullptr, int(targets.size())),
                                                          s.value(LastDirKey).toString(),
                                                          tr("MCUboot images (*.bin *.img *.signed);;All files (*)"));
        if (path.isEmpty())
            return;
        s.setValue(LastDirKey, QFileInfo(path).absolutePath());
        uploadTo({path}, targets);
    });
    auto* remove = new QPushButton(tr("Disconnect"), boards);
    remove->setObjectName(QStringLiteral("benchRemoveSelected"));
    connect(remove, &QPushButton::clicked, this, [this] {
        for (BoardController* board : m_list->selectedBoards())
            m_bench->removeBoard(board);
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(uploadSelected);
    buttons->addWidget(remove);
    auto* boardsLayout = new QVBoxLayout(boards);
    boardsLayout->addWidget(m_list, 1);
    boardsLayout->addLayout(buttons);

    auto* layout = new QVBoxLayout(left);
    layout->setContentsMargins(6, 6, 0, 6);
    layout->addWidget(m_connect);
    layout->addWidget(boards, 1);
    return left;
}

BoardPage* BenchWindow::currentPage() const
{
    return qobject_cast<BoardPage*>(m_stack->currentWidget());
}

void BenchWindow::showBoard(BoardController* board)
{
    const int row = m_model->rowOf(board);
    if (row < 0)
        return;
    m_list->setCurrentIndex(m_model->index(row));
}

void BenchWindow::onBoardAdded(BoardController* board)
{
    auto* page = new BoardPage(*board, m_stack);
    m_pages.insert(board, page);
    m_stack->addWidget(page);
    connect(page, &BoardPage::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message, 10000);
    });
    connect(page, &BoardPage::removeRequested, m_bench, &BenchController::removeBoard);
    if (m_bench->boards().size() == 1 || !m_list->currentIndex().isValid())
        showBoard(board);
    updateSummary();
}

void BenchWindow::onBoardRemoved(BoardController* board)
{
    BoardPage* page = m_pages.take(board);
    if (page) {
        board->disconnect(page);
        m_stack->removeWidget(page);
        page->deleteLater();
    }
    if (!currentPage())
        m_stack->setCurrentWidget(m_placeholder);
    updateSummary();
}

void BenchWindow::onCurrentRowChanged(int row)
{
    BoardPage* page = m_pages.value(m_model->boardAt(row));
    m_stack->setCurrentWidget(page ? static_cast<QWidget*>(page) : m_placeholder);
}

void BenchWindow::uploadTo(const QStringList& paths, const QList<BoardController*>& boards)
{
    if (paths.isEmpty() || boards.isEmpty())
        return;
    const QString name = QFileInfo(paths.first()).fileName();
    const int started = m_bench->uploadFile(paths.first(), boards);
    if (started == int(boards.size()))
        statusBar()->showMessage(tr("uploading %1 to %n board(s)", nullptr, started).arg(name), 10000);
    else
        statusBar()->showMessage(tr("uploading %1 to %2 of %3 boards; the others are busy or not connected (see their pages)")
                                     .arg(name).arg(started).arg(boards.size()),
                                 15000);
}

void BenchWindow::updateSummary()
{
    int busy = 0, waiting = 0;
    for (const BoardController* board : m_bench->boards()) {
        busy += board->isBusy() ? 1 : 0;
        waiting += board->state() == BoardController::State::Waiting ? 1 : 0;
    }
    QString text = tr("%n board(s)", nullptr, int(m_bench->boards().size()));
    if (busy)
        text += tr(" · %1 busy").arg(busy);
    if (waiting)
        text += tr(" · %1 waiting for the link").arg(waiting);
    m_summary->setText(text);
}

void BenchWindow::closeEvent(QCloseEvent* event)
{
    settings().setValue(GeometryKey, saveGeometry());
    QMainWindow::closeEvent(event);
}

} // namespace otalab::app
