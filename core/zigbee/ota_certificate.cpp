// SPDX-License-Identifier: Apache-2.0
// Certificate-shaped blobs for OTA signing certificates.
#include "core/zigbee/ota_certificate.h"

#include "core/zigbee/eui64.h"

#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <memory>

namespace otalab::core::zigbee {

const std::vector<CertificateField>& certificateLayout(CryptoSuite suite)
{
    static const std::vector<CertificateField> cs1 = {
        {QStringLiteral("publicKey"), QStringLiteral("Public reconstruction point (compressed)"), 0, 22},
        {QStringLiteral("subject"), QStringLiteral("Subject IEEE"), 22, 8},
        {QStringLiteral("issuer"), QStringLiteral("Issuer IEEE"), 30, 8},
        {QStringLiteral("profileData"), QStringLiteral("Profile attribute data"), 38, 10},
    };
    static const std::vector<CertificateField> cs2 = {
        {QStringLiteral("type"), QStringLiteral("Certificate type"), 0, 1},
        {QStringLiteral("serial"), QStringLiteral("Serial number"), 1, 8},
        {QStringLiteral("curve"), QStringLiteral("Curve"), 9, 1},
        {QStringLiteral("hash"), QStringLiteral("Hash"), 10, 1},
        {QStringLiteral("issuer"), QStringLiteral("Issuer IEEE"), 11, 8},
        {QStringLiteral("validFrom"), QStringLiteral("Valid from"), 19, 5},
        {QStringLiteral("validTo"), QStringLiteral("Valid to"), 24, 4},
        {QStringLiteral("subject"), QStringLiteral("Subject IEEE"), 28, 8},
        {QStringLiteral("keyUsage"), QStringLiteral("Key usage"), 36, 1},
        {QStringLiteral("publicKey"), QStringLiteral("Public reconstruction point (compressed)"), 37, 37},
    };
    return suite == CryptoSuite::Suite1 ? cs1 : cs2;
}

namespace {

const CertificateField* fieldNamed(CryptoSuite suite, const char* name)
{
    for (const CertificateField& f : certificateLayout(suite))
        if (f.name == QLatin1String(name))
            return &f;
    return nullptr;
}

void put(QByteArray& cert, CryptoSuite suite, const char* name, const QByteArray& value)
{
    const CertificateField* f = fieldNamed(suite, name);
    cert.replace(f->offset, f->size, value.left(f->size).leftJustified(f->size, '\0'));
}

std::uint64_t euiField(CryptoSuite suite, QByteArrayView cert, const char* name)
{
    const CertificateField* f = fieldNamed(suite, name);
    return cert.size() >= f->offset + 8 ? eui64FromBigEndian(cert.sliced(f->offset, 8)) : 0;
}

} // namespace

QByteArray compressedPublicKey(const crypto::PKey& key)
{
    // Re-encode the uncompressed point with the curve's group (binary curves compress by
    // the low bit of y/x, so this is left to OpenSSL).
    auto type = key.type();
    const QByteArray raw = key.publicRaw();
    if (!type || raw.isEmpty())
        return {};
    const int nid = *type == crypto::KeyType::Sect163k1 ? NID_sect163k1
                  : *type == crypto::KeyType::Sect283k1 ? NID_sect283k1
                  : *type == crypto::KeyType::EcdsaP256 ? NID_X9_62_prime256v1 : NID_undef;
    if (nid == NID_undef)
        return {};
    std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> group(EC_GROUP_new_by_curve_name(nid), &EC_GROUP_free);
    std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)> point(group ? EC_POINT_new(group.get()) : nullptr, &EC_POINT_free);
    if (!point
        || EC_POINT_oct2point(group.get(), point.get(), reinterpret_cast<const unsigned char*>(raw.constData()), size_t(raw.size()), nullptr) != 1)
        return {};
    const size_t len = EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_COMPRESSED, nullptr, 0, nullptr);
    QByteArray out(qsizetype(len), '\0');
    if (len == 0
        || EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_COMPRESSED, reinterpret_cast<unsigned char*>(out.data()), len, nullptr) != len)
        return {};
    return out;
}

Result<QByteArray> makeCertificate(CryptoSuite suite, const crypto::PKey& signer, std::uint64_t subject, std::uint64_t issuer)
{
    const CryptoSuiteInfo& info = suiteInfo(suite);
    auto keySuite = suiteForKey(signer);
    if (!keySuite)
        return fail(keySuite.error());
    if (*keySuite != suite)
        return fail(QStringLiteral("%1 needs a %2 key").arg(QLatin1String(info.name), crypto::keyTypeName(info.keyType)));
    const QByteArray point = compressedPublicKey(signer);
    if (point.size() != fieldNamed(suite, "publicKey")->size)
        return fail(QStringLiteral("cannot encode the %1 public key compressed (%2 bytes): %3")
                        .arg(crypto::keyTypeName(info.keyType)).arg(point.size()).arg(crypto::opensslError()));
    QByteArray cert(info.certificateSize, '\0');
    put(cert, suite, "publicKey", point);
    put(cert, suite, "subject", eui64BigEndian(subject));
    put(cert, suite, "issuer", eui64BigEndian(issuer));
    if (suite == CryptoSuite::Suite2) {
        // Constant fields of the Smart Energy 283k1 profile as OTA Lab writes them. Only the
        // offsets are checked against a public source (Silicon Labs); the values are the
        // lab's choice, not read by any verifier here.
        put(cert, suite, "type", QByteArray(1, '\x00'));       // implicit certificate
        put(cert, suite, "serial", eui64BigEndian(subject));   // lab choice: serial = subject
        put(cert, suite, "curve", QByteArray(1, '\x0d'));      // sect283k1
        put(cert, suite, "hash", QByteArray(1, '\x08'));       // AES-MMO
        put(cert, suite, "validFrom", QByteArray(5, '\0'));
        put(cert, suite, "validTo", QByteArray(4, '\xff'));    // no expiry
        put(cert, suite, "keyUsage", QByteArray(1, '\x88'));   // key agreement + digital signature
    }
    return cert;
}

std::uint64_t certificateSubject(CryptoSuite suite, QByteArrayView cert) { return euiField(suite, cert, "subject"); }
std::uint64_t certificateIssuer(CryptoSuite suite, QByteArrayView cert) { return euiField(suite, cert, "issuer"); }

} // namespace otalab::core::zigbee
