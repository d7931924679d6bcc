// SPDX-License-Identifier: Apache-2.0
// Owning wrapper around an OpenSSL EVP_PKEY, with generation and PEM/DER I/O for
// every key type the image formats use.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QString>
#include <memory>

typedef struct evp_pkey_st EVP_PKEY;

namespace otalab::core::crypto {

enum class KeyType {
    EcdsaP256,  // MCUboot ECDSA P-256 signatures (TLV 0x22), ECIES-P256 encryption
    Ed25519,    // MCUboot Ed25519 signatures (TLV 0x24)
    Rsa2048,    // MCUboot RSA-2048-PSS signatures (TLV 0x20)
    Rsa3072,    // MCUboot RSA-3072-PSS signatures (TLV 0x23)
    X25519,     // MCUboot ECIES-X25519 encryption (TLV 0x33)
    Sect163k1,  // Zigbee crypto suite 1 (tag 0x0001)
    Sect283k1,  // Zigbee crypto suite 2 (tag 0x0005)
};

// Stable lower-case names used on the command line and in JSON:
// "ecdsa-p256", "ed25519", "rsa-2048", "rsa-3072", "x25519", "sect163k1", "sect283k1".
QString keyTypeName(KeyType type);
Result<KeyType> keyTypeFromName(const QString& name);

class PKey {
public:
    PKey() = default;
    explicit PKey(EVP_PKEY* owned);  // takes ownership

    static Result<PKey> generate(KeyType type);
    // Accepts a PEM private key (PKCS#8 or traditional) or a PEM public key.
    static Result<PKey> fromPem(const QByteArray& pem);
    static Result<PKey> fromFile(const QString& path);
    // DER SubjectPublicKeyInfo, as MCUboot's PUBKEY TLV and imgtool's getpub emit.
    static Result<PKey> fromPublicDer(const QByteArray& der);

    bool isNull() const { return !m_key; }
    bool hasPrivate() const { return m_hasPrivate; }
    Result<KeyType> type() const;
    EVP_PKEY* get() const { return m_key.get(); }

    QByteArray privatePem() const;    // PKCS#8 PEM; empty for a public-only key
    QByteArray publicPem() const;     // SubjectPublicKeyInfo PEM
    QByteArray publicDer() const;     // SubjectPublicKeyInfo DER
    // Raw public point/bytes: uncompressed EC point (04‖X‖Y), 32-byte Ed25519/X25519,
    // or the DER RSAPublicKey for RSA.
    QByteArray publicRaw() const;

private:
    struct Free { void operator()(EVP_PKEY* k) const; };
    std::shared_ptr<EVP_PKEY> m_key;
    bool m_hasPrivate = false;
};

// The last OpenSSL error as text (drains the error queue); "" when none.
QString opensslError();

} // namespace otalab::core::crypto
