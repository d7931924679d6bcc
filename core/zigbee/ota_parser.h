// SPDX-License-Identifier: Apache-2.0
// Tolerant parser for Zigbee OTA files: reads what real files contain and reports every
// deviation as a finding with the field name and byte offset.
#pragma once

#include "core/image/inspection.h"
#include "core/zigbee/ota_file.h"

#include <QByteArray>
#include <vector>

namespace otalab::core::zigbee {

struct OtaParseResult {
    OtaFile file;
    // Offset of the identifier 0x0BEEF11E in the input (> 0 with a vendor prefix); -1 when
    // no identifier was found. Hashes and signatures cover bytes from here.
    qint64 start = -1;
    // Bytes of the input available for each header field, so views can show a truncated
    // header: false when the mandatory 56 bytes could not all be read.
    bool headerComplete = false;
    // File offset where the image ends as parsed: start + total image size, clipped to the
    // input size.
    qint64 imageEnd = 0;
    // Errors and warnings; fields use the inspection node names ("header.totalImageSize",
    // "element[2].length"), offsets are input offsets.
    std::vector<image::Finding> findings;

    bool hasErrors() const;
    const image::Finding* firstError() const;
};

// Never fails and never reads out of bounds: problems become findings. Accepts vendor
// prefix bytes before the identifier, trailing bytes after the total image size, a header
// length larger than its known fields (sub-elements start at the header length) and the
// Telink 0xF000 layout (2 extra bytes before the data), each with a warning.
OtaParseResult parseOtaFile(QByteArrayView data);

// Strict form for tools that rewrite files: the parsed file, or the first error.
Result<OtaFile> readOtaFile(QByteArrayView data);

} // namespace otalab::core::zigbee
