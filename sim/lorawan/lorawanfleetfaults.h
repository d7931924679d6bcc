// SPDX-License-Identifier: Apache-2.0
// The LoRaWAN family's scenario faults and attacks (issue 14): what each does to a FUOTA
// campaign (TS005 multicast setup, TS004 fragmentation, TS003 clock sync) and what survives.
//
// What a power cut keeps, as LoRaMac-node does it (src/apps/LoRaMac/common/LmHandler/
// packages): FragDecoder.c writes every fragment it stores through the application's
// FragDecoderWrite callback (flash), but the decoder itself — `static FragDecoder_t
// FragDecoder` with its missing-fragment index (FragNbMissingIndex) and parity matrix
// (MatrixM2B) — lives in RAM, as do LmhpFragmentation.c's session parameters and
// LmhpRemoteMcastSetup.c's multicast group and session timers; a new FragSessionSetup runs
// FragDecoderInit, which erases the stored rows (0xFF). So:
//  - powerLoss (atS / betweenS / atFlashWrite = the k-th fragment stored / atProgress):
//    off for forS, then the device boots its running image and rejoins class A. Cut before
//    it answered McGroupSetupReq: nothing lost, the server's retries reach it. Cut after
//    (group set up, session pending or running, image reassembled or verified): the group,
//    the session and the decoder state are gone — its fragments in flash are unusable, it
//    misses this campaign (Missed: "needs a second campaign") and keeps its image. Cut
//    while the bootloader copies the image (Applying): the copy resumes from its status in
//    flash and the device ends upgraded.
//  - serverCrash (the network + FUOTA application server, forS): decided — its campaign
//    state is KEPT (ChirpStack v4 keeps FUOTA deployments, their job queue and the
//    multicast queue in PostgreSQL). While it is down: uplinks are heard by the gateways
//    and dropped (no answers, no RX downlinks), its jobs, the multicast frames and group
//    deletion wait until it is back. Class C/B session windows run on the devices' clocks,
//    so frames delayed past a window are missed (the repair round may recover them).
//  - gatewayOutage: the target gateway ("gw-2"; default gw-1) is dark for forS — the fleet's
//    own faults.gatewayDown mechanism (no uplinks heard, no downlinks or multicast sent).
//  - linkOutage: the devices' radio links carry nothing for forS (uplinks unheard,
//    multicast frames lost); nothing in RAM is lost.
//  - clockJump: the device's clock jumps by jumpS after its AppTimeReq sync; its session
//    window (computed from its clock at McClassC/BSessionReq) moves by the jump. The device
//    cannot see the jump: it re-syncs only when its application sends AppTimeReq again
//    (LmhpClockSync) or the server forces it (ForceDeviceResyncReq) — neither is modelled,
//    so a jump larger than the window margin makes it miss the session start.
//  - badImage: the reassembled image is complete and MIC-confirmed, the bootloader copies
//    it; failsSelfTest: it boots and fails its self-test, doesNotBoot: it crashes at boot —
//    either way the bootloader reverts to the running image (RolledBack).
// Attacks (rejected unless the device ends upgraded on the attacker's bytes)
//  - forgedFragment: a data fragment with a valid multicast MIC and forged content (the
//    attacker holds the group's McAppSKey): the decoder keeps it, the TS004 v2 data-block
//    integrity check (DataBlockIntKey MIC, FragDataBlockReceivedReq) does not match the
//    server's: Rejected.
//  - tamperedImage / wrongKey: the data block's bytes changed after signing / signed with a
//    key the device does not trust, delivered by the campaign (its MIC matches what the
//    server sent): the device's container check after reassembly (core/lorawan
//    unpackFuotaImage, ECDSA P-256) refuses it — for signed formats; a raw or unsigned
//    delta block has nothing to check it with and is ACCEPTED (a finding, reported).
//  - downgrade / replay: a validly signed block of an older version / of the image it runs:
//    the bootloader's version check (MCUboot's downgrade prevention compares the image
//    header's version with the running one) refuses it; unsigned formats carry no trusted
//    version: ACCEPTED.
#pragma once

#include "sim/fleet/faults/faultconfig.h"
#include "sim/kernel/simtime.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace otalab::sim {

// The data block a device gets (LorawanDevice::variant).
enum class LorawanImageVariant : std::uint8_t { Genuine, FailsSelfTest, DoesNotBoot, Tampered, WrongKey, Downgrade, Replay };

// One armed fault or attack on one device.
struct LorawanArmed {
    std::uint32_t device = 0;
    int logId = 0;
    bool attack = false;
    faults::FaultKind kind = faults::FaultKind::PowerLoss;
    faults::AttackKind attackKind = faults::AttackKind::ForgedFragment;
    std::optional<int> atFlashWrite;
    std::optional<double> atProgress;
    double forS = 0;
    bool done = false;                 // fired (fault) / verdict written (attack)
    bool pendingForge = false;         // forgedFragment: the next frame it receives is forged
    std::optional<double> triedAtS;
};

struct LorawanFaultState {
    std::unordered_map<std::uint32_t, std::vector<LorawanArmed>> armed;   // device → its faults and attacks
    // The device's armed faults and attacks (an empty list when it has none).
    std::vector<LorawanArmed>& of(std::size_t device) { return armed[std::uint32_t(device)]; }
    std::unordered_map<std::uint32_t, QString> reasons;   // device → its end in words
    std::unordered_map<std::uint32_t, bool> lostSession;  // device → its power cut lost the campaign
    SimTime serverDownUntil = SimTime::min();
    int framesDeferred = 0;            // multicast frame events held while the server was down
    QString tamperedWords;             // core's unpackFuotaImage words for a block changed after signing
    QString wrongKeyWords;             // ... for a block signed with another key
    QString downgradeVersion;          // the attacker's older version
};

} // namespace otalab::sim
