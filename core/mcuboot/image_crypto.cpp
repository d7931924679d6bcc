// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/image_crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>

namespace otalab::core::mcuboot {
namespace {

using crypto::KeyType;
using crypto::PKey;
using crypto::opensslError;

struct CtxFree { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); } };
struct CipherCtxFree { void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); } };
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, CtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const unsigned char* u(const QByteArray& b) { return reinterpret_cast<const unsigned char*>(b.constData()); }
unsigned char* u(QByteArray& b) { return reinterpret_cast<unsigned char*>(b.data()); }

const char kEciesInfo[] = "MCUBoot_ECIES_v1";

Result<QByteArray> hkdfSha256(const QByteArray& ikm, int length)
{
    CtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
    QByteArray out(length, '\0');
    size_t len = size_t(length);
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) <= 0
        || EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), u(ikm), int(ikm.size())) <= 0
        || EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), reinterpret_cast<const unsigned char*>(kEciesInfo), int(sizeof kEciesInfo - 1)) <= 0
        || EVP_PKEY_derive(ctx.get(), u(out), &len) <= 0)
        return fail(QStringLiteral("HKDF-SHA256 failed: %1").arg(opensslError()));
    return out;
}

QByteArray hmacSha256(const QByteArray& key, const QByteArray& data)
{
    QByteArray out(32, '\0');
    unsigned int len = 32;
    HMAC(EVP_sha256(), key.constData(), int(key.size()), u(data), size_t(data.size()), u(out), &len);
    return out;
}

Result<QByteArray> ecdh(const PKey& priv, const PKey& peer)
{
    CtxPtr ctx(EVP_PKEY_CTX_new(priv.get(), nullptr));
    size_t len = 0;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) <= 0
        || EVP_PKEY_derive(ctx.get(), nullptr, &len) <= 0)
        return fail(QStringLiteral("ECDH failed: %1").arg(opensslError()));
    QByteArray out(qsizetype(len), '\0');
    if (EVP_PKEY_derive(ctx.get(), u(out), &len) <= 0)
        return fail(QStringLiteral("ECDH failed: %1").arg(opensslError()));
    out.resize(qsizetype(len));
    return out;
}

Result<PKey> p256PointToKey(const QByteArray& point)
{
    // Wrap the raw point in a SubjectPublicKeyInfo (fixed 26-byte P-256 prefix).
    static const unsigned char prefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
                                           0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,
                                           0x07, 0x03, 0x42, 0x00};
    if (point.size() != 65 || point[0] != 0x04)
        return fail(QStringLiteral("ephemeral key is not an uncompressed P-256 point"));
    return PKey::fromPublicDer(QByteArray(reinterpret_cast<const char*>(prefix), sizeof prefix) + point);
}

bool isType(const PKey& key, KeyType t)
{
    auto kt = key.type();
    return kt && *kt == t;
}

} // namespace

QByteArray sha256(QByteArrayView data)
{
    QByteArray out(32, '\0');
    EVP_Digest(data.data(), size_t(data.size()), u(out), nullptr, EVP_sha256(), nullptr);
    return out;
}

Result<QByteArray> keyHashInput(const PKey& key)
{
    auto type = key.type();
    if (!type)
        return fail(type.error());
    switch (*type) {
    case KeyType::EcdsaP256:
    case KeyType::Ed25519: return key.publicDer();
    case KeyType::Rsa2048:
    case KeyType::Rsa3072: return key.publicRaw();
    default: break;
    }
    return fail(QStringLiteral("%1 keys cannot sign MCUboot images (use ecdsa-p256, ed25519, rsa-2048 or rsa-3072)")
                    .arg(crypto::keyTypeName(*type)));
}

Result<QByteArray> keyHash(const PKey& key)
{
    auto input = keyHashInput(key);
    if (!input)
        return fail(input.error());
    return sha256(*input);
}

Result<PKey> publicKeyFromTlv(const QByteArray& value)
{
    if (auto spki = PKey::fromPublicDer(value))
        return spki;
    const unsigned char* p = u(value);
    if (EVP_PKEY* rsa = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, long(value.size())))
        return PKey(rsa);
    return fail(QStringLiteral("PUBKEY TLV is neither a DER SubjectPublicKeyInfo nor a PKCS#1 RSA key (%1)").arg(opensslError()));
}

Result<std::uint16_t> signatureTlvType(const PKey& key)
{
    auto type = key.type();
    if (!type)
        return fail(type.error());
    switch (*type) {
    case KeyType::EcdsaP256: return std::uint16_t(0x22);
    case KeyType::Ed25519: return std::uint16_t(0x24);
    case KeyType::Rsa2048:
    case KeyType::Rsa3072:
        // PKey reports any non-3072 RSA key as Rsa2048; MCUboot knows only these two sizes.
        if (EVP_PKEY_get_bits(key.get()) == 2048)
            return std::uint16_t(0x20);
        if (EVP_PKEY_get_bits(key.get()) == 3072)
            return std::uint16_t(0x23);
        return fail(QStringLiteral("RSA-%1 keys cannot sign MCUboot images (use 2048 or 3072 bits)").arg(EVP_PKEY_get_bits(key.get())));
    default: break;
    }
    return fail(QStringLiteral("%1 keys cannot sign MCUboot images (use ecdsa-p256, ed25519, rsa-2048 or rsa-3072)")
                    .arg(crypto::keyTypeName(*type)));
}

QString signatureAlgorithmName(std::uint16_t tlvType)
{
    switch (tlvType) {
    case 0x20: return QStringLiteral("RSA-2048-PSS");
    case 0x22: return QStringLiteral("ECDSA P-256");
    case 0x23: return QStringLiteral("RSA-3072-PSS");
    case 0x24: return QStringLiteral("Ed25519");
    default: break;
    }
    return QStringLiteral("signature type 0x%1").arg(tlvType, 2, 16, QLatin1Char('0'));
}

Result<QByteArray> signDigest(const PKey& key, const QByteArray& digest)
{
    if (!key.hasPrivate())
        return fail(QStringLiteral("signing needs a private key, this is a public key"));
    auto type = signatureTlvType(key);
    if (!type)
        return fail(type.error());
    if (*type == 0x24) {
        MdCtxPtr md(EVP_MD_CTX_new());
        size_t len = 64;
        QByteArray sig(64, '\0');
        if (!md || EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, key.get()) <= 0
            || EVP_DigestSign(md.get(), u(sig), &len, u(digest), size_t(digest.size())) <= 0)
            return fail(QStringLiteral("Ed25519 signing failed: %1").arg(opensslError()));
        return sig;
    }
    CtxPtr ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) <= 0)
        return fail(QStringLiteral("signing failed: %1").arg(opensslError()));
    if (*type == 0x20 || *type == 0x23) {
        if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) <= 0
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), 32) <= 0
            || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha256()) <= 0)
            return fail(QStringLiteral("RSA-PSS setup failed: %1").arg(opensslError()));
    }
    size_t len = 0;
    if (EVP_PKEY_sign(ctx.get(), nullptr, &len, u(digest), size_t(digest.size())) <= 0)
        return fail(QStringLiteral("signing failed: %1").arg(opensslError()));
    QByteArray sig(qsizetype(len), '\0');
    if (EVP_PKEY_sign(ctx.get(), u(sig), &len, u(digest), size_t(digest.size())) <= 0)
        return fail(QStringLiteral("signing failed: %1").arg(opensslError()));
    sig.resize(qsizetype(len));
    return sig;
}

bool verifyDigest(const PKey& key, std::uint16_t tlvType, const QByteArray& digest, const QByteArray& signature)
{
    auto keyType = signatureTlvType(key);
    if (!keyType || *keyType != tlvType || signature.isEmpty())
        return false;
    bool ok = false;
    if (tlvType == 0x24) {
        MdCtxPtr md(EVP_MD_CTX_new());
        ok = md && EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, key.get()) > 0
             && EVP_DigestVerify(md.get(), u(signature), size_t(signature.size()), u(digest), size_t(digest.size())) == 1;
    } else {
        QByteArray sig = signature;
        if (tlvType == 0x22 && sig.size() >= 2 && std::uint8_t(sig[1]) + 2 <= sig.size())
            sig.truncate(std::uint8_t(sig[1]) + 2);  // drop --pad-sig zeros, as imgtool's verify does
        CtxPtr ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
        ok = ctx && EVP_PKEY_verify_init(ctx.get()) > 0 && EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) > 0;
        if (ok && (tlvType == 0x20 || tlvType == 0x23))
            ok = EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) > 0
                 && EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), 32) > 0
                 && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha256()) > 0;
        ok = ok && EVP_PKEY_verify(ctx.get(), u(sig), size_t(sig.size()), u(digest), size_t(digest.size())) == 1;
    }
    opensslError();  // drain the queue: a failed verification is an answer, not an error
    return ok;
}

QByteArray randomBytes(int count)
{
    QByteArray out(count, '\0');
    RAND_bytes(u(out), count);
    return out;
}

Result<QByteArray> aesCtr(const QByteArray& key, const QByteArray& data)
{
    const EVP_CIPHER* cipher = key.size() == 16 ? EVP_aes_128_ctr() : key.size() == 32 ? EVP_aes_256_ctr() : nullptr;
    if (!cipher)
        return fail(QStringLiteral("AES key must be 16 or 32 bytes, got %1").arg(key.size()));
    static const unsigned char zeroIv[16] = {};
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray out(data.size(), '\0');
    int len = 0;
    int fin = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, u(key), zeroIv) <= 0
        || (!data.isEmpty() && EVP_EncryptUpdate(ctx.get(), u(out), &len, u(data), int(data.size())) <= 0)
        || EVP_EncryptFinal_ex(ctx.get(), u(out) + len, &fin) <= 0)
        return fail(QStringLiteral("AES-CTR failed: %1").arg(opensslError()));
    return out;
}

static Result<QByteArray> keyWrapOp(const QByteArray& kek, const QByteArray& in, bool wrap)
{
    const EVP_CIPHER* cipher = kek.size() == 16 ? EVP_aes_128_wrap() : kek.size() == 32 ? EVP_aes_256_wrap() : nullptr;
    if (!cipher)
        return fail(QStringLiteral("AES-KW key-encryption key must be 16 or 32 bytes, got %1").arg(kek.size()));
    if (in.size() < (wrap ? 16 : 24) || in.size() % 8 != 0)
        return fail(QStringLiteral("AES-KW input of %1 bytes is not a multiple of 8 of at least %2").arg(in.size()).arg(wrap ? 16 : 24));
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    QByteArray out(in.size() + 16, '\0');
    int len = 0;
    int fin = 0;
    const bool ok = wrap ? EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, u(kek), nullptr) > 0
                               && EVP_EncryptUpdate(ctx.get(), u(out), &len, u(in), int(in.size())) > 0
                               && EVP_EncryptFinal_ex(ctx.get(), u(out) + len, &fin) > 0
                         : EVP_DecryptInit_ex(ctx.get(), cipher, nullptr, u(kek), nullptr) > 0
                               && EVP_DecryptUpdate(ctx.get(), u(out), &len, u(in), int(in.size())) > 0
                               && EVP_DecryptFinal_ex(ctx.get(), u(out) + len, &fin) > 0;
    if (!ok) {
        const QString why = opensslError();
        return fail(wrap ? QStringLiteral("AES key wrap failed: %1").arg(why)
                         : QStringLiteral("AES key unwrap failed (wrong key-encryption key or corrupted TLV)"));
    }
    out.resize(len + fin);
    return out;
}

Result<QByteArray> aesKeyWrap(const QByteArray& kek, const QByteArray& key) { return keyWrapOp(kek, key, true); }
Result<QByteArray> aesKeyUnwrap(const QByteArray& kek, const QByteArray& wrapped) { return keyWrapOp(kek, wrapped, false); }

Result<QByteArray> eciesP256Wrap(const PKey& recipient, const QByteArray& imageKey)
{
    if (!isType(recipient, KeyType::EcdsaP256))
        return fail(QStringLiteral("ECIES-P256 needs a P-256 encryption key"));
    auto eph = PKey::generate(KeyType::EcdsaP256);
    if (!eph)
        return fail(eph.error());
    auto shared = ecdh(*eph, recipient);
    if (!shared)
        return fail(shared.error());
    const int keyLen = int(imageKey.size());
    auto derived = hkdfSha256(*shared, keyLen + 32);
    if (!derived)
        return fail(derived.error());
    auto cipherKey = aesCtr(derived->left(keyLen), imageKey);
    if (!cipherKey)
        return fail(cipherKey.error());
    const QByteArray mac = hmacSha256(derived->mid(keyLen), *cipherKey);
    return eph->publicRaw() + mac + *cipherKey;
}

Result<QByteArray> eciesP256Unwrap(const PKey& privateKey, const QByteArray& tlvValue)
{
    if (!isType(privateKey, KeyType::EcdsaP256) || !privateKey.hasPrivate())
        return fail(QStringLiteral("ECIES-P256 decryption needs a P-256 private key"));
    const int keyLen = int(tlvValue.size()) - 65 - 32;
    if (keyLen != 16 && keyLen != 32)
        return fail(QStringLiteral("ENC_EC256 TLV is %1 bytes, expected 113 (AES-128) or 129 (AES-256)").arg(tlvValue.size()));
    auto eph = p256PointToKey(tlvValue.left(65));
    if (!eph)
        return fail(eph.error());
    auto shared = ecdh(privateKey, *eph);
    if (!shared)
        return fail(shared.error());
    auto derived = hkdfSha256(*shared, keyLen + 32);
    if (!derived)
        return fail(derived.error());
    const QByteArray mac = tlvValue.mid(65, 32);
    const QByteArray cipherKey = tlvValue.mid(97);
    const QByteArray expected = hmacSha256(derived->mid(keyLen), cipherKey);
    if (CRYPTO_memcmp(expected.constData(), mac.constData(), 32) != 0)
        return fail(QStringLiteral("ECIES-P256 MAC mismatch: the image key was encrypted for another key"));
    return aesCtr(derived->left(keyLen), cipherKey);
}

} // namespace otalab::core::mcuboot
