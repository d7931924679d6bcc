// SPDX-License-Identifier: Apache-2.0
// Checks an MCUboot image: the SHA256 TLV over header + body + protected TLVs, and
// every signature TLV against the given public keys (matched via KEYHASH / PUBKEY).
#pragma once

#include "core/crypto/pkey.h"
#include "core/mcuboot/image_model.h"

#include <vector>

namespace otalab::core::mcuboot {

struct HashCheck {
    bool present = false;
    bool checked = false;   // false for an encrypted image without its plaintext
    bool valid = false;
    int tlvIndex = -1;      // index in the unprotected area
    qint64 offset = -1;     // file offset of the SHA256 TLV header
    QByteArray expected;    // TLV value
    QByteArray computed;    // over the plaintext hashed region
};

enum class SignatureVerdict {
    Valid,           // verifies with a given key
    Invalid,         // does not verify with any given key of its type (or none fits)
    Unchecked,       // no key given
    EmbeddedValid,   // no key given; verifies with the image's own PUBKEY (not trust)
};

struct SignatureCheck {
    std::uint16_t type = 0;
    int tlvIndex = -1;
    qint64 offset = -1;
    QString algorithm;         // "Ed25519", "ECDSA P-256", "RSA-2048-PSS"
    std::uint16_t keyRefType = 0;  // TlvKeyHash, TlvPubKey or 0 when the signature has none
    SignatureVerdict verdict = SignatureVerdict::Unchecked;
    int matchedKey = -1;       // index into the given keys
    bool keyHashMatched = false;  // KEYHASH/PUBKEY names the matched (or a given) key
    QString detail;            // one line for the signature badge
};

struct VerifyReport {
    HashCheck hash;
    std::vector<SignatureCheck> signatures;
};

// `plaintext`: for an encrypted image, the decrypted file (decryptImage()); null
// otherwise. Without it an encrypted image's hash is unchecked and signatures are
// checked against the digest stored in the SHA256 TLV.
VerifyReport verifyImage(const McubootImage& image, const std::vector<crypto::PKey>& keys,
                         const QByteArray* plaintext = nullptr);

} // namespace otalab::core::mcuboot
