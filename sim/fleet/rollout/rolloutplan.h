// SPDX-License-Identifier: Apache-2.0
// The static part of a rollout: in which order devices are released and which
// consecutive slices of that order form the hawkBit groups or Mender phases.
#pragma once

#include "sim/fleet/rollout/rolloutconfig.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim::rollout {

// "aws-jobs" | "hawkbit" | "mender" (the scenario's "policy"); nullopt for other text.
QString policyKindName(PolicyKind kind);
std::optional<PolicyKind> policyKindFromName(const QString& name);

// Device numbers in release order. random: a Fisher–Yates shuffle driven by
// SplitMix64(seed) (sim/kernel/splitmix64.h), index j drawn with Lemire's multiply-high
// (no modulo bias worth naming); otherwise 0..devices-1.
std::vector<std::uint32_t> releaseOrder(std::uint32_t devices, bool random, std::uint64_t seed);

// One hawkBit group or Mender phase: positions [begin, end) of the release order.
struct RolloutSlice {
    QString name;                         // the group's name ("group N" when unnamed), "phase N"
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    double startS = 0;                    // Mender: the phase's start_ts; hawkBit: 0
    double successThreshold = 0;          // hawkBit: % SUCCEEDED that starts the next group
    std::optional<double> errorThreshold; // hawkBit: % failed that pauses the rollout
    std::uint32_t size() const { return end - begin; }
};

// hawkBit: each group takes round(targetPercentage % of the targets not yet in a group)
// (hawkBit's "percentage of the remaining targets"); targets left after the last group
// are not part of the rollout. Mender: the deployment covers min(devices, maxDevices);
// each phase takes round(batchPercentage % of that), the last phase takes the rest.
// aws-jobs: no slices (its waves follow the rate, not the order).
std::vector<RolloutSlice> rolloutSlices(const RolloutPolicyConfig& config, std::uint32_t devices);

} // namespace otalab::sim::rollout
