// SPDX-License-Identifier: Apache-2.0
// Code signing as AWS Signer does it for FreeRTOS OTA: ECDSA P-256 over SHA-256 of the
// whole file, DER signature, checked with a PEM certificate's key; each failure kind.
#include "core/awsota/codesigning.h"

#include "core/crypto/pkey.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

using namespace otalab::core::awsota;

namespace {

QByteArray image(int n, int seed = 1)
{
    QByteArray b(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        b[i] = char((i * 131 + seed * 7) & 0xFF);
    return b;
}

const CodeSigningIdentity& identity()
{
    static const CodeSigningIdentity id = *makeTestIdentity(QStringLiteral("OTA Lab test signer"));
    return id;
}

std::optional<SignatureFailure> kindOf(const otalab::Result<void>& r)
{
    return r ? std::nullopt : signatureFailureOf(r.error());
}

} // namespace

TEST(AwsOtaSigning, SignVerifyRoundTrip)
{
    const QByteArray file = image(10000);
    auto sig = signFile(file, identity().privateKeyPem);
    ASSERT_TRUE(sig.has_value()) << sig.error().toString().toStdString();
    EXPECT_EQ(quint8((*sig)[0]), 0x30);
    EXPECT_GE(sig->size(), 8);
    EXPECT_LE(sig->size(), 72);
    auto ok = verifyFileSignature(file, *sig, identity().certificatePem);
    EXPECT_TRUE(ok.has_value()) << ok.error().toString().toStdString();
    // Empty file too (SHA-256 of nothing).
    auto empty = signFile({}, identity().privateKeyPem);
    ASSERT_TRUE(empty.has_value());
    EXPECT_TRUE(verifyFileSignature({}, *empty, identity().certificatePem).has_value());
}

TEST(AwsOtaSigning, OpenSslCommandLineStyleSignatureVerifies)
{
    // A signature made with plain EVP_DigestSign (what `openssl dgst -sha256 -sign` does)
    // is what the job carries: verify one made outside signFile.
    const QByteArray file = image(5000, 3);
    auto key = otalab::core::crypto::PKey::fromPem(identity().privateKeyPem);
    ASSERT_TRUE(key.has_value());
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 128;
    QByteArray sig(128, Qt::Uninitialized);
    ASSERT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key->get()), 1);
    ASSERT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                             reinterpret_cast<const unsigned char*>(file.constData()), size_t(file.size())), 1);
    EVP_MD_CTX_free(ctx);
    sig.resize(qsizetype(len));
    EXPECT_TRUE(verifyFileSignature(file, sig, identity().certificatePem).has_value());
}

TEST(AwsOtaSigning, SignatureOverOtherBytesIsAMismatch)
{
    const QByteArray file = image(4096);
    const QByteArray sig = *signFile(file, identity().privateKeyPem);
    QByteArray flipped = file;
    flipped[4000] = char(flipped[4000] ^ 0x01);
    EXPECT_EQ(kindOf(verifyFileSignature(flipped, sig, identity().certificatePem)), SignatureFailure::Mismatch);
    EXPECT_EQ(kindOf(verifyFileSignature(file.left(4095), sig, identity().certificatePem)), SignatureFailure::Mismatch);
    EXPECT_EQ(kindOf(verifyFileSignature(file + '\0', sig, identity().certificatePem)), SignatureFailure::Mismatch);
}

TEST(AwsOtaSigning, CertificateOfAnotherKeyIsAMismatch)
{
    const QByteArray file = image(4096);
    const QByteArray sig = *signFile(file, identity().privateKeyPem);
    auto other = makeTestIdentity(QStringLiteral("someone else"));
    ASSERT_TRUE(other.has_value());
    auto r = verifyFileSignature(file, sig, other->certificatePem);
    EXPECT_EQ(kindOf(r), SignatureFailure::Mismatch);
    // At signing time the pairing is checked on its own, with a distinct kind.
    EXPECT_TRUE(checkKeyMatchesCertificate(identity().privateKeyPem, identity().certificatePem).has_value());
    auto pair = checkKeyMatchesCertificate(identity().privateKeyPem, other->certificatePem);
    ASSERT_FALSE(pair.has_value());
    EXPECT_EQ(signatureFailureOf(pair.error()), SignatureFailure::KeyMismatch);
}

TEST(AwsOtaSigning, MalformedDerIsItsOwnKind)
{
    const QByteArray file = image(100);
    const QByteArray sig = *signFile(file, identity().privateKeyPem);
    const QByteArray cert = identity().certificatePem;
    EXPECT_EQ(kindOf(verifyFileSignature(file, {}, cert)), SignatureFailure::MalformedSignature);
    EXPECT_EQ(kindOf(verifyFileSignature(file, sig.left(sig.size() - 1), cert)), SignatureFailure::MalformedSignature);
    EXPECT_EQ(kindOf(verifyFileSignature(file, sig + '\0', cert)), SignatureFailure::MalformedSignature);
    EXPECT_EQ(kindOf(verifyFileSignature(file, QByteArray(64, 'x'), cert)), SignatureFailure::MalformedSignature);
    // Raw r‖s (64 bytes, as some tools emit) is not DER.
    EXPECT_EQ(kindOf(verifyFileSignature(file, QByteArray(64, '\x30'), cert)), SignatureFailure::MalformedSignature);
    // BER long-form length where DER needs the short form.
    QByteArray ber = sig;
    ber.insert(1, char(0x81));
    EXPECT_EQ(kindOf(verifyFileSignature(file, ber, cert)), SignatureFailure::MalformedSignature);
    // Well-formed but zero r and s: a mismatch, not a crash.
    EXPECT_NE(kindOf(verifyFileSignature(file, QByteArray::fromHex("3006020100020100"), cert)), std::nullopt);
}

TEST(AwsOtaSigning, CertificateProblemsAreTheirOwnKinds)
{
    const QByteArray file = image(100);
    const QByteArray sig = *signFile(file, identity().privateKeyPem);
    EXPECT_EQ(kindOf(verifyFileSignature(file, sig, {})), SignatureFailure::BadCertificate);
    EXPECT_EQ(kindOf(verifyFileSignature(file, sig, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")),
              SignatureFailure::BadCertificate);
    // A public key PEM is not a certificate.
    auto key = otalab::core::crypto::PKey::fromPem(identity().privateKeyPem);
    EXPECT_EQ(kindOf(verifyFileSignature(file, sig, key->publicPem())), SignatureFailure::BadCertificate);

    // A certificate whose key is Ed25519 (or P-384): not P-256.
    auto ed = otalab::core::crypto::PKey::generate(otalab::core::crypto::KeyType::Ed25519);
    ASSERT_TRUE(ed.has_value());
    X509* x = X509_new();
    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    ASN1_TIME_set_string_X509(X509_getm_notBefore(x), "20240101000000Z");
    ASN1_TIME_set_string_X509(X509_getm_notAfter(x), "20340101000000Z");
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("ed"), -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_set_pubkey(x, ed->get());
    ASSERT_GT(X509_sign(x, ed->get(), nullptr), 0);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, x);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    const QByteArray edCert(data, int(len));
    BIO_free(bio);
    X509_free(x);
    auto r = verifyFileSignature(file, sig, edCert);
    EXPECT_EQ(kindOf(r), SignatureFailure::NotP256) << r.error().toString().toStdString();

    // And signing refuses a key that is not P-256.
    auto edSign = signFile(file, ed->privatePem());
    ASSERT_FALSE(edSign.has_value());
    EXPECT_EQ(signatureFailureOf(edSign.error()), SignatureFailure::NotP256);
    EXPECT_FALSE(signFile(file, "not a key").has_value());
    EXPECT_FALSE(signFile(file, key->publicPem()).has_value());
}

TEST(AwsOtaSigning, TestIdentityIsACodeSigningCertificate)
{
    const CodeSigningIdentity& id = identity();
    EXPECT_TRUE(id.privateKeyPem.startsWith("-----BEGIN PRIVATE KEY-----"));
    EXPECT_TRUE(id.certificatePem.startsWith("-----BEGIN CERTIFICATE-----"));
    BIO* bio = BIO_new_mem_buf(id.certificatePem.constData(), int(id.certificatePem.size()));
    X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(X509_get_version(x), X509_VERSION_3);
    EXPECT_TRUE(X509_get_extension_flags(x) & EXFLAG_XKUSAGE);
    EXPECT_TRUE(X509_get_extended_key_usage(x) & XKU_CODE_SIGN);
    EXPECT_TRUE(X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE);
    char cn[128] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof cn);
    EXPECT_STREQ(cn, "OTA Lab test signer");
    EXPECT_EQ(X509_verify(x, X509_get0_pubkey(x)), 1);  // self-signed, signature valid
    X509_free(x);
    EXPECT_FALSE(makeTestIdentity({}).has_value());
    EXPECT_FALSE(makeTestIdentity(QString(65, u'x')).has_value());
}

TEST(AwsOtaSigning, StreamingVerifierEqualsOneShot)
{
    const QByteArray file = image(300000, 9);
    const QByteArray sig = *signFile(file, identity().privateKeyPem);
    FileSignatureVerifier v;
    for (qsizetype at = 0; at < file.size(); at += 4096)
        v.update(file.mid(at, 4096));
    EXPECT_EQ(v.bytesHashed(), file.size());
    EXPECT_TRUE(v.finish(sig, identity().certificatePem).has_value());
    EXPECT_FALSE(v.finish(sig, identity().certificatePem).has_value());  // once only

    FileSignatureVerifier bad;
    bad.update(file.left(299999));
    EXPECT_EQ(kindOf(bad.finish(sig, identity().certificatePem)), SignatureFailure::Mismatch);

    FileSignatureVerifier moved;
    moved.update(file.left(1000));
    FileSignatureVerifier target = std::move(moved);
    target.update(file.mid(1000));
    EXPECT_TRUE(target.finish(sig, identity().certificatePem).has_value());
}
