// SPDX-License-Identifier: Apache-2.0
// BoardPage: one board's page on the Bench.
#include "boardpage.h"

#include "benchformat.h"
#include "boardlistmodel.h"
#include "dropzone.h"
#include "guistyle.h"
#include "slottablemodel.h"

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace otalab::app {

namespace {

const QString LastDirKey = QStringLiteral("bench/lastImageDir");

QString imageFilter()
{
    return BoardPage::tr("MCUboot images (*.bin *.img *.signed *.hex.bin);;All files (*)");
}

QString byteText(qint64 bytes)
{
    if (bytes < 10 * 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 10 * 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}

} // namespace

BoardPage::BoardPage(BoardController& board, QWidget* parent) : QWidget(parent), m_board(board)
{
    setObjectName(QStringLiteral("benchBoardPage"));
    m_update = new QTimer(this);
    m_update->setSingleShot(true);
    m_update->setInterval(50);
    connect(m_update, &QTimer::timeout, this, &BoardPage::flush);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("benchSlotTable"));
    m_table->setModel(board.slots());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(SlotTableModel::Hash, QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(64);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(board.slots(), &QAbstractItemModel::modelReset, this, &BoardPage::fitTable);

    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("benchExchangeLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kMaxLogLines);
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setPlaceholderText(tr("Requests and answers appear here, one line each."));

    m_drop = new DropZone(tr("Drop an image file here to upload it to this board "
                             "(drop it on the board list to send it to every selected board)"),
                          this);
    connect(m_drop, &DropZone::filesDropped, this, [this](const QStringList& files) {
        if (files.size() > 1)
            Q_EMIT statusMessage(tr("several files dropped: uploading the first, %1").arg(QFileInfo(files.first()).fileName()));
        m_board.uploadFile(files.first());
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(buildHeader());
    layout->addWidget(buildButtons());
    layout->addWidget(m_table);
    layout->addWidget(m_drop);
    layout->addWidget(buildTransfer());
    layout->addSpacing(4);
    layout->addWidget(new QLabel(tr("<b>Exchange log</b>"), this));
    layout->addWidget(m_log, 1);

    connect(&board, &BoardController::changed, this, &BoardPage::scheduleUpdate);
    connect(&board, &BoardController::logLine, this, &BoardPage::appendLog);
    connect(&board, &BoardController::commandFinished, this, &BoardPage::onCommandFinished);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BoardPage::scheduleUpdate);
    fitTable();
    updateView();
}

void BoardPage::fitTable()
{
    // As tall as the rows (2 to 6 of them): the log below gets the rest.
    const int rows = std::clamp(m_table->model()->rowCount(), 2, 6);
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() + rows * rowHeight
                            + 2 * m_table->frameWidth() + 2);
}

QWidget* BoardPage::buildHeader()
{
    auto* header = new QWidget(this);
    m_name = new QLabel(header);
    QFont big = m_name->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    m_name->setFont(big);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_state = new QLabel(header);
    m_state->setObjectName(QStringLiteral("benchBoardState"));
    m_spec = new QLabel(header);
    m_spec->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_spec->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_message = new QLabel(header);
    m_message->setObjectName(QStringLiteral("benchBoardMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_reconnect = new QPushButton(tr("Reconnect"), header);
    m_reconnect->setObjectName(QStringLiteral("benchReconnect"));
    m_reconnect->setToolTip(tr("Open the connection again and read the slots"));
    connect(m_reconnect, &QPushButton::clicked, &m_board, &BoardController::connectBoard);
    m_disconnect = new QPushButton(tr("Disconnect"), header);
    m_disconnect->setObjectName(QStringLiteral("benchDisconnect"));
    m_disconnect->setToolTip(tr("Close the connection and take the board off the Bench"));
    connect(m_disconnect, &QPushButton::clicked, this, [this] { Q_EMIT removeRequested(&m_board); });

    auto* top = new QHBoxLayout;
    top->addWidget(m_name);
    top->addSpacing(12);
    top->addWidget(m_state);
    top->addStretch(1);
    top->addWidget(m_reconnect);
    top->addWidget(m_disconnect);
    auto* layout = new QVBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_spec);
    layout->addWidget(m_message);
    return header;
}

QWidget* BoardPage::buildButtons()
{
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto add = [&](const QString& name, const QString& text, const QString& tip, auto&& slot) {
        auto* b = new QPushButton(text, row);
        b->setObjectName(name);
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        layout->addWidget(b);
        m_commands << b;
        return b;
    };
    add(QStringLiteral("benchRefresh"), tr("Refresh"), tr("Read the image slots again"), [this] { m_board.refresh(); });
    add(QStringLiteral("benchUpload"), tr("Upload image…"), tr("Upload an image file to the secondary slot"), [this] {
        const QString path = askForImage(tr("Upload image to %1").arg(m_board.name()));
        if (!path.isEmpty())
            m_board.uploadFile(path);
    });
    add(QStringLiteral("benchTest"), tr("Test"),
        tr("Mark the selected image (default: the one in the secondary slot) to run once after the next reset"),
        [this] { m_board.test(selectedHash(true)); });
    add(QStringLiteral("benchConfirm"), tr("Confirm"),
        tr("Make the selected image (default: the running one) permanent"),
        [this] { m_board.confirm(selectedHash(false)); });
    add(QStringLiteral("benchErase"), tr("Erase"), tr("Erase the secondary slot"), [this] { m_board.erase(); });
    add(QStringLiteral("benchReset"), tr("Reset"), tr("Restart the board (MCUboot swaps a pending image in)"),
        [this] { m_board.reset(); });
    layout->addSpacing(16);
    layout->addStretch(1);
    auto* modeLabel = new QLabel(tr("Mode:"), row);
    m_mode = new QComboBox(row);
    m_mode->setObjectName(QStringLiteral("benchUpgradeMode"));
    m_mode->addItem(tr("test"), int(core::smp::UpgradeMode::TestOnly));
    m_mode->addItem(tr("confirm"), int(core::smp::UpgradeMode::ConfirmOnly));
    m_mode->addItem(tr("test and confirm"), int(core::smp::UpgradeMode::TestAndConfirm));
    m_mode->setCurrentIndex(2);
    m_mode->setToolTip(tr("test: the new image runs once and MCUboot reverts at the next reset unless confirmed\n"
                          "confirm: permanent at once, without a test boot\n"
                          "test and confirm: test boot, check it runs, then confirm"));
    layout->addWidget(modeLabel);
    layout->addWidget(m_mode);
    add(QStringLiteral("benchUpgrade"), tr("Upgrade…"),
        tr("Upload, mark, reset, wait for the board and check it runs the new image"), [this] {
            const QString path = askForImage(tr("Upgrade %1 with").arg(m_board.name()));
            if (!path.isEmpty())
                m_board.upgradeFile(path, core::smp::UpgradeMode(m_mode->currentData().toInt()));
        });
    m_stop = new QPushButton(tr("Stop"), row);
    m_stop->setObjectName(QStringLiteral("benchStop"));
    m_stop->setToolTip(tr("Abort the running command (uploading the same image again resumes through its SHA-256 "
                          "while the board has not restarted)"));
    connect(m_stop, &QPushButton::clicked, &m_board, &BoardController::cancel);
    layout->addWidget(m_stop);
    return row;
}

QWidget* BoardPage::buildTransfer()
{
    auto* row = new QWidget(this);
    m_progress = new QProgressBar(row);
    m_progress->setObjectName(QStringLiteral("benchBoardProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_rate = new QLabel(row);
    m_rate->setObjectName(QStringLiteral("benchBoardRate"));
    m_rate->setMinimumWidth(260);
    m_wire = new QLabel(row);
    m_wire->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_wire->setToolTip(tr("Raw bytes over the link since the board was connected (framing included)"));
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_progress, 1);
    layout->addWidget(m_rate);
    layout->addWidget(m_wire);
    return row;
}

QPushButton* BoardPage::button(const QString& objectName) const
{
    return findChild<QPushButton*>(objectName);
}

void BoardPage::scheduleUpdate()
{
    if (!m_update->isActive())
        m_update->start();
}

void BoardPage::flush()
{
    m_update->stop();
    updateView();
    if (m_pendingLog.isEmpty())
        return;
    QScrollBar* bar = m_log->verticalScrollBar();
    const bool follow = bar->value() >= bar->maximum() - 2;
    // Lines beyond the cap would be trimmed at once: skip them.
    const qsizetype skip = std::max<qsizetype>(0, m_pendingLog.size() - kMaxLogLines);
    for (qsizetype i = skip; i < m_pendingLog.size(); ++i)
        m_log->appendHtml(m_pendingLog.at(i));
    m_pendingLog.clear();
    if (follow)
        bar->setValue(bar->maximum());
}

void BoardPage::updateView()
{
    const BoardController::State state = m_board.state();
    const QString version = m_board.runningVersion();
    m_name->setText(m_board.name());
    m_spec->setText(version.isEmpty() ? m_board.spec() : tr("%1 · running %2").arg(m_board.spec(), version));
    const QColor dot = BoardListModel::stateColor(m_board);
    m_state->setText(QStringLiteral("<span style=\"color:%1; font-size:14pt\">●</span> %2")
                         .arg(dot.name(), m_board.stateText().toHtmlEscaped()));

    if (!m_board.lastError().isEmpty()) {
        m_message->setText(m_board.lastError());
        m_message->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(errorColor().name()));
        m_message->show();
    } else if (m_board.isWaitingForBoard() && state == BoardController::State::Waiting) {
        m_message->setText(tr("The board stopped answering. Waiting for it to come back (check that it is powered "
                              "and not stuck); the transfer starts again on its own. Stop gives up."));
        m_message->setStyleSheet(QStringLiteral("color: %1;").arg(warningColor().name()));
        m_message->show();
    } else if (state == BoardController::State::Waiting) {
        m_message->setText(tr("The connection dropped. Waiting for the board to come back (check the cable and "
                              "that it is powered); what was running resumes on its own."));
        m_message->setStyleSheet(QStringLiteral("color: %1;").arg(warningColor().name()));
        m_message->show();
    } else if (!m_board.lastResult().isEmpty()) {
        m_message->setText(m_board.lastResult());
        m_message->setStyleSheet(QString());
        m_message->show();
    } else {
        m_message->hide();
    }

    const bool ready = state == BoardController::State::Ready;
    for (QPushButton* b : std::as_const(m_commands))
        b->setEnabled(ready);
    m_mode->setEnabled(ready);
    m_stop->setEnabled(m_board.isBusy());
    m_reconnect->setVisible(state == BoardController::State::Failed || state == BoardController::State::Closed
                            || state == BoardController::State::Waiting);
    m_drop->setEnabled(ready);

    const auto& p = m_board.progress();
    if (p && p->total > 0) {
        m_progress->setValue(int(1000 * p->done / p->total));
        m_progress->setFormat(QStringLiteral("%1 — %2 of %3").arg(p->phase, byteText(p->done), byteText(p->total)));
        QStringList rate;
        rate << rateText(p->bytesPerSecond);
        if (p->etaSeconds && p->done < p->total && m_board.isBusy() && !m_board.isWaitingForBoard())
            rate << tr("ETA %1").arg(etaText(*p->etaSeconds));
        else if (p->done >= p->total)
            rate << tr("done");
        else if (m_board.isWaitingForBoard())
            rate = QStringList{tr("stopped at %1 — waiting for the board").arg(byteText(p->done))};
        else if (!m_board.isBusy())
            rate = QStringList{tr("stopped at %1").arg(byteText(p->done))};
        m_rate->setText(rate.join(QStringLiteral(" · ")));
    } else if (p) {
        m_progress->setValue(0);
        m_progress->setFormat(p->phase);
        m_rate->clear();
    } else {
        m_progress->setValue(0);
        m_progress->setFormat(m_board.isBusy() ? m_board.stateText() : tr("idle"));
        m_rate->clear();
    }
    m_wire->setText(tr("link: %1 sent, %2 received").arg(byteText(m_board.wireBytesSent()),
                                                         byteText(m_board.wireBytesReceived())));
}

void BoardPage::appendLog(BoardController::LogKind kind, const QString& text)
{
    QString color;
    switch (kind) {
    case BoardController::LogKind::Exchange: break;
    case BoardController::LogKind::Info: color = QStringLiteral("#1f5fa8"); break;
    case BoardController::LogKind::Device: color = QStringLiteral("#8a8a8a"); break;
    case BoardController::LogKind::Error: color = errorColor().name(); break;
    }
    const QString time = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    QString html = QStringLiteral("<span style=\"color:#9a9a9a\">%1</span> ").arg(time);
    const QString body = text.toHtmlEscaped();
    html += color.isEmpty() ? body : QStringLiteral("<span style=\"color:%1\">%2</span>").arg(color, body);
    m_pendingLog << html;
    if (kind == BoardController::LogKind::Error)
        Q_EMIT statusMessage(QStringLiteral("%1: %2").arg(m_board.name(), text));
    scheduleUpdate();
}

void BoardPage::onCommandFinished(BoardController::Activity, bool ok, const QString& message)
{
    if (ok && !message.isEmpty())
        Q_EMIT statusMessage(QStringLiteral("%1: %2").arg(m_board.name(), message));
}

QByteArray BoardPage::selectedHash(bool skipActive) const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    const auto* image = m_board.slots()->at(rows.first().row());
    if (!image || (skipActive && image->active))
        return {};
    return image->hash;
}

QString BoardPage::askForImage(const QString& title)
{
    QSettings settings(QStringLiteral("OTA Lab"), QStringLiteral("otalab"));
    const QString path = QFileDialog::getOpenFileName(this, title, settings.value(LastDirKey).toString(), imageFilter());
    if (!path.isEmpty())
        settings.setValue(LastDirKey, QFileInfo(path).absolutePath());
    return path;
}

} // namespace otalab::app
