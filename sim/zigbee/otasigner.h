// SPDX-License-Identifier: Apache-2.0
// SeededOtaSigner: a Zigbee OTA image signer whose key and signatures follow from the run seed.
#pragma once

#include "core/common/error.h"
#include "core/crypto/pkey.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>

namespace otalab::sim {

// Crypto suite 1 (sect163k1 ECDSA over the AES-MMO digest, core/zigbee/ota_signature.h).
// The private key is derived from (seed, purpose) and each ECDSA nonce from the key and the
// digest (the idea of RFC 6979, not its HMAC-DRBG), so the same seed gives the same signed
// bytes: the frames that carry the image, and the run's fingerprint, stay reproducible.
// Lab-only: a key derived from a scenario seed is no secret.
class SeededOtaSigner {
public:
    // Fleet roles (`purpose`): the signer the clients trust, and the attacker's own key.
    static constexpr std::uint32_t kPurposeTrusted = 0x5A534947u;   // 'ZSIG'
    static constexpr std::uint32_t kPurposeAttacker = 0x5A41544Bu;  // 'ZATK'
    // Certificate subjects / issuers written by the fleet (big-endian EUI64 values): the
    // trusted signer's certificate names the fleet's CA as issuer; the attacker's is self-issued.
    static constexpr std::uint64_t kTrustedSignerIeee = 0x00124B00F0F05160ull;
    static constexpr std::uint64_t kFleetCaIeee = 0x00124B00F0F0CA01ull;
    static constexpr std::uint64_t kAttackerIeee = 0x00124B00BADC0DE5ull;

    static Result<SeededOtaSigner> create(std::uint64_t seed, std::uint32_t purpose, std::uint64_t signerIeee,
                                          std::uint64_t issuerIeee);

    // `file` signed as core/zigbee signOtaFile signs it (certificate + signature elements
    // last, integrity code resealed, old signature elements replaced), with the derived nonce.
    Result<QByteArray> sign(QByteArrayView file) const;

    const core::crypto::PKey& key() const { return m_key; }           // private
    const core::crypto::PKey& publicKey() const { return m_public; }  // for OtaClientConfig::verificationKeys
    std::uint64_t signerIeee() const { return m_signer; }

    // Bytes a suite 1 certificate + signature element pair adds to an unsigned file (110).
    static std::uint32_t signatureOverhead();

private:
    core::crypto::PKey m_key;
    core::crypto::PKey m_public;
    QByteArray m_scalar;   // the private scalar, big-endian, 21 bytes
    std::uint64_t m_signer = 0;
    std::uint64_t m_issuer = 0;
};

} // namespace otalab::sim
