// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_decryptor.h"

#include "core/common/bytes.h"
#include "core/mcuboot/image_crypto.h"

namespace otalab::core::mcuboot {
namespace {

const Tlv* encryptionTlv(const McubootImage& image)
{
    for (const Tlv& t : image.unprotectedTlvs.tlvs)
        if (isEncryptionTlv(t.type))
            return &t;
    return nullptr;
}

} // namespace

QString encryptionDescription(const McubootImage& image)
{
    if (!image.isEncrypted())
        return {};
    const QString aes = image.aesKeyBytes() == 32 ? QStringLiteral("AES-256-CTR") : QStringLiteral("AES-128-CTR");
    const Tlv* t = encryptionTlv(image);
    if (!t)
        return aes + QStringLiteral(", no key TLV");
    switch (t->type) {
    case TlvEncKw: return aes + QStringLiteral(", key wrapped with AES-KW");
    case TlvEncEc256: return aes + QStringLiteral(", key wrapped with ECIES-P256");
    case TlvEncX25519: return aes + QStringLiteral(", key wrapped with ECIES-X25519");
    case TlvEncRsa2048: return aes + QStringLiteral(", key wrapped with RSA-OAEP");
    default: break;
    }
    return aes + QStringLiteral(", key wrapped by ") + tlvTypeName(t->type);
}

Result<QByteArray> unwrapImageKey(const McubootImage& image, const DecryptionKey& key)
{
    const Tlv* t = encryptionTlv(image);
    if (!t)
        return fail(Error::at(image.unprotectedTlvs.offset, QStringLiteral("unprotectedTlvs"),
                              QStringLiteral("no encryption key TLV")));
    auto at = [&](const QString& message) {
        return Error::at(t->offset, QStringLiteral("unprotectedTlvs.tlv[%1]").arg(t - image.unprotectedTlvs.tlvs.data()), message);
    };
    Result<QByteArray> imageKey = fail(QString());
    if (t->type == TlvEncKw) {
        if (key.kek.isEmpty())
            return fail(at(QStringLiteral("ENC_KW needs the AES key-encryption key")));
        imageKey = aesKeyUnwrap(key.kek, t->value);
    } else if (t->type == TlvEncEc256) {
        if (!key.privateKey)
            return fail(at(QStringLiteral("ENC_EC256 needs the P-256 private key")));
        imageKey = eciesP256Unwrap(*key.privateKey, t->value);
    } else {
        return fail(at(QStringLiteral("%1 key transport is not supported").arg(tlvTypeName(t->type))));
    }
    if (!imageKey)
        return fail(at(imageKey.error().message));
    if (imageKey->size() != image.aesKeyBytes())
        return fail(at(QStringLiteral("unwrapped key is %1 bytes but the flags say AES-%2")
                           .arg(imageKey->size()).arg(image.aesKeyBytes() * 8)));
    return imageKey;
}

Result<QByteArray> decryptImage(const McubootImage& image, const DecryptionKey& key)
{
    if (!image.isEncrypted())
        return fail(Error::at(16, QStringLiteral("header.flags"), QStringLiteral("the image is not encrypted")));
    auto imageKey = unwrapImageKey(image, key);
    if (!imageKey)
        return fail(imageKey.error());
    auto body = aesCtr(*imageKey, image.bytes.mid(image.bodyOffset(), image.header.imgSize));
    if (!body)
        return fail(body.error());
    QByteArray out = image.bytes;
    out.replace(image.bodyOffset(), body->size(), *body);
    return out;
}

} // namespace otalab::core::mcuboot
