// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/rolloutreader.h"

#include "sim/fleet/rollout/rolloutplan.h"
#include "sim/scenario/jsonfieldreader.h"

#include <QJsonArray>

#include <cmath>
#include <functional>
#include <limits>

namespace otalab::sim {

using namespace rollout;

namespace {

// Types only: ranges are RolloutPolicyConfig::validate's (one place for their messages).
void readNumber(JsonFieldReader& r, const char* key, double& out)
{
    const auto v = r.value(key);
    if (!v)
        return;
    if (!v->isDouble() || !std::isfinite(v->toDouble())) {
        r.fail(r.pathOf(QLatin1String(key)), QStringLiteral("expected a number, got %1").arg(JsonFieldReader::describe(*v)));
        return;
    }
    out = v->toDouble();
}

void readNumber(JsonFieldReader& r, const char* key, std::optional<double>& out)
{
    if (!r.contains(key))
        return;
    double d = 0;
    readNumber(r, key, d);
    out = d;
}

void readInteger(JsonFieldReader& r, const char* key, int& out)
{
    const auto v = r.value(key);
    if (!v)
        return;
    const double d = v->toDouble();
    if (!v->isDouble() || !std::isfinite(d) || d != std::floor(d) || d < std::numeric_limits<int>::min()
        || d > std::numeric_limits<int>::max()) {
        r.fail(r.pathOf(QLatin1String(key)), QStringLiteral("expected an integer, got %1").arg(JsonFieldReader::describe(*v)));
        return;
    }
    out = int(d);
}

void readInteger(JsonFieldReader& r, const char* key, std::optional<int>& out)
{
    if (!r.contains(key))
        return;
    int i = 0;
    readInteger(r, key, i);
    out = i;
}

void require(JsonFieldReader& r, std::initializer_list<const char*> keys)
{
    for (const char* key : keys)
        if (!r.contains(key))
            r.fail(r.pathOf(QLatin1String(key)), QStringLiteral("missing: this key is required"));
}

void readFailureType(JsonFieldReader& r, FailureType& out)
{
    r.choice("failureType", out, {{"FAILED", FailureType::Failed}, {"REJECTED", FailureType::Rejected},
                                  {"TIMED_OUT", FailureType::TimedOut}, {"ALL", FailureType::All}});
}

// Each element of the array `key` of `r` must be an object; `read` reads one.
void readObjects(JsonFieldReader& r, const char* key, std::optional<Error>& sink,
                 const std::function<void(JsonFieldReader&)>& read)
{
    const auto array = r.array(key);
    if (!array)
        return;
    for (qsizetype i = 0; i < array->size() && !sink; ++i) {
        const QString path = QStringLiteral("%1[%2]").arg(r.pathOf(QLatin1String(key))).arg(i);
        if (!array->at(i).isObject()) {
            r.fail(path, QStringLiteral("expected an object, got %1").arg(JsonFieldReader::describe(array->at(i))));
            return;
        }
        JsonFieldReader element(array->at(i).toObject(), path, sink);
        read(element);
        element.finish();
    }
}

// `key` of `r` as an object read by `read` (absent: nothing).
void readObject(JsonFieldReader& r, const char* key, std::optional<Error>& sink, const std::function<void(JsonFieldReader&)>& read)
{
    const auto object = r.object(key);
    if (!object)
        return;
    JsonFieldReader inner(*object, r.pathOf(QLatin1String(key)), sink);
    read(inner);
    inner.finish();
}

void readRollout(JsonFieldReader& r, ExecutionsRollout& out, std::optional<Error>& sink)
{
    readInteger(r, "maximumPerMinute", out.maximumPerMinute);
    readObject(r, "exponentialRate", sink, [&](JsonFieldReader& e) {
        ExponentialRate rate;
        require(e, {"baseRatePerMinute", "incrementFactor", "rateIncreaseCriteria"});
        readInteger(e, "baseRatePerMinute", rate.baseRatePerMinute);
        readNumber(e, "incrementFactor", rate.incrementFactor);
        readObject(e, "rateIncreaseCriteria", sink, [&](JsonFieldReader& k) {
            readInteger(k, "numberOfNotifiedThings", rate.rateIncreaseCriteria.numberOfNotifiedThings);
            readInteger(k, "numberOfSucceededThings", rate.rateIncreaseCriteria.numberOfSucceededThings);
        });
        out.exponentialRate = rate;
    });
}

void readScheduling(JsonFieldReader& r, Scheduling& out, std::optional<Error>& sink)
{
    readNumber(r, "startS", out.startS);
    readNumber(r, "endS", out.endS);
    r.text("endBehavior", out.endBehavior);
    readObjects(r, "maintenanceWindows", sink, [&](JsonFieldReader& w) {
        MaintenanceWindow window;
        readNumber(w, "startS", window.startS);
        readNumber(w, "durationS", window.durationS);
        readNumber(w, "periodS", window.periodS);
        out.maintenanceWindows.push_back(window);
    });
}

void readPolicyKeys(JsonFieldReader& r, RolloutPolicyConfig& c, std::optional<Error>& sink)
{
    r.choice("policy", c.kind, {{"aws-jobs", PolicyKind::AwsJobs}, {"hawkbit", PolicyKind::Hawkbit}, {"mender", PolicyKind::Mender}});
    r.text("jobId", c.jobId);
    if (const auto targets = r.array("targets")) {
        for (qsizetype i = 0; i < targets->size(); ++i) {
            if (!targets->at(i).isString()) {
                r.fail(QStringLiteral("%1[%2]").arg(r.pathOf(QStringLiteral("targets"))).arg(i),
                       QStringLiteral("expected a fleet name (a string), got %1").arg(JsonFieldReader::describe(targets->at(i))));
                return;
            }
            c.targets << targets->at(i).toString();
        }
    }
    r.text("order", c.order);
    readObject(r, "jobExecutionsRolloutConfig", sink, [&](JsonFieldReader& x) { readRollout(x, c.rollout, sink); });
    readObject(r, "abortConfig", sink, [&](JsonFieldReader& a) {
        require(a, {"criteriaList"});
        readObjects(a, "criteriaList", sink, [&](JsonFieldReader& k) {
            AbortCriterion criterion;
            require(k, {"failureType", "thresholdPercentage", "minNumberOfExecutedThings"});
            readFailureType(k, criterion.failureType);
            k.text("action", criterion.action);
            readNumber(k, "thresholdPercentage", criterion.thresholdPercentage);
            readInteger(k, "minNumberOfExecutedThings", criterion.minNumberOfExecutedThings);
            c.abort.push_back(criterion);
        });
    });
    readObject(r, "timeoutConfig", sink, [&](JsonFieldReader& t) { readNumber(t, "inProgressTimeoutInMinutes", c.inProgressTimeoutMinutes); });
    readObject(r, "jobExecutionsRetryConfig", sink, [&](JsonFieldReader& a) {
        require(a, {"criteriaList"});
        readObjects(a, "criteriaList", sink, [&](JsonFieldReader& k) {
            RetryCriterion criterion;
            require(k, {"failureType", "numberOfRetries"});
            readFailureType(k, criterion.failureType);
            readInteger(k, "numberOfRetries", criterion.numberOfRetries);
            c.retries.push_back(criterion);
        });
    });
    readObject(r, "schedulingConfig", sink, [&](JsonFieldReader& s) { readScheduling(s, c.scheduling, sink); });
    readObjects(r, "groups", sink, [&](JsonFieldReader& g) {
        HawkbitGroup group;
        g.text("name", group.name, true);
        readNumber(g, "targetPercentage", group.targetPercentage);
        readNumber(g, "successThreshold", group.successThreshold);
        readNumber(g, "errorThreshold", group.errorThreshold);
        c.groups.push_back(group);
    });
    readObjects(r, "phases", sink, [&](JsonFieldReader& p) {
        MenderPhase phase;
        readNumber(p, "batchPercentage", phase.batchPercentage);
        readNumber(p, "startS", phase.startS);
        c.phases.push_back(phase);
    });
    readInteger(r, "maxDevices", c.maxDevices);
}

} // namespace

Result<RolloutPolicyConfig> readRolloutPolicy(const QJsonObject& json, const QString& path)
{
    std::optional<Error> sink;
    RolloutPolicyConfig config;
    JsonFieldReader r(json, path, sink);
    readPolicyKeys(r, config, sink);
    r.finish();
    if (sink)
        return fail(*sink);
    // Policy-specific keys are refused with another policy even when empty (validate()
    // only sees what they hold).
    const struct {
        const char* key;
        bool allowed;
        const char* policies;
    } specific[] = {
        {"abortConfig", config.kind == PolicyKind::AwsJobs, "\"aws-jobs\""},
        {"jobExecutionsRetryConfig", config.kind != PolicyKind::Hawkbit, "\"aws-jobs\" or \"mender\""},
        {"groups", config.kind == PolicyKind::Hawkbit, "\"hawkbit\""},
        {"phases", config.kind == PolicyKind::Mender, "\"mender\""},
        {"maxDevices", config.kind == PolicyKind::Mender, "\"mender\""},
    };
    for (const auto& k : specific)
        if (!k.allowed && json.contains(QLatin1String(k.key)))
            return fail(Error{QStringLiteral("only valid with \"policy\": %1").arg(QLatin1String(k.policies)),
                              path + QLatin1Char('.') + QLatin1String(k.key), -1});
    if (auto valid = config.validate(path); !valid)
        return fail(valid.error());
    return config;
}

Result<std::optional<RolloutPolicyConfig>> readScenarioRollout(const QJsonValue& value, const QStringList& fleetNames)
{
    const QString path = QStringLiteral("$.rollout");
    if (value.isUndefined())
        return std::optional<RolloutPolicyConfig>();
    if (!value.isObject())
        return fail(Error{QStringLiteral("expected an object, got %1").arg(JsonFieldReader::describe(value)), path, -1});
    auto config = readRolloutPolicy(value.toObject(), path);
    if (!config)
        return fail(config.error());
    QStringList known = fleetNames;
    known.sort();
    for (qsizetype i = 0; i < config->targets.size() && !fleetNames.isEmpty(); ++i) {
        const QString fleet = config->targets[i].section(QLatin1Char('/'), 0, 0);
        if (!fleetNames.contains(fleet))
            return fail(Error{QStringLiteral("no fleet named \"%1\"; expected one of: %2").arg(fleet.left(40), known.join(QStringLiteral(", "))),
                              QStringLiteral("%1.targets[%2]").arg(path).arg(i), -1});
    }
    return std::optional<RolloutPolicyConfig>(std::move(*config));
}

QJsonObject rolloutPolicyToJson(const RolloutPolicyConfig& c)
{
    QJsonObject o{{QStringLiteral("policy"), policyKindName(c.kind)}, {QStringLiteral("jobId"), c.jobId},
                  {QStringLiteral("targets"), QJsonArray::fromStringList(c.targets)}, {QStringLiteral("order"), c.order}};
    QJsonObject rollout;
    if (c.rollout.maximumPerMinute)
        rollout.insert(QStringLiteral("maximumPerMinute"), *c.rollout.maximumPerMinute);
    if (const auto& e = c.rollout.exponentialRate) {
        QJsonObject criteria;
        if (e->rateIncreaseCriteria.numberOfNotifiedThings)
            criteria.insert(QStringLiteral("numberOfNotifiedThings"), *e->rateIncreaseCriteria.numberOfNotifiedThings);
        if (e->rateIncreaseCriteria.numberOfSucceededThings)
            criteria.insert(QStringLiteral("numberOfSucceededThings"), *e->rateIncreaseCriteria.numberOfSucceededThings);
        rollout.insert(QStringLiteral("exponentialRate"),
                       QJsonObject{{QStringLiteral("baseRatePerMinute"), e->baseRatePerMinute},
                                   {QStringLiteral("incrementFactor"), e->incrementFactor},
                                   {QStringLiteral("rateIncreaseCriteria"), criteria}});
    }
    if (!rollout.isEmpty())
        o.insert(QStringLiteral("jobExecutionsRolloutConfig"), rollout);
    if (!c.abort.empty()) {
        QJsonArray list;
        for (const AbortCriterion& a : c.abort)
            list.append(QJsonObject{{QStringLiteral("failureType"), failureTypeName(a.failureType)}, {QStringLiteral("action"), a.action},
                                    {QStringLiteral("thresholdPercentage"), a.thresholdPercentage},
                                    {QStringLiteral("minNumberOfExecutedThings"), a.minNumberOfExecutedThings}});
        o.insert(QStringLiteral("abortConfig"), QJsonObject{{QStringLiteral("criteriaList"), list}});
    }
    if (c.inProgressTimeoutMinutes)
        o.insert(QStringLiteral("timeoutConfig"), QJsonObject{{QStringLiteral("inProgressTimeoutInMinutes"), *c.inProgressTimeoutMinutes}});
    if (!c.retries.empty()) {
        QJsonArray list;
        for (const RetryCriterion& r : c.retries)
            list.append(QJsonObject{{QStringLiteral("failureType"), failureTypeName(r.failureType)},
                                    {QStringLiteral("numberOfRetries"), r.numberOfRetries}});
        o.insert(QStringLiteral("jobExecutionsRetryConfig"), QJsonObject{{QStringLiteral("criteriaList"), list}});
    }
    QJsonObject scheduling{{QStringLiteral("startS"), c.scheduling.startS}, {QStringLiteral("endBehavior"), c.scheduling.endBehavior}};
    if (c.scheduling.endS)
        scheduling.insert(QStringLiteral("endS"), *c.scheduling.endS);
    QJsonArray windows;
    for (const MaintenanceWindow& w : c.scheduling.maintenanceWindows)
        windows.append(QJsonObject{{QStringLiteral("startS"), w.startS}, {QStringLiteral("durationS"), w.durationS},
                                   {QStringLiteral("periodS"), w.periodS}});
    scheduling.insert(QStringLiteral("maintenanceWindows"), windows);
    o.insert(QStringLiteral("schedulingConfig"), scheduling);
    if (c.kind == PolicyKind::Hawkbit) {
        QJsonArray groups;
        for (const HawkbitGroup& g : c.groups) {
            QJsonObject j{{QStringLiteral("name"), g.name}, {QStringLiteral("targetPercentage"), g.targetPercentage},
                          {QStringLiteral("successThreshold"), g.successThreshold}};
            if (g.errorThreshold)
                j.insert(QStringLiteral("errorThreshold"), *g.errorThreshold);
            groups.append(j);
        }
        o.insert(QStringLiteral("groups"), groups);
    }
    if (c.kind == PolicyKind::Mender) {
        QJsonArray phases;
        for (const MenderPhase& p : c.phases)
            phases.append(QJsonObject{{QStringLiteral("batchPercentage"), p.batchPercentage}, {QStringLiteral("startS"), p.startS}});
        o.insert(QStringLiteral("phases"), phases);
        if (c.maxDevices)
            o.insert(QStringLiteral("maxDevices"), *c.maxDevices);
    }
    return o;
}

} // namespace otalab::sim
