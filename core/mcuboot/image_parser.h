// SPDX-License-Identifier: Apache-2.0
// Parses the MCUboot image layout. Every problem names the field (dotted path matching
// the inspection node names: "header.imgSize", "unprotectedTlvs.tlv[2].length") and
// the byte offset in the file.
#pragma once

#include "core/mcuboot/image_model.h"

#include <vector>

namespace otalab::core::mcuboot {

struct ParseReport {
    McubootImage image;           // filled as far as the structure could be followed
    bool headerParsed = false;    // header fields are readable (magic may be wrong)
    bool structureValid = false;  // header, body and both TLV areas are within the file
    std::vector<Error> errors;    // the image is not one MCUboot would accept
    std::vector<Error> warnings;  // oddities that do not invalidate it
};

// Never fails; problems are listed in the report.
ParseReport parseImageReport(const QByteArray& file);

// Strict: the first error of parseImageReport(), or the image.
Result<McubootImage> parseImage(const QByteArray& file);

} // namespace otalab::core::mcuboot
