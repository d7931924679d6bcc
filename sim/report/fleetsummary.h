// SPDX-License-Identifier: Apache-2.0
// FleetSummary: the key figures of a RunResult (outcome counts, completion percentiles, energy).
#pragma once

#include "sim/report/runresult.h"

#include <array>
#include <optional>

namespace otalab::sim {

// Mean and maximum of one per-device quantity over all listed devices (0 when none).
struct MeanMax {
    double mean = 0;
    double max = 0;
};

// Derived once from a RunResult, shared by the JSON, HTML and console summaries so they
// never disagree. Times are virtual seconds from the start of the run.
struct FleetSummary {
    int devices = 0;
    std::array<int, 6> outcomes{};  // indexed by int(DeviceOutcome)

    // Nearest-rank percentiles of finishS over Upgraded devices (RunResult::completionPercentile);
    // nullopt when no device upgraded.
    std::optional<double> p50, p90, p95, p99, max;

    MeanMax energyJ;          // DeviceResult::energyJ (whole run)
    MeanMax updateEnergyJ;    // DeviceResult::updateEnergyJ
    MeanMax updateChargeMah;  // updateEnergyJ as charge drawn at batteryVoltageV: J / (3.6 × V)
    MeanMax batteryShare;     // DeviceResult::batteryShare (0..1)

    // Battery the shares refer to, recovered from RunResult::batteryName ("CR2032",
    // "CR2032 (225 mAh)", "2xAA", or any "<name> (<N> mAh)"); 3.0 V when unknown.
    double batteryVoltageV = 3.0;
    std::optional<double> batteryCapacityMah;

    int count(DeviceOutcome outcome) const { return outcomes[std::size_t(outcome)]; }
};

FleetSummary summarizeRun(const RunResult& result);

// A virtual duration for people: "42.0 s" below 3 min, "12.5 min" below 3 h, else "5.25 h".
QString formatDuration(double seconds);

// Every DeviceOutcome value in declaration order (for tables and JSON).
inline constexpr std::array<DeviceOutcome, 6> kAllDeviceOutcomes = {
    DeviceOutcome::Upgraded, DeviceOutcome::Failed, DeviceOutcome::Refused, DeviceOutcome::RolledBack,
    DeviceOutcome::Unfinished, DeviceOutcome::NotStarted};

} // namespace otalab::sim
