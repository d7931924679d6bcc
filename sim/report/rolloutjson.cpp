// SPDX-License-Identifier: Apache-2.0
#include "sim/report/rolloutjson.h"

#include "sim/fleet/rollout/executionstate.h"
#include "sim/report/rolloutsummary.h"

#include <QJsonArray>

namespace otalab::sim {

namespace {

QJsonValue optional(const std::optional<double>& value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonArray counts(const std::array<int, 8>& values)
{
    QJsonArray a;
    for (int v : values)
        a.append(v);
    return a;
}

// Readers: each fails with the member's path and what was expected.
Error wrong(const QString& field, const QString& expected)
{
    return Error::at(-1, field, QStringLiteral("expected %1").arg(expected));
}

Result<QString> readString(const QJsonObject& o, const QString& key, const QString& field)
{
    const QJsonValue v = o.value(key);
    if (!v.isString())
        return fail(wrong(field + QLatin1Char('.') + key, QStringLiteral("a string")));
    return v.toString();
}

Result<double> readNumber(const QJsonObject& o, const QString& key, const QString& field)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return fail(wrong(field + QLatin1Char('.') + key, QStringLiteral("a number")));
    return v.toDouble();
}

Result<int> readInt(const QJsonObject& o, const QString& key, const QString& field)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < 0)
        return fail(wrong(field + QLatin1Char('.') + key, QStringLiteral("an integer ≥ 0")));
    return v.toInt();
}

Result<std::optional<double>> readOptional(const QJsonObject& o, const QString& key, const QString& field)
{
    const QJsonValue v = o.value(key);
    if (v.isNull())
        return std::optional<double>{};
    if (!v.isDouble())
        return fail(wrong(field + QLatin1Char('.') + key, QStringLiteral("a number or null")));
    return std::optional<double>(v.toDouble());
}

Result<QJsonArray> readArray(const QJsonObject& o, const QString& key, const QString& field)
{
    const QJsonValue v = o.value(key);
    if (!v.isArray())
        return fail(wrong(field + QLatin1Char('.') + key, QStringLiteral("an array")));
    return v.toArray();
}

Result<std::array<int, 8>> readCounts(const QJsonObject& o, const QString& key, const QString& field)
{
    const QJsonValue v = o.value(key);
    std::array<int, 8> out{};
    const QJsonArray a = v.toArray();
    if (!v.isArray() || a.size() != 8)
        return fail(wrong(field + QLatin1Char('.') + key, QStringLiteral("an array of 8 integers (one per execution state)")));
    for (qsizetype i = 0; i < 8; ++i) {
        if (!a[i].isDouble() || a[i].toDouble() != double(a[i].toInt()) || a[i].toInt() < 0)
            return fail(wrong(QStringLiteral("%1.%2[%3]").arg(field, key).arg(i), QStringLiteral("an integer ≥ 0")));
        out[std::size_t(i)] = a[i].toInt();
    }
    return out;
}

Result<QJsonObject> element(const QJsonArray& a, qsizetype i, const QString& field)
{
    if (!a[i].isObject())
        return fail(wrong(QStringLiteral("%1[%2]").arg(field).arg(i), QStringLiteral("an object")));
    return a[i].toObject();
}

#define OTALAB_TRY(var, expr)             \
    auto var##_r = (expr);                \
    if (!var##_r)                         \
        return fail(var##_r.error());     \
    auto var = std::move(*var##_r)

} // namespace

QJsonObject rolloutToJson(const RunResult& result)
{
    const auto s = summarizeRollout(result);
    if (!s)
        return {};
    const RolloutResult& r = *result.rollout;
    QJsonArray states;
    for (int i = 0; i < rollout::kExecutionStateCount; ++i)
        states.append(rollout::executionStateName(rollout::ExecutionState(i)));
    QJsonArray rows;
    for (const ResultAttribute& a : r.rows)
        rows.append(QJsonObject{{QStringLiteral("name"), a.name}, {QStringLiteral("value"), a.value}});
    QJsonArray groups;
    for (const RolloutGroupResult& g : r.groups)
        groups.append(QJsonObject{{QStringLiteral("name"), g.name},         {QStringLiteral("devices"), g.devices},
                                  {QStringLiteral("startS"), optional(g.startS)}, {QStringLiteral("endS"), optional(g.endS)},
                                  {QStringLiteral("succeeded"), g.succeeded},  {QStringLiteral("failed"), g.failed},
                                  {QStringLiteral("endReason"), g.endReason}});
    QJsonArray samples;
    for (const RolloutSample& p : r.samples)
        samples.append(QJsonObject{{QStringLiteral("timeS"), p.timeS},
                                   {QStringLiteral("executions"), counts(p.executions)},
                                   {QStringLiteral("notified"), p.notified},
                                   {QStringLiteral("ratePerMinute"), p.ratePerMinute},
                                   {QStringLiteral("group"), p.group}});
    return QJsonObject{
        {QStringLiteral("policy"), r.policy},
        {QStringLiteral("jobStatus"), r.jobStatus},
        {QStringLiteral("targets"), QJsonArray::fromStringList(r.targets)},
        {QStringLiteral("targetedDevices"), s->targeted},
        {QStringLiteral("abortedAtS"), optional(r.abortedAtS)},
        {QStringLiteral("abortReason"), r.abortReason},
        {QStringLiteral("executionStates"), states},
        {QStringLiteral("executionsAtAbort"), counts(r.executionsAtAbort)},
        {QStringLiteral("executionsAtEnd"), counts(s->executionsAtEnd)},
        {QStringLiteral("byAbort"), QJsonObject{{QStringLiteral("started"), s->startedByAbort},
                                                {QStringLiteral("failedOrRolledBack"), s->failedByAbort}}},
        {QStringLiteral("rows"), rows},
        {QStringLiteral("groups"), groups},
        {QStringLiteral("samples"), samples},
    };
}

Result<RolloutResult> rolloutFromJson(const QJsonObject& o, const QString& field)
{
    RolloutResult r;
    OTALAB_TRY(policy, readString(o, QStringLiteral("policy"), field));
    OTALAB_TRY(status, readString(o, QStringLiteral("jobStatus"), field));
    OTALAB_TRY(targets, readArray(o, QStringLiteral("targets"), field));
    OTALAB_TRY(abortedAt, readOptional(o, QStringLiteral("abortedAtS"), field));
    OTALAB_TRY(reason, readString(o, QStringLiteral("abortReason"), field));
    OTALAB_TRY(atAbort, readCounts(o, QStringLiteral("executionsAtAbort"), field));
    OTALAB_TRY(rows, readArray(o, QStringLiteral("rows"), field));
    OTALAB_TRY(groups, readArray(o, QStringLiteral("groups"), field));
    OTALAB_TRY(samples, readArray(o, QStringLiteral("samples"), field));
    r.policy = policy;
    r.jobStatus = status;
    r.abortedAtS = abortedAt;
    r.abortReason = reason;
    r.executionsAtAbort = atAbort;
    for (qsizetype i = 0; i < targets.size(); ++i) {
        if (!targets[i].isString())
            return fail(wrong(QStringLiteral("%1.targets[%2]").arg(field).arg(i), QStringLiteral("a fleet name (string)")));
        r.targets << targets[i].toString();
    }
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QString at = QStringLiteral("%1.rows[%2]").arg(field).arg(i);
        OTALAB_TRY(row, element(rows, i, field + QStringLiteral(".rows")));
        OTALAB_TRY(name, readString(row, QStringLiteral("name"), at));
        OTALAB_TRY(value, readString(row, QStringLiteral("value"), at));
        r.rows.push_back({name, value});
    }
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const QString at = QStringLiteral("%1.groups[%2]").arg(field).arg(i);
        OTALAB_TRY(g, element(groups, i, field + QStringLiteral(".groups")));
        RolloutGroupResult out;
        OTALAB_TRY(name, readString(g, QStringLiteral("name"), at));
        OTALAB_TRY(devices, readInt(g, QStringLiteral("devices"), at));
        OTALAB_TRY(start, readOptional(g, QStringLiteral("startS"), at));
        OTALAB_TRY(end, readOptional(g, QStringLiteral("endS"), at));
        OTALAB_TRY(succeeded, readInt(g, QStringLiteral("succeeded"), at));
        OTALAB_TRY(failed, readInt(g, QStringLiteral("failed"), at));
        OTALAB_TRY(endReason, readString(g, QStringLiteral("endReason"), at));
        r.groups.push_back({name, devices, start, end, succeeded, failed, endReason});
    }
    for (qsizetype i = 0; i < samples.size(); ++i) {
        const QString at = QStringLiteral("%1.samples[%2]").arg(field).arg(i);
        OTALAB_TRY(p, element(samples, i, field + QStringLiteral(".samples")));
        OTALAB_TRY(time, readNumber(p, QStringLiteral("timeS"), at));
        OTALAB_TRY(executions, readCounts(p, QStringLiteral("executions"), at));
        OTALAB_TRY(notified, readInt(p, QStringLiteral("notified"), at));
        OTALAB_TRY(rate, readNumber(p, QStringLiteral("ratePerMinute"), at));
        OTALAB_TRY(group, readString(p, QStringLiteral("group"), at));
        r.samples.push_back({time, executions, notified, rate, group});
    }
    return r;
}

} // namespace otalab::sim

#undef OTALAB_TRY
