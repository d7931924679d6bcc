// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_verifier.h"

#include "core/mcuboot/image_crypto.h"

namespace otalab::core::mcuboot {
namespace {

bool keyRefMatches(const Tlv* ref, const crypto::PKey& key)
{
    if (!ref)
        return false;
    auto input = keyHashInput(key);
    if (!input)
        return false;
    return ref->type == TlvKeyHash ? ref->value == sha256(*input) : ref->value == *input;
}

SignatureCheck checkSignature(const Tlv& sig, int index, const Tlv* ref, const QByteArray& digest,
                              const std::vector<crypto::PKey>& keys)
{
    SignatureCheck c;
    c.type = sig.type;
    c.tlvIndex = index;
    c.offset = sig.offset;
    c.algorithm = signatureAlgorithmName(sig.type);
    c.keyRefType = ref ? ref->type : 0;
    const QString refName = ref ? (ref->type == TlvKeyHash ? QStringLiteral("key hash") : QStringLiteral("embedded public key"))
                                : QStringLiteral("key reference");

    if (keys.empty()) {
        if (ref && ref->type == TlvPubKey) {
            auto embedded = publicKeyFromTlv(ref->value);
            if (embedded && verifyDigest(*embedded, sig.type, digest, sig.value)) {
                c.verdict = SignatureVerdict::EmbeddedValid;
                c.detail = c.algorithm + QStringLiteral(", verifies with the embedded public key; no trusted key given");
            } else {
                c.verdict = SignatureVerdict::Invalid;
                c.detail = c.algorithm + QStringLiteral(", does not verify with the embedded public key");
            }
            return c;
        }
        c.verdict = SignatureVerdict::Unchecked;
        c.detail = c.algorithm + QStringLiteral(", no verification key given");
        return c;
    }

    // bootutil verifies a signature only with the key its KEYHASH/PUBKEY names; a
    // signature that verifies with some other given key is ignored on the device.
    int candidates = 0;
    int refMatch = -1;     // first given key the key reference names
    int verifiesWith = -1; // first given key the signature verifies with
    for (std::size_t i = 0; i < keys.size(); ++i) {
        auto type = signatureTlvType(keys[i]);
        if (!type || *type != sig.type)
            continue;
        ++candidates;
        const bool named = keyRefMatches(ref, keys[i]);
        const bool verifies = verifyDigest(keys[i], sig.type, digest, sig.value);
        if (named && verifies) {
            c.verdict = SignatureVerdict::Valid;
            c.matchedKey = int(i);
            c.keyHashMatched = true;
            c.detail = c.algorithm + QStringLiteral(", %1 matches the given key").arg(refName);
            return c;
        }
        if (named && refMatch < 0)
            refMatch = int(i);
        if (verifies && verifiesWith < 0)
            verifiesWith = int(i);
    }
    c.verdict = SignatureVerdict::Invalid;
    c.keyHashMatched = refMatch >= 0;
    if (candidates == 0)
        c.detail = c.algorithm + QStringLiteral(", none of the given keys is a %1 key").arg(c.algorithm);
    else if (verifiesWith >= 0 && ref)
        c.detail = c.algorithm + QStringLiteral(", verifies with a given key but the %1 does not name it: MCUboot would not "
                                                "find the key and ignores this signature").arg(refName);
    else if (verifiesWith >= 0)
        c.detail = c.algorithm + QStringLiteral(", verifies with a given key but no KEYHASH or PUBKEY TLV precedes it: "
                                                "MCUboot would not find the key and ignores this signature");
    else if (refMatch >= 0)
        c.detail = c.algorithm + QStringLiteral(", %1 matches the given key but the signature does not verify").arg(refName);
    else
        c.detail = c.algorithm + QStringLiteral(", %1 matches none of the given keys and the signature does not verify").arg(refName);
    return c;
}

} // namespace

VerifyReport verifyImage(const McubootImage& image, const std::vector<crypto::PKey>& keys, const QByteArray* plaintext)
{
    VerifyReport r;
    const auto& tlvs = image.unprotectedTlvs.tlvs;
    for (std::size_t i = 0; i < tlvs.size(); ++i)
        if (tlvs[i].type == TlvSha256) {
            r.hash.present = true;
            r.hash.tlvIndex = int(i);
            r.hash.offset = tlvs[i].offset;
            r.hash.expected = tlvs[i].value;
            break;
        }
    const QByteArray* source = image.isEncrypted() ? plaintext : &image.bytes;
    if (source && source->size() >= image.hashedEnd()) {
        r.hash.computed = sha256(QByteArrayView(*source).first(image.hashedEnd()));
        r.hash.checked = r.hash.present;
        r.hash.valid = r.hash.present && r.hash.computed == r.hash.expected;
    }
    const QByteArray digest = r.hash.checked ? r.hash.computed : r.hash.expected;

    const Tlv* ref = nullptr;
    for (std::size_t i = 0; i < tlvs.size(); ++i) {
        const Tlv& t = tlvs[i];
        if (t.type == TlvKeyHash || t.type == TlvPubKey)
            ref = &t;
        else if (isSignatureTlv(t.type)) {
            r.signatures.push_back(checkSignature(t, int(i), ref, digest, keys));
            ref = nullptr;
        }
    }
    return r;
}

} // namespace otalab::core::mcuboot
