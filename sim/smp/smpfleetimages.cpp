// SPDX-License-Identifier: Apache-2.0
// SmpFleetImages: generated or loaded images and a slot layout that holds them.
#include "sim/smp/smpfleetimages.h"

#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_signer.h"
#include "core/mcuboot/powercut_board.h"
#include "core/smp/client_upgrade.h"
#include "core/smp/image_send_check.h"

#include <QDir>
#include <QFile>

#include <algorithm>

namespace otalab::sim {

namespace {

QByteArray body(qint64 size, std::uint32_t salt)
{
    QByteArray bytes(size, '\0');
    std::uint32_t x = salt * 2654435761u + 1;
    for (qint64 i = 0; i < size; ++i) {
        x = x * 1664525u + 1013904223u;
        bytes[i] = char(x >> 24);
    }
    return bytes;
}

} // namespace

Result<QByteArray> makeSmpFleetImage(qint64 fileBytes, const core::mcuboot::ImageVersion& version, std::uint32_t salt,
                                     const core::crypto::PKey* key)
{
    core::mcuboot::ImageCreateOptions options;
    options.padHeader = true;
    options.version = version;
    if (key)
        options.signingKey = *key;
    qint64 bodyBytes = std::max<qint64>(16, fileBytes - 32 - 40);
    for (int round = 0; round < 3; ++round) {
        auto image = core::mcuboot::createImage(body(bodyBytes, salt), options);
        if (!image)
            return fail(image.error());
        const qint64 over = image->size() - fileBytes;
        if (over == 0 || bodyBytes - over < 16)
            return *image;
        bodyBytes -= over;
    }
    return fail(QStringLiteral("cannot generate an image of exactly %1 bytes").arg(fileBytes));
}

Result<core::crypto::PKey> smpFleetKey(std::uint64_t keySeed, std::uint32_t purpose)
{
    return core::mcuboot::powerCutKeyFromSeed(keySeed ^ (std::uint64_t(purpose) << 32 | purpose));
}

Result<SmpFleetImages> SmpFleetImages::build(const SmpFleetConfig& config, const QString& baseDir, const QString& field,
                                             std::uint64_t keySeed)
{
    SmpFleetImages images;
    const core::crypto::PKey* key = nullptr;
    if (!config.boards.signatureKey.isEmpty()) {
        const QString keyField = field + QStringLiteral(".boards.signatureKey");
        if (config.boards.signatureKey != QLatin1String("ed25519"))
            return fail(Error::at(-1, keyField, QStringLiteral("\"%1\": only \"ed25519\" (deterministic signatures, so the same seed "
                                                                "gives the same images)").arg(config.boards.signatureKey.left(40))));
        auto made = smpFleetKey(keySeed, kSmpFleetKeyPurpose);
        if (!made)
            return fail(Error::at(-1, keyField, made.error().message));
        auto pub = core::crypto::PKey::fromPublicDer(made->publicDer());
        if (!pub)
            return fail(Error::at(-1, keyField, pub.error().message));
        images.signingKey = std::move(*made);
        images.trustedKey = std::move(*pub);
        key = &*images.signingKey;
    }
    const auto running = core::mcuboot::ImageVersion::parse(config.boards.runningVersion);
    if (!running)
        return fail(Error::at(-1, field + QStringLiteral(".boards.runningVersion"), running.error().message));
    images.runningVersion = *running;
    if (config.image.path) {
        const QString path = QDir(baseDir).absoluteFilePath(*config.image.path);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(Error::at(-1, field + QStringLiteral(".image.path"),
                                  QStringLiteral("cannot read %1: %2").arg(path, file.errorString())));
        images.pushed = file.readAll();
        const auto parsed = core::mcuboot::parseImage(images.pushed);
        if (!parsed)
            return fail(Error::at(-1, field + QStringLiteral(".image.path"),
                                  QStringLiteral("%1 is not an MCUboot image: %2").arg(path, parsed.error().toString())));
        images.pushedVersion = parsed->header.version;
        if (key) {
            auto resigned = core::mcuboot::signImage(images.pushed, *key);
            if (!resigned)
                return fail(Error::at(-1, field + QStringLiteral(".image.path"),
                                      QStringLiteral("cannot sign %1 with the fleet's key: %2").arg(path, resigned.error().message)));
            images.pushed = std::move(*resigned);
        }
    } else {
        const auto version = core::mcuboot::ImageVersion::parse(config.image.version);
        if (!version)
            return fail(Error::at(-1, field + QStringLiteral(".image.version"), version.error().message));
        images.pushedVersion = *version;
        auto made = makeSmpFleetImage(config.image.sizeBytes, *version, 2, key);
        if (!made)
            return fail(Error::at(-1, field + QStringLiteral(".image.sizeBytes"), made.error().message));
        images.pushed = *made;
    }
    auto old = makeSmpFleetImage(images.pushed.size(), images.runningVersion, 1, key);
    if (!old)
        return fail(Error::at(-1, field + QStringLiteral(".boards.runningVersion"), old.error().message));
    images.running = *old;
    const auto facts = core::smp::checkUpgradeImage(images.pushed);
    images.pushedVersionText = facts ? facts->version : images.pushedVersion.toString();
    const auto runningFacts = core::smp::checkUpgradeImage(images.running);
    images.runningVersionText = runningFacts ? runningFacts->version : images.runningVersion.toString();
    if (!facts)
        images.unfit = facts.error().message;
    else if (auto checked = core::smp::checkImageToSend(images.pushed); !checked)
        images.unfit = checked.error().message;
    return images;
}

core::mcuboot::FlashGeometry smpFleetGeometry(const SmpFleetConfig& config, qint64 imageBytes)
{
    core::mcuboot::FlashGeometry g;
    const qint64 sector = g.sectorSize;
    qint64 slot = 0;
    if (config.boards.slotKb > 0) {
        slot = (qint64(config.boards.slotKb) * 1024 + sector - 1) / sector * sector;
    } else {
        // The image, the trailer (swap status for every sector, 3 entries each, plus the
        // trailer fields: under 2 sectors at 128 KiB…1 MiB slots) and the sector
        // swap-move keeps free in the primary slot.
        slot = ((imageBytes + sector - 1) / sector + 3) * sector;
    }
    g.primarySize = g.secondarySize = slot;
    g.maxImageSectors = std::max(g.maxImageSectors, int(slot / sector));
    g.secondaryAddress = std::uint32_t(g.primaryAddress + slot);
    return g;
}

} // namespace otalab::sim
