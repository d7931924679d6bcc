// SPDX-License-Identifier: Apache-2.0
// Writes Zigbee OTA files: header fields, optional fields, sub-elements, integrity code.
#pragma once

#include "core/common/error.h"
#include "core/zigbee/ota_file.h"
#include "core/zigbee/ota_integrity.h"

#include <QByteArray>
#include <optional>
#include <vector>

namespace otalab::core::zigbee {

// Serializes `file` (prefix and trailing bytes are not written). Recomputes the header
// length (known fields + extraHeaderBytes), field control bits 0..2 (from the optional
// fields; bits 3..15 kept) and the total image size; ignores the wire values held in
// file.header for those three. Fails on a header string over 32 bytes, a minimum hardware
// version above the maximum or a file over 4 GiB.
Result<QByteArray> serializeOtaFile(const OtaFile& file);

// What `image create zigbee` builds: one upgrade image element from a raw binary, extra
// (manufacturer) elements after it, then optionally an image integrity code.
struct OtaBuildSpec {
    OtaHeader header;  // headerLength/fieldControl/totalImageSize are computed
    QByteArray firmware;  // tag 0x0000; may be empty when extraElements carry the content
    std::vector<SubElement> extraElements;
    std::optional<IntegrityConvention> integrityCode;  // append a 0x0003 element
};

// Checks the spec (device-specific image types 0xFFC0..0xFFC2 need an upgrade file
// destination; signature, certificate and integrity tags are reserved for sign /
// integrityCode; at least one element) and returns the file bytes.
Result<QByteArray> buildOtaFile(const OtaBuildSpec& spec);

} // namespace otalab::core::zigbee
