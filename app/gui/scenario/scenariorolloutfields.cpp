// SPDX-License-Identifier: Apache-2.0
// The form's keys of the "rollout" section. Ranges are RolloutPolicyConfig::validate's
// (the AWS IoT API reference limits, ../shared/PROTOCOLS.md), so the form rarely makes a
// bad section; tips follow sim/fleet/rollout/rolloutconfig.h.
#include "scenario/scenariorolloutfields.h"

#include "scenario/scenariofieldbuilders.h"

namespace otalab::app::scenariofields {

namespace {

using build::choice;
using build::integer;
using build::number;
using build::spec;
using build::text;
using build::tr;

QStringList words(std::initializer_list<const char*> list)
{
    QStringList out;
    for (const char* w : list)
        out << QLatin1String(w);
    return out;
}

ScenarioFieldSpec optionalInteger(const char* key, const char* label, double min, double max, const char* suffix, const char* tip,
                                  const char* emptyMeaning)
{
    ScenarioFieldSpec s = spec(key, label, FieldKind::Integer, min, max, QJsonValue(), suffix, tip);
    s.emptyMeaning = tr(emptyMeaning);
    return s;
}
ScenarioFieldSpec optionalNumber(const char* key, const char* label, double min, double max, const char* suffix, const char* tip,
                                 const char* emptyMeaning, int decimals = 1)
{
    ScenarioFieldSpec s = spec(key, label, FieldKind::Number, min, max, QJsonValue(), suffix, tip, decimals);
    s.emptyMeaning = tr(emptyMeaning);
    return s;
}

} // namespace

QList<ScenarioFieldSpec> rolloutJob()
{
    ScenarioFieldSpec maxDevices = optionalInteger("maxDevices", "Max devices", 1, 10'000'000, "",
                                                   "Mender max_devices: the deployment stops after this many devices", "every target");
    maxDevices.discriminator = QStringLiteral("policy");
    maxDevices.onlyFor = {QStringLiteral("mender")};
    return {
        choice("policy", "Policy", words({"aws-jobs", "hawkbit", "mender"}), "aws-jobs",
               "aws-jobs: AWS IoT Jobs (rate, exponential rate, abort criteria, timeout, retries); hawkbit: groups with success "
               "and error thresholds; mender: phases (batch %, start time)"),
        text("jobId", "Job id", QStringLiteral("ota-job"), "the job's id (letters, digits, '-', '_', '.')"),
        choice("order", "Order", words({"random", "index"}), "random",
               "random: targets notified in a seeded shuffle; index: in device order"),
        maxDevices,
        optionalNumber("timeoutConfig.inProgressTimeoutInMinutes", "In-progress timeout", 1, 10080, " min",
                       "timeoutConfig: an execution IN_PROGRESS this long ends TIMED_OUT (1..10080 min)", "none", 1),
    };
}

QList<ScenarioFieldSpec> rolloutRate()
{
    return {optionalInteger("maximumPerMinute", "Maximum rate", 1, 1000, " /min",
                            "maximumPerMinute: things notified per minute at most (1..1000); caps the exponential rate too",
                            "no cap (AWS: 1000)")};
}

QList<ScenarioFieldSpec> rolloutExponential()
{
    ScenarioFieldSpec notified = optionalInteger("rateIncreaseCriteria.numberOfNotifiedThings", "Increase after notified", 1, 10'000'000, "",
                                                 "the rate grows after this many more things were notified (exactly one criterion)",
                                                 "not this criterion");
    notified.replaces = QStringLiteral("rateIncreaseCriteria.numberOfSucceededThings");
    ScenarioFieldSpec succeeded = optionalInteger("rateIncreaseCriteria.numberOfSucceededThings", "Increase after succeeded", 1, 10'000'000,
                                                  "", "the rate grows after this many more things succeeded (exactly one criterion)",
                                                  "not this criterion");
    succeeded.replaces = QStringLiteral("rateIncreaseCriteria.numberOfNotifiedThings");
    return {
        integer("baseRatePerMinute", "Base rate", 1, 1000, 1, " /min", "baseRatePerMinute: the first wave's rate (1..1000)"),
        number("incrementFactor", "Increment factor", 1.1, 5, 2, " \u00d7", "incrementFactor: each wave's rate = the previous \u00d7 this (1.1..5, one decimal)", 1),
        notified,
        succeeded,
    };
}

QList<ScenarioFieldSpec> rolloutAbortCriterion()
{
    return {
        choice("failureType", "Failure type", words({"FAILED", "REJECTED", "TIMED_OUT", "ALL"}), "FAILED",
               "executions that count as failures for this criterion (ALL: any of the three)"),
        choice("action", "Action", words({"CANCEL"}), "CANCEL", "what the job does when the criterion trips (AWS: CANCEL only)"),
        number("thresholdPercentage", "Threshold", 0, 100, 100, " %",
               "the criterion trips when failures reach this share of the executed things (0 < t \u2264 100)", 1),
        integer("minNumberOfExecutedThings", "Min executed", 1, 10'000'000, 1, "",
                "only once at least this many things finished their execution"),
    };
}

QList<ScenarioFieldSpec> rolloutRetryCriterion()
{
    return {
        choice("failureType", "Failure type", words({"FAILED", "TIMED_OUT", "ALL"}), "ALL", "executions retried under a new execution number"),
        integer("numberOfRetries", "Retries", 0, 10, 0, "", "retries per thing for this failure type (0..10)"),
    };
}

QList<ScenarioFieldSpec> rolloutScheduling()
{
    return {
        number("startS", "Start", 0, 1e9, 0, " s", "startTime: the job starts notifying (virtual s from the start of the run)", 1),
        optionalNumber("endS", "End", 0, 1e9, " s", "endTime: no new notifications after it (virtual s)", "never"),
        choice("endBehavior", "At the end", words({"STOP_ROLLOUT", "CANCEL", "FORCE_CANCEL"}), "STOP_ROLLOUT",
               "STOP_ROLLOUT: notify nobody more; CANCEL: also cancel queued executions; FORCE_CANCEL: in-progress ones too"),
    };
}

QList<ScenarioFieldSpec> rolloutMaintenanceWindow()
{
    return {
        number("startS", "Opens", 0, 1e9, 0, " s", "the first window opens (virtual s); it repeats every period", 1),
        number("durationS", "Duration", 60, 82800, 3600, " s", "how long each window stays open (1..1380 min)", 0),
        number("periodS", "Period", 60, 1e9, 86400, " s", "time between window openings (daily: 86400)", 0),
    };
}

QList<ScenarioFieldSpec> rolloutHawkbitGroup()
{
    return {
        text("name", "Name", QJsonValue(), "the group's name (in the charts and the report)"),
        number("targetPercentage", "Targets", 0, 100, 100, " %", "share of the targets still left that this group takes (0 < p \u2264 100)", 1),
        number("successThreshold", "Success threshold", 0, 100, 50, " %", "% of the group finished successfully \u2192 the next group starts", 1),
        optionalNumber("errorThreshold", "Error threshold", 0, 100, " %", "% of the group failed \u2192 the rollout pauses (errorAction PAUSE)",
                       "never pause"),
    };
}

QList<ScenarioFieldSpec> rolloutMenderPhase()
{
    return {
        number("batchPercentage", "Batch", 0, 100, 100, " %", "batch_size: % of the targets in this phase (the last phase takes the rest)", 1),
        number("startS", "Starts", 0, 1e9, 0, " s", "start_ts: when the phase starts (virtual s)", 1),
    };
}

QJsonObject newAbortCriterion()
{
    return {{QStringLiteral("failureType"), QStringLiteral("FAILED")}, {QStringLiteral("action"), QStringLiteral("CANCEL")},
            {QStringLiteral("thresholdPercentage"), 5}, {QStringLiteral("minNumberOfExecutedThings"), 10}};
}
QJsonObject newRetryCriterion() { return {{QStringLiteral("failureType"), QStringLiteral("FAILED")}, {QStringLiteral("numberOfRetries"), 1}}; }
QJsonObject newMaintenanceWindow()
{
    return {{QStringLiteral("startS"), 0}, {QStringLiteral("durationS"), 3600}, {QStringLiteral("periodS"), 86400}};
}
QJsonObject newHawkbitGroup(int index)
{
    return {{QStringLiteral("name"), QStringLiteral("group %1").arg(index + 1)}, {QStringLiteral("targetPercentage"), 100},
            {QStringLiteral("successThreshold"), 80}};
}
QJsonObject newMenderPhase(int index)
{
    return {{QStringLiteral("batchPercentage"), index == 0 ? 10 : 100}, {QStringLiteral("startS"), index * 3600}};
}
QJsonObject newExponentialRate()
{
    return {{QStringLiteral("baseRatePerMinute"), 10}, {QStringLiteral("incrementFactor"), 2},
            {QStringLiteral("rateIncreaseCriteria"), QJsonObject{{QStringLiteral("numberOfSucceededThings"), 10}}}};
}
QJsonObject newRollout()
{
    return {{QStringLiteral("policy"), QStringLiteral("aws-jobs")}, {QStringLiteral("jobId"), QStringLiteral("ota-job")},
            {QStringLiteral("jobExecutionsRolloutConfig"), QJsonObject{{QStringLiteral("maximumPerMinute"), 100}}}};
}

QStringList rolloutPolicySpecificKeys()
{
    return {QStringLiteral("jobExecutionsRolloutConfig"), QStringLiteral("abortConfig"), QStringLiteral("jobExecutionsRetryConfig"),
            QStringLiteral("groups"), QStringLiteral("phases"), QStringLiteral("maxDevices")};
}

bool rolloutKeyAllowed(const QString& key, const QString& policy)
{
    const bool aws = policy == QLatin1String("aws-jobs"), hawkbit = policy == QLatin1String("hawkbit"),
               mender = policy == QLatin1String("mender");
    if (key == QLatin1String("jobExecutionsRolloutConfig") || key == QLatin1String("abortConfig"))
        return aws;
    if (key == QLatin1String("jobExecutionsRetryConfig"))
        return !hawkbit;
    if (key == QLatin1String("groups"))
        return hawkbit;
    if (key == QLatin1String("phases") || key == QLatin1String("maxDevices"))
        return mender;
    return true;
}

} // namespace otalab::app::scenariofields
