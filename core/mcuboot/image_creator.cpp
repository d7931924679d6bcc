// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_creator.h"

#include "core/common/bytes.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_model.h"
#include "core/mcuboot/tlv_writer.h"

namespace otalab::core::mcuboot {
namespace {

Result<void> checkOptions(const ImageCreateOptions& o)
{
    if (o.headerSize < kHeaderSize)
        return fail(QStringLiteral("header size %1 is below the minimum of 32").arg(o.headerSize));
    if (o.eciesP256Key && o.aesKwKek)
        return fail(QStringLiteral("choose one encryption key: an ECIES-P256 key or an AES-KW key-encryption key"));
    if (o.aesKwKek && o.aesKwKek->size() != 16 && o.aesKwKek->size() != 32)
        return fail(QStringLiteral("AES-KW key-encryption key must be 16 or 32 bytes, got %1").arg(o.aesKwKek->size()));
    if (o.eciesP256Key) {
        auto t = o.eciesP256Key->type();
        if (!t || *t != crypto::KeyType::EcdsaP256)
            return fail(QStringLiteral("ECIES-P256 encryption needs a P-256 key"));
    }
    if (o.pad && o.slotSize <= 0)
        return fail(QStringLiteral("--pad needs a slot size"));
    if (!o.imageKeyForTest.isEmpty() && o.imageKeyForTest.size() != (o.aes256 ? 32 : 16))
        return fail(QStringLiteral("test image key must be %1 bytes").arg(o.aes256 ? 32 : 16));
    return {};
}

} // namespace

Result<QByteArray> createImage(const QByteArray& binary, const ImageCreateOptions& o)
{
    if (auto ok = checkOptions(o); !ok)
        return fail(ok.error());

    // Image.load(): optional erased header padding, else the header area must be zero.
    QByteArray payload = binary;
    if (o.padHeader)
        payload.prepend(QByteArray(o.headerSize, o.erasedValue));
    else if (payload.size() < o.headerSize || payload.left(o.headerSize).count('\0') != o.headerSize)
        return fail(QStringLiteral("the input does not start with %1 zero bytes for the header; use --pad-header")
                        .arg(o.headerSize));

    // Protected TLVs (same order as imgtool: SEC_CNT, then DEPENDENCY...).
    TlvWriter prot(kProtectedTlvInfoMagic);
    std::optional<std::uint32_t> secCnt = o.securityCounterAuto ? std::optional(o.version.autoSecurityCounter())
                                                                : o.securityCounter;
    if (secCnt)
        prot.add(TlvSecurityCounter, ByteWriter(Endian::Little).u32(*secCnt).take());
    for (const Dependency& d : o.dependencies) {
        ByteWriter w(Endian::Little);
        w.u8(d.imageId).zeros(3).u8(d.version.major).u8(d.version.minor).u16(d.version.revision).u32(d.version.build);
        prot.add(TlvDependency, w.take());
    }
    const QByteArray protArea = prot.bytes();

    // Encrypted images: pad header+body with zeros to a multiple of 16 (imgtool create()).
    if (o.encrypted() && payload.size() % 16)
        payload.append(16 - payload.size() % 16, '\0');

    ImageHeader h;
    h.hdrSize = o.headerSize;
    h.loadAddr = o.loadAddr;
    h.protectedTlvSize = std::uint16_t(protArea.size());
    h.imgSize = std::uint32_t(payload.size() - o.headerSize);
    h.version = o.version;
    h.flags = o.extraFlags;
    if (o.encrypted())
        h.flags |= o.aes256 ? FlagEncryptedAes256 : FlagEncryptedAes128;
    if (o.loadAddr != 0)
        h.flags |= FlagRamLoad;
    if (o.nonBootable)
        h.flags |= FlagNonBootable;
    payload.replace(0, kHeaderSize, h.serialize());

    const QByteArray digest = sha256(payload + protArea);
    TlvWriter unprot(kTlvInfoMagic);
    unprot.add(TlvSha256, digest);
    if (o.signingKey) {
        auto keyBytes = keyHashInput(*o.signingKey);
        auto sigType = signatureTlvType(*o.signingKey);
        if (!keyBytes || !sigType)
            return fail(keyBytes ? sigType.error() : keyBytes.error());
        if (o.publicKeyFormat == PublicKeyFormat::Hash)
            unprot.add(TlvKeyHash, sha256(*keyBytes));
        else
            unprot.add(TlvPubKey, *keyBytes);
        auto sig = signDigest(*o.signingKey, digest);
        if (!sig)
            return fail(sig.error());
        unprot.add(*sigType, *sig);
    }

    if (o.encrypted()) {
        const QByteArray imageKey = o.imageKeyForTest.isEmpty() ? randomBytes(o.aes256 ? 32 : 16) : o.imageKeyForTest;
        Result<QByteArray> wrapped = o.aesKwKek ? aesKeyWrap(*o.aesKwKek, imageKey)
                                                : eciesP256Wrap(*o.eciesP256Key, imageKey);
        if (!wrapped)
            return fail(wrapped.error());
        unprot.add(o.aesKwKek ? TlvEncKw : TlvEncEc256, *wrapped);
        auto body = aesCtr(imageKey, payload.mid(o.headerSize));
        if (!body)
            return fail(body.error());
        payload.replace(o.headerSize, body->size(), *body);
    }

    if (unprot.bytes().size() > 0xffff || protArea.size() > 0xffff)
        return fail(QStringLiteral("TLV area exceeds 65535 bytes"));
    payload += protArea;
    payload += unprot.bytes();

    if (o.slotSize > 0) {
        auto tsize = trailerSize(o.trailer, o.encrypted());
        if (!tsize)
            return fail(tsize.error());
        if (payload.size() + *tsize > o.slotSize)
            return fail(QStringLiteral("image size (0x%1) + trailer (0x%2) exceeds the slot size 0x%3")
                            .arg(payload.size(), 0, 16).arg(*tsize, 0, 16).arg(o.slotSize, 0, 16));
    }
    if (o.pad)
        return padToSlot(payload, o.slotSize, o.trailer, o.encrypted(), o.confirm, o.erasedValue);
    return payload;
}

} // namespace otalab::core::mcuboot
