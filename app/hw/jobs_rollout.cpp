// SPDX-License-Identifier: Apache-2.0
// The job's rollout section → RolloutPolicyConfig (see the header).
#include "app/hw/jobs_rollout.h"

#include <QJsonArray>

#include <cmath>

namespace otalab::hw::jobs {

using namespace sim::rollout;

namespace {

// The keys of the scenario rollout section the real service understands (the AWS Jobs
// subset). Everything here is validated again by RolloutPolicyConfig::validate().
Result<double> numberAt(const QJsonObject& json, const QString& key, const QString& path)
{
    const QJsonValue v = json.value(key);
    if (!v.isDouble())
        return fail(Error{QStringLiteral("expected a number"), path + key, -1});
    return v.toDouble();
}

Result<int> integerAt(const QJsonObject& json, const QString& key, const QString& path)
{
    auto v = numberAt(json, key, path);
    if (!v)
        return fail(v.error());
    if (*v != double(qint64(*v)) || std::abs(*v) > 2e9)
        return fail(Error{QStringLiteral("expected a whole number"), path + key, -1});
    return int(*v);
}

Result<FailureType> failureTypeAt(const QJsonObject& json, const QString& key, const QString& path)
{
    const auto type = failureTypeFromName(json.value(key).toString());
    if (!type)
        return fail(Error{QStringLiteral("expected FAILED, REJECTED, TIMED_OUT or ALL"), path + key, -1});
    return *type;
}

} // namespace

Result<RolloutPolicyConfig> rolloutPolicyFromSection(const QJsonObject& section, const QString& jobId,
                                                     const QStringList& targets)
{
    const QString root = QStringLiteral("rollout.");
    static const QStringList known = {QStringLiteral("policy"), QStringLiteral("jobId"), QStringLiteral("targets"),
                                      QStringLiteral("order"), QStringLiteral("jobExecutionsRolloutConfig"),
                                      QStringLiteral("abortConfig"), QStringLiteral("timeoutConfig"),
                                      QStringLiteral("jobExecutionsRetryConfig")};
    for (auto it = section.begin(); it != section.end(); ++it)
        if (!known.contains(it.key()))
            return fail(Error{QStringLiteral("not supported by the real jobs service (known: %1)").arg(known.join(QStringLiteral(", "))),
                              root + it.key(), -1});
    RolloutPolicyConfig c;
    c.jobId = jobId;
    c.targets = targets;
    c.order = section.value(QStringLiteral("order")).toString(QStringLiteral("index"));
    if (section.contains(QStringLiteral("policy")) && section.value(QStringLiteral("policy")).toString() != QLatin1String("aws-jobs"))
        return fail(Error{QStringLiteral("the real jobs service runs \"aws-jobs\" policies only"), root + QStringLiteral("policy"), -1});

    const QJsonObject rollout = section.value(QStringLiteral("jobExecutionsRolloutConfig")).toObject();
    const QString rolloutPath = root + QStringLiteral("jobExecutionsRolloutConfig.");
    if (rollout.contains(QStringLiteral("maximumPerMinute"))) {
        auto v = integerAt(rollout, QStringLiteral("maximumPerMinute"), rolloutPath);
        if (!v)
            return fail(v.error());
        c.rollout.maximumPerMinute = *v;
    }
    if (rollout.contains(QStringLiteral("exponentialRate"))) {
        const QJsonObject e = rollout.value(QStringLiteral("exponentialRate")).toObject();
        const QString path = rolloutPath + QStringLiteral("exponentialRate.");
        ExponentialRate rate;
        auto base = integerAt(e, QStringLiteral("baseRatePerMinute"), path);
        if (!base)
            return fail(base.error());
        rate.baseRatePerMinute = *base;
        auto factor = numberAt(e, QStringLiteral("incrementFactor"), path);
        if (!factor)
            return fail(factor.error());
        rate.incrementFactor = *factor;
        const QJsonObject criteria = e.value(QStringLiteral("rateIncreaseCriteria")).toObject();
        const QString cpath = path + QStringLiteral("rateIncreaseCriteria.");
        if (criteria.contains(QStringLiteral("numberOfNotifiedThings"))) {
            auto n = integerAt(criteria, QStringLiteral("numberOfNotifiedThings"), cpath);
            if (!n)
                return fail(n.error());
            rate.rateIncreaseCriteria.numberOfNotifiedThings = *n;
        }
        if (criteria.contains(QStringLiteral("numberOfSucceededThings"))) {
            auto n = integerAt(criteria, QStringLiteral("numberOfSucceededThings"), cpath);
            if (!n)
                return fail(n.error());
            rate.rateIncreaseCriteria.numberOfSucceededThings = *n;
        }
        c.rollout.exponentialRate = rate;
    }
    const QJsonArray abort = section.value(QStringLiteral("abortConfig")).toObject().value(QStringLiteral("criteriaList")).toArray();
    for (qsizetype i = 0; i < abort.size(); ++i) {
        const QJsonObject a = abort.at(i).toObject();
        const QString path = root + QStringLiteral("abortConfig.criteriaList[%1].").arg(i);
        AbortCriterion criterion;
        auto type = failureTypeAt(a, QStringLiteral("failureType"), path);
        if (!type)
            return fail(type.error());
        criterion.failureType = *type;
        criterion.action = a.value(QStringLiteral("action")).toString(QStringLiteral("CANCEL"));
        auto threshold = numberAt(a, QStringLiteral("thresholdPercentage"), path);
        if (!threshold)
            return fail(threshold.error());
        criterion.thresholdPercentage = *threshold;
        auto min = integerAt(a, QStringLiteral("minNumberOfExecutedThings"), path);
        if (!min)
            return fail(min.error());
        criterion.minNumberOfExecutedThings = *min;
        c.abort.push_back(criterion);
    }
    const QJsonObject timeout = section.value(QStringLiteral("timeoutConfig")).toObject();
    if (timeout.contains(QStringLiteral("inProgressTimeoutInMinutes"))) {
        auto minutes = numberAt(timeout, QStringLiteral("inProgressTimeoutInMinutes"), root + QStringLiteral("timeoutConfig."));
        if (!minutes)
            return fail(minutes.error());
        c.inProgressTimeoutMinutes = *minutes;
    }
    const QJsonArray retries =
        section.value(QStringLiteral("jobExecutionsRetryConfig")).toObject().value(QStringLiteral("criteriaList")).toArray();
    for (qsizetype i = 0; i < retries.size(); ++i) {
        const QJsonObject r = retries.at(i).toObject();
        const QString path = root + QStringLiteral("jobExecutionsRetryConfig.criteriaList[%1].").arg(i);
        RetryCriterion criterion;
        auto type = failureTypeAt(r, QStringLiteral("failureType"), path);
        if (!type)
            return fail(type.error());
        criterion.failureType = *type;
        auto n = integerAt(r, QStringLiteral("numberOfRetries"), path);
        if (!n)
            return fail(n.error());
        criterion.numberOfRetries = *n;
        c.retries.push_back(criterion);
    }
    if (auto ok = c.validate(QStringLiteral("rollout")); !ok)
        return fail(ok.error());
    return c;
}

} // namespace otalab::hw::jobs
