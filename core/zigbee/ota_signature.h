// SPDX-License-Identifier: Apache-2.0
// ECDSA signatures of Zigbee OTA files (tags 0x0001 / 0x0005) over an AES-MMO digest.
//
// Digest: AES-MMO over [identifier, identifier + total image size − signature size), i.e.
// the whole image including the signature element's tag, length and signer IEEE but not
// r‖s (42 bytes for suite 1, 72 for suite 2) — Silicon Labs ota-client-signature-verify.c
// calculateDigest() reads imageSize − EMBER_SIGNATURE_SIZE / EMBER_SIGNATURE_283K1_SIZE.
// The signature element must therefore be the last one. The 16-byte digest is the ECDSA
// input as is (no further hashing). r and s are big-endian, 21 / 36 bytes each. The
// signer IEEE in the element is little-endian (Silicon Labs reverses it before comparing
// it with the big-endian certificate subject).
#pragma once

#include "core/common/error.h"
#include "core/crypto/pkey.h"
#include "core/zigbee/aes_mmo.h"
#include "core/zigbee/crypto_suite.h"

#include <QByteArray>
#include <cstdint>

namespace otalab::core::zigbee {

struct SignOptions {
    std::uint64_t signerIeee = 0;  // goes into the signature element and the certificate subject
    std::uint64_t issuerIeee = 0;  // certificate issuer (no CA in the lab: 0 by default)
};

// Signs an existing OTA file with a sect163k1 (suite 1) or sect283k1 (suite 2) private key:
// removes any old signature/certificate elements (0x0001/0x0002/0x0005/0x0006), appends
// certificate + signature, updates the total image size and recomputes an image integrity
// code in the convention it had (refuses to sign when that code does not match). Vendor
// prefix bytes are kept; trailing bytes after the image are dropped. Fails on any parse error.
Result<QByteArray> signOtaFile(QByteArrayView file, const crypto::PKey& key, const SignOptions& options);

// `image` starts at the identifier and is the total image size long.
Result<AesMmoDigest> signatureDigest(QByteArrayView image, CryptoSuite suite);

// r‖s (signatureSize() bytes) of `digest` with `key`.
Result<QByteArray> signDigest(const crypto::PKey& key, const AesMmoDigest& digest, CryptoSuite suite);
// True when r‖s is a valid signature of `digest` by `key`; false for a mismatch or a key of another curve.
bool verifyDigest(const crypto::PKey& key, const AesMmoDigest& digest, QByteArrayView rs, CryptoSuite suite);

} // namespace otalab::core::zigbee
