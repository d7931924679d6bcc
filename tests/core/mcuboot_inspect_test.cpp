// SPDX-License-Identifier: Apache-2.0
// The inspection tree, findings and badges for MCUboot images.
#include "core/image/inspection.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_format.h"
#include "core/mcuboot/image_inspect.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_verifier.h"
#include "mcuboot_fixtures.h"

#include <QJsonArray>
#include <gtest/gtest.h>

namespace otalab::core::mcuboot {
namespace {

using image::CheckState;
using image::Node;
using test::mcuboot::readData;
using test::mcuboot::testKey;

const Node* find(const Node& root, const QString& path)
{
    const Node* n = &root;
    for (const QString& part : path.split(QLatin1Char('.'))) {
        const Node* next = nullptr;
        for (const Node& c : n->children)
            if (c.name == part)
                next = &c;
        if (!next)
            return nullptr;
        n = next;
    }
    return n;
}

TEST(McubootInspect, TreeShowsDecodedHeaderAndTlvs)
{
    const image::Inspection ins = inspectImage(readData(QStringLiteral("imgtool/unsigned-seccnt-deps.bin")), {});
    EXPECT_EQ(ins.format, image::Format::Mcuboot);
    EXPECT_TRUE(ins.isValid());
    EXPECT_TRUE(ins.findings.empty());
    const Node& r = ins.root;
    ASSERT_TRUE(find(r, QStringLiteral("header.version")));
    EXPECT_EQ(find(r, QStringLiteral("header.version"))->value, QStringLiteral("2.5.3+1000"));
    EXPECT_EQ(find(r, QStringLiteral("header.version.build"))->offset, 24);
    EXPECT_EQ(find(r, QStringLiteral("header.hdrSize"))->value, QStringLiteral("0x0200 (512)"));
    EXPECT_EQ(find(r, QStringLiteral("headerPadding"))->value, QStringLiteral("480 bytes, erased (0xff)"));
    EXPECT_EQ(find(r, QStringLiteral("body"))->offset, 0x200);
    EXPECT_EQ(find(r, QStringLiteral("body"))->size, 1000);
    EXPECT_EQ(find(r, QStringLiteral("protectedTlvs.tlv[0]"))->label, QStringLiteral("SEC_CNT"));
    EXPECT_EQ(find(r, QStringLiteral("protectedTlvs.tlv[0]"))->value, QStringLiteral("33882115 (0x02050003)"));
    EXPECT_EQ(find(r, QStringLiteral("protectedTlvs.tlv[1]"))->value, QStringLiteral("image 1, version 2.0.0+0"));
    EXPECT_EQ(find(r, QStringLiteral("protectedTlvs.tlv[2]"))->value, QStringLiteral("image 2, version 1.5.7+99"));
    EXPECT_EQ(find(r, QStringLiteral("protectedTlvs.tlv[2].length"))->offset, 0x604 + 2);
    const Node* sha = find(r, QStringLiteral("unprotectedTlvs.tlv[0]"));
    ASSERT_TRUE(sha);
    EXPECT_TRUE(sha->value.startsWith(QStringLiteral("ead3effab677b9e8")));
    EXPECT_TRUE(sha->value.endsWith(QStringLiteral("(matches)")));
    EXPECT_EQ(ins.integrity.state, CheckState::Valid);
    EXPECT_EQ(ins.integrity.detail, QStringLiteral("SHA-256 over [0, 0x0614) matches"));
    EXPECT_EQ(ins.signature.state, CheckState::Absent);
    EXPECT_EQ(ins.encryption.state, CheckState::Absent);
}

TEST(McubootInspect, TrailerAndKeyHashNodes)
{
    image::VerifyOptions vo;
    vo.verificationKeys = {testKey(QStringLiteral("ed25519.pub.pem"))};
    const image::Inspection ins = inspectImage(readData(QStringLiteral("imgtool/ed25519-pad-confirm.bin")), vo);
    EXPECT_TRUE(ins.isValid());
    EXPECT_EQ(find(ins.root, QStringLiteral("trailer.imageOk"))->value, QStringLiteral("0x01 (set)"));
    EXPECT_EQ(find(ins.root, QStringLiteral("trailer.imageOk"))->offset, 0x8000 - 24);
    EXPECT_EQ(find(ins.root, QStringLiteral("trailer.copyDone"))->value, QStringLiteral("0xff (unset)"));
    EXPECT_TRUE(find(ins.root, QStringLiteral("trailer.swapInfo"))->value.contains(QStringLiteral("unset")));
    EXPECT_TRUE(find(ins.root, QStringLiteral("padding"))->value.contains(QStringLiteral("erased")));
    EXPECT_EQ(find(ins.root, QStringLiteral("unprotectedTlvs.tlv[1]"))->label, QStringLiteral("KEYHASH"));
    EXPECT_TRUE(find(ins.root, QStringLiteral("unprotectedTlvs.tlv[2]"))->value.contains(QStringLiteral("Ed25519 signature, 64 bytes")));
    EXPECT_EQ(ins.signature.detail, QStringLiteral("Ed25519, key hash matches the given key"));
}

TEST(McubootInspect, ProblemNodesAreMarkedAndJsonIsStable)
{
    image::VerifyOptions vo;
    vo.verificationKeys = {testKey(QStringLiteral("ed25519.pub.pem"))};
    const image::Inspection ins = inspectImage(readData(QStringLiteral("malformed/tampered-signature.bin")), vo);
    EXPECT_FALSE(ins.isValid());
    EXPECT_TRUE(find(ins.root, QStringLiteral("unprotectedTlvs.tlv[2]"))->problem);
    EXPECT_FALSE(find(ins.root, QStringLiteral("unprotectedTlvs.tlv[0]"))->problem);
    const QJsonObject json = ins.toJson();
    EXPECT_EQ(json.value(QStringLiteral("format")).toString(), QStringLiteral("MCUboot image"));
    EXPECT_EQ(json.value(QStringLiteral("signature")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("invalid"));
    EXPECT_EQ(json.value(QStringLiteral("findings")).toArray().size(), 1);
}

TEST(McubootInspect, DispatchThroughTheFormatNeutralEntryPoint)
{
    EXPECT_EQ(image::detectFormat(readData(QStringLiteral("imgtool/unsigned.bin"))), image::Format::Mcuboot);
}

TEST(McubootInspect, BrokenHeaderStillGivesATree)
{
    const image::Inspection ins = inspectImage(readData(QStringLiteral("malformed/img-size-past-end.bin")), {});
    EXPECT_TRUE(find(ins.root, QStringLiteral("header.imgSize"))->problem);
    EXPECT_EQ(ins.integrity.state, CheckState::Unchecked);
    const image::Inspection empty = inspectImage({}, {});
    EXPECT_FALSE(empty.isValid());
    EXPECT_EQ(empty.firstError()->field, QStringLiteral("header"));
}

// --- What MCUboot's bootutil refuses is never valid -----------------------------------
// bootutil_img_validate() verifies a signature only with the key the preceding KEYHASH
// names (bootutil_find_key) and ignores a signature whose key it does not find; it
// checks every SHA256 TLV, in either TLV area, against the hash.

// ed25519-hash.bin with one byte of its KEYHASH value (unprotected TLV 1) flipped. The
// unprotected area is outside the hash, so the signature still verifies.
QByteArray withForeignKeyHash()
{
    QByteArray bytes = readData(QStringLiteral("imgtool/ed25519-hash.bin"));
    auto image = parseImage(bytes);
    if (!image || image->unprotectedTlvs.tlvs.size() < 2 || image->unprotectedTlvs.tlvs[1].type != TlvKeyHash)
        return {};
    const qint64 at = image->unprotectedTlvs.tlvs[1].valueOffset();
    bytes[at] = char(bytes[at] ^ 0x5a);
    return bytes;
}

TEST(McubootBootutilRules, SignatureWhoseKeyHashNamesAnotherKeyIsInvalid)
{
    const QByteArray bytes = withForeignKeyHash();
    ASSERT_FALSE(bytes.isEmpty());
    const crypto::PKey key = testKey(QStringLiteral("ed25519.pub.pem"));
    auto image = parseImage(bytes);
    ASSERT_TRUE(image.has_value());
    const VerifyReport report = verifyImage(*image, {key});
    ASSERT_EQ(report.signatures.size(), 1u);
    EXPECT_EQ(report.signatures[0].verdict, SignatureVerdict::Invalid) << report.signatures[0].detail.toStdString();
    EXPECT_FALSE(report.signatures[0].keyHashMatched);

    image::VerifyOptions vo;
    vo.verificationKeys = {key};
    const image::Inspection ins = inspectImage(bytes, vo);
    EXPECT_FALSE(ins.isValid());
    EXPECT_EQ(ins.integrity.state, CheckState::Valid);
    EXPECT_EQ(ins.signature.state, CheckState::Invalid);
    EXPECT_TRUE(ins.signature.detail.contains(QStringLiteral("MCUboot would not find the key"))) << ins.signature.detail.toStdString();
    ASSERT_NE(ins.firstError(), nullptr);
    EXPECT_EQ(ins.firstError()->field, QStringLiteral("unprotectedTlvs.tlv[2]"));
    EXPECT_TRUE(find(ins.root, QStringLiteral("unprotectedTlvs.tlv[2]"))->problem);

    // The untouched image with the same key is valid: only the key hash differs.
    EXPECT_TRUE(inspectImage(readData(QStringLiteral("imgtool/ed25519-hash.bin")), vo).isValid());
}

TEST(McubootBootutilRules, SignatureWithoutAKeyReferenceIsInvalidWithAKeyAndAWarningWithout)
{
    // The KEYHASH TLV renamed to an unknown type: nothing names the signature's key.
    QByteArray bytes = readData(QStringLiteral("imgtool/ed25519-hash.bin"));
    auto image = parseImage(bytes);
    ASSERT_TRUE(image.has_value());
    ASSERT_EQ(image->unprotectedTlvs.tlvs.at(1).type, TlvKeyHash);
    bytes[image->unprotectedTlvs.tlvs[1].offset] = char(0x7f);

    image::VerifyOptions vo;
    vo.verificationKeys = {testKey(QStringLiteral("ed25519.pub.pem"))};
    const image::Inspection checked = inspectImage(bytes, vo);
    EXPECT_FALSE(checked.isValid());
    EXPECT_EQ(checked.signature.state, CheckState::Invalid);
    EXPECT_TRUE(checked.signature.detail.contains(QStringLiteral("no KEYHASH or PUBKEY TLV precedes it"))) << checked.signature.detail.toStdString();

    const image::Inspection unchecked = inspectImage(bytes, {});
    EXPECT_TRUE(unchecked.isValid());
    EXPECT_EQ(unchecked.signature.state, CheckState::Unchecked);
    ASSERT_EQ(unchecked.findings.size(), 1u);
    EXPECT_EQ(unchecked.findings[0].severity, image::Severity::Warning);
    EXPECT_TRUE(unchecked.findings[0].message.contains(QStringLiteral("without a preceding KEYHASH"))) << unchecked.findings[0].message.toStdString();
}

TEST(McubootBootutilRules, Sha256TlvInTheProtectedAreaIsAnError)
{
    // unsigned-seccnt-deps.bin: protected SEC_CNT, DEPENDENCY, DEPENDENCY. The second one
    // becomes a SHA256 TLV and the real SHA256 TLV is recomputed, so that is the only fault.
    QByteArray bytes = readData(QStringLiteral("imgtool/unsigned-seccnt-deps.bin"));
    auto image = parseImage(bytes);
    ASSERT_TRUE(image.has_value());
    ASSERT_TRUE(image->protectedTlvs.has_value());
    const Tlv& moved = image->protectedTlvs->tlvs.at(1);
    ASSERT_EQ(moved.type, TlvDependency);
    bytes[moved.offset] = char(TlvSha256);
    bytes[moved.offset + 1] = 0;
    const Tlv* sha = image->unprotectedTlvs.find(TlvSha256);
    ASSERT_NE(sha, nullptr);
    bytes.replace(sha->valueOffset(), 32, sha256(QByteArrayView(bytes).first(image->hashedEnd())));

    const image::Inspection ins = inspectImage(bytes, {});
    EXPECT_EQ(ins.integrity.state, CheckState::Valid) << ins.integrity.detail.toStdString();
    EXPECT_FALSE(ins.isValid());
    ASSERT_NE(ins.firstError(), nullptr);
    EXPECT_EQ(ins.firstError()->field, QStringLiteral("protectedTlvs.tlv[1]"));
    EXPECT_TRUE(ins.firstError()->message.contains(QStringLiteral("MCUboot refuses the image"))) << ins.firstError()->message.toStdString();
}

} // namespace
} // namespace otalab::core::mcuboot
