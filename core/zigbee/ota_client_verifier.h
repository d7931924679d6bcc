// SPDX-License-Identifier: Apache-2.0
// The end-of-download check of an OTA client: parse, integrity code, signature.
#pragma once

#include "core/crypto/pkey.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <vector>

namespace otalab::core::zigbee {

struct DownloadedImageCheck {
    bool valid = false;
    QString reason;                  // why not valid ("header.fileVersion ... ", "image integrity code mismatch")
    std::uint16_t stackVersion = 0;  // of the downloaded file (for DownloadedZigBeeStackVersion)
};

// `image` is the downloaded file (starting at the identifier, total image size long).
// Valid when: it parses without errors, its header names the expected manufacturer, image
// type and file version and its total size equals image.size(); an image integrity code,
// if present, matches (either AES-MMO range convention, via ota_integrity); and, when
// `verificationKeys` is not empty, it carries a signature that one of the keys verifies
// (an unsigned file is then INVALID_IMAGE).
DownloadedImageCheck verifyDownloadedImage(const QByteArray& image, std::uint16_t manufacturer, std::uint16_t imageType,
                                           std::uint32_t fileVersion, const std::vector<crypto::PKey>& verificationKeys);

} // namespace otalab::core::zigbee
