// SPDX-License-Identifier: Apache-2.0
// OcfDevice: one OCF device of an ocf fleet as a small struct. Its SwUpdateDevice machine
// and platform (OcfDeviceSlot, ocfplatform.h) are allocated only once the client reaches it
// and dropped at a power cut (RAM lost) and once it ended; what flash keeps stays here.
#pragma once

#include "core/ocf/swupdate_device.h"
#include "sim/fleet/fleetphase.h"
#include "sim/kernel/eventhandle.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/simtime.h"
#include "sim/ocf/ocfimages.h"
#include "sim/ocf/ocflink.h"
#include "sim/ocf/ocfplatform.h"

#include <cstdint>
#include <memory>
#include <optional>

namespace otalab::sim {

// Machine ids (StateChange::machine) of the ocf family.
inline constexpr std::uint16_t kOcfSwUpdateMachine = 60;   // swupdatestate (core SwUpdateState: idle nsa svv sva upgrading)
inline constexpr std::uint16_t kOcfPhaseMachine = 61;      // the device's campaign step (OcfStep)

// Where a device is in the campaign; each maps to a FleetPhase.
enum class OcfStep : std::uint8_t {
    Unconfigured,    // the client has not (yet) written purl / updatetime / upgrade: Waiting
    Scheduled,       // the POST was accepted, the download has not started: Waiting
    Downloading,     // swupdatestate svv, blocks moving: Downloading
    Verifying,       // last block in: hash + signature (svv): Verifying
    WaitingToApply,  // swupdatestate sva until updatetime: WaitingToApply
    Applying,        // upgrading: reboot, MCUboot swap, first boot: Applying
    Upgraded,        // idle, result 1, the new version runs: Upgraded
    Failed,          // idle with result 2, 3, 4, 6, 7 (the client may ask again): Failed
    Refused,         // idle with result 5 (SVV fail: the image was refused): Refused
    RolledBack,      // idle with result 8: the bootloader reverted to the old image: RolledBack
};
inline constexpr int kOcfStepCount = 10;
FleetPhase ocfStepPhase(OcfStep step);
QString ocfStepName(OcfStep step);


// One device. tests/sim/ocf_fleet_test.cpp holds sizeof(OcfDevice) under 640 B.
struct OcfDevice {
    explicit OcfDevice(RandomStream r) : rng(r) {}

    RandomStream rng;                  // losses
    OcfLinkDraw link;
    OcfEnergyTimes energy;
    OcfEnergyTimes energyAtStart;
    std::int64_t clockOffsetMs = 0;    // its wall clock minus the scenario's (startsAt + t); clock jumps add to it
    std::unique_ptr<OcfDeviceSlot> slot;                  // machine + platform while powered and configured
    std::optional<core::ocf::SwUpdatePersisted> kept;     // what its flash holds (persist())
    SimTime stepSince;
    SimTime configuredAt = SimTime::max();   // the client's POST was accepted
    SimTime startedAt = SimTime::max();      // download began (svv)
    SimTime validatedAt = SimTime::max();    // swupdatestate sva entered (the image is valid)
    SimTime upgradingAt = SimTime::max();    // swupdatestate upgrading entered (the device's updatetime)
    SimTime finishedAt = SimTime::max();     // entered a final step
    SimTime busyUntil;                 // flash / CPU busy: its next datagram leaves then
    SimTime linkDownUntil;             // linkOutage
    SimTime poweredOffUntil;           // powerLoss: off until then
    SimTime lastSendAt;                // its last request left (Thread: fast polls since then)
    SimTime rebootDoneAt = SimTime::max();   // the bootloader finishes the swap and boots
    std::int64_t swapLeftNs = 0;       // swap time left when power failed during it
    EventHandle timers[2];             // SwUpdateTimer::Request, ::Apply
    std::uint64_t stored = 0;          // image bytes in its download slot (the platform's flash)
    std::uint32_t flashWrites = 0;     // block writes since its slot was erased
    std::uint32_t flashWritesTotal = 0;
    std::uint32_t requests = 0;        // CoAP requests it sent (blocks, incl. retransmissions)
    std::uint32_t retransmissions = 0;
    std::uint32_t epoch = 0;           // bumped by a power cut: its events from before are void
    std::uint32_t gateway = 0;         // index of its border router / AP
    std::uint16_t group = 0;
    std::uint16_t powerCuts = 0;
    std::uint16_t clientTries = 0;     // configurations the client started (first + retries)
    std::uint16_t clientMessageId = 0; // of the client's outstanding POST
    std::uint16_t lastMessageId = 0;   // of its last request to the image server
    std::uint8_t clientAttempt = 0;    // transmissions of that POST (RFC 7252 §4.2)
    std::uint8_t clientStage = 0;      // 0: the isvv POST (validateFirst), 1: the upgrade POST
    bool clientWaiting = false;        // that POST awaits its answer
    std::int16_t armedFault = -1;      // FaultLog id of an atFlashWrite / atProgress power loss waiting
    std::int16_t attack = -1;          // FaultLog attack id aimed at it
    std::int16_t badImageFault = -1;   // FaultLog id of its badImage fault
    OcfImageVariant offered = OcfImageVariant::Release;   // what the client's purl points it at
    OcfImageVariant storedVariant = OcfImageVariant::Release;   // what its slot holds
    OcfStep step = OcfStep::Unconfigured;
    std::uint8_t swState = 0;          // core SwUpdateState
    std::uint8_t swResult = 0;         // core SwUpdateResult
    bool runsNew = false;              // the new version runs
    bool held = false;                 // a rollout holds it
    bool queued = false;               // in the client's queue
    bool userDataKept = true;          // its user data area checksum matches after every boot
    bool applyPending = false;         // platform apply() marked the image for the bootloader
    bool rebooting = false;            // between DeviceReboot and boot()
};

} // namespace otalab::sim
