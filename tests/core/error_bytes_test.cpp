// SPDX-License-Identifier: Apache-2.0
// Foundation: error rendering, bounds-checked reads, endianness, image format sniffing.
#include "core/common/bytes.h"
#include "core/image/inspection.h"

#include <QJsonArray>
#include <gtest/gtest.h>

using namespace otalab;

TEST(Error, RendersFieldAndOffset)
{
    EXPECT_EQ(Error::at(28, "header.totalImageSize", "too big").toString(),
              QStringLiteral("header.totalImageSize at offset 28 (0x1c): too big"));
    EXPECT_EQ(Error::plain("plain").toString(), QStringLiteral("plain"));
}

TEST(ByteReader, ReadsBothEndiansAndStopsAtEnd)
{
    const QByteArray data = QByteArray::fromHex("0102030405060708");
    ByteReader le(data, Endian::Little, 100);
    EXPECT_EQ(*le.u16("a"), 0x0201);
    EXPECT_EQ(*le.u32("b"), 0x06050403u);
    auto tooLong = le.u32("c");
    ASSERT_FALSE(tooLong.has_value());
    EXPECT_EQ(tooLong.error().offset, 106);
    EXPECT_EQ(tooLong.error().field, QStringLiteral("c"));
    EXPECT_TRUE(tooLong.error().message.contains(QStringLiteral("only 2 remain")));
    ByteReader be(data, Endian::Big);
    EXPECT_EQ(*be.u64("d"), 0x0102030405060708ull);
    EXPECT_FALSE(be.bytes(1, "e").has_value());
    EXPECT_FALSE(ByteReader(data, Endian::Big).bytes(-1, "neg").has_value());
}

TEST(ByteWriter, WritesWhatReaderReads)
{
    ByteWriter w(Endian::Little);
    w.u8(0xAB).u16(0x1234).u32(0xDEADBEEF).u64(0x0102030405060708ull).zeros(2);
    EXPECT_EQ(w.data().toHex(), QByteArray("ab3412efbeadde08070605040302010000"));
    QByteArray buf(4, '\0');
    putIntAt(buf, 0, 0x11223344, 4, Endian::Big);
    EXPECT_EQ(buf.toHex(), QByteArray("11223344"));
}

TEST(ImageFormat, DetectsByMagicIncludingVendorPrefix)
{
    using core::image::Format;
    EXPECT_EQ(core::image::detectFormat(QByteArray::fromHex("3db8f396")), Format::Mcuboot);
    EXPECT_EQ(core::image::detectFormat(QByteArray::fromHex("1ef1ee0b0001")), Format::ZigbeeOta);
    EXPECT_EQ(core::image::detectFormat(QByteArray(40, 'x') + QByteArray::fromHex("1ef1ee0b")), Format::ZigbeeOta);
    EXPECT_EQ(core::image::detectFormat(QByteArray(2000, 'x') + QByteArray::fromHex("1ef1ee0b")), Format::Unknown);
    EXPECT_EQ(core::image::detectFormat({}), Format::Unknown);
}

TEST(Inspection, ValidityFollowsErrorsAndBadges)
{
    core::image::Inspection i;
    i.format = core::image::Format::ZigbeeOta;
    EXPECT_TRUE(i.isValid());
    i.warning("x", 1, "odd");
    EXPECT_TRUE(i.isValid());
    i.signature.state = core::image::CheckState::Invalid;
    EXPECT_FALSE(i.isValid());
    i.signature.state = core::image::CheckState::Valid;
    i.error("header", 0, "bad");
    EXPECT_FALSE(i.isValid());
    ASSERT_NE(i.firstError(), nullptr);
    EXPECT_EQ(i.firstError()->field, QStringLiteral("header"));
    const QJsonObject json = i.toJson();
    EXPECT_EQ(json.value("valid").toBool(), false);
    EXPECT_EQ(json.value("signature").toObject().value("state").toString(), QStringLiteral("valid"));
    EXPECT_EQ(json.value("findings").toArray().size(), 2);
}
