// SPDX-License-Identifier: Apache-2.0
// FlashStateStore (`target serve --state-dir`): whole files on the first save, then only
// the sectors that changed, in place; loading them back; refusing another slot size.
#include "app/cli/target_flash_store.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace otalab {
namespace {

using cli::FlashStateStore;
using core::mcuboot::BootFlash;
using core::mcuboot::FlashGeometry;
using core::mcuboot::kSecondarySlot;

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

FlashGeometry smallGeometry()
{
    FlashGeometry g;
    g.primarySize = g.secondarySize = 16 * 0x1000;
    g.secondaryAddress = g.primaryAddress + std::uint32_t(g.primarySize);
    return g;
}

TEST(TargetFlashStore, SavesWholeFilesThenOnlyChangedSectorsInPlace)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString state = dir.filePath(QStringLiteral("state"));
    BootFlash flash(smallGeometry());
    FlashStateStore store(state);
    ASSERT_TRUE(store.save(flash).has_value());
    const QString slot1 = QDir(state).filePath(QStringLiteral("slot1.bin"));
    EXPECT_EQ(readAll(slot1), flash.slotBytes(kSecondarySlot));

    // Mark sector 0 of the file (the flash there does not change): a later save that
    // rewrote whole files would restore it; one that writes changed sectors leaves it.
    {
        QFile f(slot1);
        ASSERT_TRUE(f.open(QIODevice::ReadWrite));
        ASSERT_TRUE(f.seek(10));
        ASSERT_EQ(f.write("\x5a", 1), 1);
    }
    ASSERT_TRUE(flash.write(kSecondarySlot, 3 * 0x1000 + 16, QByteArray(64, char(0x11))));
    ASSERT_TRUE(store.save(flash).has_value());
    const QByteArray saved = readAll(slot1);
    ASSERT_EQ(saved.size(), flash.slotSize(kSecondarySlot));
    EXPECT_EQ(saved.mid(3 * 0x1000, 0x1000), flash.slotBytes(kSecondarySlot).mid(3 * 0x1000, 0x1000));
    EXPECT_EQ(saved.at(10), char(0x5a));
    EXPECT_EQ(saved.mid(4 * 0x1000), flash.slotBytes(kSecondarySlot).mid(4 * 0x1000));
}

TEST(TargetFlashStore, LoadsWhatWasSavedAndRefusesAnotherSlotSize)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString state = dir.filePath(QStringLiteral("state"));
    BootFlash flash(smallGeometry());
    ASSERT_TRUE(flash.write(kSecondarySlot, 0, QByteArray(4096, char(0x42))));
    ASSERT_TRUE(FlashStateStore(state).save(flash).has_value());

    BootFlash again(smallGeometry());
    FlashStateStore store(state);
    auto loaded = store.load(again);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message.toStdString();
    EXPECT_TRUE(*loaded);
    EXPECT_EQ(again.slotBytes(kSecondarySlot), flash.slotBytes(kSecondarySlot));

    FlashGeometry bigger = smallGeometry();
    bigger.primarySize = bigger.secondarySize = 32 * 0x1000;
    BootFlash other(bigger);
    auto refused = FlashStateStore(state).load(other);
    ASSERT_FALSE(refused.has_value());
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("--slot-size"))) << refused.error().message.toStdString();

    BootFlash fresh(smallGeometry());
    auto nothing = FlashStateStore(dir.filePath(QStringLiteral("empty"))).load(fresh);
    ASSERT_TRUE(nothing.has_value());
    EXPECT_FALSE(*nothing);
    EXPECT_FALSE(FlashStateStore(QString()).enabled());
}

} // namespace
} // namespace otalab
