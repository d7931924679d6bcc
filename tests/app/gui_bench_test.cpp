// SPDX-License-Identifier: Apache-2.0
// The Bench against emulated boards (core/smp/smp_server.h on the MCUboot model, in this
// process): over the UDP plugin in serve mode on loopback (connect from the Connect box,
// slots, drag-and-drop upload, test, reset, confirm, upload to several boards from the
// list) and over an in-process link that can be pulled (wait, resume).
#include "../core/smp_fake_board.h"
#include "gui_test_support.h"

#include "app/hw/simulated_transport.h"
#include "bench/benchcontroller.h"
#include "bench/benchformat.h"
#include "bench/benchwindow.h"
#include "bench/boardlistview.h"
#include "bench/boardpage.h"
#include "bench/connectpanel.h"
#include "bench/dropzone.h"
#include "bench/slottablemodel.h"
#include "core/mcuboot/boot_loader.h"
#include "core/smp/smp_server.h"
#include "mainwindow.h"

#include <QAction>
#include <QComboBox>
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <functional>

using namespace otalab;
using otalab::app::BoardController;
using otalab::app::SlotTableModel;
using core::transport::Transport;

namespace {

constexpr int kLimitMs = 30000;   // a bound against hangs, not a timing check

core::smp::ServerConfig boardConfig()
{
    core::smp::ServerConfig c;
    c.bufSize = 2048;
    c.bufCount = 4;
    c.os.nodeName = QStringLiteral("bench-test");
    return c;
}

// The emulated board: MCUboot model + Zephyr-like SMP server. `handle` gives the answers
// to one request and carries out a requested reset `resetDelayMs` later (the board is
// silent for `bootMs` while MCUboot runs).
class EmulatedBoard {
public:
    explicit EmulatedBoard(const QByteArray& firmware) : m_server(m_boot, boardConfig())
    {
        EXPECT_TRUE(m_boot.flash().program(core::mcuboot::kPrimarySlot, firmware).has_value());
        EXPECT_TRUE(m_server.reboot().booted);
    }

    QList<QByteArray> handle(const QByteArray& request)
    {
        if (!m_running)
            return {};
        core::smp::ServerOutput out = m_server.handle(request);
        if (out.resetRequested) {
            ++resets;
            QTimer::singleShot(out.resetDelayMs, &m_context, [this] {
                m_running = false;
                m_server.reboot();
                QTimer::singleShot(bootMs, &m_context, [this] { m_running = true; });
            });
        }
        return out.responses;
    }

    core::mcuboot::BootLoader& boot() { return m_boot; }
    int resets = 0;
    int bootMs = 100;

private:
    QObject m_context;
    core::mcuboot::BootLoader m_boot;
    core::smp::SmpServer m_server;
    bool m_running = true;
};

// The board behind the UDP plugin serving on a free loopback port.
class UdpBoard {
public:
    UdpBoard(hw::TransportRegistry& registry, const QByteArray& firmware) : board(firmware)
    {
        auto created = registry.create(QStringLiteral("udp:127.0.0.1:0"), nullptr, true);
        if (!created) {
            ADD_FAILURE() << created.error().toString().toStdString();
            return;
        }
        m_link.reset(*created);
        QObject::connect(m_link.get(), &Transport::packetReceived, m_link.get(), [this](const QByteArray& packet) {
            for (const QByteArray& answer : board.handle(packet))
                m_link->send(answer);
        });
        m_link->open();
        EXPECT_TRUE(QTest::qWaitFor([this] { return m_link->state() != Transport::State::Opening; }, kLimitMs));
        EXPECT_EQ(m_link->state(), Transport::State::Open);
    }
    quint16 port() const { return m_link ? quint16(m_link->property("localPort").toUInt()) : 0; }
    QString spec() const { return QStringLiteral("udp:127.0.0.1:%1").arg(port()); }

    EmulatedBoard board;

private:
    std::unique_ptr<Transport> m_link;
};

// An in-process link to an EmulatedBoard that can be pulled like a USB cable: after
// `pullAfterSends` packets the link closes and cannot be opened until plug().
class PullableLink final : public Transport {
public:
    PullableLink(EmulatedBoard& board, QObject* parent = nullptr) : Transport(parent), m_board(board) {}

    void open() override
    {
        if (m_state != State::Closed)
            return;
        setState(State::Opening);
        QMetaObject::invokeMethod(this, [this] {
            if (m_state != State::Opening)
                return;
            if (m_pulled) {
                Q_EMIT errorOccurred(QStringLiteral("there is no device /dev/ttyEMU0 (unplugged?)"));
                setState(State::Closed);
                return;
            }
            setState(State::Open);
        }, Qt::QueuedConnection);
    }
    void close() override { setState(State::Closed); }
    bool send(const QByteArray& packet) override
    {
        if (m_state != State::Open)
            return false;
        ++sends;
        Q_EMIT wireBytes(packet.size(), 0);
        if (pullAfterSends > 0 && sends >= pullAfterSends) {
            pullAfterSends = 0;
            m_pulled = true;
            QMetaObject::invokeMethod(this, [this] { setState(State::Closed); }, Qt::QueuedConnection);
            return true;   // lost with the cable
        }
        const QList<QByteArray> answers = m_board.handle(packet);
        QMetaObject::invokeMethod(this, [this, answers] {
            for (const QByteArray& answer : answers) {
                if (m_state != State::Open)
                    return;
                Q_EMIT wireBytes(0, answer.size());
                Q_EMIT packetReceived(answer);
            }
        }, Qt::QueuedConnection);
        return true;
    }
    int maxPacketSize() const override { return 1024; }
    int mtu() const override { return 1024; }
    State state() const override { return m_state; }
    QString describe() const override { return QStringLiteral("emulated /dev/ttyEMU0"); }

    void plug() { m_pulled = false; }
    bool isPulled() const { return m_pulled; }
    int sends = 0;
    int pullAfterSends = 0;

private:
    void setState(State state)
    {
        if (m_state == state)
            return;
        m_state = state;
        Q_EMIT stateChanged(state);
    }
    EmulatedBoard& m_board;
    State m_state = State::Closed;
    bool m_pulled = false;
};

BoardController::Options quickOptions()
{
    BoardController::Options o;
    o.resetSettleMs = 400;
    o.bootPollMs = 300;
    o.bootPatienceMs = 20000;
    o.session = hw::SmpSession::Options{50, 200, 20000};
    o.reconnectFirstDelayMs = 50;
    o.reconnectMaxDelayMs = 200;
    return o;
}

QByteArray imageHash(const QByteArray& image)
{
    return test::smp::FakeBoard::hashOf(image);
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    EXPECT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    return path;
}

// Drops `path` on `target` (a widget accepting drops) at `pos`, like a file manager does.
bool dropFile(QWidget* target, const QString& path, QPoint pos = {5, 5})
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &move);
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
    return drop.isAccepted();
}

bool settle(BoardController& board)
{
    return QTest::qWaitFor([&] { return board.isSettled(); }, kLimitMs);
}

const core::smp::ImageSlotState* slotOf(const BoardController& board, int slot)
{
    const int row = board.slots()->rowOf(0, slot);
    return board.slots()->at(row);
}

QStringList logOf(app::BoardPage& page)
{
    page.flush();
    return page.log().toPlainText().split(QLatin1Char('\n'));
}

bool contains(const QStringList& lines, const QString& part)
{
    for (const QString& line : lines) {
        if (line.contains(part))
            return true;
    }
    return false;
}

} // namespace

TEST(GuiBenchFormat, RatesEtasAndSpecs)
{
    EXPECT_EQ(app::rateText(0), QStringLiteral("—"));
    EXPECT_EQ(app::rateText(850), QStringLiteral("850 B/s"));
    EXPECT_EQ(app::rateText(35021), QStringLiteral("34.2 KiB/s"));
    EXPECT_EQ(app::etaText(7.2), QStringLiteral("0:08"));
    EXPECT_EQ(app::etaText(3725), QStringLiteral("1:02:05"));
    core::smp::Progress p{QStringLiteral("upload"), 45, 100, 35021, 12.0};
    EXPECT_EQ(app::progressText(p), QStringLiteral("upload 45 % · 34.2 KiB/s · ETA 0:12"));
    EXPECT_EQ(app::shortHash(QByteArray::fromHex("0102030405060708"), 4), QStringLiteral("01020304…"));

    using app::ConnectPanel;
    EXPECT_EQ(ConnectPanel::specFor(QStringLiteral("serial"), QStringLiteral(" /dev/ttyACM0 "), 115200).value(),
              QStringLiteral("serial:/dev/ttyACM0,baud=115200"));
    EXPECT_EQ(ConnectPanel::specFor(QStringLiteral("serial"), QStringLiteral("/dev/ttyUSB1"), 1000000,
                                    QStringLiteral("rtscts")).value(),
              QStringLiteral("serial:/dev/ttyUSB1,baud=1000000,flow=rtscts"));
    EXPECT_EQ(ConnectPanel::specFor(QStringLiteral("udp"), QStringLiteral("[::1]:1337")).value(),
              QStringLiteral("udp:[::1]:1337"));
    const auto empty = ConnectPanel::specFor(QStringLiteral("udp"), QString());
    ASSERT_FALSE(empty.has_value());
    EXPECT_TRUE(empty.error().toString().contains(QStringLiteral("host:port"))) << empty.error().toString().toStdString();
}

TEST(GuiBenchSlotTable, ShowsImagesWithCheckMarks)
{
    SlotTableModel model;
    core::smp::ImageStateResponse state;
    core::smp::ImageSlotState a;
    a.slot = 0;
    a.version = QStringLiteral("1.0.0");
    a.hash = QByteArray(32, '\x3f');
    a.bootable = a.confirmed = a.active = true;
    core::smp::ImageSlotState b;
    b.slot = 1;
    b.version = QStringLiteral("1.1.0");
    b.hash = QByteArray(32, '\x11');
    b.bootable = b.pending = true;
    state.images = {a, b};
    model.setState(state);
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.columnCount(), int(SlotTableModel::ColumnCount));
    EXPECT_EQ(model.headerData(SlotTableModel::Permanent, Qt::Horizontal).toString(), QStringLiteral("Permanent"));
    EXPECT_EQ(model.index(1, SlotTableModel::Version).data().toString(), QStringLiteral("1.1.0"));
    EXPECT_EQ(model.index(1, SlotTableModel::Pending).data().toString(), QStringLiteral("✓"));
    EXPECT_EQ(model.index(1, SlotTableModel::Active).data().toString(), QString());
    EXPECT_TRUE(model.index(0, SlotTableModel::Confirmed).data(SlotTableModel::FlagRole).toBool());
    EXPECT_FALSE(model.index(0, SlotTableModel::Pending).data(SlotTableModel::FlagRole).toBool());
    EXPECT_EQ(model.index(0, SlotTableModel::Hash).data(SlotTableModel::HashRole).toByteArray(), a.hash);
    EXPECT_TRUE(model.index(0, SlotTableModel::Hash).data().toString().startsWith(QStringLiteral("3f3f3f")));
    EXPECT_EQ(model.rowOf(0, 1), 1);
    EXPECT_EQ(model.rowOf(1, 0), -1);
}

TEST(GuiBench, MainWindowOpensTheBenchFromTheToolsMenu)
{
    otalab::testing::ensureApp();
    app::MainWindow window;
    auto* action = window.findChild<QAction*>(QStringLiteral("actionBench"));
    ASSERT_NE(action, nullptr);
    EXPECT_EQ(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_B));
    action->trigger();
    app::BenchWindow* bench = window.bench();
    ASSERT_NE(bench, nullptr);
    EXPECT_TRUE(bench->isVisible());
    EXPECT_EQ(bench->windowTitle(), QStringLiteral("OTA Lab — Bench"));
    EXPECT_EQ(bench->parent(), nullptr);   // its own top-level window
    bench->close();
}

TEST(GuiBench, ConnectUploadByDropTestResetConfirmOverUdp)
{
    otalab::testing::ensureApp();
    const QByteArray v100 = test::smp::makeImage(20000, QStringLiteral("1.0.0"), 1);
    const QByteArray v110 = test::smp::makeImage(60000, QStringLiteral("1.1.0"), 2);
    app::BenchWindow window;
    window.bench().boardOptions() = quickOptions();
    UdpBoard udp(window.bench().registry(), v100);
    ASSERT_NE(udp.port(), 0);

    // Connect box: UDP, host:port, Connect.
    app::ConnectPanel& connect = window.connectPanel();
    const int udpIndex = connect.transportCombo().findData(QStringLiteral("udp"));
    ASSERT_GE(udpIndex, 0) << "the UDP plugin was not found";
    connect.transportCombo().setCurrentIndex(udpIndex);
    EXPECT_EQ(connect.targetCombo().currentText(), QStringLiteral("127.0.0.1:1337"));   // the default
    connect.targetCombo().setEditText(QStringLiteral("127.0.0.1:%1").arg(udp.port()));
    ASSERT_TRUE(connect.connectCurrent()) << connect.hintLabel().text().toStdString();
    ASSERT_EQ(window.bench().boards().size(), 1);
    BoardController& board = *window.bench().boards().constFirst();
    app::BoardPage* page = window.pageOf(&board);
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(window.currentPage(), page);

    // The slots are listed.
    ASSERT_TRUE(settle(board));
    ASSERT_EQ(board.state(), BoardController::State::Ready) << board.lastError().toStdString();
    EXPECT_EQ(page->table().model()->rowCount(), 1);
    EXPECT_EQ(board.runningVersion(), QStringLiteral("1.0.0"));
    EXPECT_EQ(page->table().model()->index(0, SlotTableModel::Version).data().toString(), QStringLiteral("1.0.0"));
    EXPECT_EQ(page->table().model()->index(0, SlotTableModel::Active).data().toString(), QStringLiteral("✓"));

    // Drag the new image onto the page's drop zone: it goes to slot 1.
    QTemporaryDir dir;
    const QString file = writeFile(dir, QStringLiteral("app-1.1.0.signed.bin"), v110);
    page->flush();
    ASSERT_TRUE(dropFile(&page->dropZone(), file));
    EXPECT_TRUE(board.isBusy());
    ASSERT_TRUE(settle(board));
    ASSERT_TRUE(board.lastError().isEmpty()) << board.lastError().toStdString();
    const auto* secondary = slotOf(board, 1);
    ASSERT_NE(secondary, nullptr);
    EXPECT_EQ(secondary->version, QStringLiteral("1.1.0"));
    EXPECT_EQ(secondary->hash, imageHash(v110));
    EXPECT_FALSE(secondary->pending);
    EXPECT_EQ(page->table().model()->rowCount(), 2);
    EXPECT_TRUE(board.lastResult().contains(QStringLiteral("app-1.1.0.signed.bin"))) << board.lastResult().toStdString();
    ASSERT_TRUE(board.progress().has_value());
    EXPECT_EQ(board.progress()->done, v110.size());
    page->flush();
    EXPECT_EQ(page->progressBar().value(), 1000);

    // Test (the button; no row selected: the image in slot 1).
    page->flush();
    QPushButton* testButton = page->button(QStringLiteral("benchTest"));
    ASSERT_NE(testButton, nullptr);
    ASSERT_TRUE(testButton->isEnabled());
    testButton->click();
    ASSERT_TRUE(settle(board));
    ASSERT_TRUE(board.lastError().isEmpty()) << board.lastError().toStdString();
    ASSERT_NE(slotOf(board, 1), nullptr);
    EXPECT_TRUE(slotOf(board, 1)->pending);

    // Reset: the board reboots in-process, MCUboot swaps, the Bench asks again.
    page->flush();
    page->button(QStringLiteral("benchReset"))->click();
    EXPECT_EQ(board.activity(), BoardController::Activity::Reset);
    ASSERT_TRUE(settle(board));
    ASSERT_TRUE(board.lastError().isEmpty()) << board.lastError().toStdString();
    EXPECT_EQ(udp.board.resets, 1);
    EXPECT_EQ(board.runningVersion(), QStringLiteral("1.1.0"));
    ASSERT_NE(slotOf(board, 0), nullptr);
    EXPECT_TRUE(slotOf(board, 0)->active);
    EXPECT_FALSE(slotOf(board, 0)->confirmed);
    ASSERT_NE(slotOf(board, 1), nullptr);
    EXPECT_EQ(slotOf(board, 1)->version, QStringLiteral("1.0.0"));

    // Confirm (no row selected: the running image).
    page->flush();
    page->button(QStringLiteral("benchConfirm"))->click();
    ASSERT_TRUE(settle(board));
    ASSERT_TRUE(board.lastError().isEmpty()) << board.lastError().toStdString();
    EXPECT_TRUE(slotOf(board, 0)->confirmed);
    page->flush();
    EXPECT_EQ(page->table().model()->index(board.slots()->rowOf(0, 0), SlotTableModel::Confirmed).data().toString(),
              QStringLiteral("✓"));

    // The exchange log has one line per request and answer.
    const QStringList log = logOf(*page);
    EXPECT_TRUE(contains(log, QStringLiteral("→ "))) << log.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(contains(log, QStringLiteral("← ")));
    EXPECT_TRUE(contains(log, QStringLiteral("uploading app-1.1.0.signed.bin (1.1.0")));
    EXPECT_TRUE(contains(log, QStringLiteral("the board is back")));
    EXPECT_LE(page->log().document()->blockCount(), app::BoardPage::kMaxLogLines);
}

TEST(GuiBench, DropOnTheListUploadsToEverySelectedBoard)
{
    otalab::testing::ensureApp();
    const QByteArray v100 = test::smp::makeImage(10000, QStringLiteral("1.0.0"), 3);
    const QByteArray v200 = test::smp::makeImage(30000, QStringLiteral("2.0.0"), 4);
    app::BenchWindow window;
    window.bench().boardOptions() = quickOptions();
    UdpBoard a(window.bench().registry(), v100);
    UdpBoard b(window.bench().registry(), v100);
    UdpBoard c(window.bench().registry(), v100);
    QList<BoardController*> boards;
    for (UdpBoard* udp : {&a, &b, &c}) {
        auto added = window.bench().connectBoard(udp->spec());
        ASSERT_TRUE(added.has_value()) << added.error().toString().toStdString();
        boards << *added;
    }
    EXPECT_FALSE(window.bench().connectBoard(a.spec()).has_value());   // already on the Bench
    for (BoardController* board : boards)
        ASSERT_TRUE(settle(*board)) << board->name().toStdString();

    // Select the first two; drop on the second (selected): both get the image, the third not.
    app::BoardListView& list = window.boardList();
    list.selectionModel()->select(list.model()->index(0, 0), QItemSelectionModel::Select);
    list.selectionModel()->select(list.model()->index(1, 0), QItemSelectionModel::Select);
    EXPECT_EQ(list.selectedBoards(), (QList<BoardController*>{boards[0], boards[1]}));
    const QPoint onSecond = list.visualRect(list.model()->index(1, 0)).center();
    EXPECT_EQ(list.dropTargets(onSecond), (QList<BoardController*>{boards[0], boards[1]}));
    const QPoint onThird = list.visualRect(list.model()->index(2, 0)).center();
    EXPECT_EQ(list.dropTargets(onThird), QList<BoardController*>{boards[2]});

    QTemporaryDir dir;
    const QString file = writeFile(dir, QStringLiteral("app-2.0.0.bin"), v200);
    ASSERT_TRUE(dropFile(list.viewport(), file, onSecond));
    EXPECT_TRUE(boards[0]->isBusy());
    EXPECT_TRUE(boards[1]->isBusy());
    EXPECT_FALSE(boards[2]->isBusy());
    for (BoardController* board : boards)
        ASSERT_TRUE(settle(*board));
    for (int i = 0; i < 2; ++i) {
        ASSERT_NE(slotOf(*boards[i], 1), nullptr) << i;
        EXPECT_EQ(slotOf(*boards[i], 1)->hash, imageHash(v200)) << i;
    }
    EXPECT_EQ(slotOf(*boards[2], 1), nullptr);

    // Disconnect takes a board off the Bench (its page goes too).
    window.bench().removeBoard(boards[2]);
    EXPECT_EQ(window.bench().boards().size(), 2);
    EXPECT_EQ(list.model()->rowCount(), 2);
    EXPECT_EQ(window.pageOf(boards[2]), nullptr);
}

TEST(GuiBench, ABoardThatCannotBeOpenedIsReportedOnItsPage)
{
    otalab::testing::ensureApp();
    app::BenchWindow window;
    auto added = window.bench().connectBoard(QStringLiteral("serial:/dev/ttyOTALAB-none,baud=115200"));
    ASSERT_TRUE(added.has_value()) << added.error().toString().toStdString();
    BoardController& board = **added;
    ASSERT_TRUE(settle(board));
    EXPECT_EQ(board.state(), BoardController::State::Failed);
    EXPECT_TRUE(board.lastError().contains(QStringLiteral("/dev/ttyOTALAB-none"))) << board.lastError().toStdString();
    app::BoardPage* page = window.pageOf(&board);
    ASSERT_NE(page, nullptr);
    page->flush();
    EXPECT_EQ(page->messageLabel().text(), board.lastError());
    EXPECT_FALSE(page->button(QStringLiteral("benchUpload"))->isEnabled());
    // Commands are refused in words, not attempted.
    EXPECT_FALSE(board.reset());
    EXPECT_TRUE(board.lastError().contains(QStringLiteral("not connected"))) << board.lastError().toStdString();

    // Unknown schemes and bad specs are refused by the Connect box.
    EXPECT_FALSE(window.bench().connectBoard(QStringLiteral("carrier-pigeon:coop")).has_value());
    app::ConnectPanel& connect = window.connectPanel();
    const int udpIndex = connect.transportCombo().findData(QStringLiteral("udp"));
    ASSERT_GE(udpIndex, 0);
    connect.transportCombo().setCurrentIndex(udpIndex);
    connect.targetCombo().setEditText(QString());
    EXPECT_FALSE(connect.connectCurrent());
    EXPECT_TRUE(connect.hintLabel().text().contains(QStringLiteral("host:port")));
}

TEST(GuiBench, APulledCableWaitsForTheBoardAndTheUploadResumes)
{
    otalab::testing::ensureApp();
    const QByteArray v100 = test::smp::makeImage(8000, QStringLiteral("1.0.0"), 5);
    const QByteArray v101 = test::smp::makeImage(100000, QStringLiteral("1.0.1"), 6);
    EmulatedBoard emulated(v100);
    auto* link = new PullableLink(emulated);
    BoardController board(link, QStringLiteral("emu:/dev/ttyEMU0"), quickOptions());
    app::BoardPage page(board);
    board.connectBoard();
    ASSERT_TRUE(settle(board));
    ASSERT_EQ(board.state(), BoardController::State::Ready) << board.lastError().toStdString();

    link->pullAfterSends = link->sends + 40;   // mid-upload (≈ 100 chunks of < 1 KiB)
    ASSERT_TRUE(board.upload(v101, QStringLiteral("app-1.0.1.bin")));
    ASSERT_TRUE(QTest::qWaitFor([&] { return board.state() == BoardController::State::Waiting; }, kLimitMs));
    EXPECT_EQ(board.stateText(), QStringLiteral("disconnected — waiting for the board…"));
    EXPECT_TRUE(board.isBusy());
    page.flush();
    EXPECT_TRUE(page.messageLabel().text().contains(QStringLiteral("Waiting for the board"))) << page.messageLabel().text().toStdString();
    QTest::qWait(300);   // a few failed reopen attempts
    EXPECT_EQ(board.state(), BoardController::State::Waiting);

    link->plug();
    ASSERT_TRUE(settle(board));
    ASSERT_TRUE(board.lastError().isEmpty()) << board.lastError().toStdString();
    ASSERT_NE(slotOf(board, 1), nullptr);
    EXPECT_EQ(slotOf(board, 1)->hash, imageHash(v101));
    const QStringList log = logOf(page);
    EXPECT_TRUE(contains(log, QStringLiteral("resuming the upload"))) << log.join(QLatin1Char('\n')).toStdString();

    // Idle: pulling the cable again is noticed, and the slots are read when it is back.
    link->pullAfterSends = 0;
    link->close();
    link->plug();
    // (a close by someone else while idle looks like a lost link)
    ASSERT_TRUE(settle(board));
    EXPECT_EQ(board.state(), BoardController::State::Ready);
}

// The Bench refuses to send an image `image inspect` calls INVALID, like the CLI without
// --force: the finding goes to the board's log and message line, not a byte to the board.
TEST(GuiBench, AnImageInspectCallsInvalidIsNotSent)
{
    otalab::testing::ensureApp();
    const QByteArray v100 = test::smp::makeImage(8000, QStringLiteral("1.0.0"), 9);
    QByteArray tampered = test::smp::makeImage(20000, QStringLiteral("1.1.0"), 10);
    tampered[0x400] = char(tampered[0x400] ^ 0x01);   // a body byte: the SHA256 TLV no longer matches
    EmulatedBoard emulated(v100);
    auto* link = new PullableLink(emulated);
    BoardController board(link, QStringLiteral("emu:/dev/ttyEMU0"), quickOptions());
    app::BoardPage page(board);
    board.connectBoard();
    ASSERT_TRUE(settle(board));
    ASSERT_EQ(board.state(), BoardController::State::Ready) << board.lastError().toStdString();
    const int sendsBefore = link->sends;

    QTemporaryDir dir;
    const QString file = writeFile(dir, QStringLiteral("tampered.bin"), tampered);
    page.flush();
    ASSERT_TRUE(dropFile(&page.dropZone(), file));
    EXPECT_FALSE(board.isBusy());
    EXPECT_TRUE(board.lastError().startsWith(QStringLiteral("not uploading tampered.bin: image inspect calls it INVALID")))
        << board.lastError().toStdString();
    EXPECT_TRUE(board.lastError().contains(QStringLiteral("does not match the computed"))) << board.lastError().toStdString();
    EXPECT_TRUE(contains(logOf(page), QStringLiteral("image inspect calls it INVALID")));
    EXPECT_EQ(page.messageLabel().text(), board.lastError());

    EXPECT_FALSE(board.upgradeFile(file, core::smp::UpgradeMode::TestAndConfirm));
    EXPECT_TRUE(board.lastError().startsWith(QStringLiteral("not upgrading with tampered.bin: image inspect calls it INVALID")))
        << board.lastError().toStdString();
    EXPECT_FALSE(board.isBusy());
    EXPECT_EQ(link->sends, sendsBefore);
    EXPECT_EQ(slotOf(board, 1), nullptr);
}

TEST(GuiBench, UpgradeTestAndConfirmEndsOnTheNewImage)
{
    otalab::testing::ensureApp();
    const QByteArray v100 = test::smp::makeImage(10000, QStringLiteral("1.0.0"), 7);
    const QByteArray v120 = test::smp::makeImage(40000, QStringLiteral("1.2.0"), 8);
    app::BenchWindow window;
    window.bench().boardOptions() = quickOptions();
    UdpBoard udp(window.bench().registry(), v100);
    auto added = window.bench().connectBoard(udp.spec());
    ASSERT_TRUE(added.has_value()) << added.error().toString().toStdString();
    BoardController& board = **added;
    ASSERT_TRUE(settle(board));

    QTemporaryDir dir;
    const QString file = writeFile(dir, QStringLiteral("app-1.2.0.bin"), v120);
    QStringList phases;
    QObject::connect(&board, &BoardController::changed, &board, [&] {
        if (board.activity() == BoardController::Activity::Upgrade && !phases.contains(board.stateText()))
            phases << board.stateText();
    });
    ASSERT_TRUE(board.upgradeFile(file, core::smp::UpgradeMode::TestAndConfirm));
    EXPECT_FALSE(board.upload(v120, QStringLiteral("again")));   // busy: refused in words
    EXPECT_TRUE(board.lastError().contains(QStringLiteral("busy"))) << board.lastError().toStdString();
    ASSERT_TRUE(settle(board));
    ASSERT_TRUE(board.lastError().isEmpty()) << board.lastError().toStdString();
    EXPECT_EQ(udp.board.resets, 1);
    EXPECT_EQ(board.runningVersion(), QStringLiteral("1.2.0"));
    ASSERT_NE(slotOf(board, 0), nullptr);
    EXPECT_TRUE(slotOf(board, 0)->confirmed);
    EXPECT_TRUE(board.lastResult().startsWith(QStringLiteral("upgraded to 1.2.0"))) << board.lastResult().toStdString();
    EXPECT_TRUE(phases.contains(QStringLiteral("upgrading: upload"))) << phases.join(QStringLiteral(", ")).toStdString();
    EXPECT_TRUE(phases.contains(QStringLiteral("upgrading: confirm"))) << phases.join(QStringLiteral(", ")).toStdString();

    // The Connect box offers the built-in simulated boards too.
    EXPECT_EQ(window.connectPanel().transportCombo().findData(QStringLiteral("sim")) >= 0,
              !hw::builtinTransports().isEmpty());
}
