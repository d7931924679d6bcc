// SPDX-License-Identifier: Apache-2.0
// The simulated MCUboot board: bootutil's swap table, test → revert, confirm, permanent
// swaps, power cuts at every sector and every flash operation of a swap, rejection of
// bad images, overwrite-only and direct-xip.
#include "core/mcuboot/boot_loader.h"
#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_trailer.h"
#include "mcuboot_fixtures.h"

#include <gtest/gtest.h>

namespace otalab::core::mcuboot {
namespace {

using test::mcuboot::testKey;

crypto::PKey signer() { return testKey(QStringLiteral("ed25519.pem")); }
crypto::PKey trusted() { return testKey(QStringLiteral("ed25519.pub.pem")); }

// 16 slots sectors of 1 KiB; the trailer (16 entries * 3 * 4 + 48 bytes) takes the last one.
FlashGeometry smallFlash()
{
    FlashGeometry g;
    g.primarySize = g.secondarySize = 16 * 1024;
    g.sectorSize = 1024;
    g.writeAlign = 4;
    g.maxImageSectors = 16;
    return g;
}

ImageVersion ver(const char* text) { return *ImageVersion::parse(QString::fromLatin1(text)); }

QByteArray makeImage(const char* version, int bodySize = 5000, std::optional<crypto::PKey> key = signer(),
                     std::uint32_t flags = 0)
{
    ImageCreateOptions o;
    o.headerSize = 32;
    o.padHeader = true;
    o.version = ver(version);
    o.signingKey = std::move(key);
    o.extraFlags = flags;
    QByteArray body(bodySize, '\0');
    const int seed = int(qHash(QByteArray(version)));
    for (int i = 0; i < bodySize; ++i)
        body[i] = char((i * 31 + seed) & 0xff);
    auto image = createImage(body, o);
    EXPECT_TRUE(image) << image.error().toString().toStdString();
    return image.value_or(QByteArray());
}

BootConfig config(BootStrategy strategy = BootStrategy::SwapMove)
{
    BootConfig c;
    c.strategy = strategy;
    c.keys = {trusted()};
    return c;
}

// A board running `primary` (flashed by a programmer) with `secondary` uploaded.
BootLoader boardWith(const QByteArray& primary, const QByteArray& secondary = {}, BootConfig c = config())
{
    BootLoader board(smallFlash(), std::move(c));
    EXPECT_TRUE(board.flash().program(kPrimarySlot, primary));
    if (!secondary.isEmpty())
        EXPECT_TRUE(board.flash().program(kSecondarySlot, secondary));
    return board;
}

QString running(const BootLoader& board)
{
    if (!board.isRunning())
        return QStringLiteral("nothing");
    return board.slotImage(*board.activeSlot()).version.toString();
}

// Raw trailer bytes for the swap-table test.
void putMagic(BootFlash& f, int slot, Magic m)
{
    if (m == Magic::Good)
        ASSERT_TRUE(writeMagic(f, slot));
    else if (m == Magic::Bad)
        ASSERT_TRUE(f.write(slot, f.trailer(slot).magic, QByteArray(16, '\x5a')));
}

void putFlag(BootFlash& f, int slot, qint64 offset, Flag flag)
{
    if (flag == Flag::Unset)
        return;
    QByteArray bytes(4, '\xff');
    bytes[0] = flag == Flag::Set ? '\x01' : '\x00';
    ASSERT_TRUE(f.write(slot, offset, bytes));
}

TEST(McubootBootFlash, WritesAreAlignedAndOnlyClearBits)
{
    BootFlash f(smallFlash());
    EXPECT_TRUE(f.isErased(kPrimarySlot, 0, f.slotSize(kPrimarySlot)));
    EXPECT_FALSE(f.write(kPrimarySlot, 2, QByteArray(4, '\0')));   // misaligned offset
    EXPECT_FALSE(f.write(kPrimarySlot, 0, QByteArray(3, '\0')));   // misaligned length
    EXPECT_FALSE(f.write(kPrimarySlot, 16 * 1024, QByteArray(4, '\0')));
    ASSERT_TRUE(f.write(kPrimarySlot, 0, QByteArray::fromHex("f0f0f0f0")));
    EXPECT_EQ(f.stats().overwrites, 0);
    ASSERT_TRUE(f.write(kPrimarySlot, 0, QByteArray::fromHex("0f0fffff")));
    EXPECT_EQ(f.read(kPrimarySlot, 0, 4).toHex(), QByteArray("0000f0f0"));
    EXPECT_EQ(f.stats().overwrites, 1);
    ASSERT_TRUE(f.erase(kPrimarySlot, 1000, 100));   // touches sectors 0 and 1
    EXPECT_TRUE(f.isErased(kPrimarySlot, 0, 2048));
    EXPECT_EQ(f.stats().sectorErases, 2);
}

TEST(McubootBootFlash, PowerCutDropsLaterOperations)
{
    BootFlash f(smallFlash());
    f.cutPowerAfterOperations(2);
    EXPECT_TRUE(f.write(kPrimarySlot, 0, QByteArray(4, '\0')));
    EXPECT_TRUE(f.write(kPrimarySlot, 4, QByteArray(4, '\0')));
    EXPECT_FALSE(f.write(kPrimarySlot, 8, QByteArray(4, '\0')));
    EXPECT_TRUE(f.powerLost());
    EXPECT_FALSE(f.eraseSlot(kPrimarySlot));
    EXPECT_TRUE(f.isErased(kPrimarySlot, 8, 4));
    f.powerOn();
    EXPECT_TRUE(f.write(kPrimarySlot, 8, QByteArray(4, '\0')));
}

TEST(McubootBootFlash, TrailerOffsetsMatchImgtoolPadding)
{
    FlashGeometry g = smallFlash();
    g.writeAlign = 8;
    BootFlash f(g);
    const TrailerLayout t = f.trailer(kSecondarySlot);
    EXPECT_EQ(t.magic, 16 * 1024 - 16);
    EXPECT_EQ(t.imageOk, 16 * 1024 - 24);
    EXPECT_EQ(t.copyDone, 16 * 1024 - 32);
    EXPECT_EQ(t.swapInfo, 16 * 1024 - 40);
    EXPECT_EQ(t.swapSize, 16 * 1024 - 48);
    EXPECT_EQ(t.size, *trailerSize(TrailerOptions{8, 16}, false));

    // An image padded and confirmed by imgtool reads back as magic good, image_ok set.
    ImageCreateOptions o;
    o.padHeader = true;
    o.version = ver("1.0.0");
    o.pad = true;
    o.confirm = true;
    o.slotSize = 16 * 1024;
    o.trailer = TrailerOptions{8, 16};
    auto padded = createImage(QByteArray(100, 'x'), o);
    ASSERT_TRUE(padded);
    ASSERT_TRUE(f.program(kSecondarySlot, *padded));
    const SwapState s = readSwapState(f, kSecondarySlot);
    EXPECT_EQ(s.magic, Magic::Good);
    EXPECT_EQ(s.imageOk, Flag::Set);
    EXPECT_EQ(s.copyDone, Flag::Unset);
    EXPECT_EQ(swapType(f), SwapType::Perm);   // a padded, confirmed upload asks for a permanent swap
}

// Every combination of the five trailer fields the table looks at, against bootutil's
// boot_swap_tables read row by row (secondary rows first).
TEST(McubootBootFlash, SwapTypeFollowsBootSwapTablesForEveryCombination)
{
    const Magic magics[] = {Magic::Good, Magic::Bad, Magic::Unset};
    const Flag flags[] = {Flag::Set, Flag::Bad, Flag::Unset};
    int combinations = 0;
    for (Magic pm : magics)
        for (Magic sm : magics)
            for (Flag pok : flags)
                for (Flag sok : flags)
                    for (Flag pcd : flags) {
                        BootFlash f(smallFlash());
                        putMagic(f, kPrimarySlot, pm);
                        putMagic(f, kSecondarySlot, sm);
                        putFlag(f, kPrimarySlot, f.trailer(kPrimarySlot).imageOk, pok);
                        putFlag(f, kSecondarySlot, f.trailer(kSecondarySlot).imageOk, sok);
                        putFlag(f, kPrimarySlot, f.trailer(kPrimarySlot).copyDone, pcd);
                        SwapType expected = SwapType::None;
                        if (sm == Magic::Good && sok == Flag::Unset)
                            expected = SwapType::Test;
                        else if (sm == Magic::Good && sok == Flag::Set)
                            expected = SwapType::Perm;
                        else if (pm == Magic::Good && sm == Magic::Unset && pok == Flag::Unset && pcd == Flag::Set)
                            expected = SwapType::Revert;
                        EXPECT_EQ(swapType(f), expected) << int(pm) << int(sm) << int(pok) << int(sok) << int(pcd);
                        ++combinations;
                    }
    EXPECT_EQ(combinations, 243);
}

TEST(McubootBootFlash, SetNextWritesTestPermAndConfirm)
{
    BootFlash f(smallFlash());
    EXPECT_EQ(setNext(f, kSecondarySlot, false, false), BootRc::Ok);
    EXPECT_EQ(readSwapState(f, kSecondarySlot).swapType, SwapType::Test);
    EXPECT_EQ(swapType(f), SwapType::Test);
    EXPECT_EQ(setNext(f, kSecondarySlot, false, true), BootRc::Ok);   // already scheduled: unchanged
    EXPECT_EQ(swapType(f), SwapType::Test);

    BootFlash g(smallFlash());
    EXPECT_EQ(setNext(g, kSecondarySlot, false, true), BootRc::Ok);
    EXPECT_EQ(readSwapState(g, kSecondarySlot).imageOk, Flag::Set);
    EXPECT_EQ(swapType(g), SwapType::Perm);
    EXPECT_EQ(setNext(g, kPrimarySlot, true, false), BootRc::Ok);   // active, no magic: nothing to do
    EXPECT_EQ(readSwapState(g, kPrimarySlot).magic, Magic::Unset);

    putMagic(g, kSecondarySlot, Magic::Bad);   // corrupt magic over the good one
    EXPECT_EQ(setNext(g, kSecondarySlot, false, false), BootRc::BadImage);
    EXPECT_TRUE(g.isErased(kSecondarySlot, 0, g.slotSize(kSecondarySlot)));
}

TEST(McubootBoot, BootsTheProgrammedImage)
{
    BootLoader board = boardWith(makeImage("1.0.0"));
    const BootResult r = board.reboot();
    EXPECT_TRUE(r.booted);
    EXPECT_EQ(r.slot, kPrimarySlot);
    EXPECT_EQ(r.version, ver("1.0.0"));
    EXPECT_EQ(r.swapType, SwapType::None);
    EXPECT_TRUE(board.imageValid(kPrimarySlot));

    BootLoader empty(smallFlash(), config());
    EXPECT_FALSE(empty.reboot().booted);
    EXPECT_FALSE(empty.isRunning());
}

TEST(McubootBoot, TestSwapRunsTheNewImageOnceThenReverts)
{
    BootLoader board = boardWith(makeImage("1.0.0"), makeImage("2.0.0", 7000));
    ASSERT_TRUE(board.reboot().booted);
    ASSERT_EQ(setPending(board.flash(), false), BootRc::Ok);
    EXPECT_EQ(swapType(board.flash()), SwapType::Test);

    BootResult r = board.reboot();
    EXPECT_EQ(r.swapType, SwapType::Test);
    EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
    EXPECT_EQ(board.slotImage(kSecondarySlot).version, ver("1.0.0"));   // the old image, swapped out
    EXPECT_EQ(swapType(board.flash()), SwapType::Revert);               // unconfirmed
    EXPECT_GT(r.sectorSteps, 0);

    r = board.reboot();   // no confirm: back to 1.0.0, which is now confirmed
    EXPECT_EQ(r.swapType, SwapType::Revert);
    EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
    EXPECT_EQ(board.slotImage(kSecondarySlot).version, ver("2.0.0"));
    EXPECT_EQ(readSwapState(board.flash(), kPrimarySlot).imageOk, Flag::Set);
    EXPECT_EQ(swapType(board.flash()), SwapType::None);

    r = board.reboot();
    EXPECT_EQ(r.swapType, SwapType::None);
    EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
    EXPECT_EQ(board.flash().stats().overwrites, 0);   // every write went to erased flash
}

TEST(McubootBoot, ConfirmKeepsTheTestedImage)
{
    BootLoader board = boardWith(makeImage("1.0.0"), makeImage("1.1.0"));
    ASSERT_EQ(setPending(board.flash(), false), BootRc::Ok);
    ASSERT_EQ(board.reboot().swapType, SwapType::Test);
    ASSERT_EQ(setConfirmed(board.flash()), BootRc::Ok);
    EXPECT_EQ(swapType(board.flash()), SwapType::None);
    for (int i = 0; i < 2; ++i) {
        const BootResult r = board.reboot();
        EXPECT_EQ(r.swapType, SwapType::None);
        EXPECT_EQ(running(board), QStringLiteral("1.1.0+0"));
    }
    EXPECT_EQ(setConfirmed(board.flash()), BootRc::Ok);   // confirming twice is fine
}

TEST(McubootBoot, PermanentSwapNeedsNoConfirm)
{
    BootLoader board = boardWith(makeImage("1.0.0"), makeImage("3.0.0", 9000));
    ASSERT_EQ(setPending(board.flash(), true), BootRc::Ok);
    EXPECT_EQ(board.reboot().swapType, SwapType::Perm);
    EXPECT_EQ(running(board), QStringLiteral("3.0.0+0"));
    EXPECT_EQ(swapType(board.flash()), SwapType::None);
    EXPECT_EQ(board.reboot().swapType, SwapType::None);
    EXPECT_EQ(running(board), QStringLiteral("3.0.0+0"));
}

TEST(McubootBoot, InvalidCandidatesAreErasedAndTheOldImageStays)
{
    struct Case { const char* what; QByteArray image; };
    QByteArray corrupt = makeImage("2.0.0");
    corrupt[100] = char(corrupt[100] ^ 0x01);
    const std::vector<Case> cases = {
        {"signed by an untrusted key", makeImage("2.0.0", 5000, testKey(QStringLiteral("ecdsa-p256.pem")))},
        {"unsigned", makeImage("2.0.0", 5000, std::nullopt)},
        {"body changed after signing", corrupt},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        BootLoader board = boardWith(makeImage("1.0.0"), c.image);
        QString why;
        EXPECT_FALSE(board.imageValid(kSecondarySlot, &why));
        EXPECT_FALSE(why.isEmpty());
        ASSERT_EQ(setPending(board.flash(), false), BootRc::Ok);
        const BootResult r = board.reboot();
        EXPECT_EQ(r.swapType, SwapType::None);
        EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
        EXPECT_TRUE(board.flash().isErased(kSecondarySlot, 0, board.flash().slotSize(kSecondarySlot)));
        EXPECT_TRUE(r.log.join(QLatin1Char('\n')).contains(QStringLiteral("not valid")));
    }
}

TEST(McubootBoot, WithoutKeysOnlyTheHashIsChecked)
{
    BootConfig c = config();
    c.keys.clear();
    BootLoader board = boardWith(makeImage("1.0.0"), makeImage("2.0.0", 5000, std::nullopt), c);
    ASSERT_EQ(setPending(board.flash(), false), BootRc::Ok);
    EXPECT_EQ(board.reboot().swapType, SwapType::Test);
    EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
}

TEST(McubootBoot, ABadPrimaryDoesNotBoot)
{
    QByteArray primary = makeImage("1.0.0");
    primary[200] = char(primary[200] ^ 0x80);
    BootLoader board = boardWith(primary);
    EXPECT_FALSE(board.reboot().booted);
    EXPECT_FALSE(board.activeSlot());
}

TEST(McubootBoot, DowngradePreventionErasesAnOlderCandidate)
{
    BootConfig c = config();
    c.downgradePrevention = true;
    BootLoader board = boardWith(makeImage("2.0.0"), makeImage("1.5.0"), c);
    ASSERT_EQ(setPending(board.flash(), false), BootRc::Ok);
    EXPECT_EQ(board.reboot().swapType, SwapType::None);
    EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
    EXPECT_FALSE(board.slotImage(kSecondarySlot).headerValid);
}

TEST(McubootBoot, AnImageWithoutRoomForTheMoveSectorIsNotSwapped)
{
    // 15 sectors of image + the move sector + the trailer sector exceed 16 sectors.
    BootLoader board = boardWith(makeImage("1.0.0"), makeImage("2.0.0", 14 * 1024 + 100));
    ASSERT_EQ(setPending(board.flash(), false), BootRc::Ok);
    const BootResult r = board.reboot();
    EXPECT_EQ(r.swapType, SwapType::None);
    EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
    EXPECT_TRUE(r.log.join(QLatin1Char('\n')).contains(QStringLiteral("Not enough free space")));
}

TEST(McubootBoot, AnErasedCandidateWithATrailerLeftIsCleaned)
{
    BootLoader board = boardWith(makeImage("1.0.0"));
    ASSERT_EQ(setPending(board.flash(), false), BootRc::Ok);   // trailer without an image
    EXPECT_EQ(board.reboot().swapType, SwapType::None);
    EXPECT_EQ(readSwapState(board.flash(), kSecondarySlot).magic, Magic::Unset);
    EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
}

// --- power cuts ------------------------------------------------------------------------

struct SwapRun {
    int steps = 0;
    qint64 operations = 0;
};

// How many sector steps and flash operations an uninterrupted test swap takes.
SwapRun measureTestSwap()
{
    BootLoader board = boardWith(makeImage("1.0.0"), makeImage("2.0.0", 7000));
    setPending(board.flash(), false);
    const qint64 before = board.flash().stats().writes + board.flash().stats().sectorErases;
    const BootResult r = board.reboot();
    return {r.sectorSteps, board.flash().stats().writes + board.flash().stats().sectorErases - before};
}

TEST(McubootBootPowerCut, TestSwapResumesAfterACutAtEverySector)
{
    const QByteArray v1 = makeImage("1.0.0");
    const QByteArray v2 = makeImage("2.0.0", 7000);
    const int steps = measureTestSwap().steps;
    ASSERT_EQ(steps, 8 + 2 * 8);   // 7000 + header + TLVs = 8 sectors moved, then swapped in two steps
    for (int cut = 0; cut < steps; ++cut) {
        SCOPED_TRACE(cut);
        BootLoader board = boardWith(v1, v2);
        ASSERT_EQ(setPending(board.flash(), false), BootRc::Ok);
        board.powerCutAfterSectors(cut);
        const BootResult interrupted = board.reboot();
        EXPECT_TRUE(interrupted.powerLost);
        EXPECT_FALSE(board.isRunning());
        const BootResult resumed = board.reboot();
        EXPECT_FALSE(resumed.powerLost);
        EXPECT_EQ(resumed.resumed, cut > 0);   // cut 0: the status has no entry yet, the swap restarts
        EXPECT_EQ(resumed.swapType, SwapType::Test);
        EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
        EXPECT_EQ(swapType(board.flash()), SwapType::Revert);
        EXPECT_EQ(board.slotImage(kSecondarySlot).version, ver("1.0.0"));
        EXPECT_EQ(board.reboot().swapType, SwapType::Revert);   // still unconfirmed: revert
        EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
        EXPECT_EQ(board.flash().stats().overwrites, 0);
    }
}

TEST(McubootBootPowerCut, RevertResumesAfterACutAtEverySector)
{
    const QByteArray v1 = makeImage("1.0.0");
    const QByteArray v2 = makeImage("2.0.0", 7000);
    for (int cut = 0; cut < 24; ++cut) {
        SCOPED_TRACE(cut);
        BootLoader board = boardWith(v1, v2);
        setPending(board.flash(), false);
        ASSERT_EQ(board.reboot().swapType, SwapType::Test);
        board.powerCutAfterSectors(cut);
        EXPECT_TRUE(board.reboot().powerLost);
        board.reboot();
        EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
        EXPECT_EQ(swapType(board.flash()), SwapType::None);
        EXPECT_EQ(board.reboot().swapType, SwapType::None);
        EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
    }
}

// Finer than sectors: the power fails after every single flash write or erase of the
// swap, including the trailer and status writes; the next boot must still end right.
TEST(McubootBootPowerCut, TestSwapSurvivesACutAfterEveryFlashOperation)
{
    const QByteArray v1 = makeImage("1.0.0");
    const QByteArray v2 = makeImage("2.0.0", 7000);
    const qint64 operations = measureTestSwap().operations;
    ASSERT_GT(operations, 24);
    for (qint64 cut = 0; cut < operations; ++cut) {
        SCOPED_TRACE(cut);
        BootLoader board = boardWith(v1, v2);
        setPending(board.flash(), false);
        board.flash().cutPowerAfterOperations(int(cut));
        EXPECT_TRUE(board.reboot().powerLost);
        board.reboot();
        EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
        EXPECT_EQ(swapType(board.flash()), SwapType::Revert);
        ASSERT_EQ(setConfirmed(board.flash()), BootRc::Ok);
        board.reboot();
        EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
    }
}

TEST(McubootBootPowerCut, RevertSurvivesACutAfterEveryFlashOperation)
{
    const QByteArray v1 = makeImage("1.0.0");
    const QByteArray v2 = makeImage("2.0.0", 7000);
    qint64 operations = 0;
    {
        BootLoader board = boardWith(v1, v2);
        setPending(board.flash(), false);
        board.reboot();
        const qint64 before = board.flash().stats().writes + board.flash().stats().sectorErases;
        ASSERT_EQ(board.reboot().swapType, SwapType::Revert);
        operations = board.flash().stats().writes + board.flash().stats().sectorErases - before;
    }
    ASSERT_GT(operations, 24);
    for (qint64 cut = 0; cut < operations; ++cut) {
        SCOPED_TRACE(cut);
        BootLoader board = boardWith(v1, v2);
        setPending(board.flash(), false);
        ASSERT_EQ(board.reboot().swapType, SwapType::Test);
        board.flash().cutPowerAfterOperations(int(cut));
        EXPECT_TRUE(board.reboot().powerLost);
        board.reboot();
        EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
        EXPECT_EQ(swapType(board.flash()), SwapType::None);
        board.reboot();
        EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
        EXPECT_EQ(board.flash().stats().overwrites, 0);
    }
}

TEST(McubootBootPowerCut, OverwriteOnlyCopiesAgainAfterACut)
{
    const QByteArray v1 = makeImage("1.0.0");
    const QByteArray v2 = makeImage("2.0.0", 7000);
    const int steps = 2 * 16 + 2;   // erase 16 sectors, copy 16, erase secondary header + trailer
    for (int cut = 0; cut <= steps; ++cut) {
        SCOPED_TRACE(cut);
        BootLoader board = boardWith(v1, v2, config(BootStrategy::OverwriteOnly));
        setPending(board.flash(), false);
        board.powerCutAfterSectors(cut);
        const BootResult first = board.reboot();
        EXPECT_EQ(first.powerLost, cut < steps);
        board.reboot();
        EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
        // No revert in overwrite-only. A cut between erasing the secondary header and its
        // trailer leaves the trailer behind (MCUboot cleans it only in swap modes): the
        // table still says test, but the erased header makes every boot skip it.
        EXPECT_EQ(swapType(board.flash()), cut == steps - 1 ? SwapType::Test : SwapType::None);
        EXPECT_EQ(board.reboot().swapType, SwapType::None);
        EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
    }
}

TEST(McubootBoot, PrimaryOneSectorLargerIsTheSwapMoveLayout)
{
    FlashGeometry g = smallFlash();
    g.primarySize = g.secondarySize + g.sectorSize;
    g.maxImageSectors = 17;   // BOOT_MAX_IMG_SECTORS counts the primary's sectors
    EXPECT_TRUE(g.check());
    BootLoader board(g, config());
    ASSERT_TRUE(board.flash().program(kPrimarySlot, makeImage("1.0.0")));
    // 14 KiB + 100: fits the secondary slot minus its trailer sector, and the primary has
    // its extra sector for the move.
    ASSERT_TRUE(board.flash().program(kSecondarySlot, makeImage("2.0.0", 14 * 1024 + 100)));
    setPending(board.flash(), false);
    EXPECT_EQ(board.reboot().swapType, SwapType::Test);
    EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
    EXPECT_EQ(board.reboot().swapType, SwapType::Revert);
    EXPECT_EQ(running(board), QStringLiteral("1.0.0+0"));
}

TEST(McubootBoot, UnusableLayoutsAreReported)
{
    FlashGeometry g = smallFlash();
    g.secondarySize = 3000;   // not a multiple of the sector size
    EXPECT_FALSE(g.check());
    BootLoader board(g, config());
    const BootResult r = board.reboot();
    EXPECT_FALSE(r.booted);
    EXPECT_TRUE(r.log.join(QLatin1Char('\n')).contains(QStringLiteral("unusable flash layout")));
    FlashGeometry tooMany = smallFlash();
    tooMany.maxImageSectors = 8;   // 16 sectors cannot be tracked
    EXPECT_FALSE(tooMany.check());
    EXPECT_TRUE(FlashGeometry{}.check());   // the default 0x60000-byte slots of 4 KiB sectors
}

// --- other strategies ------------------------------------------------------------------

TEST(McubootBootStrategies, OverwriteOnlyHasNoRevert)
{
    BootLoader board = boardWith(makeImage("1.0.0"), makeImage("2.0.0"), config(BootStrategy::OverwriteOnly));
    ASSERT_EQ(setPending(board.flash(), false), BootRc::Ok);
    const BootResult r = board.reboot();
    EXPECT_EQ(r.swapType, SwapType::Test);
    EXPECT_EQ(r.sectorSteps, 2 * 16 + 2);
    EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
    EXPECT_FALSE(board.slotImage(kSecondarySlot).headerValid);
    EXPECT_EQ(board.reboot().swapType, SwapType::None);
    EXPECT_EQ(running(board), QStringLiteral("2.0.0+0"));
}

TEST(McubootBootStrategies, DirectXipRunsTheHighestValidVersion)
{
    BootLoader board = boardWith(makeImage("1.0.0"), makeImage("1.2.0"), config(BootStrategy::DirectXip));
    BootResult r = board.reboot();
    EXPECT_EQ(r.slot, kSecondarySlot);
    EXPECT_EQ(r.version, ver("1.2.0"));

    BootLoader older = boardWith(makeImage("1.0.0"), makeImage("0.9.0"), config(BootStrategy::DirectXip));
    EXPECT_EQ(older.reboot().slot, kPrimarySlot);

    BootLoader tie = boardWith(makeImage("1.0.0"), makeImage("1.0.0", 6000), config(BootStrategy::DirectXip));
    EXPECT_EQ(tie.reboot().slot, kPrimarySlot);   // equal versions: the primary slot

    QByteArray bad = makeImage("5.0.0");
    bad[300] = char(bad[300] ^ 0x10);
    BootLoader invalid = boardWith(makeImage("1.0.0"), bad, config(BootStrategy::DirectXip));
    r = invalid.reboot();
    EXPECT_EQ(r.slot, kPrimarySlot);
    EXPECT_TRUE(invalid.flash().isErased(kSecondarySlot, 0, 64));
}

TEST(McubootBootStrategies, DirectXipRomFixedImagesMustSitAtTheirAddress)
{
    ImageCreateOptions o;
    o.padHeader = true;
    o.version = ver("9.0.0");
    o.extraFlags = FlagRomFixed;
    o.loadAddr = 0;   // not the secondary slot's 0x6c000
    o.signingKey = signer();
    auto misplaced = createImage(QByteArray(2000, 'r'), o);
    ASSERT_TRUE(misplaced);
    BootLoader board = boardWith(makeImage("1.0.0"), *misplaced, config(BootStrategy::DirectXip));
    EXPECT_EQ(board.reboot().slot, kPrimarySlot);
}

TEST(McubootBootStrategies, DirectXipWithRevertErasesAnUnconfirmedImageAfterOneBoot)
{
    BootConfig c = config(BootStrategy::DirectXipWithRevert);
    for (bool confirm : {false, true}) {
        SCOPED_TRACE(confirm);
        BootLoader board = boardWith(makeImage("1.0.0"), makeImage("2.0.0"), c);
        // Images need a trailer in this mode; the factory image is flashed confirmed.
        ASSERT_TRUE(writeMagic(board.flash(), kPrimarySlot));
        ASSERT_TRUE(writeImageOk(board.flash(), kPrimarySlot));
        ASSERT_EQ(setNext(board.flash(), kSecondarySlot, false, false), BootRc::Ok);
        BootResult r = board.reboot();
        EXPECT_EQ(r.slot, kSecondarySlot);
        EXPECT_EQ(readSwapState(board.flash(), kSecondarySlot).copyDone, Flag::Set);
        if (confirm)
            ASSERT_EQ(setNext(board.flash(), kSecondarySlot, true, true), BootRc::Ok);
        r = board.reboot();
        EXPECT_EQ(r.slot, confirm ? kSecondarySlot : kPrimarySlot);
        EXPECT_EQ(board.slotImage(kSecondarySlot).headerValid, confirm);
    }

    // Without any trailer an image is not bootable in this mode.
    BootLoader bare = boardWith(makeImage("1.0.0"), {}, c);
    EXPECT_FALSE(bare.reboot().booted);
}

} // namespace
} // namespace otalab::core::mcuboot
