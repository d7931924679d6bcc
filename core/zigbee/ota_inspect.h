// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/image/inspection.h"

namespace otalab::core::zigbee {

// Parses a Zigbee OTA Upgrade file (header, optional fields, every sub-element),
// checks the image integrity code and signatures, and reports every oddity.
image::Inspection inspectOtaFile(const QByteArray& file, const image::VerifyOptions& options);

} // namespace otalab::core::zigbee
