// SPDX-License-Identifier: Apache-2.0
// ECDSA crypto suites 1 and 2: sign, verify, wrong key, tampering, re-signing.
#include "core/zigbee/crypto_suite.h"
#include "core/zigbee/eui64.h"
#include "core/zigbee/ota_certificate.h"
#include "core/zigbee/ota_inspect.h"
#include "core/zigbee/ota_parser.h"
#include "core/zigbee/ota_signature.h"
#include "zigbee_test_support.h"

#include <gtest/gtest.h>

namespace otalab::core::zigbee {
namespace {

using crypto::KeyType;
using crypto::PKey;
using image::CheckState;

constexpr std::uint64_t kSigner = 0x0011223344556677ull;

struct SuiteCase {
    KeyType keyType;
    CryptoSuite suite;
};

class ZigbeeSignature : public ::testing::TestWithParam<SuiteCase> {
protected:
    void SetUp() override
    {
        key = *PKey::generate(GetParam().keyType);
        other = *PKey::generate(GetParam().keyType);
        publicOnly = *PKey::fromPem(key.publicPem());
    }
    image::VerifyOptions with(const PKey& k) const
    {
        image::VerifyOptions o;
        o.verificationKeys.push_back(k);
        return o;
    }
    PKey key, other, publicOnly;
};

TEST_P(ZigbeeSignature, SignedFileLayoutFollowsTheSuite)
{
    const CryptoSuiteInfo& info = suiteInfo(GetParam().suite);
    const QByteArray unsignedFile = test::sampleFile();
    auto signedFile = signOtaFile(unsignedFile, key, SignOptions{kSigner, 0x0102030405060708ull});
    ASSERT_TRUE(signedFile.has_value()) << signedFile.error().toString().toStdString();
    EXPECT_EQ(signedFile->size(), unsignedFile.size() + 6 + info.certificateSize + 6 + info.signatureElementDataSize());
    const OtaParseResult p = parseOtaFile(*signedFile);
    EXPECT_FALSE(p.hasErrors());
    EXPECT_EQ(p.file.header.totalImageSize, std::uint32_t(signedFile->size()));
    ASSERT_EQ(p.file.elements.size(), 3u);
    EXPECT_EQ(p.file.elements[1].tag, info.certificateTag);
    EXPECT_EQ(p.file.elements[2].tag, info.signatureTag);
    EXPECT_EQ(p.file.elements[2].data.left(8), eui64LittleEndian(kSigner));
    EXPECT_EQ(certificateSubject(GetParam().suite, p.file.elements[1].data), kSigner);
    EXPECT_EQ(certificateIssuer(GetParam().suite, p.file.elements[1].data), 0x0102030405060708ull);
    EXPECT_EQ(p.file.elements[1].data.size(), info.certificateSize);
}

TEST_P(ZigbeeSignature, VerifiesWithTheSignersPublicKey)
{
    auto signedFile = signOtaFile(test::sampleFile(), key, SignOptions{kSigner, 0});
    ASSERT_TRUE(signedFile.has_value());
    const image::Inspection i = inspectOtaFile(*signedFile, with(publicOnly));
    EXPECT_EQ(i.signature.state, CheckState::Valid) << i.signature.detail.toStdString();
    EXPECT_TRUE(i.isValid());
    EXPECT_TRUE(i.signature.detail.contains(keyFingerprint(publicOnly)));

    // The digest is AES-MMO over [0, size - 42/72) and r‖s verify against it directly.
    const CryptoSuiteInfo& info = suiteInfo(GetParam().suite);
    auto digest = aesMmoHash(QByteArrayView(*signedFile).first(signedFile->size() - info.signatureSize()));
    EXPECT_TRUE(verifyDigest(publicOnly, *digest, QByteArrayView(*signedFile).last(info.signatureSize()), GetParam().suite));
}

TEST_P(ZigbeeSignature, WithoutAKeyItIsUnchecked)
{
    auto signedFile = signOtaFile(test::sampleFile(), key, SignOptions{kSigner, 0});
    const image::Inspection i = inspectOtaFile(*signedFile, {});
    EXPECT_EQ(i.signature.state, CheckState::Unchecked);
    EXPECT_TRUE(i.isValid());
    // A key of the other suite's curve does not check it either.
    const PKey wrongCurve = *PKey::generate(GetParam().keyType == KeyType::Sect163k1 ? KeyType::Sect283k1 : KeyType::Sect163k1);
    EXPECT_EQ(inspectOtaFile(*signedFile, with(wrongCurve)).signature.state, CheckState::Unchecked);
}

TEST_P(ZigbeeSignature, AnotherKeyIsInvalid)
{
    auto signedFile = signOtaFile(test::sampleFile(), key, SignOptions{kSigner, 0});
    const image::Inspection i = inspectOtaFile(*signedFile, with(other));
    EXPECT_EQ(i.signature.state, CheckState::Invalid);
    EXPECT_TRUE(i.signature.detail.startsWith(QStringLiteral("signature does not match key ")));
    EXPECT_TRUE(i.signature.detail.contains(keyFingerprint(other)));
    EXPECT_FALSE(i.isValid());
    ASSERT_NE(i.firstError(), nullptr);
    EXPECT_EQ(i.firstError()->field, QStringLiteral("element[2].data"));
    // With both keys given, the right one wins.
    image::VerifyOptions both = with(other);
    both.verificationKeys.push_back(publicOnly);
    EXPECT_EQ(inspectOtaFile(*signedFile, both).signature.state, CheckState::Valid);
}

TEST_P(ZigbeeSignature, TamperedBytesAreInvalid)
{
    auto signedFile = signOtaFile(test::sampleFile(), key, SignOptions{kSigner, 0});
    const CryptoSuiteInfo& info = suiteInfo(GetParam().suite);
    // A firmware byte, a header byte, and the signer IEEE (covered by the digest).
    for (qint64 at : {qint64(100), qint64(20), qint64(signedFile->size() - info.signatureSize() - 1)}) {
        QByteArray b = *signedFile;
        b[at] = char(b[at] ^ 0x40);
        const image::Inspection i = inspectOtaFile(b, with(publicOnly));
        EXPECT_EQ(i.signature.state, CheckState::Invalid) << "flipped byte " << at;
        EXPECT_FALSE(i.isValid());
    }
    // A flipped bit of s.
    QByteArray b = *signedFile;
    b[b.size() - 1] = char(b[b.size() - 1] ^ 0x01);
    EXPECT_EQ(inspectOtaFile(b, with(publicOnly)).signature.state, CheckState::Invalid);
}

TEST_P(ZigbeeSignature, ResigningReplacesTheOldSignature)
{
    auto once = signOtaFile(test::sampleFile(), other, SignOptions{1, 0});
    auto twice = signOtaFile(*once, key, SignOptions{kSigner, 0});
    ASSERT_TRUE(twice.has_value());
    EXPECT_EQ(twice->size(), once->size());
    EXPECT_EQ(parseOtaFile(*twice).file.elements.size(), 3u);
    EXPECT_EQ(inspectOtaFile(*twice, with(publicOnly)).signature.state, CheckState::Valid);
    EXPECT_EQ(inspectOtaFile(*twice, with(other)).signature.state, CheckState::Invalid);
}

TEST_P(ZigbeeSignature, SigningResealsTheIntegrityCodeAndKeepsThePrefix)
{
    for (IntegrityConvention c : {IntegrityConvention::BeforeElement, IntegrityConvention::BeforeData}) {
        OtaBuildSpec spec = test::sampleSpec();
        spec.integrityCode = c;
        const QByteArray input = QByteArray(3, 'V') + *buildOtaFile(spec) + QByteArray(4, 'T');
        auto signedFile = signOtaFile(input, key, SignOptions{kSigner, 0});
        ASSERT_TRUE(signedFile.has_value());
        EXPECT_TRUE(signedFile->startsWith("VVV"));
        const image::Inspection i = inspectOtaFile(*signedFile, with(publicOnly));
        EXPECT_EQ(i.integrity.state, CheckState::Valid) << i.integrity.detail.toStdString();
        EXPECT_TRUE(i.integrity.detail.contains(integrityConventionName(c)));
        EXPECT_EQ(i.signature.state, CheckState::Valid);
        EXPECT_TRUE(i.isValid());
    }
}

TEST_P(ZigbeeSignature, CertificateSubjectMustBeTheSigner)
{
    auto signedFile = signOtaFile(test::sampleFile(), key, SignOptions{kSigner, 0});
    const OtaParseResult p = parseOtaFile(*signedFile);
    const SubElement& cert = p.file.elements[1];
    QByteArray b = *signedFile;
    const qint64 subjectAt = cert.dataOffset() + (GetParam().suite == CryptoSuite::Suite1 ? 22 : 28);
    b[subjectAt] = char(b[subjectAt] ^ 0xff);
    const image::Inspection i = inspectOtaFile(b, {});
    ASSERT_NE(i.firstError(), nullptr);
    EXPECT_EQ(i.firstError()->field, QStringLiteral("element[1].data.subject"));
}

// Silicon Labs' OTA client takes the signer's key from the signing certificate element
// and refuses a signed file without one ("Could not obtain signing certificate"): a
// signature that verifies with the given key but has no certificate is not valid.
TEST_P(ZigbeeSignature, VerifiedSignatureWithoutItsCertificateIsInvalid)
{
    const CryptoSuiteInfo& info = suiteInfo(GetParam().suite);
    auto signedFile = signOtaFile(test::sampleFile(), key, SignOptions{kSigner, 0});
    ASSERT_TRUE(signedFile.has_value());
    const OtaParseResult p = parseOtaFile(*signedFile);
    ASSERT_EQ(p.file.elements.size(), 3u);
    const SubElement& cert = p.file.elements[1];
    ASSERT_EQ(cert.tag, info.certificateTag);
    // Drop the certificate element, fix the total size and sign the new digest.
    QByteArray b = *signedFile;
    b.remove(cert.offset, cert.dataOffset() + cert.data.size() - cert.offset);
    test::putLe(b, 52, std::uint64_t(b.size()), 4);
    auto digest = signatureDigest(b, GetParam().suite);
    ASSERT_TRUE(digest.has_value());
    auto rs = signDigest(key, *digest, GetParam().suite);
    ASSERT_TRUE(rs.has_value());
    b.replace(b.size() - info.signatureSize(), info.signatureSize(), *rs);
    ASSERT_TRUE(verifyDigest(publicOnly, *digest, QByteArrayView(b).last(info.signatureSize()), GetParam().suite));

    const image::Inspection i = inspectOtaFile(b, with(publicOnly));
    EXPECT_EQ(i.signature.state, CheckState::Invalid) << i.signature.detail.toStdString();
    EXPECT_TRUE(i.signature.detail.contains(QStringLiteral("no %1 signing certificate").arg(QLatin1String(info.name))))
        << i.signature.detail.toStdString();
    EXPECT_FALSE(i.isValid());
    ASSERT_NE(i.firstError(), nullptr);
    EXPECT_EQ(i.firstError()->field, QStringLiteral("element[1]"));

    // Without a key nothing is verified: a client that checks no signature takes it.
    const image::Inspection unchecked = inspectOtaFile(b, {});
    EXPECT_EQ(unchecked.signature.state, CheckState::Unchecked);
    EXPECT_TRUE(unchecked.isValid());
    EXPECT_TRUE(test::hasFinding(unchecked, image::Severity::Warning, QStringLiteral("element[1]"), cert.offset));
}

TEST_P(ZigbeeSignature, RefusesWrongKeysAndBrokenFiles)
{
    const PKey p256 = *PKey::generate(KeyType::EcdsaP256);
    EXPECT_FALSE(signOtaFile(test::sampleFile(), p256, SignOptions{kSigner, 0}).has_value());
    EXPECT_FALSE(signOtaFile(test::sampleFile(), publicOnly, SignOptions{kSigner, 0}).has_value());
    QByteArray broken = test::sampleFile();
    test::putLe(broken, 52, 9999, 4);
    EXPECT_FALSE(signOtaFile(broken, key, SignOptions{kSigner, 0}).has_value());
    OtaBuildSpec spec = test::sampleSpec();
    spec.integrityCode = IntegrityConvention::BeforeElement;
    QByteArray corrupted = *buildOtaFile(spec);
    corrupted[70] = char(corrupted[70] ^ 1);
    EXPECT_FALSE(signOtaFile(corrupted, key, SignOptions{kSigner, 0}).has_value());
}

INSTANTIATE_TEST_SUITE_P(Suites, ZigbeeSignature,
                         ::testing::Values(SuiteCase{KeyType::Sect163k1, CryptoSuite::Suite1},
                                           SuiteCase{KeyType::Sect283k1, CryptoSuite::Suite2}),
                         [](const auto& p) { return p.param.suite == CryptoSuite::Suite1 ? "Suite1" : "Suite2"; });

TEST(ZigbeeCertificate, CompressedPointSizes)
{
    EXPECT_EQ(compressedPublicKey(*PKey::generate(KeyType::Sect163k1)).size(), 22);
    EXPECT_EQ(compressedPublicKey(*PKey::generate(KeyType::Sect283k1)).size(), 37);
}

} // namespace
} // namespace otalab::core::zigbee
