// SPDX-License-Identifier: Apache-2.0
// The FreeRTOS OTA agent's received-block bitmap: layout, the out-of-range bits of the
// last byte, request windows, resume after reboot.
//
// Expected bytes follow ota-for-aws-iot-embedded-sdk v3.4.0 source/ota.c by hand:
// getFileContextFromJob sets bitmapLen = ceil(blocks/8) bytes to 0xff, then clears the
// (bitmapLen*8 - blocks) top bits of the last byte from bit 7 down; processDataBlock
// clears byte id/8 bit id%8 when a block is stored; requestFileBlock_Mqtt sends the whole
// bitmap with "o" = 0.
#include "core/awsota/blockbitmap.h"
#include "core/awsota/streammessages.h"

#include <bit>

#include <gtest/gtest.h>

using namespace otalab::core::awsota;

TEST(AwsOtaBitmap, FreshBitmapAsTheLibraryInitialisesIt)
{
    EXPECT_EQ(BlockBitmap(10).bytes().toHex(), QByteArray("ff03"));   // 6 bits cleared in byte 1
    EXPECT_EQ(BlockBitmap(8).bytes().toHex(), QByteArray("ff"));
    EXPECT_EQ(BlockBitmap(1).bytes().toHex(), QByteArray("01"));
    EXPECT_EQ(BlockBitmap(17).bytes().toHex(), QByteArray("ffff01"));
    EXPECT_EQ(BlockBitmap(1024).bytes(), QByteArray(128, char(0xFF)));
    EXPECT_EQ(BlockBitmap(0).byteCount(), 0);
    EXPECT_EQ(BlockBitmap(10).missingCount(), 10u);
    EXPECT_EQ(BlockBitmap(10).firstMissing(), 0u);
}

TEST(AwsOtaBitmap, BlocksForFileRoundsUp)
{
    EXPECT_EQ(BlockBitmap::blocksForFile(1, 4096), 1u);
    EXPECT_EQ(BlockBitmap::blocksForFile(4096, 4096), 1u);
    EXPECT_EQ(BlockBitmap::blocksForFile(4097, 4096), 2u);
    EXPECT_EQ(BlockBitmap::blocksForFile(0xFFFFFFFFu, 4096), 1048576u);
    EXPECT_EQ(BlockBitmap::blocksForFile(10, 0), 0u);
}

TEST(AwsOtaBitmap, BlockIIsByteIOver8BitIMod8LsbFirst)
{
    BlockBitmap b(17);
    b.markReceived(0);
    EXPECT_EQ(b.bytes().toHex(), QByteArray("feff01"));
    b.markReceived(9);   // byte 1, bit 1
    EXPECT_EQ(b.bytes().toHex(), QByteArray("fefd01"));
    b.markReceived(16);  // the last block: byte 2, bit 0
    EXPECT_EQ(b.bytes().toHex(), QByteArray("fefd00"));
    EXPECT_FALSE(b.isWanted(9));
    EXPECT_TRUE(b.isWanted(10));
    EXPECT_EQ(b.firstMissing(), 1u);
    EXPECT_EQ(b.missingCount(), 14u);
    b.markReceived(9);   // a duplicate changes nothing
    EXPECT_EQ(b.missingCount(), 14u);
    b.setWanted(9);
    EXPECT_EQ(b.bytes().toHex(), QByteArray("feff00"));
    // Out of range: ignored, never wanted.
    b.markReceived(17);
    b.setWanted(23);
    EXPECT_EQ(b.bytes().toHex(), QByteArray("feff00"));
    EXPECT_FALSE(b.isWanted(17));
}

TEST(AwsOtaBitmap, CompleteWhenEveryBlockReceived)
{
    BlockBitmap b(10);
    for (std::uint32_t i = 0; i < 10; ++i) {
        EXPECT_FALSE(b.complete());
        b.markReceived(9 - i);
    }
    EXPECT_TRUE(b.complete());
    EXPECT_EQ(b.firstMissing(), std::nullopt);
    EXPECT_EQ(b.bytes().toHex(), QByteArray("0000"));
}

TEST(AwsOtaBitmap, WindowIsTheWholeBitmapFromZeroAsTheLibrarySendsIt)
{
    BlockBitmap b(10);
    b.markReceived(0);
    const auto w = b.windowFrom(0);
    EXPECT_EQ(w.offset, 0u);
    EXPECT_EQ(w.bitmap.toHex(), QByteArray("fe03"));
    EXPECT_TRUE(b.fitsOneRequest());
    EXPECT_TRUE(BlockBitmap(1024).fitsOneRequest());
    EXPECT_FALSE(BlockBitmap(1025).fitsOneRequest());
    EXPECT_FALSE(BlockBitmap(0).fitsOneRequest());
}

TEST(AwsOtaBitmap, LaterWindowsStartAtTheByteOfTheFirstBlock)
{
    // 2,000 blocks (more than the library tracks): 250 bytes.
    BlockBitmap b(2000);
    for (std::uint32_t i = 0; i < 1030; ++i)
        b.markReceived(i);
    ASSERT_EQ(b.firstMissing(), 1030u);
    const auto w = b.windowFrom(*b.firstMissing());
    EXPECT_EQ(w.offset, 1024u);                 // byte 128 holds blocks 1024..1031
    EXPECT_EQ(w.bitmap.size(), 122);            // 250 - 128 bytes left, under the 128 cap
    EXPECT_EQ(quint8(w.bitmap[0]), 0xC0);       // blocks 1030, 1031 wanted
    const auto capped = b.windowFrom(0);
    EXPECT_EQ(capped.bitmap.size(), 128);
    EXPECT_EQ(b.windowFrom(1999).offset, 1992u);
    EXPECT_EQ(b.windowFrom(1999).bitmap.toHex(), QByteArray("ff"));
    EXPECT_TRUE(b.windowFrom(2000).bitmap.isEmpty());
    // The window, as a GetStream request, names exactly the blocks it holds.
    GetStreamRequest r;
    r.offset = w.offset;
    r.bitmap = w.bitmap;
    EXPECT_TRUE(validate(r).has_value());
}

TEST(AwsOtaBitmap, SerialiseRestoreRoundTrip)
{
    BlockBitmap b(17);
    b.markReceived(3);
    b.markReceived(16);
    const QByteArray saved = b.serialise();
    EXPECT_EQ(saved.toHex(), QByteArray("11000000f7ff00"));
    auto back = BlockBitmap::restore(saved);
    ASSERT_TRUE(back.has_value()) << back.error().toString().toStdString();
    EXPECT_EQ(*back, b);
    EXPECT_EQ(back->missingCount(), 15u);
    auto empty = BlockBitmap::restore(BlockBitmap(0).serialise());
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(empty->blockCount(), 0u);
}

TEST(AwsOtaBitmap, RestoreRejectsCorruptState)
{
    const QByteArray good = BlockBitmap(17).serialise();
    EXPECT_EQ(BlockBitmap::restore(good.left(3)).error().field, QStringLiteral("blockCount"));
    EXPECT_EQ(BlockBitmap::restore(good.left(6)).error().field, QStringLiteral("bitmap"));
    EXPECT_EQ(BlockBitmap::restore(good + "x").error().field, QStringLiteral("bitmap"));
    QByteArray stray = good;
    stray[6] = char(0x03);  // bit for block 17, which does not exist
    auto r = BlockBitmap::restore(stray);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().offset, 6);
    QByteArray huge = QByteArray::fromHex("ffffffff");
    EXPECT_FALSE(BlockBitmap::restore(huge).has_value());
}

// missingCount() is kept by setWanted/markReceived (O(1)); it must always equal the
// popcount of the bytes the agent sends, whatever the order of operations.
TEST(AwsotaBitmap, MissingCountFollowsEveryChange)
{
    otalab::core::awsota::BlockBitmap bitmap(203);
    std::uint64_t state = 12345;
    for (int step = 0; step < 5000; ++step) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const std::uint32_t block = std::uint32_t(state >> 33) % 210;  // some past the end
        if ((state >> 20) & 1)
            bitmap.markReceived(block);
        else
            bitmap.setWanted(block);
        std::uint32_t bits = 0;
        for (const char c : bitmap.bytes())
            bits += std::uint32_t(std::popcount(quint8(c)));
        ASSERT_EQ(bitmap.missingCount(), bits) << "step " << step;
        ASSERT_EQ(bitmap.complete(), bits == 0);
    }
    const auto restored = otalab::core::awsota::BlockBitmap::restore(bitmap.serialise());
    ASSERT_TRUE(restored);
    EXPECT_EQ(restored->missingCount(), bitmap.missingCount());
}
