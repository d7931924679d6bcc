// SPDX-License-Identifier: Apache-2.0
// Base64 as the FreeRTOS OTA library decodes "sig-sha256-ecdsa"
// (ota-for-aws-iot-embedded-sdk v3.4.0, source/ota_base64.c): standard alphabet,
// "\r"/"\n" ignored anywhere, "=" padding (at most 2) and spaces only at the end,
// non-zero bits in a padded tail rejected, a lone trailing symbol rejected.
// Pure functions; any thread.
#pragma once

#include "core/common/error.h"

#include <QByteArray>

namespace otalab::core::awsota {

// Errors carry the offset of the offending character; maxBytes bounds the output
// (the library's kOTA_MaxSignatureSize is 384).
Result<QByteArray> decodeOtaBase64(const QByteArray& text, qsizetype maxBytes);
// Standard base64 with padding, no line breaks (what AWS Signer puts in the job).
QByteArray encodeOtaBase64(const QByteArray& bytes);

} // namespace otalab::core::awsota
