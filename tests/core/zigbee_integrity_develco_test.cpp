// SPDX-License-Identifier: Apache-2.0
// Image integrity code with Develco's AES-MMO padding (develco-len16): accepted and named,
// reported as a warning, kept on signing; a code matching no convention stays invalid.
#include "core/crypto/pkey.h"
#include "core/zigbee/ota_inspect.h"
#include "core/zigbee/ota_integrity.h"
#include "core/zigbee/ota_signature.h"
#include "zigbee_test_support.h"

#include <QJsonDocument>
#include <gtest/gtest.h>

namespace otalab::core::zigbee {
namespace {

using image::CheckState;

// Header 56 + upgrade image element (6 + 8192) = 8254 bytes before the 0x0003 element:
// at or above 8192 bytes the spec's padding and Develco's differ.
constexpr qint64 kElementOffset = 56 + 6 + 8192;

QByteArray largeFile(IntegrityConvention c, int firmwareBytes = 8192)
{
    OtaBuildSpec spec = test::sampleSpec();
    spec.firmware = QByteArray(firmwareBytes, '\0');
    for (int i = 0; i < firmwareBytes; ++i)
        spec.firmware[i] = char(i * 7 + (i >> 8));
    spec.integrityCode = c;
    auto b = buildOtaFile(spec);
    EXPECT_TRUE(b.has_value());
    return b ? *b : QByteArray();
}

QString aesMmoHex(QByteArrayView data, AesMmoLengthField field)
{
    auto d = aesMmoHash(data, field);
    EXPECT_TRUE(d.has_value());
    return d ? toHex(*d) : QString();
}

TEST(ZigbeeIntegrityDevelco, BuilderWritesTheTruncatedLengthHash)
{
    const QByteArray b = largeFile(IntegrityConvention::DevelcoLength16);
    ASSERT_EQ(b.size(), kElementOffset + 6 + 16);
    const QByteArrayView hashed = QByteArrayView(b).first(kElementOffset);
    EXPECT_EQ(QString::fromLatin1(b.right(16).toHex()), aesMmoHex(hashed, AesMmoLengthField::Truncated16));
    EXPECT_NE(QString::fromLatin1(b.right(16).toHex()), aesMmoHex(hashed, AesMmoLengthField::Spec));
}

TEST(ZigbeeIntegrityDevelco, AcceptedNamedAndReportedAsAWarning)
{
    const QByteArray b = largeFile(IntegrityConvention::DevelcoLength16);
    const image::Inspection i = inspectOtaFile(b, {});
    EXPECT_TRUE(i.isValid()) << (i.firstError() ? i.firstError()->message.toStdString() : std::string());
    EXPECT_EQ(i.integrity.state, CheckState::Valid);
    EXPECT_TRUE(i.integrity.detail.contains(QStringLiteral("develco-len16"))) << i.integrity.detail.toStdString();
    EXPECT_TRUE(i.integrity.detail.contains(QStringLiteral("[0x0, 0x203e)"))) << i.integrity.detail.toStdString();
    ASSERT_TRUE(test::hasFinding(i, image::Severity::Warning, QStringLiteral("element[1].data"), kElementOffset + 6));
    for (const image::Finding& f : i.findings)
        if (f.severity == image::Severity::Warning && f.field == QStringLiteral("element[1].data")) {
            EXPECT_TRUE(f.message.contains(QStringLiteral("develco-len16")));
            // Names what a spec-conforming client computes instead.
            EXPECT_TRUE(f.message.contains(aesMmoHex(QByteArrayView(b).first(kElementOffset), AesMmoLengthField::Spec)));
        }
    // The JSON the CLI prints carries the same badge and finding.
    const QByteArray json = QJsonDocument(i.toJson()).toJson();
    EXPECT_TRUE(json.contains("develco-len16")) << json.toStdString();
}

TEST(ZigbeeIntegrityDevelco, SpecPaddingOnALargeFileIsStillBeforeElement)
{
    const image::Inspection i = inspectOtaFile(largeFile(IntegrityConvention::BeforeElement), {});
    EXPECT_EQ(i.integrity.state, CheckState::Valid);
    EXPECT_TRUE(i.integrity.detail.contains(QStringLiteral("before-element"))) << i.integrity.detail.toStdString();
    EXPECT_TRUE(i.findings.empty()) << i.findings.front().message.toStdString();
}

TEST(ZigbeeIntegrityDevelco, BelowTheLimitTheHashesAgreeAndTheSpecNameWins)
{
    // 56 + 206 bytes hashed: Develco's padding equals the spec's, nothing to warn about.
    const QByteArray b = largeFile(IntegrityConvention::DevelcoLength16, 200);
    const image::Inspection i = inspectOtaFile(b, {});
    EXPECT_EQ(i.integrity.state, CheckState::Valid);
    EXPECT_TRUE(i.integrity.detail.contains(QStringLiteral("before-element"))) << i.integrity.detail.toStdString();
    EXPECT_TRUE(i.findings.empty());
}

TEST(ZigbeeIntegrityDevelco, CodeMatchingNoConventionIsInvalidAndEveryHashIsListed)
{
    QByteArray b = largeFile(IntegrityConvention::DevelcoLength16);
    b[5000] = char(b[5000] ^ 0x01);
    const image::Inspection i = inspectOtaFile(b, {});
    EXPECT_FALSE(i.isValid());
    EXPECT_EQ(i.integrity.state, CheckState::Invalid);
    const image::Finding* e = i.firstError();
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->field, QStringLiteral("element[1].data"));
    EXPECT_EQ(e->offset, kElementOffset + 6);
    const QByteArrayView image(b);
    for (const QString& actual : {aesMmoHex(image.first(kElementOffset), AesMmoLengthField::Spec),
                                  aesMmoHex(image.first(kElementOffset + 6), AesMmoLengthField::Spec),
                                  aesMmoHex(image.first(kElementOffset), AesMmoLengthField::Truncated16)})
        EXPECT_TRUE(e->message.contains(actual)) << e->message.toStdString();
    EXPECT_TRUE(e->message.contains(QStringLiteral("16-bit length field"))) << e->message.toStdString();

    // A code made with Develco's padding over the range up to the data is no convention either.
    QByteArray beforeData = largeFile(IntegrityConvention::BeforeData);
    const auto truncated = aesMmoHash(QByteArrayView(beforeData).first(kElementOffset + 6), AesMmoLengthField::Truncated16);
    ASSERT_TRUE(truncated.has_value());
    beforeData.replace(beforeData.size() - 16, 16, toByteArray(*truncated));
    EXPECT_EQ(inspectOtaFile(beforeData, {}).integrity.state, CheckState::Invalid);
}

TEST(ZigbeeIntegrityDevelco, SigningKeepsTheConvention)
{
    const auto key = crypto::PKey::generate(crypto::KeyType::Sect163k1);
    ASSERT_TRUE(key.has_value());
    const auto signedFile = signOtaFile(largeFile(IntegrityConvention::DevelcoLength16), *key, SignOptions{0x00124b0001020304ull, 0});
    ASSERT_TRUE(signedFile.has_value()) << signedFile.error().message.toStdString();
    const image::Inspection i = inspectOtaFile(*signedFile, {});
    EXPECT_EQ(i.integrity.state, CheckState::Valid);
    EXPECT_TRUE(i.integrity.detail.contains(QStringLiteral("develco-len16"))) << i.integrity.detail.toStdString();
}

TEST(ZigbeeIntegrityDevelco, ConventionName)
{
    EXPECT_EQ(integrityConventionName(IntegrityConvention::DevelcoLength16), QStringLiteral("develco-len16"));
    EXPECT_EQ(integrityConventionFromName(QStringLiteral("develco-len16")), IntegrityConvention::DevelcoLength16);
    const auto unknown = integrityConventionFromName(QStringLiteral("develco"));
    ASSERT_FALSE(unknown.has_value());
    EXPECT_TRUE(unknown.error().message.contains(QStringLiteral("develco-len16")));
}

} // namespace
} // namespace otalab::core::zigbee
