// SPDX-License-Identifier: Apache-2.0
// The pieces of a power-cut campaign (powercut_campaign.h) that set a board up: a
// deterministic signing key and image pair, a flash layout sized for an image, a board
// in the state just before the boot under test, and what that boot must leave behind
// (the per-strategy rules the checks in powercut_checks.h apply).
// Sans-IO, single-threaded; boards are independent values (copying one = a fresh board
// in the same state: flash bytes are shared copy-on-write until written).
#pragma once

#include "core/common/error.h"
#include "core/crypto/pkey.h"
#include "core/mcuboot/boot_loader.h"

#include <QByteArray>
#include <optional>
#include <vector>

namespace otalab::core::mcuboot {

// The upgrade the campaign interrupts.
enum class PowerCutSwap {
    Test,     // secondary marked pending (test): swap-move swaps, overwrite-only copies, direct-xip boots it once
    Perm,     // secondary marked pending permanent (confirmed upload)
    Revert,   // the boot after an unconfirmed test boot: the old image comes back
};
QString powerCutSwapName(PowerCutSwap swap);   // "test", "perm", "revert"
Result<PowerCutSwap> powerCutSwapFromName(const QString& name);
// The swaps a strategy performs with flash writes: swap-move and direct-xip-revert all
// three, overwrite-only test and perm (no revert), plain direct-xip none (it never writes).
std::vector<PowerCutSwap> powerCutSwapsFor(BootStrategy strategy);

// splitmix64: a portable seeded stream (the same numbers on every platform).
class PowerCutRandom {
public:
    explicit PowerCutRandom(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next();
    int below(int bound) { return bound <= 0 ? 0 : int(next() % std::uint64_t(bound)); }   // 0..bound-1

private:
    std::uint64_t m_state;
};

// Deterministic Ed25519 key from a seed (RFC 8032 private key = 32 seed-derived bytes),
// so the same campaign builds byte-identical images every time. Test/lab use only.
Result<crypto::PKey> powerCutKeyFromSeed(std::uint64_t seed);

// Bytes the trailer takes in a slot of `geometry` (boot_trailer_sz(), swap layout).
qint64 powerCutTrailerBytes(const FlashGeometry& geometry);
// The largest image (header + body + TLVs, bytes) `strategy` can upgrade in `geometry`:
// swap-move keeps one sector free for the move and the trailer sectors; the others keep
// the trailer sectors of the smaller slot.
qint64 powerCutMaxImageBytes(const FlashGeometry& geometry, BootStrategy strategy);
// Slots just large enough for an image of `imageBytes`: its sectors + the move sector +
// the trailer sectors; `primaryLarger`: the primary one sector larger (swap-move layout:
// the secondary then holds only image + trailer). maxImageSectors = the primary's count.
FlashGeometry powerCutGeometryFor(qint64 imageBytes, int sectorSize, int writeAlign, bool primaryLarger);

struct PowerCutImages {
    QByteArray oldImage;   // runs on the board before the upgrade (version 1.0.0)
    QByteArray newImage;   // uploaded to the secondary slot (version 2.0.0)
};
// Signed images with `oldBodyBytes` / `newBodyBytes` of pseudo-random body from `seed`
// (32-byte header, SHA256 + KEYHASH + signature TLVs). Fails when the key cannot sign.
Result<PowerCutImages> makePowerCutImages(qint64 oldBodyBytes, qint64 newBodyBytes, const crypto::PKey& signingKey,
                                          std::uint64_t seed);
// Image bytes for a body of `bodyBytes` (the TLV overhead of the key type added).
qint64 powerCutImageBytes(qint64 bodyBytes, const crypto::PKey& signingKey);

// A board whose next reboot() is the boot under test: the old image programmed into the
// primary slot (confirmed with a trailer for direct-xip, which boots nothing without one),
// the new one in the secondary, marked pending (test/perm); for revert, after the
// uninterrupted test boot. Error when the set-up itself does not end as it must.
Result<BootLoader> preparePowerCutBoard(const FlashGeometry& geometry, const BootConfig& config,
                                        const PowerCutImages& images, PowerCutSwap swap);

// Expected trailer flags of a slot; nullopt = not checked.
struct TrailerExpectation {
    std::optional<Magic> magic;
    std::optional<Flag> imageOk;
    std::optional<Flag> copyDone;
};

// What a completed boot under test must leave (MCUboot sim's verify_image/verify_trailer).
struct PowerCutOutcome {
    bool runsNew = true;           // the running image is the new one (else the old one)
    int runningSlot = kPrimarySlot;
    TrailerExpectation primary;
    TrailerExpectation secondary;
    bool secondaryHoldsOther = false;   // swap: the secondary holds the other image byte for byte
    bool secondaryErased = false;       // the secondary has no image header any more
    // The next (unconfirmed) boot: nullopt = stable (same image, no flash write);
    // otherwise it is a revert to check like PowerCutSwap::Revert.
    std::optional<PowerCutSwap> nextBoot;
};
PowerCutOutcome powerCutOutcome(BootStrategy strategy, PowerCutSwap swap);

} // namespace otalab::core::mcuboot
