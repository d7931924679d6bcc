// SPDX-License-Identifier: Apache-2.0
// The exhaustive MCUboot power-cut campaign, after MCUboot's own simulator
// (sim/src/image.rs run_perm_with_fails, run_revert_with_fails, run_perm_with_random_fails):
// for each swap type, count the flash operations N of an uninterrupted upgrade boot, then
// for every cut point k = 1..N take a fresh board, lose power AT operation k (operations
// 1..k-1 reached the flash, k and later did not), reboot until a boot completes, and
// check the outcome (powercut_checks.h) and that the next boot is stable — or, after an
// unconfirmed test boot, that confirming keeps the image and that without the
// confirmation the next boot reverts, itself cut at op (k-1) mod N_revert + 1. Then
// double cuts (k in the first boot, j in the resume) over a sampled grid, and seeded
// random multi-cut runs.
//
// Sans-IO, deterministic (same config → same result), single-threaded; the optional
// progress callback runs on the caller's thread.
#pragma once

#include "core/mcuboot/powercut_board.h"

#include <QString>
#include <functional>
#include <optional>
#include <vector>

namespace otalab::core::mcuboot {

enum class PowerCutSabotage {
    None,
    // After every interrupted boot the swap status entries are erased, as a loader that
    // skipped the status writes would leave them: the campaign must report failures.
    LoseSwapStatus,
};

struct PowerCutProgress {
    PowerCutSwap swap = PowerCutSwap::Test;
    QString phase;     // "single", "double", "random"
    int done = 0;      // runs finished in this phase
    int total = 0;
};

struct PowerCutConfig {
    BootStrategy strategy = BootStrategy::SwapMove;   // DirectXip never writes: nothing to cut
    std::vector<PowerCutSwap> swaps;   // empty: every swap the strategy performs (powerCutSwapsFor)
    // Flash layout; nullopt: slots just large enough for the larger image
    // (powerCutGeometryFor with the three fields below).
    std::optional<FlashGeometry> geometry;
    int sectorSize = 1024;      // derived layout: erase sector (bytes), write alignment,
    int writeAlign = 4;         // and the primary one sector larger (swap-move layout)
    bool primaryLarger = false;
    qint64 oldBodyBytes = 5000;   // image bodies (header and TLVs come on top)
    qint64 newBodyBytes = 7000;
    std::uint64_t seed = 1;       // images, key (when none given), double-cut and random picks
    crypto::PKey signingKey;      // null: an Ed25519 key derived from the seed
    bool trustSigningKey = true;  // the loader trusts the signing key (else: SHA256 only)
    int doubleCuts = 0;           // (k, j) pairs per swap type, k spread over 1..N, j seeded in
                                  // 1..ops of the resume; repeated pairs run once
    int randomRuns = 0;           // multi-cut runs per swap type (none when N < 2)
    int cutsPerRandomRun = 4;     // at most this many cuts per random run
    int maxRecoveryBoots = 4;     // boots without a cut allowed until one completes
    int failuresKept = 50;        // failures stored per swap type (all are counted)
    PowerCutSabotage sabotage = PowerCutSabotage::None;
    std::function<void(const PowerCutProgress&)> progress;
};

struct PowerCutFailure {
    PowerCutSwap swap = PowerCutSwap::Test;
    QString phase;          // "uninterrupted", "single", "double", "random", "follow-up"
    std::vector<int> cuts;  // the cut points in order: {k}, {k, j}, or a random sequence
    QString what;           // the first thing that was wrong
    QString toString() const;   // "test: cut at op 17 (of 96): runs version 1.0.0: ..."
};

struct PowerCutSwapResult {
    PowerCutSwap swap = PowerCutSwap::Test;
    int flashOps = 0;            // N: flash operations of the uninterrupted boot under test
    int followUpOps = 0;         // operations of the uninterrupted follow-up revert (0: none)
    int cutsTried = 0;           // single cuts: N when the run completed
    int cutsRecovered = 0;
    int doubleTried = 0;
    int doubleRecovered = 0;
    int randomTried = 0;
    int randomRecovered = 0;
    int failureCount = 0;        // runs that failed (failures keeps the first failuresKept)
    std::vector<PowerCutFailure> failures;
    bool ok() const { return failureCount == 0; }
};

struct PowerCutResult {
    BootStrategy strategy = BootStrategy::SwapMove;
    FlashGeometry geometry;
    qint64 oldImageBytes = 0;
    qint64 newImageBytes = 0;
    std::vector<PowerCutSwapResult> swaps;
    bool ok() const;
    int failureCount() const;
};

// Resolved pieces of a campaign (layout, key, images, loader config), shared by its swaps.
struct PowerCutSetup {
    FlashGeometry geometry;
    BootConfig boot;
    PowerCutImages images;
    std::vector<PowerCutSwap> swaps;
};
// Errors: a strategy/swap that does not write (direct-xip, overwrite-only revert), a
// layout that fails FlashGeometry::check(), images that do not fit, a key that cannot sign.
Result<PowerCutSetup> powerCutSetup(const PowerCutConfig& config);

// One swap type of a campaign (the CLI times them one by one).
Result<PowerCutSwapResult> runPowerCutSwap(const PowerCutConfig& config, const PowerCutSetup& setup, PowerCutSwap swap);
// One run with explicit cut points: the boot under test loses power at op cuts[0], its
// resume at op cuts[1], ... (a boot that completes first ends the sequence), then the
// same checks as the campaign's runs. The value: the first problem, nullopt when right.
Result<std::optional<QString>> runPowerCutSequence(const PowerCutConfig& config, const PowerCutSetup& setup,
                                                   PowerCutSwap swap, const std::vector<int>& cuts);
// Every swap type of the config.
Result<PowerCutResult> runPowerCutCampaign(const PowerCutConfig& config);

} // namespace otalab::core::mcuboot
