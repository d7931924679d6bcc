// SPDX-License-Identifier: Apache-2.0
// LorawanDataBlock: what a campaign multicasts — raw, signed, delta — built with core/lorawan's container.
#include "lorawan_fleet_test_support.h"

#include "core/lorawan/fuotaimage.h"
#include "sim/lorawan/lorawandatablock.h"

#include <QFile>
#include <QTemporaryDir>

using namespace otalab::sim;
using namespace otalab::test::lorawanfleet;
namespace lw = otalab::core::lorawan;

namespace {

LorawanImageConfig image(LorawanImageConfig::Format format, std::uint32_t size = 32 * 1024)
{
    LorawanImageConfig c;
    c.sizeBytes = size;
    c.format = format;
    return c;
}

} // namespace

TEST(LorawanDataBlock, RawIsTheImageAndNeedsTwiceItInFlash)
{
    auto b = buildLorawanDataBlock(image(LorawanImageConfig::Format::Raw), 7, QStringLiteral("$.fleets[0]"));
    ASSERT_TRUE(b) << b.error().toString().toStdString();
    EXPECT_EQ(b->block, b->firmware);
    EXPECT_EQ(b->blockBytes(), 32u * 1024u);
    EXPECT_EQ(b->flashNeeded(), 2u * 32u * 1024u);
    EXPECT_TRUE(b->description().startsWith(QStringLiteral("raw")));
}

TEST(LorawanDataBlock, DeltaIsARealPatchThatRebuildsTheImageOnTheRunningOne)
{
    LorawanImageConfig c = image(LorawanImageConfig::Format::Delta);
    c.changePercent = 5;
    auto b = buildLorawanDataBlock(c, 7, {});
    ASSERT_TRUE(b) << b.error().toString().toStdString();
    EXPECT_NE(b->running, b->firmware);
    EXPECT_LT(b->blockBytes(), 32u * 1024u / 5) << "a 5 % change should cost well under a fifth of the image";
    lw::FuotaDeviceContext device;
    device.runningImage = b->running;
    device.flashCapacity = 1 << 20;
    auto rebuilt = lw::unpackFuotaImage(b->block, device);
    ASSERT_TRUE(rebuilt) << rebuilt.error().toString().toStdString();
    EXPECT_EQ(*rebuilt, b->firmware);
    EXPECT_EQ(b->flashNeeded(), std::uint64_t(b->running.size()) + b->blockBytes() + std::uint64_t(b->firmware.size()));
    // On another base the device refuses, naming both hashes.
    device.runningImage = b->firmware;
    auto wrong = lw::unpackFuotaImage(b->block, device);
    ASSERT_FALSE(wrong);
    EXPECT_TRUE(wrong.error().message.contains(QStringLiteral("base"))) << wrong.error().message.toStdString();
}

TEST(LorawanDataBlock, SameConfigSameBytesAndMoreChangeCostsMore)
{
    LorawanImageConfig c = image(LorawanImageConfig::Format::Delta);
    const auto a = buildLorawanDataBlock(c, 7, {});
    const auto b = buildLorawanDataBlock(c, 7, {});
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->block, b->block);
    c.changePercent = 30;
    const auto more = buildLorawanDataBlock(c, 7, {});
    ASSERT_TRUE(more);
    EXPECT_GT(more->blockBytes(), a->blockBytes());
}

TEST(LorawanDataBlock, SignedReservesHeaderAndSignature)
{
    const auto s = buildLorawanDataBlock(image(LorawanImageConfig::Format::Signed), 7, {});
    ASSERT_TRUE(s);
    EXPECT_EQ(s->blockBytes(), 32u * 1024u + 80u + 72u);
    const auto sd = buildLorawanDataBlock(image(LorawanImageConfig::Format::SignedDelta), 7, {});
    const auto d = buildLorawanDataBlock(image(LorawanImageConfig::Format::Delta), 7, {});
    ASSERT_TRUE(sd && d);
    EXPECT_EQ(sd->blockBytes(), d->blockBytes() + 72u);
}

TEST(LorawanDataBlock, DeltaOfAFileImageNeedsTheRunningImage)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("new.bin"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(generatedFirmware(4096, 3));
    f.close();
    LorawanImageConfig c = image(LorawanImageConfig::Format::Delta);
    c.path = path;
    auto b = buildLorawanDataBlock(c, 7, QStringLiteral("$.fleets[0]"));
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().field, QStringLiteral("$.fleets[0].image.basePath"));
    c.basePath = dir.filePath(QStringLiteral("missing.bin"));
    b = buildLorawanDataBlock(c, 7, QStringLiteral("$.fleets[0]"));
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().field, QStringLiteral("$.fleets[0].image.basePath"));
}

TEST(LorawanDataBlock, ADeltaCampaignSendsFewerFragmentsAndNeedsRoomForTheRebuild)
{
    LorawanFleetConfig raw = smallFleet();
    LorawanFleetConfig delta = smallFleet();
    delta.image.format = LorawanImageConfig::Format::Delta;
    delta.image.changePercent = 10;
    LorawanRun a(raw), b(delta);
    EXPECT_LT(b.fleet().plan().fragments * 3, a.fleet().plan().fragments);
    ASSERT_TRUE(b.run());
    EXPECT_GT(b.count(DeviceOutcome::Upgraded), 0);
    // Flash that holds twice the image but not running + patch + rebuilt image: refused.
    delta.devices.flashBytes = 2 * 8 * 1024;
    LorawanRun tight(delta);
    ASSERT_TRUE(tight.run());
    EXPECT_EQ(tight.count(DeviceOutcome::Upgraded), 0);
    EXPECT_GE(tight.count(DeviceOutcome::Refused), int(delta.devices.count) * 9 / 10);  // the rest never answered the setup
    EXPECT_EQ(tight.count(DeviceOutcome::Refused) + tight.count(DeviceOutcome::Failed), int(delta.devices.count));
}
