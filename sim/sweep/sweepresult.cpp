// SPDX-License-Identifier: Apache-2.0
// SweepRunResult: the metric columns and result.json (running an index: sweeprun.cpp).
#include "sim/sweep/sweepresult.h"

#include <QJsonArray>

#include <cmath>

namespace otalab::sim {

namespace {

struct MetricInfo {
    const char* name;
    const char* unit;
};

constexpr std::array<MetricInfo, kSweepMetricCount> kMetrics{{
    {"devices", ""},
    {"upgraded", ""},
    {"failed", ""},
    {"refused", ""},
    {"rolled_back", ""},
    {"unfinished", ""},
    {"not_started", ""},
    {"upgraded_pct", "%"},
    {"p50_s", "s"},
    {"p90_s", "s"},
    {"p95_s", "s"},
    {"max_s", "s"},
    {"end_s", "s"},
    {"energy_j_mean", "J"},
    {"update_energy_j_mean", "J"},
    {"update_energy_j_max", "J"},
    {"battery_share_pct_mean", "%"},
    {"events", ""},
    {"wall_s", "s"},
}};

} // namespace

QString sweepMetricName(SweepMetric metric)
{
    const int i = int(metric);
    return i >= 0 && i < kSweepMetricCount ? QString::fromLatin1(kMetrics[std::size_t(i)].name) : QString();
}

QString sweepMetricUnit(SweepMetric metric)
{
    const int i = int(metric);
    return i >= 0 && i < kSweepMetricCount ? QString::fromLatin1(kMetrics[std::size_t(i)].unit) : QString();
}

std::optional<SweepMetric> sweepMetricFromName(const QString& name)
{
    for (int i = 0; i < kSweepMetricCount; ++i)
        if (name == QLatin1String(kMetrics[std::size_t(i)].name))
            return SweepMetric(i);
    return std::nullopt;
}

bool sweepMetricIsDeterministic(SweepMetric metric) { return metric != SweepMetric::WallS; }

QJsonObject SweepRunResult::toJson(const SweepPlan& plan) const
{
    QJsonArray params;
    for (int a = 0; a < plan.axes.size() && a < run.point.size(); ++a)
        params.append(QJsonObject{{QStringLiteral("label"), plan.axes[a].label()},
                                  {QStringLiteral("path"), plan.axes[a].path},
                                  {QStringLiteral("value"), run.point[a]}});
    QJsonObject metricsObject;
    for (int i = 0; i < kSweepMetricCount; ++i) {
        const auto& v = metrics[std::size_t(i)];
        metricsObject.insert(sweepMetricName(SweepMetric(i)), v && std::isfinite(*v) ? QJsonValue(*v) : QJsonValue(QJsonValue::Null));
    }
    return QJsonObject{
        {QStringLiteral("plan"), plan.identity()},
        {QStringLiteral("index"), run.index},
        {QStringLiteral("pointIndex"), run.pointIndex},
        {QStringLiteral("seed"), double(run.seed)},
        {QStringLiteral("params"), params},
        {QStringLiteral("ok"), ok},
        {QStringLiteral("error"), error},
        {QStringLiteral("metrics"), metricsObject},
        {QStringLiteral("fingerprint"), QStringLiteral("%1").arg(fingerprint, 16, 16, QLatin1Char('0'))},
        {QStringLiteral("stopReason"), stopReason},
    };
}

Result<SweepRunResult> SweepRunResult::fromJson(const QJsonObject& object, const SweepPlan& plan)
{
    auto error = [](const QString& field, const QString& message) { return fail(Error{message, field, -1}); };
    const QJsonValue planId = object.value(QStringLiteral("plan"));
    if (!planId.isString())
        return error(QStringLiteral("plan"), QStringLiteral("expected the plan identity (a string)"));
    if (planId.toString() != plan.identity())
        return error(QStringLiteral("plan"), QStringLiteral("the result belongs to another sweep (plan %1, this sweep is %2)")
                                                 .arg(planId.toString().left(12), plan.identity().left(12)));
    const QJsonValue index = object.value(QStringLiteral("index"));
    const double indexD = index.toDouble(-1);
    if (!index.isDouble() || indexD < 0 || std::floor(indexD) != indexD || indexD >= double(plan.runCount()))
        return error(QStringLiteral("index"), QStringLiteral("expected a run index 0..%1").arg(qint64(plan.runCount()) - 1));
    SweepRunResult r;
    r.run = plan.run(int(indexD));
    const QJsonValue seed = object.value(QStringLiteral("seed"));
    if (!seed.isDouble() || seed.toDouble() != double(r.run.seed))
        return error(QStringLiteral("seed"), QStringLiteral("expected %1, the plan's seed of run %2").arg(r.run.seed).arg(r.run.index));
    const QJsonValue ok = object.value(QStringLiteral("ok"));
    if (!ok.isBool())
        return error(QStringLiteral("ok"), QStringLiteral("expected true or false"));
    r.ok = ok.toBool();
    const QJsonValue err = object.value(QStringLiteral("error"));
    if (!err.isUndefined() && !err.isString())
        return error(QStringLiteral("error"), QStringLiteral("expected a string"));
    r.error = err.toString();
    const QJsonValue metrics = object.value(QStringLiteral("metrics"));
    if (!metrics.isObject())
        return error(QStringLiteral("metrics"), QStringLiteral("expected an object of metric values"));
    const QJsonObject m = metrics.toObject();
    for (int i = 0; i < kSweepMetricCount; ++i) {
        const QString name = sweepMetricName(SweepMetric(i));
        const QJsonValue v = m.value(name);
        if (v.isDouble())
            r.metrics[std::size_t(i)] = v.toDouble();
        else if (!v.isNull() && !v.isUndefined())
            return error(QStringLiteral("metrics.") + name, QStringLiteral("expected a number or null"));
    }
    const QJsonValue fp = object.value(QStringLiteral("fingerprint"));
    if (!fp.isUndefined()) {
        bool parsed = false;
        r.fingerprint = fp.toString().toULongLong(&parsed, 16);
        if (!fp.isString() || !parsed)
            return error(QStringLiteral("fingerprint"), QStringLiteral("expected 16 hex digits"));
    }
    const QJsonValue stop = object.value(QStringLiteral("stopReason"));
    if (!stop.isUndefined() && !stop.isString())
        return error(QStringLiteral("stopReason"), QStringLiteral("expected a string"));
    r.stopReason = stop.toString();
    return r;
}

} // namespace otalab::sim
