// SPDX-License-Identifier: Apache-2.0
// The SMP push machine: the host's steps for one board, as data and as observer records.
#pragma once

#include "sim/fleet/machinedescription.h"

#include <QString>

#include <cstdint>

namespace otalab::sim {

// StateChange::machine of the SMP host's push steps for one board (from/to =
// SmpPushState). Zigbee uses 16 and 17 (sim/zigbee/otahostbase.h).
inline constexpr std::uint16_t kSmpPushMachine = 32;

// Where the host is with one board. The steps between ReadingState and Confirming are
// those of core/smp UpgradeOperation (test-and-confirm).
enum class SmpPushState : std::uint16_t {
    Queued,          // waiting for a free gateway connection / push slot
    Connecting,      // BLE: scanning + connecting (connectMs)
    ReadingState,    // image state read before the upload
    Uploading,       // image upload chunks
    Testing,         // "image test": the board checks the slot and marks it pending
    Resetting,       // reset request sent, not yet answered
    WaitingForBoot,  // the board restarts: MCUboot swaps, the application starts, the link returns
    CheckingBoot,    // image state read after the reset: which image runs?
    Confirming,      // "image confirm" of the running new image
    RetryWait,       // an attempt failed; the next one starts after retryDelayS
    Upgraded,        // the new image runs, confirmed
    Failed,          // gave up; the reason says where
    Refused,         // the board refused the image (or the image is unfit to send)
    RolledBack,      // the board came back on the old image
};
inline constexpr int kSmpPushStateCount = 14;

QString smpPushStateName(SmpPushState state);   // "waiting for boot"
FleetPhase smpPushPhase(SmpPushState state);
// The machine as data (every state and every edge the host may take).
MachineDescription smpPushMachine();

} // namespace otalab::sim
