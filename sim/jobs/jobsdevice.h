// SPDX-License-Identifier: Apache-2.0
// JobsDevice: one cloud-connected device of a jobs fleet as a small struct (no QObject, no
// image bytes), and its steps through a job as the FreeRTOS OTA agent takes them.
#pragma once

#include "sim/fleet/fleetphase.h"
#include "sim/jobs/jobspreset.h"
#include "sim/kernel/eventhandle.h"
#include "sim/kernel/randomstream.h"
#include "sim/kernel/simtime.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace otalab::sim {

// Machine ids (StateChange::machine) of the jobs family.
inline constexpr std::uint16_t kJobsAgentMachine = 50;   // the OTA agent's OtaState
inline constexpr std::uint16_t kJobsImageMachine = 51;   // the platform image state
inline constexpr std::uint16_t kJobsStepMachine = 52;    // the device's job step (JobsStep)

// The device's step through one job execution; each maps to a FleetPhase.
enum class JobsStep : std::uint8_t {
    WaitingForJob,   // subscribed to notify-next, no execution for it (yet): Waiting
    Notified,        // the service published the job; the message is on its way or held by the broker: Waiting
    CreatingFile,    // job document parsed, receive file being erased / created: Downloading
    Receiving,       // GetStream requests and data blocks: Downloading
    Suspended,       // connection lost mid-download, reconnecting: Downloading
    ClosingFile,     // all blocks in: SHA-256 + signature check: Verifying
    Rebooting,       // activated, resetting into the new image and reconnecting: Applying
    SelfTest,        // new image runs its self-test (image state Testing): Applying
    Upgraded,        // self-test passed, SUCCEEDED: Upgraded
    RollingBack,     // self-test failed: resetting into the old image: Applying
    RolledBack,      // back on the old image, FAILED: RolledBack
    SignatureFailed, // close file failed the signature check (0xe3): Refused
    Aborted,         // request momentum exhausted or the service ended the execution: Failed
};
inline constexpr int kJobsStepCount = 13;

FleetPhase jobsStepPhase(JobsStep step);
QString jobsStepName(JobsStep step);

// FreeRTOS OTA agent states (OtaState_t, ota.h v3.4.0) as this model visits them.
enum class JobsAgentState : std::uint8_t {
    Init, Ready, RequestingJob, WaitingForJob, CreatingFile, RequestingFileBlock, WaitingForFileBlock,
    ClosingFile, Suspended, ShuttingDown, Stopped,
};
inline constexpr int kJobsAgentStateCount = 11;
QString jobsAgentStateName(JobsAgentState state);  // "WaitingForFileBlock"
JobsAgentState jobsAgentStateOf(JobsStep step);

// OtaImageState_t as the device's platform holds it.
enum class JobsImageState : std::uint8_t { Unknown, Testing, Accepted, Rejected, Aborted };
inline constexpr int kJobsImageStateCount = 5;
QString jobsImageStateName(JobsImageState state);

// Why a device ended where it did (failureReason words come from it).
enum class JobsEnd : std::uint8_t { None, SelfTestFailed, SignatureFailed, MomentumExhausted, StoppedByService };

// One device: fixed size (its OtaAgent lives in a JobsAgentSlot only while it works on a job;
// the bitmap is kept only when a job ends incomplete). tests/sim/jobs_fleet_test.cpp holds
// sizeof(JobsDevice) under 512 B.
struct JobsDevice {
    explicit JobsDevice(RandomStream r) : rng(r) {}

    RandomStream rng;                 // 32 B: loss draws, disconnects
    JobsLinkDraw link;                // 24 B
    std::int64_t wakePhaseNs = 0;     // offset in its paging / DTIM / TAU cycles
    std::vector<std::uint8_t> bitmap; // the agent's bitmap (1 = wanted) when it ended without every block; else empty
    JobsEnergyTimes energy;           // 48 B
    JobsEnergyTimes energyAtStart;    // at the moment its download started
    SimTime stepSince;
    SimTime connectedUntil = SimTime::min();  // RRC connection / Wi-Fi active mode lasts until
    SimTime sessionStart = SimTime::min();    // the current connection began
    SimTime notifiedAt = SimTime::max();      // the service published its job
    SimTime startedAt = SimTime::max();       // job document in hand (download began)
    SimTime finishedAt = SimTime::max();      // entered a final step
    SimTime linkBusyUntil;            // downlink serialisation: the last block leaves the pipe
    EventHandle disconnectTimer;      // next connection drop while downloading
    std::uint32_t blocksReceived = 0; // distinct blocks written
    std::uint32_t requests = 0;       // GetStream requests sent
    std::uint32_t retries = 0;        // of those, sent after the request timer fired
    std::uint32_t duplicates = 0;     // blocks received that were not wanted any more
    std::uint32_t generation = 0;     // bumped by a new execution and a disconnect: blocks in flight are dropped
    std::uint16_t disconnects = 0;
    std::uint16_t group = 0;          // index into the fleet's device groups
    std::uint8_t execution = 0;       // job executions notified so far (1 + retries)
    std::uint8_t agentState = 3;      // core::awsota::OtaState of its agent (WaitingForJob while it has none)
    JobsStep step = JobsStep::WaitingForJob;
    JobsImageState image = JobsImageState::Unknown;
    JobsEnd end = JobsEnd::None;
    bool badImage = false;            // faults.badImage: its new image fails the self-test
    bool badSignature = false;        // faults.badSignature: its file fails the signature check
    bool held = false;                // a rollout holds it (not notified yet)
    bool stopped = false;             // the service stopped serving its execution
    bool connected = true;            // the MQTT connection is up (faults.disconnects)
    // Scenario faults and attacks (jobsfleetfaults.h); all zero without them.
    bool faultWatch = false;          // an armed fault / attack names this device
    std::uint8_t powerCycles = 0;     // power cuts so far: events of an earlier power-on are stale
    std::uint8_t variant = 0;         // JobsImageVariant of the file it gets (0: the job's own)
    SimTime offUntil = SimTime::min();        // powered off until
    SimTime linkDownUntil = SimTime::min();   // its link carries nothing until
};

} // namespace otalab::sim
