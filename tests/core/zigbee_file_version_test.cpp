// SPDX-License-Identifier: Apache-2.0
// File version decoding/ordering and value names.
#include "core/zigbee/eui64.h"
#include "core/zigbee/file_version.h"
#include "core/zigbee/ota_names.h"

#include <gtest/gtest.h>

namespace otalab::core::zigbee {
namespace {

// The cluster specification's example (seed 000): A = 0x10053519 < B = 0x10103519 < C = 0x10103701.
TEST(ZigbeeFileVersion, SpecExampleOrdersAsInTheSpecification)
{
    const FileVersion a{0x10053519}, b{0x10103519}, c{0x10103701};
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    EXPECT_LT(a, c);
    EXPECT_EQ(a.toString(), QStringLiteral("app 1.0 build 05, stack 3.5 build 19"));
    EXPECT_EQ(b.toString(), QStringLiteral("app 1.0 build 10, stack 3.5 build 19"));
    EXPECT_EQ(c.toString(), QStringLiteral("app 1.0 build 10, stack 3.7 build 01"));
    EXPECT_EQ(c.applicationRelease(), 0x10);
    EXPECT_EQ(c.applicationBuild(), 0x10);
    EXPECT_EQ(c.stackRelease(), 0x37);
    EXPECT_EQ(c.stackBuild(), 0x01);
}

TEST(ZigbeeNames, StackVersions)
{
    EXPECT_EQ(stackVersionName(0), QStringLiteral("ZigBee 2006"));
    EXPECT_EQ(stackVersionName(1), QStringLiteral("ZigBee 2007"));
    EXPECT_EQ(stackVersionName(2), QStringLiteral("ZigBee PRO"));
    EXPECT_EQ(stackVersionName(3), QStringLiteral("ZigBee IP"));
    EXPECT_EQ(stackVersionName(4), QStringLiteral("reserved"));
}

TEST(ZigbeeNames, ImageTypes)
{
    EXPECT_EQ(imageTypeName(0xffc0), QStringLiteral("security credential"));
    EXPECT_EQ(imageTypeName(0xffc1), QStringLiteral("configuration"));
    EXPECT_EQ(imageTypeName(0xffc2), QStringLiteral("log"));
    EXPECT_EQ(imageTypeName(0xffc3), QStringLiteral("picture"));
    EXPECT_EQ(imageTypeName(0xffff), QStringLiteral("wildcard"));
    EXPECT_EQ(imageTypeName(0xffc4), QStringLiteral("reserved"));
    EXPECT_EQ(imageTypeName(0x0001), QStringLiteral("manufacturer specific"));
    EXPECT_EQ(imageTypeName(0xffbf), QStringLiteral("manufacturer specific"));
}

TEST(ZigbeeNames, TagsAndCredentials)
{
    EXPECT_EQ(tagName(0x0003), QStringLiteral("Image integrity code"));
    EXPECT_EQ(tagName(0xf000), QStringLiteral("Manufacturer specific"));
    EXPECT_EQ(tagName(0x0100), QStringLiteral("Reserved"));
    EXPECT_EQ(securityCredentialVersionName(2), QStringLiteral("SE 2.0"));
}

TEST(ZigbeeEui64, ParsesAndFormatsBothByteOrders)
{
    for (const QString& text : {QStringLiteral("00:11:22:33:44:55:66:77"), QStringLiteral("0x0011223344556677"),
                                QStringLiteral("0011223344556677"), QStringLiteral("00-11-22-33-44-55-66-77")}) {
        auto v = parseEui64(text);
        ASSERT_TRUE(v.has_value()) << text.toStdString();
        EXPECT_EQ(*v, 0x0011223344556677ull);
    }
    EXPECT_FALSE(parseEui64(QStringLiteral("0011")).has_value());
    EXPECT_FALSE(parseEui64(QStringLiteral("zz11223344556677")).has_value());
    EXPECT_EQ(formatEui64(0x0011223344556677ull), QStringLiteral("00:11:22:33:44:55:66:77"));
    EXPECT_EQ(eui64LittleEndian(0x0011223344556677ull).toHex(), QByteArray("7766554433221100"));
    EXPECT_EQ(eui64BigEndian(0x0011223344556677ull).toHex(), QByteArray("0011223344556677"));
    EXPECT_EQ(eui64FromLittleEndian(eui64LittleEndian(0x1234)), 0x1234u);
    EXPECT_EQ(eui64FromBigEndian(eui64BigEndian(0x1234)), 0x1234u);
}

} // namespace
} // namespace otalab::core::zigbee
