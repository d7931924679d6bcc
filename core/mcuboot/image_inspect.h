// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/image/inspection.h"

namespace otalab::core::mcuboot {

// Parses an MCUboot image (header, body, protected and unprotected TLVs, optional
// trailer), checks the SHA256 TLV, signatures against the given keys and, with a
// decryption key, decrypts an encrypted body to check the hash over plaintext.
image::Inspection inspectImage(const QByteArray& file, const image::VerifyOptions& options);

// The same, plus an AES key-encryption key (16 or 32 bytes) for images whose key is
// wrapped with AES-KW (TLV 0x31): VerifyOptions carries only asymmetric keys.
image::Inspection inspectImage(const QByteArray& file, const image::VerifyOptions& options, const QByteArray& aesKwKek);

} // namespace otalab::core::mcuboot
