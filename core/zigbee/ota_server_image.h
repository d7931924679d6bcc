// SPDX-License-Identifier: Apache-2.0
// An OTA file as the server serves it: the file bytes shared by pointer plus its parsed header.
#pragma once

#include "core/common/error.h"
#include "core/zigbee/ota_file.h"

#include <QByteArray>
#include <memory>

namespace otalab::core::zigbee {

// Immutable. One instance per image, shared by every session that serves it (10,000
// devices downloading the same image reference one QByteArray). The served bytes start at
// the OTA file identifier (vendor prefix bytes are skipped) and are exactly the header's
// total image size long: those are the bytes the client downloads and hashes.
class OtaServerImage final {
public:
    // Parses `file` with the tolerant parser; fails when it has structural errors or is
    // shorter than its total image size. Integrity and signature are NOT checked here
    // (a server serving a corrupted file is a scenario the lab wants to run).
    static Result<std::shared_ptr<const OtaServerImage>> create(std::shared_ptr<const QByteArray> file);

    const OtaHeader& header() const { return m_header; }
    std::uint32_t size() const { return m_header.totalImageSize; }
    // [offset, offset + count) clipped to the image; empty past the end.
    QByteArrayView bytes(std::uint32_t offset, std::uint32_t count) const;
    bool isDeviceSpecific() const { return m_header.upgradeFileDestination.has_value(); }
    // True when the image's hardware version range (if any) contains `hw`; an image with a
    // range never matches a client that did not report its hardware version.
    bool matchesHardware(std::optional<std::uint16_t> hw) const;

private:
    OtaServerImage() = default;
    std::shared_ptr<const QByteArray> m_file;
    qint64 m_start = 0;
    OtaHeader m_header;
};

using OtaServerImagePtr = std::shared_ptr<const OtaServerImage>;

} // namespace otalab::core::zigbee
