// SPDX-License-Identifier: Apache-2.0
// The local check before an image goes to a board (smp image upload, smp upgrade, the
// Bench window): an image `otalab-cli image inspect` calls INVALID is one the board's
// MCUboot would refuse, so it is not sent unless the user forces it.
#pragma once

#include "core/common/error.h"

#include <QByteArray>

namespace otalab::core::smp {

// Runs the inspector's checks with no keys (core::image::inspect(file, {})): structure,
// the SHA256 TLV over header, body and protected TLVs, and a signature against the
// image's own PUBKEY when it carries one. Whether a trusted key signed it is not checked
// (no key is given), nor is an encrypted body's hash (no decryption key). Fails when the file is not an MCUboot image or the
// inspector finds an error. The error is plain (no field/offset of its own): its message
// carries the inspector's first finding, "image inspect calls it INVALID: <field> at
// offset N (0xN): <what>; nothing was sent to the board".
Result<void> checkImageToSend(const QByteArray& file);

} // namespace otalab::core::smp
