// SPDX-License-Identifier: Apache-2.0
// The inspection tree, findings and badges for MCUboot images.
#include "core/image/inspection.h"
#include "core/mcuboot/image_inspect.h"
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

} // namespace
} // namespace otalab::core::mcuboot
