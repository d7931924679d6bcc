// SPDX-License-Identifier: Apache-2.0
// Known-answer tests against images produced by MCUboot's imgtool (reconstructed from
// mcu-tools/mcuboot scripts/imgtool @ f9c724911c43; command lines in
// tests/data/mcuboot/README.md). Deterministic configurations must match byte for
// byte; randomized ones (ECDSA, RSA-PSS, encryption) must match outside the random
// bytes and verify / decrypt with our code.
#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_decryptor.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_verifier.h"
#include "mcuboot_fixtures.h"

#include <gtest/gtest.h>

#include <functional>

namespace otalab::core::mcuboot {
namespace {

using test::mcuboot::readData;
using test::mcuboot::testKey;

ImageVersion v(const char* text) { return *ImageVersion::parse(QString::fromLatin1(text)); }

ImageCreateOptions base()
{
    ImageCreateOptions o;
    o.headerSize = 0x200;
    o.padHeader = true;
    o.version = v("1.2.3+4");
    return o;
}

qint64 firstDifference(const QByteArray& a, const QByteArray& b)
{
    const qint64 n = std::min(a.size(), b.size());
    for (qint64 i = 0; i < n; ++i)
        if (a[i] != b[i])
            return i;
    return a.size() == b.size() ? -1 : n;
}

struct Kat {
    const char* fixture;
    const char* input;
    std::function<ImageCreateOptions()> options;
};

const std::vector<Kat>& deterministicKats()
{
    static const std::vector<Kat> kats = {
        {"unsigned.bin", "app.bin", [] { return base(); }},
        {"unsigned-no-pad-header.bin", "app-zero-header.bin", [] {
             ImageCreateOptions o;
             o.headerSize = 0x100;
             o.version = v("0.0.1");
             return o;
         }},
        {"unsigned-seccnt-deps.bin", "app.bin", [] {
             auto o = base();
             o.version = v("2.5.3+1000");
             o.securityCounterAuto = true;
             o.dependencies = {{1, v("2.0.0+0")}, {2, v("1.5.7+99")}};
             return o;
         }},
        {"unsigned-ramload-nonbootable.bin", "app.bin", [] {
             auto o = base();
             o.version = v("3.0.0");
             o.securityCounter = 0x1234;
             o.loadAddr = 0x20000000;
             o.nonBootable = true;
             return o;
         }},
        {"ed25519-hash.bin", "app.bin", [] {
             auto o = base();
             o.signingKey = testKey(QStringLiteral("ed25519.pem"));
             return o;
         }},
        {"ed25519-full.bin", "app.bin", [] {
             auto o = base();
             o.signingKey = testKey(QStringLiteral("ed25519.pem"));
             o.publicKeyFormat = PublicKeyFormat::Full;
             o.securityCounterAuto = true;
             o.dependencies = {{0, v("1.0.0")}};
             return o;
         }},
        {"ed25519-pad-confirm.bin", "app.bin", [] {
             auto o = base();
             o.signingKey = testKey(QStringLiteral("ed25519.pem"));
             o.pad = true;
             o.slotSize = 0x8000;
             o.confirm = true;
             return o;
         }},
        {"unsigned-pad.bin", "app.bin", [] {
             auto o = base();
             o.pad = true;
             o.slotSize = 0x4000;
             return o;
         }},
        {"unsigned-pad-overwrite-only.bin", "app.bin", [] {
             auto o = base();
             o.pad = true;
             o.slotSize = 0x4000;
             o.confirm = true;
             o.trailer.overwriteOnly = true;
             return o;
         }},
        {"unsigned-pad-align4-sectors32.bin", "app.bin", [] {
             auto o = base();
             o.pad = true;
             o.slotSize = 0x4000;
             o.confirm = true;
             o.trailer.align = 4;
             o.trailer.maxSectors = 32;
             return o;
         }},
    };
    return kats;
}

TEST(McubootKat, DeterministicImagesMatchImgtoolByteForByte)
{
    for (const Kat& k : deterministicKats()) {
        SCOPED_TRACE(k.fixture);
        const QByteArray expected = readData(QStringLiteral("imgtool/") + QLatin1String(k.fixture));
        ASSERT_FALSE(expected.isEmpty());
        auto made = createImage(readData(QLatin1String(k.input)), k.options());
        ASSERT_TRUE(made) << made.error().toString().toStdString();
        EXPECT_EQ(made->size(), expected.size());
        EXPECT_TRUE(*made == expected) << "first difference at offset " << firstDifference(*made, expected);
    }
}

// Bytes of `image` with the value of the TLV of `type` blanked (and its length kept).
QByteArray blankTlv(const QByteArray& image, std::uint16_t type)
{
    auto parsed = parseImage(image);
    if (!parsed)
        return {};
    QByteArray out = image;
    if (const Tlv* t = parsed->findAny(type))
        out.replace(t->valueOffset(), t->value.size(), QByteArray(t->value.size(), '\0'));
    return out;
}

TEST(McubootKat, RandomizedSignaturesMatchOutsideTheSignatureAndVerify)
{
    struct Case { const char* fixture; const char* key; std::uint16_t sig; PublicKeyFormat format; bool secCnt; };
    const Case cases[] = {
        {"ecdsa-p256.bin", "ecdsa-p256.pem", TlvEcdsaSig, PublicKeyFormat::Hash, true},
        {"ecdsa-p256-full.bin", "ecdsa-p256.pem", TlvEcdsaSig, PublicKeyFormat::Full, false},
        {"rsa-2048.bin", "rsa-2048.pem", TlvRsa2048Pss, PublicKeyFormat::Hash, false},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.fixture);
        const QByteArray ref = readData(QStringLiteral("imgtool/") + QLatin1String(c.fixture));
        auto refImage = parseImage(ref);
        ASSERT_TRUE(refImage) << refImage.error().toString().toStdString();
        const crypto::PKey key = testKey(QLatin1String(c.key));
        const crypto::PKey pub = *crypto::PKey::fromPem(key.publicPem());

        // imgtool's signature verifies with our verifier, and the key hash matches.
        const VerifyReport report = verifyImage(*refImage, {pub});
        ASSERT_TRUE(report.hash.valid);
        ASSERT_EQ(report.signatures.size(), 1u);
        EXPECT_EQ(report.signatures[0].verdict, SignatureVerdict::Valid) << report.signatures[0].detail.toStdString();
        EXPECT_TRUE(report.signatures[0].keyHashMatched);

        auto o = base();
        o.signingKey = key;
        o.publicKeyFormat = c.format;
        o.securityCounterAuto = c.secCnt;
        auto ours = createImage(readData(QStringLiteral("app.bin")), o);
        ASSERT_TRUE(ours);
        // ECDSA DER length varies with the random k: compare only when equal length,
        // otherwise compare everything before the signature TLV.
        auto oursImage = parseImage(*ours);
        ASSERT_TRUE(oursImage);
        const Tlv* refSig = refImage->unprotectedTlvs.find(c.sig);
        const Tlv* ourSig = oursImage->unprotectedTlvs.find(c.sig);
        ASSERT_TRUE(refSig && ourSig);
        // Everything up to the unprotected area's total length, then the TLVs up to the
        // signature's type field, must be identical (the DER length may differ by a byte).
        const qint64 infoAt = refImage->unprotectedTlvs.offset;
        ASSERT_EQ(oursImage->unprotectedTlvs.offset, infoAt);
        EXPECT_TRUE(ours->left(infoAt + 2) == ref.left(infoAt + 2));
        EXPECT_TRUE(ours->mid(infoAt + 4, ourSig->offset + 2 - infoAt - 4) == ref.mid(infoAt + 4, refSig->offset + 2 - infoAt - 4));
        EXPECT_EQ(ourSig->offset, refSig->offset);
        if (ours->size() == ref.size())
            EXPECT_TRUE(blankTlv(*ours, c.sig) == blankTlv(ref, c.sig));
        EXPECT_EQ(verifyImage(*oursImage, {pub}).signatures.at(0).verdict, SignatureVerdict::Valid);
    }
}

TEST(McubootKat, ImgtoolEncryptedImagesDecryptToTheImgtoolPlaintext)
{
    struct Case { const char* fixture; const char* plainTwin; bool aes256; bool kw; const char* key; };
    const Case cases[] = {
        {"ecdsa-p256-ecies-aes128.bin", nullptr, false, false, "enc-ecies-p256.pem"},
        {"ecdsa-p256-ecies-aes256.bin", nullptr, true, false, "enc-ecies-p256.pem"},
        {"ed25519-aeskw128.bin", nullptr, false, true, "kek-128.bin"},
        {"unsigned-aeskw256-aes256.bin", nullptr, true, true, "kek-256.bin"},
        {"ecdsa-p256-ecies-pad-confirm.bin", nullptr, false, false, "enc-ecies-p256.pem"},
    };
    const QByteArray app = readData(QStringLiteral("app.bin"));
    for (const Case& c : cases) {
        SCOPED_TRACE(c.fixture);
        const QByteArray ref = readData(QStringLiteral("imgtool/") + QLatin1String(c.fixture));
        auto img = parseImage(ref);
        ASSERT_TRUE(img) << img.error().toString().toStdString();
        EXPECT_EQ(img->aesKeyBytes(), c.aes256 ? 32 : 16);
        DecryptionKey key;
        if (c.kw)
            key.kek = readData(QStringLiteral("test-keys/") + QLatin1String(c.key));
        else
            key.privateKey = testKey(QLatin1String(c.key));
        auto plain = decryptImage(*img, key);
        ASSERT_TRUE(plain) << plain.error().toString().toStdString();
        // Body = app.bin followed by the zero padding imgtool adds to reach 16-byte alignment.
        const QByteArray body = plain->mid(img->bodyOffset(), img->header.imgSize);
        EXPECT_EQ(body.left(app.size()), app);
        EXPECT_EQ(body.mid(app.size()), QByteArray(body.size() - app.size(), '\0'));
        EXPECT_EQ((img->bodyOffset() + img->header.imgSize) % 16, 0);
        const VerifyReport report = verifyImage(*img, {}, &*plain);
        EXPECT_TRUE(report.hash.valid);
    }
}

TEST(McubootKat, KeyHashIsSha256OfWhatImgtoolHashes)
{
    // ed25519-hash.bin carries KEYHASH = SHA-256(DER SubjectPublicKeyInfo).
    auto img = parseImage(readData(QStringLiteral("imgtool/ed25519-hash.bin")));
    ASSERT_TRUE(img);
    const Tlv* kh = img->unprotectedTlvs.find(TlvKeyHash);
    ASSERT_TRUE(kh);
    EXPECT_EQ(kh->value, sha256(testKey(QStringLiteral("ed25519.pem")).publicDer()));
    // RSA hashes the PKCS#1 RSAPublicKey, not the SubjectPublicKeyInfo.
    auto rsa = parseImage(readData(QStringLiteral("imgtool/rsa-2048.bin")));
    ASSERT_TRUE(rsa);
    EXPECT_EQ(rsa->unprotectedTlvs.find(TlvKeyHash)->value, sha256(testKey(QStringLiteral("rsa-2048.pem")).publicRaw()));
    EXPECT_EQ(rsa->unprotectedTlvs.find(TlvRsa2048Pss)->value.size(), 256);
}

} // namespace
} // namespace otalab::core::mcuboot
