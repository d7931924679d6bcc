// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/pkey.h"

#include <QFile>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace otalab::core::crypto {
namespace {

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
using BioPtr = std::unique_ptr<BIO, BioFree>;

QByteArray drain(BIO* bio)
{
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(len));
}

const char* curveName(KeyType t)
{
    switch (t) {
    case KeyType::EcdsaP256: return "prime256v1";
    case KeyType::Sect163k1: return "sect163k1";
    case KeyType::Sect283k1: return "sect283k1";
    default: return nullptr;
    }
}

} // namespace

QString opensslError()
{
    QString text;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!text.isEmpty())
            text += QStringLiteral("; ");
        text += QString::fromLatin1(buf);
    }
    return text;
}

QString keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::EcdsaP256: return QStringLiteral("ecdsa-p256");
    case KeyType::Ed25519: return QStringLiteral("ed25519");
    case KeyType::Rsa2048: return QStringLiteral("rsa-2048");
    case KeyType::Rsa3072: return QStringLiteral("rsa-3072");
    case KeyType::X25519: return QStringLiteral("x25519");
    case KeyType::Sect163k1: return QStringLiteral("sect163k1");
    case KeyType::Sect283k1: return QStringLiteral("sect283k1");
    }
    return {};
}

Result<KeyType> keyTypeFromName(const QString& name)
{
    for (KeyType t : {KeyType::EcdsaP256, KeyType::Ed25519, KeyType::Rsa2048, KeyType::Rsa3072,
                      KeyType::X25519, KeyType::Sect163k1, KeyType::Sect283k1})
        if (keyTypeName(t) == name.toLower())
            return t;
    return fail(QStringLiteral("unknown key type '%1' (expected ecdsa-p256, ed25519, rsa-2048, "
                               "rsa-3072, x25519, sect163k1 or sect283k1)").arg(name));
}

void PKey::Free::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

PKey::PKey(EVP_PKEY* owned) : m_key(owned, Free{})
{
    // A key "has private" when OpenSSL can export private material from it.
    BioPtr bio(BIO_new(BIO_s_mem()));
    m_hasPrivate = owned && PEM_write_bio_PrivateKey(bio.get(), owned, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    ERR_clear_error();
}

Result<PKey> PKey::generate(KeyType type)
{
    EVP_PKEY* key = nullptr;
    switch (type) {
    case KeyType::EcdsaP256:
    case KeyType::Sect163k1:
    case KeyType::Sect283k1:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curveName(type));
        break;
    case KeyType::Ed25519: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    case KeyType::X25519: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"); break;
    case KeyType::Rsa2048: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)); break;
    case KeyType::Rsa3072: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(3072)); break;
    }
    if (!key)
        return fail(QStringLiteral("cannot generate a %1 key: %2").arg(keyTypeName(type), opensslError()));
    return PKey(key);
}

Result<PKey> PKey::fromPem(const QByteArray& pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    if (EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr))
        return PKey(key);
    ERR_clear_error();
    bio.reset(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    if (EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr))
        return PKey(key);
    const QString why = opensslError();
    return fail(QStringLiteral("not a PEM private or public key (%1)").arg(why.isEmpty() ? QStringLiteral("no PEM block") : why));
}

Result<PKey> PKey::fromFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read key file %1: %2").arg(path, f.errorString()));
    auto key = fromPem(f.readAll());
    if (!key)
        return fail(QStringLiteral("%1: %2").arg(path, key.error().message));
    return key;
}

Result<PKey> PKey::fromPublicDer(const QByteArray& der)
{
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    if (EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, long(der.size())))
        return PKey(key);
    return fail(QStringLiteral("not a DER SubjectPublicKeyInfo (%1)").arg(opensslError()));
}

Result<KeyType> PKey::type() const
{
    if (!m_key)
        return fail(QStringLiteral("no key"));
    EVP_PKEY* k = m_key.get();
    if (EVP_PKEY_is_a(k, "ED25519")) return KeyType::Ed25519;
    if (EVP_PKEY_is_a(k, "X25519")) return KeyType::X25519;
    if (EVP_PKEY_is_a(k, "RSA"))
        return EVP_PKEY_get_bits(k) == 3072 ? KeyType::Rsa3072 : KeyType::Rsa2048;
    if (EVP_PKEY_is_a(k, "EC")) {
        char name[64] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) == 1) {
            const QByteArray n(name, int(len));
            if (n == "prime256v1" || n == "P-256") return KeyType::EcdsaP256;
            if (n == "sect163k1") return KeyType::Sect163k1;
            if (n == "sect283k1") return KeyType::Sect283k1;
            return fail(QStringLiteral("unsupported EC curve %1").arg(QString::fromLatin1(n)));
        }
    }
    return fail(QStringLiteral("unsupported key algorithm"));
}

QByteArray PKey::privatePem() const
{
    if (!m_key || !m_hasPrivate)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    return drain(bio.get());
}

QByteArray PKey::publicPem() const
{
    if (!m_key)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PUBKEY(bio.get(), m_key.get());
    return drain(bio.get());
}

QByteArray PKey::publicDer() const
{
    if (!m_key)
        return {};
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(m_key.get(), &der);
    if (len <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char*>(der), len);
    OPENSSL_free(der);
    return out;
}

QByteArray PKey::publicRaw() const
{
    if (!m_key)
        return {};
    EVP_PKEY* k = m_key.get();
    if (EVP_PKEY_is_a(k, "RSA")) {
        unsigned char* der = nullptr;
        const int len = i2d_PublicKey(k, &der);
        if (len <= 0)
            return {};
        QByteArray out(reinterpret_cast<const char*>(der), len);
        OPENSSL_free(der);
        return out;
    }
    if (EVP_PKEY_is_a(k, "EC")) {
        // Ask for the uncompressed form explicitly (04 ‖ X ‖ Y).
        EVP_PKEY_set_utf8_string_param(k, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "uncompressed");
        size_t len = 0;
        EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0, &len);
        QByteArray out(qsizetype(len), '\0');
        EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY,
                                        reinterpret_cast<unsigned char*>(out.data()), len, &len);
        return out;
    }
    size_t len = 0;
    EVP_PKEY_get_raw_public_key(k, nullptr, &len);
    QByteArray out(qsizetype(len), '\0');
    EVP_PKEY_get_raw_public_key(k, reinterpret_cast<unsigned char*>(out.data()), &len);
    return out;
}

} // namespace otalab::core::crypto
