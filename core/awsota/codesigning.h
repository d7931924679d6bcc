// SPDX-License-Identifier: Apache-2.0
// Code signing as AWS Signer / Code Signing for FreeRTOS does it for the OTA agent:
// ECDSA P-256 over SHA-256 of the whole file, ASN.1 DER signature (base64 in the job
// document's "sig-sha256-ecdsa"), checked with the public key of a PEM X.509 certificate
// (the job's "certfile"). OpenSSL 3 EVP / X509. Any thread (no shared state).
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <optional>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace otalab::core::awsota {

// Distinct failure kinds of a verification (Error::field carries kindName()).
enum class SignatureFailure {
    Mismatch,           // a well-formed signature that does not verify: other bytes, or another key
    MalformedSignature, // not an ASN.1 DER ECDSA-Sig-Value
    BadCertificate,     // not a PEM X.509 certificate
    NotP256,            // the certificate's (or signing) key is not an EC P-256 key
    KeyMismatch,        // checkKeyMatchesCertificate: the private key is not the certificate's
};
QString signatureFailureName(SignatureFailure kind);  // "mismatch", "malformed-signature", ...
// The kind of an error returned by verifyFileSignature / FileSignatureVerifier::finish.
std::optional<SignatureFailure> signatureFailureOf(const Error& error);

// Signs SHA-256(file) with a P-256 private key (PEM, PKCS#8 or SEC1). Returns DER
// (an ECDSA signature is randomised: two calls give different, equally valid bytes).
Result<QByteArray> signFile(const QByteArray& file, const QByteArray& privateKeyPem);

// Verifies a DER signature over the whole file against the certificate's public key.
// Only the key is used (the FreeRTOS PAL checks neither the validity dates nor a chain).
// A signature over other bytes and a certificate of another key fail alike (Mismatch):
// ECDSA cannot tell them apart; checkKeyMatchesCertificate catches the second at signing.
Result<void> verifyFileSignature(const QByteArray& file, const QByteArray& derSignature,
                                 const QByteArray& certificatePem);

// A test signing identity: a fresh P-256 key and a self-signed X.509 v3 certificate
// (CN = commonName, valid 2024-01-01..2049-12-31 — fixed dates, core reads no clock — keyUsage digitalSignature, extendedKeyUsage codeSigning,
// as the AWS docs ask of code-signing certificates). TEST ONLY: nothing protects the key.
struct CodeSigningIdentity {
    QByteArray privateKeyPem;   // PKCS#8
    QByteArray certificatePem;
};
Result<CodeSigningIdentity> makeTestIdentity(const QString& commonName);

// Checks that a private key and a certificate belong together (same public key).
Result<void> checkKeyMatchesCertificate(const QByteArray& privateKeyPem, const QByteArray& certificatePem);

// Streaming verification for big files: update() with the file's bytes in order, then
// finish() once. finish() after finish() fails.
class FileSignatureVerifier {
public:
    FileSignatureVerifier();
    ~FileSignatureVerifier();
    FileSignatureVerifier(FileSignatureVerifier&&) noexcept;
    FileSignatureVerifier& operator=(FileSignatureVerifier&&) noexcept;

    void update(const QByteArray& bytes);
    void update(const char* data, qsizetype size);
    qint64 bytesHashed() const { return m_bytes; }
    Result<void> finish(const QByteArray& derSignature, const QByteArray& certificatePem);

private:
    struct Free { void operator()(EVP_MD_CTX* c) const; };
    std::unique_ptr<EVP_MD_CTX, Free> m_ctx;
    qint64 m_bytes = 0;
    bool m_finished = false;
};

} // namespace otalab::core::awsota
