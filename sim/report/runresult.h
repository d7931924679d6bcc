// SPDX-License-Identifier: Apache-2.0
// What one simulated rollout produced: per-device outcomes and fleet time series.
// Written by the rollout engine (sim/ota), read by the report writers (sim/report),
// the CLI and the GUI. Plain data, no behaviour beyond derived figures.
#pragma once

#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim {

// Outcome of one device's upgrade.
enum class DeviceOutcome {
    Upgraded,     // rebooted into the new version
    Failed,       // gave up (failureReason says why); still on the old version
    Refused,      // the server refused (NOT_AUTHORIZED / NO_IMAGE_AVAILABLE by policy)
    Unfinished,   // still in progress when the run stopped
    NotStarted,   // never found an image before the run stopped
};

struct DeviceResult {
    std::uint32_t node = 0;            // simulator NodeId
    std::uint16_t shortAddress = 0;    // NWK short address
    QString role;                      // "coordinator", "router", "end-device"
    std::uint16_t parentShort = 0xFFFF;
    int hops = 0;                      // tree depth from the coordinator
    DeviceOutcome outcome = DeviceOutcome::NotStarted;
    std::optional<double> startS;      // first image block request, virtual seconds
    std::optional<double> finishS;     // reboot into the new version, virtual seconds
    std::uint64_t bytesReceived = 0;   // image bytes written to flash
    std::uint64_t blockRequests = 0;   // ImageBlockReq / ImagePageReq frames sent
    std::uint64_t retries = 0;         // requests re-sent after a timeout or WAIT_FOR_DATA
    double energyJ = 0;                // radio + CPU energy over the whole run
    double updateEnergyJ = 0;          // the part spent between startS and finishS (or run end)
    double batteryShare = 0;           // updateEnergyJ as a fraction of the preset's battery
    std::uint32_t initialVersion = 0;  // Zigbee file version before
    std::uint32_t finalVersion = 0;    // Zigbee file version at the end
    QString failureReason;             // empty unless outcome is Failed/Refused
};

// Fleet-wide sample, taken at a fixed virtual-time interval.
struct FleetSample {
    double timeS = 0;
    int upgraded = 0;
    int downloading = 0;
    int failed = 0;
    double channelUtilisation = 0;  // fraction of the interval the channel carried a frame
};

struct RunResult {
    QString scenarioName;
    std::uint64_t seed = 0;
    double endTimeS = 0;            // virtual time the run stopped
    QString stopReason;             // "all devices finished", "time limit 3600 s", ...
    std::uint64_t eventsExecuted = 0;
    double wallSeconds = 0;         // host time the run took
    std::uint64_t traceFingerprint = 0;
    std::uint64_t imageBytes = 0;   // size of the OTA file being rolled out
    QString batteryName;            // e.g. "CR2032 (225 mAh)"
    std::vector<DeviceResult> devices;   // OTA clients only (the server is not listed)
    std::vector<FleetSample> progress;   // in time order

    // Completion-time percentile (0..100) over devices with outcome Upgraded, in
    // virtual seconds from the start of the run; nullopt when none upgraded.
    std::optional<double> completionPercentile(double percentile) const;
    int count(DeviceOutcome outcome) const;
};

QString deviceOutcomeName(DeviceOutcome outcome);  // "upgraded", "failed", ...

} // namespace otalab::sim
