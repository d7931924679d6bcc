// SPDX-License-Identifier: Apache-2.0
// A throw-away PKI for TLS tests (OpenSSL 3).
#include "test_pki.h"

#include <QDir>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace otalab::testing {

namespace {

struct KeyFree { void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); } };
struct CertFree { void operator()(X509* cert) const { X509_free(cert); } };
struct BioFree { void operator()(BIO* bio) const { BIO_free(bio); } };
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CertPtr = std::unique_ptr<X509, CertFree>;

QString lastOpensslError(const char* what)
{
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    return QStringLiteral("%1 failed: %2").arg(QLatin1String(what), QLatin1String(text));
}

bool addExtension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    if (extension == nullptr)
        return false;
    const bool ok = X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return ok;
}

// A certificate for `key` named `commonName`, signed by issuerKey (self-signed when issuer is null).
Result<CertPtr> makeCertificate(EVP_PKEY* key, const QString& commonName, long serial, X509* issuer,
                                EVP_PKEY* issuerKey, const char* keyUsage, const char* extendedUsage,
                                const char* altNames)
{
    CertPtr cert(X509_new());
    if (!cert)
        return fail(lastOpensslError("X509_new"));
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    const QByteArray cn = commonName.toUtf8();
    X509_NAME* subject = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("OTA Lab tests"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.constData()), -1, -1, 0);
    X509* signer = issuer != nullptr ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    const bool ca = issuer == nullptr;
    bool ok = addExtension(cert.get(), signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE")
           && addExtension(cert.get(), signer, NID_key_usage, keyUsage)
           && addExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (ok && !ca)
        ok = addExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    if (ok && extendedUsage != nullptr)
        ok = addExtension(cert.get(), signer, NID_ext_key_usage, extendedUsage);
    if (ok && altNames != nullptr)
        ok = addExtension(cert.get(), signer, NID_subject_alt_name, altNames);
    if (!ok)
        return fail(lastOpensslError("adding an X.509 extension"));
    if (X509_sign(cert.get(), issuerKey != nullptr ? issuerKey : key, EVP_sha256()) == 0)
        return fail(lastOpensslError("X509_sign"));
    return cert;
}

Result<void> writePem(const PemFiles& files, X509* cert, EVP_PKEY* key)
{
    std::unique_ptr<BIO, BioFree> certOut(BIO_new_file(QFile::encodeName(files.certFile).constData(), "w"));
    if (!certOut || PEM_write_bio_X509(certOut.get(), cert) != 1)
        return fail(QStringLiteral("cannot write %1").arg(files.certFile));
    std::unique_ptr<BIO, BioFree> keyOut(BIO_new_file(QFile::encodeName(files.keyFile).constData(), "w"));
    if (!keyOut || PEM_write_bio_PrivateKey(keyOut.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return fail(QStringLiteral("cannot write %1").arg(files.keyFile));
    return {};
}

} // namespace

struct TestPki::Keys {
    KeyPtr caKey;
    CertPtr caCert;
};

TestPki::TestPki(QString folder, std::unique_ptr<Keys> keys, PemFiles ca)
    : m_folder(std::move(folder)), m_keys(std::move(keys)), m_ca(std::move(ca))
{
}

TestPki::TestPki(TestPki&&) noexcept = default;
TestPki& TestPki::operator=(TestPki&&) noexcept = default;
TestPki::~TestPki() = default;

Result<TestPki> TestPki::create(const QString& folder, const QString& name)
{
    auto keys = std::make_unique<Keys>();
    keys->caKey.reset(EVP_EC_gen("P-256"));
    if (!keys->caKey)
        return fail(lastOpensslError("EVP_EC_gen"));
    auto cert = makeCertificate(keys->caKey.get(), QStringLiteral("OTA Lab test CA %1").arg(name), 1, nullptr, nullptr,
                                "critical,keyCertSign,cRLSign", nullptr, nullptr);
    if (!cert)
        return fail(cert.error());
    keys->caCert = std::move(*cert);
    const QDir dir(folder);
    PemFiles ca{dir.filePath(name + QStringLiteral(".pem")), dir.filePath(name + QStringLiteral(".key"))};
    if (auto ok = writePem(ca, keys->caCert.get(), keys->caKey.get()); !ok)
        return fail(ok.error());
    return TestPki(folder, std::move(keys), std::move(ca));
}

Result<PemFiles> TestPki::issueServer(const QString& name, const QString& altNames)
{
    return issue(QStringLiteral("localhost"), name, altNames);
}

Result<PemFiles> TestPki::issueClient(const QString& commonName, const QString& name)
{
    return issue(commonName, name.isEmpty() ? commonName : name, {});
}

Result<PemFiles> TestPki::issue(const QString& commonName, const QString& name, const QString& serverAltNames)
{
    const bool server = !serverAltNames.isEmpty();
    const QByteArray altNames = serverAltNames.toUtf8();
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key)
        return fail(lastOpensslError("EVP_EC_gen"));
    auto cert = makeCertificate(key.get(), commonName, m_serial++, m_keys->caCert.get(), m_keys->caKey.get(),
                                "critical,digitalSignature,keyAgreement", server ? "serverAuth" : "clientAuth",
                                server ? altNames.constData() : nullptr);
    if (!cert)
        return fail(cert.error());
    const QDir dir(m_folder);
    PemFiles files{dir.filePath(name + QStringLiteral(".crt")), dir.filePath(name + QStringLiteral(".key"))};
    if (auto ok = writePem(files, cert->get(), key.get()); !ok)
        return fail(ok.error());
    return files;
}

} // namespace otalab::testing
