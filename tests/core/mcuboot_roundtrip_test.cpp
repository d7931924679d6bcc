// SPDX-License-Identifier: Apache-2.0
// create → parse → the same fields, over randomized options (fixed seed).
#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_decryptor.h"
#include "core/mcuboot/image_inspect.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_verifier.h"
#include "mcuboot_fixtures.h"

#include <gtest/gtest.h>

#include <random>

namespace otalab::core::mcuboot {
namespace {

using test::mcuboot::readData;
using test::mcuboot::testKey;

std::uint32_t le32(const QByteArray& v) { return std::uint8_t(v[0]) | std::uint8_t(v[1]) << 8 | std::uint8_t(v[2]) << 16 | std::uint32_t(std::uint8_t(v[3])) << 24; }

TEST(McubootRoundTrip, RandomizedOptionsParseBackToTheSameFields)
{
    std::mt19937 rng(20261122);
    auto pick = [&](int n) { return int(rng() % unsigned(n)); };
    const std::vector<crypto::PKey> signers = {testKey(QStringLiteral("ecdsa-p256.pem")), testKey(QStringLiteral("ed25519.pem")),
                                               testKey(QStringLiteral("rsa-2048.pem"))};
    const crypto::PKey encKey = testKey(QStringLiteral("enc-ecies-p256.pem"));
    const QByteArray kek = readData(QStringLiteral("test-keys/kek-256.bin"));

    for (int round = 0; round < 60; ++round) {
        SCOPED_TRACE(round);
        QByteArray binary(1 + pick(3000), '\0');
        for (char& c : binary)
            c = char(rng());
        ImageCreateOptions o;
        o.headerSize = std::uint16_t(32 << pick(5));
        o.padHeader = true;
        o.version = ImageVersion{std::uint8_t(rng()), std::uint8_t(rng()), std::uint16_t(rng()), std::uint32_t(rng())};
        o.loadAddr = pick(2) ? std::uint32_t(rng()) | 1u : 0;
        o.nonBootable = pick(2);
        if (pick(3) == 0)
            o.securityCounterAuto = true;
        else if (pick(2))
            o.securityCounter = std::uint32_t(rng());
        for (int d = pick(4); d > 0; --d)
            o.dependencies.push_back({std::uint8_t(rng()), ImageVersion{std::uint8_t(rng()), std::uint8_t(rng()), std::uint16_t(rng()), std::uint32_t(rng())}});
        const int signer = pick(4);
        if (signer < 3)
            o.signingKey = signers[std::size_t(signer)];
        o.publicKeyFormat = pick(2) ? PublicKeyFormat::Full : PublicKeyFormat::Hash;
        const int enc = pick(3);
        if (enc == 1)
            o.eciesP256Key = encKey;
        else if (enc == 2)
            o.aesKwKek = kek;
        o.aes256 = pick(2);
        if (pick(2)) {
            o.pad = true;
            o.trailer.align = 1 << pick(4);
            o.trailer.maxSectors = 1 + pick(200);
            o.trailer.overwriteOnly = pick(4) == 0;
            o.confirm = pick(2);
            o.slotSize = 0x20000;
        }

        auto made = createImage(binary, o);
        ASSERT_TRUE(made) << made.error().toString().toStdString();
        auto img = parseImage(*made);
        ASSERT_TRUE(img) << img.error().toString().toStdString();
        const ImageHeader& h = img->header;
        EXPECT_EQ(h.hdrSize, o.headerSize);
        EXPECT_EQ(h.loadAddr, o.loadAddr);
        EXPECT_EQ(h.version, o.version);
        EXPECT_EQ(bool(h.flags & FlagRamLoad), o.loadAddr != 0);
        EXPECT_EQ(bool(h.flags & FlagNonBootable), o.nonBootable);
        EXPECT_EQ(img->isEncrypted(), o.encrypted());
        if (o.encrypted())
            EXPECT_EQ(img->aesKeyBytes(), o.aes256 ? 32 : 16);
        // Security counter and dependencies come back in order.
        std::optional<std::uint32_t> secCnt;
        std::vector<Dependency> deps;
        if (img->protectedTlvs)
            for (const Tlv& t : img->protectedTlvs->tlvs) {
                if (t.type == TlvSecurityCounter)
                    secCnt = le32(t.value);
                if (t.type == TlvDependency)
                    deps.push_back({std::uint8_t(t.value[0]), ImageVersion{std::uint8_t(t.value[4]), std::uint8_t(t.value[5]),
                                                                           std::uint16_t(std::uint8_t(t.value[6]) | std::uint8_t(t.value[7]) << 8),
                                                                           le32(t.value.mid(8))}});
            }
        EXPECT_EQ(secCnt, o.securityCounterAuto ? std::optional(o.version.autoSecurityCounter()) : o.securityCounter);
        EXPECT_EQ(deps, o.dependencies);
        EXPECT_EQ(bool(img->trailer), o.pad);
        if (o.pad) {
            EXPECT_EQ(made->size(), o.slotSize);
            EXPECT_EQ(img->trailer->imageOk, (o.confirm && !o.trailer.overwriteOnly) ? 0x01 : 0xff);
        }

        // Checks: with all keys the inspection is fully valid.
        image::VerifyOptions vo;
        if (o.signingKey)
            vo.verificationKeys.push_back(*crypto::PKey::fromPem(o.signingKey->publicPem()));
        if (o.eciesP256Key)
            vo.decryptionKey = encKey;
        vo.decryptionKek = o.aesKwKek.value_or(QByteArray());
        const image::Inspection ins = inspectImage(*made, vo);
        EXPECT_TRUE(ins.isValid()) << (ins.firstError() ? ins.firstError()->message.toStdString() : std::string());
        EXPECT_EQ(ins.integrity.state, image::CheckState::Valid);
        EXPECT_EQ(ins.signature.state, o.signingKey ? image::CheckState::Valid : image::CheckState::Absent);
        EXPECT_EQ(ins.encryption.state, o.encrypted() ? image::CheckState::Valid : image::CheckState::Absent);
        if (o.encrypted()) {
            DecryptionKey key{o.eciesP256Key ? std::optional(encKey) : std::nullopt, o.aesKwKek.value_or(QByteArray())};
            auto plain = decryptImage(*img, key);
            ASSERT_TRUE(plain);
            EXPECT_EQ(plain->mid(o.headerSize, binary.size()), binary);
        } else {
            EXPECT_EQ(made->mid(o.headerSize, binary.size()), binary);
        }
    }
}

TEST(McubootRoundTrip, VersionTextFollowsImgtool)
{
    EXPECT_EQ(ImageVersion::parse(QStringLiteral("1"))->toString(), QStringLiteral("1.0.0+0"));
    EXPECT_EQ(ImageVersion::parse(QStringLiteral("1.2"))->toString(), QStringLiteral("1.2.0+0"));
    EXPECT_EQ(ImageVersion::parse(QStringLiteral("255.255.65535+4294967295"))->build, 4294967295u);
    for (const char* bad : {"", "1.", "1.2.3.4", "1+2", "256.0.0", "1.2.65536", "a.b", "1.2.3+4294967296", "-1"})
        EXPECT_FALSE(ImageVersion::parse(QString::fromLatin1(bad))) << bad;
    EXPECT_EQ(ImageVersion::parse(QStringLiteral("2.5.3+1000"))->autoSecurityCounter(), 0x02050003u);
}

TEST(McubootRoundTrip, CreateRejectsBadOptions)
{
    const QByteArray bin(100, 'x');
    ImageCreateOptions o;
    o.headerSize = 16;
    o.padHeader = true;
    EXPECT_FALSE(createImage(bin, o));
    o.headerSize = 32;
    o.padHeader = false;  // input does not start with zeros
    EXPECT_FALSE(createImage(bin, o));
    o.padHeader = true;
    o.aesKwKek = QByteArray(15, 'k');
    EXPECT_FALSE(createImage(bin, o));
    o.aesKwKek.reset();
    o.pad = true;
    o.slotSize = 0x100;  // image + trailer do not fit
    auto tooBig = createImage(bin, o);
    ASSERT_FALSE(tooBig);
    EXPECT_TRUE(tooBig.error().message.contains(QStringLiteral("exceeds the slot size")));
    o.slotSize = 0x1000;
    o.trailer.align = 3;
    EXPECT_FALSE(createImage(bin, o));
    o.trailer.align = 1;
    o.signingKey = testKey(QStringLiteral("enc-ecies-p256.pub.pem"));  // public only: cannot sign
    EXPECT_FALSE(createImage(bin, o));
}

} // namespace
} // namespace otalab::core::mcuboot
