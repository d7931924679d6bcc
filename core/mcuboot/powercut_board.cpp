// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/powercut_board.h"

#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_trailer.h"

namespace otalab::core::mcuboot {
namespace {

QByteArray pseudoRandomBytes(qint64 size, std::uint64_t seed)
{
    QByteArray bytes(size, '\0');
    PowerCutRandom random(seed);
    std::uint64_t word = 0;
    for (qint64 i = 0; i < size; ++i) {
        if (i % 8 == 0)
            word = random.next();
        bytes[i] = char((word >> (8 * (i % 8))) & 0xff);
    }
    return bytes;
}

qint64 ceilDiv(qint64 a, qint64 b) { return (a + b - 1) / b; }

Result<QByteArray> signedImage(const char* version, qint64 bodyBytes, const crypto::PKey& key, std::uint64_t seed)
{
    ImageCreateOptions o;
    o.headerSize = kHeaderSize;
    o.padHeader = true;
    o.version = *ImageVersion::parse(QString::fromLatin1(version));
    o.signingKey = key;
    return createImage(pseudoRandomBytes(bodyBytes, seed), o);
}

} // namespace

std::uint64_t PowerCutRandom::next()
{
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

QString powerCutSwapName(PowerCutSwap swap)
{
    switch (swap) {
    case PowerCutSwap::Test: return QStringLiteral("test");
    case PowerCutSwap::Perm: return QStringLiteral("perm");
    case PowerCutSwap::Revert: return QStringLiteral("revert");
    }
    return QStringLiteral("unknown");
}

Result<PowerCutSwap> powerCutSwapFromName(const QString& name)
{
    for (PowerCutSwap s : {PowerCutSwap::Test, PowerCutSwap::Perm, PowerCutSwap::Revert})
        if (powerCutSwapName(s) == name)
            return s;
    return fail(QStringLiteral("unknown swap type '%1' (expected test, perm or revert)").arg(name));
}

std::vector<PowerCutSwap> powerCutSwapsFor(BootStrategy strategy)
{
    switch (strategy) {
    case BootStrategy::SwapMove:
    case BootStrategy::DirectXipWithRevert:
        return {PowerCutSwap::Test, PowerCutSwap::Perm, PowerCutSwap::Revert};
    case BootStrategy::OverwriteOnly:
        return {PowerCutSwap::Test, PowerCutSwap::Perm};
    case BootStrategy::DirectXip:
        return {};
    }
    return {};
}

Result<crypto::PKey> powerCutKeyFromSeed(std::uint64_t seed)
{
    // PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410): fixed prefix + the 32 private bytes.
    QByteArray der = QByteArray::fromHex("302e020100300506032b657004220420");
    der += pseudoRandomBytes(32, seed ^ 0x6b65795f73656564ULL);
    QByteArray pem = "-----BEGIN PRIVATE KEY-----\n" + der.toBase64() + "\n-----END PRIVATE KEY-----\n";
    return crypto::PKey::fromPem(pem);
}

qint64 powerCutTrailerBytes(const FlashGeometry& g)
{
    return trailerSize(TrailerOptions{g.writeAlign, g.maxImageSectors, false, g.maxAlign()}, false).value_or(0);
}

qint64 powerCutMaxImageBytes(const FlashGeometry& g, BootStrategy strategy)
{
    const qint64 trailerSectors = ceilDiv(powerCutTrailerBytes(g), g.sectorSize);
    const qint64 secondarySectors = g.secondarySize / g.sectorSize;
    const qint64 primarySectors = g.primarySize / g.sectorSize;
    qint64 sectors = std::min(primarySectors, secondarySectors) - trailerSectors;
    if (strategy == BootStrategy::SwapMove)
        sectors = std::min(primarySectors - trailerSectors - 1, secondarySectors - trailerSectors);
    return std::max<qint64>(0, sectors) * g.sectorSize;
}

FlashGeometry powerCutGeometryFor(qint64 imageBytes, int sectorSize, int writeAlign, bool primaryLarger)
{
    FlashGeometry g;
    g.sectorSize = sectorSize;
    g.writeAlign = writeAlign;
    const qint64 imageSectors = ceilDiv(std::max<qint64>(imageBytes, 1), sectorSize);
    qint64 primarySectors = imageSectors + 2;
    // The trailer grows with the sector count it tracks: settle the two together.
    for (int round = 0; round < 8; ++round) {
        g.maxImageSectors = int(primarySectors);
        const qint64 trailerSectors = ceilDiv(powerCutTrailerBytes(g), sectorSize);
        const qint64 wanted = imageSectors + 1 + trailerSectors;
        if (wanted == primarySectors)
            break;
        primarySectors = wanted;
    }
    g.maxImageSectors = int(primarySectors);
    g.primarySize = primarySectors * sectorSize;
    g.secondarySize = primaryLarger ? g.primarySize - sectorSize : g.primarySize;
    g.secondaryAddress = g.primaryAddress + std::uint32_t(g.primarySize);
    return g;
}

Result<PowerCutImages> makePowerCutImages(qint64 oldBodyBytes, qint64 newBodyBytes, const crypto::PKey& signingKey,
                                          std::uint64_t seed)
{
    auto oldImage = signedImage("1.0.0", oldBodyBytes, signingKey, seed * 2 + 1);
    if (!oldImage)
        return fail(QStringLiteral("old image: %1").arg(oldImage.error().toString()));
    auto newImage = signedImage("2.0.0", newBodyBytes, signingKey, seed * 2 + 2);
    if (!newImage)
        return fail(QStringLiteral("new image: %1").arg(newImage.error().toString()));
    return PowerCutImages{*oldImage, *newImage};
}

qint64 powerCutImageBytes(qint64 bodyBytes, const crypto::PKey& signingKey)
{
    auto probe = signedImage("0.0.0", 1, signingKey, 0);
    return probe ? bodyBytes - 1 + probe->size() : bodyBytes;
}

Result<BootLoader> preparePowerCutBoard(const FlashGeometry& geometry, const BootConfig& config,
                                        const PowerCutImages& images, PowerCutSwap swap)
{
    if (auto layout = geometry.check(); !layout)
        return fail(QStringLiteral("flash layout: %1").arg(layout.error().toString()));
    const qint64 room = powerCutMaxImageBytes(geometry, config.strategy);
    for (const QByteArray* image : {&images.oldImage, &images.newImage})
        if (image->size() > room)
            return fail(QStringLiteral("a %1-byte image does not fit: %2 allows at most %3 bytes in this layout")
                            .arg(image->size()).arg(bootStrategyName(config.strategy)).arg(room));
    BootLoader board(geometry, config);
    if (auto r = board.flash().program(kPrimarySlot, images.oldImage); !r)
        return fail(r.error());
    if (auto r = board.flash().program(kSecondarySlot, images.newImage); !r)
        return fail(r.error());
    const bool directXip = config.strategy == BootStrategy::DirectXip
                           || config.strategy == BootStrategy::DirectXipWithRevert;
    if (directXip && !(writeMagic(board.flash(), kPrimarySlot) && writeImageOk(board.flash(), kPrimarySlot)))
        return fail(QStringLiteral("could not write the factory image's trailer"));
    const bool permanent = swap == PowerCutSwap::Perm;
    const BootRc rc = directXip ? setNext(board.flash(), kSecondarySlot, false, permanent)
                                : setPending(board.flash(), permanent);
    if (rc != BootRc::Ok)
        return fail(QStringLiteral("marking the upload pending failed (rc %1)").arg(int(rc)));
    if (swap == PowerCutSwap::Revert) {
        const BootResult test = board.reboot();
        if (!test.booted || board.slotImage(test.slot).version != *ImageVersion::parse(QStringLiteral("2.0.0")))
            return fail(QStringLiteral("the test boot before the revert did not run the new image"));
    }
    return board;
}

PowerCutOutcome powerCutOutcome(BootStrategy strategy, PowerCutSwap swap)
{
    PowerCutOutcome o;
    const bool revert = swap == PowerCutSwap::Revert;
    o.runsNew = !revert;
    switch (strategy) {
    case BootStrategy::SwapMove:
        // loader.c after a swap: copy_done set; image_ok set by perm and revert; the
        // secondary trailer erased; the images exchanged.
        o.primary = {Magic::Good, swap == PowerCutSwap::Test ? Flag::Unset : Flag::Set, Flag::Set};
        o.secondary = {Magic::Unset, Flag::Unset, Flag::Unset};
        o.secondaryHoldsOther = true;
        if (swap == PowerCutSwap::Test)
            o.nextBoot = PowerCutSwap::Revert;
        break;
    case BootStrategy::OverwriteOnly:
        // boot_copy_image(): the copy's source header goes, so the copy never runs again.
        o.secondaryErased = true;
        break;
    case BootStrategy::DirectXip:
    case BootStrategy::DirectXipWithRevert:
        // boot_select_or_erase(): the booted slot is marked tried (copy_done); an
        // unconfirmed image that was tried is erased on the next boot.
        if (revert) {
            o.runningSlot = kPrimarySlot;
            o.primary = {Magic::Good, Flag::Set, Flag::Set};
            o.secondaryErased = true;
        } else {
            o.runningSlot = kSecondarySlot;
            o.primary = {Magic::Good, Flag::Set, std::nullopt};
            o.secondary = {Magic::Good, swap == PowerCutSwap::Perm ? Flag::Set : Flag::Unset, Flag::Set};
            if (swap == PowerCutSwap::Test)
                o.nextBoot = PowerCutSwap::Revert;
        }
        break;
    }
    return o;
}

} // namespace otalab::core::mcuboot
