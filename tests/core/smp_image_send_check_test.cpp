// SPDX-License-Identifier: Apache-2.0
// checkImageToSend: what `smp image upload`, `smp upgrade` and the Bench window refuse to
// send — an image `image inspect` calls INVALID (the board's MCUboot would refuse it).
#include "core/smp/image_send_check.h"
#include "smp_fake_board.h"
#include "zigbee_test_support.h"

#include <gtest/gtest.h>

namespace otalab::core::smp {
namespace {

using test::smp::makeImage;

TEST(SmpImageSendCheck, AValidUnsignedImageMayBeSent)
{
    const QByteArray image = makeImage(8000, QStringLiteral("1.1.0"), 3);
    ASSERT_FALSE(image.isEmpty());
    EXPECT_TRUE(checkImageToSend(image).has_value());
}

TEST(SmpImageSendCheck, ACorruptedHashIsRefusedWithTheInspectorsFinding)
{
    QByteArray image = makeImage(8000, QStringLiteral("1.1.0"), 3);
    auto parsed = mcuboot::parseImage(image);
    ASSERT_TRUE(parsed.has_value());
    const mcuboot::Tlv* sha = parsed->unprotectedTlvs.find(mcuboot::TlvSha256);
    ASSERT_NE(sha, nullptr);
    image[sha->valueOffset()] = char(image[sha->valueOffset()] ^ 0x01);   // the stored hash
    auto checked = checkImageToSend(image);
    ASSERT_FALSE(checked.has_value());
    const QString message = checked.error().message;
    EXPECT_TRUE(message.startsWith(QStringLiteral("image inspect calls it INVALID: unprotectedTlvs.tlv[0].value at offset ")))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("does not match the computed"))) << message.toStdString();
    EXPECT_TRUE(message.endsWith(QStringLiteral("; nothing was sent to the board"))) << message.toStdString();

    // A body byte changed after signing: the same finding.
    QByteArray body = makeImage(8000, QStringLiteral("1.1.0"), 3);
    body[0x300] = char(body[0x300] ^ 0x40);
    ASSERT_FALSE(checkImageToSend(body).has_value());
}

TEST(SmpImageSendCheck, AFileThatIsNoMcubootImageIsRefused)
{
    auto junk = checkImageToSend(QByteArray(4096, '\x5a'));
    ASSERT_FALSE(junk.has_value());
    EXPECT_TRUE(junk.error().message.startsWith(QStringLiteral("not an MCUboot image (magic at offset 0"))) << junk.error().message.toStdString();

    // A valid Zigbee OTA file is valid for `image inspect`, but not for MCUboot.
    auto zigbee = checkImageToSend(core::zigbee::test::sampleFile());
    ASSERT_FALSE(zigbee.has_value());
    EXPECT_TRUE(zigbee.error().message.startsWith(QStringLiteral("not an MCUboot image (Zigbee OTA file)")))
        << zigbee.error().message.toStdString();
    EXPECT_FALSE(checkImageToSend({}).has_value());
}

} // namespace
} // namespace otalab::core::smp
