// SPDX-License-Identifier: Apache-2.0
// RolloutPolicyConfig: the scenario's "rollout" section — who may start and when, for the
// campaign devices of any family (AWS IoT Jobs semantics, hawkBit groups, Mender phases).
// Plain data; sim/scenario/rolloutreader.* fills it, validate() checks it as the services
// do (ranges in ../shared/PROTOCOLS.md) and names the wrong field.
#pragma once

#include "core/common/error.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim::rollout {

enum class FailureType : std::uint8_t { Failed, Rejected, TimedOut, All };  // "FAILED" | "REJECTED" | "TIMED_OUT" | "ALL"

// jobExecutionsRolloutConfig
struct RateIncreaseCriteria {
    std::optional<int> numberOfNotifiedThings;   // ≥ 1; exactly one of the two
    std::optional<int> numberOfSucceededThings;  // ≥ 1
};
struct ExponentialRate {
    int baseRatePerMinute = 1;                   // 1..1000
    double incrementFactor = 2.0;                // 1.1..5, one decimal
    RateIncreaseCriteria rateIncreaseCriteria;
};
struct ExecutionsRollout {
    std::optional<int> maximumPerMinute;         // ≥ 1 (AWS: 1..1000); caps the exponential rate too
    std::optional<ExponentialRate> exponentialRate;
};

// abortConfig.criteriaList[]
struct AbortCriterion {
    FailureType failureType = FailureType::Failed;
    QString action = QStringLiteral("CANCEL");   // only "CANCEL"
    double thresholdPercentage = 100;            // 0 < t ≤ 100
    int minNumberOfExecutedThings = 1;           // ≥ 1
};

// jobExecutionsRetryConfig.criteriaList[]
struct RetryCriterion {
    FailureType failureType = FailureType::All;  // FAILED | TIMED_OUT | ALL
    int numberOfRetries = 0;                     // 0..10
};

// schedulingConfig: times are virtual seconds from the start of the run.
struct MaintenanceWindow {
    double startS = 0;          // first window opens (virtual s); repeats every periodS
    double durationS = 3600;    // 1..1380 min in AWS terms (60..82800 s)
    double periodS = 86400;     // cron-like daily by default
};
struct Scheduling {
    double startS = 0;                           // "startTime": job starts notifying
    std::optional<double> endS;                  // "endTime": no new notifications after it
    QString endBehavior = QStringLiteral("STOP_ROLLOUT");  // "STOP_ROLLOUT" | "CANCEL" | "FORCE_CANCEL"
    std::vector<MaintenanceWindow> maintenanceWindows;  // empty: always; else notify only inside one
};

// hawkBit: groups in order, each a share of the targets.
struct HawkbitGroup {
    QString name;
    double targetPercentage = 100;               // share of the (remaining) targets, 0 < p ≤ 100
    double successThreshold = 50;                // % of the group finished successfully → next group starts
    std::optional<double> errorThreshold;        // % failed → errorAction PAUSE (absent: never)
};
// Mender: phases in order.
struct MenderPhase {
    double batchPercentage = 100;                // % of the targets (the last phase takes the rest)
    double startS = 0;                           // "start_ts", virtual s
};

enum class PolicyKind : std::uint8_t { AwsJobs, Hawkbit, Mender };  // "policy": "aws-jobs" | "hawkbit" | "mender"

struct RolloutPolicyConfig {
    PolicyKind kind = PolicyKind::AwsJobs;       // "policy"
    QString jobId = QStringLiteral("ota-job");   // "jobId"
    QStringList targets;                         // "targets": fleet names (and "fleet/group"); empty = every fleet
    QString order = QStringLiteral("random");    // "order": "random" (seeded shuffle) | "index" (device order)
    ExecutionsRollout rollout;                   // "jobExecutionsRolloutConfig"
    std::vector<AbortCriterion> abort;           // "abortConfig": {"criteriaList": [...]}
    std::optional<double> inProgressTimeoutMinutes;  // "timeoutConfig": {"inProgressTimeoutInMinutes"} 1..10080
    std::vector<RetryCriterion> retries;         // "jobExecutionsRetryConfig": {"criteriaList": [...]}
    Scheduling scheduling;                       // "schedulingConfig"
    std::vector<HawkbitGroup> groups;            // "groups" (policy hawkbit)
    std::vector<MenderPhase> phases;             // "phases" (policy mender)
    std::optional<int> maxDevices;               // "maxDevices" (mender): stop after this many

    // Checks every range as the service does; Error::field names the key below `prefix`
    // ("rollout.jobExecutionsRolloutConfig.exponentialRate.incrementFactor").
    Result<void> validate(const QString& prefix = QStringLiteral("rollout")) const;
};

QString failureTypeName(FailureType type);                 // "FAILED", ...
std::optional<FailureType> failureTypeFromName(const QString& name);

} // namespace otalab::sim::rollout
