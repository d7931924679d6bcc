// SPDX-License-Identifier: Apache-2.0
// Trailer size and layout as imgtool writes it (--pad, --confirm, --align,
// --max-sectors, --overwrite-only, --max-align), and how the parser reads it back.
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_trailer.h"
#include "mcuboot_fixtures.h"

#include <gtest/gtest.h>

namespace otalab::core::mcuboot {
namespace {

using test::mcuboot::readData;

qint64 size(TrailerOptions o, bool encrypted = false) { return *trailerSize(o, encrypted); }

TEST(McubootTrailer, SizesFollowImgtool)
{
    EXPECT_EQ(size({}), 128 * 3 + 4 * 8 + 16);                 // swap, --align 1, 128 sectors
    EXPECT_EQ(size({}, true), 128 * 3 + 2 * 16 + 4 * 8 + 16);  // + two 16-byte key slots
    EXPECT_EQ(size({4, 32}), 32 * 3 * 4 + 4 * 8 + 16);
    EXPECT_EQ(size({1, 128, true}), 2 * 8 + 16);                 // overwrite-only
    EXPECT_EQ(size({16, 128}), 128 * 3 * 16 + 4 * 16 + 16);     // max_align follows align
    EXPECT_EQ(size({32, 128}), 128 * 3 * 32 + 4 * 32 + 32);     // magic padded to 32
    EXPECT_EQ(size({32, 128}, true), 128 * 3 * 32 + 2 * 32 + 4 * 32 + 32);
    EXPECT_EQ(size({1, 128, false, 16}), 128 * 3 + 4 * 16 + 16);
    EXPECT_FALSE(trailerSize({3, 128}, false));
    EXPECT_FALSE(trailerSize({1, 128, false, 12}, false));
}

TEST(McubootTrailer, MagicDependsOnMaxAlign)
{
    EXPECT_EQ(trailerMagic(8).toHex(), QByteArray("77c295f360d2ef7f3552500f2cb67980"));
    EXPECT_EQ(trailerMagic(32).toHex(), QByteArray("20002de15d29410b8d77679c110f1f8a"));
}

TEST(McubootTrailer, ConfirmSetsImageOkBeforeTheAlignedMagic)
{
    const QByteArray image(100, 'i');
    auto padded = padToSlot(image, 0x4000, {32, 16}, false, true);
    ASSERT_TRUE(padded);
    EXPECT_EQ(padded->size(), 0x4000);
    EXPECT_EQ(padded->at(0x4000 - 32 - 32), '\x01');
    EXPECT_EQ(padded->right(16), trailerMagic(32));
    EXPECT_EQ(padded->mid(100, 0x4000 - 100 - 16).count('\x01'), 1);
    auto overwrite = padToSlot(image, 0x4000, {1, 128, true}, false, true);
    ASSERT_TRUE(overwrite);
    EXPECT_EQ(overwrite->count('\x01'), 0);  // --confirm is ignored for overwrite-only
    EXPECT_FALSE(padToSlot(image, 0x100, {}, false, false));
}

TEST(McubootTrailer, ParserReadsImgtoolTrailers)
{
    auto confirmed = parseImage(readData(QStringLiteral("imgtool/ed25519-pad-confirm.bin")));
    ASSERT_TRUE(confirmed);
    ASSERT_TRUE(confirmed->trailer);
    EXPECT_EQ(confirmed->trailer->maxAlign, 8);
    EXPECT_EQ(confirmed->trailer->magicOffset, 0x8000 - 16);
    EXPECT_EQ(confirmed->trailer->imageOkOffset, 0x8000 - 24);
    EXPECT_EQ(confirmed->trailer->imageOk, 0x01);
    EXPECT_EQ(confirmed->trailer->copyDone, 0xff);
    EXPECT_EQ(confirmed->trailer->swapInfo, 0xff);
    EXPECT_EQ(swapTypeName(confirmed->trailer->swapInfo), QStringLiteral("unset"));
    EXPECT_EQ(confirmed->paddingOffset, confirmed->unprotectedTlvs.end());

    auto plain = parseImage(readData(QStringLiteral("imgtool/unsigned-pad.bin")));
    ASSERT_TRUE(plain && plain->trailer);
    EXPECT_EQ(plain->trailer->imageOk, 0xff);

    auto overwrite = parseImage(readData(QStringLiteral("imgtool/unsigned-pad-overwrite-only.bin")));
    ASSERT_TRUE(overwrite && overwrite->trailer);
    EXPECT_EQ(overwrite->trailer->imageOk, 0xff);

    EXPECT_FALSE(parseImage(readData(QStringLiteral("imgtool/unsigned.bin")))->trailer);
}

TEST(McubootTrailer, SwapTypeNames)
{
    EXPECT_EQ(swapTypeName(0x01), QStringLiteral("none"));
    EXPECT_EQ(swapTypeName(0x02), QStringLiteral("test"));
    EXPECT_EQ(swapTypeName(0x13), QStringLiteral("perm"));
    EXPECT_EQ(swapTypeName(0x04), QStringLiteral("revert"));
}

} // namespace
} // namespace otalab::core::mcuboot
