// SPDX-License-Identifier: Apache-2.0
#include "core/awsota/codesigning.h"

#include "core/crypto/pkey.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace otalab::core::awsota {
namespace {

using crypto::KeyType;
using crypto::PKey;
using crypto::opensslError;

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
struct X509Free { void operator()(X509* x) const { X509_free(x); } };
struct SigFree { void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };
using X509Ptr = std::unique_ptr<X509, X509Free>;

Error failure(SignatureFailure kind, const QString& message)
{
    return Error::at(-1, signatureFailureName(kind), message);
}

Result<X509Ptr> readCertificate(const QByteArray& pem)
{
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        const QString why = opensslError();
        return fail(failure(SignatureFailure::BadCertificate,
                            QStringLiteral("not a PEM X.509 certificate (%1)").arg(why.isEmpty() ? QStringLiteral("no PEM block") : why)));
    }
    return cert;
}

struct PkeyFree { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The certificate's key when it is EC P-256. (Not through crypto::PKey: its constructor
// probes for private material, a PEM round trip that costs as much as the verification.)
Result<PkeyPtr> p256KeyOf(const X509Ptr& cert)
{
    PkeyPtr key(X509_get_pubkey(cert.get()));  // new reference
    if (!key)
        return fail(failure(SignatureFailure::BadCertificate, QStringLiteral("certificate has no readable public key (%1)").arg(opensslError())));
    char group[64] = {};
    size_t len = 0;
    const bool ec = EVP_PKEY_is_a(key.get(), "EC") == 1;
    const bool p256 = ec && EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) == 1
                   && (qstrcmp(group, "prime256v1") == 0 || qstrcmp(group, "P-256") == 0);
    ERR_clear_error();
    if (!p256)
        return fail(failure(SignatureFailure::NotP256,
                            QStringLiteral("certificate key is %1 (expected EC P-256, as the FreeRTOS OTA agent verifies)")
                                .arg(ec ? QStringLiteral("EC %1").arg(QLatin1String(group)) : QLatin1String(EVP_PKEY_get0_type_name(key.get())))));
    return key;
}

// Strict DER: one ECDSA-Sig-Value, nothing after it, minimal encoding.
Result<void> checkDer(const QByteArray& der)
{
    if (der.isEmpty())
        return fail(failure(SignatureFailure::MalformedSignature, QStringLiteral("empty signature")));
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &p, long(der.size())));
    ERR_clear_error();
    if (!sig)
        return fail(failure(SignatureFailure::MalformedSignature,
                            QStringLiteral("%1 bytes are not a DER ECDSA signature (SEQUENCE of two INTEGERs)").arg(der.size())));
    const qsizetype used = qsizetype(p - reinterpret_cast<const unsigned char*>(der.constData()));
    if (used != der.size())
        return fail(failure(SignatureFailure::MalformedSignature,
                            QStringLiteral("%1 bytes after the DER signature").arg(der.size() - used)));
    unsigned char* re = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &re);
    const bool same = len == der.size() && memcmp(re, der.constData(), size_t(len)) == 0;
    OPENSSL_free(re);
    if (!same)
        return fail(failure(SignatureFailure::MalformedSignature, QStringLiteral("signature is BER, not minimal DER")));
    return {};
}

Result<void> verifyDigest(const unsigned char* digest, unsigned digestLen, const QByteArray& der, const QByteArray& certificatePem)
{
    auto cert = readCertificate(certificatePem);
    if (!cert)
        return fail(cert.error());
    auto key = p256KeyOf(*cert);
    if (!key)
        return fail(key.error());
    if (auto ok = checkDer(der); !ok)
        return ok;
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(key->get(), nullptr));
    if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1)
        return fail(failure(SignatureFailure::BadCertificate, QStringLiteral("cannot verify with this key: %1").arg(opensslError())));
    const int rc = EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(der.constData()), size_t(der.size()),
                                   digest, digestLen);
    ERR_clear_error();
    if (rc == 1)
        return {};
    return fail(failure(SignatureFailure::Mismatch,
                        QStringLiteral("signature does not verify: the file is not the one signed, or the certificate "
                                       "is not the signer's")));
}

} // namespace

QString signatureFailureName(SignatureFailure kind)
{
    switch (kind) {
    case SignatureFailure::Mismatch: return QStringLiteral("signature-mismatch");
    case SignatureFailure::MalformedSignature: return QStringLiteral("malformed-signature");
    case SignatureFailure::BadCertificate: return QStringLiteral("bad-certificate");
    case SignatureFailure::NotP256: return QStringLiteral("not-p256");
    case SignatureFailure::KeyMismatch: return QStringLiteral("key-certificate-mismatch");
    }
    return {};
}

std::optional<SignatureFailure> signatureFailureOf(const Error& error)
{
    for (auto k : {SignatureFailure::Mismatch, SignatureFailure::MalformedSignature, SignatureFailure::BadCertificate,
                   SignatureFailure::NotP256, SignatureFailure::KeyMismatch})
        if (error.field == signatureFailureName(k))
            return k;
    return std::nullopt;
}

Result<QByteArray> signFile(const QByteArray& file, const QByteArray& privateKeyPem)
{
    auto key = PKey::fromPem(privateKeyPem);
    if (!key)
        return fail(key.error());
    if (!key->hasPrivate())
        return fail(QStringLiteral("the key is a public key (signing needs the private key)"));
    auto type = key->type();
    if (!type || *type != KeyType::EcdsaP256)
        return fail(failure(SignatureFailure::NotP256, QStringLiteral("signing key is %1 (expected EC P-256)")
                                                           .arg(type ? crypto::keyTypeName(*type) : type.error().message)));
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> guard(ctx, &EVP_MD_CTX_free);
    size_t len = 0;
    if (!ctx || EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key->get()) != 1
        || EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(file.constData()), size_t(file.size())) != 1)
        return fail(QStringLiteral("cannot sign: %1").arg(opensslError()));
    QByteArray sig(qsizetype(len), Qt::Uninitialized);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(file.constData()), size_t(file.size())) != 1)
        return fail(QStringLiteral("cannot sign: %1").arg(opensslError()));
    sig.resize(qsizetype(len));
    return sig;
}

Result<void> verifyFileSignature(const QByteArray& file, const QByteArray& derSignature, const QByteArray& certificatePem)
{
    FileSignatureVerifier verifier;
    verifier.update(file);
    return verifier.finish(derSignature, certificatePem);
}

Result<void> checkKeyMatchesCertificate(const QByteArray& privateKeyPem, const QByteArray& certificatePem)
{
    auto key = PKey::fromPem(privateKeyPem);
    if (!key)
        return fail(key.error());
    auto cert = readCertificate(certificatePem);
    if (!cert)
        return fail(cert.error());
    auto certKey = p256KeyOf(*cert);
    if (!certKey)
        return fail(certKey.error());
    if (EVP_PKEY_eq(key->get(), certKey->get()) != 1)
        return fail(failure(SignatureFailure::KeyMismatch, QStringLiteral("the private key does not belong to the certificate")));
    return {};
}

Result<CodeSigningIdentity> makeTestIdentity(const QString& commonName)
{
    if (commonName.isEmpty() || commonName.toUtf8().size() > 64)
        return fail(Error::at(-1, QStringLiteral("commonName"), QStringLiteral("expected 1..64 bytes (X.520 ub-common-name)")));
    auto key = PKey::generate(KeyType::EcdsaP256);
    if (!key)
        return fail(key.error());
    X509Ptr cert(X509_new());
    const auto opensslFail = [](const char* what) {
        return fail(QStringLiteral("cannot build the test certificate (%1): %2").arg(QLatin1String(what), opensslError()));
    };
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        return opensslFail("version");
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return opensslFail("serial");
    serial[0] &= 0x7F;  // positive INTEGER
    serial[0] |= 0x40;  // and 16 bytes long
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    const bool serialOk = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    if (!serialOk)
        return opensslFail("serial");
    // Fixed validity: the verifier ignores dates, and core reads no clock.
    if (ASN1_TIME_set_string_X509(X509_getm_notBefore(cert.get()), "20240101000000Z") != 1
        || ASN1_TIME_set_string_X509(X509_getm_notAfter(cert.get()), "20491231235959Z") != 1)
        return opensslFail("validity");
    X509_NAME* name = X509_get_subject_name(cert.get());
    const QByteArray cn = commonName.toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.constData()),
                                   int(cn.size()), -1, 0) != 1
        || X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("OTA Lab TEST ONLY"),
                                      -1, -1, 0) != 1
        || X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key->get()) != 1)
        return opensslFail("name/key");
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
    const std::pair<int, const char*> extensions[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature"},
        {NID_ext_key_usage, "codeSigning"},
        {NID_subject_key_identifier, "hash"},
    };
    for (const auto& [nid, value] : extensions) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
        const bool ok = ext && X509_add_ext(cert.get(), ext, -1) == 1;
        X509_EXTENSION_free(ext);
        if (!ok)
            return opensslFail("extensions");
    }
    if (X509_sign(cert.get(), key->get(), EVP_sha256()) <= 0)
        return opensslFail("sign");
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert.get());
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return CodeSigningIdentity{key->privatePem(), QByteArray(data, int(len))};
}

void FileSignatureVerifier::Free::operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }

FileSignatureVerifier::FileSignatureVerifier() : m_ctx(EVP_MD_CTX_new())
{
    if (m_ctx)
        EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr);
}

FileSignatureVerifier::~FileSignatureVerifier() = default;
FileSignatureVerifier::FileSignatureVerifier(FileSignatureVerifier&&) noexcept = default;
FileSignatureVerifier& FileSignatureVerifier::operator=(FileSignatureVerifier&&) noexcept = default;

void FileSignatureVerifier::update(const QByteArray& bytes) { update(bytes.constData(), bytes.size()); }

void FileSignatureVerifier::update(const char* data, qsizetype size)
{
    if (!m_ctx || m_finished || size <= 0)
        return;
    EVP_DigestUpdate(m_ctx.get(), data, size_t(size));
    m_bytes += size;
}

Result<void> FileSignatureVerifier::finish(const QByteArray& derSignature, const QByteArray& certificatePem)
{
    if (!m_ctx)
        return fail(QStringLiteral("verifier has no digest context (out of memory)"));
    if (m_finished)
        return fail(QStringLiteral("verifier already finished"));
    m_finished = true;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (EVP_DigestFinal_ex(m_ctx.get(), digest, &len) != 1)
        return fail(QStringLiteral("cannot hash: %1").arg(opensslError()));
    return verifyDigest(digest, len, derSignature, certificatePem);
}

} // namespace otalab::core::awsota
