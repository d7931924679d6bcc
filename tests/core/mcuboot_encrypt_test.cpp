// SPDX-License-Identifier: Apache-2.0
// Encryption round trips for both key transports, wrong keys, and the badges.
#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_decryptor.h"
#include "core/mcuboot/image_inspect.h"
#include "core/mcuboot/image_parser.h"
#include "mcuboot_fixtures.h"

#include <gtest/gtest.h>

namespace otalab::core::mcuboot {
namespace {

using image::CheckState;
using test::mcuboot::readData;
using test::mcuboot::testKey;

ImageCreateOptions encOptions()
{
    ImageCreateOptions o;
    o.headerSize = 0x200;
    o.padHeader = true;
    o.version = *ImageVersion::parse(QStringLiteral("1.2.3+4"));
    o.signingKey = testKey(QStringLiteral("ed25519.pem"));
    return o;
}

TEST(McubootEncrypt, AesKwRoundTripWithAFixedKeyIsDeterministic)
{
    auto o = encOptions();
    o.aesKwKek = readData(QStringLiteral("test-keys/kek-128.bin"));
    o.imageKeyForTest = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f");
    auto a = createImage(readData(QStringLiteral("app.bin")), o);
    auto b = createImage(readData(QStringLiteral("app.bin")), o);
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(*a == *b);
    auto img = parseImage(*a);
    ASSERT_TRUE(img);
    const Tlv* kw = img->unprotectedTlvs.find(TlvEncKw);
    ASSERT_TRUE(kw);
    EXPECT_EQ(kw->value, *aesKeyWrap(*o.aesKwKek, o.imageKeyForTest));
    // The body is AES-128-CTR(zero nonce) of app.bin + zero padding.
    QByteArray plainBody = readData(QStringLiteral("app.bin"));
    plainBody.append(int(img->header.imgSize) - plainBody.size(), '\0');
    EXPECT_EQ(img->bytes.mid(img->bodyOffset(), img->header.imgSize), *aesCtr(o.imageKeyForTest, plainBody));
    // Same layout and unprotected TLV sizes as imgtool's ed25519-aeskw128.bin.
    auto ref = parseImage(readData(QStringLiteral("imgtool/ed25519-aeskw128.bin")));
    ASSERT_TRUE(ref);
    EXPECT_EQ(a->size(), ref->bytes.size());
    EXPECT_TRUE(a->left(32) == ref->bytes.left(32));
    EXPECT_EQ(img->unprotectedTlvs.find(TlvSha256)->value, ref->unprotectedTlvs.find(TlvSha256)->value);
    EXPECT_EQ(img->unprotectedTlvs.find(TlvEd25519)->value, ref->unprotectedTlvs.find(TlvEd25519)->value);
}

TEST(McubootEncrypt, RfcKeyWrapVector)
{
    // RFC 3394 §4.1: wrap 128 bits of key data with a 128-bit KEK.
    const QByteArray kek = QByteArray::fromHex("000102030405060708090A0B0C0D0E0F");
    const QByteArray key = QByteArray::fromHex("00112233445566778899AABBCCDDEEFF");
    EXPECT_EQ(aesKeyWrap(kek, key)->toHex(), QByteArray("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"));
    EXPECT_EQ(*aesKeyUnwrap(kek, QByteArray::fromHex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5")), key);
}

TEST(McubootEncrypt, BothKeyTransportsAndKeySizesRoundTrip)
{
    const crypto::PKey encPriv = testKey(QStringLiteral("enc-ecies-p256.pem"));
    const crypto::PKey encPub = testKey(QStringLiteral("enc-ecies-p256.pub.pem"));
    for (bool kw : {false, true})
        for (bool aes256 : {false, true}) {
            SCOPED_TRACE(kw ? "aes-kw" : "ecies");
            SCOPED_TRACE(aes256 ? "aes256" : "aes128");
            auto o = encOptions();
            if (kw)
                o.aesKwKek = readData(QStringLiteral("test-keys/kek-256.bin"));
            else
                o.eciesP256Key = encPub;
            o.aes256 = aes256;
            auto made = createImage(readData(QStringLiteral("app.bin")), o);
            ASSERT_TRUE(made) << made.error().toString().toStdString();
            auto img = parseImage(*made);
            ASSERT_TRUE(img);
            EXPECT_EQ(img->unprotectedTlvs.tlvs.back().value.size(), kw ? (aes256 ? 40 : 24) : (aes256 ? 129 : 113));

            image::VerifyOptions vo;
            vo.verificationKeys = {testKey(QStringLiteral("ed25519.pub.pem"))};
            const image::Inspection locked = inspectImage(*made, vo);
            EXPECT_EQ(locked.encryption.state, CheckState::Unchecked);
            EXPECT_EQ(locked.integrity.state, CheckState::Unchecked);
            EXPECT_EQ(locked.signature.state, CheckState::Valid);  // over the stored digest
            EXPECT_TRUE(locked.encryption.detail.startsWith(aes256 ? QStringLiteral("AES-256-CTR") : QStringLiteral("AES-128-CTR")));
            EXPECT_TRUE(locked.encryption.detail.contains(kw ? QStringLiteral("AES-KW") : QStringLiteral("ECIES-P256")));

            if (!kw)
                vo.decryptionKey = encPriv;
            if (kw)
                vo.decryptionKek = *o.aesKwKek;
            const image::Inspection open = inspectImage(*made, vo);
            EXPECT_EQ(open.encryption.state, CheckState::Valid) << open.encryption.detail.toStdString();
            EXPECT_EQ(open.integrity.state, CheckState::Valid);
            EXPECT_TRUE(open.isValid());
        }
}

TEST(McubootEncrypt, WrongDecryptionKeysAreInvalidAtTheKeyTlv)
{
    image::VerifyOptions vo;
    vo.decryptionKey = testKey(QStringLiteral("ecdsa-p256-other.pem"));
    const image::Inspection ecies = inspectImage(readData(QStringLiteral("imgtool/ecdsa-p256-ecies-aes128.bin")), vo);
    EXPECT_EQ(ecies.encryption.state, CheckState::Invalid);
    EXPECT_TRUE(ecies.encryption.detail.contains(QStringLiteral("MAC mismatch")));
    ASSERT_TRUE(ecies.firstError());
    EXPECT_EQ(ecies.firstError()->field, QStringLiteral("unprotectedTlvs.tlv[3]"));

    image::VerifyOptions wrongKek;
    wrongKek.decryptionKek = QByteArray(16, '\x42');
    const image::Inspection kw = inspectImage(readData(QStringLiteral("imgtool/ed25519-aeskw128.bin")), wrongKek);
    EXPECT_EQ(kw.encryption.state, CheckState::Invalid);
    EXPECT_FALSE(kw.isValid());

    // A private key for an AES-KW image cannot unwrap it: unchecked, not invalid.
    const image::Inspection mismatch = inspectImage(readData(QStringLiteral("imgtool/ed25519-aeskw128.bin")), vo);
    EXPECT_EQ(mismatch.encryption.state, CheckState::Unchecked);
}

TEST(McubootEncrypt, ImgtoolImagesAreValidWithTheirKeys)
{
    image::VerifyOptions vo;
    vo.verificationKeys = {testKey(QStringLiteral("ecdsa-p256.pub.pem"))};
    vo.decryptionKey = testKey(QStringLiteral("enc-ecies-p256.pem"));
    for (const char* f : {"ecdsa-p256-ecies-aes128.bin", "ecdsa-p256-ecies-aes256.bin", "ecdsa-p256-ecies-pad-confirm.bin"}) {
        SCOPED_TRACE(f);
        const image::Inspection ins = inspectImage(readData(QStringLiteral("imgtool/") + QLatin1String(f)), vo);
        EXPECT_TRUE(ins.isValid()) << (ins.firstError() ? ins.firstError()->message.toStdString() : std::string());
        EXPECT_EQ(ins.encryption.state, CheckState::Valid);
        const QString aes = QString::fromLatin1(f).contains(QStringLiteral("aes256")) ? QStringLiteral("AES-256-CTR") : QStringLiteral("AES-128-CTR");
        EXPECT_TRUE(ins.encryption.detail.startsWith(aes + QStringLiteral(", key wrapped with ECIES-P256; decrypted")))
            << ins.encryption.detail.toStdString();
    }
}

} // namespace
} // namespace otalab::core::mcuboot
