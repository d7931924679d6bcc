// SPDX-License-Identifier: Apache-2.0
// Signing existing images and verifying every algorithm; wrong keys and tampering.
#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_inspect.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_signer.h"
#include "core/mcuboot/image_verifier.h"
#include "mcuboot_fixtures.h"

#include <gtest/gtest.h>

namespace otalab::core::mcuboot {
namespace {

using image::CheckState;
using test::mcuboot::readData;
using test::mcuboot::testKey;

crypto::PKey pub(const QString& name) { return testKey(name + QStringLiteral(".pub.pem")); }

TEST(McubootSign, SigningAnUnsignedImgtoolImageWithEd25519GivesImgtoolsSignedImage)
{
    auto signedImage = signImage(readData(QStringLiteral("imgtool/unsigned.bin")), testKey(QStringLiteral("ed25519.pem")));
    ASSERT_TRUE(signedImage) << signedImage.error().toString().toStdString();
    EXPECT_TRUE(*signedImage == readData(QStringLiteral("imgtool/ed25519-hash.bin")));
}

TEST(McubootSign, SigningAPaddedImageKeepsTheSlotSizeAndMatchesImgtool)
{
    ImageCreateOptions o;
    o.headerSize = 0x200;
    o.padHeader = true;
    o.version = *ImageVersion::parse(QStringLiteral("1.2.3+4"));
    o.pad = true;
    o.slotSize = 0x8000;
    o.confirm = true;
    auto unsignedPadded = createImage(readData(QStringLiteral("app.bin")), o);
    ASSERT_TRUE(unsignedPadded);
    auto signedImage = signImage(*unsignedPadded, testKey(QStringLiteral("ed25519.pem")));
    ASSERT_TRUE(signedImage) << signedImage.error().toString().toStdString();
    EXPECT_TRUE(*signedImage == readData(QStringLiteral("imgtool/ed25519-pad-confirm.bin")));
}

TEST(McubootSign, ResigningAnEncryptedImgtoolImageIsIdempotentForEd25519)
{
    const QByteArray enc = readData(QStringLiteral("imgtool/ed25519-aeskw128.bin"));
    auto again = signImage(enc, testKey(QStringLiteral("ed25519.pem")));
    ASSERT_TRUE(again) << again.error().toString().toStdString();
    EXPECT_TRUE(*again == enc);  // signature over the stored digest; ENC_KW kept after it
}

TEST(McubootSign, EveryAlgorithmSignsAndVerifies)
{
    const QByteArray unsignedImage = readData(QStringLiteral("imgtool/unsigned-seccnt-deps.bin"));
    struct Case { const char* key; std::uint16_t tlv; int sigSizeMin; int sigSizeMax; };
    for (const Case& c : {Case{"ecdsa-p256", TlvEcdsaSig, 68, 72}, Case{"ed25519", TlvEd25519, 64, 64},
                          Case{"rsa-2048", TlvRsa2048Pss, 256, 256}}) {
        SCOPED_TRACE(c.key);
        for (PublicKeyFormat format : {PublicKeyFormat::Hash, PublicKeyFormat::Full}) {
            auto s = signImage(unsignedImage, testKey(QLatin1String(c.key) + QStringLiteral(".pem")), format);
            ASSERT_TRUE(s) << s.error().toString().toStdString();
            auto img = parseImage(*s);
            ASSERT_TRUE(img);
            const Tlv* sig = img->unprotectedTlvs.find(c.tlv);
            ASSERT_TRUE(sig);
            EXPECT_GE(sig->value.size(), c.sigSizeMin);
            EXPECT_LE(sig->value.size(), c.sigSizeMax);
            EXPECT_TRUE(img->unprotectedTlvs.find(format == PublicKeyFormat::Hash ? TlvKeyHash : TlvPubKey));
            const VerifyReport r = verifyImage(*img, {pub(QLatin1String(c.key))});
            ASSERT_EQ(r.signatures.size(), 1u);
            EXPECT_EQ(r.signatures[0].verdict, SignatureVerdict::Valid);
            EXPECT_TRUE(r.signatures[0].keyHashMatched);

            image::VerifyOptions vo;
            vo.verificationKeys = {pub(QStringLiteral("ecdsa-p256-other")), pub(QLatin1String(c.key))};
            const image::Inspection ins = inspectImage(*s, vo);
            EXPECT_TRUE(ins.isValid());
            EXPECT_EQ(ins.signature.state, CheckState::Valid);
            EXPECT_TRUE(ins.signature.detail.contains(signatureAlgorithmName(c.tlv)));
            EXPECT_TRUE(ins.signature.detail.contains(QStringLiteral("matches the given key"))) << ins.signature.detail.toStdString();
        }
    }
}

TEST(McubootSign, ResigningReplacesTheOldSignature)
{
    auto first = signImage(readData(QStringLiteral("imgtool/ecdsa-p256.bin")), testKey(QStringLiteral("ed25519.pem")));
    ASSERT_TRUE(first);
    auto img = parseImage(*first);
    ASSERT_TRUE(img);
    EXPECT_FALSE(img->unprotectedTlvs.find(TlvEcdsaSig));
    ASSERT_EQ(img->unprotectedTlvs.tlvs.size(), 3u);
    EXPECT_EQ(img->unprotectedTlvs.tlvs[0].type, TlvSha256);
    EXPECT_EQ(img->unprotectedTlvs.tlvs[1].type, TlvKeyHash);
    EXPECT_EQ(img->unprotectedTlvs.tlvs[2].type, TlvEd25519);
}

TEST(McubootSign, WrongKeyIsInvalidAndSaysWhy)
{
    image::VerifyOptions vo;
    vo.verificationKeys = {pub(QStringLiteral("ecdsa-p256-other"))};
    const image::Inspection ins = inspectImage(readData(QStringLiteral("imgtool/ecdsa-p256.bin")), vo);
    EXPECT_EQ(ins.integrity.state, CheckState::Valid);
    EXPECT_EQ(ins.signature.state, CheckState::Invalid);
    EXPECT_TRUE(ins.signature.detail.contains(QStringLiteral("matches none of the given keys"))) << ins.signature.detail.toStdString();
    ASSERT_TRUE(ins.firstError());
    EXPECT_EQ(ins.firstError()->field, QStringLiteral("unprotectedTlvs.tlv[2]"));

    vo.verificationKeys = {pub(QStringLiteral("ed25519"))};  // other algorithm altogether
    const image::Inspection other = inspectImage(readData(QStringLiteral("imgtool/ecdsa-p256.bin")), vo);
    EXPECT_EQ(other.signature.state, CheckState::Invalid);
    EXPECT_TRUE(other.signature.detail.contains(QStringLiteral("none of the given keys is a ECDSA P-256 key")));
}

TEST(McubootSign, WithoutKeysTheSignatureIsUncheckedOrCheckedAgainstTheEmbeddedKey)
{
    const image::Inspection hash = inspectImage(readData(QStringLiteral("imgtool/ed25519-hash.bin")), {});
    EXPECT_EQ(hash.signature.state, CheckState::Unchecked);
    EXPECT_TRUE(hash.isValid());
    const image::Inspection full = inspectImage(readData(QStringLiteral("imgtool/ed25519-full.bin")), {});
    EXPECT_EQ(full.signature.state, CheckState::Unchecked);
    EXPECT_TRUE(full.signature.detail.contains(QStringLiteral("embedded public key")));
    const image::Inspection none = inspectImage(readData(QStringLiteral("imgtool/unsigned.bin")), {});
    EXPECT_EQ(none.signature.state, CheckState::Absent);
}

TEST(McubootSign, TamperedProtectedTlvBreaksHashAndSignature)
{
    QByteArray b = readData(QStringLiteral("imgtool/ed25519-full.bin"));
    auto img = parseImage(b);
    ASSERT_TRUE(img && img->protectedTlvs);
    const Tlv& secCnt = img->protectedTlvs->tlvs.at(0);
    b[secCnt.valueOffset()] = char(b[secCnt.valueOffset()] ^ 0x01);
    image::VerifyOptions vo;
    vo.verificationKeys = {pub(QStringLiteral("ed25519"))};
    const image::Inspection ins = inspectImage(b, vo);
    EXPECT_EQ(ins.integrity.state, CheckState::Invalid);
    EXPECT_EQ(ins.signature.state, CheckState::Invalid);
    ASSERT_TRUE(ins.firstError());
    EXPECT_EQ(ins.firstError()->offset, img->unprotectedTlvs.tlvs[0].valueOffset());
}

TEST(McubootSign, RefusesToSignACorruptedPlaintextImage)
{
    auto r = signImage(readData(QStringLiteral("malformed/tampered-body.bin")), testKey(QStringLiteral("ed25519.pem")));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().offset, 0x5ec);
    EXPECT_FALSE(signImage(readData(QStringLiteral("imgtool/unsigned.bin")), pub(QStringLiteral("ed25519"))));  // public key
}

} // namespace
} // namespace otalab::core::mcuboot
