// SPDX-License-Identifier: Apache-2.0
// SMP upgrade flow over the loopback with the fake board: happy paths (serial-like link
// drop, UDP-like silence), revert, refusal of non-MCUboot files, skip, modes.
#include "core/smp/client_upgrade.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_packet.h"
#include "smp_fake_board.h"
#include "smp_loopback.h"
#include "smp_sim_board.h"

#include <gtest/gtest.h>

using namespace otalab::core::smp;
using otalab::test::smp::FakeBoard;
using otalab::test::smp::Loopback;
using otalab::test::smp::makeImage;

namespace {

struct Bench {
    FakeBoard board;
    QByteArray oldImage = makeImage(20000, QStringLiteral("1.0.0"), 1);
    QByteArray newImage = makeImage(30000, QStringLiteral("1.1.0"), 2);

    Bench()
    {
        board.primary.data = oldImage;
        board.primary.confirmed = true;
    }

    Loopback::Board fn()
    {
        return [this](std::int64_t now, const QByteArray& request) { return board.handle(now, request); };
    }

    // Serial over USB CDC: the port vanishes 250 ms after the reset answer and comes back
    // when the new firmware enumerates.
    void serialResets(Loopback& loop, std::int64_t bootMs = 3000)
    {
        board.onReset = [this, &loop, bootMs](std::int64_t t) {
            loop.at(t + 250, [this, &loop] {
                loop.linkDown();
                board.reboot();
            });
            loop.at(t + 250 + bootMs, [&loop] { loop.linkUp(); });
        };
    }

    // UDP: no link to drop; the board is silent while it reboots.
    void udpResets(Loopback& loop, std::int64_t bootMs = 4000)
    {
        board.onReset = [this, &loop, bootMs](std::int64_t t) {
            loop.at(t + 250, [this, t, bootMs] {
                board.reboot();
                board.offlineUntilMs = t + 250 + bootMs;
            });
        };
    }
};

int countCommand(const QList<QByteArray>& packets, Group group, std::uint8_t command)
{
    int n = 0;
    for (const QByteArray& p : packets) {
        auto h = decodeHeader(p);
        if (h && h->group == std::uint16_t(group) && h->command == command)
            ++n;
    }
    return n;
}

} // namespace

TEST(SmpUpgrade, TestAndConfirmOverASerialLikeLink)
{
    Bench bench;
    UpgradeOperation op(bench.newImage);
    Loopback loop(op, bench.fn());
    bench.serialResets(loop);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString() << "\n"
                                           << loop.log.join('\n').toStdString();
    EXPECT_EQ(op.report().previousVersion, QStringLiteral("1.0.0"));
    EXPECT_EQ(op.report().newVersion, QStringLiteral("1.1.0"));
    EXPECT_EQ(op.report().runningVersion, QStringLiteral("1.1.0"));
    EXPECT_TRUE(op.report().uploaded);
    EXPECT_TRUE(op.report().confirmed);
    EXPECT_FALSE(op.report().rolledBack);
    EXPECT_EQ(op.report().imageHash, FakeBoard::hashOf(bench.newImage));
    // The board runs the new image, confirmed; the old one waits in slot 1.
    EXPECT_EQ(bench.board.primary.data, bench.newImage);
    EXPECT_TRUE(bench.board.primary.confirmed);
    EXPECT_EQ(bench.board.secondary.data, bench.oldImage);
    EXPECT_EQ(bench.board.resets, 1);
    EXPECT_EQ(loop.reopenRequests, 1);
    EXPECT_EQ(countCommand(loop.sentByClient, Group::Os, os::Reset), 1);
    EXPECT_EQ(loop.progress.last().phase, QStringLiteral("done"));
    QStringList phases;
    for (const Progress& p : loop.progress)
        if (phases.isEmpty() || phases.last() != p.phase)
            phases << p.phase;
    EXPECT_EQ(phases.join(QStringLiteral(",")),
              QStringLiteral("read state,upload,test,reset,waiting for the board,check,confirm,done"));
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("the board runs 1.1.0, confirmed")));
}

TEST(SmpUpgrade, UdpLikeBoardWithoutLinkDrop)
{
    Bench bench;
    UpgradeOptions options;
    options.upload.maxPacketBytes = 1024;
    UpgradeOperation op(bench.newImage, options);
    Loopback loop(op, bench.fn());
    bench.udpResets(loop);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_TRUE(op.report().confirmed);
    EXPECT_EQ(loop.linkDrops, 0);
    EXPECT_EQ(bench.board.primary.data, bench.newImage);
    // Echo polls while the board was silent, then it answered.
    EXPECT_GE(countCommand(loop.sentByClient, Group::Os, os::Echo), 3);
}

TEST(SmpUpgrade, EchoAnsweredBeforeTheRebootIsNotMistakenForSuccess)
{
    // The board answers everything and reboots only 3 s after the reset request: the
    // first check still sees the new image pending and keeps waiting.
    Bench bench;
    UpgradeOperation op(bench.newImage);
    Loopback loop(op, bench.fn());
    bench.board.onReset = [&bench, &loop](std::int64_t t) { loop.at(t + 3000, [&bench] { bench.board.reboot(); }); };
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_TRUE(op.report().confirmed);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("has not restarted yet")));
    EXPECT_GE(countCommand(loop.sentByClient, Group::Image, image::State), 4);
}

TEST(SmpUpgrade, RevertIsReportedAsRollback)
{
    Bench bench;
    bench.board.newImageBoots = false;
    UpgradeOperation op(bench.newImage);
    Loopback loop(op, bench.fn());
    bench.serialResets(loop);
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op.failure().has_value());
    const QString message = op.failure()->message;
    EXPECT_TRUE(message.startsWith(QStringLiteral("the board reverted to 1.0.0: the new image 1.1.0 did not boot")))
        << message.toStdString();
    EXPECT_TRUE(op.report().rolledBack);
    EXPECT_EQ(op.report().runningVersion, QStringLiteral("1.0.0"));
    EXPECT_EQ(bench.board.primary.data, bench.oldImage);
    EXPECT_EQ(countCommand(loop.sentByClient, Group::Image, image::State), 3);   // read, test, check; no confirm
}

TEST(SmpUpgrade, RefusesAFileThatIsNotAnMcubootImageBeforeSending)
{
    Bench bench;
    UpgradeOperation op(QByteArray(4096, '\x42'));
    Loopback loop(op, bench.fn());
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op.failure().has_value());
    EXPECT_TRUE(op.failure()->message.startsWith(QStringLiteral("the file is not an MCUboot image")))
        << op.failure()->message.toStdString();
    EXPECT_TRUE(op.failure()->message.contains(QStringLiteral("nothing was sent")));
    EXPECT_TRUE(loop.sentByClient.isEmpty());
}

TEST(SmpUpgrade, SkipsTheUploadWhenTheSlotHoldsTheImage)
{
    Bench bench;
    bench.board.secondary.data = bench.newImage;
    UpgradeOperation op(bench.newImage);
    Loopback loop(op, bench.fn());
    bench.serialResets(loop);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_FALSE(op.report().uploaded);
    EXPECT_TRUE(op.report().confirmed);
    EXPECT_EQ(bench.board.uploadRequests, 0);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("skipping the upload")));
}

TEST(SmpUpgrade, AlreadyRunningAndConfirmedIsANoOp)
{
    Bench bench;
    bench.board.primary.data = bench.newImage;
    UpgradeOperation op(bench.newImage);
    Loopback loop(op, bench.fn());
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value());
    EXPECT_EQ(loop.sentByClient.size(), 1);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("already runs 1.1.0 (confirmed): nothing to do")));
}

TEST(SmpUpgrade, TestOnlyLeavesTheImageUnconfirmed)
{
    Bench bench;
    UpgradeOptions options;
    options.mode = UpgradeMode::TestOnly;
    UpgradeOperation op(bench.newImage, options);
    Loopback loop(op, bench.fn());
    bench.serialResets(loop);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_FALSE(op.report().confirmed);
    EXPECT_EQ(bench.board.primary.data, bench.newImage);
    EXPECT_FALSE(bench.board.primary.confirmed);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("reverts to 1.0.0 at the next reset")));
    // And indeed: the next reboot reverts.
    bench.board.reboot();
    EXPECT_EQ(bench.board.primary.data, bench.oldImage);
}

TEST(SmpUpgrade, ConfirmOnlyIsPermanentWithoutATestBoot)
{
    Bench bench;
    UpgradeOptions options;
    options.mode = UpgradeMode::ConfirmOnly;
    UpgradeOperation op(bench.newImage, options);
    Loopback loop(op, bench.fn());
    bench.serialResets(loop);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_TRUE(op.report().confirmed);
    EXPECT_TRUE(bench.board.primary.confirmed);
    EXPECT_EQ(bench.board.primary.data, bench.newImage);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("the board runs 1.1.0, confirmed")));
}

TEST(SmpUpgrade, BoardThatNeverComesBack)
{
    Bench bench;
    UpgradeOptions options;
    options.bootPatienceMs = 20000;
    UpgradeOperation op(bench.newImage, options);
    Loopback loop(op, bench.fn());
    bench.board.onReset = [&loop](std::int64_t t) { loop.linkDownAt(t + 250); };
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op.failure().has_value());
    EXPECT_TRUE(op.failure()->message.startsWith(QStringLiteral("the board did not answer within 20 s after the reset")))
        << op.failure()->message.toStdString();
    EXPECT_FALSE(op.report().rolledBack);
}

TEST(SmpUpgrade, UploadInterruptedByALinkDropResumes)
{
    Bench bench;
    UpgradeOperation op(bench.newImage);
    Loopback loop(op, bench.fn());
    loop.bytesPerSecond = 10000;
    bench.serialResets(loop);
    loop.linkDownAt(1500);
    loop.linkUpAt(4000);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(bench.board.resumesAnswered, 1);
    EXPECT_TRUE(op.report().confirmed);
}

TEST(SmpUpgrade, LinkDropDuringAStateStepRepeatsTheStep)
{
    Bench bench;
    UpgradeOperation op(bench.newImage);
    Loopback loop(op, bench.fn());
    bench.serialResets(loop);
    loop.linkDownAt(3);   // the first state read is in flight
    loop.linkUpAt(1000);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("repeating the last step")));
    EXPECT_TRUE(op.report().confirmed);
}

// --- against the simulated Zephyr board + MCUboot (core/smp/smp_server.h) ---------------------

namespace {
using otalab::test::smp::SimBoard;
}

TEST(SmpUpgradeSimBoard, SerialLikeTestAndConfirm)
{
    SimBoard sim;
    ASSERT_TRUE(sim.install(makeImage(20000, QStringLiteral("1.0.0"), 1)));
    const QByteArray image = makeImage(64 * 1024, QStringLiteral("1.2.0"), 3);
    UpgradeOperation op(image);
    Loopback loop(op, sim.attach(loop, SimBoard::ResetLink::Drops, 5000));
    loop.bytesPerSecond = 11520;   // 115200 baud
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_TRUE(op.report().confirmed);
    EXPECT_EQ(op.report().runningVersion, QStringLiteral("1.2.0"));
    EXPECT_EQ(sim.resets, 1);
    ASSERT_TRUE(sim.lastBoot.has_value());
    EXPECT_EQ(sim.lastBoot->version.minor, 2);
    EXPECT_EQ(loop.reopenRequests, 1);
    // Confirmed: another reset keeps 1.2.0.
    EXPECT_EQ(sim.server.reboot().version.minor, 2);
}

TEST(SmpUpgradeSimBoard, UdpLikeTestOnlyThenRevertOnTheNextReset)
{
    SimBoard sim;
    ASSERT_TRUE(sim.install(makeImage(20000, QStringLiteral("1.0.0"), 1)));
    UpgradeOptions options;
    options.mode = UpgradeMode::TestOnly;
    UpgradeOperation op(makeImage(30000, QStringLiteral("1.1.0"), 4), options);
    Loopback loop(op, sim.attach(loop, SimBoard::ResetLink::Stays, 3000));
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_FALSE(op.report().confirmed);
    EXPECT_EQ(op.report().runningVersion, QStringLiteral("1.1.0"));
    EXPECT_EQ(loop.linkDrops, 0);
    EXPECT_EQ(sim.server.reboot().version.minor, 0);   // not confirmed: MCUboot reverts
}

TEST(SmpUpgradeSimBoard, ImageThatFailsValidationIsReportedAsRollback)
{
    SimBoard sim;
    ASSERT_TRUE(sim.install(makeImage(20000, QStringLiteral("1.0.0"), 1)));
    // A valid MCUboot file whose body was altered after signing: MCUboot's hash check
    // refuses it at boot and keeps 1.0.0.
    QByteArray image = makeImage(30000, QStringLiteral("1.1.0"), 5);
    image[200] = char(image[200] ^ 0x01);
    UpgradeOperation op(image);
    Loopback loop(op, sim.attach(loop));
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op.failure().has_value());
    EXPECT_TRUE(op.failure()->message.startsWith(QStringLiteral("the board reverted to 1.0.0: the new image 1.1.0 did not boot")))
        << op.failure()->message.toStdString();
    EXPECT_TRUE(op.report().rolledBack);
}
