// SPDX-License-Identifier: Apache-2.0
// RolloutEngine: one job's executions over N devices under a RolloutPolicyConfig —
// who is notified when (rate, exponential steps, groups, phases, windows), in-progress
// timeouts, retries, abort criteria. Protocol-neutral and clock-free: the caller feeds
// "now" (virtual seconds in the simulator via FleetRun; wall seconds since job creation in
// the real jobs service, app/). Deterministic: the same inputs give the same actions.
#pragma once

#include "core/common/error.h"
#include "sim/fleet/rollout/executionstate.h"
#include "sim/fleet/rollout/rolloutconfig.h"
#include "sim/report/runresult.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace otalab::sim::rollout {

// What the engine asks of whoever moves bytes. Device numbers are the engine's (0..N-1).
struct RolloutAction {
    enum class Kind : std::uint8_t {
        Notify,  // the device's execution is notified (QUEUED): it may start now; also a retry
        Stop,    // the engine ended the execution (TIMED_OUT, CANCELED, REMOVED): stop serving it
    };
    Kind kind = Kind::Notify;
    std::uint32_t device = 0;
    ExecutionState state = ExecutionState::Queued;  // the execution's state after the action
};

// How a device ended its own execution (what it reports to the service).
enum class DeviceReport : std::uint8_t { Started, Succeeded, Failed, Rejected };

class RolloutEngine {
public:
    // `devices` campaign devices; `seed` orders them when config.order == "random".
    // Fails with the validate() error.
    static Result<std::unique_ptr<RolloutEngine>> create(const RolloutPolicyConfig& config, std::uint32_t devices,
                                                         std::uint64_t seed);
    virtual ~RolloutEngine() = default;

    // Inputs. Each returns the actions it causes, in a deterministic order.
    // start(): the job exists from now (scheduling.startS is relative to the same clock).
    virtual std::vector<RolloutAction> start(double nowS) = 0;
    // The device reported: Started (→ IN_PROGRESS, timeout armed), Succeeded, Failed,
    // Rejected. Reports on a terminal execution are ignored (as the service refuses them)
    // and counted in ignoredReports().
    virtual std::vector<RolloutAction> report(std::uint32_t device, DeviceReport what, double nowS) = 0;
    // Time passes: notifications due, timeouts, windows, phases. Call at nextWakeS() (or
    // later; it catches up in order).
    virtual std::vector<RolloutAction> advance(double nowS) = 0;
    // Cancel the job now (a user's `jobs cancel`); force: in-progress executions too.
    virtual std::vector<RolloutAction> cancel(double nowS, bool force, const QString& reason) = 0;
    // The earliest time advance() has something to do; nullopt: nothing until a report().
    virtual std::optional<double> nextWakeS() const = 0;

    // Queries.
    virtual std::uint32_t deviceCount() const = 0;
    virtual ExecutionState state(std::uint32_t device) const = 0;
    virtual int executionNumber(std::uint32_t device) const = 0;  // 0 until notified, then 1 + retries
    virtual bool notified(std::uint32_t device) const = 0;
    virtual std::array<int, kExecutionStateCount> counts() const = 0;
    virtual int notifiedCount() const = 0;
    virtual double currentRatePerMinute() const = 0;  // 0 while not notifying
    virtual QString currentGroup() const = 0;
    virtual QString jobStatus() const = 0;            // "SCHEDULED" | "IN_PROGRESS" | "PAUSED" | "CANCELED" | "COMPLETED"
    virtual std::uint64_t ignoredReports() const = 0;
    // The story so far for the report (samples are the caller's: it passes them in).
    virtual RolloutResult result(std::vector<RolloutSample> samples) const = 0;
    // One sample of the counters at `nowS` (the caller takes them with its fleet samples).
    virtual RolloutSample sample(double nowS) const = 0;
};

} // namespace otalab::sim::rollout
