// SPDX-License-Identifier: Apache-2.0
// The two Zigbee Smart Energy ECDSA crypto suites as they appear in OTA files.
#pragma once

#include "core/common/error.h"
#include "core/crypto/pkey.h"

#include <QString>
#include <cstdint>
#include <optional>

namespace otalab::core::zigbee {

enum class CryptoSuite { Suite1, Suite2 };

struct CryptoSuiteInfo {
    CryptoSuite suite;
    crypto::KeyType keyType;       // Sect163k1 / Sect283k1
    std::uint16_t signatureTag;    // 0x0001 / 0x0005
    std::uint16_t certificateTag;  // 0x0002 / 0x0006
    int scalarSize;                // r and s width, big-endian: 21 / 36 bytes
    int certificateSize;           // 48 / 74 bytes
    const char* name;              // "crypto suite 1 (sect163k1)"

    int signatureSize() const { return 2 * scalarSize; }           // r‖s: 42 / 72 (the digest stops here)
    int signatureElementDataSize() const { return 8 + signatureSize(); }  // signer IEEE + r‖s: 50 / 80
};

const CryptoSuiteInfo& suiteInfo(CryptoSuite suite);
std::optional<CryptoSuite> suiteForSignatureTag(std::uint16_t tag);
std::optional<CryptoSuite> suiteForCertificateTag(std::uint16_t tag);
// sect163k1 → suite 1, sect283k1 → suite 2; any other key fails.
Result<CryptoSuite> suiteForKey(const crypto::PKey& key);

// Short stable key identity for messages: first 8 bytes of SHA-256(SubjectPublicKeyInfo DER), hex.
QString keyFingerprint(const crypto::PKey& key);

} // namespace otalab::core::zigbee
