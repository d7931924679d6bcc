// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_signer.h"

#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/tlv_writer.h"

namespace otalab::core::mcuboot {

Result<QByteArray> signImage(const QByteArray& file, const crypto::PKey& key, PublicKeyFormat format)
{
    auto parsed = parseImage(file);
    if (!parsed)
        return fail(parsed.error());
    const McubootImage& img = *parsed;
    const Tlv* sha = img.unprotectedTlvs.find(TlvSha256);
    if (!sha)
        return fail(Error::at(img.unprotectedTlvs.offset, QStringLiteral("unprotectedTlvs"), QStringLiteral("no SHA256 TLV to sign")));
    if (!img.isEncrypted() && sha256(QByteArrayView(file).first(img.hashedEnd())) != sha->value)
        return fail(Error::at(sha->offset, QStringLiteral("unprotectedTlvs.tlv[%1]").arg(sha - img.unprotectedTlvs.tlvs.data()),
                              QStringLiteral("SHA256 TLV does not match the image; refusing to sign a corrupted image")));
    auto keyBytes = keyHashInput(key);
    auto sigType = signatureTlvType(key);
    if (!keyBytes || !sigType)
        return fail(keyBytes ? sigType.error() : keyBytes.error());
    auto sig = signDigest(key, sha->value);
    if (!sig)
        return fail(sig.error());

    TlvWriter unprot(kTlvInfoMagic);
    unprot.add(TlvSha256, sha->value);
    if (format == PublicKeyFormat::Hash)
        unprot.add(TlvKeyHash, sha256(*keyBytes));
    else
        unprot.add(TlvPubKey, *keyBytes);
    unprot.add(*sigType, *sig);
    for (const Tlv& t : img.unprotectedTlvs.tlvs)
        if (&t != sha && t.type != TlvKeyHash && t.type != TlvPubKey && t.type != 0x03 && !isSignatureTlv(t.type))
            unprot.addRaw(file.mid(t.offset, kTlvHeaderSize + t.value.size()));
    const QByteArray area = unprot.bytes();
    if (area.size() > 0xffff)
        return fail(QStringLiteral("unprotected TLV area exceeds 65535 bytes"));

    const qint64 oldEnd = img.unprotectedTlvs.end();
    QByteArray out = file.left(img.unprotectedTlvs.offset) + area;
    const qint64 tailSize = file.size() - oldEnd;
    if (tailSize > 0) {
        // Padded image: keep the file size, take or give back erased padding bytes.
        const qint64 delta = area.size() - img.unprotectedTlvs.totalLength;
        if (delta > 0) {
            const QByteArray taken = file.mid(oldEnd, delta);
            if (taken.size() < delta || taken.count(char(0xff)) != delta)
                return fail(Error::at(oldEnd, QStringLiteral("padding"),
                                      QStringLiteral("not enough erased padding after the TLV area for a %1-byte larger signature block").arg(delta)));
            out += file.mid(oldEnd + delta);
        } else {
            out += QByteArray(-delta, char(0xff)) + file.mid(oldEnd);
        }
    }
    return out;
}

} // namespace otalab::core::mcuboot
