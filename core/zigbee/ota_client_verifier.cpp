// SPDX-License-Identifier: Apache-2.0
#include "core/zigbee/ota_client_verifier.h"

#include "core/common/bytes.h"
#include "core/zigbee/ota_inspect.h"
#include "core/zigbee/ota_parser.h"

namespace otalab::core::zigbee {

DownloadedImageCheck verifyDownloadedImage(const QByteArray& image, std::uint16_t manufacturer, std::uint16_t imageType,
                                           std::uint32_t fileVersion, const std::vector<crypto::PKey>& verificationKeys)
{
    DownloadedImageCheck out;
    const auto parsed = parseOtaFile(QByteArrayView(image));
    if (const auto* e = parsed.firstError()) {
        out.reason = Error::at(e->offset, e->field, e->message).toString();
        return out;
    }
    if (parsed.start != 0 || !parsed.headerComplete) {
        out.reason = QStringLiteral("downloaded data does not start with an OTA header");
        return out;
    }
    const OtaHeader& h = parsed.file.header;
    out.stackVersion = h.stackVersion;
    if (h.manufacturerCode != manufacturer || h.imageType != imageType || h.fileVersion != fileVersion) {
        out.reason = QStringLiteral("header names %1/%2/%3, expected %4/%5/%6")
                         .arg(hex(h.manufacturerCode, 4), hex(h.imageType, 4), hex(h.fileVersion, 8), hex(manufacturer, 4),
                              hex(imageType, 4), hex(fileVersion, 8));
        return out;
    }
    if (qint64(h.totalImageSize) != image.size()) {
        out.reason = QStringLiteral("header total image size %1 differs from the %2 bytes downloaded").arg(h.totalImageSize).arg(image.size());
        return out;
    }
    image::VerifyOptions options;
    options.verificationKeys = verificationKeys;
    const image::Inspection inspection = inspectOtaFile(image, options);
    if (inspection.integrity.state == image::CheckState::Invalid) {
        out.reason = QStringLiteral("image integrity code mismatch: %1").arg(inspection.integrity.detail);
        return out;
    }
    if (!verificationKeys.empty() && inspection.signature.state != image::CheckState::Valid) {
        out.reason = QStringLiteral("signature not verified (%1): %2")
                         .arg(image::checkStateName(inspection.signature.state), inspection.signature.detail);
        return out;
    }
    if (!inspection.isValid()) {
        const auto* e = inspection.firstError();
        out.reason = e ? Error::at(e->offset, e->field, e->message).toString() : QStringLiteral("image rejected by the inspector");
        return out;
    }
    out.valid = true;
    return out;
}

} // namespace otalab::core::zigbee
