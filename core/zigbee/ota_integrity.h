// SPDX-License-Identifier: Apache-2.0
// Image integrity code (tag 0x0003): a 16-byte AES-MMO hash over the start of the OTA image.
#pragma once

#include "core/common/error.h"
#include "core/image/inspection.h"
#include "core/zigbee/aes_mmo.h"

#include <QByteArray>
#include <optional>

namespace otalab::core::zigbee {

// Vendors disagree on the hashed range; both start at the OTA upgrade file identifier:
// BeforeElement hashes [identifier, tag of the 0x0003 element) — e.g. Qorvo's OTA
// generator computes its integrity value over the header and preceding sub-elements;
// BeforeData hashes [identifier, first data byte of the 0x0003 element), i.e. includes the
// element's own tag and length. Verification accepts either and says which matched.
// Also recognised (and written on request) is QorvoCrc32: 12 zero bytes then the CRC-32
// (zlib polynomial, little-endian) of [identifier, 0x0003 element) — Qorvo's OTA generator
// create_subelement_hash() writes that instead of an AES-MMO hash.
// DevelcoLength16 hashes the BeforeElement range with AES-MMO whose padding always stores
// the bit length as 16 bits, truncated modulo 2^16 (AesMmoLengthField::Truncated16), as
// Develco's files do; it differs from BeforeElement only for ranges of 8192 bytes or more.
enum class IntegrityConvention { BeforeElement, BeforeData, QorvoCrc32, DevelcoLength16 };

// "before-element", "before-data", "qorvo-crc32", "develco-len16"
QString integrityConventionName(IntegrityConvention c);
Result<IntegrityConvention> integrityConventionFromName(const QString& name);

// `image` starts at the identifier; `elementOffset` is the 0x0003 tag's offset in it.
// For QorvoCrc32 the "digest" is 12 zero bytes followed by the CRC-32, little-endian.
Result<AesMmoDigest> integrityDigest(QByteArrayView image, qint64 elementOffset, IntegrityConvention c);

struct IntegrityResult {
    image::CheckState state = image::CheckState::Absent;
    std::optional<IntegrityConvention> matched;
    QString detail;   // badge text
    QString warning;  // non-empty: the matched convention departs from the spec (report it)
};

// CRC-32 (reflected polynomial 0xEDB88320, init and xorout 0xFFFFFFFF; zlib's crc32).
std::uint32_t crc32(QByteArrayView data);

// Checks the integrity code element of a parsed file. `file` is the whole input, `start`
// the identifier offset, `elementOffset`/`stored` the element's file offset and data.
IntegrityResult verifyIntegrityCode(QByteArrayView file, qint64 start, qint64 elementOffset, QByteArrayView stored,
                                    QString* mismatchMessage);

} // namespace otalab::core::zigbee
