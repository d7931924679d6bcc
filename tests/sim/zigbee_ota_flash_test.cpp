// SPDX-License-Identifier: Apache-2.0
// SimOtaFlash: reads back the shared image, shows corruption, keeps no copy.
#include "sim/zigbee/otaflashmodel.h"

#include <gtest/gtest.h>

namespace otalab::sim {
namespace {

TEST(OtaFlash, ReadsBackSharedImageWithoutCopy)
{
    QByteArray bytes(1000, Qt::Uninitialized);
    for (int i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<char>(i * 7);
    }
    SimOtaFlash::ImageList images{std::make_shared<const QByteArray>(bytes)};
    SimOtaFlash flash(images, 4096);
    ASSERT_TRUE(flash.erase(1000));
    for (std::uint32_t off = 0; off < 1000; off += 64) {
        const auto n = std::min<std::uint32_t>(64, 1000 - off);
        ASSERT_TRUE(flash.write(off, QByteArrayView(bytes.constData() + off, n)));
    }
    EXPECT_EQ(flash.bytesWritten(), 1000u);
    EXPECT_EQ(flash.overlayBytes(), 0u);
    auto back = flash.read(0, 1000);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, bytes);
    EXPECT_EQ(back->constData(), images[0]->constData());  // shared, not copied
    TraceHash h;  // the same bytes in one go: independent of the 64-byte write chunks
    for (char b : bytes)
        h.addByte(static_cast<std::uint8_t>(b));
    EXPECT_EQ(flash.runningHash(), h.value());
}

TEST(OtaFlash, CorruptedWriteReadsBackCorrupted)
{
    QByteArray bytes(256, 'a');
    SimOtaFlash::ImageList images{std::make_shared<const QByteArray>(bytes)};
    SimOtaFlash flash(images, 4096);
    ASSERT_TRUE(flash.erase(256));
    QByteArray block(256, 'a');
    block[100] = 'X';
    ASSERT_TRUE(flash.write(0, block));
    EXPECT_EQ(flash.overlayBytes(), 1u);
    auto back = flash.read(0, 256);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, block);
    auto partial = flash.read(96, 8);
    ASSERT_TRUE(partial);
    EXPECT_EQ(*partial, QByteArray("aaaaXaaa"));
    EXPECT_FALSE(flash.erase(5000));  // does not fit
    EXPECT_FALSE(flash.write(250, QByteArray(10, 'a')));
}

} // namespace
} // namespace otalab::sim
