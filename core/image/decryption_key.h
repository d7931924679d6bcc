// SPDX-License-Identifier: Apache-2.0
// The one rule for what a "decryption key" file is, shared by the CLI and the GUI.
#pragma once

#include "core/common/error.h"
#include "core/image/inspection.h"

#include <QByteArray>
#include <QString>

namespace otalab::core::image {

// Interprets the contents of a decryption key file: a 16- or 32-byte file that is not
// PEM is a raw AES-KW key-encryption key (MCUboot TLV 0x31); anything else must be a
// PEM *private* key (MCUboot ECIES). On success sets exactly one of
// options.decryptionKey / options.decryptionKek and clears the other.
Result<void> applyDecryptionKey(const QByteArray& contents, VerifyOptions& options);

// Reads `path` (at most 64 KiB) and applies it; errors name the file.
Result<void> loadDecryptionKeyFile(const QString& path, VerifyOptions& options);

} // namespace otalab::core::image
