// SPDX-License-Identifier: Apache-2.0
// SmpFleetImages: the image a fleet's host pushes, the one its boards run first, and the slot layout.
#pragma once

#include "core/common/error.h"
#include "core/mcuboot/boot_flash.h"
#include "core/mcuboot/image_format.h"
#include "sim/smp/smpfleetconfig.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace otalab::sim {

// Built once per fleet, shared by every board (QByteArray is implicitly shared).
struct SmpFleetImages {
    QByteArray pushed;                      // the file the host sends
    QByteArray running;                     // what every board runs first (generated, same size)
    core::mcuboot::ImageVersion pushedVersion;
    core::mcuboot::ImageVersion runningVersion;
    QString pushedVersionText;              // as the board prints it: "1.1.0"
    QString runningVersionText;
    // Why the host would not send the pushed file (core/smp checkImageToSend, as the CLI
    // and the Bench check before connecting); then every board ends Refused.
    std::optional<QString> unfit;

    // Generated images, or the file at config.image.path (relative to baseDir). Errors
    // name the field below `field` ("<field>.image.path").
    static Result<SmpFleetImages> build(const SmpFleetConfig& config, const QString& baseDir, const QString& field);
};

// The boards' flash: config.boards.slotKb, or (0) slots just big enough for `imageBytes`
// plus MCUboot's trailer (4 KiB sectors, nRF52840-like addresses).
core::mcuboot::FlashGeometry smpFleetGeometry(const SmpFleetConfig& config, qint64 imageBytes);

// A deterministic unsigned MCUboot image (SHA256 TLV only) of exactly `fileBytes` bytes
// (at least 128) with version `version`; `salt` varies the body.
Result<QByteArray> makeSmpFleetImage(qint64 fileBytes, const core::mcuboot::ImageVersion& version, std::uint32_t salt);

} // namespace otalab::sim
