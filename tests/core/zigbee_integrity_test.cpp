// SPDX-License-Identifier: Apache-2.0
// Image integrity code (0x0003): both vendor conventions, mismatches, re-sealing on sign.
#include "core/zigbee/ota_inspect.h"
#include "core/zigbee/ota_integrity.h"
#include "core/zigbee/ota_parser.h"
#include "zigbee_test_support.h"

#include <gtest/gtest.h>

namespace otalab::core::zigbee {
namespace {

using image::CheckState;

QByteArray withIntegrity(IntegrityConvention c)
{
    OtaBuildSpec spec = test::sampleSpec();
    spec.integrityCode = c;
    return *buildOtaFile(spec);
}

TEST(ZigbeeIntegrity, BeforeElementConventionVerifies)
{
    const QByteArray b = withIntegrity(IntegrityConvention::BeforeElement);
    const image::Inspection i = inspectOtaFile(b, {});
    EXPECT_TRUE(i.isValid());
    EXPECT_EQ(i.integrity.state, CheckState::Valid);
    EXPECT_TRUE(i.integrity.detail.contains(QStringLiteral("before-element"))) << i.integrity.detail.toStdString();
    // The code is AES-MMO over [0, element offset): header 56 + firmware element 206 = 262.
    const auto expected = aesMmoHash(QByteArrayView(b).first(262));
    EXPECT_EQ(b.right(16), toByteArray(*expected));
}

TEST(ZigbeeIntegrity, BeforeDataConventionVerifies)
{
    const QByteArray b = withIntegrity(IntegrityConvention::BeforeData);
    const image::Inspection i = inspectOtaFile(b, {});
    EXPECT_TRUE(i.isValid());
    EXPECT_EQ(i.integrity.state, CheckState::Valid);
    EXPECT_TRUE(i.integrity.detail.contains(QStringLiteral("before-data")));
    const auto expected = aesMmoHash(QByteArrayView(b).first(262 + 6));
    EXPECT_EQ(b.right(16), toByteArray(*expected));
}

TEST(ZigbeeIntegrity, WithVendorPrefixHashStartsAtIdentifier)
{
    const QByteArray b = QByteArray(5, 'P') + withIntegrity(IntegrityConvention::BeforeElement);
    const image::Inspection i = inspectOtaFile(b, {});
    EXPECT_EQ(i.integrity.state, CheckState::Valid);
    EXPECT_TRUE(i.integrity.detail.contains(QStringLiteral("[0x5, 0x10b)"))) << i.integrity.detail.toStdString();
}

TEST(ZigbeeIntegrity, TamperedByteIsInvalidWithBothHashesInTheMessage)
{
    QByteArray b = withIntegrity(IntegrityConvention::BeforeElement);
    b[100] = char(b[100] ^ 0x01);
    const image::Inspection i = inspectOtaFile(b, {});
    EXPECT_FALSE(i.isValid());
    EXPECT_EQ(i.integrity.state, CheckState::Invalid);
    const image::Finding* e = i.firstError();
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->field, QStringLiteral("element[1].data"));
    EXPECT_EQ(e->offset, 262 + 6);
    EXPECT_TRUE(e->message.contains(QStringLiteral("0x106"))) << e->message.toStdString();  // names the element offset
    EXPECT_TRUE(e->message.contains(QString::fromLatin1(b.right(16).toHex())));              // expected (stored)
    const auto actual = aesMmoHash(QByteArrayView(b).first(262));
    EXPECT_TRUE(e->message.contains(toHex(*actual)));                                        // actual
}

TEST(ZigbeeIntegrity, WrongLengthIsInvalid)
{
    OtaFile f;
    f.elements.push_back(SubElement{tag::UpgradeImage, QByteArray("fw"), std::nullopt, -1});
    f.elements.push_back(SubElement{tag::IntegrityCode, QByteArray(8, '\0'), std::nullopt, -1});
    const image::Inspection i = inspectOtaFile(*serializeOtaFile(f), {});
    EXPECT_EQ(i.integrity.state, CheckState::Invalid);
    EXPECT_FALSE(i.isValid());
}

// CRC-32 check value of "123456789" (the zlib / IEEE 802.3 CRC catalogue entry): 0xCBF43926.
TEST(ZigbeeIntegrity, Crc32CheckValue)
{
    EXPECT_EQ(crc32(QByteArrayView("123456789")), 0xcbf43926u);
}

// Qorvo's generator (create_subelement_hash): 12 zero bytes + CRC-32 LE of [0, element).
TEST(ZigbeeIntegrity, QorvoCrc32ConventionVerifies)
{
    QByteArray b = withIntegrity(IntegrityConvention::QorvoCrc32);
    const std::uint32_t crc = crc32(QByteArrayView(b).first(262));
    QByteArray expected(12, '\0');
    for (int i = 0; i < 4; ++i)
        expected.append(char((crc >> (8 * i)) & 0xff));
    EXPECT_EQ(b.right(16), expected);
    image::Inspection i = inspectOtaFile(b, {});
    EXPECT_EQ(i.integrity.state, CheckState::Valid);
    EXPECT_TRUE(i.integrity.detail.contains(QStringLiteral("qorvo-crc32")));
    b[70] = char(b[70] ^ 1);
    i = inspectOtaFile(b, {});
    EXPECT_EQ(i.integrity.state, CheckState::Invalid);
    EXPECT_TRUE(i.firstError()->message.contains(QStringLiteral("zero-padded CRC-32")));
}

TEST(ZigbeeIntegrity, ConventionNames)
{
    EXPECT_EQ(integrityConventionFromName(QStringLiteral("before-data")), IntegrityConvention::BeforeData);
    EXPECT_EQ(integrityConventionFromName(QStringLiteral("before-element")), IntegrityConvention::BeforeElement);
    EXPECT_EQ(integrityConventionFromName(QStringLiteral("qorvo-crc32")), IntegrityConvention::QorvoCrc32);
    EXPECT_FALSE(integrityConventionFromName(QStringLiteral("x")).has_value());
}

} // namespace
} // namespace otalab::core::zigbee
