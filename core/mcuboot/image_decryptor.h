// SPDX-License-Identifier: Apache-2.0
// Recovers the plaintext of an encrypted MCUboot image: unwraps the image key from
// ENC_EC256 (P-256 private key) or ENC_KW (AES key-encryption key), then AES-CTR
// decrypts the body [hdrSize, hdrSize + imgSize) with a zero nonce.
#pragma once

#include "core/crypto/pkey.h"
#include "core/mcuboot/image_model.h"

#include <optional>

namespace otalab::core::mcuboot {

struct DecryptionKey {
    std::optional<crypto::PKey> privateKey;  // for ENC_EC256 (ECIES-P256)
    QByteArray kek;                          // for ENC_KW: 16 or 32 bytes

    bool isEmpty() const { return !privateKey && kek.isEmpty(); }
};

// "AES-128-CTR, key wrapped with ECIES-P256" etc. Empty when not encrypted.
QString encryptionDescription(const McubootImage& image);

// The image key from the encryption TLV. Errors name the TLV and its offset.
Result<QByteArray> unwrapImageKey(const McubootImage& image, const DecryptionKey& key);

// The whole file with the body decrypted (header, TLVs and trailer unchanged), so the
// SHA256 TLV and signatures can be checked over the plaintext.
Result<QByteArray> decryptImage(const McubootImage& image, const DecryptionKey& key);

} // namespace otalab::core::mcuboot
