// SPDX-License-Identifier: Apache-2.0
#include "sim/lorawan/lorawandatablock.h"

#include "core/lorawan/fuotaimage.h"
#include "sim/kernel/randomstream.h"

#include <QFile>
#include <QLocale>

namespace otalab::sim {

namespace lw = core::lorawan;

namespace {

constexpr int kMaxDerP256Signature = 72;
constexpr int kChangeRunBytes = 256;

Result<QByteArray> readImageFile(const QString& path, const QString& where)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(Error::at(-1, where, QStringLiteral("cannot read %1: %2").arg(path, file.errorString())));
    QByteArray bytes = file.readAll();
    if (bytes.isEmpty())
        return std::unexpected(Error::at(-1, where, QStringLiteral("the image file %1 is empty").arg(path)));
    return bytes;
}

// The running image for a generated firmware: the firmware with changePercent % of it
// replaced in 256-byte runs at seeded places (an update that rewrote some functions).
QByteArray runningBefore(const QByteArray& firmware, double changePercent, std::uint64_t seed)
{
    QByteArray running = firmware;
    const qsizetype runs = (firmware.size() + kChangeRunBytes - 1) / kChangeRunBytes;
    const auto changed = qsizetype(double(runs) * changePercent / 100.0 + 0.5);
    RandomStream rng(seed, 0, 0x44454c54 /* 'DELT' */);
    const QByteArray other = generatedFirmware(std::uint32_t(firmware.size()), seed ^ 0x5eedull);
    for (qsizetype k = 0; k < changed; ++k) {
        const qsizetype run = qsizetype(rng.uniformInt(std::uint64_t(runs)));
        const qsizetype at = run * kChangeRunBytes;
        const qsizetype n = std::min<qsizetype>(kChangeRunBytes, running.size() - at);
        running.replace(at, n, other.mid(at, n));
    }
    return running;
}

} // namespace

QByteArray generatedFirmware(std::uint32_t size, std::uint64_t seed)
{
    QByteArray out(qsizetype(size), '\0');
    std::uint64_t x = 0x9e3779b97f4a7c15ull ^ seed ^ (std::uint64_t(size) << 32);
    if (x == 0)
        x = 1;
    for (qsizetype i = 0; i < out.size(); ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out[i] = char(x >> 24);
    }
    return out;
}

std::uint64_t LorawanDataBlock::flashNeeded() const
{
    const bool delta = lw::looksLikeFuotaContainer(block);
    return std::uint64_t(running.size()) + blockBytes() + (delta ? std::uint64_t(firmware.size()) : 0);
}

QString LorawanDataBlock::description() const
{
    const QLocale c = QLocale::c();
    auto kib = [](qsizetype n) { return QStringLiteral("%1 KiB").arg(double(n) / 1024.0, 0, 'f', 1); };
    const bool delta = block.size() != firmware.size() || lw::looksLikeFuotaContainer(block);
    if (!delta)
        return signatureReserve > 0
                   ? QStringLiteral("signed: the %1 image + %2 B container header and ECDSA P-256 signature").arg(kib(firmware.size())).arg(signatureReserve)
                   : QStringLiteral("raw: the %1 image").arg(kib(firmware.size()));
    const auto container = lw::parseFuotaContainer(block);
    const qsizetype patch = container ? container->payload.size() : block.size();
    return QStringLiteral("%1delta: %2 B zstd patch of the %3 image (%4 %) against the running image%5")
        .arg(signatureReserve > 0 ? QStringLiteral("signed ") : QString(), c.toString(patch), kib(firmware.size()))
        .arg(100.0 * double(patch) / double(firmware.size()), 0, 'f', 1)
        .arg(signatureReserve > 0 ? QStringLiteral(", + %1 B signature").arg(signatureReserve) : QString());
}

Result<LorawanDataBlock> buildLorawanDataBlock(const LorawanImageConfig& image, std::uint64_t seed, const QString& field)
{
    const QString imageField = field.isEmpty() ? QStringLiteral("image") : field + QStringLiteral(".image");
    LorawanDataBlock out;
    const bool generated = !image.path;
    if (image.path) {
        auto bytes = readImageFile(*image.path, imageField + QStringLiteral(".path"));
        if (!bytes)
            return std::unexpected(bytes.error());
        out.firmware = std::move(*bytes);
    } else {
        out.firmware = generatedFirmware(image.sizeBytes, seed);
    }
    const bool delta = image.format == LorawanImageConfig::Format::Delta || image.format == LorawanImageConfig::Format::SignedDelta;
    const bool isSigned = image.format == LorawanImageConfig::Format::Signed || image.format == LorawanImageConfig::Format::SignedDelta;
    if (image.basePath) {
        auto bytes = readImageFile(*image.basePath, imageField + QStringLiteral(".basePath"));
        if (!bytes)
            return std::unexpected(bytes.error());
        out.running = std::move(*bytes);
    } else if (generated) {
        out.running = runningBefore(out.firmware, image.changePercent, seed);
    } else if (delta) {
        return std::unexpected(Error::at(-1, imageField + QStringLiteral(".basePath"),
                                         QStringLiteral("a delta of a file image needs \"basePath\": the image the devices run now")));
    } else {
        out.running = out.firmware;
    }
    if (delta) {
        lw::FuotaPackOptions options;
        options.kind = lw::FuotaImageKind::Delta;
        options.base = out.running;
        auto block = lw::packFuotaImage(out.firmware, options);
        if (!block)
            return std::unexpected(Error::at(-1, imageField + QStringLiteral(".format"), QStringLiteral("cannot build the delta: %1").arg(block.error().message)));
        out.block = std::move(*block);
    } else {
        out.block = out.firmware;
    }
    // A signed block: the container header (unless the delta already has one) and the
    // signature, reserved by size (see the header comment).
    if (isSigned)
        out.signatureReserve = kMaxDerP256Signature + (delta ? 0 : lw::kFuotaHeaderSize);
    return out;
}

} // namespace otalab::sim
