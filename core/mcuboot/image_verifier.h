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

// What MCUboot's bootutil does with a signature TLV, given `keys` as its key table: it
// takes the key the preceding KEYHASH (or PUBKEY) TLV names and ignores a signature
// with no named key. So a signature is only Valid when the given key it verifies with is
// the one its key reference names.
enum class SignatureVerdict {
    Valid,           // verifies with a given key that its KEYHASH/PUBKEY names
    Invalid,         // no given key that it names verifies it: it does not verify, none
                     // of the given keys fits, or it verifies only with a key its
                     // KEYHASH/PUBKEY does not name (or it has none): MCUboot ignores it
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
    int matchedKey = -1;       // Valid: index into the given keys of the key it verifies with
    bool keyHashMatched = false;  // KEYHASH/PUBKEY names a given key (always true when Valid)
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
