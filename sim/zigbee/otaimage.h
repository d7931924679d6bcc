// SPDX-License-Identifier: Apache-2.0
// Rollout images: load an OTA file or generate one from ImageConfig, shared by every device.
#pragma once

#include "core/common/error.h"
#include "sim/zigbee/rolloutconfig.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace otalab::sim {

class SeededOtaSigner;

// The bytes the server serves for `config`: the file at config.path (relative paths
// resolve against `baseDir`) or a generated file (header with the configured
// manufacturer / image type / file version, one upgrade image element of sizeBytes
// deterministic pseudo-random bytes, and an AES-MMO integrity code element when
// integrityCode). With a `signer` (client "requireSignature") the file is then signed
// (crypto suite 1 certificate + signature elements, sim/zigbee/otasigner.h).
// corruptOffsets are applied last (byte XOR 0xFF). Errors carry
// `fieldPath` (e.g. "images[1].path"). The result is shared, never copied per device.
Result<std::shared_ptr<const QByteArray>> makeRolloutImage(const ImageConfig& config, const QString& fieldPath,
                                                           const QString& baseDir = {},
                                                           const SeededOtaSigner* signer = nullptr);

} // namespace otalab::sim
