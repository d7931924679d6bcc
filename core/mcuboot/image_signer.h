// SPDX-License-Identifier: Apache-2.0
// Adds or replaces the signature of an existing MCUboot image.
#pragma once

#include "core/mcuboot/image_creator.h"

namespace otalab::core::mcuboot {

// Drops any KEYHASH/PUBKEY/signature TLVs and writes SHA256, then KEYHASH (or PUBKEY),
// then the new signature, then the remaining unprotected TLVs in their old order —
// the order imgtool uses, so signing an unsigned imgtool image gives the bytes imgtool
// would have produced with -k. The signature covers the SHA256 TLV digest; for a
// plaintext image the digest is recomputed first and a mismatch is an error. A padded
// image keeps its size: the TLV area grows into (or shrinks from) the erased padding.
Result<QByteArray> signImage(const QByteArray& file, const crypto::PKey& key,
                             PublicKeyFormat format = PublicKeyFormat::Hash);

} // namespace otalab::core::mcuboot
