// SPDX-License-Identifier: Apache-2.0
#include "sim/report/reportjson.h"

#include "sim/report/fleetsummary.h"
#include "sim/report/faultsjson.h"
#include "sim/report/rolloutjson.h"

#include <QJsonArray>

namespace otalab::sim {

namespace {

QJsonValue optional(const std::optional<double>& value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue integer(std::uint64_t value)
{
    constexpr std::uint64_t kExact = std::uint64_t(1) << 53;  // largest exactly representable in a double
    return value <= kExact ? QJsonValue(qint64(value)) : QJsonValue(QString::number(value));
}

QJsonObject meanMax(const MeanMax& m)
{
    return QJsonObject{{QStringLiteral("mean"), m.mean}, {QStringLiteral("max"), m.max}};
}

QJsonObject attributesJson(const std::vector<ResultAttribute>& attributes)
{
    QJsonObject o;
    for (const ResultAttribute& a : attributes)
        o.insert(a.name, a.value);
    return o;
}

QJsonObject deviceJson(const DeviceResult& d)
{
    QJsonObject o{
        {QStringLiteral("node"), qint64(d.node)},
        {QStringLiteral("name"), d.name},
        {QStringLiteral("fleet"), d.fleet},
        {QStringLiteral("family"), d.family},
        {QStringLiteral("role"), d.role},
        {QStringLiteral("parent"), d.parent.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(d.parent)},
        {QStringLiteral("hops"), d.hops},
        {QStringLiteral("outcome"), deviceOutcomeName(d.outcome)},
        {QStringLiteral("startS"), optional(d.startS)},
        {QStringLiteral("finishS"), optional(d.finishS)},
        {QStringLiteral("failedAtS"), optional(d.failedAtS)},
        {QStringLiteral("bytes"), integer(d.bytesReceived)},
        {QStringLiteral("requests"), integer(d.requests)},
        {QStringLiteral("retries"), integer(d.retries)},
        {QStringLiteral("energyJ"), d.energyJ},
        {QStringLiteral("updateEnergyJ"), d.updateEnergyJ},
        {QStringLiteral("batteryShare"), d.batteryShare},
        {QStringLiteral("versionBefore"), d.versionBefore},
        {QStringLiteral("versionAfter"), d.versionAfter},
        {QStringLiteral("attributes"), attributesJson(d.attributes)},
        {QStringLiteral("failureReason"), d.failureReason},
    };
    if (!d.execution.isEmpty()) {
        o.insert(QStringLiteral("execution"), d.execution);
        o.insert(QStringLiteral("executionNumber"), d.executionNumber);
    }
    return o;
}

QJsonObject fleetFiguresJson(const FleetFiguresResult& f)
{
    QJsonObject o{{QStringLiteral("fleet"), f.fleet}, {QStringLiteral("family"), f.family},
                  {QStringLiteral("rows"), attributesJson(f.rows)}};
    if (!f.timeline.empty()) {
        QJsonArray spans;
        for (const TimelineSpan& t : f.timeline)
            spans.append(QJsonObject{{QStringLiteral("lane"), t.lane}, {QStringLiteral("label"), t.label},
                                     {QStringLiteral("startS"), t.startS}, {QStringLiteral("endS"), t.endS}});
        o.insert(QStringLiteral("timeline"), spans);
    }
    if (!f.budgets.empty()) {
        QJsonArray bars;
        for (const BudgetBar& b : f.budgets) {
            QJsonArray parts;
            for (const auto& [name, share] : b.parts)
                parts.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("share"), share}});
            bars.append(QJsonObject{{QStringLiteral("name"), b.name}, {QStringLiteral("parts"), parts}});
        }
        o.insert(QStringLiteral("budgets"), bars);
    }
    return o;
}

} // namespace

QJsonObject reportToJson(const RunResult& result)
{
    const FleetSummary s = summarizeRun(result);

    QJsonObject outcomes;
    for (const DeviceOutcome o : kAllDeviceOutcomes)
        outcomes.insert(deviceOutcomeName(o), s.count(o));

    const QJsonObject completion{
        {QStringLiteral("p50"), optional(s.p50)}, {QStringLiteral("p90"), optional(s.p90)},
        {QStringLiteral("p95"), optional(s.p95)}, {QStringLiteral("p99"), optional(s.p99)},
        {QStringLiteral("max"), optional(s.max)},
    };
    const QJsonObject energy{
        {QStringLiteral("totalJ"), meanMax(s.energyJ)},
        {QStringLiteral("updateJ"), meanMax(s.updateEnergyJ)},
        {QStringLiteral("updateMah"), meanMax(s.updateChargeMah)},
        {QStringLiteral("batteryShare"), meanMax(s.batteryShare)},
        {QStringLiteral("batteryVoltageV"), s.batteryVoltageV},
        {QStringLiteral("batteryCapacityMah"), optional(s.batteryCapacityMah)},
    };
    const QJsonObject fleet{
        {QStringLiteral("devices"), s.devices},
        {QStringLiteral("outcomes"), outcomes},
        {QStringLiteral("completionS"), completion},
        {QStringLiteral("energy"), energy},
    };

    QJsonArray devices;
    for (const DeviceResult& d : result.devices)
        devices.append(deviceJson(d));

    QJsonArray fleetFigures;
    for (const FleetFiguresResult& f : result.fleetFigures)
        fleetFigures.append(fleetFiguresJson(f));

    QJsonObject report{
        {QStringLiteral("format"), QStringLiteral("otalab-report/2")},
        {QStringLiteral("fleetFigures"), fleetFigures},
        {QStringLiteral("scenario"), result.scenarioName},
        {QStringLiteral("scenarioFile"), result.scenarioFile},
        {QStringLiteral("description"), result.scenarioDescription},
        {QStringLiteral("changedParameters"), attributesJson(result.scenarioChanges)},
        {QStringLiteral("families"), QJsonArray::fromStringList(result.families)},
        {QStringLiteral("seed"), integer(result.seed)},
        {QStringLiteral("fingerprint"), QString::number(result.traceFingerprint, 16).rightJustified(16, QLatin1Char('0'))},
        {QStringLiteral("stopReason"), result.stopReason},
        {QStringLiteral("endTimeS"), result.endTimeS},
        {QStringLiteral("eventsExecuted"), integer(result.eventsExecuted)},
        {QStringLiteral("wallSeconds"), result.wallSeconds},
        {QStringLiteral("imageBytes"), integer(result.imageBytes)},
        {QStringLiteral("battery"), result.batteryName},
        {QStringLiteral("fleet"), fleet},
        {QStringLiteral("devices"), devices},
    };
    if (result.rollout)
        report.insert(QStringLiteral("rollout"), rolloutToJson(result));
    insertFaultsJson(result, report);   // "faults", "attacks", "faultCounts" (sim/report/faultsjson.h)
    return report;
}

} // namespace otalab::sim
