// SPDX-License-Identifier: Apache-2.0
// Certificate-shaped blobs for the OTA signing certificate elements (tags 0x0002 / 0x0006).
//
// Real files carry Zigbee Smart Energy implicit (ECQV) certificates: the signer's public key
// is reconstructed from the certificate and the CA's public key. OTA Lab has no CA, so:
// when signing it writes a blob with the certificate's layout whose public-key slot holds
// the signer's own compressed public key (not an ECQV reconstruction point), and
// verification never derives a key from a certificate — signatures are checked against
// the public keys the caller gives explicitly. The subject is still compared with the
// signer IEEE of the signature element, as Silicon Labs' OTA client does.
#pragma once

#include "core/common/error.h"
#include "core/crypto/pkey.h"
#include "core/zigbee/crypto_suite.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <vector>

namespace otalab::core::zigbee {

// One certificate field: offset/size within the certificate data.
struct CertificateField {
    QString name;   // "publicKey", "subject", "issuer", ...
    QString label;
    qint64 offset;
    qint64 size;
};

// Layouts (EUI64s big-endian):
//  suite 1, 48 B: publicKey/reconstruction point 22 (compressed sect163k1) | subject 8 |
//                 issuer 8 | profile attribute data 10
//  suite 2, 74 B: type 1 | serial 8 | curve 1 | hash 1 | issuer 8 | valid from 5 |
//                 valid to 4 | subject 8 | key usage 1 | publicKey 37 (compressed sect283k1)
// (subject at 22 / 28 and issuer at 30 / 11, as Silicon Labs' ota-client-signature-verify.c reads them).
const std::vector<CertificateField>& certificateLayout(CryptoSuite suite);

// The signer's certificate-shaped blob (see above). Fails if the key is not of the suite's curve.
Result<QByteArray> makeCertificate(CryptoSuite suite, const crypto::PKey& signer, std::uint64_t subject, std::uint64_t issuer);

// Subject / issuer of a certificate of the suite's size (0 when the data is too short).
std::uint64_t certificateSubject(CryptoSuite suite, QByteArrayView cert);
std::uint64_t certificateIssuer(CryptoSuite suite, QByteArrayView cert);

// The compressed public point of an EC key (1 + field size bytes), empty on failure.
QByteArray compressedPublicKey(const crypto::PKey& key);

} // namespace otalab::core::zigbee
