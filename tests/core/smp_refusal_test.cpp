// SPDX-License-Identifier: Apache-2.0
// MGMT_ERR_ENOTSUP told apart by what the link knows: a command the board's configuration
// leaves out of a group that answers (image test on a direct-XIP board after image list
// worked) versus a group the board does not answer at all.
#include "core/smp/answered_groups.h"
#include "core/smp/client_command.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_packet.h"
#include "core/smp/smp_refusal.h"
#include "smp_fake_board.h"
#include "smp_loopback.h"

#include <gtest/gtest.h>

using namespace otalab::core::smp;
using otalab::test::smp::FakeBoard;
using otalab::test::smp::Loopback;
using otalab::test::smp::makeImage;

namespace {

// Zephyr img_mgmt.c in direct-XIP mode: image state read works, the state write (test,
// confirm) has no handler and smp.c answers {"rc": 8}.
Loopback::Board directXipBoard(FakeBoard& board)
{
    return [&board](std::int64_t now, const QByteArray& request) -> QList<QByteArray> {
        const auto packet = decodePacket(request);
        if (packet && packet->header.group == std::uint16_t(Group::Image) && packet->header.command == image::State
            && packet->header.op == Op::Write) {
            Header h = packet->header;
            h.op = Op::WriteResponse;
            return {encodePacket(h, errorPayloadV1(MgmtErr::NotSup))};
        }
        return board.handle(now, request);
    };
}

// Runs `op` on the loopback after `carry` (the way SmpLink and the Bench chain operations
// on one link) and carries its requester on. Returns the failure message, empty on success.
QString runAfter(Requester& carry, ClientOperation& op, const Loopback::Board& board)
{
    op.requester().continueFrom(carry);
    Loopback loop(op, board);
    EXPECT_TRUE(loop.run());
    carry.continueFrom(op.requester());
    return op.failure() ? op.failure()->message : QString();
}

RefusalContext context(QString operation, Group group, std::uint8_t command, bool write, bool answered)
{
    return RefusalContext{std::move(operation), std::uint16_t(group), command, write, answered};
}

const DeviceError kNotSup{int(MgmtErr::NotSup), std::nullopt, {}};

} // namespace

TEST(SmpRefusal, ImageTestAfterAWorkingImageListBlamesTheConfigurationNotTheGroup)
{
    FakeBoard board;
    board.primary.data = makeImage(500, QStringLiteral("1.0.0"));
    board.primary.confirmed = true;
    board.secondary.data = makeImage(500, QStringLiteral("1.1.0"), 2);
    const auto link = directXipBoard(board);
    Requester carry;

    auto list = CommandOperation::imageState();
    ASSERT_TRUE(runAfter(carry, *list, link).isEmpty());
    EXPECT_TRUE(carry.answeredGroups().contains(std::uint16_t(Group::Image)));

    auto test = CommandOperation::imageTest(FakeBoard::hashOf(board.secondary.data));
    const QString message = runAfter(carry, *test, link);
    ASSERT_TRUE(test->deviceError().has_value());
    EXPECT_EQ(test->deviceError()->rc, int(MgmtErr::NotSup));
    EXPECT_TRUE(message.startsWith(QStringLiteral("the board refused image test: this board's configuration does "
                                                  "not support image test (MGMT_ERR_ENOTSUP), although its image "
                                                  "group answers other commands: ")))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("CONFIG_MCUBOOT_BOOTLOADER_MODE_DIRECT_XIP"))) << message.toStdString();
    EXPECT_FALSE(message.contains(QStringLiteral("enable the"))) << message.toStdString();
    EXPECT_FALSE(message.contains(QStringLiteral("CONFIG_MCUMGR_GRP_IMG"))) << message.toStdString();
    // The refusal itself does not count as the group answering.
    auto confirm = CommandOperation::imageConfirm();
    Requester fresh;
    EXPECT_FALSE(runAfter(fresh, *confirm, link).isEmpty());
    EXPECT_FALSE(fresh.answeredGroups().contains(std::uint16_t(Group::Image)));
}

TEST(SmpRefusal, ImageTestAsTheFirstCommandStillAdvisesEnablingTheGroup)
{
    FakeBoard board;
    board.primary.data = makeImage(500, QStringLiteral("1.0.0"));
    Requester carry;
    auto echo = CommandOperation::echo(QStringLiteral("hi"));   // another group working says nothing
    ASSERT_TRUE(runAfter(carry, *echo, directXipBoard(board)).isEmpty());

    auto test = CommandOperation::imageTest(QByteArray(32, '\x11'));
    const QString message = runAfter(carry, *test, directXipBoard(board));
    EXPECT_TRUE(message.startsWith(QStringLiteral("the board refused image test: the board does not support image "
                                                  "test (MGMT_ERR_ENOTSUP): enable the image group in the firmware "
                                                  "(Kconfig CONFIG_MCUMGR_GRP_IMG)")))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("; if it is enabled, Zephyr leaves image test and confirm out")))
        << message.toStdString();
}

TEST(SmpRefusal, SlotInfoAndParamsNameTheirOwnKconfigOption)
{
    const QString slots = describeRefusal(kNotSup, context(QStringLiteral("image slot info"), Group::Image,
                                                           image::SlotInfo, false, true));
    EXPECT_EQ(slots, QStringLiteral("this board's configuration does not support image slot info (MGMT_ERR_ENOTSUP), "
                                    "although its image group answers other commands: enable it in the firmware "
                                    "(Kconfig CONFIG_MCUMGR_GRP_IMG_SLOT_INFO)"));
    const QString params = describeRefusal(kNotSup, context({}, Group::Os, os::McumgrParams, false, false));
    EXPECT_EQ(params, QStringLiteral("the board does not support os mcumgr params (MGMT_ERR_ENOTSUP): enable the os "
                                     "group in the firmware (Kconfig CONFIG_MCUMGR_GRP_OS); if it is enabled, enable "
                                     "it in the firmware (Kconfig CONFIG_MCUMGR_GRP_OS_MCUMGR_PARAMS)"));
    // Image state read has no option of its own: the direct-XIP advice is for writes only.
    const QString read = describeRefusal(kNotSup, context(QStringLiteral("image list"), Group::Image, image::State,
                                                          false, true));
    EXPECT_FALSE(read.contains(QStringLiteral("DIRECT_XIP"))) << read.toStdString();
    EXPECT_TRUE(read.contains(QStringLiteral("the firmware was built without this operation"))) << read.toStdString();
}

TEST(SmpRefusal, OtherErrorsReadAsBeforeAndTheBoardsReasonIsKept)
{
    const DeviceError badState{int(MgmtErr::BadState), std::nullopt, {}};
    const DeviceError noSlot{9, int(Group::Image), {}};
    const RefusalContext any = context(QStringLiteral("image test"), Group::Image, image::State, true, true);
    EXPECT_EQ(describeRefusal(badState, any), describeError(badState));
    EXPECT_EQ(describeRefusal(noSlot, any), describeError(noSlot));
    const QString withReason = describeRefusal(DeviceError{int(MgmtErr::NotSup), std::nullopt, QStringLiteral("nope")},
                                               context({}, Group::Shell, 0, true, false));
    EXPECT_TRUE(withReason.contains(
        QStringLiteral("enable the shell group in the firmware (Kconfig CONFIG_MCUMGR_GRP_*)")))
        << withReason.toStdString();
    EXPECT_TRUE(withReason.endsWith(QStringLiteral(" — the board says: \"nope\""))) << withReason.toStdString();
}

TEST(SmpRefusal, AGroupCountsAsPresentOnSuccessOrItsOwnErrorCode)
{
    AnsweredGroups groups;
    groups.record(std::uint16_t(Group::Os), DeviceError{int(MgmtErr::NotSup), std::nullopt, {}});
    groups.record(std::uint16_t(Group::Os), DeviceError{3, int(Group::Image), {}});   // another group's code
    EXPECT_FALSE(groups.contains(std::uint16_t(Group::Os)));
    groups.record(std::uint16_t(Group::Image), DeviceError{8, int(Group::Image), {}});   // IMG_MGMT_ERR_HASH_NOT_FOUND
    EXPECT_TRUE(groups.contains(std::uint16_t(Group::Image)));
    AnsweredGroups later;
    later.record(std::uint16_t(Group::Os), std::nullopt);
    later.merge(groups);
    EXPECT_TRUE(later.contains(std::uint16_t(Group::Os)));
    EXPECT_TRUE(later.contains(std::uint16_t(Group::Image)));
}
