// SPDX-License-Identifier: Apache-2.0
// The jobs family's scenario faults and attacks (issue 14): what each does to a fleet of
// FreeRTOS OTA agents (core/awsota OtaAgent, v3.4.0 + resume) and what survives.
//
// Faults
//  - powerLoss (atS / betweenS / atFlashWrite = the k-th block written / atProgress): the
//    device is off for forS. RAM, the agent's timers and the MQTT connection are lost;
//    the flash keeps the agent's persist() record (job, file, block bitmap of an unfinished
//    download) and the PAL's boot slots. At power-on a new agent restore()s the record and
//    boots: the same job comes back on $next/get and it asks only for the missing blocks
//    (resumeFileForRx). Cut during the file check or the activation reset: the activated
//    image boots pending commit and self-tests. Cut during the self-test: the bootloader
//    reverts the uncommitted image (ESP-IDF app rollback / MCUboot test swap), the agent
//    boots the old image, the job's self_test comes back and the version check fails it
//    (FAILED, rolled back) — v3.4.0 does not retry; a rollout retry is a new execution.
//  - serverCrash: the broker (+ jobs + streams) is down for forS: every connection drops
//    (OTA_Suspend), GetStream requests are lost, QoS 1 messages for persistent sessions
//    (notify-next, job documents) are held; job executions are kept (the Jobs service's
//    state is durable). Devices reconnect after it is back (each after a seeded 0..reconnectS
//    back-off) and resume from their bitmaps. A device in its self-test when the broker
//    is down longer than the self-test timer (otaconfigSELF_TEST_RESPONSE_WAIT_MS, 16 s)
//    resets and rolls back, as the library does.
//  - linkOutage: the device's link carries nothing for forS (downloads suspend and resume).
//  - badImage: failsSelfTest = faults.badImage (the self-test fails: rolled back);
//    doesNotBoot = the new image crashes at boot before it can confirm: the bootloader
//    reverts, the old image's agent gets the job's self_test and reports FAILED.
//  - clockJump: not supported — nothing in the model reads a wall clock (the agent's
//    timers are relative, the service's timeouts are the rollout's).
// Attacks (each ends rejected unless the device activates the attacker's bytes and
// commits them)
//  - forgedStreamBlock: another client publishes a data block on the device's stream
//    topic; the agent stores it when the block is still wanted (the library checks ids and
//    length, not content); the genuine block is then a duplicate. closeFile's signature
//    check fails (0xe3) and the image is never activated.
//  - tamperedImage / wrongKey: the file's bytes were changed after signing / signed by a
//    key the device's certificate does not hold: closeFile fails (0xe3, core's words).
//  - downgrade / replay: a validly signed file of an older version / of the version the
//    device runs: it verifies and is activated; after the reboot the agent's version
//    check (updatedBy must be lower than appFirmwareVersion) refuses it with
//    OtaErrDowngradeNotAllowed (0x0f) / OtaErrSameFirmwareVersion (0x10), image Rejected,
//    rolled back (v3.4.0 runs the check in the new image, after the test boot).
#pragma once

#include "core/awsota/otaagent.h"
#include "sim/fleet/faults/faultconfig.h"
#include "sim/kernel/simtime.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace otalab::sim {

// The file a device gets (JobsDevice::variant).
enum class JobsImageVariant : std::uint8_t { Genuine, DoesNotBoot, Tampered, WrongKey, Downgrade, Replay };

// One armed fault or attack on one device.
struct JobsArmed {
    std::uint32_t device = 0;
    int logId = 0;
    bool attack = false;
    faults::FaultKind kind = faults::FaultKind::PowerLoss;        // !attack
    faults::AttackKind attackKind = faults::AttackKind::TamperedImage;  // attack
    std::optional<int> atFlashWrite;
    std::optional<double> atProgress;
    double forS = 0;
    bool done = false;                    // fired (fault) / verdict written (attack)
    bool pendingForge = false;            // forgedStreamBlock: inject at the next block written
    bool forgedStored = false;            // the agent stored the forged block
    std::optional<double> triedAtS;       // when the attack reached the device
    QString note;                         // the attack's story so far
};

struct JobsFaultState {
    std::unordered_map<std::uint32_t, std::vector<JobsArmed>> armed;   // device → its faults and attacks
    // The device's armed faults and attacks (an empty list when it has none).
    std::vector<JobsArmed>& of(std::size_t device) { return armed[std::uint32_t(device)]; }
    std::unordered_map<std::uint32_t, QByteArray> flashRecords;   // device → persist() at its power cut
    SimTime brokerDownUntil = SimTime::min();
    int brokerDrops = 0;                  // connections the running crash dropped
    int selfTestTimeouts = 0;             // resets by the self-test timer (the job did not come back in time)
    QString tamperedDetail;               // core's verifyFileSignature words for a changed file
    QString wrongKeyDetail;               // ... for a file signed with another key
    core::awsota::AppVersion32 downgradeVersion;
    QByteArray forgedPayload;             // what the forger publishes (one block)
};

} // namespace otalab::sim
