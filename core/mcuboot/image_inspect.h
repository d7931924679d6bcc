// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/image/inspection.h"

namespace otalab::core::mcuboot {

// Parses an MCUboot image (header, body, protected and unprotected TLVs, optional
// trailer), checks the SHA256 TLV, signatures against the given keys and, with a
// decryption key (ECIES private key or AES-KW key-encryption key), decrypts an
// encrypted body to check the hash over plaintext.
image::Inspection inspectImage(const QByteArray& file, const image::VerifyOptions& options);

} // namespace otalab::core::mcuboot
