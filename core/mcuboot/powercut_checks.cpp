// SPDX-License-Identifier: Apache-2.0
#include "core/mcuboot/powercut_checks.h"

namespace otalab::core::mcuboot {
namespace {

QString slotName(int slot) { return slot == kPrimarySlot ? QStringLiteral("primary") : QStringLiteral("secondary"); }

QString magicName(Magic m)
{
    return m == Magic::Good ? QStringLiteral("good") : m == Magic::Unset ? QStringLiteral("unset") : QStringLiteral("bad");
}

QString flagName(Flag f)
{
    return f == Flag::Set ? QStringLiteral("set") : f == Flag::Unset ? QStringLiteral("unset") : QStringLiteral("bad");
}

// verify_image(): the slot starts with `image`, byte for byte.
std::optional<QString> compareImage(const BootFlash& flash, int slot, const QByteArray& image, const QString& which)
{
    const QByteArray stored = flash.read(slot, 0, image.size());
    if (stored == image)
        return std::nullopt;
    qint64 at = 0;
    while (at < stored.size() && stored.at(at) == image.at(at))
        ++at;
    return QStringLiteral("the %1 slot does not hold the %2 image: first difference at byte 0x%3 of 0x%4")
        .arg(slotName(slot), which).arg(at, 0, 16).arg(image.size(), 0, 16);
}

// verify_trailer().
std::optional<QString> compareTrailer(const BootFlash& flash, int slot, const TrailerExpectation& want)
{
    const SwapState have = readSwapState(flash, slot);
    if (want.magic && *want.magic != have.magic)
        return QStringLiteral("%1 trailer: magic is %2, expected %3").arg(slotName(slot), magicName(have.magic), magicName(*want.magic));
    if (want.imageOk && *want.imageOk != have.imageOk)
        return QStringLiteral("%1 trailer: image_ok is %2, expected %3")
            .arg(slotName(slot), flagName(have.imageOk), flagName(*want.imageOk));
    if (want.copyDone && *want.copyDone != have.copyDone)
        return QStringLiteral("%1 trailer: copy_done is %2, expected %3")
            .arg(slotName(slot), flagName(have.copyDone), flagName(*want.copyDone));
    return std::nullopt;
}

} // namespace

qint64 powerCutFlashOperations(const BootFlash& flash)
{
    return flash.stats().writes + flash.stats().sectorErases;
}

std::optional<QString> checkPowerCutOutcome(const BootLoader& board, const BootResult& boot,
                                            const PowerCutImages& images, const PowerCutOutcome& expected)
{
    if (boot.powerLost)
        return QStringLiteral("the boot did not complete (power lost)");
    if (!boot.booted)
        return QStringLiteral("the board does not boot: %1").arg(boot.log.isEmpty() ? QString() : boot.log.last());
    const QString running = expected.runsNew ? QStringLiteral("new") : QStringLiteral("old");
    const QString other = expected.runsNew ? QStringLiteral("old") : QStringLiteral("new");
    if (boot.slot != expected.runningSlot)
        return QStringLiteral("runs from the %1 slot, expected the %2 slot").arg(slotName(boot.slot), slotName(expected.runningSlot));
    QString why;
    if (!board.imageValid(boot.slot, &why))
        return QStringLiteral("the running image is not valid: %1").arg(why);
    const BootFlash& flash = board.flash();
    const QByteArray& runningImage = expected.runsNew ? images.newImage : images.oldImage;
    const QByteArray& otherImage = expected.runsNew ? images.oldImage : images.newImage;
    if (auto wrong = compareImage(flash, boot.slot, runningImage, running))
        return QStringLiteral("runs version %1: %2").arg(boot.version.toString(), *wrong);
    if (auto wrong = compareTrailer(flash, kPrimarySlot, expected.primary))
        return wrong;
    if (auto wrong = compareTrailer(flash, kSecondarySlot, expected.secondary))
        return wrong;
    if (expected.secondaryHoldsOther)
        if (auto wrong = compareImage(flash, kSecondarySlot, otherImage, other))
            return wrong;
    if (expected.secondaryErased && board.slotImage(kSecondarySlot).headerValid)
        return QStringLiteral("the secondary slot still has an image header (version %1): it could be applied again")
            .arg(board.slotImage(kSecondarySlot).version.toString());
    if (flash.stats().overwrites != 0)
        return QStringLiteral("%1 write(s) tried to turn programmed bits back to 1 without an erase")
            .arg(flash.stats().overwrites);
    return std::nullopt;
}

void losePowerCutSwapStatus(BootFlash& flash)
{
    const TrailerLayout t = flash.trailer(kPrimarySlot);
    QByteArray bytes = flash.slotBytes(kPrimarySlot);
    const qint64 statusBytes = t.swapSize - t.status;   // the entries end where the trailer info starts
    bytes.replace(t.status, statusBytes, QByteArray(statusBytes, char(0xff)));
    (void)flash.program(kPrimarySlot, bytes);
}

} // namespace otalab::core::mcuboot
