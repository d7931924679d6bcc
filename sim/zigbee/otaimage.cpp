// SPDX-License-Identifier: Apache-2.0
// Rollout images: load an OTA file or generate one from ImageConfig.
#include "sim/zigbee/otaimage.h"

#include "core/zigbee/ota_builder.h"
#include "sim/zigbee/otasigner.h"

#include <QDir>
#include <QFile>

namespace otalab::sim {

namespace {

QByteArray firmwareBytes(std::uint32_t size, std::uint32_t version)
{
    QByteArray data(static_cast<qsizetype>(size), Qt::Uninitialized);
    std::uint64_t x = 0x9E3779B97F4A7C15ull ^ version;  // SplitMix64: deterministic filler
    for (std::uint32_t i = 0; i < size; ++i) {
        if ((i & 7u) == 0) {
            x += 0x9E3779B97F4A7C15ull;
        }
        std::uint64_t z = x + i / 8;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        data[i] = static_cast<char>(z >> ((i & 7u) * 8));
    }
    return data;
}

} // namespace

Result<std::shared_ptr<const QByteArray>> makeRolloutImage(const ImageConfig& config, const QString& fieldPath,
                                                           const QString& baseDir, const SeededOtaSigner* signer)
{
    QByteArray bytes;
    if (!config.path.isEmpty()) {
        const QString path = QDir::isAbsolutePath(config.path) || baseDir.isEmpty()
                                 ? config.path
                                 : QDir(baseDir).filePath(config.path);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            return fail(Error::at(-1, fieldPath + QStringLiteral(".path"),
                                  QStringLiteral("cannot read OTA file %1: %2").arg(path, file.errorString())));
        }
        bytes = file.readAll();
    } else {
        if (config.sizeBytes == 0 || config.sizeBytes > (16u << 20)) {
            return fail(Error::at(-1, fieldPath + QStringLiteral(".generate.size"),
                                  QStringLiteral("image size %1 bytes: expected 1 .. 16777216").arg(config.sizeBytes)));
        }
        core::zigbee::OtaBuildSpec spec;
        spec.header.manufacturerCode = config.manufacturer;
        spec.header.imageType = config.imageType;
        spec.header.fileVersion = config.fileVersion;
        spec.header.headerString = QByteArrayLiteral("OTA Lab generated image");
        spec.firmware = firmwareBytes(config.sizeBytes, config.fileVersion);
        if (config.integrityCode) {
            spec.integrityCode = core::zigbee::IntegrityConvention::BeforeElement;
        }
        auto built = core::zigbee::buildOtaFile(spec);
        if (!built) {
            Error e = built.error();
            e.field = fieldPath + QStringLiteral(".generate") + (e.field.isEmpty() ? QString() : "." + e.field);
            return fail(std::move(e));
        }
        bytes = std::move(*built);
    }
    if (signer) {
        auto signedBytes = signer->sign(bytes);
        if (!signedBytes) {
            Error e = signedBytes.error();
            e.field = fieldPath + (config.path.isEmpty() ? QStringLiteral(".generate") : QStringLiteral(".path"));
            return fail(std::move(e));
        }
        bytes = std::move(*signedBytes);
    }
    for (std::size_t i = 0; i < config.corruptOffsets.size(); ++i) {
        const std::uint32_t offset = config.corruptOffsets[i];
        if (offset >= static_cast<std::uint64_t>(bytes.size())) {
            return fail(Error::at(-1, fieldPath + QStringLiteral(".corruptOffsets[%1]").arg(i),
                                  QStringLiteral("offset %1 is past the end of the %2-byte image").arg(offset).arg(bytes.size())));
        }
        bytes[offset] = static_cast<char>(bytes[offset] ^ 0xFF);
    }
    return std::make_shared<const QByteArray>(std::move(bytes));
}

} // namespace otalab::sim
