// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/tlv_nodes.h"

#include "core/common/bytes.h"
#include "core/mcuboot/image_crypto.h"

namespace otalab::core::mcuboot {
namespace {

using image::Node;

std::uint32_t le(const QByteArray& d, int at, int width)
{
    std::uint32_t v = 0;
    for (int i = width - 1; i >= 0; --i)
        v = (v << 8) | std::uint8_t(d[at + i]);
    return v;
}

Node field(const char* name, const char* label, QString value, qint64 offset, qint64 size)
{
    return Node{QString::fromLatin1(name), QString::fromLatin1(label), std::move(value), offset, size, false, {}};
}

Node headerNode(const McubootImage& img)
{
    const ImageHeader& h = img.header;
    Node n{QStringLiteral("header"), QStringLiteral("Image header"), QStringLiteral("32 bytes, little-endian"), 0, kHeaderSize, false, {}};
    n.add(field("magic", "Magic", hex(h.magic, 8) + (h.magic == kImageMagic ? QString() : QStringLiteral(" (expected 0x96f3b83d)")), 0, 4));
    n.add(field("loadAddr", "Load address", hex(h.loadAddr, 8), 4, 4));
    n.add(field("hdrSize", "Header size", QStringLiteral("%1 (%2)").arg(hex(h.hdrSize, 4)).arg(h.hdrSize), 8, 2));
    n.add(field("protectedTlvSize", "Protected TLV size",
                h.protectedTlvSize ? QStringLiteral("%1 bytes").arg(h.protectedTlvSize) : QStringLiteral("0 (no protected TLVs)"), 10, 2));
    n.add(field("imgSize", "Image (body) size", QStringLiteral("%1 (%2 bytes)").arg(hex(h.imgSize, 8)).arg(h.imgSize), 12, 4));
    n.add(field("flags", "Flags", QStringLiteral("%1 (%2)").arg(hex(h.flags, 8), flagsText(h.flags)), 16, 4));
    Node& v = n.add(field("version", "Version", h.version.toString(), 20, 8));
    v.add(field("major", "Major", QString::number(h.version.major), 20, 1));
    v.add(field("minor", "Minor", QString::number(h.version.minor), 21, 1));
    v.add(field("revision", "Revision", QString::number(h.version.revision), 22, 2));
    v.add(field("build", "Build", QString::number(h.version.build), 24, 4));
    n.add(field("pad", "Reserved", hex(h.pad, 8), 28, 4));
    return n;
}

QString fillText(const QByteArray& bytes)
{
    if (bytes.count(char(0xff)) == bytes.size())
        return QStringLiteral("%1 bytes, erased (0xff)").arg(bytes.size());
    if (bytes.count('\0') == bytes.size())
        return QStringLiteral("%1 bytes, zeros").arg(bytes.size());
    return QStringLiteral("%1 bytes").arg(bytes.size());
}

Node areaNode(const TlvArea& area, const char* name, const char* label, const VerifyReport* report)
{
    Node n{QString::fromLatin1(name), QString::fromLatin1(label),
           QStringLiteral("%1 bytes, %2 TLVs").arg(area.totalLength).arg(area.tlvs.size()), area.offset, area.totalLength, false, {}};
    Node& info = n.add(field("info", "TLV info", QStringLiteral("magic %1, total %2").arg(hex(area.magic, 4)).arg(area.totalLength), area.offset, kTlvInfoSize));
    info.add(field("magic", "Magic", hex(area.magic, 4), area.offset, 2));
    info.add(field("totalLength", "Total length", QString::number(area.totalLength), area.offset + 2, 2));
    // The verification notes go on the TLVs they concern.
    for (std::size_t i = 0; i < area.tlvs.size(); ++i) {
        const Tlv& t = area.tlvs[i];
        QString value = describeTlv(t);
        if (report && area.magic == kTlvInfoMagic) {
            if (int(i) == report->hash.tlvIndex && report->hash.checked)
                value += report->hash.valid ? QStringLiteral(" (matches)") : QStringLiteral(" (MISMATCH, computed %1)").arg(QString::fromLatin1(report->hash.computed.toHex()));
            for (const SignatureCheck& s : report->signatures)
                if (s.tlvIndex == int(i))
                    value += QStringLiteral(" — ") + s.detail;
        }
        Node& tn = n.add(Node{QStringLiteral("tlv[%1]").arg(i), tlvTypeName(t.type), value, t.offset, kTlvHeaderSize + t.value.size(), false, {}});
        tn.add(field("type", "Type", QStringLiteral("%1 (%2)").arg(hex(t.type, 4), tlvTypeName(t.type)), t.offset, 2));
        tn.add(field("length", "Length", QString::number(t.value.size()), t.offset + 2, 2));
        tn.add(field("value", "Value", QString::fromLatin1(t.value.left(64).toHex()) + (t.value.size() > 64 ? QStringLiteral("…") : QString()),
                     t.valueOffset(), t.value.size()));
    }
    return n;
}

Node trailerNode(const McubootImage& img)
{
    const Trailer& t = *img.trailer;
    const qint64 start = t.swapSizeOffset >= 0 ? t.swapSizeOffset : t.imageOkOffset >= 0 ? t.imageOkOffset : t.magicOffset;
    Node n{QStringLiteral("trailer"), QStringLiteral("Swap trailer"), QStringLiteral("max align %1").arg(t.maxAlign),
           start, img.bytes.size() - start, false, {}};
    auto flag = [](std::uint8_t v) {
        return v == 0x01 ? QStringLiteral("0x01 (set)") : v == 0xff ? QStringLiteral("0xff (unset)") : hex(v, 2);
    };
    if (t.swapSizeOffset >= 0)
        n.add(field("swapSize", "Swap size", t.swapSize == 0xffffffff ? QStringLiteral("unset") : hex(t.swapSize, 8), t.swapSizeOffset, 4));
    if (t.swapInfoOffset >= 0)
        n.add(field("swapInfo", "Swap info",
                    t.swapInfo == 0xff ? QStringLiteral("0xff (unset)")
                                       : QStringLiteral("%1 (swap type %2, image %3)").arg(hex(t.swapInfo, 2), swapTypeName(t.swapInfo)).arg(t.swapInfo >> 4),
                    t.swapInfoOffset, 1));
    if (t.copyDoneOffset >= 0)
        n.add(field("copyDone", "Copy done", flag(t.copyDone), t.copyDoneOffset, 1));
    if (t.imageOkOffset >= 0)
        n.add(field("imageOk", "Image OK", flag(t.imageOk), t.imageOkOffset, 1));
    n.add(field("magic", "Magic", QString::fromLatin1(img.bytes.mid(t.magicOffset, 16).toHex(' ')), t.magicOffset, 16));
    return n;
}

} // namespace

QString describeTlv(const Tlv& t)
{
    const QByteArray& v = t.value;
    switch (t.type) {
    case TlvSha256:
    case TlvKeyHash: return QString::fromLatin1(v.toHex());
    case TlvPubKey: {
        auto key = publicKeyFromTlv(v);
        const QString kind = key && key->type() ? crypto::keyTypeName(*key->type()) : QStringLiteral("unreadable");
        return QStringLiteral("%1 public key, %2 bytes, SHA-256 %3").arg(kind).arg(v.size()).arg(QString::fromLatin1(sha256(v).toHex()));
    }
    case TlvSecurityCounter:
        if (v.size() == 4)
            return QStringLiteral("%1 (%2)").arg(le(v, 0, 4)).arg(hex(le(v, 0, 4), 8));
        break;
    case TlvDependency:
        if (v.size() == 12) {
            ImageVersion ver{std::uint8_t(v[4]), std::uint8_t(v[5]), std::uint16_t(le(v, 6, 2)), le(v, 8, 4)};
            return QStringLiteral("image %1, version %2").arg(std::uint8_t(v[0])).arg(ver.toString());
        }
        break;
    case TlvEcdsaSig:
    case TlvEd25519:
    case TlvRsa2048Pss:
    case TlvRsa3072Pss: return QStringLiteral("%1 signature, %2 bytes").arg(signatureAlgorithmName(t.type)).arg(v.size());
    case TlvEncEc256:
        return QStringLiteral("ephemeral P-256 key (65) + HMAC (32) + encrypted %1-byte key").arg(v.size() - 97);
    case TlvEncKw: return QStringLiteral("AES-KW wrapped %1-byte key").arg(v.size() - 8);
    default: break;
    }
    return QStringLiteral("%1 bytes").arg(v.size());
}

Node buildImageTree(const ParseReport& parsed, const VerifyReport* report)
{
    const McubootImage& img = parsed.image;
    Node root{QStringLiteral("image"), QStringLiteral("MCUboot image"), QStringLiteral("%1 bytes").arg(img.bytes.size()), 0, img.bytes.size(), false, {}};
    if (!parsed.headerParsed)
        return root;
    root.add(headerNode(img));
    if (!parsed.structureValid && parsed.errors.size() && parsed.errors.front().field.startsWith(QStringLiteral("header")))
        return root;
    if (img.header.hdrSize > kHeaderSize)
        root.add(field("headerPadding", "Header padding", fillText(img.bytes.mid(kHeaderSize, img.header.hdrSize - kHeaderSize)),
                       kHeaderSize, img.header.hdrSize - kHeaderSize));
    root.add(field("body", "Body", QStringLiteral("%1 bytes%2").arg(img.header.imgSize).arg(img.isEncrypted() ? QStringLiteral(", encrypted") : QString()),
                   img.bodyOffset(), img.header.imgSize));
    if (img.protectedTlvs)
        root.add(areaNode(*img.protectedTlvs, "protectedTlvs", "Protected TLVs", report));
    if (img.unprotectedTlvs.totalLength)
        root.add(areaNode(img.unprotectedTlvs, "unprotectedTlvs", "Unprotected TLVs", report));
    if (img.paddingOffset >= 0 && img.paddingSize > 0)
        root.add(field("padding", "Padding", fillText(img.bytes.mid(img.paddingOffset, img.paddingSize)), img.paddingOffset, img.paddingSize));
    if (img.trailer)
        root.add(trailerNode(img));
    return root;
}

} // namespace otalab::core::mcuboot
