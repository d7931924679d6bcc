// SPDX-License-Identifier: Apache-2.0
// Crypto suite table (sizes from Silicon Labs ota-client-signature-verify.c: 42 / 72-byte
// signatures, 48 / 74-byte certificates).
#include "core/zigbee/crypto_suite.h"

#include "core/zigbee/ota_file.h"

#include <QCryptographicHash>

namespace otalab::core::zigbee {

const CryptoSuiteInfo& suiteInfo(CryptoSuite suite)
{
    static const CryptoSuiteInfo cs1{CryptoSuite::Suite1, crypto::KeyType::Sect163k1, tag::SignatureCs1, tag::CertificateCs1,
                                     21, 48, "crypto suite 1 (sect163k1)"};
    static const CryptoSuiteInfo cs2{CryptoSuite::Suite2, crypto::KeyType::Sect283k1, tag::SignatureCs2, tag::CertificateCs2,
                                     36, 74, "crypto suite 2 (sect283k1)"};
    return suite == CryptoSuite::Suite1 ? cs1 : cs2;
}

std::optional<CryptoSuite> suiteForSignatureTag(std::uint16_t t)
{
    if (t == tag::SignatureCs1)
        return CryptoSuite::Suite1;
    if (t == tag::SignatureCs2)
        return CryptoSuite::Suite2;
    return std::nullopt;
}

std::optional<CryptoSuite> suiteForCertificateTag(std::uint16_t t)
{
    if (t == tag::CertificateCs1)
        return CryptoSuite::Suite1;
    if (t == tag::CertificateCs2)
        return CryptoSuite::Suite2;
    return std::nullopt;
}

Result<CryptoSuite> suiteForKey(const crypto::PKey& key)
{
    auto type = key.type();
    if (type && *type == crypto::KeyType::Sect163k1)
        return CryptoSuite::Suite1;
    if (type && *type == crypto::KeyType::Sect283k1)
        return CryptoSuite::Suite2;
    return fail(QStringLiteral("Zigbee OTA signatures need a sect163k1 (crypto suite 1) or sect283k1 (crypto suite 2) key, not %1")
                    .arg(type ? crypto::keyTypeName(*type) : type.error().message));
}

QString keyFingerprint(const crypto::PKey& key)
{
    return QString::fromLatin1(QCryptographicHash::hash(key.publicDer(), QCryptographicHash::Sha256).left(8).toHex());
}

} // namespace otalab::core::zigbee
