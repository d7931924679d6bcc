// SPDX-License-Identifier: Apache-2.0
// Renders a parsed MCUboot image as the inspection node tree: header fields, body,
// each TLV area with decoded TLVs (type/length/value children with byte ranges), the
// padding and the trailer. Node names form the dotted finding paths
// ("header.imgSize", "unprotectedTlvs.tlv[1].value").
#pragma once

#include "core/image/inspection.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_verifier.h"

namespace otalab::core::mcuboot {

image::Node buildImageTree(const ParseReport& parsed, const VerifyReport* report = nullptr);

// One-line decoded value of a TLV ("image 1, version 2.0.0+0", hash hex, ...).
QString describeTlv(const Tlv& tlv);

} // namespace otalab::core::mcuboot
