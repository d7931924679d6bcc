// SPDX-License-Identifier: Apache-2.0
// SmpFleetImages: the image a fleet's host pushes, the one its boards run first, and the slot layout.
#pragma once

#include "core/common/error.h"
#include "core/crypto/pkey.h"
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
    // With boards.signatureKey: the fleet's signing key (every image above is signed by it)
    // and its public part, the one key the boards' MCUboot trusts. Empty without it.
    std::optional<core::crypto::PKey> signingKey;
    std::optional<core::crypto::PKey> trustedKey;

    // Generated images, or the file at config.image.path (relative to baseDir; re-signed
    // by the fleet's key with boards.signatureKey). `keySeed` derives the fleet's key
    // (smpFleetKey). Errors name the field below `field` ("<field>.image.path").
    static Result<SmpFleetImages> build(const SmpFleetConfig& config, const QString& baseDir, const QString& field,
                                        std::uint64_t keySeed = 0);
};

// The boards' flash: config.boards.slotKb, or (0) slots just big enough for `imageBytes`
// plus MCUboot's trailer (4 KiB sectors, nRF52840-like addresses).
core::mcuboot::FlashGeometry smpFleetGeometry(const SmpFleetConfig& config, qint64 imageBytes);

// A deterministic MCUboot image of exactly `fileBytes` bytes (at least 128) with version
// `version`; `salt` varies the body. Unsigned (SHA256 TLV only) without `key`; with an
// Ed25519 `key`, SHA256 + KEYHASH + ED25519 TLVs (still deterministic).
Result<QByteArray> makeSmpFleetImage(qint64 fileBytes, const core::mcuboot::ImageVersion& version, std::uint32_t salt,
                                     const core::crypto::PKey* key = nullptr);

// A deterministic Ed25519 key (lab use only: its private bytes follow from the seed).
// keySeed: the fleet's (scenario seed and first node); purpose: which key of the fleet
// (kSmpFleetKeyPurpose: the one its boards trust; the wrongKey attack uses another).
constexpr std::uint32_t kSmpFleetKeyPurpose = 0x534d504bu;   // 'SMPK'
Result<core::crypto::PKey> smpFleetKey(std::uint64_t keySeed, std::uint32_t purpose);

} // namespace otalab::sim
