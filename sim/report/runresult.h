// SPDX-License-Identifier: Apache-2.0
// What one simulated rollout produced: per-device outcomes and fleet time series.
// Written by the rollout engine (sim/zigbee, sim/fleet), read by the report writers (sim/report),
// the CLI and the GUI. Plain data, no behaviour beyond derived figures.
#pragma once

#include <QString>
#include <QStringList>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace otalab::sim {

// Outcome of one device's upgrade, whatever its family.
enum class DeviceOutcome {
    Upgraded,     // runs the new image (confirmed where the family confirms)
    Failed,       // gave up (failureReason says why); still on the old image
    Refused,      // the server or the device refused the image (policy, signature, version)
    RolledBack,   // booted the new image, was not healthy, went back to the old one
    Unfinished,   // still in progress when the run stopped
    NotStarted,   // never began a download before the run stopped
};

// A family-specific figure of one device ("Short address" = "0x1A2B").
struct ResultAttribute {
    QString name;
    QString value;
};

// One campaign device's result. Neutral: every family fills the same fields; what only
// one family has goes to `attributes` (Zigbee: short address, MAC retries; SMP: slot).
struct DeviceResult {
    std::uint32_t node = 0;            // simulator NodeId (unique across the scenario)
    QString name;                      // "0x1A2B" (Zigbee short address), "board-017"
    QString fleet;                     // fleet name from the scenario
    QString family;                    // "zigbee", "smp", ...
    QString role;                      // "router", "end device", "board"
    QString parent;                    // name of the node it hangs from ("0x0000", "gateway"); empty at a root
    int hops = 0;                      // network hops from the server / gateway / host
    DeviceOutcome outcome = DeviceOutcome::NotStarted;
    std::optional<double> startS;      // first image request, virtual seconds
    std::optional<double> finishS;     // runs the new image, virtual seconds
    std::optional<double> failedAtS;   // entered Failed / Refused / RolledBack, virtual seconds
    std::uint64_t bytesReceived = 0;   // image bytes the device stored (kept after a failure)
    std::uint64_t requests = 0;        // image requests (Zigbee block/page requests, SMP upload chunks)
    std::uint64_t retries = 0;         // of those, re-sent after a timeout or a busy answer
    double energyJ = 0;                // radio + CPU energy over the whole run
    double updateEnergyJ = 0;          // the part spent between startS and finishS (or run end)
    double batteryShare = 0;           // updateEnergyJ as a fraction of the preset's battery
    QString versionBefore;             // image version before, as the family writes it ("0x00000001", "1.0.0")
    QString versionAfter;              // image version at the end
    std::vector<ResultAttribute> attributes;
    QString failureReason;             // words; empty unless Failed / Refused / RolledBack
    QString execution;                 // job execution state under a rollout policy ("SUCCEEDED",
                                       // "CANCELED"; sim/fleet/rollout/executionstate.h); empty without one
    int executionNumber = 0;           // 1 + retries of that execution; 0 without a rollout
};

// Fleet-wide sample, taken at a fixed virtual-time interval.
struct FleetSample {
    double timeS = 0;
    int upgraded = 0;
    int downloading = 0;
    int failed = 0;
    double channelUtilisation = 0;  // fraction of the interval the channel carried a frame
    int waiting = 0;                // in the campaign, not moving bytes (queued, told to wait)
    int finishing = 0;              // verifying, waiting to apply, applying
    int refused = 0;
    int rolledBack = 0;
};

// One bar of a fleet's campaign timeline (a Gantt chart): `label` from startS to endS
// (virtual seconds, endS >= startS) on the row named `lane` ("Server", "Multicast group").
// Lanes are drawn in order of first appearance; spans of one lane may overlap.
struct TimelineSpan {
    QString lane;
    QString label;
    double startS = 0;
    double endS = 0;
};

// One stacked bar of a fleet's transmit budget ("gw-1"): each part's share of the budget
// the regulation allows over the campaign (1.0 = the whole duty-cycle budget), in drawing
// order; the same part names on every bar of a fleet ("multicast", "unicast").
struct BudgetBar {
    QString name;
    std::vector<std::pair<QString, double>> parts;
};

// Figures of one fleet as a whole that its family adds (LoRaWAN: campaign phase times,
// airtime per gateway, the duty-cycle lower bound), as name/value rows in display order,
// and, when the family has them, its campaign on a timeline and its transmit budgets.
struct FleetFiguresResult {
    QString fleet;                       // fleet name from the scenario
    QString family;
    std::vector<ResultAttribute> rows;
    std::vector<TimelineSpan> timeline;  // empty: the family draws no timeline
    std::vector<BudgetBar> budgets;      // empty: the family has no transmit budget
};

// Executions per state at one sample time under a rollout policy (taken with FleetSample).
struct RolloutSample {
    double timeS = 0;
    std::array<int, 8> executions{};  // devices per rollout::ExecutionState (index = its value); never notified: Queued
    int notified = 0;                 // devices the policy has released so far (cumulative)
    double ratePerMinute = 0;         // notification rate in force (0 while paused / done)
    QString group;                    // the group / phase / wave being rolled out ("canary"); empty for one-wave jobs
};

// One group (hawkBit), phase (Mender) or wave (AWS exponential step) of a rollout.
struct RolloutGroupResult {
    QString name;                     // "canary", "phase 2", "wave 3"
    int devices = 0;                  // devices in it
    std::optional<double> startS;     // released its first device
    std::optional<double> endS;       // its last execution ended (or the rollout stopped it)
    int succeeded = 0;
    int failed = 0;                   // FAILED + TIMED_OUT + REJECTED
    QString endReason;                // "success threshold 80 % reached", "error threshold 10 % passed: paused"
};

// What the rollout policy did (present when the scenario had a "rollout" section).
struct RolloutResult {
    QString policy;                   // "aws-jobs" | "hawkbit" | "mender"
    QString jobStatus;                // "COMPLETED" | "CANCELED" | "IN_PROGRESS" | "SCHEDULED" | "PAUSED" (hawkBit)
    QStringList targets;              // fleets (and groups) it targeted
    std::optional<double> abortedAtS; // the moment an abort criterion tripped (or a pause, hawkBit)
    QString abortReason;              // "FAILED 5.2 % of 96 executions ≥ 5 % (min 50 executed): CANCEL"
    std::array<int, 8> executionsAtAbort{};  // executions per state at that moment
    std::vector<RolloutSample> samples;      // in time order
    std::vector<RolloutGroupResult> groups;  // in rollout order
    std::vector<ResultAttribute> rows;       // headline figures for the report, display order
};

// One injected fault and what became of it (RunResult::faults; sim/fleet/faults).
struct FaultResult {
    QString id;                       // the scenario's fault id ("cut-20", "faults[0]")
    QString kind;                     // "powerLoss", "serverCrash", ...
    QString fleet;
    QString target;                   // device or node name ("ocf-0017", "server", "gw-2")
    std::optional<double> atS;        // when it fired; absent: it never did (notFiredReason)
    QString detail;                   // what was done
    QString effect;                   // what the family saw afterwards
    QString outcome;                  // the device's end: "upgraded 2.0.0", "failed: … (runs 1.0.0)"; empty for nodes
    bool recovered = false;           // runs a valid image at the end and lost nothing it kept
    QString notFiredReason;
};

// One attack tried on one device (RunResult::attacks).
struct AttackResult {
    QString id;
    QString kind;                     // "tamperedImage", "wrongKey", ...
    QString fleet;
    QString target;                   // device name
    std::optional<double> atS;        // when it reached the device; absent: it never did
    bool accepted = false;            // the device took it — a finding
    QString reason;                   // the device's reason for rejecting it
};

struct RunResult {
    QString scenarioName;
    std::uint64_t seed = 0;
    double endTimeS = 0;            // virtual time the run stopped
    QString stopReason;             // "all devices finished", "time limit 3600 s", ...
    std::uint64_t eventsExecuted = 0;
    double wallSeconds = 0;         // host time the run took
    std::uint64_t traceFingerprint = 0;
    std::uint64_t modelFingerprint = 0; // frames, state changes and energy only (TraceWriter::modelFingerprint)
    std::uint64_t imageBytes = 0;   // size of the OTA file being rolled out
    QString batteryName;            // e.g. "CR2032 (225 mAh)"
    double batteryCapacityMah = 0;  // of that battery; 0 when every device is mains powered
    double batteryVoltageV = 0;     // its nominal voltage (mAh = J / V / 3.6)
    QString scenarioFile;           // the file the run came from (absolute), empty when built in code
    QString scenarioDescription;    // its "description"
    std::vector<ResultAttribute> scenarioChanges;  // parameters that differ from the bundled defaults: path = value
    QStringList families;           // families of the scenario's fleets, in fleet order
    std::vector<DeviceResult> devices;   // campaign devices of every fleet, in fleet order (servers, gateways not listed)
    std::vector<FleetSample> progress;   // in time order
    std::vector<FleetFiguresResult> fleetFigures;  // fleets whose family adds fleet-level rows, in fleet order
    std::optional<RolloutResult> rollout;          // the rollout policy's story; absent without a "rollout" section
    std::vector<FaultResult> faults;               // one row per fault order (scenario "faults"), in order
    std::vector<AttackResult> attacks;             // one row per attack order (scenario "attacks"), in order
    int attacksAccepted() const;                   // the headline: must be 0

    // Completion-time percentile (0..100) over devices with outcome Upgraded, in
    // virtual seconds from the start of the run; nullopt when none upgraded.
    std::optional<double> completionPercentile(double percentile) const;
    int count(DeviceOutcome outcome) const;
};

QString deviceOutcomeName(DeviceOutcome outcome);  // "upgraded", "failed", ...

} // namespace otalab::sim
