// SPDX-License-Identifier: Apache-2.0
// The checks a power-cut campaign applies after every interrupted and recovered boot,
// after MCUboot's simulator (sim/src/image.rs verify_image / verify_trailer): the board
// runs, the running image is valid (hash + signature by a configured key) and is byte
// for byte the expected one, the trailers hold what the swap type leaves, and the
// secondary slot holds what it must. Sans-IO, single-threaded.
#pragma once

#include "core/mcuboot/powercut_board.h"

#include <QString>
#include <optional>

namespace otalab::core::mcuboot {

// Writes + sector erases that reached the flash so far (the unit of a cut point).
qint64 powerCutFlashOperations(const BootFlash& flash);

// The first thing wrong with `board` after a completed boot `boot`, judged against
// `expected`; nullopt when everything holds. The text names the slot, field or byte.
std::optional<QString> checkPowerCutOutcome(const BootLoader& board, const BootResult& boot,
                                            const PowerCutImages& images, const PowerCutOutcome& expected);

// Sabotage for proving the campaign can fail: erases the primary slot's swap status
// entries, as a loader that skipped its status writes would have left them.
void losePowerCutSwapStatus(BootFlash& flash);

} // namespace otalab::core::mcuboot
