// SPDX-License-Identifier: Apache-2.0
// The Bench with a simulated board (sim: transport) that loses power mid-upload while the
// serial adapter stays open: the Bench waits for it ("board stopped answering — waiting
// for the board…", no ETA), says why in words, resumes when it is back, and gives up only
// after its documented patience or when the user stops; a board that changes its slots by
// itself is read again.
#include "../core/smp_fake_board.h"
#include "gui_test_support.h"

#include "app/hw/simulated_transport.h"
#include "bench/benchformat.h"
#include "bench/boardcontroller.h"
#include "bench/boardlistmodel.h"
#include "bench/boardpage.h"
#include "bench/slottablemodel.h"
#include "core/transport/transport.h"

#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

using namespace otalab;
using otalab::app::BoardController;

namespace {

constexpr int kLimitMs = 60000;   // a bound against hangs, not a timing check

// The board's end of the link while it has no power: requests go nowhere.
class NoPower final : public sim::SmpLinkDevice {
public:
    void onLinkPacket(const QByteArray&) override {}
};

// A simulated board behind a plain UART (usb=off: the host's port stays open when the
// board dies), run 5× faster than real time.
struct SimBoard {
    explicit SimBoard(const QString& options = QStringLiteral("usb=off,baud=921600,speed=5"))
    {
        auto spec = core::transport::ConnectionSpec::parse(QStringLiteral("sim:serial,") + options);
        EXPECT_TRUE(spec.has_value());
        auto created = hw::SimulatedTransportFactory::instance().create(*spec, nullptr);
        EXPECT_TRUE(created.has_value()) << created.error().toString().toStdString();
        transport = static_cast<hw::SimulatedTransport*>(*created);
    }
    sim::SmpTestbed& testbed() { return transport->board().testbed(); }
    // Power cut: the board stops (its RAM and queued requests are gone) and hears nothing.
    void powerOff()
    {
        testbed().link().attachDevice(&m_noPower);
        testbed().device().resetNow();
        transport->board().catchUp();
    }
    // Power back: it has booted again and answers.
    void powerOn() { testbed().link().attachDevice(&testbed().device()); }
    // The board's own reset button (a watchdog): it reboots while the host is idle.
    void pressReset()
    {
        testbed().device().resetNow();
        transport->board().catchUp();   // the simulator's clock runs on from here
    }

    hw::SimulatedTransport* transport = nullptr;   // owned by the BoardController

private:
    NoPower m_noPower;
};

BoardController::Options options(int patienceMs)
{
    BoardController::Options o;
    o.resetSettleMs = 400;
    o.bootPollMs = 300;
    o.bootPatienceMs = 20000;
    o.boardPatienceMs = patienceMs;
    o.commandPolicy = core::smp::RequestPolicy{1000, 2};
    o.session = hw::SmpSession::Options{50, 200, 20000};
    return o;
}

bool settle(BoardController& board)
{
    return QTest::qWaitFor([&] { return board.isSettled(); }, kLimitMs);
}

// OTALAB_SHOTS=folder: the page as a person sees it, for looking at.
void shoot(app::BoardPage& page, const char* name)
{
    const QString dir = qEnvironmentVariable("OTALAB_SHOTS");
    if (dir.isEmpty())
        return;
    page.resize(900, 600);
    page.show();
    page.flush();
    QCoreApplication::processEvents();
    page.grab().save(QDir(dir).filePath(QLatin1String(name)));
}

QString logOf(app::BoardPage& page)
{
    page.flush();
    return page.log().toPlainText();
}

// Starts an upload and cuts the power once the board acknowledged a third of it.
void uploadAndCutPower(BoardController& board, SimBoard& sim, const QByteArray& image)
{
    ASSERT_TRUE(board.upload(image, QStringLiteral("app-1.0.1.bin"))) << board.lastError().toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return board.progress() && board.progress()->done > image.size() / 3; }, kLimitMs));
    sim.powerOff();
    ASSERT_TRUE(QTest::qWaitFor([&] { return board.isWaitingForBoard() || board.isSettled(); }, kLimitMs));
    ASSERT_TRUE(board.isWaitingForBoard()) << "gave up instead of waiting: " << board.lastError().toStdString();
}

} // namespace

TEST(GuiBenchSilentBoard, ABoardThatDiesMidUploadIsWaitedForAndTheUploadStartsAgainWhenItIsBack)
{
    otalab::testing::ensureApp();
    const QByteArray image = test::smp::makeImage(120000, QStringLiteral("1.0.1"), 7);
    SimBoard sim;
    BoardController board(sim.transport, QStringLiteral("sim:serial"), options(10 * 60 * 1000));
    app::BoardPage page(board);
    board.connectBoard();
    ASSERT_TRUE(settle(board));
    ASSERT_EQ(board.state(), BoardController::State::Ready) << board.lastError().toStdString();

    uploadAndCutPower(board, sim, image);
    shoot(page, "bench-waiting.png");
    EXPECT_EQ(board.state(), BoardController::State::Waiting);
    EXPECT_EQ(board.stateText(), QStringLiteral("board stopped answering — waiting for the board…"));
    EXPECT_EQ(app::BoardListModel::stateColor(board), app::BoardListModel::stateColor(int(BoardController::State::Waiting)));
    ASSERT_TRUE(board.progress().has_value());
    EXPECT_FALSE(board.progress()->etaSeconds.has_value());   // no frozen ETA
    page.flush();
    const auto* rate = page.findChild<QLabel*>(QStringLiteral("benchBoardRate"));
    ASSERT_NE(rate, nullptr);
    EXPECT_FALSE(rate->text().contains(QStringLiteral("ETA"))) << rate->text().toStdString();
    EXPECT_TRUE(rate->text().contains(QStringLiteral("waiting for the board"))) << rate->text().toStdString();
    EXPECT_TRUE(page.messageLabel().text().contains(QStringLiteral("stopped answering"))) << page.messageLabel().text().toStdString();
    QString log = logOf(page);
    EXPECT_TRUE(log.contains(QStringLiteral("board stopped answering: no response to "))) << log.toStdString();
    EXPECT_TRUE(log.contains(QStringLiteral("the link is still open"))) << log.toStdString();
    EXPECT_FALSE(log.contains(QStringLiteral("Unknown error"))) << log.toStdString();

    // Still waiting while the board keeps silent: the Bench keeps asking (three more
    // unanswered requests), it does not give up.
    const QString again = QStringLiteral("sending it again");
    const qsizetype asked = log.count(again);
    ASSERT_TRUE(QTest::qWaitFor([&] { return logOf(page).count(again) >= asked + 3; }, kLimitMs)) << logOf(page).toStdString();
    EXPECT_TRUE(board.isWaitingForBoard());
    EXPECT_TRUE(board.lastError().isEmpty()) << board.lastError().toStdString();

    sim.powerOn();
    ASSERT_TRUE(settle(board));
    EXPECT_TRUE(board.lastError().isEmpty()) << board.lastError().toStdString();
    EXPECT_EQ(board.state(), BoardController::State::Ready);
    const int row = board.slots()->rowOf(0, 1);
    ASSERT_GE(row, 0);
    EXPECT_EQ(board.slots()->at(row)->hash, test::smp::FakeBoard::hashOf(image));
    log = logOf(page);
    EXPECT_TRUE(log.contains(QStringLiteral("the board answers again after"))) << log.toStdString();
    EXPECT_TRUE(board.lastResult().contains(QStringLiteral("done in"))) << board.lastResult().toStdString();
}

TEST(GuiBenchSilentBoard, WaitingEndsAfterItsPatienceOrWhenTheUserStopsAndSaysWhy)
{
    otalab::testing::ensureApp();
    const QByteArray image = test::smp::makeImage(120000, QStringLiteral("1.0.1"), 8);
    SimBoard sim;
    BoardController board(sim.transport, QStringLiteral("sim:serial"), options(1500));
    app::BoardPage page(board);
    board.connectBoard();
    ASSERT_TRUE(settle(board));

    QSignalSpy finished(&board, &BoardController::commandFinished);
    uploadAndCutPower(board, sim, image);
    ASSERT_TRUE(settle(board));
    ASSERT_FALSE(finished.isEmpty());
    EXPECT_EQ(finished.last().at(0).value<BoardController::Activity>(), BoardController::Activity::Upload);
    EXPECT_FALSE(finished.last().at(1).toBool());
    EXPECT_TRUE(board.lastError().startsWith(QStringLiteral("board stopped answering: no response to "))) << board.lastError().toStdString();
    EXPECT_TRUE(board.lastError().contains(QStringLiteral("gave up after waiting 1.5 s"))) << board.lastError().toStdString();
    shoot(page, "bench-gave-up.png");
    // Not a green "ready" card, and no ETA left standing.
    EXPECT_EQ(app::BoardListModel::stateColor(board), app::BoardListModel::stateColor(int(BoardController::State::Failed)));
    ASSERT_TRUE(board.progress().has_value());
    EXPECT_FALSE(board.progress()->etaSeconds.has_value());
    EXPECT_EQ(board.progress()->phase, QStringLiteral("upload stopped"));
    EXPECT_FALSE(logOf(page).contains(QStringLiteral("Unknown error")));

    // Stop while waiting: the user's word ends it, and says what it was waiting for.
    sim.powerOn();
    ASSERT_TRUE(board.refresh());
    ASSERT_TRUE(settle(board));
    uploadAndCutPower(board, sim, image);
    board.cancel();
    ASSERT_TRUE(settle(board));
    EXPECT_TRUE(board.lastError().startsWith(QStringLiteral("stopped by the user while waiting for the board"))) << board.lastError().toStdString();
}

// The board resets by itself (its reset button, a watchdog): it boots the image marked
// for test, then reverts at the next reset. The slot table follows each time without
// Refresh, from the boot the board prints on its console; an erase shows at once too.
TEST(GuiBenchSilentBoard, SlotsAreReadAgainWhenTheBoardBootsOrRevertsByItself)
{
    otalab::testing::ensureApp();
    const QByteArray image = test::smp::makeImage(20000, QStringLiteral("1.0.1"), 9);
    SimBoard sim;
    BoardController board(sim.transport, QStringLiteral("sim:serial"), options(60000));
    app::BoardPage page(board);
    board.connectBoard();
    ASSERT_TRUE(settle(board));
    auto slot = [&](int n) { return board.slots()->at(board.slots()->rowOf(0, n)); };
    ASSERT_TRUE(board.upload(image, QStringLiteral("app-1.0.1.bin")));
    ASSERT_TRUE(settle(board));
    ASSERT_TRUE(board.test());
    ASSERT_TRUE(settle(board));
    ASSERT_NE(slot(1), nullptr);
    ASSERT_TRUE(slot(1)->pending);

    sim.pressReset();   // test boot of 1.0.1
    ASSERT_TRUE(QTest::qWaitFor([&] { return slot(0) && slot(0)->version == QStringLiteral("1.0.1"); }, kLimitMs))
        << logOf(page).toStdString();
    EXPECT_TRUE(slot(0)->active);
    EXPECT_FALSE(slot(0)->confirmed);

    sim.pressReset();   // not confirmed: MCUboot reverts to 1.0.0
    ASSERT_TRUE(QTest::qWaitFor([&] { return slot(0) && slot(0)->version == QStringLiteral("1.0.0"); }, kLimitMs))
        << logOf(page).toStdString();
    ASSERT_TRUE(settle(board));
    EXPECT_TRUE(slot(0)->active && slot(0)->confirmed);
    ASSERT_NE(slot(1), nullptr);
    EXPECT_FALSE(slot(1)->pending);
    EXPECT_TRUE(logOf(page).contains(QStringLiteral("the board restarted by itself"))) << logOf(page).toStdString();

    ASSERT_TRUE(board.erase());
    ASSERT_TRUE(settle(board));
    EXPECT_EQ(board.slots()->rowOf(0, 1), -1) << logOf(page).toStdString();
}
